//! `pelkit art`, `pelkit neb` and `pelkit barriers` end to end on a vacancy in fcc Cu (Zhou EAM,
//! 255 atoms): the CSV energies equal an independent evaluation of the saved saddles, the NEB
//! through the saved end points gives the ART barrier, the strain table starts at ΔE_A = 0,
//! and bad input gives clear messages.

#[path = "../common/mod.rs"]
mod common;
use common::cli::run_text as pelkit;

use std::path::Path;

use common::crystal::{crystal, Lattice};
use pelkit::io::eam_file::write_setfl;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouElement, ZhouGrid};
use pelkit::potential::Potential;
use pelkit::System;

const POT: [&str; 4] = [
    "--pair-style",
    "eam/alloy",
    "--pair-coeff",
    "* * Cu.eam.alloy Cu",
];

fn setup(dir: &Path) -> (System, u64) {
    write_setfl(
        &dir.join("Cu.eam.alloy"),
        &zhou_setfl(&["Cu"], &ZhouGrid::default()).unwrap(),
    )
    .unwrap();
    let a = ZhouElement::get("Cu").unwrap().fcc_lattice_constant();
    let full = crystal(Lattice::Fcc, a, 4, [0; 3]);
    let n = full.natoms() - 1;
    let mut sys = System::new(
        full.simbox,
        (1..=n as u64).collect(),
        vec![1; n],
        full.positions[1..].to_vec(),
    );
    sys.masses = vec![Some(63.546)];
    pelkit::io::data::write_data(&dir.join("vac.data"), &sys).unwrap();
    // A nearest neighbour of the vacancy at the origin.
    let id = (0..n)
        .find(|&i| {
            let p = sys.positions[i];
            (p[0] - 0.5 * a).abs() < 1e-9 && (p[1] - 0.5 * a).abs() < 1e-9 && p[2].abs() < 1e-9
        })
        .unwrap() as u64
        + 1;
    (sys, id)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn art_neb_barriers_cli() {
    let dir = common::scratch("saddle_cli");
    let (_, id) = setup(&dir);
    let ids = format!("{id}");
    let mut args = vec!["art", "vac.data"];
    args.extend(POT);
    args.extend([
        "--events",
        "2",
        "--atoms",
        &ids,
        "--seed",
        "3",
        "--neb-images",
        "5",
        "--threads",
        "2",
        "-o",
        "ev.csv",
        "--save-dir",
        "ev",
        "--json",
        "--quiet",
    ]);
    let (ok, out, err) = pelkit(&dir, &args);
    assert!(ok, "{err}");
    let j = json(&out);
    assert_eq!(j["events"], 2);
    let found = j["found"].as_u64().unwrap();
    assert!(found >= 1, "{out}");
    // The CSV's saddle energy equals the library's energy of the saved saddle (written with 10
    // decimals: 1e-9 eV).
    let text = std::fs::read_to_string(dir.join("ev.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let row: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        // A connected event (the saddle relaxes back to the initial minimum on one side): only
        // then is the NEB between its two minima the same path as ART's, with the same barrier.
        .find(|r| r[col("status")] == "found" && r[col("connected")] == "1")
        .unwrap_or_else(|| panic!("no connected event in {text}"));
    let k = row[col("event")];
    // Joined: the other side's minimum is the start up to the same-state tolerances (0.1 Å in
    // configuration space after removing a rigid translation, 1e-3 eV).
    let back: Vec<f64> = ["back_distance", "back_de", "back_max_move"]
        .iter()
        .map(|c| row[col(c)].parse().unwrap())
        .collect();
    assert!(
        back[0] < 0.1 && back[1].abs() < 1e-3 && back[2] <= back[0],
        "{back:?}"
    );
    let saddle =
        pelkit::io::read_configuration(&dir.join(format!("ev/saddle_{k}.data")), None).unwrap();
    let pot = Potential::from_lammps_args(
        "eam/alloy",
        &[format!("* * {} Cu", dir.join("Cu.eam.alloy").display())],
        &[],
        1,
    )
    .unwrap();
    let e = pot.evaluate_system(&saddle).unwrap().energy;
    let e_csv: f64 = row[col("e_saddle")].parse().unwrap();
    assert!((e - e_csv).abs() < 1e-6, "{e} vs {e_csv}");
    // NEB through the saved end points: its barrier is the ART saddle's E_A up to the ART
    // convergence (|F| ≤ 0.01 eV/Å, |λ| ≈ 1 eV/Å²: |ΔE| ≲ F²/|λ| = 1e-4 eV) → 1e-3 eV.
    let fin = format!("ev/final_{k}.data");
    let mut args = vec!["neb", "ev/initial.data", &fin];
    args.extend(POT);
    args.extend([
        "--images", "5", "--ftol", "1e-4", "--json", "--plot", "mep.png", "--quiet",
    ]);
    let (ok, out, err) = pelkit(&dir, &args);
    assert!(ok, "{err}");
    let n = json(&out);
    let ea: f64 = row[col("e_a")].parse().unwrap();
    let b = n["barrier_forward"].as_f64().unwrap();
    assert!((b - ea).abs() < 1e-3, "NEB {b} vs ART {ea}");
    assert!(n["converged"].as_bool().unwrap());
    assert!(n["contour_length"].as_f64().unwrap() >= n["end_to_end"].as_f64().unwrap());
    let png = std::fs::read(dir.join("mep.png")).unwrap();
    assert_eq!(&png[..4], b"\x89PNG");
    // Re-rendering: γ = 0 is the reference (ΔE_A = 0 exactly), then a strained row.
    let mut args = vec!["neb", "--events-dir", "ev"];
    args.extend(POT);
    args.extend([
        "--images",
        "5",
        "--strains",
        "0.01",
        "-o",
        "strained.csv",
        "--quiet",
    ]);
    let (ok, _, err) = pelkit(&dir, &args);
    assert!(ok, "{err}");
    let st = std::fs::read_to_string(dir.join("strained.csv")).unwrap();
    let rows: Vec<Vec<&str>> = st.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * found as usize);
    // The connected event's rows (an unconnected event's linear band may diverge: the
    // safeguard then marks its rows not converged, with NaN, and the others go on).
    let ev: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == k).collect();
    assert_eq!(ev.len(), 2, "{st}");
    assert_eq!(ev[0][1].parse::<f64>().unwrap(), 0.0);
    assert_eq!(ev[0][3].parse::<f64>().unwrap(), 0.0);
    assert!(ev[1][2].parse::<f64>().unwrap().is_finite());
    // Barriers: distinct events of the table, a PNG.
    let (ok, out, err) = pelkit(
        &dir,
        &["barriers", "ev.csv", "--plot", "spec.png", "--json"],
    );
    assert!(ok, "{err}");
    let bj = json(&out);
    // Distinct found events to a new minimum (and, with `joined_only`, joined to the start).
    let count = |joined_only: bool| {
        text.lines()
            .skip(1)
            .filter(|l| {
                let r: Vec<&str> = l.split(',').collect();
                r[col("status")] == "found"
                    && r[col("same_as")] == "-1"
                    && r[col("final_is_initial")] == "0"
                    && (!joined_only || r[col("connected")] == "1")
            })
            .count()
    };
    let distinct = count(false);
    assert_eq!(bj["tables"][0]["distinct_events"], distinct);
    // --connected-only keeps the distinct events joined to the start.
    let (ok, out, err) = pelkit(&dir, &["barriers", "ev.csv", "--connected-only", "--json"]);
    assert!(ok, "{err}");
    let joined = count(true);
    assert!(joined >= 1);
    assert_eq!(json(&out)["tables"][0]["distinct_events"], joined);
    assert_eq!(
        &std::fs::read(dir.join("spec.png")).unwrap()[..4],
        b"\x89PNG"
    );
}

#[test]
fn neb_cli_bad_input() {
    let dir = common::scratch("saddle_cli_bad");
    let (sys, _) = setup(&dir);
    let mut args = vec!["neb", "vac.data", "vac.data"];
    args.extend(POT);
    let (ok, _, err) = pelkit(&dir, &args);
    assert!(!ok && err.contains("identical"), "{err}");
    let mut fewer = sys.clone();
    fewer.positions.pop();
    fewer.ids.pop();
    fewer.types.pop();
    fewer.images.pop();
    pelkit::io::data::write_data(&dir.join("fewer.data"), &fewer).unwrap();
    let mut args = vec!["neb", "vac.data", "fewer.data"];
    args.extend(POT);
    let (ok, _, err) = pelkit(&dir, &args);
    assert!(!ok && err.contains("255 atoms vs 254 atoms"), "{err}");
    let (ok, _, err) = pelkit(&dir, &["barriers", "vac.data"]);
    assert!(!ok && err.contains("no 'status' column"), "{err}");
}
