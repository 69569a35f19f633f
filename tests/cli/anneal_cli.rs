//! `pelkit quench --rates`, `pelkit anneal` and `pelkit ageing-map` end to end on a 200-atom
//! Kob–Andersen glass: a run killed midway keeps every row already written and `--resume`
//! completes it; non-converged quenches are flagged, not fatal; bad input is an error that says
//! what was wrong.
#[path = "../common/mod.rs"]
mod common;
use common::cli::run as pelkit;
use common::cli::KA_ARGS as KA;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use pelkit::protocol::ageing::read_records;

fn ok_json(args: &[&str]) -> serde_json::Value {
    let out = pelkit(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn glasses(dir: &Path) -> serde_json::Value {
    let out = dir.join("ka.data");
    let mut args = vec![
        "quench",
        "--atoms",
        "160,40",
        "--density",
        "1.2",
        "--masses",
        "1,1",
    ];
    args.extend(KA);
    args.extend([
        "--tmelt",
        "2.0",
        "--tfinal",
        "0.3",
        "--melt-steps",
        "200",
        "--rates",
        "0.34,0.17",
        "--json",
        "--quiet",
        "-o",
    ]);
    args.push(out.to_str().unwrap());
    ok_json(&args)
}

fn anneal_args<'a>(glass: &'a str, csv: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["anneal", glass];
    a.extend(KA);
    a.extend([
        "--temp",
        "0.4",
        "--runs",
        "2",
        "--seed",
        "5",
        "--threads",
        "1",
        "-o",
        csv,
    ]);
    a.extend(extra);
    a
}

#[test]
fn quench_rates_anneal_kill_resume_and_map() {
    let dir = common::scratch("anneal_cli");
    let q = glasses(&dir);
    let samples = q["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 2);
    for s in samples {
        let path = s["output"].as_str().unwrap();
        assert!(
            path.contains("_rate0.34") || path.contains("_rate0.17"),
            "{path}"
        );
        // The reported E_IS is the energy of the written file (re-evaluated independently).
        let sys = pelkit::io::read_configuration(Path::new(path), None).unwrap();
        let pot = pelkit::potential::Potential::from_lammps_args(
            "lj/cut 2.5",
            &[
                "1 1 1.0 1.0 2.5".into(),
                "1 2 1.5 0.8 2.0".into(),
                "2 2 0.5 0.88 2.2".into(),
            ],
            &["shift yes".into()],
            2,
        )
        .unwrap();
        let list = pelkit::geometry::NeighborList::build(
            &sys.simbox,
            &sys.positions,
            pot.cutoff(),
            0.3,
            pelkit::geometry::ListKind::HalfBinned,
        )
        .unwrap();
        let e = pot.evaluate(&sys, &list).unwrap().energy / sys.natoms() as f64;
        let reported = s["e_is_per_atom"].as_f64().unwrap();
        assert!((e - reported).abs() < 1e-12 * e.abs(), "{e} vs {reported}");
        // A glass, not a liquid: E_IS of KA inherent structures is about -7.7 ε/atom.
        assert!(reported < -7.3, "{reported}");
    }
    let glass = samples[0]["output"].as_str().unwrap().to_string();

    // A long run, killed after a few rows.
    let csv = dir.join("runs.csv");
    let csv_s = csv.to_str().unwrap().to_string();
    let is_dir = dir.join("is");
    let is_s = is_dir.to_str().unwrap().to_string();
    let extra = [
        "--time",
        "100",
        "--is-every",
        "5",
        "--save-is",
        &is_s,
        "--quiet",
    ];
    let mut child = common::cli::pelkit()
        .args(anneal_args(&glass, &csv_s, &extra))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    loop {
        let rows = std::fs::read_to_string(&csv)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if rows > 6 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(300),
            "no rows after 300 s"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = std::fs::read_to_string(&csv).unwrap();
    let kept = read_records(&csv).unwrap();
    assert!(kept.len() >= 6 && kept.len() < 42, "{} rows", kept.len());

    // Without --resume an existing CSV is refused; with it the run completes.
    let out = pelkit(&anneal_args(&glass, &csv_s, &extra));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"));
    let mut resumed = extra.to_vec();
    resumed.extend(["--resume", "--json"]);
    let j = ok_json(&anneal_args(&glass, &csv_s, &resumed));
    let after = std::fs::read_to_string(&csv).unwrap();
    // Every complete row written before the kill is still there, byte for byte.
    let complete = &before[..=before.rfind('\n').unwrap()];
    assert!(
        after.starts_with(complete),
        "rows written before the kill changed"
    );
    let all = read_records(&csv).unwrap();
    assert_eq!(all.len(), 2 * 21, "2 runs × (1 + 100/5) IS, each once");
    for run in 0..2 {
        let mut idx: Vec<usize> = all
            .iter()
            .filter(|r| r.run == run)
            .map(|r| r.index)
            .collect();
        idx.sort();
        assert_eq!(idx, (0..21).collect::<Vec<_>>(), "run {run}");
        assert_eq!(j["runs"][run]["inherent_structures"], 21);
    }
    for r in &all {
        assert!((r.time - r.index as f64 * 5.0).abs() < 1e-9, "{r:?}");
        assert_eq!(r.step, r.index as u64 * 1000);
        assert!(r.converged && r.fnorm2 <= 1e-6, "{r:?}");
        assert_eq!(r.temperature, 0.4);
        // Each IS lies below its instantaneous state.
        assert!(r.e_is < r.pe_inst, "{r:?}");
        let f = is_dir.join(format!("run{}_is{:05}.data", r.run, r.index));
        assert!(f.exists(), "{}", f.display());
    }
    // The saved IS is the minimum the row describes.
    let r = &all[all.len() - 1];
    let is = pelkit::io::read_configuration(
        &is_dir.join(format!("run{}_is{:05}.data", r.run, r.index)),
        None,
    )
    .unwrap();
    assert_eq!(is.natoms(), 200);

    // The map of the series: one JSON object, empty pixels reported as such.
    let m = ok_json(&[
        "ageing-map",
        &csv_s,
        "--bins-e",
        "-8.5:-7.0:6",
        "--bins-t",
        "0.3:0.5:2",
        "--json",
    ]);
    let pairs = m["unloaded"]["pairs"]["pairs"].as_u64().unwrap();
    let outside = m["unloaded"]["outside"].as_u64().unwrap();
    assert_eq!(pairs, 2 * 20);
    let counted: u64 = m["unloaded"]["pixels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted + outside, pairs);
    assert!(m["unloaded"]["empty"].as_u64().unwrap() >= 1);
}

#[test]
fn non_converged_quenches_are_flagged_and_bad_input_is_refused() {
    let dir = common::scratch("anneal_cli_bad");
    let q = glasses(&dir);
    let glass = q["samples"][0]["output"].as_str().unwrap().to_string();
    let csv = dir.join("flagged.csv");
    let csv_s = csv.to_str().unwrap().to_string();
    // maxiter 3: no quench can reach ftol 1e-12; the run still completes with every IS flagged.
    let j = ok_json(&anneal_args(
        &glass,
        &csv_s,
        &[
            "--time",
            "2",
            "--is-every",
            "1",
            "--min",
            "0 1e-12 3 30",
            "--json",
        ],
    ));
    assert_eq!(j["runs"][0]["not_converged"], 3);
    let rows = read_records(&csv).unwrap();
    assert!(rows
        .iter()
        .all(|r| !r.converged && r.stop == "max iterations"));
    let m = ok_json(&[
        "ageing-map",
        &csv_s,
        "--bins-e",
        "-9:-6:3",
        "--bins-t",
        "0:1:1",
        "--json",
    ]);
    assert_eq!(m["unloaded"]["pairs"]["skipped_unconverged"], 4);
    assert_eq!(m["unloaded"]["empty"], 3);

    let other = dir.join("other.csv");
    let other_s = other.to_str().unwrap().to_string();
    for (extra, expect) in [
        (
            vec!["--time", "2", "--is-every", "1", "--strain", "xx=0.1"],
            "xy, xz or yz",
        ),
        (
            vec!["--time", "2", "--is-every", "1", "--strain", "xy=big"],
            "not a number",
        ),
        (vec!["--time", "0", "--is-every", "1"], "must be > 0"),
        (
            vec!["--time", "1", "--is-every", "2"],
            "shorter than --is-every",
        ),
        (
            vec!["--time", "2", "--is-every", "0.0012"],
            "whole number of timesteps",
        ),
        (vec!["--time", "2ps", "--is-every", "1"], "metal units"),
        (
            vec!["--time", "2", "--is-every", "1", "--min", "0 1e-6"],
            "ETOL FTOL",
        ),
    ] {
        let out = pelkit(&anneal_args(&glass, &other_s, &extra));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(expect),
            "{extra:?}: {err}"
        );
    }
    // Resuming a CSV made at another temperature, or one that is not an anneal CSV.
    let mut extra = vec!["--time", "2", "--is-every", "1", "--resume"];
    let a = anneal_args(&glass, &csv_s, &extra);
    let a: Vec<&str> = a
        .iter()
        .map(|s| if *s == "0.4" { "0.5" } else { s })
        .collect();
    let out = pelkit(&a);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not --temp 0.5"));
    std::fs::write(&other, "time,T,E_IS\n0,1,2\n").unwrap();
    extra.push("--quiet");
    let out = pelkit(&anneal_args(&glass, &other_s, &extra));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("other.csv:1") && err.contains("header"),
        "{err}"
    );
    let out = pelkit(&[
        "ageing-map",
        &csv_s,
        "--bins-e",
        "-9:-6",
        "--bins-t",
        "0:1:1",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("LO:HI:N"));
}
