//! `pelkit demo` (the README's first command, run small): the glass it makes and the numbers it
//! reports agree with LAMMPS given the same data file and the generated potential file.
#[path = "../common/mod.rs"]
mod common;

#[test]
fn demo_outputs_agree_with_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("demo_cli");
    let out = common::cli::pelkit()
        .args([
            "demo",
            "--out",
            "demo",
            "--atoms",
            "250",
            "--melt-steps",
            "300",
            "--quench-steps",
            "700",
            "--quiet",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let demo = dir.join("demo");
    let report = std::fs::read_to_string(demo.join("report.md")).unwrap();
    assert!(report.contains("optimality certified: true"), "{report}");
    // LAMMPS evaluates the demo's glass with the demo's generated potential.
    lmp.run(
        &demo,
        "units metal\natom_style atomic\nread_data glass.data\n\
         pair_style eam/alloy\npair_coeff * * CuZr_zhou2004.eam.alloy Cu Zr\n\
         compute pe all pe/atom\ncompute s all stress/atom NULL virial\ncompute v all voronoi/atom\n\
         run 0\nwrite_dump all custom lmp.dump id c_pe c_v[1] c_s[1] c_s[4] \
         modify sort id format float %.17g\n",
    );
    let theirs = common::read_dump_table(&demo.join("lmp.dump"));
    let ours = common::read_dump_system(&demo.join("glass.dump"));
    let text = std::fs::read_to_string(demo.join("glass.dump")).unwrap();
    let cols: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("ITEM: ATOMS"))
        .unwrap()
        .split_whitespace()
        .skip(2)
        .collect();
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let table = common::read_dump_table(&demo.join("glass.dump"));
    assert_eq!(table.len(), theirs.len());
    let (cpe, cvol, csxx, csxy) = (col("pe"), col("volume"), col("sxx"), col("sxy"));
    let mut pe_scale = 0.0f64;
    for r in &theirs {
        pe_scale = pe_scale.max(r[1].abs());
    }
    for (mine, lmp_row) in table.iter().zip(&theirs) {
        assert_eq!(mine[0], lmp_row[0], "rows sorted by id");
        // Per-atom energy: the same potential file and positions, summation order differs (1e-12).
        assert!(common::rel_diff(mine[cpe], lmp_row[1], pe_scale) < 1e-12);
        // Voronoi volume against voro++ in LAMMPS (1e-10, as in tests/voronoi_lammps.rs).
        assert!(
            common::rel_diff(mine[cvol], lmp_row[2], 1.0) < 1e-10,
            "{} vs {}",
            mine[cvol],
            lmp_row[2]
        );
        // Atomic stress = stress/atom / volume, reported in GPa (1 bar = 1e-4 GPa); LAMMPS
        // stress/atom is −(pressure·volume) in bar·Å³ with the same sign as pelkit's σ·Ω.
        for (c, k) in [(csxx, 3), (csxy, 4)] {
            let expected = lmp_row[k] / lmp_row[2] * 1e-4;
            assert!(
                (mine[c] - expected).abs() < 1e-9 * expected.abs().max(1.0),
                "{} vs {}",
                mine[c],
                expected
            );
        }
    }
    assert_eq!(ours.natoms(), 250);
    // The quench made a glass, not a crystal: fcc/hcp ⟨0,12,0,0⟩ and bcc ⟨0,6,0,8⟩ Voronoi cells
    // (with the demo's 0.1 Å / 1 % thresholds) are rare, while the index distribution is broad.
    let (n3, n4, n5, n6) = (col("n3"), col("n4"), col("n5"), col("n6"));
    let idx: Vec<[i64; 4]> = table
        .iter()
        .map(|r| [r[n3] as i64, r[n4] as i64, r[n5] as i64, r[n6] as i64])
        .collect();
    let crystalline = idx
        .iter()
        .filter(|i| **i == [0, 12, 0, 0] || **i == [0, 6, 0, 8])
        .count();
    assert!(
        crystalline * 20 < idx.len(),
        "{crystalline} of {} atoms have crystalline cells",
        idx.len()
    );
    let distinct: std::collections::HashSet<_> = idx.iter().collect();
    assert!(
        distinct.len() > 30,
        "only {} distinct Voronoi indices",
        distinct.len()
    );
}
