//! `pelkit minimize` end to end: the CLI shears and minimizes a LAMMPS-made glass; LAMMPS does
//! the same from the same file; energies and stop reason agree, and LAMMPS reads the written
//! configuration back at the energy pelkit reported.
#[path = "../common/mod.rs"]
mod common;
use common::cli::KA_ARGS;
#[path = "../dynamics_support/mod.rs"]
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{parse_minimize, parse_thermo, KA_PAIR};

#[test]
fn cli_minimize_with_shear_matches_lammps_and_writes_a_readable_minimum() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_minimize");
    glass::kob_andersen(&lmp, &dir, 300, 777, Shape::Orthogonal, 1000);
    let out = common::cli::pelkit()
        .arg("minimize")
        .arg(dir.join("glass.data"))
        .args(KA_ARGS)
        .args(["--shear", "xy=0.01", "--ftol", "1e-10", "--json", "-o"])
        .arg(dir.join("min.data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pe_final = json["pe_final"].as_f64().unwrap();

    // LAMMPS: the same shear (xy delta 0.01·ly) and minimization from the same file.
    let text = std::fs::read_to_string(dir.join("glass.data")).unwrap();
    let ly = text
        .lines()
        .find(|l| l.ends_with("ylo yhi"))
        .map(|l| {
            let v: Vec<f64> = l
                .split_whitespace()
                .take(2)
                .map(|t| t.parse().unwrap())
                .collect();
            v[1] - v[0]
        })
        .unwrap();
    let reference = parse_minimize(&lmp.run(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\n{KA_PAIR}\
             change_box all triclinic\nchange_box all xy delta {:.17e} remap units box\n\
             run 0\nprint \"PE_INITIAL $(pe:%.17g)\"\nminimize 0 1e-10 100000 1000000\n\
             print \"PE_FINAL $(pe:%.17g)\"\n",
            0.01 * ly
        ),
    ));
    // Acceptance criterion (1e-8 relative) and the same stop reason.
    assert!(common::rel_diff(pe_final, reference.e_final, 1e-300) < 1e-8);
    assert_eq!(json["stop"].as_str().unwrap(), reference.stop);
    assert_eq!(
        json["pe_initial"]
            .as_f64()
            .map(|e| common::rel_diff(e, reference.e_initial, 1e-300) < 1e-12),
        Some(true)
    );

    // The written file is the minimum: LAMMPS evaluates it at pe_final (round-off only: the
    // file holds the exact bits, LAMMPS sums in another order).
    let check = lmp.run(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data min.data\n{KA_PAIR}\
             thermo_style custom step pe fnorm\nthermo_modify format float %.17g\nrun 0\n"
        ),
    );
    let row = &parse_thermo(&check, "Step")[0];
    assert!(common::rel_diff(row[1], pe_final, 1e-300) < 1e-12);
    // Converged: the force norm LAMMPS sees is below ftol (the wrap into the box moves atoms by
    // whole periods only).
    assert!(row[2] < 1e-9, "fnorm {}", row[2]);
}
