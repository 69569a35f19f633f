//! Neighbor lists: a cell (bin) search on fractional coordinates that works for triclinic boxes
//! and for cutoffs larger than half the box (several periodic images of one atom, including an
//! atom's own images), stored in CSR form with an image shift per entry, plus the Verlet-skin
//! rebuild check used by minimizers and MD.
//!
//! Convention: entry `k` of row `i` means atom `j = neighbors[k]` seen through the periodic image
//! `n = shifts[shift_index[k]]`, i.e. at the position `x_j + n_a·a + n_b·b + n_c·c` where `x_j` is
//! the position stored in the [`System`] at build time (atoms need not be wrapped).
//! `Half` and `Full` rows are sorted by `(j, n)`; [`ListKind::HalfBinned`] (the list the
//! potential kernels use, built in `half_binned`) renumbers atoms in bin order and keeps rows in
//! stencil order. Every list depends only on the positions and the box, never on the number of
//! threads, so every result computed from it is deterministic.
//!
//! Verlet use (minimizers, MD): build with `cutoff` = the potential's cutoff and a `skin`, keep
//! evaluating with the same list while [`NeighborList::needs_rebuild`] is false (kernels recompute
//! distances from the current positions and the stored image shifts), and rebuild when it turns
//! true. Do not re-wrap atoms between rebuilds: the image shifts refer to the positions as they
//! were at build time (wrap, then rebuild).
//!
//! Full lists also carry a [`PairIndex`] (each pair once, and for every full entry the pair it
//! mirrors), so kernels can compute per-pair terms once and still accumulate per atom over
//! sorted rows (deterministic, no write conflicts between threads).

mod half_binned;
mod rebuild_check;

use rayon::prelude::*;
use thiserror::Error;

use crate::geometry::SimBox;

/// Problems building a neighbor list.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum NeighborError {
    #[error("neighbor cutoff must be positive and finite, got {0}")]
    BadCutoff(f64),
    #[error("atom {index} has a non-finite position {position:?}")]
    NonFinitePosition { index: usize, position: [f64; 3] },
    #[error(
        "cutoff {cutoff} reaches {images} periodic images along {axis}; a non-periodic \
         dimension cannot hold it, and so many images mean the box is far too small"
    )]
    TooManyImages {
        cutoff: f64,
        axis: char,
        images: usize,
    },
    #[error(
        "atoms lie too many box lengths outside the box ({table_size} possible image shifts); \
         wrap them into the box first"
    )]
    AtomsFarOutside { table_size: i64 },
}

/// Which pairs a list holds and how its rows are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Each pair once, in the row of the smaller index (`i < j`, or once per ± image pair for
    /// self-images); rows sorted.
    Half,
    /// Each pair twice (once per row of its atoms), rows sorted, with a [`PairIndex`].
    Full,
    /// The fast list of the potential kernels (LAMMPS `half/bin/newton`): atoms renumbered in
    /// bin order ([`NeighborList::bin_order`]: row `r` and entry value `j` count atoms in that
    /// order), each pair once, in the row of whichever atom's bin comes first in the z-major
    /// half stencil (or the earlier atom of a shared bin). Rows are in stencil order, not
    /// sorted; they depend only on the positions and the box (never on the threads).
    HalfBinned,
}

/// A neighbor list in CSR form.
#[derive(Debug, Clone)]
pub struct NeighborList {
    pub kind: ListKind,
    /// Cutoff the list was built with (interaction cutoff + skin).
    pub cutoff: f64,
    /// Verlet skin (0 for a list used once).
    pub skin: f64,
    /// Row `i` is `neighbors[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<usize>,
    pub neighbors: Vec<u32>,
    /// Per entry: index into `shifts`.
    pub shift_index: Vec<u32>,
    /// The distinct image shifts `(n_a, n_b, n_c)` used by the entries.
    pub shifts: Vec<[i32; 3]>,
    /// For full lists: every pair once, and the pair each full entry comes from (kernels can
    /// do per-pair work once and accumulate per atom over the full rows).
    pub pairs: Option<PairIndex>,
    /// For [`ListKind::HalfBinned`]: row `r` (and entry value `r`) is the caller's atom
    /// `bin_order[r]`. `None` for the other kinds, whose rows are the caller's atoms.
    pub bin_order: Option<Vec<u32>>,
    /// Positions and box at build time (for the rebuild check).
    reference_positions: Vec<[f64; 3]>,
    reference_box: SimBox,
}

