//! IS D_min from pelkit's sparse certified solver equals SciPy's `linear_sum_assignment` on the
//! dense minimum-image cost matrix (built with NumPy in the test run, 27 images checked so it is
//! exact in tilted cells), on LAMMPS-made inherent-structure pairs and adversarial cases.
//!
//! Tolerance 1e-12 relative on D_min: both sides sum the same N squared distances; the only
//! differences are the last bits of each distance (different operation order of the minimum
//! image), ~1e-16 relative each.
mod common;

use std::path::Path;

use common::glass::{self, Shape};
use pelkit::analysis::dmin::{is_dmin, DminOptions};
use pelkit::{SimBox, System};

const SCIPY_DENSE: &str = r#"
import numpy as np
from scipy.optimize import linear_sum_assignment
lines = open('pair.txt').read().split('\n')
lo = np.array([float(t) for t in lines[0].split()])
hi = np.array([float(t) for t in lines[1].split()])
xy, xz, yz = [float(t) for t in lines[2].split()]
all_types = int(lines[3])
data = np.array([[float(t) for t in l.split()] for l in lines[4:] if l.strip()])
typ = data[:, 1]; xr = data[:, 2:5]; xc = data[:, 5:8]
L = hi - lo
H = np.array([[L[0], xy, xz], [0, L[1], yz], [0, 0, L[2]]])   # columns: edge vectors a, b, c
Hinv = np.linalg.inv(H)
total = 0.0
classes = [None] if all_types else np.unique(typ)
for t in classes:
    sel = np.ones(len(typ), bool) if t is None else typ == t
    r = xr[sel]; c = xc[sel]
    d = c[None, :, :] - r[:, None, :]
    s = d @ Hinv.T
    s -= np.round(s)
    d = s @ H.T
    best = np.full(d.shape[:2], np.inf)
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            for k in (-1, 0, 1):
                e = d + a * H[:, 0] + b * H[:, 1] + k * H[:, 2]
                best = np.minimum(best, (e * e).sum(-1))
    row, col = linear_sum_assignment(best)
    total += best[row, col].sum()
print(repr(float(np.sqrt(total / len(typ)))))
"#;

/// SciPy's D_min for the pair (atoms paired by id).
fn scipy_dmin(python: &Path, dir: &Path, a: &System, b: &System, all_types: bool) -> f64 {
    let sb = a.simbox;
    let mut text = format!(
        "{:?} {:?} {:?}\n{:?} {:?} {:?}\n{:?} {:?} {:?}\n{}\n",
        sb.lo[0],
        sb.lo[1],
        sb.lo[2],
        sb.hi[0],
        sb.hi[1],
        sb.hi[2],
        sb.tilt[0],
        sb.tilt[1],
        sb.tilt[2],
        all_types as u8
    );
    let (oa, ob) = (a.order_by_id(), b.order_by_id());
    for (&i, &j) in oa.iter().zip(&ob) {
        assert_eq!(a.ids[i], b.ids[j]);
        let (x, y) = (a.positions[i], b.positions[j]);
        text += &format!(
            "{} {} {:?} {:?} {:?} {:?} {:?} {:?}\n",
            a.ids[i], a.types[i], x[0], x[1], x[2], y[0], y[1], y[2]
        );
    }
    std::fs::write(dir.join("pair.txt"), text).unwrap();
    common::run_python(python, dir, SCIPY_DENSE)
        .trim()
        .parse()
        .unwrap()
}

