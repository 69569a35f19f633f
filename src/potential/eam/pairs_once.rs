//! The EAM kernels over lists that hold each pair once (LAMMPS' half-list `compute`): a density
//! pass, the embedding, and a force/energy/virial pass, each pair's maths done once and both
//! atoms updated. Deterministic: rows are cut into [`CHUNKS`] fixed ranges (depending only on
//! the atom count), each range accumulates into its own per-atom buffers, and the buffers are
//! summed in range order, so results do not depend on the number of threads.

use rayon::prelude::*;

use super::{Eam, LineKnot};
use crate::geometry::NeighborList;
use crate::potential::accumulate::{
    chunk_bounds, overlap_error, reduce_accumulators, tally_pair, Accumulator, PairRows, CHUNKS,
};
use crate::potential::evaluation::Evaluation;
use crate::potential::PotentialError;
use crate::system::System;

/// Row ranges of the kernels with the positions, 0-based types and image shifts they read.
struct Rows<'a> {
    pairs: &'a PairRows<'a>,
    x: &'a [[f64; 3]],
    types: &'a [usize],
    shifts: &'a [[f64; 3]],
}

/// One pair of the row being evaluated, inside the cutoff: partner, r_ab, |r_ab|, and where its
/// tables are read (knot `m`, fraction `p`).
#[derive(Clone, Copy, Default)]
struct Near {
    b: usize,
    del: [f64; 3],
    r: f64,
    m: usize,
    p: f64,
}

