//! Per-pair and per-atom EAM terms for kernels that re-evaluate a few pairs at a time (the
//! single-atom probes of `analysis::probe`): the same table lookups and operation order as the
//! whole-system kernels, so a local energy difference matches LAMMPS to round-off.

use super::{Eam, PairKnots};

/// What one pair (i, j) at distance r contributes: the density at i due to j, the density at j
/// due to i, and the pair energy φ(r) (LAMMPS `z2r/r`, shared half and half in `pe/atom`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EamPairTerms {
    pub rho_at_i: f64,
    pub rho_at_j: f64,
    pub phi: f64,
}

impl Eam {
    /// Squared cutoff LAMMPS compares pair distances with (`cutforcesq`): pairs with
    /// `rsq >= cutoff_sq()` do not interact.
    pub fn cutoff_sq(&self) -> f64 {
        self.cutforcesq
    }

    /// Terms of a pair of 0-based types `(ti, tj)` at squared distance `rsq`, or `None` at or
    /// beyond the cutoff (as `PairEAM::compute`).
    #[inline]
    pub fn pair_terms(&self, ti: usize, tj: usize, rsq: f64) -> Option<EamPairTerms> {
        let (t, m, p, phi) = self.pair_segment(ti, tj, rsq)?;
        Some(EamPairTerms {
            rho_at_i: self.r_knots[t.rho_ba + m].value(p),
            rho_at_j: self.r_knots[t.rho_ab + m].value(p),
            phi,
        })
    }

    /// The density at i due to j and φ(r) only (what atom i's own energy needs), or `None` at
    /// or beyond the cutoff.
    #[inline]
    pub fn pair_terms_own(&self, ti: usize, tj: usize, rsq: f64) -> Option<(f64, f64)> {
        let (t, m, p, phi) = self.pair_segment(ti, tj, rsq)?;
        Some((self.r_knots[t.rho_ba + m].value(p), phi))
    }

    /// The pair's tables, spline segment `m` and fraction `p` at r = √rsq, and φ(r) = z2r/r;
    /// `None` at or beyond the cutoff.
    #[inline(always)]
    fn pair_segment(
        &self,
        ti: usize,
        tj: usize,
        rsq: f64,
    ) -> Option<(&PairKnots, usize, f64, f64)> {
        if rsq >= self.cutforcesq {
            return None;
        }
        let r = rsq.sqrt();
        let (m, p) = self.r_lookup(r);
        let t = &self.pair_knots[ti * self.ntypes + tj];
        let z2 = self.r_knots[t.z2r + m].value(p);
        let recip = 1.0 / r;
        Some((t, m, p, z2 * recip))
    }

    /// Embedding energy F(ρ) of 0-based type `t`, with LAMMPS' linear extrapolation above
    /// `rhomax`.
    #[inline]
    pub fn embedding_energy(&self, t: usize, rho: f64) -> f64 {
        self.embed(t, rho).0
    }
}
