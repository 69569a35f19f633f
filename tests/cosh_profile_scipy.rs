//! The profile χ² of f = κ·cosh(τ·V_act/k_BT) (`analysis::fit::profile_cosh`, the V_act answer
//! of `pelkit ageing-map`) against SciPy on synthetic ratio data at the scale of seed 001
//! (τ in bar, V_act in Å³, T = 550 K): with a clear V_act = 60 Å³ the optimum equals SciPy
//! `curve_fit` (sigma, absolute_sigma=True) and the Δχ² = 1 / 2.71 crossings equal `brentq` on
//! a profile whose κ is `lsq_linear`'s; with f ≡ κ (no stress dependence) and with a ratio
//! falling with τ the optimum is V_act = 0 (SciPy's bounded minimiser agrees) and the answer is
//! a one-sided 95 % upper bound equal to `brentq`'s, with no V_act claimed.
mod common;

use std::fmt::Write as _;

use pelkit::analysis::ageing_map::{boltzmann_stress_volume, fit_boost, RatioPixel};
use pelkit::analysis::fit::{profile_cosh, ErrorMode};
use pelkit::random::Rng;
use pelkit::units::Units;

const T: f64 = 550.0;

fn kt() -> f64 {
    boltzmann_stress_volume(Units::Metal) * T
}

fn taus() -> Vec<f64> {
    (1..=12).map(|i| 250.0 * i as f64).collect() // bar
}

fn write_case(dir: &std::path::Path, name: &str, tau: &[f64], f: &[f64], s: &[f64]) {
    let mut out = String::new();
    for i in 0..tau.len() {
        writeln!(out, "{:.17e} {:.17e} {:.17e}", tau[i], f[i], s[i]).unwrap();
    }
    std::fs::write(dir.join(format!("{name}.txt")), out).unwrap();
}