/// Ask the CPU to start loading the cache line of a table knot (a hint; no effect on results).
#[inline(always)]
fn prefetch(knot: Option<&LineKnot>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(k) = knot {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: SSE is part of the x86_64 baseline, and a prefetch of any address (here a
        // valid reference) never faults or changes memory.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((k as *const LineKnot).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = knot;
}

impl Rows<'_> {
    /// The pairs of row `a` closer than the cutoff into `near[..count]` (returned with whether
    /// some pair has r = 0 or a NaN distance, which the compaction would otherwise drop
    /// silently: both become errors). Branch-free: every candidate is written, the ones inside the
    /// cutoff kept (about a third of a list with a skin is outside, too many for a
    /// predictable branch). `r`, `m`, `p` are filled by [`Rows::lookups`].
    #[inline(always)]
    fn near_pairs(&self, eam: &Eam, a: usize, near: &mut Vec<Near>) -> (usize, bool) {
        let range = self.pairs.offsets[a]..self.pairs.offsets[a + 1];
        if near.len() < range.len() {
            near.resize(range.len(), Near::default());
        }
        let xa = self.x[a];
        let mut overlap = false;
        let mut count = 0usize;
        for (&b, &si) in self.pairs.neighbors[range.clone()]
            .iter()
            .zip(&self.pairs.shift_index[range])
        {
            let b = b as usize;
            let s = self.shifts[si as usize];
            let xb = self.x[b];
            let delx = xa[0] - (xb[0] + s[0]);
            let dely = xa[1] - (xb[1] + s[1]);
            let delz = xa[2] - (xb[2] + s[2]);
            let rsq = delx * delx + dely * dely + delz * delz;
            // count <= candidates seen < near.len().
            if let Some(slot) = near.get_mut(count) {
                slot.b = b;
                slot.del = [delx, dely, delz];
                slot.r = rsq;
            }
            let inside = rsq < eam.cutforcesq;
            overlap |= (rsq == 0.0) | rsq.is_nan();
            count += inside as usize;
        }
        (count, overlap)
    }

    /// Replace r² by r in `near` and do the table lookup, calling `prefetch_for` on each.
    #[inline(always)]
    fn lookups(eam: &Eam, near: &mut [Near], mut prefetch_for: impl FnMut(&Near)) {
        for q in near {
            q.r = q.r.sqrt();
            (q.m, q.p) = eam.r_lookup(q.r);
            prefetch_for(q);
        }
    }
}

impl Eam {
    /// ρ of every row (row order); `Err(())` when two atoms overlap.
    fn row_densities(&self, rows: &Rows, bounds: &[usize; CHUNKS + 1]) -> Result<Vec<f64>, ()> {
        let n = rows.x.len();
        let nt = self.ntypes;
        let knots = &self.r_knots;
        let partial: Vec<Result<Vec<f64>, ()>> = (0..CHUNKS)
            .into_par_iter()
            .map(|c| {
                let mut rho = vec![0.0; n];
                let mut overlap = false;
                let mut near = Vec::new();
                for a in bounds[c]..bounds[c + 1] {
                    let ta = rows.types[a];
                    let tables = &self.pair_knots[ta * nt..(ta + 1) * nt];
                    let (count, overlap_a) = rows.near_pairs(self, a, &mut near);
                    overlap |= overlap_a;
                    Rows::lookups(self, &mut near[..count], |q| {
                        let t = &tables[rows.types[q.b]];
                        prefetch(knots.get(t.rho_ba + q.m));
                        prefetch(knots.get(t.rho_ab + q.m));
                    });
                    let mut rho_a = 0.0;
                    for q in &near[..count] {
                        let t = &tables[rows.types[q.b]];
                        rho_a += knots[t.rho_ba + q.m].value(q.p);
                        rho[q.b] += knots[t.rho_ab + q.m].value(q.p);
                    }
                    rho[a] += rho_a;
                }
                if overlap {
                    Err(())
                } else {
                    Ok(rho)
                }
            })
            .collect();
        let partial = partial.into_iter().collect::<Result<Vec<_>, ()>>()?;
        let mut rho = vec![0.0; n];
        rho.par_iter_mut()
            .enumerate()
            .with_min_len(1024)
            .for_each(|(i, r)| *r = partial.iter().fold(0.0, |sum, part| sum + part[i]));
        Ok(rho)
    }

    /// Per-atom electron densities (caller's order) from a list holding each pair once.
    pub(super) fn densities_pairs_once(
        &self,
        sys: &System,
        list: &NeighborList,
        pairs: &PairRows,
    ) -> Result<Vec<f64>, PotentialError> {
        let shifts = list.shift_vectors(&sys.simbox);
        let (x, types) = pairs.atoms(sys);
        let rows = Rows {
            pairs,
            x: &x,
            types: &types,
            shifts: &shifts,
        };
        let rho = self
            .row_densities(&rows, &chunk_bounds(x.len()))
            .map_err(|()| overlap_error(sys, list))?;
        Ok(match pairs.rank() {
            None => rho,
            Some(rank) => rank.iter().map(|&r| rho[r as usize]).collect(),
        })
    }

    /// Energy, forces and virials from a list holding each pair once.
    pub(super) fn evaluate_pairs_once(
        &self,
        sys: &System,
        list: &NeighborList,
        pairs: &PairRows,
    ) -> Result<Evaluation, PotentialError> {
        let shifts = list.shift_vectors(&sys.simbox);
        let (x, types) = pairs.atoms(sys);
        let n = x.len();
        let rows = Rows {
            pairs,
            x: &x,
            types: &types,
            shifts: &shifts,
        };
        let bounds = chunk_bounds(n);
        let rho = self
            .row_densities(&rows, &bounds)
            .map_err(|()| overlap_error(sys, list))?;
        let (embedding, fp) = self.embed_all(&rho, |i| types[i], 1024);
        let nt = self.ntypes;
        let knots = &self.r_knots;
        // Per range, per atom [energy, force (3), virial (6)].
        let partial: Vec<Vec<Accumulator>> = (0..CHUNKS)
            .into_par_iter()
            .map(|c| {
                let mut acc = vec![[0.0; 10]; n];
                let mut near = Vec::new();
                for a in bounds[c]..bounds[c + 1] {
                    let ta = types[a];
                    let tables = &self.pair_knots[ta * nt..(ta + 1) * nt];
                    let fp_a = fp[a];
                    let (count, _) = rows.near_pairs(self, a, &mut near);
                    Rows::lookups(self, &mut near[..count], |q| {
                        let t = &tables[types[q.b]];
                        prefetch(knots.get(t.rho_ab + q.m));
                        prefetch(knots.get(t.rho_ba + q.m));
                        prefetch(knots.get(t.z2r + q.m));
                    });
                    let mut own = [0.0; 10];
                    for q in &near[..count] {
                        let t = &tables[types[q.b]];
                        let (m, p) = (q.m, q.p);
                        let rhoap = knots[t.rho_ab + m].deriv(p);
                        let rhobp = knots[t.rho_ba + m].deriv(p);
                        let cz = &knots[t.z2r + m];
                        let z2p = cz.deriv(p);
                        let z2 = cz.value(p);
                        let recip = 1.0 / q.r;
                        let phi = z2 * recip;
                        let phip = z2p * recip - phi * recip;
                        let psip = fp_a * rhobp + fp[q.b] * rhoap + phip;
                        let fpair = -psip * recip;
                        tally_pair(&mut own, &mut acc[q.b], q.del, phi, fpair);
                    }
                    for q in 0..10 {
                        acc[a][q] += own[q];
                    }
                }
                acc
            })
            .collect();
        reduce_accumulators(sys, &partial, embedding, pairs.rank().as_deref())
    }
}
