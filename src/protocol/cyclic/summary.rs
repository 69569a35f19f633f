//! The cage-breaking strain γ_c.b. of one sample and mean ± standard error of δ(γ), FWHM(γ) and
//! Θ(γ) over independent samples (seed 000 Fig. 3b).

use serde::Serialize;

use super::point::CyclicPoint;

/// γ_c.b.: the smallest γ whose point succeeded with Θ = 1 (`None` when no cage broke).
pub fn cage_breaking_strain(points: &[CyclicPoint]) -> Option<f64> {
    points
        .iter()
        .filter(|p| matches!(&p.outcome, Ok(o) if o.theta))
        .map(|p| p.gamma)
        .min_by(f64::total_cmp)
}

/// Statistics of one γ over samples (failed points excluded and counted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GammaSummary {
    pub gamma: f64,
    /// Samples with a result at this γ, and samples whose point failed.
    pub samples: usize,
    pub failed: usize,
    pub delta_mean: f64,
    /// Standard error of the mean: sample standard deviation / √n (0 for n = 1).
    pub delta_sem: f64,
    pub fwhm_mean: f64,
    pub fwhm_sem: f64,
    /// Fraction of samples with Θ = 1.
    pub theta_fraction: f64,
    pub delta_energy_mean: f64,
}

/// Mean and standard error of the mean (sample standard deviation / √n; 0 when n ≤ 1).
pub fn mean_sem(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return (mean, 0.0);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, (var / n as f64).sqrt())
}

/// Per-γ statistics over samples; γ values are matched exactly and listed ascending.
pub fn summarize(samples: &[Vec<CyclicPoint>]) -> Vec<GammaSummary> {
    let mut gammas: Vec<f64> = samples.iter().flatten().map(|p| p.gamma).collect();
    gammas.sort_by(f64::total_cmp);
    gammas.dedup();
    gammas
        .into_iter()
        .map(|g| {
            let at: Vec<&CyclicPoint> = samples.iter().flatten().filter(|p| p.gamma == g).collect();
            let ok: Vec<_> = at.iter().filter_map(|p| p.outcome.as_ref().ok()).collect();
            let (delta_mean, delta_sem) = mean_sem(&ok.iter().map(|o| o.delta).collect::<Vec<_>>());
            let (fwhm_mean, fwhm_sem) = mean_sem(&ok.iter().map(|o| o.fwhm).collect::<Vec<_>>());
            let (de, _) = mean_sem(&ok.iter().map(|o| o.delta_energy).collect::<Vec<_>>());
            GammaSummary {
                gamma: g,
                samples: ok.len(),
                failed: at.len() - ok.len(),
                delta_mean,
                delta_sem,
                fwhm_mean,
                fwhm_sem,
                theta_fraction: if ok.is_empty() {
                    f64::NAN
                } else {
                    ok.iter().filter(|o| o.theta).count() as f64 / ok.len() as f64
                },
                delta_energy_mean: de,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// mean_sem against the textbook numbers: {1,2,3,4}: mean 2.5, s² = 5/3, SEM = √(5/12).
    #[test]
    fn mean_and_standard_error() {
        let (m, s) = mean_sem(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(m, 2.5);
        assert!((s - (5.0f64 / 12.0).sqrt()).abs() < 1e-15);
        assert_eq!(mean_sem(&[3.0]), (3.0, 0.0));
        assert!(mean_sem(&[]).0.is_nan());
    }
}
