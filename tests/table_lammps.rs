//! `pair_style table` (linear and spline, R / RSQ / file-r sections, FPRIME, explicit cutoffs)
//! against LAMMPS `run 0`, and its typed errors. Tolerances are explained in
//! `potential::compare`.
mod common;
mod potential;

use pelkit::units::Units;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pelkit::geometry::{ListKind, NeighborList};
use pelkit::potential::{Potential, PotentialError};
use pelkit::SimBox;
use potential::{compare, lammps_run0, random_packing, strings};

fn lj(r: f64, eps: f64, sig: f64) -> (f64, f64) {
    let sr6 = (sig / r).powi(6);
    (
        4.0 * eps * (sr6 * sr6 - sr6),
        24.0 * eps * (2.0 * sr6 * sr6 - sr6) / r,
    )
}

/// A table file with three sections: R-spaced, RSQ-spaced and file-r (non-uniform, FPRIME).
fn write_tables(dir: &Path) -> PathBuf {
    let mut s = String::from("# pelkit test tables\n\n");
    let mut section = |name: &str, header: &str, rs: Vec<f64>, eps: f64, sig: f64| {
        let _ = writeln!(s, "{name}\n{header}\n");
        for (i, r) in rs.iter().enumerate() {
            let (e, f) = lj(*r, eps, sig);
            let _ = writeln!(s, "{} {r:?} {e:?} {f:?}", i + 1);
        }
        s.push('\n');
    };
    let n = 500;
    section(
        "LJ_R",
        "N 500 R 0.6 3.0",
        (0..n)
            .map(|i| 0.6 + 2.4 * i as f64 / (n - 1) as f64)
            .collect(),
        1.0,
        1.0,
    );
    let n = 1000;
    section(
        "LJ_RSQ",
        "N 1000 RSQ 0.6 2.0",
        (0..n)
            .map(|i| (0.36 + (4.0 - 0.36) * i as f64 / (n - 1) as f64).sqrt())
            .collect(),
        1.5,
        0.8,
    );
    let n = 400;
    let rs: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / (n - 1) as f64;
            0.6 + 1.8 * t.powf(0.8)
        })
        .collect();
    let (_, f0) = lj(0.6, 0.5, 0.88);
    let _ = f0;
    section("LJ_FILE", "N 400 FPRIME -30000.0 0.05", rs, 0.5, 0.88);
    let path = dir.join("lj.table");
    std::fs::write(&path, s).unwrap();
    path
}

fn table_case(name: &str, style: &str, coeffs: &[String], tilt: Option<[f64; 3]>) {
    let l = (400.0f64 / 1.2).cbrt();
    let b = match tilt {
        Some(t) => SimBox::triclinic([0.0; 3], [l; 3], t).unwrap(),
        None => SimBox::orthogonal([0.0; 3], [l; 3]).unwrap(),
    };
    let sys = random_packing(b, 400, 0.75, 0.8, 31);
    let mut lines = format!("pair_style {style}\n");
    for c in coeffs {
        lines += &format!("pair_coeff {c}\n");
    }
    let Some(lmp) = lammps_run0(
        name,
        &sys,
        "lj",
        &lines,
        "minimize 0 0 10 20\nreset_timestep 0",
    ) else {
        return;
    };
    let pot = Potential::from_lammps_args(style, coeffs, &[], 2).unwrap();
    // Some pair must fall in the last table interval of the 1-1 table (cutoff 2.5).
    let list = NeighborList::build(
        &lmp.system.simbox,
        &lmp.system.positions,
        pot.cutoff(),
        0.0,
        ListKind::Full,
    )
    .unwrap();
    let n: usize = style.split_whitespace().nth(2).unwrap().parse().unwrap();
    let last = 0.36 + (6.25 - 0.36) * (n - 2) as f64 / (n - 1) as f64;
    let shifts = list.shift_vectors(&lmp.system.simbox);
    let mut in_last = 0;
    for i in 0..lmp.system.natoms() {
        for k in list.row(i) {
            let j = list.neighbors[k] as usize;
            if lmp.system.types[i] != 1 || lmp.system.types[j] != 1 {
                continue;
            }
            let s = shifts[list.shift_index[k] as usize];
            let (a, c) = (lmp.system.positions[i], lmp.system.positions[j]);
            let d = [a[0] - c[0] - s[0], a[1] - c[1] - s[1], a[2] - c[2] - s[2]];
            let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if rsq >= last && rsq < 6.25 {
                in_last += 1;
            }
        }
    }
    assert!(in_last > 0, "no pair in the last table interval");
    compare(&lmp, &pot, Units::Lj);
}

fn coeffs(file: &Path) -> Vec<String> {
    let f = file.display();
    vec![
        format!("1 1 {f} LJ_R 2.5"),
        format!("1 2 {f} LJ_RSQ"),
        format!("2 2 {f} LJ_FILE 2.2"),
    ]
}

#[test]
fn table_linear_matches_lammps() {
    let dir = common::scratch("table_files_linear");
    let f = write_tables(&dir);
    table_case("table_linear", "table linear 1000", &coeffs(&f), None);
    table_case(
        "table_linear_tri",
        "table linear 777",
        &coeffs(&f),
        Some([0.9, -0.4, 0.6]),
    );
}

#[test]
fn table_spline_matches_lammps() {
    let dir = common::scratch("table_files_spline");
    let f = write_tables(&dir);
    table_case("table_spline", "table spline 1000", &coeffs(&f), None);
    table_case(
        "table_spline_tri",
        "table spline 600",
        &coeffs(&f),
        Some([-0.7, 0.5, 0.3]),
    );
}

#[test]
fn table_errors_are_typed() {
    let dir = common::scratch("table_files_errors");
    let f = write_tables(&dir);
    let fd = f.display();
    // Cutoff beyond the table's last r (3.0).
    let e =
        Potential::from_lammps_args("table linear 100", &[format!("* * {fd} LJ_R 3.5")], &[], 1)
            .unwrap_err();
    assert!(
        matches!(e, PotentialError::TableRange { cutoff, rhi, .. } if cutoff == 3.5 && rhi == 3.0)
    );
    // Missing section keyword.
    let e = Potential::from_lammps_args("table linear 100", &[format!("* * {fd} NOPE")], &[], 1)
        .unwrap_err();
    assert!(matches!(e, PotentialError::File(_)));
    // A type pair without a table.
    let e = Potential::from_lammps_args(
        "table linear 100",
        &strings(&[&format!("1 1 {fd} LJ_R 2.5")]),
        &[],
        2,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        PotentialError::MissingCoefficients {
            type_i: 1,
            type_j: 2
        }
    ));
    // A pair closer than the table's inner radius (0.6).
    let pot =
        Potential::from_lammps_args("table spline 100", &[format!("* * {fd} LJ_R 2.5")], &[], 1)
            .unwrap();
    let b = SimBox::orthogonal([0.0; 3], [10.0; 3]).unwrap();
    let sys = pelkit::System::new(b, vec![1, 2], vec![1, 1], vec![[1.0; 3], [1.5, 1.0, 1.0]]);
    assert!(matches!(
        pot.evaluate_system(&sys),
        Err(PotentialError::OutsideTable { .. })
    ));
}
