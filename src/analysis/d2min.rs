//! Falk–Langer D²min and the atomic strain of every atom (least-squares deformation gradient
//! from its reference neighbours), with the conventions of OVITO's Atomic Strain modifier.
//!
//! For atom i with reference neighbours j (within `cutoff` in the reference configuration):
//! * u_i = displacement of atom i: reduced (fractional) coordinates of the current position in
//!   the current cell minus those of the reference position in the reference cell, minimum image
//!   (rounded, on the reference cell's periodic axes) when enabled, mapped back with the
//!   reference cell matrix;
//! * δ⁰_ij = x⁰_j − x⁰_i (reference minimum image), δ_ij = δ⁰_ij + u_j − u_i;
//! * affine mapping: `Off` (OVITO's default) maps δ_ij by T = H_cur·H_ref⁻¹, `ToReference`
//!   leaves both in the reference cell, `ToCurrent` maps both δ⁰ and δ by T;
//! * V = Σ δ⁰ δ⁰ᵀ, W = Σ δ δ⁰ᵀ, F = W V⁻¹; D²min = Σ_j |F δ⁰_ij − δ_ij|² (OVITO's sum, squared
//!   length units), `d2min_mean` = D²min / (number of neighbours);
//! * Green–Lagrange strain E = (FᵀF − I)/2, von Mises shear strain
//!   √(E_xy² + E_xz² + E_yz² + ((E_xx−E_yy)² + (E_xx−E_zz)² + (E_yy−E_zz)²)/6), volumetric strain
//!   (E_xx + E_yy + E_zz)/3;
//! * an atom with fewer than 3 neighbours, |det V| ≤ 1e-12 Σ|δ⁰|² or |det W| ≤ the same
//!   threshold is flagged invalid and all its outputs are 0 (as OVITO's "select invalid").

use rayon::prelude::*;
use serde::Serialize;
use thiserror::Error;

use crate::analysis::dmin::candidates::{ColumnGrid, MinimumImage};
use crate::analysis::id_pairing::{pair_positions, PairedPositions, PairingError};
use crate::geometry::SimBox;
use crate::system::System;

/// How the cell deformation enters the strain (OVITO's `affine_mapping`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AffineMapping {
    /// Current neighbour vectors are mapped into the current cell (OVITO default).
    #[default]
    Off,
    /// Everything stays in the reference cell (the homogeneous cell deformation is removed).
    ToReference,
    /// Reference and current neighbour vectors are both mapped into the current cell.
    ToCurrent,
}

/// Options of [`d2min`].
#[derive(Debug, Clone, Copy)]
pub struct D2minOptions {
    /// Neighbour cutoff in the reference configuration (length units of the input).
    pub cutoff: f64,
    pub affine_mapping: AffineMapping,
    /// Minimum image for displacements (default on); turn off for unwrapped coordinates.
    pub minimum_image: bool,
}

impl Default for D2minOptions {
    fn default() -> Self {
        D2minOptions {
            cutoff: 3.0,
            affine_mapping: AffineMapping::Off,
            minimum_image: true,
        }
    }
}

/// Per-atom results in ascending id order.
#[derive(Debug, Clone, Serialize)]
pub struct D2minResult {
    pub ids: Vec<u64>,
    pub d2min: Vec<f64>,
    pub d2min_mean: Vec<f64>,
    pub shear_strain: Vec<f64>,
    pub volumetric_strain: Vec<f64>,
    pub neighbors: Vec<u32>,
    /// Atoms whose deformation gradient could not be computed (too few neighbours, singular).
    pub invalid: Vec<bool>,
    pub invalid_count: usize,
}

/// Why D²min cannot be computed.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum D2minError {
    /// The atoms cannot be paired by id (count, duplicate or missing ids, non-finite positions).
    #[error(transparent)]
    Pairing(#[from] PairingError),
    #[error("cutoff {cutoff} must be positive and finite")]
    BadCutoff { cutoff: f64 },
    #[error("cutoff {cutoff} is not below half the smallest periodic width of the reference box ({half_width}); use a larger box or a smaller cutoff")]
    CutoffTooLarge { cutoff: f64, half_width: f64 },
}

type M3 = [[f64; 3]; 3];