/// Each pair of a full list once: pair `k` of row `i` is atom `i` with atom `neighbors[k]`
/// through image `shifts[shift_index[k]]` (the row of a pair is not the smaller index).
#[derive(Debug, Clone)]
pub struct PairIndex {
    pub offsets: Vec<usize>,
    pub neighbors: Vec<u32>,
    pub shift_index: Vec<u32>,
    /// Per pair: its row (the first atom).
    pub first: Vec<u32>,
    /// Per full-list entry: the pair index, with [`PairIndex::MIRRORED`] set when the entry is
    /// the pair seen from its second atom.
    pub full_to_pair: Vec<u32>,
}

impl PairIndex {
    pub const MIRRORED: u32 = 1 << 31;
}

/// One entry of a row before it is packed: `(j << 32) | dense shift index`, so sorting the keys
/// sorts by `(j, n)` (the dense index is lexicographic in `n`).
type Entry = u64;

impl NeighborList {
    /// Build a list of all pairs closer than `cutoff + skin` (strictly).
    pub fn build(
        simbox: &SimBox,
        positions: &[[f64; 3]],
        cutoff: f64,
        skin: f64,
        kind: ListKind,
    ) -> Result<Self, NeighborError> {
        let rlist = cutoff + skin;
        if !(cutoff > 0.0 && skin >= 0.0 && rlist.is_finite()) {
            return Err(NeighborError::BadCutoff(rlist));
        }
        for (index, p) in positions.iter().enumerate() {
            if !p.iter().all(|v| v.is_finite()) {
                return Err(NeighborError::NonFinitePosition {
                    index,
                    position: *p,
                });
            }
        }
        let grid = BinGrid::new(simbox, positions, rlist)?;
        let rlist_sq = rlist * rlist;
        let n = positions.len();
        let mut bin_order = None;
        let (offsets, neighbors, shift_index, pairs) = match kind {
            ListKind::Half => {
                let (o, nb, si) = build_rows(n, |i, out| grid.row(i, rlist_sq, kind, out));
                (o, nb, si, None)
            }
            ListKind::HalfBinned => {
                // Expected half-list entries per atom (sphere volume × density, + 25 %).
                let per_atom =
                    2.0 / 3.0 * std::f64::consts::PI * rlist.powi(3) * n as f64 / simbox.volume();
                let rows = grid.half_binned(rlist_sq, (1.25 * per_atom).min(4096.0) as usize + 8);
                bin_order = Some(rows.order);
                (rows.offsets, rows.neighbors, rows.shift_index, None)
            }
            ListKind::Full => {
                // Half the candidates: each pair once through the upper half of the stencil,
                // then mirrored into a full list.
                let (half_offsets, half_neighbors, half_shift) =
                    build_rows(n, |i, out| grid.row_upper(i, rlist_sq, out));
                let neg = grid.shift_table.len() as u32 - 1;
                let (o, nb, si, map) =
                    transpose_to_full(&half_offsets, &half_neighbors, &half_shift, neg);
                let mut first = vec![0u32; half_neighbors.len()];
                for i in 0..n {
                    first[half_offsets[i]..half_offsets[i + 1]].fill(i as u32);
                }
                let pairs = PairIndex {
                    first,
                    offsets: half_offsets,
                    neighbors: half_neighbors,
                    shift_index: half_shift,
                    full_to_pair: map,
                };
                (o, nb, si, Some(pairs))
            }
        };
        let shifts = grid.shift_table.clone();
        Ok(NeighborList {
            kind,
            cutoff: rlist,
            skin,
            offsets,
            neighbors,
            shift_index,
            shifts,
            pairs,
            bin_order,
            reference_positions: positions.to_vec(),
            reference_box: *simbox,
        })
    }

