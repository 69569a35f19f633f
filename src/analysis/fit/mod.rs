//! Least-squares fits across runs: the δ–D_min power law (log–log linear least squares), the
//! Kohlrausch–Williams–Watts stretched exponential A·exp[−(t/τ)^β] and seed 001's activated-rate
//! form f = κ·cosh(τ·V_act/k_BT) (Levenberg–Marquardt, [`levenberg_marquardt`]; its profile χ²
//! with intervals and bounds in V_act ≥ 0, [`cosh_profile`]).
//!
//! Every fit returns a [`FitResult`]: parameters, their standard errors and R². Standard errors
//! follow SciPy `curve_fit` with `absolute_sigma=False`: cov = (JᵀJ)⁻¹ · SSR/(n − p) at the
//! optimum, se = √diag(cov). A fit that does not converge is an error ([`FitError::NotConverged`])
//! that names its last parameters, never a result holding NaN.

pub mod cosh;
pub mod cosh_profile;
pub mod kww;
pub mod levenberg_marquardt;
pub mod power_law;
pub mod small_matrix;

pub use cosh::fit_cosh;
pub use cosh_profile::{profile_cosh, CoshProfile, ErrorMode};
pub use kww::fit_kww;
pub use power_law::fit_power_law;

use serde::Serialize;
use thiserror::Error;

/// Why a fit could not be made.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum FitError {
    #[error("{model}: {what}")]
    InvalidData { model: &'static str, what: String },
    #[error("{model}: {points} data points cannot determine {params} parameters with errors (need at least {needed})")]
    TooFewPoints {
        model: &'static str,
        points: usize,
        params: usize,
        needed: usize,
    },
    #[error("{model}: the normal equations are singular ({what})")]
    Singular { model: &'static str, what: String },
    #[error("{model}: the fit did not converge after {iterations} iterations ({reason}); last parameters {last:?}")]
    NotConverged {
        model: &'static str,
        iterations: usize,
        reason: String,
        last: Vec<(String, f64)>,
    },
}

/// One fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitParameter {
    pub name: String,
    pub value: f64,
    /// Standard error (SciPy `curve_fit` convention, see the module doc).
    pub std_error: f64,
}

/// Result of a least-squares fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitResult {
    /// The model, e.g. `"y = A*x^b"`.
    pub model: String,
    pub parameters: Vec<FitParameter>,
    /// Coefficient of determination 1 − SSR/SST (in the space the fit minimises: log–log for
    /// the power law, linear for KWW and cosh).
    pub r_squared: f64,
    /// Sum of squared residuals at the optimum.
    pub ssr: f64,
    pub points: usize,
    /// Levenberg–Marquardt iterations (0 for a linear fit).
    pub iterations: usize,
}

impl FitResult {
    /// The value of a parameter by name.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.value)
    }

    /// The standard error of a parameter by name.
    pub fn std_error(&self, name: &str) -> Option<f64> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.std_error)
    }
}

/// Check that `x` and `y` are equally long, finite, and long enough for `params` parameters with
/// errors (n > p).
pub(crate) fn check_xy(
    model: &'static str,
    x: &[f64],
    y: &[f64],
    params: usize,
) -> Result<(), FitError> {
    if x.len() != y.len() {
        return Err(FitError::InvalidData {
            model,
            what: format!("{} x values but {} y values", x.len(), y.len()),
        });
    }
    if let Some(i) = (0..x.len()).find(|&i| !(x[i].is_finite() && y[i].is_finite())) {
        return Err(FitError::InvalidData {
            model,
            what: format!("point {} ({}, {}) is not finite", i + 1, x[i], y[i]),
        });
    }
    if x.len() <= params {
        return Err(FitError::TooFewPoints {
            model,
            points: x.len(),
            params,
            needed: params + 1,
        });
    }
    Ok(())
}

/// 1 − SSR/SST of `y` (1 when all y are equal and the fit is exact).
pub(crate) fn r_squared(y: &[f64], ssr: f64) -> f64 {
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let sst: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if sst > 0.0 {
        1.0 - ssr / sst
    } else if ssr == 0.0 {
        1.0
    } else {
        0.0
    }
}
