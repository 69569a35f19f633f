//! What every kernel (pair and EAM) shares: input checks, the walk over each pair once
//! ([`PairRows`]), per-atom accumulators in fixed row ranges summed in a fixed order (results
//! independent of the thread count), `ev_tally`-style tallies and the final sums and checks.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::geometry::neighbor::{separation, PairIndex};
use crate::geometry::{ListKind, NeighborList};
use crate::potential::Evaluation;
use crate::potential::PotentialError;
use crate::system::System;

/// Check the system against a list and a number of types before any kernel runs.
pub(crate) fn check_inputs(
    sys: &System,
    list: &NeighborList,
    ntypes: usize,
    cutoff: f64,
) -> Result<(), PotentialError> {
    if list.natoms() != sys.natoms() {
        return Err(PotentialError::ListMismatch {
            list_atoms: list.natoms(),
            system_atoms: sys.natoms(),
        });
    }
    if list.kind == ListKind::Half {
        return Err(PotentialError::NeedFullList);
    }
    if list.cutoff < cutoff {
        return Err(PotentialError::ListTooShort {
            list_cutoff: list.cutoff,
            cutoff,
        });
    }
    if let Some((i, &t)) = sys
        .types
        .iter()
        .enumerate()
        .find(|(_, &t)| t == 0 || t as usize > ntypes)
    {
        return Err(PotentialError::TypeOutOfRange {
            atom_id: sys.ids.get(i).copied().unwrap_or(0),
            atom_type: t,
            ntypes,
        });
    }
    Ok(())
}

/// Sum per-atom results into totals and reject non-finite numbers.
pub(crate) fn finish(
    sys: &System,
    per_atom_energy: Vec<f64>,
    forces: Vec<[f64; 3]>,
    per_atom_virial: Vec<[f64; 6]>,
) -> Result<Evaluation, PotentialError> {
    let mut energy = 0.0;
    let mut virial = [0.0; 6];
    for (i, (e, w)) in per_atom_energy.iter().zip(&per_atom_virial).enumerate() {
        energy += e;
        for c in 0..6 {
            virial[c] += w[c];
        }
        let f = forces[i];
        if !(e.is_finite() && f.iter().chain(w.iter()).all(|v| v.is_finite())) {
            return Err(PotentialError::NonFinite {
                atom_id: sys.ids.get(i).copied().unwrap_or(0),
            });
        }
    }
    Ok(Evaluation {
        energy,
        per_atom_energy,
        forces,
        per_atom_virial,
        virial,
    })
}

/// Per-atom energies, forces and virials, atom by atom: `row(i, energy[i])` = (energy, force,
/// virial) of atom i, in parallel chunks of at least `min_len` atoms (the full-row kernels and
/// the reduction of the half-list accumulators).
pub(crate) fn full_rows<F>(mut energy: Vec<f64>, min_len: usize, row: F) -> PerAtom
where
    F: Fn(usize, f64) -> (f64, [f64; 3], [f64; 6]) + Sync,
{
    let n = energy.len();
    let mut forces = vec![[0.0; 3]; n];
    let mut per_atom_virial = vec![[0.0; 6]; n];
    energy
        .par_iter_mut()
        .zip(forces.par_iter_mut())
        .zip(per_atom_virial.par_iter_mut())
        .enumerate()
        .with_min_len(min_len)
        .for_each(|(i, ((e_i, f_i), w_i))| (*e_i, *f_i, *w_i) = row(i, *e_i));
    (energy, forces, per_atom_virial)
}

/// Per-atom energies, forces and virials.
pub(crate) type PerAtom = (Vec<f64>, Vec<[f64; 3]>, Vec<[f64; 6]>);

/// Find the first overlapping pair (r = 0) or atom with a non-finite distance, for an error.
pub(crate) fn overlap_error(sys: &System, list: &NeighborList) -> PotentialError {
    let shifts = list.shift_vectors(&sys.simbox);
    let atom = |r: usize| list.bin_order.as_ref().map_or(r, |o| o[r] as usize);
    for r in 0..sys.natoms() {
        for k in list.row(r) {
            let (i, j) = (atom(r), atom(list.neighbors[k] as usize));
            let s = shifts[list.shift_index[k] as usize];
            let (xi, xj) = (sys.positions[i], sys.positions[j]);
            let (_, rsq) = separation(xi, xj, s);
            if rsq == 0.0 {
                return PotentialError::Overlap {
                    id_i: sys.ids[i],
                    id_j: sys.ids[j],
                };
            }
            if rsq.is_nan() {
                let bad = if xi.iter().all(|v| v.is_finite()) {
                    j
                } else {
                    i
                };
                return PotentialError::NonFinite {
                    atom_id: sys.ids[bad],
                };
            }
        }
    }
    PotentialError::NonFinite { atom_id: 0 }
}

/// The pairs a half-list kernel walks (each pair once, in the row of its first atom) and how
/// the rows are numbered.
pub(crate) struct PairRows<'a> {
    pub offsets: &'a [usize],
    pub neighbors: &'a [u32],
    pub shift_index: &'a [u32],
    /// Row `r` is the caller's atom `order[r]`; `None`: rows are the caller's atoms.
    pub order: Option<&'a [u32]>,
}

