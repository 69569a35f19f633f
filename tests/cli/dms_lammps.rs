//! MD-DMS with pelkit's engine against the same run in LAMMPS (`fix nvt` + `fix deform … xy
//! wiggle … remap x units box`) from the same start and velocities: the stress trace of the first
//! 1000 steps to round-off growth, and G′, G″, δ within their combined standard errors; then the
//! `pelkit dms fit` CLI on LAMMPS' own log and its refusals of bad input.
#[path = "../common/mod.rs"]
mod common;
use common::cli::pelkit_bin;
#[path = "../dynamics_support/mod.rs"]
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{as_lammps_reads, set_masses, KA_PAIR};
use pelkit::analysis::dmin::DminOptions;
use pelkit::analysis::dms::{fit_oscillation, OscillationFitOptions};
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::velocity::create_velocities;
use pelkit::engine::MinimizeSettings;
use pelkit::io::data::write_data;
use pelkit::potential::Potential;
use pelkit::protocol::dms::{run_dms_period, DmsSettings};
use pelkit::units::Units;
use std::process::Command;

const T: f64 = 0.6;
const DT: f64 = 0.005;
const PERIOD: f64 = 5.0;
const GAMMA: f64 = 0.012;
const CYCLES: usize = 6;
const EVERY: u64 = 10;

fn ka_provider() -> PotentialProvider {
    let pot = Potential::from_lammps_args(
        "lj/cut 2.5",
        &[
            "1 1 1.0 1.0 2.5".into(),
            "1 2 1.5 0.8 2.0".into(),
            "2 2 0.5 0.88 2.2".into(),
        ],
        &["shift yes".into()],
        2,
    )
    .unwrap();
    PotentialProvider::new(pot, 0.3).unwrap()
}

