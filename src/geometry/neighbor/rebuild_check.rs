//! The Verlet rebuild check of a [`NeighborList`]: whether a list built with a skin is still
//! complete for the current positions and box (atoms moved, box deformed by `fix deform`).

use rayon::prelude::*;

use super::NeighborList;
use crate::geometry::simbox::dot;
use crate::geometry::SimBox;

impl NeighborList {
    /// Verlet check: true when a pair that was beyond `cutoff + skin` (the list cutoff r_l) at
    /// build time may now be inside the interaction cutoff r_c = r_l − skin. In the build box
    /// that is when some atom moved more than half the skin. When the box changed (MD with
    /// `fix deform`), displacements δ_i are measured in the build box metric,
    /// δ_i = |H0·(s_i − s0_i)| (s = fractional coordinates, so an affine remap moves no atom), and
    /// the box strain ε = ‖(H − H0)·H0⁻¹‖_F shrinks distances by at most a factor 1 − ε: the
    /// list stays complete while max δ ≤ ½·(r_l − r_c/(1 − ε)) (LAMMPS' box-corner rule plays the
    /// same role). A list with zero skin is always rebuilt.
    pub fn needs_rebuild(&self, simbox: &SimBox, positions: &[[f64; 3]]) -> bool {
        if self.skin <= 0.0 || positions.len() != self.reference_positions.len() {
            return true;
        }
        if *simbox == self.reference_box {
            let limit = 0.25 * self.skin * self.skin;
            return self.any_moved_beyond(positions, limit, |p| p);
        }
        let r0 = &self.reference_box;
        if simbox.triclinic != r0.triclinic || simbox.periodic != r0.periodic {
            return true;
        }
        let strain = box_strain(r0, simbox);
        // NaN (a broken box) or a large strain: rebuild.
        if strain.is_nan() || strain >= 0.5 {
            return true;
        }
        let rc = self.cutoff - self.skin;
        let t = 0.5 * (self.cutoff - rc / (1.0 - strain));
        if t.is_nan() || t <= 0.0 {
            return true;
        }
        self.any_moved_beyond(positions, t * t, |p| {
            r0.to_cartesian(simbox.to_fractional(p))
        })
    }

    /// Whether some atom, its position mapped into the build box by `to_build_box`, lies more
    /// than √`limit_sq` from its build-time position (a NaN distance counts as moved).
    fn any_moved_beyond(
        &self,
        positions: &[[f64; 3]],
        limit_sq: f64,
        to_build_box: impl Fn([f64; 3]) -> [f64; 3] + Sync,
    ) -> bool {
        positions
            .par_iter()
            .zip(self.reference_positions.par_iter())
            .any(|(&p, q)| {
                let x = to_build_box(p);
                let d = [x[0] - q[0], x[1] - q[1], x[2] - q[2]];
                let r2 = dot(d, d);
                r2.is_nan() || r2 > limit_sq
            })
    }
}

/// Frobenius norm of (H − H0)·H0⁻¹ (H: edge vectors as columns, upper triangular), an upper
/// bound of the relative change of any vector's length when the box goes from `b0` to `b`.
#[allow(clippy::needless_range_loop)]
fn box_strain(b0: &SimBox, b: &SimBox) -> f64 {
    let (h0, h) = (b0.h(), b.h());
    // [xprd, yprd, zprd, yz, xz, xy] → upper-triangular matrices.
    let m = |h: [f64; 6]| [[h[0], h[5], h[4]], [0.0, h[1], h[3]], [0.0, 0.0, h[2]]];
    let hi = b0.h_inv();
    let inv = [
        [hi[0], hi[5], hi[4]],
        [0.0, hi[1], hi[3]],
        [0.0, 0.0, hi[2]],
    ];
    let (a, a0) = (m(h), m(h0));
    let mut sum = 0.0;
    for (row, row0) in a.iter().zip(&a0) {
        for col in 0..3 {
            let v: f64 = (0..3).map(|k| (row[k] - row0[k]) * inv[k][col]).sum();
            sum += v * v;
        }
    }
    sum.sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::ListKind;
    use super::*;

    #[test]
    fn skin_rebuild_check_triggers_past_half_skin() {
        let b = SimBox::orthogonal([0.0; 3], [10.0; 3]).unwrap();
        let x = vec![[1.0, 1.0, 1.0], [5.0, 5.0, 5.0]];
        let nl = NeighborList::build(&b, &x, 2.0, 0.4, ListKind::Half).unwrap();
        let mut y = x.clone();
        y[1][0] += 0.19;
        assert!(!nl.needs_rebuild(&b, &y));
        y[1][0] += 0.02;
        assert!(nl.needs_rebuild(&b, &y));
        // A 0.1 % box change keeps the list (allowance ½(2.4 − 2/0.999) ≈ 0.2 in the build
        // metric; tests/neighbor_box_change.rs checks completeness by brute force); a 30 %
        // change cannot (2.4·0.7 < 2).
        let b2 = SimBox::orthogonal([0.0; 3], [10.0, 10.0, 10.01]).unwrap();
        assert!(!nl.needs_rebuild(&b2, &x));
        let b3 = SimBox::orthogonal([0.0; 3], [10.0, 10.0, 13.0]).unwrap();
        assert!(nl.needs_rebuild(&b3, &x));
    }
}
