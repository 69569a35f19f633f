//! `pelkit minimize --min-style fire --min-modify …` end to end on a glass stretched 1 % in x:
//! repeatable LAMMPS-syntax
//! `min_modify` text reaches the FIRE minimizer (LAMMPS with the same `min_modify` line from the
//! same file ends at the same energy with the same stop reason), and malformed text is a clear
//! error with a non-zero exit.
#[path = "../common/mod.rs"]
mod common;
use common::cli::KA_ARGS;
#[path = "../dynamics_support/mod.rs"]
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{parse_minimize, KA_PAIR};

#[test]
fn cli_fire_min_modify_matches_lammps_min_modify() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_minimize_fire");
    glass::kob_andersen(
        &lmp,
        &dir,
        300,
        4242,
        Shape::Triclinic(0.05, 0.1, -0.05),
        1000,
    );
    let out = common::cli::pelkit()
        .arg("minimize")
        .arg(dir.join("glass.data"))
        .args(KA_ARGS)
        .args([
            "--min-style",
            "fire",
            "--min-modify",
            "integrator verlet",
            "--min-modify",
            "abcfire yes tmax 8",
            "--shear",
            "x=0.01",
            "--ftol",
            "1e-10",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference = parse_minimize(&lmp.run(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\n{KA_PAIR}\
             change_box all x scale 1.01 remap units box\nrun 0\nprint \"PE_INITIAL $(pe:%.17g)\"\ntimestep 0.005\nmin_style fire\n\
             min_modify integrator verlet abcfire yes tmax 8\nminimize 0 1e-10 100000 1000000\n\
             print \"PE_FINAL $(pe:%.17g)\"\n"
        ),
    ));
    let pe_final = json["pe_final"].as_f64().unwrap();
    eprintln!(
        "pelkit {pe_final:.17e} {} | LAMMPS {:.17e} {} ({} iterations)",
        json["iterations"], reference.e_final, reference.stop, reference.iterations
    );
    // Acceptance criterion of issue 4 (1e-8 relative: same dynamics, round-off only).
    assert!(common::rel_diff(pe_final, reference.e_final, 1e-300) < 1e-8);
    assert_eq!(json["stop"].as_str().unwrap(), reference.stop);
    assert!(
        json["iterations"].as_u64().unwrap() > 100,
        "the strain needs a real relaxation"
    );
    // Same start (round-off of the summation order only).
    let pe_initial = json["pe_initial"].as_f64().unwrap();
    assert!(common::rel_diff(pe_initial, reference.e_initial, 1e-300) < 1e-12);
}

#[test]
fn cli_rejects_malformed_min_modify_with_the_keyword_in_the_message() {
    let dir = common::scratch("cli_minimize_fire_bad");
    // A two-atom LJ configuration is enough: the error comes before any minimization.
    std::fs::write(
        dir.join("two.data"),
        "two atoms\n\n2 atoms\n1 atom types\n\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\n\
         Masses\n\n1 1.0\n\nAtoms # atomic\n\n1 1 1.0 1.0 1.0\n2 1 2.2 1.0 1.0\n",
    )
    .unwrap();
    for (text, needle) in [
        ("integrator rk4", "integrator 'rk4'"),
        ("tmax", "tmax needs a value"),
        ("frobnicate 3", "unknown keyword 'frobnicate'"),
    ] {
        let out = common::cli::pelkit()
            .arg("minimize")
            .arg(dir.join("two.data"))
            .args([
                "--pair-style",
                "lj/cut 2.5",
                "--pair-coeff",
                "1 1 1.0 1.0 2.5",
            ])
            .args(["--min-style", "fire", "--min-modify", text])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "'{text}' was accepted");
        assert!(err.contains(needle), "'{text}': {err}");
    }
}
