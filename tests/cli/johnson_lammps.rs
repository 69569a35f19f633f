//! The Johnson (1964) α-Fe pair table (`pelkit potential write-johnson`): the published form is
//! C¹ at its knots (and not C², which is what Srolovitz et al.'s modification would add), the
//! tabulated force is −dE/dr, the file holds exactly the form, and LAMMPS `pair_style table` on
//! the generated file agrees with pelkit's table evaluation and with the analytic pair sum.
#[path = "../common/mod.rs"]
mod common;
#[path = "../potential/mod.rs"]
mod potential;

use pelkit::geometry::{ListKind, NeighborList};
use pelkit::io::table_file::read_table_section;
use pelkit::potential::johnson1964::{
    johnson_fe, JohnsonTable, TableSpacing, CORE_A0, CORE_B, CUTOFF, JOHNSON_PIECES,
};
use pelkit::potential::Potential;
use pelkit::units::Units;
use pelkit::SimBox;
use potential::{compare, lammps_run0, random_packing};

/// Johnson's cubic k written out again from the paper's printed numbers (value, φ', φ'').
fn cubic(k: usize, r: f64) -> (f64, f64, f64) {
    let (a, b, c, d) = [
        (-2.195976, 3.097910, 2.704060, -7.436448),
        (-0.639230, 3.115829, 0.477871, -1.581570),
        (-1.115035, 3.066403, 0.466892, -1.547967),
    ][k];
    let x = r - b;
    (a * x * x * x + c * r + d, 3.0 * a * x * x + c, 6.0 * a * x)
}

/// The Morris et al. core 8752.934·exp(−4.572488 r) (value, φ', φ'').
fn core(r: f64) -> (f64, f64) {
    let e = 8752.934 * (-4.572488 * r).exp();
    (e, -4.572488 * e)
}

#[test]
fn published_form_is_c1_not_c2_at_its_knots() {
    assert_eq!((CORE_A0, CORE_B, CUTOFF), (8752.934, 4.572488, 3.44));
    let starts: Vec<f64> = JOHNSON_PIECES.iter().map(|p| p.r_from).collect();
    assert_eq!(starts, [1.9, 2.4, 3.0]);
    // The library's pieces are the printed ones (same expression, so the same bits).
    for (k, r) in [(0, 2.1), (1, 2.7), (2, 3.2)] {
        let (e, f) = johnson_fe(r);
        let (ce, cd, _) = cubic(k, r);
        assert_eq!((e, f), (ce, -cd), "piece {k} at r = {r}");
    }
    assert_eq!(johnson_fe(1.5), (core(1.5).0, -core(1.5).1));
    // Continuity to the rounding of the printed coefficients: each is given to ±5e-7 of its
    // unit, which moves φ and φ' at the knots by at most ~5e-6 (3|x|²δa + 6|a x|δb + δc with
    // |x| ≤ 1.2, |a| ≤ 2.2); a wrong digit above the sixth decimal breaks these bounds.
    let (tol_e, tol_d) = (5e-6, 5e-6);
    // 1.9 Å: Morris et al.'s core was fitted to Johnson's first cubic (A₀, B given to 7 digits).
    let (c, d) = core(1.9);
    let (e0, d0, _) = cubic(0, 1.9);
    assert!(
        (c - e0).abs() <= tol_e && (d - d0).abs() <= tol_d,
        "1.9: {c} {e0} {d} {d0}"
    );
    for (k, r) in [(0, 2.4), (1, 3.0)] {
        let (el, dl, _) = cubic(k, r);
        let (er, dr, _) = cubic(k + 1, r);
        assert!(
            (el - er).abs() <= tol_e && (dl - dr).abs() <= tol_d,
            "{r}: φ {el} vs {er}, φ' {dl} vs {dr}"
        );
    }
    let (ec, dc, d2c) = cubic(2, CUTOFF);
    assert!(
        ec.abs() <= tol_e && dc.abs() <= tol_d,
        "cutoff: φ {ec} φ' {dc}"
    );
    // φ'' jumps by O(1) eV/Å² at 1.9, 2.4 and 3.44 Å (Johnson's form is C¹ only there), while
    // it is continuous at 3.0 Å to the coefficients' rounding.
    let (_, _, d2_19) = cubic(0, 1.9);
    let core_d2 = CORE_B * CORE_B * core(1.9).0;
    let jump = |a: f64, b: f64| (a - b).abs();
    assert!(jump(core_d2, d2_19) > 10.0, "{core_d2} vs {d2_19}");
    assert!(jump(cubic(0, 2.4).2, cubic(1, 2.4).2) > 5.0);
    assert!(jump(d2c, 0.0) > 2.0);
    assert!(jump(cubic(1, 3.0).2, cubic(2, 3.0).2) <= 5e-6);
    assert_eq!(johnson_fe(CUTOFF + 1e-12), (0.0, 0.0));
}

