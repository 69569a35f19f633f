//! Ageing-rate maps (`analysis::ageing_map`) on synthetic IS series with a known rate law:
//! Φ_0(T) = −c·exp(−E_a/k_BT) without load, Φ_L = κ·cosh(τ·V_act/k_BT)·Φ_0 under a stress τ(T).
//! Noise-free series give the law back exactly; noisy ones give pixel means within their errors
//! and V_act within its fit error; and every pixel (counts, means, standard errors, ratios,
//! stresses, empty pixels) equals a NumPy computation of the same definitions on the same CSVs.
mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pelkit::analysis::ageing_map::{
    boltzmann_stress_volume, fit_boost, rate_map, ratio_map, read_series, Bins, RateMap,
};
use pelkit::random::Rng;
use pelkit::units::Units;

const KB_EV: f64 = 8.617333262e-5;
const V_ACT: f64 = 60.0; // Å³
const KAPPA: f64 = 1.3;
const TEMPS: [f64; 8] = [300.0, 350.0, 400.0, 450.0, 500.0, 550.0, 600.0, 650.0];

fn phi0(t: f64) -> f64 {
    -1e-3 * (-0.1 / (KB_EV * t)).exp() / (-0.1 / (KB_EV * 650.0)).exp()
}

fn tau_of(j: usize) -> f64 {
    400.0 * (j + 1) as f64 // bar
}

fn boost(tau: f64, t: f64) -> f64 {
    KAPPA * (tau * V_ACT / (boltzmann_stress_volume(Units::Metal) * t)).cosh()
}

/// Four runs of 40 IS (Δt = 1 ps) per temperature; E_IS noise `sigma` (eV/atom). Loaded runs
/// carry a stress with the same noise scaled to bar. One unloaded IS is marked non-converged.
fn write_series(path: &Path, loaded: bool, sigma: f64, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut s = String::from("# synthetic series\nrun,time,T,E_IS,tau,converged\n");
    for (j, &t) in TEMPS.iter().enumerate() {
        let (rate, tau) = if loaded {
            (boost(tau_of(j), t) * phi0(t), tau_of(j))
        } else {
            (phi0(t), 0.0)
        };
        for run in 0..4 {
            let e0 = -5.65 - 0.01 * run as f64;
            for i in 0..40 {
                let time = i as f64;
                let e = e0 + rate * time + sigma * rng.gaussian();
                let tau_i = tau + sigma * 1e6 * rng.gaussian();
                let conv = !(!loaded && j == 3 && run == 1 && i == 17);
                writeln!(s, "{run},{time},{t},{e:?},{tau_i:?},{}", conv as u8).unwrap();
            }
        }
    }
    std::fs::write(path, s).unwrap();
}

fn maps(dir: &Path, sigma: f64) -> (PathBuf, PathBuf, RateMap, RateMap) {
    let (pu, pl) = (dir.join("unloaded.csv"), dir.join("loaded.csv"));
    write_series(&pu, false, sigma, 1);
    write_series(&pl, true, sigma, 2);
    let be = Bins::parse("-6.0:-5.6:8").unwrap();
    let bt = Bins::parse("275:675:8").unwrap();
    let mu = rate_map(&read_series(&pu, "tau").unwrap(), be, bt).unwrap();
    let ml = rate_map(&read_series(&pl, "tau").unwrap(), be, bt).unwrap();
    (pu, pl, mu, ml)
}