/// Falk–Langer D²min and atomic strain of every atom of `current` relative to `reference`
/// (atoms paired by id; the two boxes may differ).
#[allow(clippy::needless_range_loop)]
pub fn d2min(
    reference: &System,
    current: &System,
    opts: &D2minOptions,
) -> Result<D2minResult, D2minError> {
    let cutoff = opts.cutoff;
    if !(cutoff > 0.0 && cutoff.is_finite()) {
        return Err(D2minError::BadCutoff { cutoff });
    }
    let rbox = &reference.simbox;
    let cbox = &current.simbox;
    let widths = rbox.perpendicular_widths();
    let half = (0..3)
        .filter(|&d| rbox.periodic[d])
        .map(|d| widths[d] / 2.0)
        .fold(f64::INFINITY, f64::min);
    if cutoff >= half {
        return Err(D2minError::CutoffTooLarge {
            cutoff,
            half_width: half,
        });
    }
    let PairedPositions {
        ids,
        reference: x0,
        current: x1,
    } = pair_positions(reference, current)?;
    let n = ids.len();
    let h0 = cell_matrix(rbox);
    let h1 = cell_matrix(cbox);
    let h0_inv = inverse(&h0, 0.0).unwrap_or(h0);
    let h1_inv = inverse(&h1, 0.0).unwrap_or(h1);
    let tm = mul(&h1, &h0_inv);

    // Displacements in the reference cell metric.
    let u: Vec<[f64; 3]> = x0
        .par_iter()
        .zip(x1.par_iter())
        .map(|(&p0, &p1)| {
            let s0 = mulv(&h0_inv, sub(p0, rbox.lo));
            let s1 = mulv(&h1_inv, sub(p1, cbox.lo));
            let mut ds = sub(s1, s0);
            if opts.minimum_image {
                for k in 0..3 {
                    if rbox.periodic[k] {
                        ds[k] -= (ds[k] + 0.5).floor();
                    }
                }
            }
            mulv(&h0, ds)
        })
        .collect();

    let grid = ColumnGrid::new(rbox, &x0, cutoff);
    let mi = MinimumImage::new(rbox);
    let rc2 = cutoff * cutoff;
    let per_atom: Vec<AtomStrain> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut nbr: Vec<([f64; 3], [f64; 3])> = Vec::with_capacity(64);
            let mut visit = |j: usize| {
                if j == i {
                    return;
                }
                let d0 = mi.vector(sub(x0[j], x0[i]));
                if dot(d0, d0) > rc2 {
                    return;
                }
                let d = add(d0, sub(u[j], u[i]));
                let pair = match opts.affine_mapping {
                    AffineMapping::Off => (d0, mulv(&tm, d)),
                    AffineMapping::ToReference => (d0, d),
                    AffineMapping::ToCurrent => (mulv(&tm, d0), mulv(&tm, d)),
                };
                nbr.push(pair);
            };
            match &grid {
                Some(g) => g.for_each_near(rbox, x0[i], &mut visit),
                None => (0..n).for_each(&mut visit),
            }
            atom_strain(&nbr)
        })
        .collect();

    let mut out = D2minResult {
        ids,
        d2min: Vec::with_capacity(n),
        d2min_mean: Vec::with_capacity(n),
        shear_strain: Vec::with_capacity(n),
        volumetric_strain: Vec::with_capacity(n),
        neighbors: Vec::with_capacity(n),
        invalid: Vec::with_capacity(n),
        invalid_count: 0,
    };
    for a in per_atom {
        out.d2min.push(a.d2min);
        out.d2min_mean.push(a.d2min_mean);
        out.shear_strain.push(a.shear);
        out.volumetric_strain.push(a.volumetric);
        out.neighbors.push(a.neighbors);
        out.invalid.push(a.invalid);
        out.invalid_count += a.invalid as usize;
    }
    Ok(out)
}

struct AtomStrain {
    d2min: f64,
    d2min_mean: f64,
    shear: f64,
    volumetric: f64,
    neighbors: u32,
    invalid: bool,
}

/// Least-squares F, D²min and strain invariants from (reference, current) neighbour vectors.
fn atom_strain(nbr: &[([f64; 3], [f64; 3])]) -> AtomStrain {
    let mut v = [[0.0; 3]; 3];
    let mut w = [[0.0; 3]; 3];
    let mut sum_sq = 0.0;
    for (d0, d) in nbr {
        for a in 0..3 {
            for b in 0..3 {
                v[a][b] += d0[b] * d0[a];
                w[a][b] += d0[b] * d[a];
            }
        }
        sum_sq += dot(*d0, *d0);
    }
    let threshold = sum_sq * 1e-12;
    let invalid = AtomStrain {
        d2min: 0.0,
        d2min_mean: 0.0,
        shear: 0.0,
        volumetric: 0.0,
        neighbors: nbr.len() as u32,
        invalid: true,
    };
    if nbr.len() < 3 || det(&w).abs() <= threshold {
        return invalid;
    }
    let Some(v_inv) = inverse(&v, threshold) else {
        return invalid;
    };
    let f = mul(&w, &v_inv);
    let d2: f64 = nbr
        .iter()
        .map(|(d0, d)| {
            let r = sub(mulv(&f, *d0), *d);
            dot(r, r)
        })
        .sum();
    // E = (FᵀF − I)/2
    let mut e = [[0.0; 3]; 3];
    for a in 0..3 {
        for b in 0..3 {
            let ftf: f64 = (0..3).map(|k| f[k][a] * f[k][b]).sum();
            e[a][b] = 0.5 * (ftf - if a == b { 1.0 } else { 0.0 });
        }
    }
    let (xy, xz, yz) = (e[0][0] - e[1][1], e[0][0] - e[2][2], e[1][1] - e[2][2]);
    let shear = (e[0][1] * e[0][1]
        + e[0][2] * e[0][2]
        + e[1][2] * e[1][2]
        + (xy * xy + xz * xz + yz * yz) / 6.0)
        .sqrt();
    AtomStrain {
        d2min: d2,
        d2min_mean: d2 / nbr.len() as f64,
        shear,
        volumetric: (e[0][0] + e[1][1] + e[2][2]) / 3.0,
        neighbors: nbr.len() as u32,
        invalid: false,
    }
}

