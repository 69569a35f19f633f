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

mod bin_grid;
mod half_binned;
mod rebuild_check;
mod transpose;

use rayon::prelude::*;
use thiserror::Error;

use crate::geometry::SimBox;

use bin_grid::BinGrid;
use transpose::transpose_to_full;

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

#[cfg(test)]
mod tests;

/// Separation of atom i at `xi` from the image `xj + s` of atom j (`s` the row entry's shift
/// vector), as LAMMPS' pair styles compute it: `del = xi − (xj + s)` and `rsq = |del|²` in that
/// operation order (so results keep their bits).
#[inline(always)]
pub fn separation(xi: [f64; 3], xj: [f64; 3], s: [f64; 3]) -> ([f64; 3], f64) {
    let del = [
        xi[0] - (xj[0] + s[0]),
        xi[1] - (xj[1] + s[1]),
        xi[2] - (xj[2] + s[2]),
    ];
    (del, del[0] * del[0] + del[1] * del[1] + del[2] * del[2])
}
