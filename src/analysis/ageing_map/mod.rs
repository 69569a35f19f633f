//! Ageing-rate maps (seed 001, Figs. 1–2): the rate Φ = (E_IS^{i+1} − E_IS^i)/(t_{i+1} − t_i)
//! of every pair of neighbouring inherent structures of a series, binned on (E_IS, T) pixels
//! with counts, means and standard errors; with and without load, the ratio f = Φ^L/Φ^0 and the
//! mean stress per pixel; and the fit f = κ·cosh(τ·V_act/k_BT) over all pixels (profile χ² with
//! an interval or an upper bound, and the least-squares fit).
//!
//! Conventions: a pair sits at the mean E_IS of its two ends, at the series' T; its stress is
//! the mean of its two ends' τ. Pairs with a non-converged or missing IS are skipped (counted).
//! Bins: `n` equal bins on [lo, hi], bin i = ⌊(x − lo)/(hi − lo)·n⌋, x = hi in the last bin;
//! points outside are counted. Standard error = sample standard deviation (n − 1) / √n; a
//! pixel with one pair has a mean but no error. Neighbouring pairs of one series share an IS,
//! so their rates are not independent: the error is an estimate, not a strict bound.

pub mod series;

use std::collections::BTreeMap;

use serde::Serialize;
use thiserror::Error;

use crate::analysis::fit::{fit_cosh, profile_cosh, FitError, FitResult};
pub use crate::analysis::fit::{CoshProfile, ErrorMode};

pub use series::read_series;

/// Why a map could not be made.
#[derive(Debug, Error)]
pub enum AgeingMapError {
    #[error(transparent)]
    Csv(#[from] crate::io::csv_table::CsvError),
    #[error("invalid ageing-map input: {0}")]
    InvalidInput(String),
    #[error("V_act fit: {0}")]
    Fit(#[from] FitError),
}

/// One inherent structure of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct IsPoint {
    /// Series key: points with the same key are one annealing run.
    pub series: String,
    pub time: f64,
    pub temperature: f64,
    pub e_is: f64,
    pub tau: Option<f64>,
    pub converged: bool,
}

/// Equal bins on [lo, hi].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bins {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

impl Bins {
    pub fn new(lo: f64, hi: f64, n: usize) -> Result<Self, AgeingMapError> {
        if !(lo.is_finite() && hi.is_finite() && hi > lo && n > 0) {
            return Err(AgeingMapError::InvalidInput(format!(
                "bins {lo}:{hi}:{n}: need finite LO < HI and N >= 1"
            )));
        }
        Ok(Bins { lo, hi, n })
    }

    /// Parse `LO:HI:N`.
    pub fn parse(text: &str) -> Result<Self, AgeingMapError> {
        let bad = || {
            AgeingMapError::InvalidInput(format!(
                "bins '{text}': expected LO:HI:N (N equal bins on [LO, HI]), e.g. -5.9:-5.7:8"
            ))
        };
        let p: Vec<&str> = text.split(':').map(str::trim).collect();
        if p.len() != 3 {
            return Err(bad());
        }
        let lo = p[0].parse().map_err(|_| bad())?;
        let hi = p[1].parse().map_err(|_| bad())?;
        let n = p[2].parse().map_err(|_| bad())?;
        Bins::new(lo, hi, n)
    }

    /// The bin of `x`, `None` outside [lo, hi] (or NaN).
    pub fn index(&self, x: f64) -> Option<usize> {
        if !(x >= self.lo && x <= self.hi) {
            return None;
        }
        let i = ((x - self.lo) / (self.hi - self.lo) * self.n as f64).floor() as usize;
        Some(i.min(self.n - 1))
    }

    pub fn center(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * (self.hi - self.lo) / self.n as f64
    }

    pub fn edges(&self) -> Vec<f64> {
        (0..=self.n)
            .map(|i| self.lo + i as f64 * (self.hi - self.lo) / self.n as f64)
            .collect()
    }
}

/// The rate of one pair of neighbouring IS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairRate {
    /// Mean E_IS of the two ends.
    pub e_is: f64,
    pub temperature: f64,
    pub phi: f64,
    /// Mean τ of the two ends (when both have one).
    pub tau: Option<f64>,
}

