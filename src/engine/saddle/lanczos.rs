//! The lowest eigenpair of the Hessian by the Lanczos method, with Hessian-vector products from
//! forward finite differences of the forces, H·q ≈ −(F(x + h q) − F(x)) / h, restricted to the
//! moving atoms (the rows of frozen atoms are zero). Full reorthogonalization keeps the Krylov
//! basis orthonormal; the iteration stops when the lowest Ritz value changes by less than `tol`
//! (relative) between iterations.

use crate::engine::minimize::wrap_all;
use crate::engine::saddle::{apply_mask, axpy, dot, norm, scale, SaddleError};
use crate::engine::{ForceProvider, ForceResult};
use crate::System;

/// Lanczos settings.
#[derive(Debug, Clone, PartialEq)]
pub struct LanczosSettings {
    /// Largest Krylov dimension.
    pub max_iter: usize,
    /// Stop when the lowest Ritz value changes by less than `tol`·|λ| between iterations
    /// (unitless).
    pub tol: f64,
    /// Smallest Krylov dimension before the `tol` test may stop the iteration (pARTn's
    /// lanczos_min_size, 3 in its inputs): with a loose `tol` two vectors can agree by chance.
    pub min_iter: usize,
    /// Finite-difference step h (distance units).
    pub fd_step: f64,
    /// Remove the three rigid translations from the Krylov space (periodic systems, where they
    /// are zero modes that would otherwise pass for the "lowest" curvature). Ignored when a
    /// moving-atom mask is given.
    pub project_translations: bool,
}

impl Default for LanczosSettings {
    fn default() -> Self {
        LanczosSettings {
            max_iter: 30,
            tol: 1e-4,
            min_iter: 2,
            fd_step: 1e-4,
            project_translations: true,
        }
    }
}

/// Lowest eigenvalue (energy/distance²) and unit eigenvector of the Hessian.
#[derive(Debug, Clone)]
pub struct LowestMode {
    pub eigenvalue: f64,
    pub vector: Vec<[f64; 3]>,
    pub force_evaluations: usize,
    pub iterations: usize,
}

#[allow(clippy::too_many_arguments)]
/// H·q by a forward difference of the forces around `sys` (whose forces are `f0`).
pub fn hessian_times<P: ForceProvider + ?Sized>(
    sys: &System,
    f0: &[[f64; 3]],
    provider: &mut P,
    q: &[[f64; 3]],
    h: f64,
    moving: Option<&[bool]>,
    work: &mut System,
    out: &mut ForceResult,
) -> Result<Vec<[f64; 3]>, SaddleError> {
    work.positions.copy_from_slice(&sys.positions);
    work.images.copy_from_slice(&sys.images);
    axpy(&mut work.positions, h, q);
    wrap_all(work);
    provider.compute(work, out)?;
    let mut w: Vec<[f64; 3]> = out
        .forces
        .iter()
        .zip(f0)
        .map(|(f, g)| [(g[0] - f[0]) / h, (g[1] - f[1]) / h, (g[2] - f[2]) / h])
        .collect();
    apply_mask(&mut w, moving);
    Ok(w)
}