/// Cell matrix with the edge vectors a, b, c as columns.
fn cell_matrix(b: &SimBox) -> M3 {
    let [a, bb, c] = b.edge_vectors();
    [
        [a[0], bb[0], c[0]],
        [a[1], bb[1], c[1]],
        [a[2], bb[2], c[2]],
    ]
}

fn det(m: &M3) -> f64 {
    (m[0][0] * m[1][1] - m[0][1] * m[1][0]) * m[2][2]
        - (m[0][0] * m[1][2] - m[0][2] * m[1][0]) * m[2][1]
        + (m[0][1] * m[1][2] - m[0][2] * m[1][1]) * m[2][0]
}

/// Inverse by cofactors; `None` when |det| ≤ `threshold`.
fn inverse(m: &M3, threshold: f64) -> Option<M3> {
    let d = det(m);
    if d.abs() <= threshold || !d.is_finite() {
        return None;
    }
    let c =
        |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    Some([
        [c(1, 2, 1, 2) / d, -c(0, 2, 1, 2) / d, c(0, 1, 1, 2) / d],
        [-c(1, 2, 0, 2) / d, c(0, 2, 0, 2) / d, -c(0, 1, 0, 2) / d],
        [c(1, 2, 0, 1) / d, -c(0, 2, 0, 1) / d, c(0, 1, 0, 1) / d],
    ])
}

fn mul(a: &M3, b: &M3) -> M3 {
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    r
}

#[inline]
fn mulv(a: &M3, v: [f64; 3]) -> [f64; 3] {
    [
        a[0][0] * v[0] + a[0][1] * v[1] + a[0][2] * v[2],
        a[1][0] * v[0] + a[1][1] * v[1] + a[1][2] * v[2],
        a[2][0] * v[0] + a[2][1] * v[1] + a[2][2] * v[2],
    ]
}

#[inline]
fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
#[inline]
fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
#[inline]
fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A homogeneous deformation x → F x of the whole configuration and cell gives F back
    /// exactly: D²min = 0 and the strain invariants of E = (FᵀF − I)/2 (exact identity).
    #[test]
    fn homogeneous_shear_is_affine() {
        let b0 = SimBox::orthogonal([0.0; 3], [10.0, 11.0, 12.0]).unwrap();
        let mut rnd = {
            let mut rng = crate::testing::Lcg(3u64);
            move || rng.uniform()
        };
        let n = 400;
        let pos: Vec<[f64; 3]> = (0..n)
            .map(|_| b0.to_cartesian([rnd(), rnd(), rnd()]))
            .collect();
        let a = System::new(b0, (1..=n as u64).collect(), vec![1; n], pos.clone());
        let g = 0.08;
        let b1 = SimBox::triclinic([0.0; 3], [10.0, 11.0, 12.0], [g * 11.0, 0.0, 0.0]).unwrap();
        let pos1 = pos.iter().map(|x| [x[0] + g * x[1], x[1], x[2]]).collect();
        let c = System::new(b1, (1..=n as u64).collect(), vec![1; n], pos1);
        let r = d2min(&a, &c, &D2minOptions::default()).unwrap();
        // E for simple shear: E_xy = g/2, E_yy = g²/2.
        let (exy, eyy) = (g / 2.0, g * g / 2.0);
        let shear = (exy * exy + (eyy * eyy * 2.0) / 6.0).sqrt();
        for i in 0..n {
            assert!(!r.invalid[i]);
            assert!(r.d2min[i] < 1e-20, "{}", r.d2min[i]);
            assert!((r.shear_strain[i] - shear).abs() < 1e-12);
            assert!((r.volumetric_strain[i] - eyy / 3.0).abs() < 1e-12);
        }
        // Mapped to the reference cell, the homogeneous shear disappears.
        let opts = D2minOptions {
            affine_mapping: AffineMapping::ToReference,
            ..D2minOptions::default()
        };
        let r = d2min(&a, &c, &opts).unwrap();
        assert!(r.shear_strain.iter().all(|&s| s < 1e-12));
    }
}
