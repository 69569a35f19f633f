//! The periodic simulation box: h-matrix, fractional coordinates, wrapping with image flags,
//! unwrapping, minimum image, and the LAMMPS dump "bound box" conversion.
//!
//! Every formula mirrors the operation order of LAMMPS (`Domain::set_global_box`,
//! `Domain::x2lamda`, `Domain::lamda2x`, `Domain::remap`) so that coordinates converted here give
//! the same bits as the same conversion inside LAMMPS.

use thiserror::Error;

/// Problems with a box definition (zero or negative lengths, non-finite numbers).
#[derive(Debug, Error, Clone, PartialEq)]
pub enum BoxError {
    #[error("box is degenerate: {axis} length {length} (hi must be greater than lo)")]
    Degenerate { axis: char, length: f64 },
    #[error("box has a non-finite value: {what} = {value}")]
    NonFinite { what: &'static str, value: f64 },
}

/// A LAMMPS simulation box.
///
/// `lo`/`hi` are `boxlo`/`boxhi` (not the dump bound box); `tilt` is `[xy, xz, yz]`.
/// `triclinic` records whether the box is a LAMMPS triclinic box (tilts written to files even when
/// they are zero), exactly as `domain->triclinic`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimBox {
    pub lo: [f64; 3],
    pub hi: [f64; 3],
    pub tilt: [f64; 3],
    pub periodic: [bool; 3],
    pub triclinic: bool,
}

/// Index names of the tilt array.
pub const XY: usize = 0;
pub const XZ: usize = 1;
pub const YZ: usize = 2;

impl SimBox {
    /// Orthogonal, fully periodic box.
    pub fn orthogonal(lo: [f64; 3], hi: [f64; 3]) -> Result<Self, BoxError> {
        Self::new(lo, hi, [0.0; 3], false, [true; 3])
    }

    /// Cubic, orthogonal, fully periodic box from the origin holding `natoms` atoms at number
    /// density `density` (atoms per volume): edge (natoms/density)^(1/3).
    pub fn cubic_for_density(natoms: usize, density: f64) -> Result<Self, BoxError> {
        let l = (natoms as f64 / density).cbrt();
        Self::orthogonal([0.0; 3], [l; 3])
    }

    /// Triclinic, fully periodic box with tilts `[xy, xz, yz]`.
    pub fn triclinic(lo: [f64; 3], hi: [f64; 3], tilt: [f64; 3]) -> Result<Self, BoxError> {
        Self::new(lo, hi, tilt, true, [true; 3])
    }

    /// General constructor; validates lengths and finiteness.
    pub fn new(
        lo: [f64; 3],
        hi: [f64; 3],
        tilt: [f64; 3],
        triclinic: bool,
        periodic: [bool; 3],
    ) -> Result<Self, BoxError> {
        for d in 0..3 {
            for (what, v) in [("lo", lo[d]), ("hi", hi[d]), ("tilt", tilt[d])] {
                if !v.is_finite() {
                    return Err(BoxError::NonFinite { what, value: v });
                }
            }
            if hi[d] - lo[d] <= 0.0 {
                return Err(BoxError::Degenerate {
                    axis: AXES[d],
                    length: hi[d] - lo[d],
                });
            }
        }
        let tilt = if triclinic { tilt } else { [0.0; 3] };
        Ok(SimBox {
            lo,
            hi,
            tilt,
            periodic,
            triclinic,
        })
    }

    /// Box lengths `[xprd, yprd, zprd]`.
    #[inline]
    pub fn lengths(&self) -> [f64; 3] {
        [
            self.hi[0] - self.lo[0],
            self.hi[1] - self.lo[1],
            self.hi[2] - self.lo[2],
        ]
    }

    /// The LAMMPS `h` array: `[xprd, yprd, zprd, yz, xz, xy]`.
    #[inline]
    pub fn h(&self) -> [f64; 6] {
        let l = self.lengths();
        [
            l[0],
            l[1],
            l[2],
            self.tilt[YZ],
            self.tilt[XZ],
            self.tilt[XY],
        ]
    }