/// What went into the pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PairCounts {
    pub series: usize,
    pub points: usize,
    pub pairs: usize,
    /// Pairs with a non-converged (or missing) IS at either end.
    pub skipped_unconverged: usize,
}

/// Φ of every neighbouring pair of every series (points sorted by time within a series; two
/// points of one series at the same time are an error).
pub fn pair_rates(points: &[IsPoint]) -> Result<(Vec<PairRate>, PairCounts), AgeingMapError> {
    let mut groups: BTreeMap<&str, Vec<&IsPoint>> = BTreeMap::new();
    for p in points {
        groups.entry(p.series.as_str()).or_default().push(p);
    }
    let mut counts = PairCounts {
        series: groups.len(),
        points: points.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    for (key, mut g) in groups {
        g.sort_by(|a, b| a.time.total_cmp(&b.time));
        for w in g.windows(2) {
            let (a, b) = (w[0], w[1]);
            let dt = b.time - a.time;
            if dt <= 0.0 {
                return Err(AgeingMapError::InvalidInput(format!(
                    "series {key}: two IS at time {}",
                    a.time
                )));
            }
            if !(a.converged && b.converged && a.e_is.is_finite() && b.e_is.is_finite()) {
                counts.skipped_unconverged += 1;
                continue;
            }
            out.push(PairRate {
                e_is: 0.5 * (a.e_is + b.e_is),
                temperature: a.temperature,
                phi: (b.e_is - a.e_is) / dt,
                tau: match (a.tau, b.tau) {
                    (Some(x), Some(y)) => Some(0.5 * (x + y)),
                    _ => None,
                },
            });
        }
    }
    counts.pairs = out.len();
    Ok((out, counts))
}

/// Mean and standard error of a sample (error `None` below two values).
fn mean_se(v: &[f64]) -> (Option<f64>, Option<f64>) {
    if v.is_empty() {
        return (None, None);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (Some(mean), None);
    }
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (Some(mean), Some((var / n).sqrt()))
}

/// One (E_IS, T) pixel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pixel {
    pub ie: usize,
    pub it: usize,
    pub e_center: f64,
    pub t_center: f64,
    pub count: usize,
    pub phi_mean: Option<f64>,
    pub phi_se: Option<f64>,
    /// Mean T of the pairs (the series temperatures).
    pub t_mean: Option<f64>,
    /// Mean and standard error of τ over the pairs that have one.
    pub tau_mean: Option<f64>,
    pub tau_se: Option<f64>,
}

/// A binned map: pixels with E_IS varying fastest (`pixels[it * bins_e.n + ie]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateMap {
    pub bins_e: Bins,
    pub bins_t: Bins,
    pub pixels: Vec<Pixel>,
    pub pairs: PairCounts,
    /// Pairs outside the bin ranges.
    pub outside: usize,
    /// Pixels without any pair.
    pub empty: usize,
}

impl RateMap {
    pub fn pixel(&self, ie: usize, it: usize) -> &Pixel {
        &self.pixels[it * self.bins_e.n + ie]
    }
}

/// Bin the pair rates of `points` on (E_IS, T).
pub fn rate_map(points: &[IsPoint], bins_e: Bins, bins_t: Bins) -> Result<RateMap, AgeingMapError> {
    let (rates, pairs) = pair_rates(points)?;
    let n = bins_e.n * bins_t.n;
    let mut phi: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut tau: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut temp: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut outside = 0;
    for r in &rates {
        match (bins_e.index(r.e_is), bins_t.index(r.temperature)) {
            (Some(ie), Some(it)) => {
                let k = it * bins_e.n + ie;
                phi[k].push(r.phi);
                temp[k].push(r.temperature);
                if let Some(t) = r.tau {
                    tau[k].push(t);
                }
            }
            _ => outside += 1,
        }
    }
    let pixels: Vec<Pixel> = (0..n)
        .map(|k| {
            let (ie, it) = (k % bins_e.n, k / bins_e.n);
            let (phi_mean, phi_se) = mean_se(&phi[k]);
            let (tau_mean, tau_se) = mean_se(&tau[k]);
            Pixel {
                ie,
                it,
                e_center: bins_e.center(ie),
                t_center: bins_t.center(it),
                count: phi[k].len(),
                phi_mean,
                phi_se,
                t_mean: mean_se(&temp[k]).0,
                tau_mean,
                tau_se,
            }
        })
        .collect();
    let empty = pixels.iter().filter(|p| p.count == 0).count();
    Ok(RateMap {
        bins_e,
        bins_t,
        pixels,
        pairs,
        outside,
        empty,
    })
}

