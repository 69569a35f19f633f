//! `pelkit dmin` and `pelkit d2min` on files: JSON and per-atom dumps agree with the library on
//! the same LAMMPS-made configurations, the series pairs frames as documented, and bad input
//! (missing atoms, different type counts, different boxes) fails with a clear message.
#[path = "../common/mod.rs"]
mod common;
use common::cli::run_text as pelkit;

use std::path::Path;

use common::glass::{self, Shape};
use pelkit::analysis::d2min::{d2min, D2minOptions};
use pelkit::analysis::dmin::{is_dmin, DminOptions};
use pelkit::io::dump::write_dump_system;

/// A glass and two inherent structures after NVT at T = 0.8 and 1.2 (LJ units).
fn make_frames(lmp: &common::Lammps, dir: &Path) {
    glass::kob_andersen(lmp, dir, 400, 31, Shape::Triclinic(0.1, 0.0, -0.05), 2000);
    let mut script = String::from(
        "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\nmass * 1.0\n\
         pair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\n\
         pair_modify shift yes\nneighbor 0.3 bin\ntimestep 0.005\n",
    );
    for (k, t) in [0.8, 1.2].iter().enumerate() {
        script += &format!(
            "velocity all create {t} {} mom yes rot yes\nfix t all nvt temp {t} {t} 0.5\nrun 1000\n\
             unfix t\nminimize 0 1e-10 20000 200000\n\
             write_dump all custom is{k}.dump id type x y z ix iy iz modify sort id format float %.17g\n",
            50 + k
        );
    }
    lmp.run(dir, &script);
}

