//! Atoms sorted into bins of the wrapped fractional coordinates, the bin stencil and the image
//! shift table: the cell search behind every neighbor list kind.

use super::{Entry, ListKind, NeighborError};
use crate::geometry::SimBox;

/// Atoms sorted into bins of the wrapped fractional coordinates.
pub(super) struct BinGrid<'a> {
    pub(super) positions: &'a [[f64; 3]],
    pub(super) nbins: [usize; 3],
    /// Stencil: bin offsets that can hold a neighbor (others are farther than rlist).
    pub(super) stencil: Vec<[i64; 3]>,
    /// The stencil as flat bin-index offsets (valid when no cell wraps).
    pub(super) stencil_flat: Vec<i64>,
    /// The cells of the stencil lexicographically after the home cell, and their flat offsets.
    pub(super) stencil_upper: Vec<[i64; 3]>,
    pub(super) stencil_upper_flat: Vec<i64>,
    /// Per dimension, for a raw bin index `b` in `-reach..nbins + reach`: the wrapped bin and
    /// its period, at index `b + reach`.
    pub(super) wrap_lookup: [Vec<(i64, i32)>; 3],
    pub(super) reach: [i64; 3],
    /// Atoms of bin b are `bin_atoms[bin_start[b]..bin_start[b + 1]]`, in increasing index.
    pub(super) bin_start: Vec<usize>,
    pub(super) bin_atoms: Vec<u32>,
    /// Positions and the wrap part of the dense shift index, in bin order (contiguous reads).
    pub(super) bin_positions: Vec<[f64; 3]>,
    pub(super) bin_wrap_key: Vec<i32>,
    /// Bin of each atom.
    pub(super) atom_bin: Vec<[i64; 3]>,
    /// Whole box periods removed from each atom to wrap it (fractional floor).
    pub(super) atom_wrap: Vec<[i32; 3]>,
    /// Every image shift an entry can have, lexicographic; entry `n` has dense index
    /// `((n0 − min0)·span1 + n1 − min1)·span2 + n2 − min2`.
    pub(super) shift_table: Vec<[i32; 3]>,
    pub(super) shift_vectors: Vec<[f64; 3]>,
    pub(super) shift_min: [i32; 3],
    pub(super) shift_span: [i32; 3],
}

impl<'a> BinGrid<'a> {
    pub(super) fn new(
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
    pub(super) fn row(&self, i: usize, rlist_sq: f64, kind: ListKind, out: &mut Vec<Entry>) {
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
    pub(super) fn row_upper(&self, i: usize, rlist_sq: f64, out: &mut Vec<Entry>) {
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
    pub(super) fn scan_upper(
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
    pub(super) fn scan_bin(
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
pub(super) fn flat(b: [i64; 3], nbins: [usize; 3]) -> usize {
    ((b[2] as usize * nbins[1]) + b[1] as usize) * nbins[0] + b[0] as usize
}
