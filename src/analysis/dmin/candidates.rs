//! Candidate edges of the sparse assignment: for each reference atom (row), the current atoms
//! (columns) of an allowed type within an exact minimum-image radius, found with a bin grid on
//! fractional coordinates, and the squared minimum-image distance as edge cost.

use rayon::prelude::*;

use crate::geometry::SimBox;

/// The exact minimum image, fast: the fractional-rounded vector is returned directly when it is
/// no longer than half the smallest periodic width W_min (every other image is then at least
/// W_min − W_min/2 away, since a lattice vector with n_k ≠ 0 has a component n_k·W_k along face
/// normal k); otherwise [`SimBox::minimum_image`] checks the neighbouring images.
#[derive(Debug, Clone, Copy)]
pub struct MinimumImage {
    pub simbox: SimBox,
    h: [f64; 6],
    h_inv: [f64; 6],
    half_width2: f64,
}

impl MinimumImage {
    pub fn new(simbox: &SimBox) -> Self {
        let w = simbox.perpendicular_widths();
        let half = (0..3)
            .filter(|&k| simbox.periodic[k])
            .map(|k| 0.5 * w[k])
            .fold(f64::INFINITY, f64::min);
        MinimumImage {
            simbox: *simbox,
            h: simbox.h(),
            h_inv: simbox.h_inv(),
            half_width2: half * half,
        }
    }

    /// Shortest periodic image of `d`.
    #[inline]
    #[allow(clippy::needless_range_loop)]
    pub fn vector(&self, d: [f64; 3]) -> [f64; 3] {
        let b = &self.simbox;
        if !b.triclinic {
            let mut d = d;
            for k in 0..3 {
                if b.periodic[k] {
                    d[k] -= self.h[k] * (d[k] * self.h_inv[k]).round();
                }
            }
            return d;
        }
        let (h, hi) = (&self.h, &self.h_inv);
        let mut n = [
            hi[0] * d[0] + hi[5] * d[1] + hi[4] * d[2],
            hi[1] * d[1] + hi[3] * d[2],
            hi[2] * d[2],
        ];
        for k in 0..3 {
            n[k] = if b.periodic[k] { n[k].round() } else { 0.0 };
        }
        let r = [
            d[0] - (h[0] * n[0] + h[5] * n[1] + h[4] * n[2]),
            d[1] - (h[1] * n[1] + h[3] * n[2]),
            d[2] - h[2] * n[2],
        ];
        if r[0] * r[0] + r[1] * r[1] + r[2] * r[2] <= self.half_width2 {
            r
        } else {
            b.minimum_image(d)
        }
    }

    /// Squared minimum-image distance from `reference` to `current` (the edge cost).
    #[inline]
    pub fn cost(&self, reference: [f64; 3], current: [f64; 3]) -> f64 {
        let d = self.vector(displacement(reference, current));
        d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
    }
}

/// `current − reference` (before minimum image).
#[inline]
pub fn displacement(reference: [f64; 3], current: [f64; 3]) -> [f64; 3] {
    [
        current[0] - reference[0],
        current[1] - reference[1],
        current[2] - reference[2],
    ]
}

/// A bin grid over the columns (current positions) in fractional coordinates. Bins are at least
/// `width` wide perpendicular to each pair of faces, so every column within `width` of a point lies
/// in the 27 bins around the point's bin (each visited once, as the grid has ≥ 3 bins along every
/// periodic axis).
pub struct ColumnGrid {
    nbins: [usize; 3],
    periodic: [bool; 3],
    /// CSR: columns of bin b are `members[start[b]..start[b + 1]]`, ascending.
    start: Vec<usize>,
    members: Vec<u32>,
    /// Largest radius the grid answers exactly.
    pub width: f64,
}

impl ColumnGrid {
    /// Grid for queries up to `width`; `None` when the box is too small for ≥ 3 bins of that
    /// width along a periodic axis (callers then compare against every column).
    pub fn new(simbox: &SimBox, columns: &[[f64; 3]], width: f64) -> Option<Self> {
        let all: Vec<u32> = (0..columns.len() as u32).collect();
        Self::with_subset(simbox, columns, &all, width)
    }

    /// Grid holding only the columns listed in `subset` (indices into `columns`).
    pub fn with_subset(
        simbox: &SimBox,
        columns: &[[f64; 3]],
        subset: &[u32],
        width: f64,
    ) -> Option<Self> {
        let widths = simbox.perpendicular_widths();
        let mut nbins = [1usize; 3];
        for d in 0..3 {
            let n = (widths[d] / width).floor();
            if !n.is_finite() {
                return None;
            }
            let n = n.clamp(1.0, 1024.0) as usize;
            if simbox.periodic[d] && n < 3 {
                return None;
            }
            nbins[d] = n;
        }
        let total = nbins[0] * nbins[1] * nbins[2];
        let mut bin_of = Vec::with_capacity(subset.len());
        let mut count = vec![0usize; total + 1];
        for &j in subset {
            let b = bin_index(simbox, nbins, columns[j as usize]);
            count[b + 1] += 1;
            bin_of.push(b);
        }
        for b in 0..total {
            count[b + 1] += count[b];
        }
        let start = count.clone();
        let mut fill = count;
        let mut members = vec![0u32; subset.len()];
        for (&j, &b) in subset.iter().zip(&bin_of) {
            members[fill[b]] = j;
            fill[b] += 1;
        }
        Some(ColumnGrid {
            nbins,
            periodic: simbox.periodic,
            start,
            members,
            width,
        })
    }