    /// The LAMMPS `h_inv` array, computed as in `Domain::set_global_box`.
    #[inline]
    pub fn h_inv(&self) -> [f64; 6] {
        let h = self.h();
        [
            1.0 / h[0],
            1.0 / h[1],
            1.0 / h[2],
            -h[3] / (h[1] * h[2]),
            (h[3] * h[5] - h[1] * h[4]) / (h[0] * h[1] * h[2]),
            -h[5] / (h[0] * h[1]),
        ]
    }

    /// Edge vectors a, b, c as rows.
    pub fn edge_vectors(&self) -> [[f64; 3]; 3] {
        let l = self.lengths();
        [
            [l[0], 0.0, 0.0],
            [self.tilt[XY], l[1], 0.0],
            [self.tilt[XZ], self.tilt[YZ], l[2]],
        ]
    }

    /// Box volume (lx·ly·lz; tilts do not change it).
    pub fn volume(&self) -> f64 {
        let l = self.lengths();
        l[0] * l[1] * l[2]
    }

    /// Perpendicular widths of the box (distance between opposite faces), used to decide how
    /// many periodic images a cutoff reaches.
    pub fn perpendicular_widths(&self) -> [f64; 3] {
        let [a, b, c] = self.edge_vectors();
        let v = self.volume();
        let area = |u: [f64; 3], w: [f64; 3]| norm(cross(u, w));
        [v / area(b, c), v / area(c, a), v / area(a, b)]
    }

    /// Cartesian → fractional, `Domain::x2lamda` operation order (orthogonal boxes use the same
    /// formula with zero tilts, which LAMMPS' orthogonal `xs` columns also match).
    #[inline]
    pub fn to_fractional(&self, x: [f64; 3]) -> [f64; 3] {
        let hi = self.h_inv();
        let d0 = x[0] - self.lo[0];
        let d1 = x[1] - self.lo[1];
        let d2 = x[2] - self.lo[2];
        if !self.triclinic {
            return [hi[0] * d0, hi[1] * d1, hi[2] * d2];
        }
        [
            hi[0] * d0 + hi[5] * d1 + hi[4] * d2,
            hi[1] * d1 + hi[3] * d2,
            hi[2] * d2,
        ]
    }

    /// Fractional → Cartesian, `Domain::lamda2x` operation order.
    #[inline]
    pub fn to_cartesian(&self, s: [f64; 3]) -> [f64; 3] {
        let h = self.h();
        if !self.triclinic {
            return [
                h[0] * s[0] + self.lo[0],
                h[1] * s[1] + self.lo[1],
                h[2] * s[2] + self.lo[2],
            ];
        }
        [
            h[0] * s[0] + h[5] * s[1] + h[4] * s[2] + self.lo[0],
            h[1] * s[1] + h[3] * s[2] + self.lo[1],
            h[2] * s[2] + self.lo[2],
        ]
    }

    /// Wrap a position into the box along periodic dimensions, updating image flags, as
    /// `Domain::remap(x, image)` does (including the final clamp to `lo`).
    pub fn wrap(&self, x: [f64; 3], image: &mut [i32; 3]) -> [f64; 3] {
        if self.triclinic {
            let mut s = self.to_fractional(x);
            for d in 0..3 {
                if self.periodic[d] {
                    wrap_coordinate(&mut s[d], 0.0, 1.0, 1.0, &mut image[d]);
                }
            }
            self.to_cartesian(s)
        } else {
            let l = self.lengths();
            let mut y = x;
            for d in 0..3 {
                if self.periodic[d] {
                    wrap_coordinate(&mut y[d], self.lo[d], self.hi[d], l[d], &mut image[d]);
                }
            }
            y
        }
    }

    /// Unwrapped position from a wrapped one and its image flags (LAMMPS `xu yu zu` formula).
    #[inline]
    pub fn unwrap(&self, x: [f64; 3], image: [i32; 3]) -> [f64; 3] {
        let h = self.h();
        let (ix, iy, iz) = (image[0] as f64, image[1] as f64, image[2] as f64);
        if !self.triclinic {
            return [x[0] + ix * h[0], x[1] + iy * h[1], x[2] + iz * h[2]];
        }
        [
            x[0] + h[0] * ix + h[5] * iy + h[4] * iz,
            x[1] + h[1] * iy + h[3] * iz,
            x[2] + h[2] * iz,
        ]
    }