    pub fn natoms(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of entries (pairs for a half list, twice the pairs for a full list).
    pub fn len(&self) -> usize {
        self.neighbors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.neighbors.is_empty()
    }

    /// Entries `k` of row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> std::ops::Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }

    /// Cartesian translation of each entry of `shifts` in `simbox` (index with `shift_index`).
    pub fn shift_vectors(&self, simbox: &SimBox) -> Vec<[f64; 3]> {
        self.shifts.iter().map(|&n| simbox.image_shift(n)).collect()
    }
}

/// Rows of all atoms, built in parallel chunks (each chunk owns its output, so the result does
/// not depend on the number of threads), each row sorted by `(j, n)`.
fn build_rows<F>(n: usize, row: F) -> (Vec<usize>, Vec<u32>, Vec<u32>)
where
    F: Fn(usize, &mut Vec<Entry>) + Sync,
{
    const CHUNK: usize = 256;
    let chunks: Vec<(Vec<usize>, Vec<Entry>)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let lo = c * CHUNK;
            let hi = (lo + CHUNK).min(n);
            let mut counts = Vec::with_capacity(hi - lo);
            let mut entries = Vec::new();
            for i in lo..hi {
                let start = entries.len();
                row(i, &mut entries);
                entries[start..].sort_unstable();
                counts.push(entries.len() - start);
            }
            (counts, entries)
        })
        .collect();
    let total: usize = chunks.iter().map(|(_, e)| e.len()).sum();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0);
    let mut neighbors = Vec::with_capacity(total);
    let mut shift_index = Vec::with_capacity(total);
    for (counts, entries) in chunks {
        for c in counts {
            offsets.push(offsets.last().copied().unwrap_or(0) + c);
        }
        for e in entries {
            neighbors.push((e >> 32) as u32);
            shift_index.push(e as u32);
        }
    }
    (offsets, neighbors, shift_index)
}

/// Full list from a list holding each pair once: entry (i → j, n) also gives (j → i, −n).
/// The shift table is symmetric, so −n has dense index `neg − idx`. Each full row is the merge
/// of its own pairs (already sorted) and the mirrored entries of other rows (arriving sorted
/// by their first atom, since rows are visited in order).
fn transpose_to_full(
    offsets: &[usize],
    neighbors: &[u32],
    shift_index: &[u32],
    neg: u32,
) -> (Vec<usize>, Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = offsets.len() - 1;
    let mut incoming = vec![0usize; n];
    for &j in neighbors {
        incoming[j as usize] += 1;
    }
    let mut full_offsets = Vec::with_capacity(n + 1);
    full_offsets.push(0usize);
    for i in 0..n {
        let next = full_offsets[i] + incoming[i] + (offsets[i + 1] - offsets[i]);
        full_offsets.push(next);
    }
    let total = full_offsets[n];
    // Mirrored entries, grouped by row: (key, pair | MIRRORED).
    let mut mirror_start = Vec::with_capacity(n + 1);
    mirror_start.push(0usize);
    for c in &incoming {
        mirror_start.push(mirror_start.last().copied().unwrap_or(0) + c);
    }
    let mut mirror_key = vec![0u64; neighbors.len()];
    let mut mirror_pair = vec![0u32; neighbors.len()];
    // Scatter in parallel over blocks of target rows; each block scans all pairs in order, so
    // every row receives its entries in pair order whatever the number of blocks.
    let blocks = rayon::current_num_threads().clamp(1, n.max(1));
    let mut parts = Vec::with_capacity(blocks);
    let (mut rest_k, mut rest_p) = (mirror_key.as_mut_slice(), mirror_pair.as_mut_slice());
    for b in 0..blocks {
        let (lo, hi) = (b * n / blocks, (b + 1) * n / blocks);
        let len = mirror_start[hi] - mirror_start[lo];
        let (k, tk) = std::mem::take(&mut rest_k).split_at_mut(len);
        let (p, tp) = std::mem::take(&mut rest_p).split_at_mut(len);
        parts.push((lo, hi, k, p));
        (rest_k, rest_p) = (tk, tp);
    }
    parts.into_par_iter().for_each(|(lo, hi, keys, tags)| {
        let base = mirror_start[lo];
        let mut cursor: Vec<usize> = mirror_start[lo..hi].iter().map(|&c| c - base).collect();
        for i in 0..n {
            for k in offsets[i]..offsets[i + 1] {
                let j = neighbors[k] as usize;
                if j < lo || j >= hi {
                    continue;
                }
                let c = &mut cursor[j - lo];
                keys[*c] = ((i as u64) << 32) | (neg - shift_index[k]) as u64;
                tags[*c] = k as u32 | PairIndex::MIRRORED;
                *c += 1;
            }
        }
    });
    let mut full_neighbors = vec![0u32; total];
    let mut full_shift = vec![0u32; total];
    let mut full_to_pair = vec![0u32; total];
    // Per-row output slices, filled in parallel.
    let mut rows = Vec::with_capacity(n);
    let (mut rn, mut rs, mut rp) = (
        full_neighbors.as_mut_slice(),
        full_shift.as_mut_slice(),
        full_to_pair.as_mut_slice(),
    );
    for i in 0..n {
        let len = full_offsets[i + 1] - full_offsets[i];
        let (a, ta) = std::mem::take(&mut rn).split_at_mut(len);
        let (b, tb) = std::mem::take(&mut rs).split_at_mut(len);
        let (c, tc) = std::mem::take(&mut rp).split_at_mut(len);
        rows.push((i, a, b, c));
        (rn, rs, rp) = (ta, tb, tc);
    }
    rows.into_par_iter()
        .with_min_len(256)
        .for_each(|(i, out_j, out_s, out_p)| {
            let own = offsets[i]..offsets[i + 1];
            let own_key = |k: usize| ((neighbors[k] as u64) << 32) | shift_index[k] as u64;
            let range = mirror_start[i]..mirror_start[i + 1];
            let (keys, tags) = (&mirror_key[range.clone()], &mirror_pair[range]);
            // Several images of one partner arrive in decreasing shift order: re-sort then
            // (rare: only when the cutoff reaches more than one image of an atom).
            let resorted: Option<Vec<(u64, u32)>> = if keys.windows(2).all(|w| w[0] < w[1]) {
                None
            } else {
                let mut v: Vec<(u64, u32)> =
                    keys.iter().copied().zip(tags.iter().copied()).collect();
                v.sort_unstable();
                Some(v)
            };
            let mk_len = keys.len();
            let mk = |b: usize| match &resorted {
                Some(v) => v[b],
                None => (keys[b], tags[b]),
            };
            let (mut a, mut b, mut o) = (own.start, 0usize, 0usize);
            while a < own.end || b < mk_len {
                let take_own = b >= mk_len || (a < own.end && own_key(a) < mk(b).0);
                let (key, pair) = if take_own {
                    a += 1;
                    (own_key(a - 1), (a - 1) as u32)
                } else {
                    b += 1;
                    mk(b - 1)
                };
                out_j[o] = (key >> 32) as u32;
                out_s[o] = key as u32;
                out_p[o] = pair;
                o += 1;
            }
        });
    (full_offsets, full_neighbors, full_shift, full_to_pair)
}

