//! Neighbor lists against a brute-force search of all images (orthogonal, triclinic, atoms
//! outside the box, cutoffs beyond half the box) and the typed errors of bad input.

use super::*;
use crate::geometry::simbox::dot;

use crate::testing::Lcg;

/// O(N² × images) oracle: every (i, j, n) with |x_i − x_j − n·H| < rc.
fn brute(b: &SimBox, x: &[[f64; 3]], rc: f64, kind: ListKind) -> Vec<Vec<(u32, [i32; 3])>> {
    let w = b.perpendicular_widths();
    let m: Vec<i32> = (0..3).map(|d| (rc / w[d]).ceil() as i32 + 2).collect();
    let mut rows = vec![Vec::new(); x.len()];
    for i in 0..x.len() {
        for j in 0..x.len() {
            for a in -m[0]..=m[0] {
                for bb in -m[1]..=m[1] {
                    for c in -m[2]..=m[2] {
                        let n = [a, bb, c];
                        if i == j && n == [0, 0, 0] {
                            continue;
                        }
                        if kind == ListKind::Half && (j < i || (i == j && n < [0, 0, 0])) {
                            continue;
                        }
                        let s = b.image_shift(n);
                        let d = [
                            x[i][0] - x[j][0] - s[0],
                            x[i][1] - x[j][1] - s[1],
                            x[i][2] - x[j][2] - s[2],
                        ];
                        if dot(d, d) < rc * rc {
                            rows[i].push((j as u32, n));
                        }
                    }
                }
            }
        }
        rows[i].sort_unstable();
    }
    rows
}

fn check(b: SimBox, natoms: usize, rc: f64, outside: bool) {
    let mut seed = 99u64 + natoms as u64;
    let x: Vec<[f64; 3]> = (0..natoms)
        .map(|_| {
            let spread = if outside { 3.0 } else { 1.0 };
            let off = if outside { -1.0 } else { 0.0 };
            b.to_cartesian([
                Lcg::advance(&mut seed) * spread + off,
                Lcg::advance(&mut seed) * spread + off,
                Lcg::advance(&mut seed) * spread + off,
            ])
        })
        .collect();
    for kind in [ListKind::Half, ListKind::Full] {
        let nl = NeighborList::build(&b, &x, rc, 0.0, kind).unwrap();
        let oracle = brute(&b, &x, rc, kind);
        let mut total = 0;
        for (i, expected) in oracle.iter().enumerate().take(natoms) {
            let got: Vec<(u32, [i32; 3])> = nl
                .row(i)
                .map(|k| (nl.neighbors[k], nl.shifts[nl.shift_index[k] as usize]))
                .collect();
            assert_eq!(&got, expected, "row {i} kind {kind:?} rc {rc}");
            total += got.len();
            if let Some(p) = &nl.pairs {
                // Each full entry points at its pair, seen from the right side.
                for k in nl.row(i) {
                    let tag = p.full_to_pair[k];
                    let q = (tag & !PairIndex::MIRRORED) as usize;
                    let owner = p.offsets.partition_point(|&o| o <= q) - 1;
                    let n = nl.shifts[nl.shift_index[k] as usize];
                    let pn = nl.shifts[p.shift_index[q] as usize];
                    if tag & PairIndex::MIRRORED == 0 {
                        assert_eq!((owner, p.neighbors[q]), (i, nl.neighbors[k]));
                        assert_eq!(pn, n);
                    } else {
                        assert_eq!(
                            (owner, p.neighbors[q] as usize),
                            (nl.neighbors[k] as usize, i)
                        );
                        assert_eq!(pn, [-n[0], -n[1], -n[2]]);
                    }
                }
            }
        }
        assert!(total > 0);
    }
    // HalfBinned: map rows back to the caller's atoms, put each pair in the Half
    // convention (smaller index first; for self-images the positive shift), compare.
    let nl = NeighborList::build(&b, &x, rc, 0.0, ListKind::HalfBinned).unwrap();
    let order = nl.bin_order.as_ref().unwrap();
    let mut got = vec![Vec::new(); natoms];
    for r in 0..natoms {
        for k in nl.row(r) {
            let (i, j) = (order[r], order[nl.neighbors[k] as usize]);
            let n = nl.shifts[nl.shift_index[k] as usize];
            let neg = [-n[0], -n[1], -n[2]];
            if j < i || (i == j && n < [0, 0, 0]) {
                got[j as usize].push((i, neg));
            } else {
                got[i as usize].push((j, n));
            }
        }
    }
    let oracle = brute(&b, &x, rc, ListKind::Half);
    for (i, row) in got.iter_mut().enumerate() {
        row.sort_unstable();
        assert_eq!(*row, oracle[i], "HalfBinned row {i} rc {rc}");
    }
}

#[test]
fn orthogonal_large_box_matches_brute_force() {
    let b = SimBox::orthogonal([0.0; 3], [12.0, 13.0, 14.0]).unwrap();
    check(b, 300, 2.7, false);
}

#[test]
fn triclinic_large_box_matches_brute_force() {
    let b = SimBox::triclinic([-1.0, 0.5, 2.0], [11.0, 12.5, 14.0], [4.9, -3.7, 3.9]).unwrap();
    check(b, 300, 2.9, false);
}

#[test]
fn atoms_outside_the_box_keep_their_image_convention() {
    let b = SimBox::triclinic([0.0; 3], [10.0, 9.0, 11.0], [2.0, -1.0, 1.5]).unwrap();
    check(b, 150, 2.5, true);
}

#[test]
fn cutoff_larger_than_box_gives_multiple_images_and_self_images() {
    let b = SimBox::orthogonal([0.0; 3], [3.0, 3.5, 4.0]).unwrap();
    check(b, 12, 4.93, false);
    let t = SimBox::triclinic([0.0; 3], [3.0, 3.5, 4.0], [1.4, -1.9, 1.2]).unwrap();
    check(t, 12, 4.93, false);
    // A single atom sees only its own images.
    let nl = NeighborList::build(&b, &[[0.5, 0.5, 0.5]], 3.2, 0.0, ListKind::Full).unwrap();
    // Images within 3.2: (±1,0,0) at 3.0 only (y at 3.5, z at 4.0 are beyond).
    assert_eq!(nl.len(), 2);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let b = SimBox::orthogonal([0.0; 3], [10.0; 3]).unwrap();
    assert!(matches!(
        NeighborList::build(&b, &[[0.0; 3]], -1.0, 0.0, ListKind::Half),
        Err(NeighborError::BadCutoff(_))
    ));
    assert!(matches!(
        NeighborList::build(&b, &[[f64::NAN, 0.0, 0.0]], 1.0, 0.0, ListKind::Half),
        Err(NeighborError::NonFinitePosition { index: 0, .. })
    ));
}
