//! Exact identities of single-atom probes (seed 000 §4.4) and the locality of the kernel:
//! * pair potentials: dE_sys = 2·dE_atom on every probe, and at a minimum every atom is
//!   confined (Ω(dE_atom < 0) = 0) — a minimized Kob–Andersen glass;
//! * the B2 Cu–Zr crystal with the Mendelev EAM: Ω = 0 for every atom (seed Fig 6);
//! * the minimized Cu–Zr glass: dE_sys > 0 on every probe (a minimum), Ω reported;
//! * dE_sys and dE_atom equal pelkit's whole-system evaluation with the atom moved;
//! * one probe touches only the atom and its neighbours: the same atom in a 2×2×2 replica
//!   (8× the atoms) gives the same energies and the same touched set size.

mod common;

use common::crystal::{crystal, Lattice};
use common::glass::{self, Shape};
use pelkit::analysis::probe::per_atom::ScanOptions;
use pelkit::analysis::probe::{scan_atoms, Directions, LocalProbe, OmegaStats};
use pelkit::io::read_configuration;
use pelkit::potential::Potential;
use pelkit::{SimBox, System};

fn ka_potential(ntypes: usize) -> Potential {
    Potential::from_lammps_args(
        "lj/cut 2.5",
        &[
            "1 1 1.0 1.0 2.5".into(),
            "1 2 1.5 0.8 2.0".into(),
            "2 2 0.5 0.88 2.2".into(),
        ],
        &["shift yes".into()],
        ntypes,
    )
    .unwrap()
}

fn all_atoms(sys: &System) -> Vec<usize> {
    (0..sys.natoms()).collect()
}

/// `n`×`n`×`n` periodic copies of an orthogonal system (ids renumbered copy by copy).
fn replicate(sys: &System, n: usize) -> System {
    let l = sys.simbox.lengths();
    let lo = sys.simbox.lo;
    let hi = [
        lo[0] + n as f64 * l[0],
        lo[1] + n as f64 * l[1],
        lo[2] + n as f64 * l[2],
    ];
    let mut ids = Vec::new();
    let mut types = Vec::new();
    let mut pos = Vec::new();
    let natoms = sys.natoms() as u64;
    let mut copy = 0;
    for a in 0..n {
        for b in 0..n {
            for c in 0..n {
                for (k, p) in sys.positions.iter().enumerate() {
                    ids.push(copy * natoms + sys.ids[k]);
                    types.push(sys.types[k]);
                    pos.push([
                        p[0] + a as f64 * l[0],
                        p[1] + b as f64 * l[1],
                        p[2] + c as f64 * l[2],
                    ]);
                }
                copy += 1;
            }
        }
    }
    System::new(SimBox::orthogonal(lo, hi).unwrap(), ids, types, pos)
}

#[test]
fn kob_andersen_glass_pair_identity_and_no_negative_zone() {
    let lmp = require_lammps!();
    let dir = common::scratch("probe_identity_ka");
    let data = glass::kob_andersen(&lmp, &dir, 500, 99, Shape::Orthogonal, 4000);
    let sys = read_configuration(&data, None).unwrap();
    let pot = ka_potential(sys.ntypes);
    let drs = [0.002, 0.01, 0.03];
    let probe = LocalProbe::new(&sys, &pot, 0.03).unwrap();
    let dirs = Directions::grid(12, 24).unwrap();
    let opts = ScanOptions { with_system: true };
    let scan = scan_atoms(&probe, &all_atoms(&sys), &dirs, &drs, opts, &|_| {}).unwrap();
    for a in &scan.atoms {
        // 0.5·x is exact in binary, and both sums see the same terms: the identity must hold
        // to round-off of the final subtraction; 1e-12 relative is the bound.
        assert!(
            a.pair_identity.unwrap() <= 1e-12,
            "atom {}: {:?}",
            a.atom,
            a.pair_identity
        );
        assert!(
            a.omega.iter().all(|&o| o == 0.0),
            "atom {}: omega {:?}",
            a.atom,
            a.omega
        );
        assert!(a.de_sys_min.as_ref().unwrap().iter().all(|&e| e > 0.0));
    }
    assert!(scan.negative.iter().flatten().all(|&c| c == 0));
}