/// Atoms sorted into bins of the wrapped fractional coordinates.
struct BinGrid<'a> {
    positions: &'a [[f64; 3]],
    nbins: [usize; 3],
    /// Stencil: bin offsets that can hold a neighbor (others are farther than rlist).
    stencil: Vec<[i64; 3]>,
    /// The stencil as flat bin-index offsets (valid when no cell wraps).
    stencil_flat: Vec<i64>,
    /// The cells of the stencil lexicographically after the home cell, and their flat offsets.
    stencil_upper: Vec<[i64; 3]>,
    stencil_upper_flat: Vec<i64>,
    /// Per dimension, for a raw bin index `b` in `-reach..nbins + reach`: the wrapped bin and
    /// its period, at index `b + reach`.
    wrap_lookup: [Vec<(i64, i32)>; 3],
    reach: [i64; 3],
    /// Atoms of bin b are `bin_atoms[bin_start[b]..bin_start[b + 1]]`, in increasing index.
    bin_start: Vec<usize>,
    bin_atoms: Vec<u32>,
    /// Positions and the wrap part of the dense shift index, in bin order (contiguous reads).
    bin_positions: Vec<[f64; 3]>,
    bin_wrap_key: Vec<i32>,
    /// Bin of each atom.
    atom_bin: Vec<[i64; 3]>,
    /// Whole box periods removed from each atom to wrap it (fractional floor).
    atom_wrap: Vec<[i32; 3]>,
    /// Every image shift an entry can have, lexicographic; entry `n` has dense index
    /// `((n0 − min0)·span1 + n1 − min1)·span2 + n2 − min2`.
    shift_table: Vec<[i32; 3]>,
    shift_vectors: Vec<[f64; 3]>,
    shift_min: [i32; 3],
    shift_span: [i32; 3],
}