/// The ratio of a loaded to an unloaded pixel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatioPixel {
    pub ie: usize,
    pub it: usize,
    pub e_center: f64,
    pub t_center: f64,
    /// T of the loaded pairs (mean).
    pub temperature: f64,
    pub count_loaded: usize,
    pub count_unloaded: usize,
    /// f = Φ^L/Φ^0, `None` when either side has fewer than `min_count` pairs or Φ^0 = 0.
    pub f: Option<f64>,
    /// |f|·√((se_L/Φ^L)² + (se_0/Φ^0)²) when both errors exist.
    pub f_se: Option<f64>,
    /// Mean stress of the loaded pairs and its standard error.
    pub tau: Option<f64>,
    pub tau_se: Option<f64>,
}

/// Pixel-by-pixel f = Φ^L/Φ^0 of two maps on the same bins.
pub fn ratio_map(
    loaded: &RateMap,
    unloaded: &RateMap,
    min_count: usize,
) -> Result<Vec<RatioPixel>, AgeingMapError> {
    if loaded.bins_e != unloaded.bins_e || loaded.bins_t != unloaded.bins_t {
        return Err(AgeingMapError::InvalidInput(
            "the loaded and unloaded maps have different bins".into(),
        ));
    }
    let min_count = min_count.max(1);
    Ok(loaded
        .pixels
        .iter()
        .zip(&unloaded.pixels)
        .map(|(l, u)| {
            let (f, f_se) = match (l.phi_mean, u.phi_mean) {
                (Some(pl), Some(pu))
                    if l.count >= min_count && u.count >= min_count && pu != 0.0 =>
                {
                    let f = pl / pu;
                    let se = match (l.phi_se, u.phi_se) {
                        (Some(sl), Some(su)) => {
                            Some(f.abs() * ((sl / pl).powi(2) + (su / pu).powi(2)).sqrt())
                        }
                        _ => None,
                    };
                    (Some(f), se)
                }
                _ => (None, None),
            };
            RatioPixel {
                ie: l.ie,
                it: l.it,
                e_center: l.e_center,
                t_center: l.t_center,
                temperature: l.t_mean.unwrap_or(l.t_center),
                count_loaded: l.count,
                count_unloaded: u.count,
                f,
                f_se,
                tau: l.tau_mean,
                tau_se: l.tau_se,
            }
        })
        .collect())
}

/// k_B in the stress·volume unit of τ·V_act: bar·Å³/K for metal units (τ in bar, V_act in Å³;
/// 1 bar·Å³ = 1e-25 J), atm·Å³/K for real units, 1 for lj (τ in ε/σ³, V_act in σ³, T in ε/k_B).
pub fn boltzmann_stress_volume(units: crate::units::Units) -> f64 {
    match units {
        crate::units::Units::Metal => 1.380649e-23 / 1e-25,
        // real: τ in atm, V_act in Å³ (1 atm·Å³ = 101325e-30 J).
        crate::units::Units::Real => 1.380649e-23 / (101325.0 * 1e-30),
        crate::units::Units::Lj => 1.0,
    }
}

/// The unweighted Levenberg–Marquardt fit of f = κ·cosh(τ·V_act/k_BT) (SciPy `curve_fit`
/// without sigma): a local optimum with standard errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeastSquaresBoost {
    pub fit: FitResult,
    pub v_act: f64,
    pub v_act_se: f64,
    pub kappa: f64,
    pub kappa_se: f64,
}