#[test]
fn force_is_minus_energy_derivative() {
    // Central differences with h = 1e-5 Å: truncation h²|φ'''|/6 ≤ 2e-10·B³·φ(1 Å) ≈ 1.5e-6
    // eV/Å against |F| = 414 eV/Å at 1 Å, and ≤ 4e-11 on the cubics (φ''' = 6a); round-off
    // 1e-16·|φ|/h ≤ 1e-9 eV/Å. So 1e-8 relative to max(|F|, 1 eV/Å); a wrong factor in any
    // derivative is off by ≥ 1e-3.
    let h = 1e-5;
    let knots = [1.9, 2.4, 3.0, CUTOFF];
    let mut checked = 0;
    for i in 0..=2440 {
        let r = 1.0 + i as f64 * 1e-3 + 3.7e-5;
        if knots.iter().any(|k| (r - k).abs() < 2.0 * h) || r > CUTOFF - 2.0 * h {
            continue;
        }
        let (_, f) = johnson_fe(r);
        let fd = -(johnson_fe(r + h).0 - johnson_fe(r - h).0) / (2.0 * h);
        assert!(
            (f - fd).abs() <= 1e-8 * f.abs().max(1.0),
            "r = {r}: F = {f:e}, −dE/dr by differences = {fd:e}"
        );
        checked += 1;
    }
    assert!(checked > 2400);
}