impl<'a> BinGrid<'a> {
    fn new(
        simbox: &'a SimBox,
        positions: &'a [[f64; 3]],
        rlist: f64,
    ) -> Result<Self, NeighborError> {
        let widths = simbox.perpendicular_widths();
        let mut nbins = [1usize; 3];
        let mut reach = [0i64; 3];
        for d in 0..3 {
            // Images reached along d: a pair closer than rlist has |Δs_d| < rlist / width_d.
            let span = rlist / widths[d];
            if !simbox.periodic[d] {
                nbins[d] = 1;
                reach[d] = 0;
                continue;
            }
            if span > 1000.0 {
                return Err(NeighborError::TooManyImages {
                    cutoff: rlist,
                    axis: ['x', 'y', 'z'][d],
                    images: span.ceil() as usize,
                });
            }
            // Bins at least rlist/2 wide when the box allows it, at most ~ 1 per atom.
            let by_width = (2.0 * widths[d] / rlist).floor() as usize;
            let cap = (positions.len() as f64).cbrt().ceil() as usize + 1;
            nbins[d] = by_width.clamp(1, cap.max(1));
            reach[d] = (span * nbins[d] as f64).ceil() as i64;
        }
        let total_bins = nbins[0] * nbins[1] * nbins[2];
        let mut atom_bin = Vec::with_capacity(positions.len());
        let mut atom_wrap = Vec::with_capacity(positions.len());
        let mut counts = vec![0usize; total_bins + 1];
        for p in positions {
            let s = simbox.to_fractional(*p);
            let mut b = [0i64; 3];
            let mut w = [0i32; 3];
            for d in 0..3 {
                if simbox.periodic[d] {
                    let f = s[d].floor();
                    let frac = s[d] - f;
                    w[d] = f as i32;
                    b[d] = ((frac * nbins[d] as f64) as i64).clamp(0, nbins[d] as i64 - 1);
                }
            }
            counts[flat(b, nbins)] += 1;
            atom_bin.push(b);
            atom_wrap.push(w);
        }
        let mut bin_start = vec![0usize; total_bins + 1];
        for b in 0..total_bins {
            bin_start[b + 1] = bin_start[b] + counts[b];
        }
        let mut fill = bin_start.clone();
        let mut bin_atoms = vec![0u32; positions.len()];
        for (i, b) in atom_bin.iter().enumerate() {
            let f = flat(*b, nbins);
            bin_atoms[fill[f]] = i as u32;
            fill[f] += 1;
        }
        // Range of n = P − w_j + w_i: P from the stencil, w from the atoms.
        let mut shift_min = [0i32; 3];
        let mut shift_span = [1i32; 3];
        for d in 0..3 {
            let nb = nbins[d] as i64;
            let pmin = (-reach[d]).div_euclid(nb) as i32;
            let pmax = (nb - 1 + reach[d]).div_euclid(nb) as i32;
            let wmin = atom_wrap.iter().map(|w| w[d]).min().unwrap_or(0);
            let wmax = atom_wrap.iter().map(|w| w[d]).max().unwrap_or(0);
            shift_min[d] = pmin - (wmax - wmin);
            shift_span[d] = (pmax + (wmax - wmin)) - shift_min[d] + 1;
        }
        let table_size = shift_span.iter().map(|&v| v as i64).product::<i64>();
        if table_size > 1 << 22 {
            return Err(NeighborError::AtomsFarOutside { table_size });
        }
        let mut shift_table = Vec::with_capacity(table_size as usize);
        for a in 0..shift_span[0] {
            for b in 0..shift_span[1] {
                for c in 0..shift_span[2] {
                    shift_table.push([a + shift_min[0], b + shift_min[1], c + shift_min[2]]);
                }
            }
        }
        let shift_vectors = shift_table.iter().map(|&n| simbox.image_shift(n)).collect();
        let bin_positions = bin_atoms.iter().map(|&j| positions[j as usize]).collect();
        let bin_wrap_key = bin_atoms
            .iter()
            .map(|&j| {
                let w = atom_wrap[j as usize];
                (w[0] * shift_span[1] + w[1]) * shift_span[2] + w[2]
            })
            .collect();
        // Stencil with cells culled by a lower bound on the distance between their atoms:
        // |Δs_d| ≥ (|δ_d| − 1)/nb_d, i.e. a Cartesian separation ≥ that times the width w_d
        // (summed in quadrature for orthogonal boxes, the largest one for triclinic boxes).
        let mut stencil = Vec::new();
        let orthogonal = !simbox.triclinic;
        for da in -reach[0]..=reach[0] {
            for db in -reach[1]..=reach[1] {
                for dc in -reach[2]..=reach[2] {
                    let gap = |d: usize, v: i64| {
                        ((v.abs() - 1).max(0) as f64) * widths[d] / nbins[d] as f64
                    };
                    let g = [gap(0, da), gap(1, db), gap(2, dc)];
                    let bound_sq = if orthogonal {
                        g[0] * g[0] + g[1] * g[1] + g[2] * g[2]
                    } else {
                        let m = g[0].max(g[1]).max(g[2]);
                        m * m
                    };
                    if bound_sq * (1.0 - 1e-10) < rlist * rlist {
                        stencil.push([da, db, dc]);
                    }
                }
            }
        }
        let wrap_lookup = std::array::from_fn(|d| {
            let nb = nbins[d] as i64;
            (-reach[d]..nb + reach[d])
                .map(|raw| (raw.rem_euclid(nb), raw.div_euclid(nb) as i32))
                .collect()
        });
        let (n0, n1) = (nbins[0] as i64, nbins[1] as i64);
        let stencil_flat = stencil
            .iter()
            .map(|d| (d[2] * n1 + d[1]) * n0 + d[0])
            .collect();
        let stencil_upper: Vec<[i64; 3]> =
            stencil.iter().copied().filter(|d| *d > [0, 0, 0]).collect();
        let stencil_upper_flat = stencil_upper
            .iter()
            .map(|d| (d[2] * n1 + d[1]) * n0 + d[0])
            .collect();
        Ok(BinGrid {
            stencil_upper,
            stencil_upper_flat,
            stencil_flat,
            stencil,
            wrap_lookup,
            shift_table,
            shift_vectors,
            shift_min,
            shift_span,
            bin_positions,
            bin_wrap_key,
            positions,
            nbins,
            reach,
            bin_start,
            bin_atoms,
            atom_bin,
            atom_wrap,
        })
    }

