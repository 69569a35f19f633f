//! The bin grid of the tessellation: atoms sorted into bins of fractional coordinates, and the
//! list of bin offsets in order of their smallest possible distance (the "shells" the neighbour
//! search grows through).
//!
//! Distances are bounded with perpendicular bin widths: a bin `a` bins away along fractional axis
//! d is at least `(|a| − 1 + f)·w_d` away (f: the atom's position within its own bin, w_d the
//! perpendicular width of a bin). Orthogonal boxes combine the three bounds in quadrature,
//! triclinic boxes take the largest (the axes are not orthogonal, so only that is a valid bound).

use crate::geometry::SimBox;

/// Atoms binned on a grid of fractional coordinates.
#[derive(Debug, Clone)]
pub struct BinGrid {
    pub nbins: [usize; 3],
    pub periodic: [bool; 3],
    orthogonal: bool,
    /// Perpendicular width of one bin along each fractional axis.
    pub bin_width: [f64; 3],
    /// CSR: atoms of bin b are `atoms[bin_start[b]..bin_start[b+1]]`.
    bin_start: Vec<u32>,
    /// Original atom indices in bin order.
    pub atoms: Vec<u32>,
    /// Wrapped Cartesian positions in bin order.
    pub positions: Vec<[f64; 3]>,
    /// Per original atom: its bin and its position within the bin (fraction of a bin).
    pub atom_bin: Vec<[i32; 3]>,
    pub atom_in_bin: Vec<[f64; 3]>,
    /// Per original atom: its wrapped Cartesian position.
    pub wrapped: Vec<[f64; 3]>,
    /// Bin offsets sorted by their position-independent lower distance bound (`offset_bound`).
    pub offsets: Vec<[i32; 3]>,
    pub offset_bound: Vec<f64>,
    /// Every offset with bound < `covered_radius` is in `offsets`.
    pub covered_radius: f64,
}

/// Lower bound of the distance from a point at fraction `f` of its bin to bin offset `a`.
#[inline]
fn axis_gap(a: i32, f: f64, w: f64) -> f64 {
    if a > 0 {
        (a as f64 - f) * w
    } else if a < 0 {
        ((-a) as f64 - 1.0 + f) * w
    } else {
        0.0
    }
}

impl BinGrid {
    /// Bin `fractional` positions (already checked to lie in [0,1] along non-periodic axes;
    /// periodic axes are wrapped here) with about `atoms_per_bin` atoms per bin, and list the
    /// offsets reaching at least `cover_radius`.
    pub fn new(
        simbox: &SimBox,
        fractional: &[[f64; 3]],
        atoms_per_bin: f64,
        cover_radius: f64,
    ) -> Self {
        let n = fractional.len();
        let widths = simbox.perpendicular_widths();
        let per_atom_volume = simbox.volume() / n.max(1) as f64;
        let target = (atoms_per_bin * per_atom_volume).cbrt();
        let mut nbins = [1usize; 3];
        for d in 0..3 {
            let k = (widths[d] / target).floor();
            // Cap the grid so it never exceeds ~n bins in total along one axis.
            nbins[d] = (k.max(1.0) as usize).min(n.max(1));
        }
        let bin_width = [
            widths[0] / nbins[0] as f64,
            widths[1] / nbins[1] as f64,
            widths[2] / nbins[2] as f64,
        ];
        let mut atom_bin = Vec::with_capacity(n);
        let mut atom_in_bin = Vec::with_capacity(n);
        let mut wrapped = Vec::with_capacity(n);
        let mut flat = Vec::with_capacity(n);
        for s in fractional {
            let mut sw = *s;
            let mut b = [0i32; 3];
            let mut f = [0.0; 3];
            for d in 0..3 {
                if simbox.periodic[d] {
                    sw[d] -= sw[d].floor();
                    if sw[d] >= 1.0 {
                        sw[d] = 0.0;
                    }
                }
                let x = sw[d] * nbins[d] as f64;
                let k = (x.floor() as i64).clamp(0, nbins[d] as i64 - 1);
                b[d] = k as i32;
                f[d] = (x - k as f64).clamp(0.0, 1.0);
            }
            wrapped.push(if sw == *s {
                simbox.to_cartesian(*s)
            } else {
                simbox.to_cartesian(sw)
            });
            flat.push((b[2] as usize * nbins[1] + b[1] as usize) * nbins[0] + b[0] as usize);
            atom_bin.push(b);
            atom_in_bin.push(f);
        }
        let nb = nbins[0] * nbins[1] * nbins[2];
        let mut bin_start = vec![0u32; nb + 1];
        for &k in &flat {
            bin_start[k + 1] += 1;
        }
        for k in 0..nb {
            bin_start[k + 1] += bin_start[k];
        }
        let mut fill = bin_start.clone();
        let mut atoms = vec![0u32; n];
        for (i, &k) in flat.iter().enumerate() {
            atoms[fill[k] as usize] = i as u32;
            fill[k] += 1;
        }
        let positions = atoms.iter().map(|&i| wrapped[i as usize]).collect();
        let mut grid = BinGrid {
            nbins,
            periodic: simbox.periodic,
            orthogonal: !simbox.triclinic || simbox.tilt.iter().all(|&t| t == 0.0),
            bin_width,
            bin_start,
            atoms,
            positions,
            atom_bin,
            atom_in_bin,
            wrapped,
            offsets: Vec::new(),
            offset_bound: Vec::new(),
            covered_radius: 0.0,
        };
        grid.build_offsets(cover_radius);
        grid
    }

