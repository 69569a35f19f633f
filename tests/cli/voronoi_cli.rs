//! `pelkit voronoi` end to end: its dump equals LAMMPS `compute voronoi/atom` per atom, its JSON
//! summary equals the summary recomputed from its own dump, `--radius-column` equals `--radii`
//! for the same radii, and `--all-frames` analyses every frame.
#[path = "../common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::process::Command;

use common::glass::{self, Shape};

fn pelkit(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_pelkit"))
        .arg("voronoi")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn voronoi_command_matches_lammps_and_its_own_summary() {
    let lmp = require_lammps!();
    let dir = common::scratch("voronoi_cli");
    glass::kob_andersen(
        &lmp,
        &dir,
        500,
        77,
        Shape::Triclinic(0.1, 0.05, -0.08),
        1000,
    );
    // LAMMPS reference (ghost cutoff 4σ ≫ 2·R_max ≈ 1.6σ, see voronoi_lammps.rs), plus a
    // 3-frame dump (two MD steps apart) for --all-frames, with a per-type radius column.
    lmp.run(
        &dir,
        "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\n\
         pair_coeff * * 1.0 1.0\ncomm_modify cutoff 4.0\n\
         compute v all voronoi/atom\n\
         dump d all custom 1 ref.dump id c_v[1] c_v[2]\n\
         dump_modify d sort id format float %.17g\nrun 0\nundump d\n\
         variable r atom 0.5*(type==1)+0.44*(type==2)\n\
         fix n all nve\n\
         dump m all custom 2 frames.dump id type x y z v_r\n\
         dump_modify m sort id format float %.17g\nrun 4\n",
    );
    let json = pelkit(&dir, &["glass.dump", "-o", "ours.dump", "--json"]);
    let reference = common::read_dump_table(&dir.join("ref.dump"));
    let ours = common::read_dump_table(&dir.join("ours.dump"));
    assert_eq!(ours.len(), 500);
    // columns: id type x y z volume nfaces n3 n4 n5 n6 n7 … f5
    for (a, r) in ours.iter().zip(&reference) {
        assert_eq!(a[0], r[0]);
        // exact polyhedra both sides: 1e-10 relative
        assert!(common::rel_diff(a[5], r[1], 0.0) < 1e-10);
        // zero thresholds: coordination = all faces = LAMMPS' count; Σ nk = nfaces
        assert_eq!(a[6], r[2]);
        let n = &a[7..a.len() - 1];
        assert_eq!(n.iter().sum::<f64>(), a[6]);
        // f5 = n5 / Σ nk of the same row: the same integer ratio, printed round-trip (exact)
        assert_eq!(a[a.len() - 1], n[2] / a[6]);
    }
    // JSON vs the dump: total volume, top index fractions, icosahedral fraction per type.
    let total: f64 = ours.iter().map(|r| r[5]).sum();
    assert!(common::rel_diff(json["total_volume"].as_f64().unwrap(), total, 0.0) < 1e-12);
    let mut counts: HashMap<Vec<u64>, usize> = HashMap::new();
    for r in &ours {
        *counts
            .entry(r[7..11].iter().map(|&x| x as u64).collect())
            .or_default() += 1;
    }
    let top = json["top_indices"].as_array().unwrap();
    assert!(!top.is_empty() && top.len() <= 10);
    let mut last = usize::MAX;
    for t in top {
        let idx: Vec<u64> = t["index"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        let c = t["count"].as_u64().unwrap() as usize;
        assert_eq!(counts[&idx], c);
        assert!(c <= last, "not sorted by count");
        last = c;
        assert_eq!(t["fraction"].as_f64().unwrap(), c as f64 / 500.0);
    }
    assert!(counts
        .values()
        .all(|&c| c <= top[0]["count"].as_u64().unwrap() as usize));
    for ty in [1u64, 2] {
        let of_type: Vec<_> = ours.iter().filter(|r| r[1] as u64 == ty).collect();
        let ico = of_type
            .iter()
            .filter(|r| {
                r[7..11] == [0.0, 0.0, 12.0, 0.0] && r[11..r.len() - 1].iter().all(|&x| x == 0.0)
            })
            .count();
        let f = json["icosahedral_fraction_by_type"][ty.to_string()]
            .as_f64()
            .unwrap();
        assert_eq!(f, ico as f64 / of_type.len() as f64);
    }

    // --all-frames: 3 frames in, 3 out; --radius-column equals --radii on the last frame.
    let all = pelkit(
        &dir,
        &["frames.dump", "--all-frames", "-o", "all.dump", "--json"],
    );
    assert_eq!(all["frames"].as_array().unwrap().len(), 3);
    let text = std::fs::read_to_string(dir.join("all.dump")).unwrap();
    assert_eq!(text.matches("ITEM: TIMESTEP").count(), 3);
    pelkit(
        &dir,
        &[
            "frames.dump",
            "--radius-column",
            "v_r",
            "-o",
            "col.dump",
            "--json",
        ],
    );
    pelkit(
        &dir,
        &[
            "frames.dump",
            "--radii",
            "1:0.5,2:0.44",
            "-o",
            "typ.dump",
            "--json",
        ],
    );
    let (col, typ) = (
        common::read_dump_table(&dir.join("col.dump")),
        common::read_dump_table(&dir.join("typ.dump")),
    );
    // Same radii (the column holds 0.5/0.44 as printed by %.17g, parsed back exactly): identical.
    assert_eq!(col, typ);
}