    /// Call `visit(j)` once for every column in the bins around `x` (a superset of the columns
    /// within `self.width` of `x`).
    #[inline]
    pub fn for_each_near(&self, simbox: &SimBox, x: [f64; 3], mut visit: impl FnMut(usize)) {
        let c = bin_coords(simbox, self.nbins, x);
        let range = |d: usize| -> (i64, i64) {
            let n = self.nbins[d] as i64;
            if self.periodic[d] {
                (-1, 1)
            } else {
                ((-1).max(-c[d]), 1.min(n - 1 - c[d]))
            }
        };
        let (r0, r1, r2) = (range(0), range(1), range(2));
        for dz in r2.0..=r2.1 {
            let bz = wrap(c[2] + dz, self.nbins[2]);
            for dy in r1.0..=r1.1 {
                let by = wrap(c[1] + dy, self.nbins[1]);
                for dx in r0.0..=r0.1 {
                    let bx = wrap(c[0] + dx, self.nbins[0]);
                    let b = (bz * self.nbins[1] + by) * self.nbins[0] + bx;
                    for &j in &self.members[self.start[b]..self.start[b + 1]] {
                        visit(j as usize);
                    }
                }
            }
        }
    }
}

#[inline]
fn wrap(i: i64, n: usize) -> usize {
    i.rem_euclid(n as i64) as usize
}

#[inline]
fn bin_coords(simbox: &SimBox, nbins: [usize; 3], x: [f64; 3]) -> [i64; 3] {
    let s = simbox.to_fractional(x);
    let mut c = [0i64; 3];
    for d in 0..3 {
        let n = nbins[d] as i64;
        let f = if simbox.periodic[d] {
            s[d] - s[d].floor()
        } else {
            s[d]
        };
        // NaN/inf land in bin 0 (costs are then NaN and rejected by the caller's input checks).
        let b = (f * nbins[d] as f64).floor();
        c[d] = if b.is_finite() {
            (b as i64).clamp(0, n - 1)
        } else {
            0
        };
    }
    c
}

#[inline]
fn bin_index(simbox: &SimBox, nbins: [usize; 3], x: [f64; 3]) -> usize {
    let c = bin_coords(simbox, nbins, x);
    ((c[2] as usize * nbins[1]) + c[1] as usize) * nbins[0] + c[0] as usize
}

/// Candidate edges of a set of rows: `(column, cost)` sorted by column, for every column of the
/// row's class whose squared minimum-image distance is ≤ `radius²` (or every column of the class
/// when `radius` is `None`, meaning "all"). `grids[class]` holds that class's columns and must be
/// at least as wide as every radius given for the class (`class_of` gives the class of every
/// row and of every column: same ids, same classes). Row lists are computed in parallel; the
/// result does not depend on the number of threads.
pub fn candidate_lists(
    metric: &MinimumImage,
    reference: &[[f64; 3]],
    current: &[[f64; 3]],
    class_of: &[u32],
    rows: &[usize],
    radius: &[Option<f64>],
    grids: &[Option<ColumnGrid>],
) -> Vec<Vec<(u32, f64)>> {
    rows.par_iter()
        .zip(radius.par_iter())
        .map(|(&i, &r)| {
            let xi = reference[i];
            let class = class_of[i];
            let mut out = Vec::new();
            let mut consider = |j: usize, r2: f64| {
                if class_of[j] == class {
                    let c = metric.cost(xi, current[j]);
                    if c <= r2 {
                        out.push((j as u32, c));
                    }
                }
            };
            match (r, grids.get(class as usize).and_then(Option::as_ref)) {
                (Some(r), Some(g)) if r <= g.width => {
                    g.for_each_near(&metric.simbox, xi, |j| consider(j, r * r));
                }
                _ => {
                    for j in 0..current.len() {
                        consider(j, f64::INFINITY);
                    }
                }
            }
            out.sort_unstable_by_key(|e| e.0);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast minimum image equals the brute-force shortest image over ±3 cells in a strongly
    /// tilted box (both the fast path and the fallback are exercised).
    #[test]
    fn fast_minimum_image_matches_brute_force() {
        let b = SimBox::triclinic([0.0, 1.0, -2.0], [7.0, 8.5, 6.0], [4.5, -3.2, 3.6]).unwrap();
        let m = MinimumImage::new(&b);
        let mut rnd = {
            let mut rng = crate::testing::Lcg(11u64);
            move || rng.uniform()
        };
        for _ in 0..5000 {
            let d = [
                20.0 * rnd() - 10.0,
                20.0 * rnd() - 10.0,
                20.0 * rnd() - 10.0,
            ];
            let v = m.vector(d);
            let got = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            let mut best = f64::INFINITY;
            for i in -3..=3 {
                for j in -3..=3 {
                    for k in -3..=3 {
                        let s = b.image_shift([i, j, k]);
                        let e = [d[0] + s[0], d[1] + s[1], d[2] + s[2]];
                        best = best.min(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
                    }
                }
            }
            assert!(
                (got - best).abs() <= 1e-12 * best.max(1.0),
                "{d:?}: {got} vs {best}"
            );
        }
    }
}