/// V_act from the ratio pixels: the profile χ² in V_act ≥ 0 (always answers: best value with
/// its 1σ interval, or, when the best value is 0, a one-sided 95 % upper bound) and the
/// unweighted least-squares fit when it converges. Every pixel with a finite f (negative ones
/// too: κ is linear) and a stress enters; pixels at different T enter as τ·T_ref/T at k_B·T_ref
/// (T_ref = mean T), which is the same model; V_act is in the volume unit of `k_b` (see
/// [`boltzmann_stress_volume`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoostFit {
    pub profile: CoshProfile,
    /// `None` when Levenberg–Marquardt did not converge (typically: optimum at V_act = 0).
    pub least_squares: Option<LeastSquaresBoost>,
    pub least_squares_error: Option<String>,
    pub t_ref: f64,
    /// (τ, T, f) of the fitted pixels.
    pub points: Vec<(f64, f64, f64)>,
    /// The errors of f used as σ by the profile (empty when it is unweighted).
    pub f_se: Vec<f64>,
}

/// Fit the ratio pixels. `errors`: `None` → unit weights (Δχ² scaled by χ²_min/dof);
/// `Some(mode)` → σ = the pixel's propagated error of f (every fitted pixel must have one > 0).
pub fn fit_boost(
    pixels: &[RatioPixel],
    k_b: f64,
    errors: Option<ErrorMode>,
) -> Result<BoostFit, AgeingMapError> {
    let chosen: Vec<&RatioPixel> = pixels
        .iter()
        .filter(|p| matches!((p.f, p.tau), (Some(f), Some(t)) if f.is_finite() && t.is_finite()))
        .collect();
    if chosen.len() < 3 {
        return Err(AgeingMapError::InvalidInput(format!(
            "{} pixel(s) with a ratio and a stress; the cosh fit needs at least 3",
            chosen.len()
        )));
    }
    if let Some(p) = chosen
        .iter()
        .find(|p| p.temperature.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater))
    {
        return Err(AgeingMapError::InvalidInput(format!(
            "pixel temperature {} is not > 0",
            p.temperature
        )));
    }
    let points: Vec<(f64, f64, f64)> = chosen
        .iter()
        .map(|p| (p.tau.unwrap_or(0.0), p.temperature, p.f.unwrap_or(0.0)))
        .collect();
    let f_se: Vec<f64> = if errors.is_some() {
        chosen
            .iter()
            .map(|p| match p.f_se {
                Some(se) if se.is_finite() && se > 0.0 => Ok(se),
                _ => Err(AgeingMapError::InvalidInput(format!(
                    "pixel (ie {}, it {}) has no error of f > 0 to weight with (a side with one \
                     pair?): raise the minimum count or fit without errors",
                    p.ie, p.it
                ))),
            })
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let t_ref = points.iter().map(|p| p.1).sum::<f64>() / points.len() as f64;
    let x: Vec<f64> = points.iter().map(|p| p.0 * t_ref / p.1).collect();
    let y: Vec<f64> = points.iter().map(|p| p.2).collect();
    let profile = profile_cosh(
        &x,
        &y,
        errors.map(|_| f_se.as_slice()),
        errors.unwrap_or(ErrorMode::Scaled),
        k_b * t_ref,
    )?;
    let (least_squares, least_squares_error) = match fit_cosh(&x, &y, k_b * t_ref) {
        Ok(fit) => {
            let get = |n: &str| {
                (
                    fit.value(n).unwrap_or(f64::NAN),
                    fit.std_error(n).unwrap_or(f64::NAN),
                )
            };
            let (v_act, v_act_se) = get("V_act");
            let (kappa, kappa_se) = get("kappa");
            let ls = LeastSquaresBoost {
                fit,
                v_act,
                v_act_se,
                kappa,
                kappa_se,
            };
            (Some(ls), None)
        }
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(BoostFit {
        profile,
        least_squares,
        least_squares_error,
        t_ref,
        points,
        f_se,
    })
}