#[test]
fn dmin_cli_json_dump_and_series_match_the_library() {
    let lmp = require_lammps!();
    let dir = common::scratch("dmin_cli");
    make_frames(&lmp, &dir);
    let g = common::read_dump_system(&dir.join("glass.dump"));
    let s0 = common::read_dump_system(&dir.join("is0.dump"));
    let s1 = common::read_dump_system(&dir.join("is1.dump"));
    let lib = is_dmin(&g, &s1, &DminOptions::default()).unwrap();

    let (ok, out, err) = pelkit(
        &dir,
        &["dmin", "glass.dump", "is1.dump", "--json", "-o", "pa.dump"],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    // The CLI reads the same %.17g numbers: identical results, bit for bit.
    assert_eq!(v["dmin"].as_f64().unwrap(), lib.dmin);
    assert_eq!(v["rmsd"].as_f64().unwrap(), lib.rmsd);
    assert_eq!(v["natoms"].as_u64().unwrap(), 400);
    assert_eq!(v["reassigned"].as_u64().unwrap(), lib.reassigned as u64);
    assert_eq!(v["optimality_certified"], true);
    // Per-atom dump: sorted by id, partner ids and d2 summing to N·D_min².
    let table = common::read_dump_table(&dir.join("pa.dump"));
    assert_eq!(table.len(), 400);
    let mut sum = 0.0;
    for (k, row) in table.iter().enumerate() {
        assert_eq!(row[0] as u64, lib.ids[k]);
        assert_eq!(row[8] as u64, lib.partner_ids[k]);
        let d = [row[9], row[10], row[11]];
        assert!(common::rel_diff(row[12], d[0] * d[0] + d[1] * d[1] + d[2] * d[2], 1e-300) < 1e-15);
        sum += row[12];
    }
    assert!(common::rel_diff((sum / 400.0).sqrt(), lib.dmin, 1e-300) < 1e-13);

    // Series over a three-frame trajectory: each pair equals the library on that pair.
    let mut traj = String::new();
    for f in ["glass.dump", "is0.dump", "is1.dump"] {
        traj += &std::fs::read_to_string(dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("traj.dump"), traj).unwrap();
    let frames = [&g, &s0, &s1];
    for (flag, pairs) in [
        (vec!["--to-first"], vec![(0, 1), (0, 2)]),
        (vec![], vec![(0, 1), (1, 2)]),
        (vec!["--lag", "2"], vec![(0, 2)]),
    ] {
        let mut args = vec!["dmin", "--series", "traj.dump", "--json"];
        args.extend(flag.iter().copied());
        let (ok, out, err) = pelkit(&dir, &args);
        assert!(ok, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        let dmins = v["dmin"].as_array().unwrap();
        assert_eq!(dmins.len(), pairs.len());
        for (k, &(a, b)) in pairs.iter().enumerate() {
            assert_eq!(v["ref_frame"][k].as_u64().unwrap(), a as u64);
            assert_eq!(v["cur_frame"][k].as_u64().unwrap(), b as u64);
            let lib = is_dmin(frames[a], frames[b], &DminOptions::default()).unwrap();
            assert_eq!(dmins[k].as_f64().unwrap(), lib.dmin);
        }
    }

    // d2min: JSON summary and per-atom columns equal the library.
    let (ok, out, err) = pelkit(
        &dir,
        &[
            "d2min",
            "glass.dump",
            "is1.dump",
            "--cutoff",
            "1.5",
            "--json",
            "-o",
            "d2.dump",
        ],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let lib = d2min(
        &g,
        &s1,
        &D2minOptions {
            cutoff: 1.5,
            ..D2minOptions::default()
        },
    )
    .unwrap();
    assert_eq!(v["invalid"].as_u64().unwrap(), lib.invalid_count as u64);
    let table = common::read_dump_table(&dir.join("d2.dump"));
    for (k, row) in table.iter().enumerate() {
        assert_eq!(row[0] as u64, lib.ids[k]);
        assert_eq!(row[8], lib.d2min[k]);
        assert_eq!(row[9], lib.d2min_mean[k]);
        assert_eq!(row[10], lib.shear_strain[k]);
        assert_eq!(row[11], lib.volumetric_strain[k]);
    }
}

#[test]
fn dmin_bad_input_fails_with_a_clear_message() {
    let dir = common::scratch("dmin_cli_errors");
    let b = pelkit::SimBox::orthogonal([0.0; 3], [5.0; 3]).unwrap();
    let pos: Vec<[f64; 3]> = (0..20)
        .map(|i| [0.2 * i as f64, 0.1 * i as f64, 0.3])
        .collect();
    let a = pelkit::System::new(b, (1..=20).collect(), vec![1; 20], pos.clone());
    write_dump_system(&dir.join("a.dump"), &a, 0, &[]).unwrap();
    // One atom missing.
    let mut m = a.clone();
    m.ids[19] = 21;
    write_dump_system(&dir.join("missing.dump"), &m, 0, &[]).unwrap();
    // Different type counts.
    let mut t = a.clone();
    t.types[3] = 2;
    write_dump_system(&dir.join("types.dump"), &t, 0, &[]).unwrap();
    // Different box.
    let mut bx = a.clone();
    bx.simbox = pelkit::SimBox::orthogonal([0.0; 3], [5.0, 5.0, 5.5]).unwrap();
    write_dump_system(&dir.join("box.dump"), &bx, 0, &[]).unwrap();
    // Fewer atoms.
    let few = pelkit::System::new(b, (1..=19).collect(), vec![1; 19], pos[..19].to_vec());
    write_dump_system(&dir.join("few.dump"), &few, 0, &[]).unwrap();
    for (file, expect) in [
        (
            "missing.dump",
            "atom id 20 is in the reference configuration but missing from the current one",
        ),
        (
            "types.dump",
            "type 1 has 20 atoms in the reference but 19 in the current configuration",
        ),
        (
            "box.dump",
            "the boxes differ: zhi is 5 in the reference but 5.5 in the current",
        ),
        (
            "few.dump",
            "different numbers of atoms: reference 20, current 19",
        ),
    ] {
        let (ok, _, err) = pelkit(&dir, &["dmin", "a.dump", file, "--json"]);
        assert!(!ok, "{file} must fail");
        assert!(err.contains(expect), "{file}: {err}");
    }
    // With --all-types the type change is allowed and the pair is solved.
    let (ok, out, err) = pelkit(
        &dir,
        &["dmin", "a.dump", "types.dump", "--all-types", "--json"],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["dmin"].as_f64().unwrap(), 0.0);
    // d2min: a cutoff beyond half the box is refused.
    let (ok, _, err) = pelkit(&dir, &["d2min", "a.dump", "a.dump", "--cutoff", "3.0"]);
    assert!(
        !ok && err.contains("is not below half the smallest periodic width"),
        "{err}"
    );
}