    /// Cartesian translation of the periodic image `n` (n_a·a + n_b·b + n_c·c).
    #[inline]
    pub fn image_shift(&self, n: [i32; 3]) -> [f64; 3] {
        self.unwrap([0.0; 3], n)
    }

    /// The shortest periodic image of a displacement vector, exact for any tilt.
    ///
    /// Rounding in fractional space alone is not always the nearest image in a tilted cell, so
    /// the rounded candidate's 26 neighbouring images are also checked (periodic dimensions only).
    pub fn minimum_image(&self, d: [f64; 3]) -> [f64; 3] {
        let hi = self.h_inv();
        let mut s = if self.triclinic {
            [
                hi[0] * d[0] + hi[5] * d[1] + hi[4] * d[2],
                hi[1] * d[1] + hi[3] * d[2],
                hi[2] * d[2],
            ]
        } else {
            [hi[0] * d[0], hi[1] * d[1], hi[2] * d[2]]
        };
        let mut base = [0i32; 3];
        for k in 0..3 {
            if self.periodic[k] {
                base[k] = -(s[k].round() as i32);
                s[k] += base[k] as f64;
            }
        }
        let first = add(d, self.image_shift(base));
        if !self.triclinic {
            return first;
        }
        let mut best = first;
        let mut best_r2 = dot(first, first);
        let range = |k: usize| if self.periodic[k] { -1..=1 } else { 0..=0 };
        for i in range(0) {
            for j in range(1) {
                for k in range(2) {
                    if i == 0 && j == 0 && k == 0 {
                        continue;
                    }
                    let cand = add(first, self.image_shift([i, j, k]));
                    let r2 = dot(cand, cand);
                    if r2 < best_r2 {
                        best_r2 = r2;
                        best = cand;
                    }
                }
            }
        }
        best
    }

