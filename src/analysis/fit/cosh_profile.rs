//! The profile χ² of f = κ·cosh(τ·V_act/kT) in V_act ≥ 0 (κ minimised out at every V_act):
//! the best V_act with its 1σ interval (Δχ² = 1), whether the best value sits on the boundary
//! V_act = 0, and the one-sided 95 % upper bound (Δχ² = 2.71). Unlike Levenberg–Marquardt
//! (`fit_cosh`) this always answers: when the data show no stress dependence the optimum is
//! V_act = 0, where ∂f/∂V_act vanishes and a local fit has no error; the profile then gives a
//! bound instead of a non-converged fit.
//!
//! χ²(V) = Σ w_i (f_i − κ̂(V)·c_i(V))², c_i = cosh(τ_i·V/kT), w_i = 1/σ_i² (1 without errors),
//! κ̂(V) = Σ w c f / Σ w c² (linear least squares). Δχ² is in units of `scale`: 1 with absolute
//! errors, χ²_min/(n − 2) otherwise (SciPy `curve_fit` `absolute_sigma=False`, so unweighted
//! data give the interval of the unit-weight fit). χ² is even in V_act, so V_act ≥ 0 loses
//! nothing; at V = 0 the slope in u = V² is dχ²/du = −(κ̂/kT²)·Σ w (f − κ̂)·τ² (envelope
//! theorem): the optimum is on the boundary when that slope is ≥ 0 (to 1e-12 of its terms'
//! size: f ≡ κ gives round-off) and no V > 0 is lower.
//!
//! Scan: V = 0 and 400 points with τ_max·V/kT log-spaced over 1e-4…30 (cosh up to 5e12); the
//! minimum is refined by bisection on the sign of dχ²/dV, the Δχ² crossings by bisection on χ².
//! A crossing beyond the scan is reported as `None` (not bounded by the data).

use serde::Serialize;

use crate::analysis::fit::{check_xy, FitError};

const MODEL: &str = "cosh profile f = kappa*cosh(tau*V_act/kT)";

/// Δχ² of a one-sided 95 % bound for one parameter (χ²₁ quantile 0.90: 2.7055).
pub const DELTA_CHI2_UPPER_95: f64 = 2.705_543_454_095_404;

/// How the per-point errors enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorMode {
    /// σ_i are true standard deviations: Δχ² thresholds in units of 1.
    Absolute,
    /// σ_i are relative weights: Δχ² scaled by χ²_min/(n − 2).
    Scaled,
}

/// The profile-χ² answer for V_act.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoshProfile {
    /// V_act at the profile minimum (0 when `at_boundary`).
    pub v_act: f64,
    /// κ̂ at `v_act`.
    pub kappa: f64,
    /// The optimum is V_act = 0: the data show no stress dependence; read `upper_95`.
    pub at_boundary: bool,
    /// 1σ interval {V ≥ 0: χ²(V) ≤ χ²_min + scale}; the lower end is 0 when the interval
    /// touches the boundary, the upper `None` when it runs beyond the scan.
    pub lower_1sigma: f64,
    pub upper_1sigma: Option<f64>,
    /// One-sided 95 % upper bound: χ²(V) = χ²_min + 2.71·scale above the optimum.
    pub upper_95: Option<f64>,
    /// κ̂ at `upper_95`.
    pub kappa_upper_95: Option<f64>,
    pub chi2_min: f64,
    pub chi2_at_zero: f64,
    /// Degrees of freedom n − 2.
    pub dof: usize,
    /// The unit of Δχ² (1, or χ²_min/dof with scaled errors).
    pub scale: f64,
    pub errors: ErrorMode,
    /// Largest V_act scanned (τ_max·V/kT = 30).
    pub v_max: f64,
    /// (V_act, χ²) on the scan grid, for plots.
    pub curve: Vec<(f64, f64)>,
}

struct Data<'a> {
    tau: &'a [f64],
    f: &'a [f64],
    w: Vec<f64>,
    kt: f64,
}

