//! Single-atom probes (`pelkit::analysis::probe`) against LAMMPS: `set atom` to the displaced
//! position + `run 1` (no integrator, so nothing else moves) gives `pe/atom` of the atom and the
//! total `pe`; their changes must equal pelkit's dE_atom and dE_sys. LAMMPS' numbers are
//! differences of totals of ~10³ eV (Cu–Zr, 500 atoms) printed with 17 digits, so they carry
//! ~1e-12 of round-off; pelkit re-evaluates the same spline tables with a different summation
//! order. The bound 1e-9 (energy units) leaves three orders of margin over that round-off and is
//! still ~1000 times below the smallest |dE| probed (≈1e-6 eV at dr = 0.002 Å).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::glass::{self, Shape};
use pelkit::analysis::probe::LocalProbe;
use pelkit::io::read_configuration;
use pelkit::potential::Potential;
use pelkit::System;

/// Absolute bound on |pelkit − LAMMPS| for dE_atom and dE_sys (see the module doc).
const LAMMPS_BOUND: f64 = 1e-9;

struct Case<'a> {
    units: &'a str,
    pair_style: &'a str,
    pair_coeff: Vec<String>,
    pair_modify: Vec<String>,
}

/// Probe `atoms` × `dirs` × `drs` in LAMMPS and pelkit; returns the number of triples compared.
fn compare(
    lmp: &common::Lammps,
    dir: &Path,
    data: &Path,
    case: &Case,
    atoms: &[u64],
    dirs: &[[f64; 3]],
    drs: &[f64],
) -> usize {
    let sys: System = read_configuration(data, None).unwrap();
    let pot = Potential::from_lammps_args(
        case.pair_style,
        &case.pair_coeff,
        &case.pair_modify,
        sys.ntypes,
    )
    .unwrap();
    let max_dr = drs.iter().cloned().fold(0.0, f64::max);
    let data = &without_pair_coeffs(data, dir);
    let probe = LocalProbe::new(&sys, &pot, max_dr).unwrap();
    let mut script = format!(
        "units {}\natom_modify map array\natom_style atomic\nread_data {}\npair_style {}\n",
        case.units,
        data.display(),
        case.pair_style
    );
    for c in &case.pair_coeff {
        writeln!(script, "pair_coeff {c}").unwrap();
    }
    for m in &case.pair_modify {
        writeln!(script, "pair_modify {m}").unwrap();
    }
    script.push_str(
        "mass * 1.0\nneighbor 1.0 bin\ncompute pa all pe/atom\ncompute s all reduce sum c_pa\n\
         compute pe all pe\nthermo_style custom step c_pe c_s\nthermo_modify norm no\nvariable ea atom c_pa\n",
    );
    let mut expected = Vec::new();
    for &id in atoms {
        let i = probe.index_of(id).unwrap();
        let x0 = sys.positions[i];
        let site = probe.site(i);
        let mut scratch = Vec::new();
        writeln!(
            script,
            "run 1\nprint \"BASE $(v_ea[{id}]:%.17g) $(c_pe:%.17g)\""
        )
        .unwrap();
        for v in dirs {
            for &dr in drs {
                let d = [dr * v[0], dr * v[1], dr * v[2]];
                let x = [x0[0] + d[0], x0[1] + d[1], x0[2] + d[2]];
                writeln!(
                    script,
                    "set atom {id} x {:?} y {:?} z {:?}\nrun 1\n\
                     print \"PROBE $(v_ea[{id}]:%.17g) $(c_pe:%.17g)\"\n\
                     set atom {id} x {:?} y {:?} z {:?}",
                    x[0], x[1], x[2], x0[0], x0[1], x0[2]
                )
                .unwrap();
                let p = probe.probe(&site, d, true, &mut scratch).unwrap();
                expected.push((id, *v, dr, p));
            }
        }
    }
    let screen = lmp.run(dir, &script);
    let mut base = (0.0, 0.0);
    let mut k = 0;
    let mut worst: f64 = 0.0;
    for line in screen.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() != 3 || !(f[0] == "BASE" || f[0] == "PROBE") {
            continue;
        }
        let (ea, es): (f64, f64) = (f[1].parse().unwrap(), f[2].parse().unwrap());
        if f[0] == "BASE" {
            base = (ea, es);
            continue;
        }
        let (id, v, dr, p) = expected[k];
        let (la, ls) = (ea - base.0, es - base.1);
        let err = (p.de_atom - la).abs().max((p.de_sys - ls).abs());
        worst = worst.max(err);
        assert!(
            err <= LAMMPS_BOUND,
            "{}: atom {id} dir {v:?} dr {dr}: pelkit dE_atom {} dE_sys {}, LAMMPS {la} {ls}",
            case.pair_style,
            p.de_atom,
            p.de_sys
        );
        // The probes are not trivially zero (each moves a real energy).
        assert!(
            p.de_sys.abs() > 1e-8,
            "dE_sys {} too small to test",
            p.de_sys
        );
        k += 1;
    }
    assert_eq!(
        k,
        expected.len(),
        "LAMMPS printed {k} of {} probes",
        expected.len()
    );
    eprintln!(
        "{}: {k} probes, max |pelkit - LAMMPS| = {worst:.2e}",
        case.pair_style
    );
    k
}