    /// Range of offsets along axis d needed to reach `radius` (all bins for non-periodic axes).
    pub fn axis_reach(&self, d: usize, radius: f64) -> i32 {
        let k = (radius / self.bin_width[d]).ceil() as i64 + 1;
        let k = if self.periodic[d] {
            k
        } else {
            k.min(self.nbins[d] as i64 - 1)
        };
        k.clamp(0, 1 << 20) as i32
    }

    /// Position-independent lower bound of the distance to offset `a` (worst case f).
    pub fn worst_bound(&self, a: [i32; 3]) -> f64 {
        let g = |d: usize| (a[d].abs() as f64 - 1.0).max(0.0) * self.bin_width[d];
        self.combine([g(0), g(1), g(2)])
    }

    /// Lower bound of the distance from atom (fraction `f` in its bin) to bin offset `a`.
    #[inline]
    pub fn atom_bound(&self, a: [i32; 3], f: [f64; 3]) -> f64 {
        self.combine([
            axis_gap(a[0], f[0], self.bin_width[0]),
            axis_gap(a[1], f[1], self.bin_width[1]),
            axis_gap(a[2], f[2], self.bin_width[2]),
        ])
    }

    #[inline]
    fn combine(&self, g: [f64; 3]) -> f64 {
        if self.orthogonal {
            (g[0] * g[0] + g[1] * g[1] + g[2] * g[2]).sqrt()
        } else {
            g[0].max(g[1]).max(g[2])
        }
    }

    fn build_offsets(&mut self, radius: f64) {
        let k = [
            self.axis_reach(0, radius),
            self.axis_reach(1, radius),
            self.axis_reach(2, radius),
        ];
        let mut list: Vec<(f64, [i32; 3])> = Vec::new();
        for c in -k[2]..=k[2] {
            for b in -k[1]..=k[1] {
                for a in -k[0]..=k[0] {
                    let o = [a, b, c];
                    let lb = self.worst_bound(o);
                    if lb < radius {
                        list.push((lb, o));
                    }
                }
            }
        }
        list.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        self.offsets = list.iter().map(|x| x.1).collect();
        self.offset_bound = list.iter().map(|x| x.0).collect();
        self.covered_radius = radius;
    }

    /// The bin reached from bin `b` by offset `a`: (flat bin index, periodic image), or `None`
    /// when it falls outside a non-periodic axis.
    #[inline]
    pub fn target(&self, b: [i32; 3], a: [i32; 3]) -> Option<(usize, [i32; 3])> {
        let mut t = [0usize; 3];
        let mut image = [0i32; 3];
        for d in 0..3 {
            let n = self.nbins[d] as i32;
            let x = b[d] + a[d];
            if self.periodic[d] {
                // Offsets rarely reach past one box length: avoid integer division.
                if (0..n).contains(&x) {
                    t[d] = x as usize;
                } else if (-n..0).contains(&x) {
                    image[d] = -1;
                    t[d] = (x + n) as usize;
                } else if (n..2 * n).contains(&x) {
                    image[d] = 1;
                    t[d] = (x - n) as usize;
                } else {
                    image[d] = x.div_euclid(n);
                    t[d] = x.rem_euclid(n) as usize;
                }
            } else if x < 0 || x >= n {
                return None;
            } else {
                t[d] = x as usize;
            }
        }
        Some(((t[2] * self.nbins[1] + t[1]) * self.nbins[0] + t[0], image))
    }

    /// Range (into `atoms`/`positions`) of the atoms in flat bin `k`.
    #[inline]
    pub fn bin_range(&self, k: usize) -> std::ops::Range<usize> {
        self.bin_start[k] as usize..self.bin_start[k + 1] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force oracle: the per-atom bound never exceeds the true distance from the atom to
    /// any atom in the offset bin (triclinic box, so the max-combination is exercised).
    #[test]
    fn atom_bound_is_a_lower_bound() {
        let b = SimBox::triclinic([0.0; 3], [7.0, 6.0, 5.0], [2.0, -1.5, 1.0]).unwrap();
        let mut seed = 3u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let frac: Vec<[f64; 3]> = (0..300).map(|_| [rnd(), rnd(), rnd()]).collect();
        let g = BinGrid::new(&b, &frac, 2.0, 6.0);
        for i in 0..frac.len() {
            for &a in &g.offsets {
                let lb = g.atom_bound(a, g.atom_in_bin[i]);
                let Some((k, img)) = g.target(g.atom_bin[i], a) else {
                    continue;
                };
                let shift = b.image_shift(img);
                for j in g.bin_range(k) {
                    let x = g.positions[j];
                    let y = g.wrapped[i];
                    let d = ((0..3)
                        .map(|e| (x[e] + shift[e] - y[e]).powi(2))
                        .sum::<f64>())
                    .sqrt();
                    assert!(lb <= d + 1e-12, "bound {lb} > distance {d}");
                }
            }
        }
    }
}
