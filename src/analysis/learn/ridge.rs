//! Ridge (and, with zero penalty, ordinary least-squares) regression in closed form with an
//! unpenalised intercept: centre X and y, solve `(XcᵀXc + λI) w = Xcᵀyc` by Cholesky, and
//! `b = ȳ − x̄·w`. Features are used as given (no scaling), so the penalty is NumPy's `λ`.

use serde::{Deserialize, Serialize};

use super::{check_xy, LearnError, Matrix};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ridge {
    pub penalty: f64,
    pub weights: Vec<f64>,
    pub intercept: f64,
}

impl Ridge {
    pub fn fit(x: &Matrix, y: &[f64], penalty: f64) -> Result<Ridge, LearnError> {
        check_xy(x, y)?;
        if !(penalty >= 0.0 && penalty.is_finite()) {
            return Err(LearnError::BadSetting(format!(
                "ridge penalty must be >= 0, got {penalty}"
            )));
        }
        if x.rows < 2 {
            return Err(LearnError::TooFewSamples {
                need: 2,
                got: x.rows,
            });
        }
        let (n, d) = (x.rows, x.cols);
        let mut xm = vec![0.0; d];
        for i in 0..n {
            for (m, v) in xm.iter_mut().zip(x.row(i)) {
                *m += v;
            }
        }
        xm.iter_mut().for_each(|m| *m /= n as f64);
        let ym = y.iter().sum::<f64>() / n as f64;
        let mut a = vec![0.0; d * d];
        let mut rhs = vec![0.0; d];
        let mut xc = vec![0.0; d];
        for (i, yi) in y.iter().enumerate() {
            for ((c, v), m) in xc.iter_mut().zip(x.row(i)).zip(&xm) {
                *c = v - m;
            }
            let yc = yi - ym;
            for p in 0..d {
                rhs[p] += xc[p] * yc;
                for q in 0..=p {
                    a[p * d + q] += xc[p] * xc[q];
                }
            }
        }
        for p in 0..d {
            a[p * d + p] += penalty;
            for q in 0..p {
                a[q * d + p] = a[p * d + q];
            }
        }
        let weights = cholesky_solve(&mut a, d, &rhs).ok_or(LearnError::Singular)?;
        let intercept = ym - weights.iter().zip(&xm).map(|(w, m)| w * m).sum::<f64>();
        Ok(Ridge {
            penalty,
            weights,
            intercept,
        })
    }

    pub fn predict(&self, x: &Matrix) -> Result<Vec<f64>, LearnError> {
        if x.cols != self.weights.len() {
            return Err(LearnError::FeatureCount {
                expected: self.weights.len(),
                got: x.cols,
            });
        }
        Ok((0..x.rows)
            .map(|i| {
                self.intercept
                    + x.row(i)
                        .iter()
                        .zip(&self.weights)
                        .map(|(v, w)| v * w)
                        .sum::<f64>()
            })
            .collect())
    }
}

/// Solve `A w = b` for symmetric positive-definite `A` (overwritten by its Cholesky factor);
/// `None` when a pivot is not positive (relative to the diagonal scale).
fn cholesky_solve(a: &mut [f64], d: usize, b: &[f64]) -> Option<Vec<f64>> {
    let scale = (0..d).map(|p| a[p * d + p].abs()).fold(0.0, f64::max);
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        if s <= 1e-13 * scale || s.is_nan() {
            return None;
        }
        let l = s.sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let mut t = a[i * d + j];
            for k in 0..j {
                t -= a[i * d + k] * a[j * d + k];
            }
            a[i * d + j] = t / l;
        }
    }
    let mut z = b.to_vec();
    for i in 0..d {
        for k in 0..i {
            z[i] -= a[i * d + k] * z[k];
        }
        z[i] /= a[i * d + i];
    }
    for i in (0..d).rev() {
        for k in i + 1..d {
            z[i] -= a[k * d + i] * z[k];
        }
        z[i] /= a[i * d + i];
    }
    Some(z)
}