#[test]
fn noise_free_series_give_the_rate_law_back() {
    let dir = common::scratch("ageing_map_exact");
    let (_, _, mu, ml) = maps(&dir, 0.0);
    // 8 T × 4 runs × 39 pairs, minus the two pairs touching the non-converged IS.
    assert_eq!(mu.pairs.pairs, 8 * 4 * 39 - 2);
    assert_eq!(mu.pairs.skipped_unconverged, 2);
    assert_eq!(mu.outside, 0);
    for p in mu.pixels.iter().filter(|p| p.count > 0) {
        let t = p.t_mean.unwrap();
        // Linear series: every pair's slope is the rate up to rounding of E (≈1e-16·6/1 ps).
        assert!((p.phi_mean.unwrap() / phi0(t) - 1.0).abs() < 1e-9, "{p:?}");
    }
    let ratio = ratio_map(&ml, &mu, 2).unwrap();
    let with_f: Vec<_> = ratio.iter().filter(|r| r.f.is_some()).collect();
    assert!(with_f.len() >= 8, "{} ratio pixels", with_f.len());
    for r in &with_f {
        let j = TEMPS.iter().position(|&t| t == r.temperature).unwrap();
        assert!(
            (r.f.unwrap() / boost(tau_of(j), r.temperature) - 1.0).abs() < 1e-8,
            "{r:?}"
        );
        assert!((r.tau.unwrap() - tau_of(j)).abs() < 1e-9);
    }
    let boost = fit_boost(&ratio, boltzmann_stress_volume(Units::Metal), None).unwrap();
    // The profile χ² has its minimum (χ² = 0) at the true V_act: bisection on the sign of
    // dχ²/dV to adjacent floats, limited by the ratios' 1e-8 rounding.
    assert!(
        (boost.profile.v_act - V_ACT).abs() < 1e-5,
        "{:?}",
        boost.profile.v_act
    );
    assert!(!boost.profile.at_boundary);
    let fit = boost.least_squares.unwrap();
    // Exact data: the fit is exact up to the LM convergence (relative steps 1e-10 or so).
    assert!((fit.v_act - V_ACT).abs() < 1e-5, "{fit:?}");
    assert!((fit.kappa - KAPPA).abs() < 1e-6, "{fit:?}");
}