fn write_johnson(dir: &std::path::Path, name: &str, extra: &[&str]) -> serde_json::Value {
    let out = common::cli::pelkit()
        .args(["potential", "write-johnson", "-o"])
        .arg(dir.join(name))
        .args(extra)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn cli_file_holds_the_form() {
    let dir = common::scratch("johnson_file");
    let j = write_johnson(&dir, "fe.table", &[]);
    assert_eq!(j["pair_style"], "table linear 5000");
    assert_eq!(
        j["pair_coeff"],
        format!("* * {} FE_JOHNSON", dir.join("fe.table").display())
    );
    let sec = read_table_section(&dir.join("fe.table"), "FE_JOHNSON").unwrap();
    let ours = JohnsonTable::default().points().unwrap();
    assert_eq!(sec.r.len(), 5000);
    for (k, (r, e, f)) in ours.iter().enumerate() {
        // LAMMPS' recomputed RSQ distances are the written ones, and the values are the form's.
        assert_eq!((sec.r[k], sec.e[k], sec.f[k]), (*r, *e, *f));
        assert_eq!(johnson_fe(*r), (*e, *f));
    }
    let j = write_johnson(
        &dir,
        "fe_r.table",
        &[
            "--spacing",
            "r",
            "--n",
            "1201",
            "--rlo",
            "1.5",
            "--keyword",
            "FE_R",
        ],
    );
    assert_eq!(j["spacing"], "R");
    let sec = read_table_section(&dir.join("fe_r.table"), "FE_R").unwrap();
    let ours = JohnsonTable {
        keyword: "FE_R".into(),
        n: 1201,
        rlo: 1.5,
        spacing: TableSpacing::R,
    }
    .points()
    .unwrap();
    assert_eq!(sec.r, ours.iter().map(|p| p.0).collect::<Vec<_>>());
    assert_eq!(sec.r[1200], CUTOFF);
    // Bad input is refused with a message, not a panic.
    let out = common::cli::pelkit()
        .args(["potential", "write-johnson", "--rlo", "4.0", "-o"])
        .arg(dir.join("bad.table"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("first table distance"));
}

/// The table style's energy error per pair: linear interpolation in r² with spacing δ is off by
/// at most δ²/8 · max |d²φ/d(r²)²| = δ²/8 · max |φ'' − φ'/r| / (4r²) over r ≥ rmin (φ'' is
/// piecewise continuous; the bound holds on each interval, and a knot inside an interval only
/// lowers the curvature it sees).
fn interpolation_bound(delta: f64, rmin: f64) -> f64 {
    let mut m: f64 = 0.0;
    let mut r = rmin;
    while r <= CUTOFF {
        let (d1, d2) = if r < 1.9 {
            let (e, d) = core(r);
            (d, CORE_B * CORE_B * e)
        } else {
            let k = if r < 2.4 {
                0
            } else if r < 3.0 {
                1
            } else {
                2
            };
            let (_, d, dd) = cubic(k, r);
            (d, dd)
        };
        m = m.max((d2 - d1 / r).abs() / (4.0 * r * r));
        r += 1e-4;
    }
    delta * delta / 8.0 * m
}

#[test]
fn lammps_table_on_generated_file_matches_pelkit_and_the_form() {
    let dir = common::scratch("johnson_lammps_files");
    write_johnson(&dir, "fe.table", &[]);
    write_johnson(&dir, "fe_r.table", &["--spacing", "r", "--n", "3000"]);
    let file = dir.join("fe.table");
    // 500 Fe atoms at the seed's Fe-glass density (50,000 atoms in 143 × 28.6 × 143 Å³ =
    // 0.0855 Å⁻³), random with a minimum distance of 1.75 Å: pairs fill the core and all three
    // cubics.
    let l = (500.0f64 / 0.0855).cbrt();
    let b = SimBox::triclinic([0.0; 3], [l; 3], [0.7, -0.4, 0.3]).unwrap();
    let mut sys = random_packing(b, 500, 1.75, 1.0, 11);
    sys.ntypes = 1;
    sys.types = vec![1; 500];
    sys.masses = vec![Some(55.845)];
    for (name, style, f, key) in [
        // N equal to the file's RSQ N: LAMMPS uses the file values as they are.
        (
            "johnson_lammps_matched",
            "table linear 5000",
            &file,
            "FE_JOHNSON",
        ),
        // An R file resampled (splined) onto 2000 r² points.
        (
            "johnson_lammps_spline",
            "table spline 2000",
            &dir.join("fe_r.table"),
            "FE_JOHNSON",
        ),
    ] {
        let coeff = format!("* * {} {key}", f.display());
        let Some(lmp) = lammps_run0(
            name,
            &sys,
            "metal",
            &format!("pair_style {style}\npair_coeff {coeff}"),
            "",
        ) else {
            return;
        };
        let pot = Potential::from_lammps_args(style, &[coeff], &[], 1).unwrap();
        // pelkit's table code on LAMMPS' configuration: 1e-12 (see `potential::compare`).
        compare(&lmp, &pot, Units::Metal);
    }
    // The matched table against the analytic pair sum, per atom.
    let pot = Potential::from_lammps_args(
        "table linear 5000",
        &[format!("* * {} FE_JOHNSON", file.display())],
        &[],
        1,
    )
    .unwrap();
    let ev = pot.evaluate_system(&sys).unwrap();
    let list =
        NeighborList::build(&sys.simbox, &sys.positions, CUTOFF, 0.0, ListKind::Full).unwrap();
    let shifts = list.shift_vectors(&sys.simbox);
    let delta = (CUTOFF * CUTOFF - 1.0) / 4999.0;
    let per_pair = interpolation_bound(delta, 1.75);
    let mut counts = [0usize; 4];
    let mut worst: f64 = 0.0;
    for i in 0..sys.natoms() {
        let (mut e, mut npairs) = (0.0, 0.0);
        for k in list.row(i) {
            let j = list.neighbors[k] as usize;
            let s = shifts[list.shift_index[k] as usize];
            let (a, c) = (sys.positions[i], sys.positions[j]);
            let d = [a[0] - c[0] - s[0], a[1] - c[1] - s[1], a[2] - c[2] - s[2]];
            let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            if r < CUTOFF {
                e += 0.5 * johnson_fe(r).0;
                npairs += 0.5;
                counts[[1.9, 2.4, 3.0, CUTOFF].iter().position(|&x| r < x).unwrap()] += 1;
            }
        }
        let err = (ev.per_atom_energy[i] - e).abs();
        assert!(
            err <= npairs * per_pair,
            "atom {i}: table {} vs analytic {e} (bound {})",
            ev.per_atom_energy[i],
            npairs * per_pair
        );
        worst = worst.max(err / (npairs * per_pair));
    }
    assert!(
        counts.iter().all(|&c| c > 0),
        "pairs per region: {counts:?}"
    );
    eprintln!(
        "johnson: per-pair interpolation bound {per_pair:.2e} eV, worst atom at {worst:.2} of \
         its bound, pairs per region {counts:?}"
    );
}
