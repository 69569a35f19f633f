//! Exact identities and finite differences for every potential, no anchor needed:
//! forces = −∇E, virial = −∂E/∂ε (strain derivative, triclinic), the pair-potential identity
//! ΔE_sys = 2·ΔE_atom when one atom moves, independence of the thread count, typed errors.
mod common;
mod potential;

use pelkit::geometry::{ListKind, NeighborList};
use pelkit::potential::{Evaluation, Potential, PotentialError};
use pelkit::{SimBox, System};
use potential::{random_packing, strings};

fn ka() -> Potential {
    Potential::from_lammps_args(
        "lj/cut 2.5",
        &strings(&["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"]),
        &strings(&["shift yes"]),
        2,
    )
    .unwrap()
}

fn eam_fs(name: &str) -> Potential {
    let dir = common::scratch(name);
    let f = potential::write_setfl(&dir, true, 600, 0.05);
    Potential::from_lammps_args("eam/fs", &[format!("* * {} Aa Bb", f.display())], &[], 2).unwrap()
}

fn ka_glass() -> System {
    let l = (300.0f64 / 1.2).cbrt();
    let b = SimBox::triclinic([0.0; 3], [l; 3], [0.9, -0.6, 0.7]).unwrap();
    random_packing(b, 300, 0.8, 0.8, 3)
}

fn metal_glass() -> System {
    let l = (300.0f64 / 0.06).cbrt();
    let b = SimBox::triclinic([0.0; 3], [l; 3], [1.9, -1.6, 0.7]).unwrap();
    random_packing(b, 300, 2.2, 0.5, 4)
}

/// Central differences of the total energy vs the forces of a few atoms.
/// Error budget: O(h²·E''') ≈ 1e-10 relative plus round-off ε·|E|/h ≈ 1e-16·1e3/1e-5 = 1e-8
/// absolute; tolerance 1e-6 relative to the RMS force.
fn check_forces(pot: &Potential, sys: &System, h: f64) {
    let ev = pot.evaluate_system(sys).unwrap();
    let rms =
        (ev.forces.iter().flatten().map(|f| f * f).sum::<f64>() / (3 * sys.natoms()) as f64).sqrt();
    for i in [0, 7, 100, sys.natoms() - 1] {
        for d in 0..3 {
            let mut s = sys.clone();
            s.positions[i][d] += h;
            let ep = pot.evaluate_system(&s).unwrap().energy;
            s.positions[i][d] -= 2.0 * h;
            let em = pot.evaluate_system(&s).unwrap().energy;
            let fd = -(ep - em) / (2.0 * h);
            let err = (fd - ev.forces[i][d]).abs() / rms;
            assert!(
                err < 1e-6,
                "atom {i} dim {d}: fd {fd} vs {} ({err:e})",
                ev.forces[i][d]
            );
        }
    }
}

/// Apply an upper-triangular deformation gradient F to the box and the atoms (box stays in
/// LAMMPS' form).
fn deform(sys: &System, f: [[f64; 3]; 3]) -> System {
    let b = sys.simbox;
    let [a, bb, c] = b.edge_vectors();
    let mul = |v: [f64; 3]| -> [f64; 3] {
        std::array::from_fn(|r| f[r][0] * v[0] + f[r][1] * v[1] + f[r][2] * v[2])
    };
    let (na, nb, nc) = (mul(a), mul(bb), mul(c));
    let nbox = SimBox::triclinic(
        b.lo,
        [b.lo[0] + na[0], b.lo[1] + nb[1], b.lo[2] + nc[2]],
        [nb[0], nc[0], nc[1]],
    )
    .unwrap();
    let mut s = sys.clone();
    for p in s.positions.iter_mut() {
        let rel = [p[0] - b.lo[0], p[1] - b.lo[1], p[2] - b.lo[2]];
        let m = mul(rel);
        *p = [m[0] + b.lo[0], m[1] + b.lo[1], m[2] + b.lo[2]];
    }
    s.simbox = nbox;
    s
}

/// Virial W_ab = −∂E/∂ε_ab for the strains xx yy zz xy xz yz (as x_a += ε·x_b).
/// Same error budget as the forces; tolerance 1e-6 relative to the largest |W| component.
fn check_virial(pot: &Potential, sys: &System, h: f64) {
    let ev: Evaluation = pot.evaluate_system(sys).unwrap();
    let scale = ev.virial.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let comps = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)];
    for (c, &(a, b)) in comps.iter().enumerate() {
        let energy = |e: f64| {
            let mut f = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
            f[a][b] += e;
            pot.evaluate_system(&deform(sys, f)).unwrap().energy
        };
        let fd = -(energy(h) - energy(-h)) / (2.0 * h);
        let err = (fd - ev.virial[c]).abs() / scale;
        assert!(
            err < 1e-6,
            "virial {c}: fd {fd} vs {} ({err:e})",
            ev.virial[c]
        );
    }
}

#[test]
fn lj_forces_and_virial_are_energy_derivatives() {
    let (p, s) = (ka(), ka_glass());
    check_forces(&p, &s, 1e-6);
    check_virial(&p, &s, 1e-7);
}

