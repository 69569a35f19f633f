//! `pelkit cyclic`: the JSON and CSV hold the library's numbers for the same input (bit for bit
//! through the shortest round-trip float text), `--resume` runs only the missing points, several
//! inputs give mean ± standard error, plots are written, and bad input is refused or warned about.
#[path = "../common/mod.rs"]
mod common;
use common::cli::KA_ARGS as KA;

use pelkit::units::Units;
use std::path::{Path, PathBuf};
use std::process::Output;

use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::potential::Potential;
use pelkit::protocol::cyclic::{run_point, CyclicSettings, InitialState, ShearComponent};
use pelkit::{SimBox, System};

fn ka_potential() -> Potential {
    Potential::from_lammps_args(
        "lj/cut 2.5",
        &[KA[3].into(), KA[5].into(), KA[7].into()],
        &["shift yes".into()],
        2,
    )
    .unwrap()
}

/// A 250-atom Kob–Andersen inherent structure written as a data file.
fn ka_minimum(dir: &Path, seed: u64) -> PathBuf {
    let l = (250.0f64 / 1.2).cbrt();
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    let mut sys: System =
        pelkit::engine::quench::random_start(b, &[200, 50], &[1.0, 1.0], 0.7, seed).unwrap();
    let mut p = PotentialProvider::new(ka_potential(), 0.3).unwrap();
    let s = MinimizeSettings::new(0.0, 1e-10, 100_000, 1_000_000, true);
    minimize_cg(&mut sys, &mut p, &s).unwrap();
    let path = dir.join(format!("ka{seed}.data"));
    pelkit::io::data::write_data(&path, &sys).unwrap();
    path
}

fn pelkit(args: &[&str]) -> Output {
    common::cli::pelkit()
        .arg("cyclic")
        .args(args)
        .args(KA)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(text.trim().lines().count(), 1, "one JSON object: {text}");
    serde_json::from_str(&text).unwrap()
}

fn csv_rows(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().skip(1).map(String::from).collect()
}

#[test]
fn cli_matches_library_and_resumes() {
    let dir = common::scratch("cyclic_cli");
    let data = ka_minimum(&dir, 21);
    let csv = dir.join("c.csv");
    let states = dir.join("states");
    let (png, svg) = (dir.join("d.png"), dir.join("h.svg"));
    let out = pelkit(&[
        data.to_str().unwrap(),
        "--gamma",
        "1e-2,1e-4",
        "-o",
        csv.to_str().unwrap(),
        "--save-states",
        states.to_str().unwrap(),
        "--plot",
        png.to_str().unwrap(),
        "--plot-hist",
        svg.to_str().unwrap(),
        "--json",
    ]);
    let j = json(&out);
    assert_eq!(j["points"], 2);
    assert_eq!(j["failed_points"], 0);
    assert_eq!(csv_rows(&csv).len(), 2);
    assert!(std::fs::metadata(&png).unwrap().len() > 1000);
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    assert!(states.join("sample0_gamma1e-2.data").exists());
    // The library on the same file gives the same δ, FWHM and ΔE bit for bit.
    let mut sys = pelkit::io::read_configuration(&data, None).unwrap();
    sys.masses = vec![Some(1.0); 2];
    let pot = ka_potential();
    let settings = CyclicSettings::new(Units::Lj, ShearComponent::Xy, 1e-10);
    let initial = InitialState::new(sys, &pot, &settings).unwrap();
    let points = j["samples"][0]["points"].as_array().unwrap();
    assert_eq!(points[0]["gamma"], 1e-4);
    for p in points {
        let g = p["gamma"].as_f64().unwrap();
        let o = run_point(&initial, &pot, g, &settings).outcome.unwrap();
        assert_eq!(p["delta"].as_f64().unwrap().to_bits(), o.delta.to_bits());
        assert_eq!(p["fwhm"].as_f64().unwrap().to_bits(), o.fwhm.to_bits());
        assert_eq!(
            p["delta_energy"].as_f64().unwrap().to_bits(),
            o.delta_energy.to_bits()
        );
        assert_eq!(p["theta"], o.theta);
    }
    // The saved final state is the library's final state.
    let saved =
        pelkit::io::read_configuration(&states.join("sample0_gamma1e-2.data"), None).unwrap();
    let mut s2 = settings.clone();
    s2.keep_final_state = true;
    let fin = run_point(&initial, &pot, 1e-2, &s2)
        .outcome
        .unwrap()
        .final_state
        .unwrap();
    assert_eq!(saved.positions, fin.positions);

    // Resume: only 1e-3 is new; the two old rows stay as they were.
    let before = csv_rows(&csv);
    let out = pelkit(&[
        data.to_str().unwrap(),
        "--gamma",
        "1e-4:1e-2:3",
        "-o",
        csv.to_str().unwrap(),
        "--resume",
        "--json",
    ]);
    let j = json(&out);
    let after = csv_rows(&csv);
    assert_eq!(after.len(), 3);
    assert_eq!(&after[..2], &before[..]);
    assert!(after[2].starts_with("0,"), "{}", after[2]);
    assert_eq!(j["points"], 3);
    assert_eq!(j["summary"].as_array().unwrap().len(), 3);
}

#[test]
fn two_samples_give_mean_and_standard_error() {
    let dir = common::scratch("cyclic_cli_samples");
    let a = ka_minimum(&dir, 31);
    let b = ka_minimum(&dir, 32);
    let j = json(&pelkit(&[
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--gamma",
        "1e-3",
        "--json",
        "--no-is-dmin",
    ]));
    let d: Vec<f64> = (0..2)
        .map(|k| j["samples"][k]["points"][0]["delta"].as_f64().unwrap())
        .collect();
    let s = &j["summary"][0];
    assert_eq!(s["samples"], 2);
    // Oracle: mean and s/√n of two numbers = |a − b|/2.
    let mean = (d[0] + d[1]) / 2.0;
    assert!((s["delta_mean"].as_f64().unwrap() - mean).abs() <= 1e-15 * mean);
    let sem = (d[0] - d[1]).abs() / 2.0;
    assert!((s["delta_sem"].as_f64().unwrap() - sem).abs() <= 1e-12 * mean);
}

#[test]
fn bad_input_is_refused_or_warned_about() {
    let dir = common::scratch("cyclic_cli_bad");
    let data = ka_minimum(&dir, 41);
    for g in ["0", "-1e-3", "1e-3:0:4"] {
        let out = pelkit(&[data.to_str().unwrap(), "--gamma", g]);
        assert!(!out.status.success(), "--gamma {g} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("> 0"), "--gamma {g}: {err}");
    }
    // A start that is not a minimum: a warning naming the largest force, the run still goes on.
    let mut sys = pelkit::io::read_configuration(&data, None).unwrap();
    sys.positions[0][0] += 0.05;
    let moved = dir.join("moved.data");
    pelkit::io::data::write_data(&moved, &sys).unwrap();
    let out = pelkit(&[moved.to_str().unwrap(), "--gamma", "1e-3", "--no-is-dmin"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not a minimum") && err.contains("largest atomic force"),
        "{err}"
    );
}
