//! The result of one force evaluation (energy, per-atom energy, forces, per-atom virial), the
//! generic pairwise kernel all pair styles share, and the conversion of virials into LAMMPS
//! `stress/atom` and pressure.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::geometry::neighbor::PairIndex;
use crate::geometry::{ListKind, NeighborList};
use crate::potential::PotentialError;
use crate::system::System;
use crate::units::Units;

/// One evaluation of a potential on a configuration.
///
/// * `per_atom_energy` is LAMMPS `pe/atom`: embedding energy plus half of each pair energy.
/// * `per_atom_virial` is LAMMPS' `vatom` (energy units, order xx yy zz xy xz yz):
///   W_i = ½ Σ_j r_ij ⊗ r_ij · fpair with r_ij = x_i − x_j. `compute stress/atom` is
///   −nktv2p·(W_i + kinetic) — see [`Evaluation::stress_atom`].
/// * `virial` = Σ_i W_i (the pair part of LAMMPS' global virial, energy units).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub energy: f64,
    pub per_atom_energy: Vec<f64>,
    pub forces: Vec<[f64; 3]>,
    pub per_atom_virial: Vec<[f64; 6]>,
    pub virial: [f64; 6],
}

impl Evaluation {
    /// Kinetic tensor m·v_a·v_b·mvv2e per atom (zero without velocities or masses).
    fn kinetic(sys: &System, units: Units, i: usize) -> [f64; 6] {
        let (Some(v), Some(Some(m))) = (
            sys.velocities.as_ref().and_then(|v| v.get(i)),
            sys.types
                .get(i)
                .and_then(|&t| sys.masses.get((t as usize).wrapping_sub(1))),
        ) else {
            return [0.0; 6];
        };
        let mm = units.mvv2e() * m;
        [
            mm * v[0] * v[0],
            mm * v[1] * v[1],
            mm * v[2] * v[2],
            mm * v[0] * v[1],
            mm * v[0] * v[2],
            mm * v[1] * v[2],
        ]
    }

    /// Per-atom stress exactly as LAMMPS `compute stress/atom NULL` (pressure·volume units,
    /// order xx yy zz xy xz yz): S_i = −nktv2p·(m v⊗v·mvv2e + W_i). The kinetic part is included
    /// when the system has velocities and the atom's type has a mass.
    pub fn stress_atom(&self, sys: &System, units: Units) -> Vec<[f64; 6]> {
        let f = units.nktv2p();
        self.per_atom_virial
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let k = Self::kinetic(sys, units, i);
                std::array::from_fn(|c| -f * (k[c] + w[c]))
            })
            .collect()
    }

    /// Global pressure tensor as LAMMPS `compute pressure` (thermo `pxx pyy pzz pxy pxz pyz`):
    /// P_ab = (Σ_i m v_a v_b·mvv2e + W_ab)/V·nktv2p, kinetic part only when velocities and
    /// masses are present. The scalar pressure is the mean of the diagonal.
    pub fn pressure_tensor(&self, sys: &System, units: Units) -> [f64; 6] {
        let mut k = [0.0; 6];
        for i in 0..sys.natoms() {
            let ki = Self::kinetic(sys, units, i);
            for c in 0..6 {
                k[c] += ki[c];
            }
        }
        let inv_v = 1.0 / sys.simbox.volume();
        std::array::from_fn(|c| (k[c] + self.virial[c]) * inv_v * units.nktv2p())
    }
}

/// A pair style: energy and `fpair` (force on i = fpair·r_ij) of one pair, LAMMPS conventions.
pub(crate) trait PairFunction: Sync {
    /// Energy and fpair of a pair of types (0-based) at squared distance `rsq`, or `None`
    /// beyond the pair's cutoff.
    fn energy_fpair(&self, ti: usize, tj: usize, rsq: f64) -> Option<(f64, f64)>;
    /// The largest cutoff of any type pair (`energy_fpair` is `None` beyond it).
    fn max_cutoff(&self) -> f64;
}

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

/// Find the first overlapping pair (r = 0) or atom with a non-finite distance, for an error.
pub(crate) fn overlap_error(sys: &System, list: &NeighborList) -> PotentialError {
    let shifts = list.shift_vectors(&sys.simbox);
    let atom = |r: usize| list.bin_order.as_ref().map_or(r, |o| o[r] as usize);
    for r in 0..sys.natoms() {
        for k in list.row(r) {
            let (i, j) = (atom(r), atom(list.neighbors[k] as usize));
            let s = shifts[list.shift_index[k] as usize];
            let (xi, xj) = (sys.positions[i], sys.positions[j]);
            let d = [
                xi[0] - (xj[0] + s[0]),
                xi[1] - (xj[1] + s[1]),
                xi[2] - (xj[2] + s[2]),
            ];
            let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
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
    let n = sys.natoms();
    let shifts = list.shift_vectors(&sys.simbox);
    let mut per_atom_energy = vec![0.0; n];
    let mut forces = vec![[0.0; 3]; n];
    let mut per_atom_virial = vec![[0.0; 6]; n];
    let overlap = std::sync::atomic::AtomicBool::new(false);
    per_atom_energy
        .par_iter_mut()
        .zip(forces.par_iter_mut())
        .zip(per_atom_virial.par_iter_mut())
        .enumerate()
        .with_min_len(64)
        .for_each(|(i, ((e_i, f_i), w_i))| {
            let xi = sys.positions[i];
            let ti = sys.types[i] as usize - 1;
            let (mut e, mut f, mut w) = (0.0, [0.0; 3], [0.0; 6]);
            for k in list.row(i) {
                let j = list.neighbors[k] as usize;
                let s = shifts[list.shift_index[k] as usize];
                let xj = sys.positions[j];
                let delx = xi[0] - (xj[0] + s[0]);
                let dely = xi[1] - (xj[1] + s[1]);
                let delz = xi[2] - (xj[2] + s[2]);
                let rsq = delx * delx + dely * dely + delz * delz;
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
            *e_i = e;
            *f_i = f;
            *w_i = w;
        });
    if overlap.into_inner() {
        return Err(overlap_error(sys, list));
    }
    finish(sys, per_atom_energy, forces, per_atom_virial)
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
    let n = own_energy.len();
    let mut energy = vec![0.0; n];
    let mut forces = vec![[0.0; 3]; n];
    let mut per_atom_virial = vec![[0.0; 6]; n];
    energy
        .par_iter_mut()
        .zip(forces.par_iter_mut())
        .zip(per_atom_virial.par_iter_mut())
        .enumerate()
        .with_min_len(256)
        .for_each(|(i, ((e, f), w))| {
            let r = rank.map_or(i, |rank| rank[i] as usize);
            let mut sum = [0.0; 10];
            for part in partial {
                if let Some(a) = part.get(r) {
                    for q in 0..10 {
                        sum[q] += a[q];
                    }
                }
            }
            *e = own_energy[r] + sum[0];
            *f = [sum[1], sum[2], sum[3]];
            *w = [sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]];
        });
    finish(sys, energy, forces, per_atom_virial)
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
