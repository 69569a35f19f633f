//! Levenberg–Marquardt least squares for models of a few parameters with analytic gradients:
//! minimise Σ_i (y_i − f(x_i; p))², Marquardt's diagonal scaling (JᵀJ + λ·diag JᵀJ)·Δ = Jᵀr.
//!
//! Convergence (MINPACK's tests): the residual is orthogonal to every Jacobian column,
//! max_i |J_iᵀr| / (‖J_i‖‖r‖) ≤ `gtol`; or an accepted step changes no parameter by more than
//! `xtol` relative; or the residual is at the round-off level of y (SSR ≤ 1e-26·Σy²). When no step lowers the cost any more (λ grows past
//! 1e16) the fit counts as converged only if that orthogonality is within 1e-6 (round-off floor);
//! otherwise — and after `max_iterations` — it is reported as not converged.

use crate::analysis::fit::small_matrix::invert;
use crate::analysis::fit::{FitError, FitParameter};

/// A model y = f(x; p): returns f and writes ∂f/∂p into `grad`.
pub type Model<'a> = dyn Fn(f64, &[f64], &mut [f64]) -> f64 + 'a;

/// Stopping rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LmOptions {
    pub max_iterations: usize,
    pub gtol: f64,
    pub xtol: f64,
}

impl Default for LmOptions {
    fn default() -> Self {
        LmOptions {
            max_iterations: 2000,
            gtol: 1e-12,
            xtol: 1e-14,
        }
    }
}

/// The optimum of a fit: parameters with errors, SSR, iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct LmSolution {
    pub parameters: Vec<FitParameter>,
    pub ssr: f64,
    pub iterations: usize,
}

struct Linearised {
    cost: f64,
    /// JᵀJ
    a: Vec<Vec<f64>>,
    /// Jᵀr
    g: Vec<f64>,
}

fn cost_only(x: &[f64], y: &[f64], p: &[f64], model: &Model) -> f64 {
    let mut grad = vec![0.0; p.len()];
    x.iter()
        .zip(y)
        .map(|(&xi, &yi)| (yi - model(xi, p, &mut grad)).powi(2))
        .sum()
}

fn linearise(x: &[f64], y: &[f64], p: &[f64], model: &Model) -> Linearised {
    let np = p.len();
    let mut grad = vec![0.0; np];
    let mut a = vec![vec![0.0; np]; np];
    let mut g = vec![0.0; np];
    let mut cost = 0.0;
    for (&xi, &yi) in x.iter().zip(y) {
        let r = yi - model(xi, p, &mut grad);
        cost += r * r;
        for i in 0..np {
            g[i] += grad[i] * r;
            for j in 0..np {
                a[i][j] += grad[i] * grad[j];
            }
        }
    }
    Linearised { cost, a, g }
}

fn orthogonality(l: &Linearised) -> f64 {
    // An undefined Jacobian (NaN/inf) is never a stationary point.
    let finite =
        l.g.iter()
            .chain(l.a.iter().flatten())
            .all(|v| v.is_finite());
    if !finite {
        return f64::INFINITY;
    }
    let rn = l.cost.sqrt();
    (0..l.g.len())
        .map(|i| {
            let jn = l.a[i][i].sqrt();
            if jn > 0.0 && rn > 0.0 {
                l.g[i].abs() / (jn * rn)
            } else {
                0.0
            }
        })
        .fold(0.0, f64::max)
}

/// Fit `model` to (x, y) from `p0`. `valid` rejects parameter vectors outside the model's domain
/// (a trial step there counts as a cost increase). `names` label the parameters.
#[allow(clippy::too_many_arguments)]
pub fn levenberg_marquardt(
    name: &'static str,
    names: &[&str],
    x: &[f64],
    y: &[f64],
    p0: &[f64],
    model: &Model,
    valid: &dyn Fn(&[f64]) -> bool,
    options: &LmOptions,
) -> Result<LmSolution, FitError> {
    let np = p0.len();
    let n = x.len();
    let last = |p: &[f64]| -> Vec<(String, f64)> {
        names
            .iter()
            .zip(p)
            .map(|(s, v)| (s.to_string(), *v))
            .collect()
    };
    if !valid(p0) || p0.iter().any(|v| !v.is_finite()) {
        return Err(FitError::InvalidData {
            model: name,
            what: format!(
                "the initial parameters {:?} are outside the model's domain",
                last(p0)
            ),
        });
    }
    let mut p = p0.to_vec();
    let mut lin = linearise(x, y, &p, model);
    if !lin.cost.is_finite() {
        return Err(FitError::NotConverged {
            model: name,
            iterations: 0,
            reason: "the model is not finite at the initial parameters".into(),
            last: last(&p),
        });
    }
    // A residual at the round-off level of y has no meaningful direction: exact data converge.
    let roundoff_cost = 1e-26 * y.iter().map(|v| v * v).sum::<f64>();
    let mut lambda = 1e-3;
    let mut iterations = 0;
    let converged = loop {
        if lin.cost <= roundoff_cost || orthogonality(&lin) <= options.gtol {
            break true;
        }
        if iterations >= options.max_iterations {
            break false;
        }
        if lambda > 1e16 {
            break orthogonality(&lin) <= 1e-6;
        }
        iterations += 1;
        let mut damped = lin.a.clone();
        for (i, row) in damped.iter_mut().enumerate() {
            let d = lin.a[i][i].max(1e-300);
            row[i] += lambda * d;
        }
        let Some(inv) = invert(&damped) else {
            lambda *= 10.0;
            continue;
        };
        let step: Vec<f64> = inv
            .iter()
            .map(|row| row.iter().zip(&lin.g).map(|(r, v)| r * v).sum())
            .collect();
        let trial: Vec<f64> = p.iter().zip(&step).map(|(a, b)| a + b).collect();
        let trial_cost = if valid(&trial) && trial.iter().all(|v| v.is_finite()) {
            cost_only(x, y, &trial, model)
        } else {
            f64::INFINITY
        };
        if trial_cost.is_finite() && trial_cost < lin.cost {
            let small = step
                .iter()
                .zip(&trial)
                .all(|(s, v)| s.abs() <= options.xtol * (v.abs() + options.xtol));
            p = trial;
            lin = linearise(x, y, &p, model);
            lambda = (lambda / 3.0).max(1e-12);
            if small {
                break true;
            }
        } else {
            lambda *= 4.0;
        }
    };
    if !converged {
        return Err(FitError::NotConverged {
            model: name,
            iterations,
            reason: if iterations >= options.max_iterations {
                "iteration limit".into()
            } else {
                format!(
                    "no step lowers the cost but the gradient is not zero (orthogonality {:.3e})",
                    orthogonality(&lin)
                )
            },
            last: last(&p),
        });
    }
    let Some(cov) = invert(&lin.a) else {
        return Err(FitError::Singular {
            model: name,
            what: format!(
                "the parameters are not all determined by the data at {:?}",
                last(&p)
            ),
        });
    };
    let s2 = lin.cost / (n - np) as f64;
    let parameters = names
        .iter()
        .zip(&p)
        .enumerate()
        .map(|(i, (nm, v))| FitParameter {
            name: nm.to_string(),
            value: *v,
            std_error: (cov[i][i] * s2).max(0.0).sqrt(),
        })
        .collect();
    Ok(LmSolution {
        parameters,
        ssr: lin.cost,
        iterations,
    })
}
