//! Builds [`ListKind::HalfBinned`](super::ListKind::HalfBinned) lists: atoms renumbered in bin
//! order, each pair once, rows written straight into CSR from contiguous runs of bins (a z-major
//! half stencil, as LAMMPS `half/bin/newton`), in parallel over bin ranges.
//!
//! Why it is fast: in bin order the atoms of one stencil row (bins `x−k..=x+k` at fixed y, z)
//! are one contiguous range, so a row of the stencil is one linear scan with squared-distance
//! tests and a branch-free append; no per-row sort and no mirroring. Every row depends only on
//! the atoms and the box, never on how the bins are split between threads, so the list is the
//! same for any number of threads.
//!
//! Each pair (i, j, n) appears once: in the row of i when j lies in a stencil cell after i's
//! bin in z-major order (cells `(Δz, Δy, Δx) > 0` lexicographically, periodic images included)
//! or in the same bin at a later position, and otherwise in the row of j. Distances are computed
//! as the kernels compute them, `x_i − (x_j + n·H)`, so a pair inside the cutoff for a kernel is
//! always in the list.

use rayon::prelude::*;

use super::bin_grid::{flat, BinGrid};

/// Atoms per parallel work unit (bins are grouped until they hold about this many).
const ATOMS_PER_TASK: usize = 2048;

/// A run of consecutive bins of one stencil row, seen from a home bin: candidates are the atoms
/// `lo..hi` (bin order), all through the same stencil period.
#[derive(Clone, Copy, Debug)]
struct Segment {
    lo: usize,
    hi: usize,
    /// Dense shift index of the period minus the table origin (add the home atom's wrap key and
    /// subtract the candidate's to get the entry's shift index).
    period_key: i32,
    /// The run starts at the home bin: candidates start after the home atom.
    from_home: bool,
}

/// One row of the half stencil: bins `Δx ∈ dx_lo..=dx_hi` at `(Δy, Δz)`.
#[derive(Clone, Copy, Debug)]
struct StencilRow {
    dy: i64,
    dz: i64,
    dx_lo: i64,
    dx_hi: i64,
}

/// The rows of a [`ListKind::HalfBinned`](super::ListKind::HalfBinned) list, in bin order.
pub(super) struct BinnedRows {
    pub offsets: Vec<usize>,
    pub neighbors: Vec<u32>,
    pub shift_index: Vec<u32>,
    /// Row `r` is the caller's atom `order[r]`.
    pub order: Vec<u32>,
}

/// Output of one work unit. Entries are written into the spare capacity of the vectors
/// (every candidate of a run is written, the ones inside rlist are kept), so nothing is
/// zero-filled; `reserve` makes room for a whole run before it is scanned.
struct Output {
    counts: Vec<usize>,
    neighbors: Vec<u32>,
    shift_index: Vec<u32>,
}

impl Output {
    /// Make room for `extra` more candidates.
    #[inline]
    fn reserve(&mut self, extra: usize) {
        self.neighbors.reserve(extra);
        self.shift_index.reserve(extra);
    }

    /// Write the candidates `js` (with shift indices from `shift_of`) and keep those for
    /// which `keep` holds, in order; needs [`Output::reserve`] of at least `js.len()` first.
    #[inline(always)]
    fn append_where(
        &mut self,
        js: std::ops::Range<usize>,
        mut shift_of: impl FnMut(usize) -> u32,
        mut keep: impl FnMut(usize) -> bool,
    ) {
        let len = js.len();
        let used = self.neighbors.len();
        let (nb, si) = (
            &mut self.neighbors.spare_capacity_mut()[..len],
            &mut self.shift_index.spare_capacity_mut()[..len],
        );
        let mut k = 0usize;
        for (c, j) in js.enumerate() {
            // Branch-free append: write every candidate, advance only for kept ones
            // (k <= c < len, so the slot exists).
            if let (Some(n), Some(s)) = (nb.get_mut(k), si.get_mut(k)) {
                n.write(j as u32);
                s.write(shift_of(c));
            }
            k += keep(c) as usize;
        }
        // SAFETY: slots used..used + k of both vectors were written above (each kept entry's
        // slot was written before k moved past it), and reserve() made the capacity.
        unsafe {
            self.neighbors.set_len(used + k);
            self.shift_index.set_len(used + k);
        }
    }
}

