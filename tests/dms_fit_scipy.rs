//! The MD-DMS sine fit and the across-run fits (power law, KWW, cosh) against SciPy on the same
//! data: `curve_fit` of seed 004 Eq. 5 (nonlinear in σA, δ; we solve it linearly), `linregress`
//! of the log–log power law, `curve_fit` of the KWW and cosh models. Plus recovery of known
//! parameters from noisy synthetic data, and the refusals of bad records.
mod common;

use pelkit::analysis::dms::{fit_oscillation, DmsError, OscillationFitOptions};
use pelkit::analysis::fit::{fit_cosh, fit_kww, fit_power_law, FitError};
use std::f64::consts::TAU;

/// Deterministic Gaussian noise (64-bit LCG + Box–Muller), so every run tests the same data.
struct Noise(u64);
impl Noise {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (TAU * v).cos()
    }
}

fn write_columns(path: &std::path::Path, cols: &[&[f64]]) {
    let mut s = String::new();
    for i in 0..cols[0].len() {
        let row: Vec<String> = cols.iter().map(|c| format!("{:.17e}", c[i])).collect();
        s += &row.join(" ");
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

fn numbers(out: &str) -> Vec<f64> {
    out.split_whitespace().map(|w| w.parse().unwrap()).collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Synthetic σ(t): 10 cycles of t_w = 2.5 sampled every 0.01, σ0 = 0.05, σA = 0.8, δ = 0.6,
/// Gaussian noise of standard deviation `noise`.
fn synthetic_stress(noise: f64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = Noise(20240607);
    let t: Vec<f64> = (0..=2500).map(|i| i as f64 * 0.01).collect();
    let s = t
        .iter()
        .map(|t| 0.05 + 0.8 * (TAU * t / 2.5 + 0.6).sin() + noise * rng.gauss())
        .collect();
    (t, s)
}

fn options() -> OscillationFitOptions {
    OscillationFitOptions {
        period: 2.5,
        strain_amplitude: 0.012,
        transient_cycles: 1,
    }
}

#[test]
fn sine_fit_recovers_known_parameters_to_the_noise_level() {
    let noise = 0.1;
    let (t, s) = synthetic_stress(noise);
    let f = fit_oscillation(&t, &s, &options()).unwrap();
    assert_eq!(f.cycles_fitted, 9);
    assert_eq!(f.samples, 2250);
    // The estimates must lie within 4 of their own standard errors of the truth (the errors are
    // exact for independent Gaussian noise: se(σA) ≈ noise·√(2/n) ≈ 3e-3), and the errors must
    // match that analytic value within 10 %.
    let n = f.samples as f64;
    let se_expected = noise * (2.0 / n).sqrt();
    assert!(
        (f.sigma_amplitude - 0.8).abs() < 4.0 * f.sigma_amplitude_error,
        "{f:?}"
    );
    assert!((f.delta - 0.6).abs() < 4.0 * f.delta_error, "{f:?}");
    assert!((f.sigma0 - 0.05).abs() < 4.0 * f.sigma0_error, "{f:?}");
    assert!(rel(f.sigma_amplitude_error, se_expected) < 0.1, "{f:?}");
    assert!(rel(f.delta_error, se_expected / 0.8) < 0.1, "{f:?}");
    // The noise itself is recovered by the residual.
    assert!(rel(f.rms_residual, noise) < 0.05);
    // Eq. 6.
    let g = f.sigma_amplitude / 0.012;
    assert!(rel(f.storage_modulus, g * f.delta.cos()) < 1e-12);
    assert!(rel(f.loss_modulus, g * f.delta.sin()) < 1e-12);
}

#[test]
fn sine_fit_equals_scipy_curve_fit_of_eq5() {
    let python = require_python!();
    let dir = common::scratch("dms_sine_scipy");
    let (t, s) = synthetic_stress(0.1);
    let f = fit_oscillation(&t, &s, &options()).unwrap();
    // SciPy gets exactly the fitted window (cycles 2..10, half open).
    let keep: Vec<usize> = (0..t.len())
        .filter(|&i| t[i] >= 2.5 - 1e-9 && t[i] < 25.0 - 1e-9)
        .collect();
    let tw: Vec<f64> = keep.iter().map(|&i| t[i]).collect();
    let sw: Vec<f64> = keep.iter().map(|&i| s[i]).collect();
    write_columns(&dir.join("sigma.txt"), &[&tw, &sw]);
    let out = common::run_python(
        &python,
        &dir,
        "import numpy as np\nfrom scipy.optimize import curve_fit\n\
         t, s = np.loadtxt('sigma.txt', unpack=True)\n\
         f = lambda t, s0, sa, d: s0 + sa*np.sin(2*np.pi*t/2.5 + d)\n\
         p, c = curve_fit(f, t, s, p0=[0.0, 1.0, 0.3], ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)\n\
         e = np.sqrt(np.diag(c))\n\
         print(*p, *e)\n",
    );
    let r = numbers(&out);
    // The same least-squares optimum reached two ways (linear solve vs MINPACK iterations with
    // tolerances at 1e-15): agreement to 1e-8 relative is the acceptance bound; both are at
    // round-off of the normal equations (~1e-13) in practice.
    assert!(rel(f.sigma0, r[0]) < 1e-8, "σ0 {} vs {}", f.sigma0, r[0]);
    assert!(rel(f.sigma_amplitude, r[1]) < 1e-8);
    assert!(rel(f.delta, r[2]) < 1e-8);
    // Standard errors: SciPy's come from the Jacobian in (σ0, σA, δ) at the optimum; ours from
    // propagating the linear (σ0, a, b) covariance — identical to first order, and exactly so
    // for this reparametrisation (a linear map at a point), up to round-off.
    assert!(rel(f.sigma0_error, r[3]) < 1e-6);
    assert!(rel(f.sigma_amplitude_error, r[4]) < 1e-6);
    assert!(rel(f.delta_error, r[5]) < 1e-6);
}

#[test]
fn sine_fit_refuses_bad_records() {
    let (t, s) = synthetic_stress(0.0);
    // Fewer than 2 whole cycles.
    let short = 2.5 * 1.9 / 0.01;
    let n = short as usize;
    assert!(matches!(
        fit_oscillation(&t[..n], &s[..n], &options()),
        Err(DmsError::TooFewCycles { cycles: 1, .. })
    ));
    let mut o = options();
    o.strain_amplitude = -0.01;
    let e = fit_oscillation(&t, &s, &o).unwrap_err();
    assert!(
        e.to_string().contains("strain amplitude must be > 0"),
        "{e}"
    );
    // Sampled exactly twice per period at the nodes of sin: sin and cos cannot be separated.
    let tn: Vec<f64> = (0..=20).map(|i| i as f64 * 1.25).collect();
    let sn: Vec<f64> = tn.iter().map(|t| (TAU * t / 2.5).cos()).collect();
    assert!(matches!(
        fit_oscillation(&tn, &sn, &options()),
        Err(DmsError::Singular(_))
    ));
    // A period that is not a whole number of steps is accepted with a warning.
    let (steps, warning) = pelkit::analysis::dms::steps_per_period(1.0, 0.003).unwrap();
    assert_eq!(steps, 333);
    assert!(warning.unwrap().contains("not a multiple"));
    assert!(pelkit::analysis::dms::steps_per_period(1.0, 0.005)
        .unwrap()
        .1
        .is_none());
}

#[test]
fn power_law_kww_and_cosh_equal_scipy() {
    let python = require_python!();
    let dir = common::scratch("fit_scipy");
    let mut rng = Noise(77);
    // δ = A (D/r0)^b with 5 % multiplicative noise, b = 2.
    let x: Vec<f64> = (0..12).map(|i| 0.05 * 1.25f64.powi(i)).collect();
    let y: Vec<f64> = x
        .iter()
        .map(|v| 3.0 * v * v * (0.05 * rng.gauss()).exp())
        .collect();
    // KWW with 1 % additive noise.
    let tk: Vec<f64> = (0..25).map(|i| 0.2 * 1.35f64.powi(i)).collect();
    let yk: Vec<f64> = tk
        .iter()
        .map(|t| 1.5 * (-(t / 20.0).powf(0.55)).exp() + 0.01 * rng.gauss())
        .collect();
    // cosh with 2 % multiplicative noise, kT = 0.4.
    let tc: Vec<f64> = (0..15).map(|i| 0.1 * i as f64).collect();
    let yc: Vec<f64> = tc
        .iter()
        .map(|t| 2.0 * (t * 0.7 / 0.4).cosh() * (1.0 + 0.02 * rng.gauss()))
        .collect();
    write_columns(&dir.join("pl.txt"), &[&x, &y]);
    write_columns(&dir.join("kww.txt"), &[&tk, &yk]);
    write_columns(&dir.join("cosh.txt"), &[&tc, &yc]);
    let out = common::run_python(
        &python,
        &dir,
        "import numpy as np\nfrom scipy.optimize import curve_fit\nfrom scipy.stats import linregress\n\
         x, y = np.loadtxt('pl.txt', unpack=True)\n\
         r = linregress(np.log(x), np.log(y))\n\
         print(np.exp(r.intercept), r.slope, np.exp(r.intercept)*r.intercept_stderr, r.stderr, r.rvalue**2)\n\
         t, y = np.loadtxt('kww.txt', unpack=True)\n\
         f = lambda t, a, tau, b: a*np.exp(-(t/tau)**b)\n\
         p, c = curve_fit(f, t, y, p0=[1.0, 10.0, 0.8], ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)\n\
         print(*p, *np.sqrt(np.diag(c)))\n\
         t, y = np.loadtxt('cosh.txt', unpack=True)\n\
         g = lambda t, k, v: k*np.cosh(t*v/0.4)\n\
         p, c = curve_fit(g, t, y, p0=[1.0, 1.0], ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000)\n\
         print(*p, *np.sqrt(np.diag(c)))\n",
    );
    let r = numbers(&out);
    // Same optimum of the same objective: 1e-6 relative is the acceptance bound (both iterate
    // to ~1e-12); the power law is a closed form on both sides.
    let pl = fit_power_law(&x, &y).unwrap();
    eprintln!("power law {pl:?}");
    assert!(rel(pl.value("A").unwrap(), r[0]) < 1e-10);
    assert!(rel(pl.value("b").unwrap(), r[1]) < 1e-10);
    assert!(rel(pl.std_error("A").unwrap(), r[2]) < 1e-10);
    assert!(rel(pl.std_error("b").unwrap(), r[3]) < 1e-10);
    assert!(rel(pl.r_squared, r[4]) < 1e-10);
    let k = fit_kww(&tk, &yk, None).unwrap();
    eprintln!("kww {k:?}");
    for (i, name) in ["A", "tau", "beta"].iter().enumerate() {
        assert!(rel(k.value(name).unwrap(), r[5 + i]) < 1e-6, "KWW {name}");
        assert!(
            rel(k.std_error(name).unwrap(), r[8 + i]) < 1e-6,
            "KWW se {name}"
        );
    }
    let c = fit_cosh(&tc, &yc, 0.4).unwrap();
    eprintln!("cosh {c:?}");
    for (i, name) in ["kappa", "V_act"].iter().enumerate() {
        assert!(
            rel(c.value(name).unwrap(), r[11 + i].abs()) < 1e-6,
            "cosh {name}"
        );
        assert!(
            rel(c.std_error(name).unwrap(), r[13 + i]) < 1e-6,
            "cosh se {name}"
        );
    }
}

#[test]
fn a_fit_that_cannot_converge_is_an_error_not_nan() {
    // KWW cannot describe a rising curve: from a start the optimiser may not leave, the
    // iteration limit or a flat direction ends it as a clear error, never NaN parameters.
    let t: Vec<f64> = (1..10).map(|i| i as f64).collect();
    let y: Vec<f64> = t.iter().map(|v| v * v).collect();
    // From τ = 1e-300, β = 50 the model underflows to 0 with an undefined gradient: no step can
    // be taken, which must be reported with the (finite) last parameters.
    match fit_kww(&t, &y, Some([1.0, 1e-300, 50.0])) {
        Err(FitError::NotConverged { last, reason, .. }) => {
            assert!(last.iter().all(|(_, v)| v.is_finite()), "{last:?}");
            assert!(!reason.is_empty());
        }
        other => panic!("expected NotConverged, got {other:?}"),
    }
    assert!(matches!(
        fit_power_law(&[1.0, 2.0, f64::NAN], &[1.0, 2.0, 3.0]),
        Err(FitError::InvalidData { .. })
    ));
}