fn numbers(out: &str) -> Vec<f64> {
    out.split_whitespace().map(|w| w.parse().unwrap()).collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// For each case: V_best (curve_fit when `interior`, else the bounded minimiser), χ²(0),
/// χ²_min, the 1σ crossings (lower or 0, upper) and the 95 % upper crossing, with Δχ² scaled
/// by χ²_min/dof when `scaled`.
const SCRIPT: &str = r#"
import sys
import numpy as np
from scipy.optimize import curve_fit, lsq_linear, brentq, minimize_scalar
kt = KT
def run(name, interior, scaled):
    tau, f, s = np.loadtxt(name + '.txt', unpack=True)
    def chi2(v):
        c = np.cosh(tau * v / kt)
        k = lsq_linear((c / s)[:, None], f / s, lsq_solver='exact').x[0]
        return float(np.sum(((f - k * c) / s) ** 2))
    vmax = 30 * kt / np.max(np.abs(tau))
    if interior:
        g = lambda t, k, v: k * np.cosh(t * v / kt)
        p, _ = curve_fit(g, tau, f, p0=[1.0, 40.0], sigma=s, absolute_sigma=True,
                         ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)
        vb = abs(p[1])
    else:
        r = minimize_scalar(chi2, bounds=(0.0, vmax), method='bounded',
                            options={'xatol': 1e-10 * vmax})
        assert chi2(r.x) >= chi2(0.0) - 1e-9 * max(chi2(0.0), 1.0), (r.x, chi2(r.x), chi2(0.0))
        vb = 0.0
    cmin = chi2(vb)
    scale = cmin / (len(f) - 2) if scaled else 1.0
    up = lambda d: brentq(lambda v: chi2(v) - cmin - d * scale, vb + 1e-12 * vmax, vmax, xtol=1e-14, rtol=1e-14)
    lo = 0.0
    if chi2(0.0) > cmin + scale:
        lo = brentq(lambda v: chi2(v) - cmin - scale, 0.0, vb, xtol=1e-14, rtol=1e-14)
    print(vb, chi2(0.0), cmin, lo, up(1.0), up(2.705543454095404))
run('clear', True, False)
run('flat', False, False)
run('falling', False, True)
"#;

#[test]
fn profile_equals_scipy_with_a_clear_v_act_and_bounds_without_one() {
    let python = require_python!();
    let dir = common::scratch("cosh_profile_scipy");
    let tau = taus();
    let kt = kt();
    let mut rng = Rng::new(606);
    // Clear case: κ = 1.3, V_act = 60 Å³ (cosh up to 5.4), 8 % Gaussian errors, σ known.
    let truth: Vec<f64> = tau.iter().map(|t| 1.3 * (t * 60.0 / kt).cosh()).collect();
    let s_clear: Vec<f64> = truth.iter().map(|f| 0.08 * f).collect();
    let f_clear: Vec<f64> = truth
        .iter()
        .zip(&s_clear)
        .map(|(f, s)| f + s * rng.gaussian())
        .collect();
    // f ≡ κ exactly, σ = 0.2.
    let f_flat = vec![1.3; tau.len()];
    let s_flat = vec![0.2; tau.len()];
    // A ratio falling with τ (load slows ageing) plus 5 % noise; scaled errors.
    let f_fall: Vec<f64> = tau
        .iter()
        .map(|t| 1.3 * (1.0 - 0.2 * t / 3000.0) * (1.0 + 0.05 * rng.gaussian()))
        .collect();
    let s_fall = vec![1.0; tau.len()];
    write_case(&dir, "clear", &tau, &f_clear, &s_clear);
    write_case(&dir, "flat", &tau, &f_flat, &s_flat);
    write_case(&dir, "falling", &tau, &f_fall, &s_fall);
    let r = numbers(&common::run_python(
        &python,
        &dir,
        &SCRIPT.replace("KT", &format!("{kt:.17e}")),
    ));
    assert_eq!(r.len(), 18, "{r:?}");

    let clear = profile_cosh(&tau, &f_clear, Some(&s_clear), ErrorMode::Absolute, kt).unwrap();
    eprintln!("clear: {clear:?}\nscipy {:?}", &r[0..6]);
    assert!(!clear.at_boundary);
    // Same optimum of the same χ²: both solve to ~1e-12; 1e-7 relative is the acceptance.
    assert!(rel(clear.v_act, r[0]) < 1e-7, "{} vs {}", clear.v_act, r[0]);
    assert!(rel(clear.chi2_at_zero, r[1]) < 1e-10);
    assert!(rel(clear.chi2_min, r[2]) < 1e-10);
    // Crossings: bisection to adjacent floats vs brentq at 1e-14 → 1e-8 relative.
    assert!(
        rel(clear.lower_1sigma, r[3]) < 1e-8,
        "{} vs {}",
        clear.lower_1sigma,
        r[3]
    );
    assert!(rel(clear.upper_1sigma.unwrap(), r[4]) < 1e-8);
    assert!(rel(clear.upper_95.unwrap(), r[5]) < 1e-8);
    // Physics: 60 Å³ lies within the 95 % (≈ 2σ) range of the recovered value, and the
    // interval is informative (narrower than ±50 %).
    assert!(
        clear.lower_1sigma > 0.0 && clear.upper_1sigma.unwrap() < 90.0,
        "{clear:?}"
    );
    let half = 0.5 * (clear.upper_1sigma.unwrap() - clear.lower_1sigma);
    assert!((clear.v_act - 60.0).abs() < 2.0 * half, "{clear:?}");

    let flat = profile_cosh(&tau, &f_flat, Some(&s_flat), ErrorMode::Absolute, kt).unwrap();
    eprintln!("flat: {flat:?}\nscipy {:?}", &r[6..12]);
    assert!(flat.at_boundary && flat.v_act == 0.0 && flat.lower_1sigma == 0.0);
    // f ≡ κ: χ²_min is round-off (κ̂ = mean of equal numbers).
    assert!(flat.chi2_min < 1e-20 && r[8].abs() < 1e-20);
    assert!(rel(flat.upper_1sigma.unwrap(), r[10]) < 1e-8);
    assert!(
        rel(flat.upper_95.unwrap(), r[11]) < 1e-8,
        "{} vs {}",
        flat.upper_95.unwrap(),
        r[11]
    );

    let fall = profile_cosh(&tau, &f_fall, None, ErrorMode::Scaled, kt).unwrap();
    eprintln!("falling: {fall:?}\nscipy {:?}", &r[12..18]);
    assert!(fall.at_boundary && fall.v_act == 0.0 && fall.chi2_min > 0.0);
    assert!(rel(fall.chi2_min, r[14]) < 1e-10);
    assert!(rel(fall.upper_1sigma.unwrap(), r[16]) < 1e-8);
    assert!(rel(fall.upper_95.unwrap(), r[17]) < 1e-8);
}

/// `fit_boost` on ratio pixels with f ≡ κ: the profile answers with a bound and does not claim
/// a V_act; the pooled temperatures enter as τ·T_ref/T.
#[test]
fn flat_ratio_pixels_give_a_bound_not_a_fit() {
    let pixels: Vec<RatioPixel> = (0..9)
        .map(|k| RatioPixel {
            ie: k % 3,
            it: k / 3,
            e_center: -4.84 + 0.003 * (k % 3) as f64,
            t_center: 400.0 + 100.0 * (k / 3) as f64,
            temperature: 400.0 + 100.0 * (k / 3) as f64,
            count_loaded: 4,
            count_unloaded: 4,
            f: Some(0.9),
            f_se: Some(0.3),
            tau: Some(2000.0 + 1000.0 * (k % 3) as f64),
            tau_se: Some(100.0),
        })
        .collect();
    let k_b = boltzmann_stress_volume(Units::Metal);
    let fit = fit_boost(&pixels, k_b, Some(ErrorMode::Absolute)).unwrap();
    assert!(
        fit.profile.at_boundary && fit.profile.v_act == 0.0,
        "{fit:?}"
    );
    assert!(fit.profile.chi2_min < 1e-20, "{fit:?}");
    // At the bound, χ² = 2.71 by construction: recompute it from the definition
    // Σ((f − κ̂ cosh(τ V/k_B T))/σ)² with κ̂ the weighted least-squares κ.
    let u = fit.profile.upper_95.unwrap();
    let c: Vec<f64> = pixels
        .iter()
        .map(|p| (p.tau.unwrap() * u / (k_b * p.temperature)).cosh())
        .collect();
    let kappa = c.iter().map(|c| c * 0.9).sum::<f64>() / c.iter().map(|c| c * c).sum::<f64>();
    let chi2: f64 = c.iter().map(|c| ((0.9 - kappa * c) / 0.3).powi(2)).sum();
    assert!((chi2 - 2.705543454095404).abs() < 1e-8, "{chi2}");
    // Pixels without an error cannot be weighted: a clear error, not a silent unit weight.
    let mut bad = pixels.clone();
    bad[4].f_se = None;
    let e = fit_boost(&bad, k_b, Some(ErrorMode::Absolute))
        .unwrap_err()
        .to_string();
    assert!(e.contains("ie 1, it 1"), "{e}");
    assert!(fit_boost(&bad, k_b, None).is_ok());
}