impl BinGrid<'_> {
    /// Rows of the z-major half stencil with their Δx extent (from the culled full stencil).
    fn half_stencil_rows(&self) -> Vec<StencilRow> {
        let r = self.reach;
        let mut rows = Vec::new();
        for dz in 0..=r[2] {
            let dy_lo = if dz == 0 { 0 } else { -r[1] };
            for dy in dy_lo..=r[1] {
                let k = self
                    .stencil
                    .iter()
                    .filter(|d| d[1] == dy && d[2] == dz)
                    .map(|d| d[0].abs())
                    .max();
                if let Some(k) = k {
                    let dx_lo = if dz == 0 && dy == 0 { 0 } else { -k };
                    rows.push(StencilRow {
                        dy,
                        dz,
                        dx_lo,
                        dx_hi: k,
                    });
                }
            }
        }
        rows
    }

    /// Dense-index contribution of a period or wrap vector (linear in it).
    #[inline]
    fn lin(&self, v: [i32; 3]) -> i32 {
        let sp = self.shift_span;
        (v[0] * sp[1] + v[1]) * sp[2] + v[2]
    }

    /// Candidate runs of the home bin `b` (its atoms share them), appended to `out`.
    fn segments(&self, b: [i64; 3], rows: &[StencilRow], out: &mut Vec<Segment>) {
        out.clear();
        let r = self.reach;
        let origin = self.lin(self.shift_min);
        for row in rows {
            let (wy, py) = self.wrap_lookup[1][(b[1] + row.dy + r[1]) as usize];
            let (wz, pz) = self.wrap_lookup[2][(b[2] + row.dz + r[2]) as usize];
            let mut open: Option<(Segment, usize)> = None;
            for dx in row.dx_lo..=row.dx_hi {
                let (wx, px) = self.wrap_lookup[0][(b[0] + dx + r[0]) as usize];
                let f = flat([wx, wy, wz], self.nbins);
                let period_key = self.lin([px, py, pz]) - origin;
                let (lo, hi) = (self.bin_start[f], self.bin_start[f + 1]);
                match &mut open {
                    Some((seg, last)) if seg.period_key == period_key && f == *last + 1 => {
                        seg.hi = hi;
                        *last = f;
                    }
                    _ => {
                        if let Some((seg, _)) = open.take() {
                            out.push(seg);
                        }
                        let seg = Segment {
                            lo,
                            hi,
                            period_key,
                            from_home: dx == 0 && row.dy == 0 && row.dz == 0,
                        };
                        open = Some((seg, f));
                    }
                }
            }
            if let Some((seg, _)) = open {
                out.push(seg);
            }
        }
    }

    /// Rows of the atoms of bins `bins` (bin order), appended to `out`.
    #[allow(clippy::too_many_arguments)]
    fn rows_of_bins(
        &self,
        bins: std::ops::Range<usize>,
        rows: &[StencilRow],
        uniform_wrap: bool,
        rlist_sq: f64,
        segments: &mut Vec<Segment>,
        out: &mut Output,
    ) {
        let [nx, ny, _] = self.nbins;
        for f in bins {
            let (first, last) = (self.bin_start[f], self.bin_start[f + 1]);
            if first == last {
                continue;
            }
            let b = [
                (f % nx) as i64,
                ((f / nx) % ny) as i64,
                (f / (nx * ny)) as i64,
            ];
            self.segments(b, rows, segments);
            for s in first..last {
                let start = out.neighbors.len();
                let xi = self.bin_positions[s];
                let key_i = self.bin_wrap_key[s];
                for seg in segments.iter() {
                    let lo = if seg.from_home { s + 1 } else { seg.lo };
                    if lo >= seg.hi {
                        continue;
                    }
                    out.reserve(seg.hi - lo);
                    let base = seg.period_key + key_i;
                    if uniform_wrap {
                        // Every atom has the same wrap: one image shift for the whole run.
                        let idx = base - key_i;
                        let sh = self.shift_vectors[idx as usize];
                        self.scan_uniform(xi, lo..seg.hi, sh, idx as u32, rlist_sq, out);
                    } else {
                        self.scan_mixed(xi, lo..seg.hi, base, rlist_sq, out);
                    }
                }
                out.counts.push(out.neighbors.len() - start);
            }
        }
    }

    /// Append the atoms of `range` closer than rlist to `xi` through the single shift `sh`.
    #[inline(always)]
    fn scan_uniform(
        &self,
        xi: [f64; 3],
        range: std::ops::Range<usize>,
        sh: [f64; 3],
        idx: u32,
        rlist_sq: f64,
        out: &mut Output,
    ) {
        let xs = &self.bin_positions[range.clone()];
        out.append_where(
            range,
            |_| idx,
            |c| {
                let xj = xs[c];
                let delx = xi[0] - (xj[0] + sh[0]);
                let dely = xi[1] - (xj[1] + sh[1]);
                let delz = xi[2] - (xj[2] + sh[2]);
                delx * delx + dely * dely + delz * delz < rlist_sq
            },
        );
    }

    /// As [`Self::scan_uniform`], with a per-candidate shift (atoms wrapped differently).
    #[inline(always)]
    fn scan_mixed(
        &self,
        xi: [f64; 3],
        range: std::ops::Range<usize>,
        base: i32,
        rlist_sq: f64,
        out: &mut Output,
    ) {
        let xs = &self.bin_positions[range.clone()];
        let keys = &self.bin_wrap_key[range.clone()];
        out.append_where(
            range,
            |c| (base - keys[c]) as u32,
            |c| {
                let xj = xs[c];
                let sh = self.shift_vectors[(base - keys[c]) as usize];
                let delx = xi[0] - (xj[0] + sh[0]);
                let dely = xi[1] - (xj[1] + sh[1]);
                let delz = xi[2] - (xj[2] + sh[2]);
                delx * delx + dely * dely + delz * delz < rlist_sq
            },
        );
    }

    /// The whole half list in bin order.
    /// `pairs_per_atom`: expected entries per row (sizes the buffers; any value is correct).
    pub(super) fn half_binned(&self, rlist_sq: f64, pairs_per_atom: usize) -> BinnedRows {
        let n = self.bin_atoms.len();
        let rows = self.half_stencil_rows();
        let nbins_total = self.bin_start.len() - 1;
        let uniform_wrap = self.bin_wrap_key.windows(2).all(|w| w[0] == w[1]);
        let tasks = n.div_ceil(ATOMS_PER_TASK).max(1);
        let bins_per_task = nbins_total.div_ceil(tasks).max(1);
        let parts: Vec<Output> = (0..nbins_total.div_ceil(bins_per_task))
            .into_par_iter()
            .map(|t| {
                let bins = t * bins_per_task..((t + 1) * bins_per_task).min(nbins_total);
                let atoms = self.bin_start[bins.end] - self.bin_start[bins.start];
                let mut out = Output {
                    counts: Vec::with_capacity(atoms),
                    neighbors: Vec::with_capacity(atoms * pairs_per_atom),
                    shift_index: Vec::with_capacity(atoms * pairs_per_atom),
                };
                let mut segments = Vec::with_capacity(4 * rows.len());
                self.rows_of_bins(bins, &rows, uniform_wrap, rlist_sq, &mut segments, &mut out);
                out
            })
            .collect();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0usize);
        for p in &parts {
            for &c in &p.counts {
                offsets.push(offsets.last().copied().unwrap_or(0) + c);
            }
        }
        let total = offsets.last().copied().unwrap_or(0);
        // Copy each part into its place, in parallel, into uninitialised capacity (no
        // sequential zero-fill of the whole list first).
        let mut neighbors: Vec<u32> = Vec::with_capacity(total);
        let mut shift_index: Vec<u32> = Vec::with_capacity(total);
        let mut slices = Vec::with_capacity(parts.len());
        let (mut rest_n, mut rest_s) = (
            &mut neighbors.spare_capacity_mut()[..total],
            &mut shift_index.spare_capacity_mut()[..total],
        );
        for p in &parts {
            let (a, tail_n) = std::mem::take(&mut rest_n).split_at_mut(p.neighbors.len());
            let (b, tail_s) = std::mem::take(&mut rest_s).split_at_mut(p.neighbors.len());
            slices.push((p, a, b));
            (rest_n, rest_s) = (tail_n, tail_s);
        }
        slices.into_par_iter().for_each(|(p, a, b)| {
            a.write_copy_of_slice(&p.neighbors);
            b.write_copy_of_slice(&p.shift_index);
        });
        // SAFETY: the parts' lengths sum to `total` (it is the last offset), so the slices
        // above tile 0..total of both vectors and every element was written.
        unsafe {
            neighbors.set_len(total);
            shift_index.set_len(total);
        }
        BinnedRows {
            offsets,
            neighbors,
            shift_index,
            order: self.bin_atoms.clone(),
        }
    }
}