impl<'a> PairRows<'a> {
    /// Each pair once: a [`ListKind::HalfBinned`] list, or the pair index of a full list.
    pub fn of(list: &'a NeighborList) -> Option<Self> {
        if list.kind == ListKind::HalfBinned {
            return Some(PairRows {
                offsets: &list.offsets,
                neighbors: &list.neighbors,
                shift_index: &list.shift_index,
                order: list.bin_order.as_deref(),
            });
        }
        list.pairs.as_ref().map(|p: &'a PairIndex| PairRows {
            offsets: &p.offsets,
            neighbors: &p.neighbors,
            shift_index: &p.shift_index,
            order: None,
        })
    }

    /// Positions and 0-based types in row order.
    pub fn atoms(&self, sys: &'a System) -> (Cow<'a, [[f64; 3]]>, Vec<usize>) {
        match self.order {
            None => (
                Cow::Borrowed(&sys.positions),
                sys.types.par_iter().map(|&t| t as usize - 1).collect(),
            ),
            Some(order) => (
                Cow::Owned(
                    order
                        .par_iter()
                        .map(|&i| sys.positions[i as usize])
                        .collect(),
                ),
                order
                    .par_iter()
                    .map(|&i| sys.types[i as usize] as usize - 1)
                    .collect(),
            ),
        }
    }

    /// Row of each caller atom (the inverse of `order`), `None` for the identity.
    pub fn rank(&self) -> Option<Vec<u32>> {
        self.order.map(|order| {
            let mut rank = vec![0u32; order.len()];
            for (r, &i) in order.iter().enumerate() {
                rank[i as usize] = r as u32;
            }
            rank
        })
    }
}

/// Fixed row ranges of the half-list kernels, each with its own per-atom buffers (a constant,
/// so the summation order and hence the results do not depend on the number of threads).
pub(crate) const CHUNKS: usize = 4;

/// Per-atom `[energy, force (3), virial (6)]` accumulators of one row range.
pub(crate) type Accumulator = [f64; 10];

/// Add one pair's terms to its first atom's running sum `own` and to its partner's slot
/// `other`: force ±fpair·r_ab, half the energy and half the virial each (`Pair::ev_tally`).
#[inline(always)]
pub(crate) fn tally_pair(
    own: &mut Accumulator,
    other: &mut Accumulator,
    del: [f64; 3],
    evdwl: f64,
    fpair: f64,
) {
    let [delx, dely, delz] = del;
    let terms = [
        0.5 * evdwl,
        delx * fpair,
        dely * fpair,
        delz * fpair,
        0.5 * (delx * delx * fpair),
        0.5 * (dely * dely * fpair),
        0.5 * (delz * delz * fpair),
        0.5 * (delx * dely * fpair),
        0.5 * (delx * delz * fpair),
        0.5 * (dely * delz * fpair),
    ];
    for q in 0..10 {
        own[q] += terms[q];
        // The partner gets the opposite force and the same energy and virial halves.
        other[q] += if (1..4).contains(&q) {
            -terms[q]
        } else {
            terms[q]
        };
    }
}

/// Row ranges of [`CHUNKS`] near-equal parts of `n` atoms (depends only on `n`).
pub(crate) fn chunk_bounds(n: usize) -> [usize; CHUNKS + 1] {
    std::array::from_fn(|c| c * n / CHUNKS)
}

/// Sum the per-range accumulators in range order (fixed, whatever the threads) into per-atom
/// energy (`own_energy` holds each row's own part), forces and virials, in the caller's atom
/// order (`rank[i]` is the row of atom `i`; `None`: rows are the caller's atoms).
pub(crate) fn reduce_accumulators(
    sys: &System,
    partial: &[Vec<Accumulator>],
    own_energy: Vec<f64>,
    rank: Option<&[u32]>,
) -> Result<Evaluation, PotentialError> {
    let (energy, forces, per_atom_virial) = full_rows(vec![0.0; own_energy.len()], 256, |i, _| {
        let r = rank.map_or(i, |rank| rank[i] as usize);
        let mut sum = [0.0; 10];
        for part in partial {
            if let Some(a) = part.get(r) {
                for q in 0..10 {
                    sum[q] += a[q];
                }
            }
        }
        (
            own_energy[r] + sum[0],
            [sum[1], sum[2], sum[3]],
            [sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]],
        )
    });
    finish(sys, energy, forces, per_atom_virial)
}

/// Add ½ of the pair virial, as `Pair::ev_tally` gives each atom of a pair.
#[inline(always)]
pub(crate) fn tally_virial(w: &mut [f64; 6], delx: f64, dely: f64, delz: f64, fpair: f64) {
    w[0] += 0.5 * (delx * delx * fpair);
    w[1] += 0.5 * (dely * dely * fpair);
    w[2] += 0.5 * (delz * delz * fpair);
    w[3] += 0.5 * (delx * dely * fpair);
    w[4] += 0.5 * (delx * delz * fpair);
    w[5] += 0.5 * (dely * delz * fpair);
}