#[test]
fn eam_forces_and_virial_are_energy_derivatives() {
    let (p, s) = (eam_fs("fd_eam"), metal_glass());
    check_forces(&p, &s, 1e-5);
    check_virial(&p, &s, 1e-6);
}

/// For a pair potential, moving atom k changes only the pairs (k, j); atom k gets half of each
/// pair energy, so ΔE_sys = 2·ΔE_k up to round-off (tolerance 1e-12 relative to |ΔE_sys| plus
/// 1e-14·|E| for the round-off of the total).
#[test]
fn pair_energy_split_identity() {
    let (p, s) = (ka(), ka_glass());
    let e0 = p.evaluate_system(&s).unwrap();
    for k in [3, 50, 299] {
        let mut m = s.clone();
        m.positions[k][0] += 0.013;
        m.positions[k][2] -= 0.007;
        let e1 = p.evaluate_system(&m).unwrap();
        let d_sys = e1.energy - e0.energy;
        let d_atom = e1.per_atom_energy[k] - e0.per_atom_energy[k];
        assert!(
            (d_sys - 2.0 * d_atom).abs() <= 1e-12 * d_sys.abs() + 1e-14 * e0.energy.abs(),
            "atom {k}: {d_sys} vs 2·{d_atom}"
        );
        assert!(d_sys.abs() > 1e-6, "the move must change the energy");
    }
}

/// Bitwise identical results on 1, 2 and 3 threads.
#[test]
fn results_do_not_depend_on_thread_count() {
    for (pot, sys) in [(ka(), ka_glass()), (eam_fs("threads_eam"), metal_glass())] {
        let run = |n: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| pot.evaluate_system(&sys).unwrap())
        };
        let one = run(1);
        for n in [2, 3] {
            let other = run(n);
            assert_eq!(one.energy.to_bits(), other.energy.to_bits());
            assert_eq!(one, other, "{n} threads");
        }
    }
}

#[test]
fn overlapping_atoms_and_bad_types_are_errors() {
    for pot in [ka(), eam_fs("overlap_eam")] {
        let mut s = metal_glass();
        if let Potential::LjCut(_) = pot {
            s = ka_glass();
        }
        s.positions[5] = s.positions[9];
        match pot.evaluate_system(&s) {
            Err(PotentialError::Overlap { id_i, id_j }) => {
                let mut ids = [id_i, id_j];
                ids.sort();
                assert_eq!(ids, [6, 10]);
            }
            other => panic!("expected overlap error, got {other:?}"),
        }
        let mut t = metal_glass();
        t.types[0] = 3;
        assert!(matches!(
            pot.evaluate_system(&t),
            Err(PotentialError::TypeOutOfRange {
                atom_id: 1,
                atom_type: 3,
                ntypes: 2
            })
        ));
        // A position that turns NaN after the list was built (Verlet reuse) is an error naming
        // the atom, for both list kinds, never a result with that atom's pairs left out.
        for kind in [ListKind::HalfBinned, ListKind::Full] {
            let list = NeighborList::build(
                &s0(&pot).simbox,
                &s0(&pot).positions,
                pot.cutoff(),
                0.5,
                kind,
            )
            .unwrap();
            let mut bad = s0(&pot);
            bad.positions[7][1] = f64::NAN;
            match pot.evaluate(&bad, &list) {
                Err(PotentialError::NonFinite { atom_id: 8 }) => {}
                other => panic!("{kind:?}: expected NonFinite for atom 8, got {other:?}"),
            }
        }
    }
}

/// The configuration of the error tests for `pot`.
fn s0(pot: &Potential) -> System {
    match pot {
        Potential::LjCut(_) => ka_glass(),
        _ => metal_glass(),
    }
}

#[test]
fn unknown_element_is_a_typed_error() {
    let dir = common::scratch("unknown_element");
    let f = potential::write_setfl(&dir, true, 100, 0.05);
    let e = Potential::from_lammps_args("eam/fs", &[format!("* * {} Aa Cc", f.display())], &[], 2)
        .unwrap_err();
    assert!(
        matches!(e, PotentialError::UnknownElement { ref element, .. } if element == "Cc"),
        "{e}"
    );
}