/// Lowest eigenpair of the Hessian at `sys` (forces `f0` there), starting from `start`.
pub fn lowest_mode<P: ForceProvider + ?Sized>(
    sys: &System,
    f0: &[[f64; 3]],
    provider: &mut P,
    moving: Option<&[bool]>,
    start: &[[f64; 3]],
    settings: &LanczosSettings,
) -> Result<LowestMode, SaddleError> {
    if !(settings.fd_step > 0.0 && settings.fd_step.is_finite())
        || settings.max_iter == 0
        || !(settings.tol >= 0.0 && settings.tol.is_finite())
    {
        return Err(SaddleError::InvalidInput(format!(
            "lanczos: fd_step must be > 0, max_iter ≥ 1 and tol ≥ 0 (got {}, {}, {})",
            settings.fd_step, settings.max_iter, settings.tol
        )));
    }
    let project = settings.project_translations && moving.is_none();
    let mut q0 = start.to_vec();
    apply_mask(&mut q0, moving);
    if project {
        remove_mean(&mut q0);
    }
    let n0 = norm(&q0);
    if !(n0 > 0.0 && n0.is_finite()) {
        return Err(SaddleError::InvalidInput(
            "lanczos: the start vector is zero on the moving atoms".into(),
        ));
    }
    scale(&mut q0, 1.0 / n0);
    let mut basis: Vec<Vec<[f64; 3]>> = vec![q0];
    let mut alpha: Vec<f64> = Vec::new();
    let mut beta: Vec<f64> = Vec::new();
    let mut work = sys.clone();
    let mut out = ForceResult::with_atoms(sys.natoms());
    let mut evals = 0;
    let mut lambda_prev = f64::INFINITY;
    let mut best = (f64::INFINITY, vec![1.0]);
    for k in 0..settings.max_iter {
        let mut w = hessian_times(
            sys,
            f0,
            provider,
            &basis[k],
            settings.fd_step,
            moving,
            &mut work,
            &mut out,
        )?;
        evals += 1;
        if project {
            remove_mean(&mut w);
        }
        let a = dot(&basis[k], &w);
        alpha.push(a);
        // Full reorthogonalization (twice is enough, Kahan–Parlett).
        for _ in 0..2 {
            for q in &basis {
                let c = dot(q, &w);
                axpy(&mut w, -c, q);
            }
        }
        let m = alpha.len();
        let mut t = vec![0.0; m * m];
        for i in 0..m {
            t[i * m + i] = alpha[i];
            if i + 1 < m {
                t[i * m + i + 1] = beta[i];
                t[(i + 1) * m + i] = beta[i];
            }
        }
        let (vals, vecs) = sym_eigen(&t, m);
        let imin = (0..m)
            .min_by(|&i, &j| vals[i].total_cmp(&vals[j]))
            .unwrap_or(0);
        let lambda = vals[imin];
        best = (lambda, vecs[imin].clone());
        let converged = k + 1 >= settings.min_iter.max(2)
            && (lambda - lambda_prev).abs() <= settings.tol * lambda.abs();
        lambda_prev = lambda;
        let b = norm(&w);
        if converged || b < 1e-10 * (a.abs() + 1e-300) || k + 1 == settings.max_iter {
            break;
        }
        beta.push(b);
        scale(&mut w, 1.0 / b);
        basis.push(w);
    }
    let (eigenvalue, y) = best;
    let mut v = vec![[0.0; 3]; sys.natoms()];
    for (c, q) in y.iter().zip(&basis) {
        axpy(&mut v, *c, q);
    }
    let nv = norm(&v);
    scale(&mut v, 1.0 / nv);
    Ok(LowestMode {
        eigenvalue,
        vector: v,
        force_evaluations: evals,
        iterations: y.len(),
    })
}

/// Subtract the mean vector (the rigid-translation component).
pub(crate) fn remove_mean(v: &mut [[f64; 3]]) {
    let n = v.len().max(1) as f64;
    let mut m = [0.0; 3];
    for x in v.iter() {
        for k in 0..3 {
            m[k] += x[k] / n;
        }
    }
    for x in v.iter_mut() {
        for k in 0..3 {
            x[k] -= m[k];
        }
    }
}

/// Eigenvalues and eigenvectors of the symmetric n×n row-major matrix `a` by cyclic Jacobi
/// rotations (for the small tridiagonal Lanczos matrices and test Hessians). `vecs[k]` is the
/// unit eigenvector of `vals[k]`.
pub fn sym_eigen(a: &[f64], n: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut a = a.to_vec();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..100 {
        let mut off = 0.0;
        let mut diag = 0.0;
        for i in 0..n {
            diag += a[i * n + i] * a[i * n + i];
            for j in i + 1..n {
                off += a[i * n + j] * a[i * n + j];
            }
        }
        if off <= 1e-30 * diag.max(1e-300) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[k * n + p];
                    let akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[p * n + k];
                    let aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[k * n + p];
                    let vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let vals = (0..n).map(|i| a[i * n + i]).collect();
    let vecs = (0..n)
        .map(|k| (0..n).map(|i| v[i * n + k]).collect())
        .collect();
    (vals, vecs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jacobi against the closed form of a 2×2 symmetric matrix.
    #[test]
    fn jacobi_2x2_closed_form() {
        let (a, b, c) = (2.0, 0.7, -1.3);
        let (vals, vecs) = sym_eigen(&[a, b, b, c], 2);
        let mean = 0.5 * (a + c);
        let r = (0.25 * (a - c) * (a - c) + b * b).sqrt();
        let mut got = vals.clone();
        got.sort_by(f64::total_cmp);
        assert!((got[0] - (mean - r)).abs() < 1e-14 && (got[1] - (mean + r)).abs() < 1e-14);
        for (l, v) in vals.iter().zip(&vecs) {
            // A v = λ v to rounding.
            assert!((a * v[0] + b * v[1] - l * v[0]).abs() < 1e-13);
            assert!((b * v[0] + c * v[1] - l * v[1]).abs() < 1e-13);
        }
    }
}
