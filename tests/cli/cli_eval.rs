//! `pelkit eval` end to end: JSON totals and the per-atom dump against LAMMPS `run 0` on the
//! same data file, plus its error exit on bad potential arguments.
#[path = "../common/mod.rs"]
mod common;
#[path = "../potential/mod.rs"]
mod potential;

use std::process::Command;

use pelkit::io::data::write_data;
use pelkit::SimBox;

fn pelkit() -> Command {
    common::cli::pelkit()
}

/// Kob–Andersen with velocities (kinetic pressure) in an orthogonal box, so LAMMPS holds the
/// written positions bit for bit. Tolerances as in `potential::compare`: 1e-12 relative for
/// totals and per-atom energies, 1e-12 of the RMS for forces and stresses.
#[test]
fn eval_json_and_dump_match_lammps() {
    let l = (400.0f64 / 1.2).cbrt();
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    let mut sys = potential::random_packing(b, 400, 0.8, 0.8, 77);
    let mut rng = potential::Lcg(5);
    sys.velocities = Some(
        (0..400)
            .map(|_| {
                [
                    rng.uniform() - 0.5,
                    rng.uniform() - 0.5,
                    rng.uniform() - 0.5,
                ]
            })
            .collect(),
    );
    sys.masses = vec![Some(1.0), Some(0.7)];
    let coeffs = ["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"];
    let mut lines = "pair_style lj/cut 2.5\npair_modify shift yes\n".to_string();
    for c in coeffs {
        lines += &format!("pair_coeff {c}\n");
    }
    let Some(lmp) = potential::lammps_run0("cli_eval_ka", &sys, "lj", &lines, "") else {
        return;
    };
    let dir = common::scratch("cli_eval_ka_pelkit");
    write_data(&dir.join("in.data"), &sys).unwrap();
    let mut cmd = pelkit();
    cmd.arg("eval")
        .arg(dir.join("in.data"))
        .args([
            "--pair-style",
            "lj/cut 2.5",
            "--pair-modify",
            "shift yes",
            "--json",
        ])
        .arg("-o")
        .arg(dir.join("out.dump"));
    for c in coeffs {
        cmd.args(["--pair-coeff", c]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["natoms"], 400);
    let pe = json["pe"].as_f64().unwrap();
    assert!(
        common::rel_diff(pe, lmp.pe, 1e-300) <= 1e-12,
        "{pe} vs {}",
        lmp.pe
    );
    let p_rms = (lmp.pressure.iter().map(|p| p * p).sum::<f64>() / 6.0).sqrt();
    for c in 0..6 {
        let p = json["pressure"][c].as_f64().unwrap();
        assert!(
            (p - lmp.pressure[c]).abs() <= 1e-12 * p_rms,
            "p{c} {p} vs {}",
            lmp.pressure[c]
        );
    }
    assert!(common::rel_diff(json["volume"].as_f64().unwrap(), l * l * l, 0.0) < 1e-15);
    let table = common::read_dump_table(&dir.join("out.dump"));
    let f_rms = (lmp.forces.iter().flatten().map(|f| f * f).sum::<f64>() / 1200.0).sqrt();
    let s_rms = (lmp.stress_atom.iter().flatten().map(|f| f * f).sum::<f64>() / 2400.0).sqrt();
    for (i, row) in table.iter().enumerate() {
        assert_eq!(row[0] as u64, lmp.system.ids[i]);
        assert!(common::rel_diff(row[8], lmp.pe_atom[i], 1e-300) <= 1e-12);
        for d in 0..3 {
            assert!((row[5 + d] - lmp.forces[i][d]).abs() <= 1e-12 * f_rms);
        }
        for c in 0..6 {
            assert!(
                (row[9 + c] - lmp.stress_atom[i][c]).abs() <= 1e-12 * s_rms,
                "atom {i} s{c}"
            );
        }
    }
}

#[test]
fn eval_reports_bad_potential_arguments() {
    let dir = common::scratch("cli_eval_bad");
    let b = SimBox::orthogonal([0.0; 3], [5.0; 3]).unwrap();
    let sys = potential::random_packing(b, 10, 1.0, 0.5, 1);
    write_data(&dir.join("in.data"), &sys).unwrap();
    let out = pelkit()
        .arg("eval")
        .arg(dir.join("in.data"))
        .args(["--pair-style", "lj/cut 2.5", "--pair-coeff", "1 1 1.0 1.0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no pair coefficients for atom types 2 2"),
        "{err}"
    );
}
