//! Seed 001's activated-rate form f = κ·cosh(τ·V_act/k_BT) (forward and backward hops biased by
//! the work τ·V_act), fitted by Levenberg–Marquardt for κ and V_act at a given k_BT. τ·V_act and
//! k_BT must be in the same energy unit (e.g. τ in GPa, V_act in Å³: k_BT in GPa·Å³ =
//! k_B·T / 6.241509e-3 eV). The start: V_act on a log grid such that max|τ|·V_act/k_BT spans
//! 1e-3…30, κ by linear least squares; the fit is even in V_act, reported as |V_act|.

use crate::analysis::fit::levenberg_marquardt::{levenberg_marquardt, LmOptions};
use crate::analysis::fit::{check_xy, r_squared, FitError, FitResult};

const MODEL: &str = "cosh f = kappa*cosh(tau*V_act/kT)";

/// Fit f = κ·cosh(τ·V_act/kT) to (τ, f) pairs (at least 3) at thermal energy `kt` > 0.
pub fn fit_cosh(tau: &[f64], f: &[f64], kt: f64) -> Result<FitResult, FitError> {
    check_xy(MODEL, tau, f, 2)?;
    if !(kt.is_finite() && kt > 0.0) {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: format!("kT must be > 0, got {kt}"),
        });
    }
    let tau_max = tau.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if tau_max == 0.0 {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: "all tau are 0: V_act is undetermined".into(),
        });
    }
    let model = move |x: f64, p: &[f64], grad: &mut [f64]| -> f64 {
        let z = x * p[1] / kt;
        let c = z.cosh();
        grad[0] = c;
        grad[1] = p[0] * z.sinh() * x / kt;
        p[0] * c
    };
    let mut best = (f64::INFINITY, [1.0, 0.0]);
    for i in 0..=90 {
        let zmax = 10f64.powf(-3.0 + 4.5 * i as f64 / 90.0);
        let v = zmax * kt / tau_max;
        let c: Vec<f64> = tau.iter().map(|x| (x * v / kt).cosh()).collect();
        let cc: f64 = c.iter().map(|a| a * a).sum();
        if !cc.is_finite() {
            continue;
        }
        let kappa = c.iter().zip(f).map(|(a, b)| a * b).sum::<f64>() / cc;
        let ssr: f64 = c.iter().zip(f).map(|(a, b)| (b - kappa * a).powi(2)).sum();
        if ssr < best.0 {
            best = (ssr, [kappa, v]);
        }
    }
    let sol = levenberg_marquardt(
        MODEL,
        &["kappa", "V_act"],
        tau,
        f,
        &best.1,
        &model,
        &|p: &[f64]| p.iter().all(|v| v.is_finite()),
        &LmOptions::default(),
    )?;
    let mut parameters = sol.parameters;
    parameters[1].value = parameters[1].value.abs();
    Ok(FitResult {
        model: format!("f = kappa*cosh(tau*V_act/kT), kT = {kt}"),
        r_squared: r_squared(f, sol.ssr),
        parameters,
        ssr: sol.ssr,
        points: tau.len(),
        iterations: sol.iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_cosh_is_recovered() {
        let tau: Vec<f64> = (0..12).map(|i| 0.1 * i as f64).collect();
        let f: Vec<f64> = tau.iter().map(|t| 3.0 * (t * 4.0 / 0.5).cosh()).collect();
        let r = fit_cosh(&tau, &f, 0.5).unwrap();
        // Noise-free data: round-off only.
        assert!((r.value("V_act").unwrap() - 4.0).abs() < 1e-9, "{r:?}");
        assert!((r.value("kappa").unwrap() - 3.0).abs() < 1e-9, "{r:?}");
        assert!(fit_cosh(&tau, &f, 0.0).is_err());
    }
}
