//! `pelkit probe` end to end on a Lennard-Jones fcc crystal (no anchor needed): the JSON shape
//! (summary and explicit probes, whose numbers equal the library's), the per-atom dump, the
//! figures, and every bad input of issue 11 (missing atom id, dr ≤ 0, dr ≥ half the nearest
//! neighbour distance, an unminimized input, a zero vector in the directions file).

#[path = "../common/mod.rs"]
mod common;
use common::cli::run as pelkit;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::crystal::{crystal, Lattice};
use pelkit::analysis::probe::LocalProbe;
use pelkit::io::data::write_data;
use pelkit::potential::Potential;

const LJ: [&str; 6] = [
    "--pair-style",
    "lj/cut 2.5",
    "--pair-coeff",
    "1 1 1.0 1.0 2.5",
    "--pair-modify",
    "shift yes",
];

/// fcc at the LJ zero-pressure-ish lattice constant 1.5496 (nearest neighbour 1.0957).
fn fcc(dir: &Path, jiggle: f64) -> PathBuf {
    let mut sys = crystal(Lattice::Fcc, 1.5496, 4, [0; 3]);
    for (k, p) in sys.positions.iter_mut().enumerate() {
        p[0] += jiggle * ((k * 7919 % 13) as f64 / 13.0 - 0.5);
    }
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(if jiggle > 0.0 { "hot.data" } else { "fcc.data" });
    write_data(&path, &sys).unwrap();
    path
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn json_dump_and_plots() {
    let dir = common::scratch("probe_cli_json");
    let data = fcc(&dir, 0.0);
    let dirs = dir.join("dirs.txt");
    std::fs::write(&dirs, "# two directions\n1 0 0\n0 3 4\n").unwrap();
    let d = data.to_str().unwrap();
    let mut args = vec!["probe", d];
    args.extend(LJ);
    args.extend([
        "--atom-ids",
        "1,17",
        "--directions",
        dirs.to_str().unwrap(),
        "--dr",
        "0.002,0.01",
        "--json",
    ]);
    let out = pelkit(&args);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let probes = v["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 2 * 2 * 2);
    // The numbers are the library's (same kernel, printed with full precision).
    let sys = pelkit::io::read_configuration(&data, None).unwrap();
    let pot = Potential::from_lammps_args(
        "lj/cut 2.5",
        &["1 1 1.0 1.0 2.5".into()],
        &["shift yes".into()],
        1,
    )
    .unwrap();
    let lib = LocalProbe::new(&sys, &pot, 0.01).unwrap();
    for p in probes {
        let i = lib.index_of(p["id"].as_u64().unwrap()).unwrap();
        let dr = p["dr"].as_f64().unwrap();
        let n: Vec<f64> = p["dir"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let e = lib
            .probe(
                &lib.site(i),
                [dr * n[0], dr * n[1], dr * n[2]],
                true,
                &mut vec![],
            )
            .unwrap();
        assert_eq!(p["dE_atom"].as_f64().unwrap(), e.de_atom);
        assert_eq!(p["dE_sys"].as_f64().unwrap(), e.de_sys);
        // A perfect crystal confines every atom; pair potential: dE_sys = 2 dE_atom.
        assert!(e.de_atom > 0.0 && e.de_sys == 2.0 * e.de_atom);
    }
    assert_eq!(v["atoms_probed"], 2);
    assert_eq!(v["directions"]["count"], 2);
    assert_eq!(v["summary"]["omega_mean"], 0.0);
    assert_eq!(v["per_dr"].as_array().unwrap().len(), 2);
    assert!(v["warnings"].as_array().unwrap().is_empty());

    // Whole sample with a grid: dump sorted by id, figures written.
    let dump = dir.join("p.dump");
    let (map, hist) = (dir.join("map.png"), dir.join("hist.svg"));
    let (curves, drmin) = (dir.join("curves.png"), dir.join("drmin.png"));
    let mut args = vec!["probe", d];
    args.extend(LJ);
    args.extend([
        "--all",
        "--grid",
        "6x12",
        "--dr",
        "0.002:0.02:4",
        "-o",
        dump.to_str().unwrap(),
        "--plot-map",
        map.to_str().unwrap(),
        "--plot-hist",
        hist.to_str().unwrap(),
        "--plot-curves",
        curves.to_str().unwrap(),
        "--plot-drmin",
        drmin.to_str().unwrap(),
        "--json",
    ]);
    let out = pelkit(&args);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["atoms_probed"], 256);
    assert_eq!(v["dr"].as_array().unwrap().len(), 4);
    assert!(v.get("probes").is_none());
    let rows = common::read_dump_table(&dump);
    assert_eq!(rows.len(), 256);
    let header = std::fs::read_to_string(&dump).unwrap();
    assert!(header.contains("ITEM: ATOMS id type omega dEatom_min dr_min"));
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(r[0], (k + 1) as f64);
        assert_eq!(r[2], 0.0);
        // Confined: the smallest dE_atom is at the smallest dr.
        assert!(r[3] > 0.0 && r[4] == 0.002);
    }
    for f in [&map, &curves, &drmin] {
        let bytes = std::fs::read(f).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"), "{}", f.display());
    }
    assert!(std::fs::read_to_string(&hist).unwrap().contains("<svg"));
}

#[test]
fn bad_inputs_are_clear_errors_or_warnings() {
    let dir = common::scratch("probe_cli_bad");
    let data = fcc(&dir, 0.0);
    let d = data.to_str().unwrap();
    let run = |extra: &[&str], file: &str| {
        let mut args = vec!["probe", file];
        args.extend(LJ);
        args.extend(extra);
        pelkit(&args)
    };
    // Missing atom id.
    let o = run(&["--atom-ids", "1,9999", "--dr", "0.01"], d);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("atom id 9999 is not in the configuration"),
        "{}",
        text(&o)
    );
    // dr <= 0.
    for bad in ["0", "-0.01"] {
        let o = run(&["--atom-ids", "1", &format!("--dr={bad}")], d);
        assert!(!o.status.success());
        assert!(text(&o).contains("positive"), "{}", text(&o));
    }
    // dr >= half the nearest-neighbour distance (1.0957): a warning, the run completes.
    let o = run(
        &["--atom-ids", "1", "--grid", "4x8", "--dr", "0.6", "--json"],
        d,
    );
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("warning: dr = 0.6") && t.contains("smallest neighbour distance"),
        "{t}"
    );
    // Unminimized input: a warning naming the max force.
    let hot = fcc(&dir, 0.05);
    let o = run(
        &["--atom-ids", "1", "--grid", "4x8", "--dr", "0.01"],
        hot.to_str().unwrap(),
    );
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("not minimized: max |F| ="), "{t}");
    // Zero vector in the directions file: error naming the file and line.
    let dirs = dir.join("dirs.txt");
    std::fs::write(&dirs, "1 0 0\n0 0 0\n").unwrap();
    let o = run(
        &[
            "--atom-ids",
            "1",
            "--directions",
            dirs.to_str().unwrap(),
            "--dr",
            "0.01",
        ],
        d,
    );
    assert!(!o.status.success());
    let t = text(&o);
    assert!(
        t.contains("dirs.txt line 2") && t.contains("zero vector"),
        "{t}"
    );
    // A malformed grid.
    let o = run(&["--atom-ids", "1", "--grid", "36by72", "--dr", "0.01"], d);
    assert!(!o.status.success());
    assert!(text(&o).contains("NTHETAxNPHI"), "{}", text(&o));
}
