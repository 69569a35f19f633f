//! Exact linear least squares of σ(t) on (1, sin ωt, cos ωt), ω = 2π/t_w, over whole cycles:
//! σ0 + a·sin ωt + b·cos ωt = σ0 + σA·sin(ωt + δ) with σA = √(a² + b²), δ = atan2(b, a).
//!
//! Samples with k·t_w ≤ t < K·t_w are used (k = transient cycles dropped, K = whole cycles
//! recorded; the half-open window counts each phase of a uniformly sampled cycle once).
//! Standard errors: cov(σ0, a, b) = s²·(XᵀX)⁻¹ with s² = SSR/(n − 3) — SciPy `curve_fit`'s
//! convention; they assume independent residuals and so understate the error of correlated MD
//! noise. Errors of σA and δ propagate the full covariance: ∇σA = (a, b)/σA,
//! ∇δ = (−b, a)/σA².

use serde::Serialize;

use crate::analysis::dms::DmsError;
use crate::analysis::fit::small_matrix::invert;

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
    let t_w = opts.period;
    if !(t_w.is_finite() && t_w > 0.0) {
        return Err(DmsError::InvalidInput(format!(
            "the period must be > 0, got {t_w}"
        )));
    }
    if !(opts.strain_amplitude.is_finite() && opts.strain_amplitude > 0.0) {
        return Err(DmsError::InvalidInput(format!(
            "the strain amplitude must be > 0, got {}",
            opts.strain_amplitude
        )));
    }
    if time.len() != stress.len() {
        return Err(DmsError::InvalidInput(format!(
            "{} times but {} stresses",
            time.len(),
            stress.len()
        )));
    }
    if time.is_empty() {
        return Err(DmsError::InvalidInput("no samples".into()));
    }
    if let Some(i) = (0..time.len()).find(|&i| !(time[i].is_finite() && stress[i].is_finite())) {
        return Err(DmsError::InvalidInput(format!(
            "sample {} (t = {}, stress = {}) is not finite",
            i + 1,
            time[i],
            stress[i]
        )));
    }
    if let Some(i) = (1..time.len()).find(|&i| time[i] <= time[i - 1]) {
        return Err(DmsError::InvalidInput(format!(
            "times must increase: sample {} has t = {} after t = {}",
            i + 1,
            time[i],
            time[i - 1]
        )));
    }
    let t_first = time[0];
    let t_last = time[time.len() - 1];
    let eps = 1e-9 * t_w;
    // Whole cycles recorded from t = 0 (the record must start at the oscillation's start, or
    // within the first dropped cycle).
    let cycles = ((t_last + eps) / t_w).floor().max(0.0) as usize;
    if cycles < 2 {
        return Err(DmsError::TooFewCycles {
            cycles,
            period: t_w,
            t_first,
            t_last,
        });
    }
    let k = opts.transient_cycles;
    if k >= cycles {
        return Err(DmsError::NoCycleLeft {
            cycles,
            transient: k,
        });
    }
    if t_first > k as f64 * t_w + eps {
        return Err(DmsError::InvalidInput(format!(
            "the record starts at t = {t_first}, after the start of the first fitted cycle \
             (t = {}); drop more transient cycles",
            k as f64 * t_w
        )));
    }
    let (lo, hi) = (k as f64 * t_w - eps, cycles as f64 * t_w - eps);
    let omega = std::f64::consts::TAU / t_w;
    let mut xtx = vec![vec![0.0; 3]; 3];
    let mut xty = [0.0; 3];
    let mut used = Vec::new();
    for (&t, &s) in time.iter().zip(stress) {
        if t < lo || t >= hi {
            continue;
        }
        let row = [1.0, (omega * t).sin(), (omega * t).cos()];
        for i in 0..3 {
            xty[i] += row[i] * s;
            for j in 0..3 {
                xtx[i][j] += row[i] * row[j];
            }
        }
        used.push((row, s));
    }
    let n = used.len();
    if n < 4 {
        return Err(DmsError::Singular(format!(
            "{n} samples in the fitted cycles; at least 4 are needed (3 coefficients and their errors)"
        )));
    }
    let inv = invert(&xtx).ok_or_else(|| {
        DmsError::Singular(format!(
            "{n} samples do not separate sin and cos (sample more often than twice per period)"
        ))
    })?;
    let coef: Vec<f64> = (0..3)
        .map(|i| (0..3).map(|j| inv[i][j] * xty[j]).sum())
        .collect();
    let ssr: f64 = used
        .iter()
        .map(|(row, s)| (s - row.iter().zip(&coef).map(|(r, c)| r * c).sum::<f64>()).powi(2))
        .sum();
    let mean = used.iter().map(|(_, s)| s).sum::<f64>() / n as f64;
    let sst: f64 = used.iter().map(|(_, s)| (s - mean).powi(2)).sum();
    let s2 = ssr / (n - 3) as f64;
    let cov = |i: usize, j: usize| inv[i][j] * s2;
    let (sigma0, a, b) = (coef[0], coef[1], coef[2]);
    let amp = a.hypot(b);
    let (amp_err, delta_err) = if amp > 0.0 {
        let va = (a * a * cov(1, 1) + 2.0 * a * b * cov(1, 2) + b * b * cov(2, 2)) / (amp * amp);
        let vd = (b * b * cov(1, 1) - 2.0 * a * b * cov(1, 2) + a * a * cov(2, 2)) / amp.powi(4);
        (va.max(0.0).sqrt(), vd.max(0.0).sqrt())
    } else {
        return Err(DmsError::Singular(
            "the fitted stress amplitude is exactly 0: the phase is undefined".into(),
        ));
    };
    let g = opts.strain_amplitude;
    Ok(OscillationFit {
        period: t_w,
        strain_amplitude: g,
        sigma0,
        sigma0_error: cov(0, 0).max(0.0).sqrt(),
        sigma_amplitude: amp,
        sigma_amplitude_error: amp_err,
        delta: b.atan2(a),
        delta_error: delta_err,
        storage_modulus: a / g,
        storage_modulus_error: cov(1, 1).max(0.0).sqrt() / g,
        loss_modulus: b / g,
        loss_modulus_error: cov(2, 2).max(0.0).sqrt() / g,
        loss_tangent: b / a,
        cycles_fitted: cycles - k,
        cycles_dropped: k,
        samples: n,
        r_squared: if sst > 0.0 { 1.0 - ssr / sst } else { 1.0 },
        rms_residual: (ssr / n as f64).sqrt(),
    })
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