/// A copy of a data file without its `Pair Coeffs` section (LAMMPS would read it with the
/// script's pair style otherwise).
fn without_pair_coeffs(data: &Path, dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(data).unwrap();
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("Pair Coeffs") {
            skipping = true;
            continue;
        }
        if skipping && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            skipping = false;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join("probe.data");
    std::fs::write(&p, out).unwrap();
    p
}

const DIRS: [[f64; 3]; 2] = [
    [0.6, -0.48, 0.64],
    [-0.2672612419124244, 0.5345224838248488, 0.8017837257372732],
];

#[test]
fn probes_match_lammps_on_cuzr_glass_eam_styles() {
    let lmp = require_lammps!();
    let Some(pot) = common::mendelev_cuzr() else {
        return;
    };
    let dir = common::scratch("probe_lammps_cuzr");
    let data = glass::cuzr(&lmp, &dir, 500, 4242, Shape::Orthogonal, 2000).unwrap();
    let atoms: Vec<u64> = (0..10).map(|k| 1 + 47 * k).collect();
    let drs = [0.002, 0.01, 0.03];
    let fs = Case {
        units: "metal",
        pair_style: "eam/fs",
        pair_coeff: vec![format!("* * {} Cu Zr", pot.display())],
        pair_modify: vec![],
    };
    let n = compare(&lmp, &dir.join("fs"), &data, &fs, &atoms, &DIRS, &drs);
    assert!(n >= 50);
    let potdir = pot.parent().unwrap();
    // eam/alloy (Zhou Cu for both types) and funcfl eam: other tables, the same kernel.
    let alloy = Case {
        units: "metal",
        pair_style: "eam/alloy",
        pair_coeff: vec![format!("* * {}/Cu_zhou.eam.alloy Cu Cu", potdir.display())],
        pair_modify: vec![],
    };
    compare(
        &lmp,
        &dir.join("alloy"),
        &data,
        &alloy,
        &atoms[..4],
        &DIRS,
        &drs,
    );
    let funcfl = Case {
        units: "metal",
        pair_style: "eam",
        pair_coeff: vec![format!("* * {}/Cu_u3.eam", potdir.display())],
        pair_modify: vec![],
    };
    compare(
        &lmp,
        &dir.join("funcfl"),
        &data,
        &funcfl,
        &atoms[..4],
        &DIRS,
        &drs,
    );
}

/// An LJ table with one section (all type pairs), 1000 points in r from 0.5 to 2.5.
fn lj_table(dir: &Path) -> std::path::PathBuf {
    let mut s = String::from("# LJ\n\nLJ\nN 1000 R 0.5 2.5\n\n");
    for k in 0..1000 {
        let r = 0.5 + 2.0 * k as f64 / 999.0;
        let (r6, r12) = (r.powi(-6), r.powi(-12));
        writeln!(
            s,
            "{} {r:.17e} {:.17e} {:.17e}",
            k + 1,
            4.0 * (r12 - r6),
            (48.0 * r12 - 24.0 * r6) / r
        )
        .unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    let p = dir.join("lj.table");
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn probes_match_lammps_on_kob_andersen_glass_pair_styles() {
    let lmp = require_lammps!();
    let dir = common::scratch("probe_lammps_ka");
    let data = glass::kob_andersen(&lmp, &dir, 500, 777, Shape::Orthogonal, 4000);
    let atoms: Vec<u64> = (0..10).map(|k| 3 + 49 * k).collect();
    let drs = [0.002, 0.01, 0.03];
    let ka = Case {
        units: "lj",
        pair_style: "lj/cut 2.5",
        pair_coeff: vec![
            "1 1 1.0 1.0 2.5".into(),
            "1 2 1.5 0.8 2.0".into(),
            "2 2 0.5 0.88 2.2".into(),
        ],
        pair_modify: vec!["shift yes".into()],
    };
    let n = compare(&lmp, &dir.join("lj"), &data, &ka, &atoms, &DIRS, &drs);
    assert!(n >= 50);
    let table = lj_table(&dir);
    let tab = Case {
        units: "lj",
        pair_style: "table linear 1000",
        pair_coeff: vec![format!("* * {} LJ 2.5", table.display())],
        pair_modify: vec![],
    };
    compare(
        &lmp,
        &dir.join("table"),
        &data,
        &tab,
        &atoms[..4],
        &DIRS,
        &drs,
    );
}