/// Compare pelkit and SciPy; returns pelkit's result for further checks.
fn compare(
    python: &Path,
    dir: &Path,
    a: &System,
    b: &System,
    all_types: bool,
) -> pelkit::analysis::dmin::DminResult {
    let opts = DminOptions {
        all_types,
        ..DminOptions::default()
    };
    let ours = is_dmin(a, b, &opts).unwrap();
    let reference = scipy_dmin(python, dir, a, b, all_types);
    assert!(ours.optimality_certified);
    let rel = common::rel_diff(ours.dmin, reference, 1e-300);
    assert!(
        rel < 1e-12,
        "pelkit D_min {} vs SciPy {} (rel {rel:e}), {} reassigned",
        ours.dmin,
        reference,
        ours.reassigned
    );
    // The per-atom minimal displacements add up to D_min (exact identity of the output).
    let s: f64 = ours
        .displacements
        .iter()
        .map(|d| d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
        .sum();
    assert!(common::rel_diff((s / ours.natoms as f64).sqrt(), ours.dmin, 1e-300) < 1e-14);
    // The partners form a permutation within each type.
    let mut p = ours.partner_ids.clone();
    p.sort_unstable();
    assert_eq!(p, ours.ids);
    ours
}

/// Inherent structures after NVT at several temperatures from one LAMMPS Kob–Andersen glass:
/// the hotter runs make many atoms swap places, which is what D_min must handle.
fn glass_is_pairs(name: &str, shape: Shape, n: usize, temperatures: &[f64]) {
    let lmp = require_lammps!();
    let python = require_python!();
    let dir = common::scratch(name);
    glass::kob_andersen(&lmp, &dir, n, 9177, shape, 3000);
    let reference = common::read_dump_system(&dir.join("glass.dump"));
    let mut max_reassigned = 0;
    for (k, &t) in temperatures.iter().enumerate() {
        let script = format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\n\
             mass * 1.0\npair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\n\
             pair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\nneighbor 0.3 bin\n\
             velocity all create {t} {} mom yes rot yes\ntimestep 0.005\n\
             fix t all nvt temp {t} {t} 0.5\nrun 1500\nunfix t\nminimize 0 1e-10 20000 200000\n\
             write_dump all custom is{k}.dump id type x y z ix iy iz modify sort id format float %.17g\n",
            1000 + k
        );
        lmp.run(&dir, &script);
        let current = common::read_dump_system(&dir.join(format!("is{k}.dump")));
        let r = compare(&python, &dir, &reference, &current, false);
        assert!(r.dmin <= r.rmsd * (1.0 + 1e-12));
        max_reassigned = max_reassigned.max(r.reassigned);
        // All types may swap too.
        let r_all = compare(&python, &dir, &reference, &current, true);
        assert!(r_all.dmin <= r.dmin * (1.0 + 1e-12));
    }
    assert!(
        max_reassigned > 50,
        "the hot runs should make many atoms swap (max {max_reassigned})"
    );
}

#[test]
fn dmin_matches_scipy_on_lammps_is_pairs_orthogonal() {
    glass_is_pairs(
        "dmin_is_ortho",
        Shape::Orthogonal,
        600,
        &[0.3, 0.6, 1.0, 2.0],
    );
}

#[test]
fn dmin_matches_scipy_on_lammps_is_pairs_triclinic() {
    glass_is_pairs(
        "dmin_is_tri",
        Shape::Triclinic(0.3, -0.2, 0.25),
        600,
        &[0.3, 0.6, 1.0, 2.0],
    );
}

/// 1500 atoms: the box is wide enough for the bin-grid candidate path for both types (smaller
/// tilted boxes fall back to all-pairs candidates for the minority type).
#[test]
fn dmin_matches_scipy_on_larger_triclinic_lammps_is_pairs() {
    glass_is_pairs(
        "dmin_is_tri_large",
        Shape::Triclinic(0.25, 0.1, -0.2),
        1500,
        &[1.5],
    );
}

use pelkit::testing::Lcg as Rng;

fn random_system(b: SimBox, n: usize, rng: &mut Rng) -> System {
    let pos = (0..n)
        .map(|_| b.to_cartesian([rng.uniform(), rng.uniform(), rng.uniform()]))
        .collect();
    System::new(
        b,
        (1..=n as u64).collect(),
        (0..n).map(|i| 1 + (i % 3 == 0) as u32).collect(),
        pos,
    )
}

/// Current = reference with atoms of each type permuted at random and jiggled, ids shuffled.
#[test]
fn dmin_matches_scipy_on_random_permutations() {
    let python = require_python!();
    let dir = common::scratch("dmin_random_perm");
    let mut rng = Rng(99);
    for b in [
        SimBox::orthogonal([0.0; 3], [9.0, 8.0, 10.0]).unwrap(),
        SimBox::triclinic([-1.0, 2.0, 0.0], [8.0, 10.0, 9.0], [4.0, -3.5, 3.0]).unwrap(),
    ] {
        let a = random_system(b, 500, &mut rng);
        let mut cur = a.clone();
        // Random swaps within a type: the labelled RMSD is large, D_min is the jiggle.
        for i in 0..a.natoms() {
            let j = (rng.uniform() * a.natoms() as f64) as usize % a.natoms();
            if a.types[i] == a.types[j] {
                cur.positions.swap(i, j);
            }
        }
        for x in cur.positions.iter_mut() {
            for v in x.iter_mut() {
                *v += 0.3 * (rng.uniform() - 0.5);
            }
        }
        let r = compare(&python, &dir, &a, &cur, false);
        assert!(r.reassigned > 200 && r.rmsd > 3.0 * r.dmin);
        compare(&python, &dir, &a, &cur, true);
        // Tiny initial radii: most rows start without their partner, so the stuck-search and
        // failed-certificate paths must grow radii until the proof holds, to the same optimum.
        let tiny = DminOptions {
            initial_candidates: 0.001,
            ..DminOptions::default()
        };
        let grown = is_dmin(&a, &cur, &tiny).unwrap();
        assert!(
            grown.growth_rounds > 0 && grown.optimality_certified,
            "{grown:?}"
        );
        assert!(common::rel_diff(grown.dmin, r.dmin, 1e-300) < 1e-12);
    }
}