/// The Mendelev B2 lattice constant: minimum of the energy per atom over a (golden section).
fn b2_lattice_constant(pot: &Potential) -> f64 {
    let e = |a: f64| {
        let s = crystal(Lattice::B2, a, 4, [0; 3]);
        pot.evaluate_system(&s).unwrap().energy
    };
    let (mut lo, mut hi) = (3.0, 3.5);
    let g = 0.5 * (5f64.sqrt() - 1.0);
    for _ in 0..60 {
        let (x1, x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if e(x1) < e(x2) {
            hi = x2;
        } else {
            lo = x1;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn b2_cuzr_crystal_is_confined_everywhere() {
    let Some(file) = common::mendelev_cuzr() else {
        return;
    };
    let pot =
        Potential::from_lammps_args("eam/fs", &[format!("* * {} Cu Zr", file.display())], &[], 2)
            .unwrap();
    let a = b2_lattice_constant(&pot);
    eprintln!("Mendelev B2 CuZr lattice constant {a:.5} Å");
    let sys = crystal(Lattice::B2, a, 5, [0; 3]);
    let drs = [0.002, 0.01, 0.03];
    let probe = LocalProbe::new(&sys, &pot, 0.03).unwrap();
    let dirs = Directions::grid(12, 24).unwrap();
    let opts = ScanOptions { with_system: true };
    let scan = scan_atoms(&probe, &all_atoms(&sys), &dirs, &drs, opts, &|_| {}).unwrap();
    for s in &scan.atoms {
        assert!(
            s.omega.iter().all(|&o| o == 0.0),
            "atom {}: {:?}",
            s.atom,
            s.omega
        );
        assert!(s.de_atom_min.iter().all(|&e| e > 0.0));
        assert!(s.de_sys_min.as_ref().unwrap().iter().all(|&e| e > 0.0));
    }
}

#[test]
fn cuzr_glass_probes_match_whole_system_and_are_local() {
    let lmp = require_lammps!();
    let Some(file) = common::mendelev_cuzr() else {
        return;
    };
    let dir = common::scratch("probe_identity_cuzr");
    let data = glass::cuzr(&lmp, &dir, 500, 31, Shape::Orthogonal, 2000).unwrap();
    let sys = read_configuration(&data, None).unwrap();
    let pot =
        Potential::from_lammps_args("eam/fs", &[format!("* * {} Cu Zr", file.display())], &[], 2)
            .unwrap();
    let drs = [0.002, 0.01, 0.03];
    let probe = LocalProbe::new(&sys, &pot, 0.03).unwrap();
    let dirs = Directions::grid(12, 24).unwrap();
    let opts = ScanOptions { with_system: true };
    let scan = scan_atoms(&probe, &all_atoms(&sys), &dirs, &drs, opts, &|_| {}).unwrap();
    // A minimum: the total energy rises along every probe.
    for s in &scan.atoms {
        assert!(
            s.de_sys_min.as_ref().unwrap().iter().all(|&e| e > 0.0),
            "atom {}",
            s.atom
        );
    }
    let omega: Vec<f64> = scan.atoms.iter().map(|s| s.omega[1]).collect();
    let st = OmegaStats::of(&omega, 10);
    eprintln!(
        "Cu-Zr glass (500 atoms), dr 0.01 A, 12x24 grid: mean Omega/4pi {:.4}, median {:.4}, \
         atoms with Omega > 0: {:.3}",
        st.mean, st.median, st.fraction_nonzero
    );
    // Thread-count independence: the same scan on one thread is bit-identical.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let again =
        one.install(|| scan_atoms(&probe, &all_atoms(&sys), &dirs, &drs, opts, &|_| {}).unwrap());
    assert_eq!(again, scan);

    // Whole-system check: move the atom, evaluate everything, compare the differences. The
    // whole evaluation sums ~500 per-atom energies of ~5 eV (round-off ~1e-12 eV), hence 1e-9.
    let base = pot.evaluate_system(&sys).unwrap();
    for &i in &[0usize, 77, 250, 499] {
        let site = probe.site(i);
        let mut scratch = Vec::new();
        for v in &dirs.vectors[..5] {
            let d = [0.01 * v[0], 0.01 * v[1], 0.01 * v[2]];
            let p = probe.probe(&site, d, true, &mut scratch).unwrap();
            let mut moved = sys.clone();
            for (x, dx) in moved.positions[i].iter_mut().zip(d) {
                *x += dx;
            }
            let ev = pot.evaluate_system(&moved).unwrap();
            let de_sys = ev.energy - base.energy;
            let de_atom = ev.per_atom_energy[i] - base.per_atom_energy[i];
            assert!((p.de_sys - de_sys).abs() < 1e-9, "{} vs {de_sys}", p.de_sys);
            assert!(
                (p.de_atom - de_atom).abs() < 1e-9,
                "{} vs {de_atom}",
                p.de_atom
            );
            // Atoms whose energy changed in the whole evaluation are within the touched set.
            let changed = (0..sys.natoms())
                .filter(|&k| (ev.per_atom_energy[k] - base.per_atom_energy[k]).abs() > 0.0)
                .count();
            assert!(
                changed <= p.touched,
                "{changed} atoms changed, {} touched",
                p.touched
            );
        }
    }

    // Locality: 8× the atoms, the same neighbourhood, the same probe.
    let big = replicate(&sys, 2);
    let probe_big = LocalProbe::new(&big, &pot, 0.03).unwrap();
    for &i in &[0usize, 77, 250, 499] {
        let (s1, s8) = (probe.site(i), probe_big.site(i));
        let mut scratch = Vec::new();
        for v in &dirs.vectors[..20] {
            let d = [0.03 * v[0], 0.03 * v[1], 0.03 * v[2]];
            let p1 = probe.probe(&s1, d, true, &mut scratch).unwrap();
            let p8 = probe_big.probe(&s8, d, true, &mut scratch).unwrap();
            assert_eq!(p1.touched, p8.touched);
            assert!(p1.touched <= s1.neighbors.len() + 1);
            // ≤ the atoms within the cutoff + dr: ~80 at this density, far below N.
            assert!(p1.touched < 120, "touched {}", p1.touched);
            // Same pairs, distances from the same coordinates up to one box length of
            // round-off: 1e-12 eV.
            assert!((p1.de_atom - p8.de_atom).abs() < 1e-12);
            assert!((p1.de_sys - p8.de_sys).abs() < 1e-12);
        }
    }
}
