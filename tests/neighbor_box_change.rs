//! The Verlet check under box deformation (oscillatory shear): after an affine tilt change plus
//! thermal-size displacements, a list that `needs_rebuild` keeps must still hold every pair
//! inside the interaction cutoff (brute-force minimum-image oracle), and a large change must
//! trigger a rebuild.
use pelkit::geometry::{ListKind, NeighborList};
use pelkit::SimBox;

use pelkit::testing::Lcg;

#[test]
fn kept_list_is_complete_after_tilt_change_and_displacements() {
    let l = 9.0;
    let b0 = SimBox::triclinic([0.0; 3], [l; 3], [0.3, 0.0, 0.0]).unwrap();
    let mut seed = 5u64;
    let n = 700;
    let x0: Vec<[f64; 3]> = (0..n)
        .map(|_| {
            b0.to_cartesian([
                Lcg::advance(&mut seed),
                Lcg::advance(&mut seed),
                Lcg::advance(&mut seed),
            ])
        })
        .collect();
    let (rc, skin) = (2.5, 0.3);
    let list = NeighborList::build(&b0, &x0, rc, skin, ListKind::Half).unwrap();
    let mut kept = 0;
    for dtilt in [0.002, 0.01, 0.03, -0.05, 0.2] {
        let b1 = SimBox::triclinic([0.0; 3], [l; 3], [0.3 + dtilt, 0.0, 0.0]).unwrap();
        // Affine remap, then displacements of up to 0.06 (below the allowance for small tilts).
        let x1: Vec<[f64; 3]> = x0
            .iter()
            .map(|x| {
                let y = b1.to_cartesian(b0.to_fractional(*x));
                [
                    y[0] + 0.06 * (Lcg::advance(&mut seed) - 0.5),
                    y[1] + 0.06 * (Lcg::advance(&mut seed) - 0.5),
                    y[2] + 0.06 * (Lcg::advance(&mut seed) - 0.5),
                ]
            })
            .collect();
        // Allowance ½(2.8 − 2.5/(1 − |Δxy|/9)) ≥ 0.12 > the largest displacement (0.052 + the
        // affine part, which the check removes): every one of these is kept.
        assert!(
            !list.needs_rebuild(&b1, &x1),
            "Δxy = {dtilt} forced a rebuild"
        );
        kept += 1;
        let shifts = list.shift_vectors(&b1);
        let mut listed = std::collections::HashSet::new();
        for i in 0..n {
            for e in list.row(i) {
                let j = list.neighbors[e] as usize;
                let s = shifts[list.shift_index[e] as usize];
                let d = [
                    x1[j][0] + s[0] - x1[i][0],
                    x1[j][1] + s[1] - x1[i][1],
                    x1[j][2] + s[2] - x1[i][2],
                ];
                if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < rc * rc {
                    listed.insert((i.min(j), i.max(j)));
                }
            }
        }
        // Oracle: every minimum-image pair within rc (rc < half the box width: one image each).
        for i in 0..n {
            for j in i + 1..n {
                let d = b1.minimum_image([
                    x1[j][0] - x1[i][0],
                    x1[j][1] - x1[i][1],
                    x1[j][2] - x1[i][2],
                ]);
                if d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < rc * rc {
                    assert!(
                        listed.contains(&(i, j)),
                        "pair {i}-{j} missing after Δxy = {dtilt}"
                    );
                }
            }
        }
    }
    assert_eq!(kept, 5);
    // Δxy = 1.5: strain 1/6 shrinks r_l = 2.8 below 2.5/(1 − 1/6) = 3.0: rebuild.
    let b2 = SimBox::triclinic([0.0; 3], [l; 3], [1.8, 0.0, 0.0]).unwrap();
    let x2: Vec<[f64; 3]> = x0
        .iter()
        .map(|x| b2.to_cartesian(b0.to_fractional(*x)))
        .collect();
    assert!(list.needs_rebuild(&b2, &x2));
    // Unchanged box: the old rule (half the skin in Cartesian displacement).
    let mut x3 = x0.clone();
    x3[7][0] += 0.149;
    assert!(!list.needs_rebuild(&b0, &x3));
    x3[7][0] += 0.002;
    assert!(list.needs_rebuild(&b0, &x3));
}