impl Data<'_> {
    /// (χ², κ̂) at V.
    fn chi2(&self, v: f64) -> (f64, f64) {
        let (mut cc, mut cf) = (0.0, 0.0);
        for i in 0..self.f.len() {
            let c = (self.tau[i] * v / self.kt).cosh();
            cc += self.w[i] * c * c;
            cf += self.w[i] * c * self.f[i];
        }
        let kappa = cf / cc;
        let chi2 = (0..self.f.len())
            .map(|i| {
                let r = self.f[i] - kappa * (self.tau[i] * v / self.kt).cosh();
                self.w[i] * r * r
            })
            .sum();
        (chi2, kappa)
    }

    /// (dχ²/dV)/V·kT²/2 at V (finite at V = 0, where it is the slope in V²·kT²/2); its sign
    /// is the sign of dχ²/dV for V > 0.
    fn slope(&self, v: f64) -> f64 {
        let (_, kappa) = self.chi2(v);
        -kappa
            * (0..self.f.len())
                .map(|i| {
                    let z = self.tau[i] * v / self.kt;
                    let c = z.cosh();
                    let sinhc = if z.abs() < 1e-8 { 1.0 } else { z.sinh() / z };
                    self.w[i] * (self.f[i] - kappa * c) * self.tau[i] * self.tau[i] * sinhc
                })
                .sum::<f64>()
    }
}