    /// Append the neighbors of atom `i` (unsorted) to `out`.
    fn row(&self, i: usize, rlist_sq: f64, kind: ListKind, out: &mut Vec<Entry>) {
        let bi = self.atom_bin[i];
        let wi = self.atom_wrap[i];
        let r = self.reach;
        let (m, sp) = (self.shift_min, self.shift_span);
        let base_of = |period: [i32; 3]| {
            ((period[0] + wi[0] - m[0]) * sp[1] + (period[1] + wi[1] - m[1])) * sp[2]
                + (period[2] + wi[2] - m[2])
        };
        let interior = (0..3).all(|d| bi[d] - r[d] >= 0 && bi[d] + r[d] < self.nbins[d] as i64);
        if interior {
            // No stencil cell wraps: flat offsets are fixed and the period is zero.
            let home = flat(bi, self.nbins) as i64;
            let base = base_of([0; 3]);
            for &off in &self.stencil_flat {
                self.scan_bin((home + off) as usize, base, i, rlist_sq, kind, out);
            }
            return;
        }
        for delta in &self.stencil {
            let mut bin = [0i64; 3];
            let mut period = [0i32; 3];
            for d in 0..3 {
                let (b, p) = self.wrap_lookup[d][(bi[d] + delta[d] + r[d]) as usize];
                bin[d] = b;
                period[d] = p;
            }
            let f = flat(bin, self.nbins);
            self.scan_bin(f, base_of(period), i, rlist_sq, kind, out);
        }
    }

    /// Append each pair of atom `i` found through the home cell (partners `j > i`) or a cell
    /// after it in the stencil (unsorted). Over all atoms every pair (i, j, n) appears once.
    fn row_upper(&self, i: usize, rlist_sq: f64, out: &mut Vec<Entry>) {
        let bi = self.atom_bin[i];
        let wi = self.atom_wrap[i];
        let r = self.reach;
        let (m, sp) = (self.shift_min, self.shift_span);
        let base_of = |period: [i32; 3]| {
            ((period[0] + wi[0] - m[0]) * sp[1] + (period[1] + wi[1] - m[1])) * sp[2]
                + (period[2] + wi[2] - m[2])
        };
        let home = flat(bi, self.nbins);
        self.scan_upper(home, base_of([0; 3]), i, i as u32 + 1, rlist_sq, out);
        let interior = (0..3).all(|d| bi[d] - r[d] >= 0 && bi[d] + r[d] < self.nbins[d] as i64);
        if interior {
            let base = base_of([0; 3]);
            for &off in &self.stencil_upper_flat {
                self.scan_upper((home as i64 + off) as usize, base, i, 0, rlist_sq, out);
            }
            return;
        }
        for delta in &self.stencil_upper {
            let mut bin = [0i64; 3];
            let mut period = [0i32; 3];
            for d in 0..3 {
                let (b, p) = self.wrap_lookup[d][(bi[d] + delta[d] + r[d]) as usize];
                bin[d] = b;
                period[d] = p;
            }
            let f = flat(bin, self.nbins);
            self.scan_upper(f, base_of(period), i, 0, rlist_sq, out);
        }
    }