#[test]
fn noisy_series_recover_v_act_within_error_and_equal_numpy_pixels() {
    let dir = common::scratch("ageing_map_noisy");
    let sigma = 2e-5;
    let (pu, pl, mu, ml) = maps(&dir, sigma);
    for p in mu.pixels.iter().filter(|p| p.count >= 5) {
        // Pixel means are within 5 standard errors of the true rate (the errors of neighbouring
        // pairs are anti-correlated, so the naive standard error over-estimates: 5 se is safe).
        let t = p.t_mean.unwrap();
        let (m, se) = (p.phi_mean.unwrap(), p.phi_se.unwrap());
        assert!((m - phi0(t)).abs() < 5.0 * se, "{p:?} vs {}", phi0(t));
    }
    let ratio = ratio_map(&ml, &mu, 2).unwrap();
    let fit = fit_boost(&ratio, boltzmann_stress_volume(Units::Metal), None)
        .unwrap()
        .least_squares
        .unwrap();
    eprintln!(
        "noisy fit over {} pixels: V_act = {} ± {}, kappa = {} ± {}",
        fit.fit.points, fit.v_act, fit.v_act_se, fit.kappa, fit.kappa_se
    );
    // The fit recovers the true V_act within 3 of its standard errors, and the error is a
    // meaningful one (not a vacuous 100 %).
    assert!((fit.v_act - V_ACT).abs() < 3.0 * fit.v_act_se, "{fit:?}");
    assert!(fit.v_act_se < 0.3 * V_ACT, "{fit:?}");
    assert!((fit.kappa - KAPPA).abs() < 3.0 * fit.kappa_se, "{fit:?}");

    // The same pixels by NumPy from the same CSVs.
    let py = require_python!();
    let script = format!(
        r#"
import numpy as np, json
def pairs(path):
    d = np.genfromtxt(path, delimiter=',', names=True, skip_header=1)
    out = []
    for key in sorted(set(zip(d['run'], d['T']))):
        s = d[(d['run'] == key[0]) & (d['T'] == key[1])]
        s = s[np.argsort(s['time'], kind='stable')]
        for a, b in zip(s[:-1], s[1:]):
            if a['converged'] != 1 or b['converged'] != 1:
                continue
            out.append((0.5 * (a['E_IS'] + b['E_IS']), a['T'],
                        (b['E_IS'] - a['E_IS']) / (b['time'] - a['time']), 0.5 * (a['tau'] + b['tau'])))
    return np.array(out)
def pixels(path):
    p = pairs(path)
    lo, hi, n = -6.0, -5.6, 8
    tlo, thi, tn = 275.0, 675.0, 8
    ie = np.minimum(np.floor((p[:, 0] - lo) / (hi - lo) * n), n - 1).astype(int)
    it = np.minimum(np.floor((p[:, 1] - tlo) / (thi - tlo) * tn), tn - 1).astype(int)
    res = []
    for k in range(n * tn):
        sel = (ie == k % n) & (it == k // n)
        phi, tau = p[sel, 2], p[sel, 3]
        c = int(sel.sum())
        res.append(dict(count=c,
            mean=float(phi.mean()) if c else None,
            se=float(phi.std(ddof=1) / np.sqrt(c)) if c > 1 else None,
            tau=float(tau.mean()) if c else None))
    return res
u, l = pixels('{}'), pixels('{}')
f = [ (a['mean'] / b['mean']) if (a['count'] >= 2 and b['count'] >= 2) else None for a, b in zip(l, u)]
print(json.dumps(dict(u=u, l=l, f=f, empty=sum(1 for x in u if x['count'] == 0))))
"#,
        pu.display(),
        pl.display()
    );
    let out = common::run_python(&py, &dir, &script);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    // Same sums in the same order up to NumPy's pairwise summation: 1e-10 relative.
    let close = |a: Option<f64>, b: &serde_json::Value, what: &str, k: usize| match (a, b.as_f64())
    {
        (None, None) => {}
        (Some(x), Some(y)) => assert!(
            (x - y).abs() <= 1e-10 * x.abs().max(y.abs()).max(1e-300),
            "pixel {k} {what}: pelkit {x} numpy {y}"
        ),
        (x, _) => panic!("pixel {k} {what}: pelkit {x:?} numpy {b}"),
    };
    for (name, m) in [("u", &mu), ("l", &ml)] {
        for (k, p) in m.pixels.iter().enumerate() {
            let q = &v[name][k];
            assert_eq!(
                p.count as u64,
                q["count"].as_u64().unwrap(),
                "pixel {k} count"
            );
            close(p.phi_mean, &q["mean"], "mean", k);
            close(p.phi_se, &q["se"], "se", k);
            close(p.tau_mean, &q["tau"], "tau", k);
        }
    }
    for (k, r) in ratio.iter().enumerate() {
        close(r.f, &v["f"][k], "f", k);
    }
    assert_eq!(mu.empty as u64, v["empty"].as_u64().unwrap());
    assert!(
        mu.empty > 0,
        "the synthetic maps have empty pixels, reported as such"
    );
}

#[test]
fn bad_series_and_bins_are_errors_naming_the_problem() {
    let dir = common::scratch("ageing_map_bad");
    let p = dir.join("bad.csv");
    for (text, expect) in [
        ("time,T\n0,300\n", "no column 'E_IS'"),
        ("time,T,E_IS\n0,300,-5\n1,300,x\n", "bad.csv:3"),
        ("time,T,E_IS\n0,300\n", "fields"),
        ("", "no header"),
        (
            "run,time,T,E_IS\n0,1,300,-5\n0,1,300,-5.1\n",
            "two IS at time 1",
        ),
    ] {
        std::fs::write(&p, text).unwrap();
        let err = read_series(&p, "tau").and_then(|pts| {
            rate_map(&pts, Bins::parse("-6:-5:2")?, Bins::parse("0:1000:1")?).map(|_| ())
        });
        let msg = err.expect_err(text).to_string();
        assert!(msg.contains(expect), "{text:?}: {msg}");
    }
    for bad in ["1:0:3", "0:1", "0:1:0", "a:b:c"] {
        assert!(Bins::parse(bad).is_err(), "{bad}");
    }
}
