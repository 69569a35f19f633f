//! The Kohlrausch–Williams–Watts stretched exponential y = A·exp[−(t/τ)^β] (seed 004 fits it to
//! G″(t_w) for β_KWW, Fig. 6b), fitted by Levenberg–Marquardt from a grid start: β on
//! 0.1…2.5, τ log-spaced over the data's t range widened 10× each way, A by linear least squares
//! at each grid point; the best grid point starts the iteration.

use crate::analysis::fit::levenberg_marquardt::{levenberg_marquardt, LmOptions};
use crate::analysis::fit::{check_xy, r_squared, FitError, FitResult};

const MODEL: &str = "KWW y = A*exp(-(t/tau)^beta)";

fn kww(t: f64, p: &[f64], grad: &mut [f64]) -> f64 {
    let (a, tau, beta) = (p[0], p[1], p[2]);
    if t == 0.0 {
        grad[0] = 1.0;
        grad[1] = 0.0;
        grad[2] = 0.0;
        return a;
    }
    let ln = (t / tau).ln();
    let u = (beta * ln).exp();
    let e = (-u).exp();
    grad[0] = e;
    grad[1] = a * e * u * beta / tau;
    grad[2] = -a * e * u * ln;
    a * e
}

/// Grid start (A, τ, β) minimising the SSR with A solved linearly.
fn grid_start(t: &[f64], y: &[f64]) -> [f64; 3] {
    let tmin = t
        .iter()
        .copied()
        .filter(|v| *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let tmax = t.iter().copied().fold(0.0, f64::max);
    let (lo, hi) = ((tmin / 10.0).ln(), (tmax * 10.0).ln());
    let mut best = (f64::INFINITY, [1.0, tmax.max(1e-300), 1.0]);
    let mut grad = [0.0; 3];
    for ib in 0..25 {
        let beta = 0.1 + 0.1 * ib as f64;
        for it in 0..=60 {
            let tau = (lo + (hi - lo) * it as f64 / 60.0).exp();
            let shape: Vec<f64> = t
                .iter()
                .map(|&ti| kww(ti, &[1.0, tau, beta], &mut grad))
                .collect();
            let ss: f64 = shape.iter().map(|s| s * s).sum();
            if ss <= 0.0 {
                continue;
            }
            let a = shape.iter().zip(y).map(|(s, v)| s * v).sum::<f64>() / ss;
            let ssr: f64 = shape.iter().zip(y).map(|(s, v)| (v - a * s).powi(2)).sum();
            if ssr < best.0 {
                best = (ssr, [a, tau, beta]);
            }
        }
    }
    best.1
}

/// Fit y = A·exp[−(t/τ)^β] to points with t ≥ 0 (at least 4). `start` overrides the grid
/// start (A, τ, β).
pub fn fit_kww(t: &[f64], y: &[f64], start: Option<[f64; 3]>) -> Result<FitResult, FitError> {
    check_xy(MODEL, t, y, 3)?;
    if let Some(i) = (0..t.len()).find(|&i| t[i] < 0.0) {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: format!("point {}: t = {} (t must be >= 0)", i + 1, t[i]),
        });
    }
    if t.iter().all(|v| *v == 0.0) {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: "all t are 0".into(),
        });
    }
    let p0 = start.unwrap_or_else(|| grid_start(t, y));
    let sol = levenberg_marquardt(
        MODEL,
        &["A", "tau", "beta"],
        t,
        y,
        &p0,
        &kww,
        &|p: &[f64]| p[1] > 0.0 && p[2] > 0.0,
        &LmOptions::default(),
    )?;
    Ok(FitResult {
        model: "y = A*exp(-(t/tau)^beta)".into(),
        r_squared: r_squared(y, sol.ssr),
        parameters: sol.parameters,
        ssr: sol.ssr,
        points: t.len(),
        iterations: sol.iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_kww_is_recovered() {
        let t: Vec<f64> = (0..30).map(|i| 0.1 * 1.3f64.powi(i)).collect();
        let y: Vec<f64> = t
            .iter()
            .map(|v| 2.0 * (-(v / 7.0).powf(0.6)).exp())
            .collect();
        let f = fit_kww(&t, &y, None).unwrap();
        // Noise-free data: the optimum is the generating parameters up to round-off.
        assert!((f.value("beta").unwrap() - 0.6).abs() < 1e-9, "{f:?}");
        assert!((f.value("tau").unwrap() - 7.0).abs() < 1e-8, "{f:?}");
        assert!((f.value("A").unwrap() - 2.0).abs() < 1e-9, "{f:?}");
    }
}
