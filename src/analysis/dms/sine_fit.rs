//! Exact linear least squares of σ(t) on (1, sin ωt, cos ωt), ω = 2π/t_w, over whole cycles:
//! σ0 + a·sin ωt + b·cos ωt = σ0 + σA·sin(ωt + δ) with σA = √(a² + b²), δ = atan2(b, a).
//!
//! Samples with k·t_w ≤ t < K·t_w are used (k = transient cycles dropped, K = whole cycles
//! recorded; the half-open window counts each phase of a uniformly sampled cycle once).
//! Standard errors: cov(σ0, a, b) = s²·(XᵀX)⁻¹ with s² = SSR/(n − 3) — SciPy `curve_fit`'s
//! convention; they assume independent residuals and so understate the error of correlated MD
//! noise. Errors of σA and δ propagate the full covariance: ∇σA = (a, b)/σA,
//! ∇δ = (−b, a)/σA².
//!
//! The sums are those of [`OscillationAccumulator`] (one code path for a whole record and for a
//! record that grows during a run).

use serde::Serialize;

use crate::analysis::dms::accumulator::OscillationAccumulator;
use crate::analysis::dms::DmsError;

/// What to fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OscillationFitOptions {
    /// Period t_w of the imposed strain (time units).
    pub period: f64,
    /// Strain amplitude γA (> 0).
    pub strain_amplitude: f64,
    /// Whole cycles dropped at the start as transient (default 1).
    pub transient_cycles: usize,
}

/// Fitted response and moduli (stress units; δ in radians).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OscillationFit {
    pub period: f64,
    pub strain_amplitude: f64,
    pub sigma0: f64,
    pub sigma0_error: f64,
    pub sigma_amplitude: f64,
    pub sigma_amplitude_error: f64,
    /// Phase angle δ (rad).
    pub delta: f64,
    pub delta_error: f64,
    /// Storage modulus G′ = σA cos δ / γA.
    pub storage_modulus: f64,
    pub storage_modulus_error: f64,
    /// Loss modulus G″ = σA sin δ / γA.
    pub loss_modulus: f64,
    pub loss_modulus_error: f64,
    /// tan δ = G″/G′.
    pub loss_tangent: f64,
    /// Whole cycles used in the fit, and the samples in them.
    pub cycles_fitted: usize,
    pub cycles_dropped: usize,
    pub samples: usize,
    pub r_squared: f64,
    /// √(SSR/n): the stress noise around the fitted sine.
    pub rms_residual: f64,
}

impl OscillationFit {
    /// σ0 + σA·sin(2πt/t_w + δ).
    pub fn stress_at(&self, t: f64) -> f64 {
        self.sigma0
            + self.sigma_amplitude * (std::f64::consts::TAU * t / self.period + self.delta).sin()
    }
}

/// Fit σ(t) (shear stress, see the module doc of [`crate::analysis::dms`]) sampled at `time`
/// (t = 0 at the start of the oscillation, increasing).
pub fn fit_oscillation(
    time: &[f64],
    stress: &[f64],
    opts: &OscillationFitOptions,
) -> Result<OscillationFit, DmsError> {
    if time.len() != stress.len() {
        return Err(DmsError::InvalidInput(format!(
            "{} times but {} stresses",
            time.len(),
            stress.len()
        )));
    }
    let mut acc = OscillationAccumulator::new(*opts)?;
    if time.is_empty() {
        return Err(DmsError::InvalidInput("no samples".into()));
    }
    for (&t, &s) in time.iter().zip(stress) {
        acc.push(t, s)?;
    }
    acc.fit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(period: f64) -> OscillationFitOptions {
        OscillationFitOptions {
            period,
            strain_amplitude: 0.01,
            transient_cycles: 1,
        }
    }

    #[test]
    fn exact_sine_gives_exact_moduli() {
        let t: Vec<f64> = (0..=500).map(|i| i as f64 * 0.05).collect();
        let s: Vec<f64> = t
            .iter()
            .map(|t| 0.3 + 2.0 * (std::f64::consts::TAU * t / 5.0 + 0.4).sin())
            .collect();
        let f = fit_oscillation(&t, &s, &opts(5.0)).unwrap();
        // Noise-free: round-off of ~400-term sums.
        assert!((f.delta - 0.4).abs() < 1e-12);
        assert!((f.sigma_amplitude - 2.0).abs() < 1e-12);
        assert!((f.storage_modulus - 200.0 * 0.4f64.cos()).abs() < 1e-9);
        assert!((f.loss_modulus - 200.0 * 0.4f64.sin()).abs() < 1e-9);
        assert_eq!(f.cycles_fitted, 4);
        assert_eq!(f.samples, 400);
    }

    #[test]
    fn bad_records_are_refused() {
        let t: Vec<f64> = (0..=150).map(|i| i as f64 * 0.01).collect();
        let s = vec![1.0; t.len()];
        // 1.5 periods only.
        assert!(matches!(
            fit_oscillation(&t, &s, &opts(1.0)),
            Err(DmsError::TooFewCycles { cycles: 1, .. })
        ));
        let mut o = opts(0.5);
        o.strain_amplitude = 0.0;
        assert!(matches!(
            fit_oscillation(&t, &s, &o),
            Err(DmsError::InvalidInput(_))
        ));
        o.strain_amplitude = 0.01;
        o.transient_cycles = 3;
        assert!(matches!(
            fit_oscillation(&t, &s, &o),
            Err(DmsError::NoCycleLeft { .. })
        ));
    }
}
