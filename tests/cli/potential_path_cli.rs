//! A `pair_coeff` file name is looked up as LAMMPS looks it up: as given, else its base name in
//! each directory of `$LAMMPS_POTENTIALS`. The energy found through the variable must be
//! bit-identical to the energy with the full path (same file, same bytes); without the variable
//! the error names the file the user wrote.
#[path = "../common/mod.rs"]
mod common;
#[path = "../potential/mod.rs"]
mod potential;

use pelkit::io::data::write_data;
use pelkit::SimBox;

fn eval_pe(
    dir: &std::path::Path,
    coeff: &str,
    potentials: Option<&std::path::Path>,
) -> std::process::Output {
    let mut cmd = common::cli::pelkit();
    cmd.current_dir(dir)
        .arg("eval")
        .arg("in.data")
        .args(["--pair-style", "eam/alloy", "--pair-coeff", coeff, "--json"])
        .env_remove("LAMMPS_POTENTIALS");
    if let Some(p) = potentials {
        // Two entries: a directory without the file first, as LAMMPS allows a list.
        let list = std::env::join_paths([dir.join("empty"), p.to_path_buf()]).unwrap();
        cmd.env("LAMMPS_POTENTIALS", list);
    }
    cmd.output().unwrap()
}

#[test]
fn pair_coeff_file_is_found_through_lammps_potentials() {
    let root = common::scratch("potential_path_cli");
    let (work, pots) = (root.join("work"), root.join("pots"));
    for d in [&work, &pots, &work.join("empty")] {
        std::fs::create_dir_all(d).unwrap();
    }
    let file = potential::write_setfl(&pots, false, 500, 0.01);
    let base = file.file_name().unwrap().to_string_lossy().into_owned();
    let b = SimBox::orthogonal([0.0; 3], [12.0; 3]).unwrap();
    let sys = potential::random_packing(b, 120, 2.0, 0.5, 3);
    write_data(&work.join("in.data"), &sys).unwrap();
    let pe = |out: std::process::Output| -> f64 {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["pe"].as_f64().unwrap()
    };
    let full = pe(eval_pe(
        &work,
        &format!("* * {} Aa Bb", file.display()),
        None,
    ));
    // A relative path with directories: LAMMPS uses its base name in $LAMMPS_POTENTIALS.
    for name in [base.clone(), format!("somewhere/{base}")] {
        let found = pe(eval_pe(&work, &format!("* * {name} Aa Bb"), Some(&pots)));
        assert_eq!(found.to_bits(), full.to_bits(), "{name}: {found} vs {full}");
    }
    let out = eval_pe(&work, &format!("* * {base} Aa Bb"), None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&base), "the error should name {base}: {err}");
    assert!(full.is_finite() && full != 0.0);
}