/// Bisection between `lo` (pred false) and `hi` (pred true) down to adjacent floats.
fn bisect(mut lo: f64, mut hi: f64, pred: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Profile χ² of f = κ·cosh(τ·V_act/kT) over V_act ≥ 0 for (τ, f) points (at least 3) with
/// optional errors `sigma` (all > 0) at thermal energy `kt` > 0 (τ·V_act in the unit of kt).
pub fn profile_cosh(
    tau: &[f64],
    f: &[f64],
    sigma: Option<&[f64]>,
    errors: ErrorMode,
    kt: f64,
) -> Result<CoshProfile, FitError> {
    check_xy(MODEL, tau, f, 2)?;
    if !(kt.is_finite() && kt > 0.0) {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: format!("kT must be > 0, got {kt}"),
        });
    }
    let w: Vec<f64> = match sigma {
        Some(s) => {
            if s.len() != f.len() {
                return Err(FitError::InvalidData {
                    model: MODEL,
                    what: format!("{} errors for {} points", s.len(), f.len()),
                });
            }
            if let Some(i) = s.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(FitError::InvalidData {
                    model: MODEL,
                    what: format!("error {} of point {} is not > 0", s[i], i + 1),
                });
            }
            s.iter().map(|v| 1.0 / (v * v)).collect()
        }
        None => vec![1.0; f.len()],
    };
    let tau_max = tau.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if tau_max == 0.0 {
        return Err(FitError::InvalidData {
            model: MODEL,
            what: "all tau are 0: V_act is undetermined".into(),
        });
    }
    let d = Data { tau, f, w, kt };
    let v_of = |z: f64| z * kt / tau_max;
    let mut grid = vec![0.0];
    grid.extend(
        (0..400).map(|i| v_of(10f64.powf(-4.0 + (30f64.log10() + 4.0) * i as f64 / 399.0))),
    );
    let curve: Vec<(f64, f64)> = grid.iter().map(|&v| (v, d.chi2(v).0)).collect();
    let v_max = *grid.last().unwrap_or(&0.0);
    let chi2_at_zero = curve[0].1;
    let slope0 = d.slope(0.0);
    let kmin = (0..curve.len())
        .min_by(|&a, &b| curve[a].1.total_cmp(&curve[b].1))
        .unwrap_or(0);
    // Round-off of the slope: its terms are of size w·|f|·|κ̂|·τ² (f − κ̂ ~ 1e-16·f for f ≡ κ).
    let slope_scale: f64 = (0..f.len())
        .map(|i| d.w[i] * f[i].abs() * tau[i] * tau[i])
        .sum::<f64>()
        * d.chi2(0.0).1.abs();
    let mut at_boundary = kmin == 0 && slope0 >= -1e-12 * slope_scale;
    let v_best = if at_boundary {
        0.0
    } else {
        let lo = if kmin == 0 { 0.0 } else { grid[kmin - 1] };
        let hi = grid[(kmin + 1).min(grid.len() - 1)];
        if d.slope(lo) < 0.0 && d.slope(hi) > 0.0 {
            bisect(lo, hi, |v| d.slope(v) > 0.0)
        } else {
            grid[kmin]
        }
    };
    let (mut chi2_min, mut kappa) = d.chi2(v_best);
    let mut v_best = v_best;
    if !at_boundary && chi2_min >= chi2_at_zero {
        // A refined optimum no lower than V = 0 (round-off level): the boundary.
        at_boundary = true;
        v_best = 0.0;
        (chi2_min, kappa) = d.chi2(0.0);
    }
    let dof = f.len() - 2;
    let scale = match errors {
        ErrorMode::Absolute => 1.0,
        ErrorMode::Scaled => chi2_min / dof as f64,
    };
    let crossing_above = |delta: f64| -> Option<f64> {
        let level = chi2_min + delta * scale;
        let start = grid.iter().position(|&v| v > v_best)?;
        let k = (start..grid.len()).find(|&k| curve[k].1 > level)?;
        let lo = if k == start { v_best } else { grid[k - 1] };
        Some(bisect(lo, grid[k], |v| d.chi2(v).0 > level))
    };
    let lower_1sigma = if at_boundary || chi2_at_zero <= chi2_min + scale {
        0.0
    } else {
        let level = chi2_min + scale;
        // The last grid point below v_best above the level, then bisect towards v_best.
        let k = (0..grid.len())
            .rev()
            .find(|&k| grid[k] < v_best && curve[k].1 > level)
            .unwrap_or(0);
        let hi = grid
            .get(k + 1)
            .copied()
            .filter(|&v| v < v_best)
            .unwrap_or(v_best);
        bisect(grid[k], hi, |v| d.chi2(v).0 <= level)
    };
    let upper_95 = crossing_above(DELTA_CHI2_UPPER_95);
    Ok(CoshProfile {
        v_act: v_best,
        kappa,
        at_boundary,
        lower_1sigma,
        upper_1sigma: crossing_above(1.0),
        upper_95,
        kappa_upper_95: upper_95.map(|u| d.chi2(u).1),
        chi2_min,
        chi2_at_zero,
        dof,
        scale,
        errors,
        v_max,
        curve,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fit::fit_cosh;

    #[test]
    fn unit_weights_agree_with_the_least_squares_fit() {
        // A clear V_act with deterministic scatter: the unweighted profile minimum is the
        // Levenberg–Marquardt optimum (same χ²), to the LM's convergence (~1e-8 relative).
        let tau: Vec<f64> = (1..=12).map(|i| 0.1 * i as f64).collect();
        let f: Vec<f64> = tau
            .iter()
            .enumerate()
            .map(|(i, t)| 1.5 * (t * 0.8 / 0.5).cosh() * (1.0 + 0.03 * ((i * 7 % 5) as f64 - 2.0)))
            .collect();
        let lm = fit_cosh(&tau, &f, 0.5).unwrap();
        let p = profile_cosh(&tau, &f, None, ErrorMode::Scaled, 0.5).unwrap();
        assert!(!p.at_boundary);
        let v = lm.value("V_act").unwrap();
        assert!((p.v_act / v - 1.0).abs() < 1e-7, "{p:?} vs {lm:?}");
        assert!((p.kappa / lm.value("kappa").unwrap() - 1.0).abs() < 1e-7);
        // The 1σ profile interval and the LM standard error agree to second order for a
        // nearly linear model: within 30 % here.
        let half = 0.5 * (p.upper_1sigma.unwrap() - p.lower_1sigma);
        let se = lm.std_error("V_act").unwrap();
        assert!((half / se - 1.0).abs() < 0.3, "{half} vs {se}");
        assert!(p.lower_1sigma < p.v_act && p.v_act < p.upper_1sigma.unwrap());
        assert!(p.upper_95.unwrap() > p.upper_1sigma.unwrap());
    }

    #[test]
    fn flat_data_give_a_bound_at_the_boundary() {
        let tau: Vec<f64> = (1..=8).map(|i| 0.1 * i as f64).collect();
        let f = vec![2.0; 8];
        let sigma = vec![0.1; 8];
        let p = profile_cosh(&tau, &f, Some(&sigma), ErrorMode::Absolute, 0.5).unwrap();
        assert!(
            p.at_boundary && p.v_act == 0.0 && p.lower_1sigma == 0.0,
            "{p:?}"
        );
        assert!(p.chi2_min < 1e-20);
        let u = p.upper_95.unwrap();
        // χ² at the bound is 2.71 (bisection to adjacent floats; χ² round-off ~1e-15).
        let d = Data {
            tau: &tau,
            f: &f,
            w: vec![100.0; 8],
            kt: 0.5,
        };
        assert!((d.chi2(u).0 - DELTA_CHI2_UPPER_95).abs() < 1e-9);
        assert!(p.upper_1sigma.unwrap() < u);
        assert!(profile_cosh(&tau, &f, Some(&[0.1; 7]), ErrorMode::Absolute, 0.5).is_err());
        assert!(profile_cosh(&tau, &f, Some(&[0.0; 8]), ErrorMode::Absolute, 0.5).is_err());
        assert!(profile_cosh(&[0.0; 8], &f, None, ErrorMode::Scaled, 0.5).is_err());
    }
}
