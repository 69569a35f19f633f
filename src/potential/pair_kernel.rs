//! The generic pairwise kernel all pair styles (`lj/cut`, `table`) share: a [`PairFunction`]
//! evaluated over a full list (each atom sums its own row) or a half-binned list (each pair
//! once, fixed row ranges), with LAMMPS' `ev_tally` conventions.

use rayon::prelude::*;

use crate::geometry::neighbor::separation;
use crate::geometry::NeighborList;
use crate::potential::accumulate::{
    chunk_bounds, finish, full_rows, overlap_error, reduce_accumulators, tally_pair, tally_virial,
    Accumulator, PairRows, CHUNKS,
};
use crate::potential::Evaluation;
use crate::potential::PotentialError;
use crate::system::System;

/// A pair style: energy and `fpair` (force on i = fpair·r_ij) of one pair, LAMMPS conventions.
pub(crate) trait PairFunction: Sync {
    /// Energy and fpair of a pair of types (0-based) at squared distance `rsq`, or `None`
    /// beyond the pair's cutoff.
    fn energy_fpair(&self, ti: usize, tj: usize, rsq: f64) -> Option<(f64, f64)>;
    /// The largest cutoff of any type pair (`energy_fpair` is `None` beyond it).
    fn max_cutoff(&self) -> f64;
}

/// Evaluate a pair style over a full list: each atom sums its own row, so threads write only
/// their own atoms and results are independent of the thread count.
pub(crate) fn evaluate_pairwise<P: PairFunction>(
    pair: &P,
    sys: &System,
    list: &NeighborList,
) -> Result<Evaluation, PotentialError> {
    if let Some(rows) = PairRows::of(list) {
        return evaluate_pairwise_half(pair, sys, list, &rows);
    }
    let shifts = list.shift_vectors(&sys.simbox);
    let overlap = std::sync::atomic::AtomicBool::new(false);
    let per_atom = full_rows(vec![0.0; sys.natoms()], 64, |i, _| {
        let xi = sys.positions[i];
        let ti = sys.types[i] as usize - 1;
        let (mut e, mut f, mut w) = (0.0, [0.0; 3], [0.0; 6]);
        for k in list.row(i) {
            let j = list.neighbors[k] as usize;
            let s = shifts[list.shift_index[k] as usize];
            let ([delx, dely, delz], rsq) = separation(xi, sys.positions[j], s);
            if rsq == 0.0 {
                overlap.store(true, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
            let tj = sys.types[j] as usize - 1;
            if let Some((evdwl, fpair)) = pair.energy_fpair(ti, tj, rsq) {
                f[0] += delx * fpair;
                f[1] += dely * fpair;
                f[2] += delz * fpair;
                e += 0.5 * evdwl;
                tally_virial(&mut w, delx, dely, delz, fpair);
            }
        }
        (e, f, w)
    });
    if overlap.into_inner() {
        return Err(overlap_error(sys, list));
    }
    let (per_atom_energy, forces, per_atom_virial) = per_atom;
    finish(sys, per_atom_energy, forces, per_atom_virial)
}

/// Half-list pairwise kernel as LAMMPS runs it (each pair once, both atoms updated), with
/// [`CHUNKS`] fixed row ranges accumulating into their own buffers, summed in range order.
fn evaluate_pairwise_half<P: PairFunction>(
    pair: &P,
    sys: &System,
    list: &NeighborList,
    pairs: &PairRows,
) -> Result<Evaluation, PotentialError> {
    let n = sys.natoms();
    let shifts = list.shift_vectors(&sys.simbox);
    let bounds = chunk_bounds(n);
    let (x, types) = pairs.atoms(sys);
    let cutsq = pair.max_cutoff() * pair.max_cutoff();
    let partial: Vec<(Vec<Accumulator>, bool)> = (0..CHUNKS)
        .into_par_iter()
        .map(|c| {
            let mut acc = vec![[0.0; 10]; n];
            let mut overlap = false;
            // Pairs of the current row inside the largest cutoff: (partner, r_ab, r²).
            let mut near: Vec<(usize, [f64; 3], f64)> = Vec::new();
            for a in bounds[c]..bounds[c + 1] {
                let xa = x[a];
                let ta = types[a];
                let range = pairs.offsets[a]..pairs.offsets[a + 1];
                if near.len() < range.len() {
                    near.resize(range.len(), (0, [0.0; 3], 0.0));
                }
                // Branch-free compaction (the inside/outside test is unpredictable): write
                // every candidate, keep the ones inside the cutoff; count <= candidates seen.
                let mut count = 0usize;
                for (&b, &si) in pairs.neighbors[range.clone()]
                    .iter()
                    .zip(&pairs.shift_index[range])
                {
                    let b = b as usize;
                    let s = shifts[si as usize];
                    let xb = x[b];
                    let delx = xa[0] - (xb[0] + s[0]);
                    let dely = xa[1] - (xb[1] + s[1]);
                    let delz = xa[2] - (xb[2] + s[2]);
                    let rsq = delx * delx + dely * dely + delz * delz;
                    if let Some(slot) = near.get_mut(count) {
                        *slot = (b, [delx, dely, delz], rsq);
                    }
                    // r = 0, or a NaN the compaction would drop silently: both are errors.
                    overlap |= (rsq == 0.0) | rsq.is_nan();
                    count += (rsq < cutsq) as usize;
                }
                let mut own = [0.0; 10];
                for &(b, del, rsq) in &near[..count] {
                    if let Some((evdwl, fpair)) = pair.energy_fpair(ta, types[b], rsq) {
                        tally_pair(&mut own, &mut acc[b], del, evdwl, fpair);
                    }
                }
                for q in 0..10 {
                    acc[a][q] += own[q];
                }
            }
            (acc, overlap)
        })
        .collect();
    if partial.iter().any(|(_, overlap)| *overlap) {
        return Err(overlap_error(sys, list));
    }
    let partial: Vec<Vec<Accumulator>> = partial.into_iter().map(|(acc, _)| acc).collect();
    reduce_accumulators(sys, &partial, vec![0.0; n], pairs.rank().as_deref())
}