    /// Minimum-image distance from `a` to `b` (|minimum_image(b − a)|).
    pub fn distance(&self, a: [f64; 3], b: [f64; 3]) -> f64 {
        let d = self.minimum_image([b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
        (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
    }

    /// Fully periodic orthogonal box `[lo − pad, hi + pad]` around a bounding box (see
    /// [`bounding_box`]): with `pad` ≥ the interaction cutoff, periodic images of atoms inside
    /// `[lo, hi]` never interact, so an evaluation in it is that of the isolated cluster.
    pub fn padded(lo: [f64; 3], hi: [f64; 3], pad: f64) -> Result<Self, BoxError> {
        Self::orthogonal(lo.map(|v| v - pad), hi.map(|v| v + pad))
    }

    /// Non-periodic orthogonal box with walls `margin` beyond a bounding box (see
    /// [`bounding_box`]), e.g. for the Voronoi cells of atoms given without a box.
    pub fn walled(lo: [f64; 3], hi: [f64; 3], margin: f64) -> Result<Self, BoxError> {
        Self::new(
            lo.map(|v| v - margin),
            hi.map(|v| v + margin),
            [0.0; 3],
            false,
            [false; 3],
        )
    }

    /// The dump "bound box" `[[xlo_b, xhi_b], [ylo_b, yhi_b], [zlo_b, zhi_b]]`
    /// (`Domain::set_global_box` operation order).
    pub fn bounds(&self) -> [[f64; 2]; 3] {
        if !self.triclinic {
            return [
                [self.lo[0], self.hi[0]],
                [self.lo[1], self.hi[1]],
                [self.lo[2], self.hi[2]],
            ];
        }
        let [xy, xz, yz] = self.tilt;
        let b = self.lo[0].min(self.lo[0] + xy);
        let xlo_b = b.min(b + xz);
        let b = self.hi[0].max(self.hi[0] + xy);
        let xhi_b = b.max(b + xz);
        let ylo_b = self.lo[1].min(self.lo[1] + yz);
        let yhi_b = self.hi[1].max(self.hi[1] + yz);
        [[xlo_b, xhi_b], [ylo_b, yhi_b], [self.lo[2], self.hi[2]]]
    }

    /// Inverse of [`SimBox::bounds`]: the box from a dump's bound box and tilts
    /// (as LAMMPS `read_dump` and OVITO do). Periodicity is set by the caller.
    pub fn from_bounds(bounds: [[f64; 2]; 3], tilt: Option<[f64; 3]>) -> Result<Self, BoxError> {
        match tilt {
            None => Self::orthogonal(
                [bounds[0][0], bounds[1][0], bounds[2][0]],
                [bounds[0][1], bounds[1][1], bounds[2][1]],
            ),
            Some([xy, xz, yz]) => {
                let xlo = bounds[0][0] - 0f64.min(xy).min(xz).min(xy + xz);
                let xhi = bounds[0][1] - 0f64.max(xy).max(xz).max(xy + xz);
                let ylo = bounds[1][0] - 0f64.min(yz);
                let yhi = bounds[1][1] - 0f64.max(yz);
                Self::triclinic(
                    [xlo, ylo, bounds[2][0]],
                    [xhi, yhi, bounds[2][1]],
                    [xy, xz, yz],
                )
            }
        }
    }
}

const AXES: [char; 3] = ['x', 'y', 'z'];

/// One dimension of `Domain::remap`: shift by whole periods into [lo, hi), then clamp to lo.
#[inline]
fn wrap_coordinate(c: &mut f64, lo: f64, hi: f64, period: f64, image: &mut i32) {
    if !c.is_finite() {
        return;
    }
    if *c < lo || *c >= hi {
        // Jump most of the way at once for far-away atoms, then finish as LAMMPS does.
        let n = ((*c - lo) / period).floor();
        if n.abs() > 2.0 {
            let k = n - n.signum();
            *c -= k * period;
            *image += k as i32;
        }
    }
    while *c < lo {
        *c += period;
        *image -= 1;
    }
    while *c >= hi {
        *c -= period;
        *image += 1;
    }
    *c = c.max(lo);
}

/// A position that is NaN or infinite, by its index in the array given.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("position {index} is not finite: {position:?}")]
pub struct NonFinitePosition {
    pub index: usize,
    pub position: [f64; 3],
}

/// Axis-aligned bounding box `(lo, hi)` of positions given without a box (e.g. a LAMMPS rank's
/// owned + ghost atoms), or the first non-finite position. Empty input gives `lo = +∞`,
/// `hi = −∞`.
pub fn bounding_box(x: &[[f64; 3]]) -> Result<([f64; 3], [f64; 3]), NonFinitePosition> {
    let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
    for (index, r) in x.iter().enumerate() {
        if !r.iter().all(|v| v.is_finite()) {
            return Err(NonFinitePosition {
                index,
                position: *r,
            });
        }
        for d in 0..3 {
            lo[d] = lo[d].min(r[d]);
            hi[d] = hi[d].max(r[d]);
        }
    }
    Ok((lo, hi))
}

#[inline]
pub(crate) fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
#[inline]
pub(crate) fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
#[inline]
pub(crate) fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}
#[inline]
pub(crate) fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tilted() -> SimBox {
        SimBox::triclinic([-1.0, 0.5, 2.0], [9.0, 8.5, 14.0], [4.9, -3.7, 3.9]).unwrap()
    }

    #[test]
    fn cubic_for_density_holds_the_density() {
        // Exact identity natoms / volume = density, up to the rounding of cbrt and the cube
        // (a few ulp: 1e-14 relative).
        let b = SimBox::cubic_for_density(2000, 0.0576).unwrap();
        let rho = 2000.0 / b.volume();
        assert!((rho / 0.0576 - 1.0).abs() < 1e-14, "{rho}");
        let l = b.lengths();
        assert!(l[0] == l[1] && l[1] == l[2] && b.lo == [0.0; 3] && !b.triclinic);
        // Zero or negative density gives no finite box: an error, not a panic.
        assert!(SimBox::cubic_for_density(10, 0.0).is_err());
        assert!(SimBox::cubic_for_density(10, -1.0).is_err());
    }

    #[test]
    fn fractional_round_trip_and_h_inv_is_inverse() {
        let b = tilted();
        let x = [3.3, 1.7, 9.1];
        let s = b.to_fractional(x);
        let y = b.to_cartesian(s);
        for d in 0..3 {
            assert!((x[d] - y[d]).abs() < 1e-13);
        }
        // Edge vectors map to unit vectors.
        let [a, bb, c] = b.edge_vectors();
        let sa = b.to_fractional(add(a, b.lo));
        let sb = b.to_fractional(add(bb, b.lo));
        let sc = b.to_fractional(add(c, b.lo));
        for (s, e) in [
            (sa, [1.0, 0.0, 0.0]),
            (sb, [0.0, 1.0, 0.0]),
            (sc, [0.0, 0.0, 1.0]),
        ] {
            for d in 0..3 {
                assert!((s[d] - e[d]).abs() < 1e-14, "{s:?} vs {e:?}");
            }
        }
    }

    #[test]
    fn wrap_then_unwrap_restores_position() {
        let b = tilted();
        for x in [[25.0, -13.0, 40.0], [-30.0, 30.0, -20.0], [1.0, 1.0, 3.0]] {
            let mut img = [0; 3];
            let w = b.wrap(x, &mut img);
            let s = b.to_fractional(w);
            for d in 0..3 {
                assert!((0.0..1.0).contains(&s[d]), "{s:?}");
            }
            let u = b.unwrap(w, img);
            for d in 0..3 {
                assert!((u[d] - x[d]).abs() < 1e-12, "{u:?} vs {x:?}");
            }
        }
    }

    /// Brute force over many images is the oracle for the exact minimum image.
    #[test]
    fn minimum_image_matches_brute_force_in_strongly_tilted_box() {
        let b = tilted();
        let mut rnd = {
            let mut rng = crate::testing::Lcg(12345u64);
            move || rng.uniform()
        };
        let mut naive_was_wrong = 0;
        for _ in 0..2000 {
            let d = [
                rnd() * 40.0 - 20.0,
                rnd() * 40.0 - 20.0,
                rnd() * 40.0 - 20.0,
            ];
            let m = b.minimum_image(d);
            let mut best = f64::INFINITY;
            for i in -4..=4 {
                for j in -4..=4 {
                    for k in -4..=4 {
                        let c = add(d, b.image_shift([i, j, k]));
                        best = best.min(dot(c, c));
                    }
                }
            }
            assert!((dot(m, m) - best).abs() <= 1e-12 * best.max(1.0));
            // Naive rounding in fractional space.
            let mut s = b.to_fractional(add(d, b.lo));
            s.iter_mut().for_each(|v| *v -= v.round());
            let n = b.to_cartesian(s);
            let n = [n[0] - b.lo[0], n[1] - b.lo[1], n[2] - b.lo[2]];
            if dot(n, n) > best * (1.0 + 1e-9) {
                naive_was_wrong += 1;
            }
        }
        assert!(
            naive_was_wrong > 0,
            "test box should exercise the non-naive case"
        );
    }

    #[test]
    fn bounds_round_trip_with_negative_tilts() {
        for tilt in [[-2.0, -1.5, -0.7], [2.0, -3.0, 1.0], [-1.0, 2.5, 0.0]] {
            let b = SimBox::triclinic([0.5, -2.0, 1.0], [10.5, 8.0, 7.0], tilt).unwrap();
            let bb = b.bounds();
            let back = SimBox::from_bounds(bb, Some(tilt)).unwrap();
            for d in 0..3 {
                assert!((back.lo[d] - b.lo[d]).abs() < 1e-14);
                assert!((back.hi[d] - b.hi[d]).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn degenerate_box_is_an_error() {
        assert!(matches!(
            SimBox::orthogonal([0.0; 3], [1.0, 0.0, 1.0]),
            Err(BoxError::Degenerate { axis: 'y', .. })
        ));
    }
}