    /// Atoms `j ≥ min_j` of bin `f` within rlist of atom `i` (branch-free append).
    #[inline(always)]
    fn scan_upper(
        &self,
        f: usize,
        base: i32,
        i: usize,
        min_j: u32,
        rlist_sq: f64,
        out: &mut Vec<Entry>,
    ) {
        let xi = self.positions[i];
        let (lo, hi) = (self.bin_start[f], self.bin_start[f + 1]);
        let atoms = &self.bin_atoms[lo..hi];
        let xs = &self.bin_positions[lo..hi];
        let keys = &self.bin_wrap_key[lo..hi];
        let mut len = out.len();
        out.resize(len + atoms.len(), 0);
        for ((&j, xj), &key) in atoms.iter().zip(xs).zip(keys) {
            let idx = (base - key) as usize;
            let s = self.shift_vectors[idx];
            let delx = xi[0] - (xj[0] + s[0]);
            let dely = xi[1] - (xj[1] + s[1]);
            let delz = xi[2] - (xj[2] + s[2]);
            out[len] = ((j as u64) << 32) | idx as u64;
            len += (j >= min_j && delx * delx + dely * dely + delz * delz < rlist_sq) as usize;
        }
        out.truncate(len);
    }

    /// Test the atoms of bin `f` against atom `i`; `base` is the dense shift index of this
    /// stencil cell without the wrap of atom j.
    #[inline(always)]
    fn scan_bin(
        &self,
        f: usize,
        base: i32,
        i: usize,
        rlist_sq: f64,
        kind: ListKind,
        out: &mut Vec<Entry>,
    ) {
        let xi = self.positions[i];
        let (lo, hi) = (self.bin_start[f], self.bin_start[f + 1]);
        let atoms = &self.bin_atoms[lo..hi];
        let xs = &self.bin_positions[lo..hi];
        let keys = &self.bin_wrap_key[lo..hi];
        // Branch-free append: write every candidate, advance only for those inside rlist
        // (the inside/outside test is unpredictable, a branch there costs more than the write).
        let mut len = out.len();
        out.resize(len + atoms.len(), 0);
        for ((&j, xj), &key) in atoms.iter().zip(xs).zip(keys) {
            let ju = j as usize;
            let idx = (base - key) as usize;
            if kind == ListKind::Half && ju < i {
                continue;
            }
            if ju == i {
                let n = self.shift_table[idx];
                // Skip the atom itself; a half list keeps one of ±n.
                if n == [0, 0, 0] || (kind == ListKind::Half && n < [0, 0, 0]) {
                    continue;
                }
            }
            let s = self.shift_vectors[idx];
            let delx = xi[0] - (xj[0] + s[0]);
            let dely = xi[1] - (xj[1] + s[1]);
            let delz = xi[2] - (xj[2] + s[2]);
            out[len] = ((j as u64) << 32) | idx as u64;
            len += (delx * delx + dely * dely + delz * delz < rlist_sq) as usize;
        }
        out.truncate(len);
    }
}

#[inline]
fn flat(b: [i64; 3], nbins: [usize; 3]) -> usize {
    ((b[2] as usize * nbins[1]) + b[1] as usize) * nbins[0] + b[0] as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::simbox::dot;

    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

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
                    lcg(&mut seed) * spread + off,
                    lcg(&mut seed) * spread + off,
                    lcg(&mut seed) * spread + off,
                ])
            })
            .collect();
        for kind in [ListKind::Half, ListKind::Full] {
            let nl = NeighborList::build(&b, &x, rc, 0.0, kind).unwrap();
            let oracle = brute(&b, &x, rc, kind);
            let mut total = 0;
            for i in 0..natoms {
                let got: Vec<(u32, [i32; 3])> = nl
                    .row(i)
                    .map(|k| (nl.neighbors[k], nl.shifts[nl.shift_index[k] as usize]))
                    .collect();
                assert_eq!(got, oracle[i], "row {i} kind {kind:?} rc {rc}");
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
}