/// The half-list kernels (each pair's maths once, both atoms updated, per-range buffers) give
/// the same numbers as walking every full row (each pair computed from both sides, per-atom
/// sums in row order) — an independent evaluation of the same sums. Also in a box smaller than
/// twice the cutoff, where atoms see several images of each other and of themselves.
/// Tolerance: the two differ only in summation order and in which side computes r, i.e. by a
/// few ulps per term: 1e-11 relative to the largest magnitude of each quantity.
#[test]
fn half_list_kernels_match_full_row_kernels() {
    let small = {
        let b = SimBox::triclinic([0.0; 3], [4.1, 4.4, 4.7], [0.6, -0.4, 0.3]).unwrap();
        random_packing(b, 9, 1.2, 0.5, 7)
    };
    let small_metal = {
        let b = SimBox::triclinic([0.0; 3], [6.3, 6.6, 7.0], [0.6, -0.4, 0.3]).unwrap();
        random_packing(b, 14, 2.2, 0.5, 8)
    };
    let cases = [
        (ka(), ka_glass()),
        (ka(), small),
        (eam_fs("half_eam"), metal_glass()),
        (eam_fs("half_eam_small"), small_metal),
    ];
    for (pot, sys) in cases {
        let list = pelkit::geometry::NeighborList::build(
            &sys.simbox,
            &sys.positions,
            pot.cutoff(),
            0.0,
            pelkit::geometry::ListKind::Full,
        )
        .unwrap();
        assert!(list.pairs.is_some(), "full lists carry a pair index");
        let half = pot.evaluate(&sys, &list).unwrap();
        let mut rows_only = list.clone();
        rows_only.pairs = None;
        let full = pot.evaluate(&sys, &rows_only).unwrap();
        let close = |a: &[f64], b: &[f64], what: &str| {
            let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(scale > 0.0, "{what}: all zero");
            for (k, (x, y)) in a.iter().zip(b).enumerate() {
                assert!((x - y).abs() <= 1e-11 * scale, "{what}[{k}]: {x} vs {y}");
            }
        };
        close(&[half.energy], &[full.energy], "energy");
        close(&half.virial, &full.virial, "virial");
        close(&half.per_atom_energy, &full.per_atom_energy, "pe/atom");
        let flat3 = |v: &[[f64; 3]]| v.iter().flatten().copied().collect::<Vec<_>>();
        let flat6 = |v: &[[f64; 6]]| v.iter().flatten().copied().collect::<Vec<_>>();
        close(&flat3(&half.forces), &flat3(&full.forces), "forces");
        close(
            &flat6(&half.per_atom_virial),
            &flat6(&full.per_atom_virial),
            "virial/atom",
        );
        // The HalfBinned list: its own atom numbering and pair owners, mapped back.
        let binned_list = pelkit::geometry::NeighborList::build(
            &sys.simbox,
            &sys.positions,
            pot.cutoff(),
            0.0,
            pelkit::geometry::ListKind::HalfBinned,
        )
        .unwrap();
        let binned = pot.evaluate(&sys, &binned_list).unwrap();
        close(&[binned.energy], &[full.energy], "binned energy");
        close(&binned.virial, &full.virial, "binned virial");
        close(
            &binned.per_atom_energy,
            &full.per_atom_energy,
            "binned pe/atom",
        );
        close(
            &flat3(&binned.forces),
            &flat3(&full.forces),
            "binned forces",
        );
        close(
            &flat6(&binned.per_atom_virial),
            &flat6(&full.per_atom_virial),
            "binned virial/atom",
        );
        if let Potential::Eam(eam) = &pot {
            let rho_full = eam.densities(&sys, &list).unwrap();
            let rho_binned = eam.densities(&sys, &binned_list).unwrap();
            close(&rho_binned, &rho_full, "binned densities");
        }
    }
}

/// A system large enough for several parallel work units of the list build and of every
/// kernel range: HalfBinned results are bitwise the same on 1, 2 and 3 threads, and equal the
/// full-row evaluation to round-off (1e-11 of the largest magnitude, as above).
#[test]
fn half_binned_list_is_thread_independent_on_large_systems() {
    let big_ka = {
        let l = (6000.0f64 / 1.2).cbrt();
        let b = SimBox::triclinic([0.0; 3], [l; 3], [0.9, -0.6, 0.7]).unwrap();
        potential::fcc_like_packing(b, 6000, 4)
    };
    let big_metal = {
        let l = (6000.0f64 / 0.06).cbrt();
        let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
        potential::fcc_like_packing(b, 6000, 5)
    };
    for (pot, sys) in [(ka(), big_ka), (eam_fs("big_binned_eam"), big_metal)] {
        let run = |threads: usize, kind| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let list = pelkit::geometry::NeighborList::build(
                        &sys.simbox,
                        &sys.positions,
                        pot.cutoff(),
                        0.0,
                        kind,
                    )
                    .unwrap();
                    (list.len(), pot.evaluate(&sys, &list).unwrap())
                })
        };
        let (pairs, one) = run(1, pelkit::geometry::ListKind::HalfBinned);
        for threads in [2, 3] {
            let (p, other) = run(threads, pelkit::geometry::ListKind::HalfBinned);
            assert_eq!(p, pairs);
            assert_eq!(one, other, "{threads} threads");
        }
        let (full_entries, full) = run(2, pelkit::geometry::ListKind::Full);
        assert_eq!(full_entries, 2 * pairs, "each pair once vs twice");
        let scale = full.energy.abs();
        assert!((one.energy - full.energy).abs() <= 1e-11 * scale);
        let fmax = full
            .forces
            .iter()
            .flatten()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for (a, b) in one
            .forces
            .iter()
            .flatten()
            .zip(full.forces.iter().flatten())
        {
            assert!((a - b).abs() <= 1e-11 * fmax, "force {a} vs {b}");
        }
    }
}