#[test]
fn dms_run_matches_lammps_trace_and_moduli() {
    let lmp = require_lammps!();
    let dir = common::scratch("dms_lammps");
    // A 500-atom KA configuration (quenched by LAMMPS, orthogonal box made triclinic with zero
    // tilt), velocities at T = 0.6 from pelkit: a liquid state point of KA at density 1.2.
    // PELKIT_DMS_LAMMPS_ATOMS=2000 runs the size once (≈ 4× the time: docs/dms.md).
    let natoms: usize = std::env::var("PELKIT_DMS_LAMMPS_ATOMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    glass::kob_andersen(
        &lmp,
        &dir,
        natoms,
        2468,
        Shape::Triclinic(0.0, 0.0, 0.0),
        1000,
    );
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    set_masses(&mut sys, 1.0);
    as_lammps_reads(&mut sys);
    create_velocities(&mut sys, T, 4711, Units::Lj).unwrap();
    write_data(&dir.join("start.data"), &sys).unwrap();
    let ly = sys.simbox.lengths()[1];
    let amplitude = GAMMA * ly;
    let steps = (PERIOD / DT).round() as u64 * CYCLES as u64;
    let log = lmp.run(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data start.data\n\
             {KA_PAIR}timestep {DT}\nfix 1 all nvt temp {T} {T} {tdamp}\n\
             fix 2 all deform 1 xy wiggle {amplitude:.17e} {period:.17e} remap x units box\n\
             thermo_style custom step pxy temp\nthermo_modify format float %.17g norm no\n\
             thermo {EVERY}\nrun {steps}\n",
            tdamp = 100.0 * DT,
            period = (PERIOD / DT).round() * DT,
        ),
    );
    let thermo = dynamics_support::parse_thermo(&log, "Step");
    assert_eq!(thermo.len() as u64, steps / EVERY + 1);

    let settings = DmsSettings {
        units: Units::Lj,
        dt: DT,
        temperature: T,
        t_damp: 100.0 * DT,
        strain_amplitude: GAMMA,
        tilt: 0,
        cycles: CYCLES,
        transient_cycles: 1,
        sample_every: EVERY,
        quench: Some(MinimizeSettings::new(0.0, 1e-8, 10000, 100000, true)),
        dmin: DminOptions::default(),
    };
    let report = run_dms_period(&sys, &mut ka_provider(), &settings, PERIOD, &mut |_| {}).unwrap();
    assert_eq!(report.trace.len(), thermo.len());

    // 1. The stress trace of the first 1000 steps. Same operations, different force summation
    // order: the difference starts at ~1e-15 and grows exponentially with the divergence of
    // nearby trajectories (measured: 1.3e-15 at step 10, 1.2e-14 at 200, 2.8e-13 at 500, 1.9e-9
    // at 1000, 4e-3 at 2000 — an e-folding time of ≈ 0.35 τ). The bound is that envelope with an
    // e-folding time of 0.3 τ from 1e-14: tight early (1.2e-14 at step 10), 1.7e-7 at step 1000,
    // still far below a physics error (a wrong strain phase or sign changes σ by ~0.1 at once).
    let mut worst_ratio: f64 = 0.0;
    for (s, row) in report.trace.iter().zip(&thermo) {
        assert_eq!(s.step, row[0] as u64);
        // σ = −pxy.
        let d = (s.stress + row[1]).abs();
        if s.step <= 1000 {
            let bound = 1e-14 * (s.time / 0.3).exp();
            assert!(d <= bound, "step {}: |Δσ| = {d:e} > {bound:e}", s.step);
            worst_ratio = worst_ratio.max(d / bound);
        }
        if [10, 100, 200, 500, 1000, 2000].contains(&s.step) {
            eprintln!("step {:>5}: |Δσ| = {d:.3e}", s.step);
        }
    }
    eprintln!("largest |Δσ|/bound over the first 1000 steps: {worst_ratio:.3}");

    // 2. G′, G″, δ: LAMMPS' pxy fitted by the same library function.
    let time: Vec<f64> = thermo.iter().map(|r| r[0] * DT).collect();
    let stress: Vec<f64> = thermo.iter().map(|r| -r[1]).collect();
    let lf = fit_oscillation(
        &time,
        &stress,
        &OscillationFitOptions {
            period: report.period,
            strain_amplitude: GAMMA,
            transient_cycles: 1,
        },
    )
    .unwrap();
    let pf = &report.fit;
    eprintln!(
        "pelkit G' {:.4} ± {:.4}, G'' {:.4} ± {:.4}, δ {:.4} ± {:.4}; LAMMPS G' {:.4} ± {:.4}, G'' {:.4} ± {:.4}, δ {:.4} ± {:.4}",
        pf.storage_modulus, pf.storage_modulus_error, pf.loss_modulus, pf.loss_modulus_error,
        pf.delta, pf.delta_error,
        lf.storage_modulus, lf.storage_modulus_error, lf.loss_modulus, lf.loss_modulus_error,
        lf.delta, lf.delta_error
    );
    // After the shared first ~1000 steps the two trajectories decorrelate (chaos), so the
    // moduli are two samples of the same estimate: their difference must be within the combined
    // standard error (3σ: a 0.3 % false-alarm rate for independent Gaussian estimates).
    let within = |a: f64, ea: f64, b: f64, eb: f64| (a - b).abs() <= 3.0 * ea.hypot(eb);
    assert!(within(
        pf.storage_modulus,
        pf.storage_modulus_error,
        lf.storage_modulus,
        lf.storage_modulus_error
    ));
    assert!(within(
        pf.loss_modulus,
        pf.loss_modulus_error,
        lf.loss_modulus,
        lf.loss_modulus_error
    ));
    assert!(within(pf.delta, pf.delta_error, lf.delta, lf.delta_error));
    // A liquid responds: positive moduli, 0 < δ < π/2.
    assert!(pf.storage_modulus > 0.0 && pf.loss_modulus > 0.0);

    // 3. IS D_min per period: snapshots at cycles 1..=CYCLES → CYCLES − 1 pairs; D_min never
    // exceeds the labelled RMSD (identity is one of the assignments), both > 0 in a liquid.
    let is = report.is_dmin.as_ref().unwrap();
    assert_eq!(is.pairs.len(), CYCLES - 1);
    for p in &is.pairs {
        assert!(p.certified);
        assert!(p.is_dmin > 0.0 && p.is_dmin <= p.rmsd + 1e-12, "{p:?}");
    }
    eprintln!(
        "IS D_min {:.4}, RMSD {:.4}, r0 {:.4}",
        is.mean_is_dmin, is.mean_rmsd, report.r0
    );

    // 4. The CLI on LAMMPS' log gives the library's numbers for LAMMPS' trace.
    let out = Command::new(pelkit_bin())
        .args(["dms", "fit"])
        .arg(dir.join("log.lammps"))
        .args([
            "--period",
            &format!("{:.17e}", report.period),
            "--amplitude",
            "0.012",
        ])
        .args(["--timestep", "0.005", "--column", "Pxy", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let g1 = v["fit"]["storage_modulus"].as_f64().unwrap();
    // The log prints %.17g: the same doubles, the same sums.
    assert!(
        (g1 - lf.storage_modulus).abs() <= 1e-12 * lf.storage_modulus.abs(),
        "{g1} vs {}",
        lf.storage_modulus
    );

    // 5. Refusals: a column the log does not have; γA ≤ 0; fewer than 2 cycles.
    let fail = |extra: &[&str]| -> String {
        let out = Command::new(pelkit_bin())
            .args(["dms", "fit"])
            .arg(dir.join("log.lammps"))
            .args(["--timestep", "0.005"])
            .args(extra)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = fail(&["--period", "5", "--amplitude", "0.012", "--column", "Pxz"]);
    assert!(e.contains("no thermo block has a column 'Pxz'"), "{e}");
    let e = fail(&["--period", "5", "--amplitude", "0", "--column", "Pxy"]);
    assert!(e.contains("strain amplitude must be > 0"), "{e}");
    let e = fail(&["--period", "20", "--amplitude", "0.012", "--column", "Pxy"]);
    assert!(e.contains("the fit needs at least 2"), "{e}");
    // A period that is not a whole number of steps: a warning, still a fit.
    let out = Command::new(pelkit_bin())
        .args(["dms", "fit"])
        .arg(dir.join("log.lammps"))
        .args([
            "--period",
            "5.0021",
            "--amplitude",
            "0.012",
            "--timestep",
            "0.005",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a multiple of the timestep"));
}
