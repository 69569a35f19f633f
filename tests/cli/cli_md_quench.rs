//! `pelkit quench` and `pelkit md` end to end: the files they write are read by LAMMPS at the
//! energies (and kinetic energies) the commands reported.
#[path = "../common/mod.rs"]
mod common;
use common::cli::run_json as pelkit;
use common::cli::KA_ARGS;
#[path = "../dynamics_support/mod.rs"]
mod dynamics_support;

use dynamics_support::{parse_thermo, KA_PAIR};

#[test]
fn quench_then_md_write_files_lammps_evaluates_at_the_reported_energies() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_md_quench");
    let glass = dir.join("glass.data");
    let mut args = vec![
        "quench",
        "--atoms",
        "160,40",
        "--density",
        "1.2",
        "--masses",
        "1,1",
    ];
    args.extend(KA_ARGS);
    args.extend([
        "--tmelt",
        "2.0",
        "--tfinal",
        "0.3",
        "--melt-steps",
        "200",
        "--quench-steps",
        "1000",
        "--json",
        "-o",
    ]);
    args.push(glass.to_str().unwrap());
    let q = pelkit(&args);
    assert_eq!(q["stop"], "force tolerance");
    let run0 = |file: &str| {
        let out = lmp.run(
            &dir,
            &format!(
                "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data {file}\n{KA_PAIR}\
                 thermo_style custom step pe ke fnorm\nthermo_modify format float %.17g\nrun 0\n"
            ),
        );
        parse_thermo(&out, "Step")[0].clone()
    };
    let row = run0("glass.data");
    // LAMMPS sums the same pair terms in another order: round-off only.
    assert!(common::rel_diff(row[1], q["pe_final"].as_f64().unwrap(), 1e-300) < 1e-12);
    assert!(
        row[3] < 1e-9,
        "the written glass is minimized: fnorm {}",
        row[3]
    );

    let after = dir.join("after.data");
    let mut args = vec!["md", glass.to_str().unwrap()];
    args.extend(KA_ARGS);
    args.extend([
        "--temp",
        "0.4",
        "--steps",
        "100",
        "--nvt",
        "0.4 0.4 0.25",
        "--thermo",
        "50",
        "--json",
        "-o",
    ]);
    args.push(after.to_str().unwrap());
    let m = pelkit(&args);
    let samples = m["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 3);
    let last = samples.last().unwrap();
    let row = run0("after.data");
    // thermo pe/ke are per atom in lj units; pelkit samples are totals.
    let n = 200.0;
    assert!(common::rel_diff(row[1] * n, last["pe"].as_f64().unwrap(), 1e-300) < 1e-12);
    assert!(common::rel_diff(row[2] * n, last["ke"].as_f64().unwrap(), 1e-300) < 1e-12);
}
