//! `pelkit check` and `pelkit convert` as a user runs them, on files LAMMPS wrote.
#[path = "../common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Output;

fn pelkit(dir: &Path, args: &[&str]) -> Output {
    common::cli::pelkit()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running pelkit")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

const SCRIPT: &str = "units metal\natom_style atomic\n\
region b prism 0 11 0 12 0 13 -2.5 1.5 -1.0\ncreate_box 2 b\n\
create_atoms 1 random 150 11 NULL\ncreate_atoms 2 random 50 12 NULL\nmass * 50.0\n\
displace_atoms all random 2.0 2.0 2.0 13\nvelocity all create 800 14\n\
write_data lmp.data\n\
write_dump all custom lmp.dump id type x y z modify sort id format float %.17g\n\
pair_style lj/cut 4.0\npair_coeff * * 0.01 2.0\nthermo 5\n\
run 10\nminimize 0 1e-10 20 100\n";

#[test]
fn check_reports_lammps_data_and_log() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_check");
    lmp.run(&dir, SCRIPT);
    let table = common::read_dump_table(&dir.join("lmp.dump"));

    let out = pelkit(&dir, &["check", "lmp.data", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    assert_eq!(r["format"], "lammps-data");
    assert_eq!(r["atoms"].as_u64().unwrap() as usize, table.len());
    assert!(r["problems"].as_array().unwrap().is_empty());
    for (k, name) in ["x", "y", "z"].iter().enumerate() {
        let col = r["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == *name)
            .unwrap();
        let values: Vec<f64> = table.iter().map(|row| row[2 + k]).collect();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        // min/max are exact copies of values: their shortest round-trip text must be in the
        // JSON (serde_json's own float parsing is not exact, so the text is compared). The mean
        // is a running mean vs a plain sum: different rounding, 1e-12 relative.
        let stdout = String::from_utf8_lossy(&out.stdout);
        let expected = format!(
            "\"name\":\"{name}\",\"count\":{},\"min\":{min:?},\"max\":{max:?},",
            values.len()
        );
        assert!(stdout.contains(&expected), "{expected} not in {stdout}");
        assert!(common::rel_diff(col["mean"].as_f64().unwrap(), mean, 1.0) <= 1e-12);
    }
    assert_eq!(r["box"]["tilt"][0].as_f64().unwrap(), -2.5);

    let human = pelkit(&dir, &["check", "lmp.data"]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains("problems: none"));

    // The log: one block per `run`/`minimize` (oracle: the `Loop time` lines of the log).
    let out = pelkit(&dir, &["check", "log.lammps", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    let text = std::fs::read_to_string(dir.join("log.lammps")).unwrap();
    assert_eq!(r["format"], "lammps-log");
    assert_eq!(
        r["frames"].as_u64().unwrap() as usize,
        text.matches("\nLoop time of").count()
    );
    assert_eq!(r["frames"], 2);
    let iterations = r["details"]["runs"][1]["minimization"]["iterations"]
        .as_u64()
        .unwrap();
    let steps = r["details"]["runs"][1]["loop"]["steps"].as_u64().unwrap();
    assert_eq!(
        iterations, steps,
        "a minimize's Loop time counts its iterations"
    );
}

#[test]
fn check_exit_status_on_problems_and_errors() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_check_problems");
    lmp.run(&dir, SCRIPT);
    // Move the first atom 100 Å outside the box.
    let text = std::fs::read_to_string(dir.join("lmp.data")).unwrap();
    let mut moved = false;
    let edited: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if !moved && f.len() == 8 && f[0] == "1" {
                moved = true;
                format!("1 {} 111.0 {} {} 0 0 0\n", f[1], f[3], f[4])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert!(moved);
    std::fs::write(dir.join("outside.data"), edited).unwrap();
    let out = pelkit(&dir, &["check", "outside.data", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let r = json(&out);
    assert_eq!(
        r["problems"][0],
        "1 atoms lie outside the box (ids 1); LAMMPS read_data would wrap them into the box"
    );

    // A file that cannot be parsed: exit 1, message with file and line on stderr.
    std::fs::write(
        dir.join("bad.data"),
        "title\n\n2 atoms\n1 atom types\n\nAtoms\n\n1 1 0 0 0\n",
    )
    .unwrap();
    let out = pelkit(&dir, &["check", "bad.data"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.data:8: expected line 2 of 2 of the Atoms section, found end of file"),
        "{err}"
    );
}

#[test]
fn convert_data_to_data_reads_back_in_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("cli_convert");
    lmp.run(&dir, SCRIPT);
    let out = pelkit(&dir, &["convert", "lmp.data", "converted.data"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lmp.run(
        &dir,
        "units metal\natom_style atomic\nread_data converted.data\n\
         write_dump all custom back.dump id type x y z modify sort id format float %.17g\n",
    );
    let original = common::read_dump_table(&dir.join("lmp.dump"));
    let back = common::read_dump_table(&dir.join("back.dump"));
    let sys = pelkit::io::data::read_data(&dir.join("lmp.data")).unwrap();
    let b = sys.simbox;
    assert_eq!(original.len(), back.len());
    for (a, r) in original.iter().zip(&back) {
        assert_eq!(a[0], r[0]);
        // Triclinic read_data remaps x → λ → x (lammps-facts §0.4): expected bits are that remap
        // of the original coordinates.
        let x = b.to_cartesian(b.to_fractional([a[2], a[3], a[4]]));
        for d in 0..3 {
            assert_eq!(r[2 + d].to_bits(), x[d].to_bits(), "atom {} dim {d}", a[0]);
        }
    }
    // An input that cannot be parsed: exit 1, file and line on stderr, no output written.
    std::fs::write(
        dir.join("bad.data"),
        "t\n\n1 atoms\n1 atom types\n\nAtoms\n\n1 1 0 zero 0\n",
    )
    .unwrap();
    let out = pelkit(&dir, &["convert", "bad.data", "never.data"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.data:8: expected y coordinate (a number), found `zero`"),
        "{err}"
    );
    assert!(!dir.join("never.data").exists());
    // --frame beyond a data file's single frame.
    let out = pelkit(&dir, &["convert", "lmp.data", "x.data", "--frame", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("frame 3 does not exist"));
}
