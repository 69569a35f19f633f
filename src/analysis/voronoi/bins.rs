//! The bin grid of the tessellation: atoms sorted into bins of fractional coordinates, and the
//! bins (with their periodic image) that can hold an atom within a given distance of a point
//! (the "shells" the neighbour search grows through).
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
    /// periodic axes are wrapped here) with about `atoms_per_bin` atoms per bin.
    pub fn new(simbox: &SimBox, fractional: &[[f64; 3]], atoms_per_bin: f64) -> Self {
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
        BinGrid {
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
        }
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

    /// Lower bound of the distance from atom (fraction `f` in its bin) to bin offset `a`.
    #[inline]
    pub fn atom_bound(&self, a: [i32; 3], f: [f64; 3]) -> f64 {
        let g = [
            axis_gap(a[0], f[0], self.bin_width[0]),
            axis_gap(a[1], f[1], self.bin_width[1]),
            axis_gap(a[2], f[2], self.bin_width[2]),
        ];
        if self.orthogonal {
            (g[0] * g[0] + g[1] * g[1] + g[2] * g[2]).sqrt()
        } else {
            g[0].max(g[1]).max(g[2])
        }
    }

    /// Bin index and periodic image along axis `d` of the (unwrapped) bin coordinate `x`, or
    /// `None` outside a non-periodic axis.
    #[inline]
    fn wrap_axis(&self, d: usize, x: i32) -> Option<(usize, i32)> {
        let n = self.nbins[d] as i32;
        if (0..n).contains(&x) {
            Some((x as usize, 0))
        } else if !self.periodic[d] {
            None
        } else {
            Some((x.rem_euclid(n) as usize, x.div_euclid(n)))
        }
    }

    /// Every bin (flat index, periodic image) that may hold an atom closer than `radius` to the
    /// point at fraction `f` of bin `bin`, into `out` (cleared first). Bins are pruned axis by
    /// axis with [`Self::atom_bound`]'s gaps: z, then z+y, then all three.
    pub fn bins_within(
        &self,
        bin: [i32; 3],
        f: [f64; 3],
        radius: f64,
        out: &mut Vec<(usize, [i32; 3])>,
    ) {
        out.clear();
        let r2 = radius * radius;
        let k = [
            self.axis_reach(0, radius),
            self.axis_reach(1, radius),
            self.axis_reach(2, radius),
        ];
        let w = self.bin_width;
        // Orthogonal: Σ gap² < r²; triclinic: max gap < r (compared squared as well).
        let join = |a: f64, b: f64| if self.orthogonal { a + b } else { a.max(b) };
        for c in -k[2]..=k[2] {
            let gz = axis_gap(c, f[2], w[2]);
            let gz2 = gz * gz;
            if gz2 >= r2 {
                continue;
            }
            let Some((tz, iz)) = self.wrap_axis(2, bin[2] + c) else {
                continue;
            };
            for b in -k[1]..=k[1] {
                let gy = axis_gap(b, f[1], w[1]);
                let gyz2 = join(gy * gy, gz2);
                if gyz2 >= r2 {
                    continue;
                }
                let Some((ty, iy)) = self.wrap_axis(1, bin[1] + b) else {
                    continue;
                };
                let row = (tz * self.nbins[1] + ty) * self.nbins[0];
                for a in -k[0]..=k[0] {
                    let gx = axis_gap(a, f[0], w[0]);
                    if join(gx * gx, gyz2) >= r2 {
                        continue;
                    }
                    if let Some((tx, ix)) = self.wrap_axis(0, bin[0] + a) {
                        out.push((row + tx, [ix, iy, iz]));
                    }
                }
            }
        }
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

    /// Brute force oracle (triclinic box, so the max-combination is exercised): every atom
    /// (any periodic image) closer than the radius to an atom lies in a bin `bins_within` lists,
    /// and no bin is listed twice.
    #[test]
    fn bins_within_holds_every_atom_within_the_radius() {
        let b = SimBox::triclinic([0.0; 3], [7.0, 6.0, 5.0], [2.0, -1.5, 1.0]).unwrap();
        let mut seed = 3u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let frac: Vec<[f64; 3]> = (0..300).map(|_| [rnd(), rnd(), rnd()]).collect();
        let g = BinGrid::new(&b, &frac, 2.0);
        let radius = 6.0;
        let mut bins = Vec::new();
        for i in 0..frac.len() {
            g.bins_within(g.atom_bin[i], g.atom_in_bin[i], radius, &mut bins);
            let mut listed: Vec<(usize, [i32; 3])> = bins.clone();
            listed.sort();
            listed.dedup();
            assert_eq!(listed.len(), bins.len(), "a bin is listed twice");
            let y = g.wrapped[i];
            for (slot, &j) in g.atoms.iter().enumerate() {
                let x = g.wrapped[j as usize];
                let k = (0..g.nbins[0] * g.nbins[1] * g.nbins[2])
                    .find(|&k| g.bin_range(k).contains(&slot))
                    .unwrap();
                for img in [-2i32, -1, 0, 1, 2]
                    .iter()
                    .flat_map(|&a| [-2i32, -1, 0, 1, 2].map(move |b| (a, b)))
                    .flat_map(|(a, b)| [-2i32, -1, 0, 1, 2].map(move |c| [a, b, c]))
                {
                    let s = b.image_shift(img);
                    let d2: f64 = (0..3).map(|e| (x[e] + s[e] - y[e]).powi(2)).sum();
                    if d2 < radius * radius {
                        assert!(
                            bins.contains(&(k, img)),
                            "atom {j} image {img:?} at {} missed",
                            d2.sqrt()
                        );
                    }
                }
            }
        }
    }
}
