//! Saddle points and minimum energy paths of the potential energy landscape.
//!
//! * [`lanczos`]: the lowest eigenpair of the Hessian from finite-difference Hessian-vector
//!   products of the forces (restricted to moving atoms);
//! * [`hessian`]: the full finite-difference Hessian on chosen atoms and its inertia (how many
//!   negative eigenvalues), to certify that a saddle is a first-order saddle;
//! * [`fire_flat`]: FIRE on a flat coordinate vector with an arbitrary (modified) force, the
//!   optimizer of ART's activation and of the NEB band;
//! * [`art`]: ART nouveau events (local random activation, Lanczos push, convergence to the
//!   saddle, relaxation to the minima on both sides, deduplication), in parallel over events;
//! * [`neb`]: the climbing-image nudged elastic band with the improved tangent, as LAMMPS
//!   `neb` + `fix neb` (`parallel neigh`, no perpendicular spring);
//! * [`test_surfaces`]: the analytic Müller–Brown surface as a force provider (textbook checks);
//! * [`path`]: reaction coordinate, contour length C, end-to-end length L, tortuosity C/L and
//!   the fractal dimension δ of C ∼ L^δ.
//!
//! Configuration-space distances use the minimum image of every atom's displacement, so paths
//! that cross periodic boundaries are measured correctly; atoms are matched by index and the
//! endpoints must list the same ids in the same order.

pub mod art;
pub mod fire_flat;
pub mod hessian;
pub mod lanczos;
pub mod lbfgs_flat;
pub mod neb;
pub mod path;
pub mod test_surfaces;

use thiserror::Error;

use crate::engine::EngineError;
use crate::System;

/// Errors of the saddle-point and path methods.
#[derive(Debug, Error)]
pub enum SaddleError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Two configurations that must describe the same atoms do not.
    #[error("configurations do not match: {0}")]
    Mismatch(String),
    /// Settings or input the methods cannot work with.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The NEB band ran away (after its restarts with a smaller step).
    #[error("{0}")]
    NebDiverged(String),
}

/// Per-atom displacement `b − a` with the minimum image convention (box of `a`).
pub fn displacement(a: &System, b: &System) -> Vec<[f64; 3]> {
    a.positions
        .iter()
        .zip(&b.positions)
        .map(|(x, y)| {
            a.simbox
                .minimum_image([y[0] - x[0], y[1] - x[1], y[2] - x[2]])
        })
        .collect()
}

/// Configuration-space distance |b − a| (minimum image per atom).
pub fn distance(a: &System, b: &System) -> f64 {
    norm(&displacement(a, b))
}

/// `b − a` (minimum image per atom) without its mean: a rigid translation of a periodic
/// system is the same state. ART's activation moves the masked atoms along a mode that is not
/// mean-free, so its minima come back shifted by up to ≈ 0.005 Å per atom (0.2 Å in
/// configuration space on 2,000 atoms), which a plain distance counts as another state.
pub fn state_displacement(a: &System, b: &System) -> Vec<[f64; 3]> {
    let mut d = displacement(a, b);
    lanczos::remove_mean(&mut d);
    d
}

/// Configuration-space distance of `b` from `a` up to a rigid translation
/// ([`state_displacement`]): what ART's same-state tests and deduplication compare.
pub fn state_distance(a: &System, b: &System) -> f64 {
    norm(&state_displacement(a, b))
}

/// Check that two configurations hold the same atoms (count, ids, types in order).
pub fn check_same_atoms(a: &System, b: &System, what: &str) -> Result<(), SaddleError> {
    if a.natoms() != b.natoms() {
        return Err(SaddleError::Mismatch(format!(
            "{what}: {} atoms vs {} atoms",
            a.natoms(),
            b.natoms()
        )));
    }
    if let Some(i) = (0..a.natoms()).find(|&i| a.ids[i] != b.ids[i]) {
        return Err(SaddleError::Mismatch(format!(
            "{what}: atom {} has id {} in the first and {} in the second (same ids in the same order needed)",
            i + 1,
            a.ids[i],
            b.ids[i]
        )));
    }
    if let Some(i) = (0..a.natoms()).find(|&i| a.types[i] != b.types[i]) {
        return Err(SaddleError::Mismatch(format!(
            "{what}: atom id {} has type {} in the first and {} in the second",
            a.ids[i], a.types[i], b.types[i]
        )));
    }
    Ok(())
}

pub(crate) fn dot(a: &[[f64; 3]], b: &[[f64; 3]]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
    }
    s
}

pub(crate) fn norm(a: &[[f64; 3]]) -> f64 {
    dot(a, a).sqrt()
}

/// `y += c·x`.
pub(crate) fn axpy(y: &mut [[f64; 3]], c: f64, x: &[[f64; 3]]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        for k in 0..3 {
            yi[k] += c * xi[k];
        }
    }
}

pub(crate) fn scale(y: &mut [[f64; 3]], c: f64) {
    for yi in y.iter_mut() {
        for v in yi.iter_mut() {
            *v *= c;
        }
    }
}

/// Largest per-atom vector length.
pub(crate) fn max_atom_norm(a: &[[f64; 3]]) -> f64 {
    a.iter()
        .map(|v| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt())
        .fold(0.0, f64::max)
}

/// Zero the rows of atoms that do not move.
pub(crate) fn apply_mask(v: &mut [[f64; 3]], moving: Option<&[bool]>) {
    if let Some(m) = moving {
        for (vi, &mv) in v.iter_mut().zip(m) {
            if !mv {
                *vi = [0.0; 3];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimBox;

    fn four_atoms(shift: [f64; 3], moved: Option<(usize, [f64; 3])>) -> System {
        let b = SimBox::orthogonal([0.0; 3], [10.0; 3]).unwrap();
        let mut x = vec![
            [1.0, 1.0, 1.0],
            [4.0, 2.0, 1.5],
            [2.5, 7.0, 3.0],
            [8.0, 8.5, 9.5],
        ];
        for p in x.iter_mut() {
            (0..3).for_each(|k| p[k] += shift[k]);
        }
        if let Some((i, d)) = moved {
            (0..3).for_each(|k| x[i][k] += d[k]);
        }
        System::new(b, vec![1, 2, 3, 4], vec![1; 4], x)
    }

    /// A rigid translation (across the periodic boundary too) is the same state:
    /// `state_distance` 0 while `distance` = √N·|t|; one atom moved by d in N atoms is
    /// |d|·√(1 − 1/N) away once the mean is removed (exact identity).
    #[test]
    fn state_distance_ignores_rigid_translations() {
        let a = four_atoms([0.0; 3], None);
        let t: [f64; 3] = [0.3, -0.4, 1.2];
        let shifted = four_atoms(t, None);
        let tn = (t[0] * t[0] + t[1] * t[1] + t[2] * t[2]).sqrt();
        assert!((distance(&a, &shifted) - 2.0 * tn).abs() < 1e-12);
        assert!(state_distance(&a, &shifted) < 1e-12);
        let d: [f64; 3] = [0.2, 0.1, -0.3];
        let dn = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        let one = four_atoms(t, Some((3, d)));
        let expect = dn * (1.0_f64 - 0.25).sqrt();
        assert!((state_distance(&a, &one) - expect).abs() < 1e-12);
    }
}