/// Adversarial: a large uniform displacement (identity far from optimal, every atom reassigned),
/// atoms sitting on the box faces, and a crystal shifted by half a lattice vector (massive ties).
#[test]
fn dmin_matches_scipy_on_adversarial_cases() {
    let python = require_python!();
    let dir = common::scratch("dmin_adversarial");
    let mut rng = Rng(7);
    let tri = SimBox::triclinic([0.0; 3], [9.0, 9.5, 8.5], [3.0, -2.0, 2.5]).unwrap();
    let ortho = SimBox::orthogonal([0.0; 3], [9.0, 9.5, 8.5]).unwrap();
    for b in [ortho, tri] {
        // Large uniform displacement (0.37, 0.21, 0.45 of the box) plus noise.
        let a = random_system(b, 400, &mut rng);
        let mut cur = a.clone();
        let shift = b.to_cartesian([0.37, 0.21, 0.45]);
        for x in cur.positions.iter_mut() {
            for d in 0..3 {
                x[d] += shift[d] - b.lo[d] + 0.05 * (rng.uniform() - 0.5);
            }
        }
        compare(&python, &dir, &a, &cur, false);
        compare(&python, &dir, &a, &cur, true);

        // Atoms on the box faces, crossing them between the configurations.
        let mut face = a.clone();
        for (k, x) in face.positions.iter_mut().enumerate() {
            let mut s = b.to_fractional(*x);
            s[k % 3] = if k % 2 == 0 { 1e-12 } else { 1.0 - 1e-12 };
            *x = b.to_cartesian(s);
        }
        let mut cur = face.clone();
        for (k, x) in cur.positions.iter_mut().enumerate() {
            let mut s = b.to_fractional(*x);
            s[k % 3] = 1.0 - s[k % 3] + 0.01 * (rng.uniform() - 0.5);
            *x = b.to_cartesian(s);
        }
        compare(&python, &dir, &face, &cur, false);
    }
    // fcc crystal (4×4×4 cells) shifted by half a cubic lattice vector (every atom lands on an
    // octahedral hole, equidistant from six atoms: massive ties), then by (a/2, a/2, 0), a lattice
    // translation: every atom lands on another site, D_min = 0 exactly while RMSD = a/√2.
    let a0 = 1.6;
    let nc = 4;
    let b = SimBox::orthogonal([0.0; 3], [a0 * nc as f64; 3]).unwrap();
    let mut pos = Vec::new();
    for i in 0..nc {
        for j in 0..nc {
            for k in 0..nc {
                for off in pelkit::testing::FCC_BASIS {
                    pos.push([
                        (i as f64 + off[0]) * a0,
                        (j as f64 + off[1]) * a0,
                        (k as f64 + off[2]) * a0,
                    ]);
                }
            }
        }
    }
    let n = pos.len();
    let a = System::new(b, (1..=n as u64).collect(), vec![1; n], pos);
    let mut cur = a.clone();
    for x in cur.positions.iter_mut() {
        x[0] += 0.5 * a0;
    }
    let ties = compare(&python, &dir, &a, &cur, false);
    assert!(ties.reassigned > 0);
    for x in cur.positions.iter_mut() {
        x[1] += 0.5 * a0;
    }
    let exact = compare(&python, &dir, &a, &cur, false);
    // D_min of a lattice translation is 0 up to rounding of the shifted coordinates (~1e-15 a).
    assert!(exact.dmin < 1e-12 && exact.reassigned == n, "{exact:?}");
    for x in cur.positions.iter_mut() {
        for v in x.iter_mut() {
            *v += 0.02 * (rng.uniform() - 0.5);
        }
    }
    compare(&python, &dir, &a, &cur, false);
}
