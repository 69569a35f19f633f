//! `pelkit bench dms`: one MD-DMS period (Nosé–Hoover NVT + `fix deform xy wiggle`, stress sampled
//! every N steps, 10 cycles) of a Kob–Andersen system, pelkit's protocol (run + fit, no IS
//! quenches) vs the same LAMMPS run from the same data file with velocities, in the same run.

use pelkit::units::Units;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::analysis::dmin::DminOptions;
use pelkit::engine::potential_provider::PotentialProvider;

use pelkit::potential::Potential;
use pelkit::protocol::dms::{run_dms_period, DmsSettings};

use super::anchor::run_lammps;
use super::cpu_time::{lammps_loop_cpu, process_cpu};

const KA_PAIR: &str = "pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n\
pair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\n\
neighbor 0.3 bin\nneigh_modify every 1 delay 0 check yes\n";

#[derive(Args)]
#[command(after_help = "\
The start is made by LAMMPS (untimed): KA 80:20 at number density 1.2 in a triclinic box with zero
tilt, random positions, `minimize 0 1e-4 1000 10000`, velocities at --temp, `write_data`. Then both
codes read that file and run --cycles periods of `fix nvt temp T T 100dt` + `fix deform 1 xy wiggle
0.012·ly t_w remap x units box`, dt 0.005, skin 0.3 with check yes, shear stress sampled every
--sample-every steps (LAMMPS: thermo pxy; pelkit: the protocol's trace), and pelkit fits G', G''.
Times: LAMMPS' Loop time vs pelkit's run_dms_period (MD + fit); CPU seconds next to them because
the machine may be loaded.

Examples:
  pelkit bench dms                    # 9,088 atoms, t_w = 1 τ, 10 cycles (2,000 steps)
  pelkit bench dms --atoms 2000 --period 0.5")]
pub struct DmsBenchArgs {
    /// Number of atoms (80 % type 1).
    #[arg(long, default_value_t = 9088)]
    pub atoms: usize,
    /// Period t_w (τ).
    #[arg(long, default_value_t = 1.0)]
    pub period: f64,
    #[arg(long, default_value_t = 10)]
    pub cycles: usize,
    #[arg(long, default_value_t = 0.6)]
    pub temp: f64,
    #[arg(long, default_value_t = 10)]
    pub sample_every: u64,
    /// pelkit threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
}

pub fn run(args: DmsBenchArgs) -> Result<()> {
    if args.atoms < 100 {
        bail!("--atoms must be at least 100");
    }
    let dt = 0.005;
    let (spp, _) = pelkit::analysis::dms::steps_per_period(args.period, dt)?;
    let steps = spp * args.cycles as u64;
    let dir = std::path::PathBuf::from("target/bench-dms");
    std::fs::create_dir_all(&dir)?;
    let dir = std::path::absolute(&dir)?;
    let l = (args.atoms as f64 / 1.2).cbrt();
    let na = args.atoms * 4 / 5;
    eprintln!("making a {}-atom KA start with LAMMPS…", args.atoms);
    run_lammps(
        &dir,
        &format!(
            "units lj\natom_style atomic\nregion box prism 0 {l} 0 {l} 0 {l} 0 0 0\n\
             create_box 2 box\ncreate_atoms 1 random {na} 8123 NULL overlap 0.7 maxtry 1000\n\
             create_atoms 2 random {} 8124 NULL overlap 0.7 maxtry 1000\nmass * 1.0\n{KA_PAIR}\
             minimize 0 1e-4 1000 10000\nvelocity all create {} 8125 mom yes rot no\n\
             write_data start.data\n",
            args.atoms - na,
            args.temp
        ),
        1,
    )?;
    let start = dir.join("start.data");
    let mut sys = pelkit::io::read_configuration(&start, None)
        .with_context(|| format!("reading {}", start.display()))?;
    sys.masses = vec![Some(1.0); sys.ntypes];
    let ly = sys.simbox.lengths()[1];
    eprintln!("LAMMPS: {} steps…", steps);
    let (_, screen) = run_lammps(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data start.data\n{KA_PAIR}timestep {dt}\n\
             fix 1 all nvt temp {t} {t} {tdamp}\n\
             fix 2 all deform 1 xy wiggle {amp:.17e} {period:.17e} remap x units box\n\
             thermo_style custom step pxy\nthermo {every}\nrun {steps}\n",
            t = args.temp,
            tdamp = 100.0 * dt,
            amp = 0.012 * ly,
            period = spp as f64 * dt,
            every = args.sample_every,
        ),
        1,
    )?;
    let lammps_time: f64 = screen
        .lines()
        .find(|l| l.starts_with("Loop time of"))
        .and_then(|l| l.split_whitespace().nth(3)?.parse().ok())
        .context("LAMMPS printed no Loop time")?;
    let lammps_cpu = lammps_loop_cpu(&screen)
        .first()
        .copied()
        .unwrap_or_default();
    let pot = Potential::from_lammps_args(
        "lj/cut 2.5",
        &[
            "1 1 1.0 1.0 2.5".into(),
            "1 2 1.5 0.8 2.0".into(),
            "2 2 0.5 0.88 2.2".into(),
        ],
        &["shift yes".into()],
        2,
    )?;
    let mut provider = PotentialProvider::new(pot, 0.3)?;
    let settings = DmsSettings {
        units: Units::Lj,
        dt,
        temperature: args.temp,
        t_damp: 100.0 * dt,
        strain_amplitude: 0.012,
        tilt: 0,
        cycles: args.cycles,
        transient_cycles: 1,
        sample_every: args.sample_every,
        quench: None,
        dmin: DminOptions::default(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    eprintln!("pelkit: {} steps on {} thread(s)…", steps, args.threads);
    let cpu0 = process_cpu();
    let t0 = Instant::now();
    let report =
        pool.install(|| run_dms_period(&sys, &mut provider, &settings, args.period, &mut |_| {}))?;
    let ours = t0.elapsed().as_secs_f64();
    let ours_cpu = process_cpu().saturating_sub(cpu0).as_secs_f64();
    println!(
        "dms: {}-atom KA at T = {}, t_w = {} τ, {} cycles ({} steps), stress every {} steps",
        sys.natoms(),
        args.temp,
        report.period,
        args.cycles,
        steps,
        args.sample_every
    );
    println!(
        "  LAMMPS 1 rank      {lammps_time:>9.3} s   CPU {:>9.3} s",
        lammps_cpu.as_secs_f64()
    );
    println!(
        "  pelkit {} thread(s) {ours:>9.3} s   CPU {ours_cpu:>9.3} s   speed-up (LAMMPS/pelkit) wall {:.2}x, CPU {:.2}x",
        args.threads,
        lammps_time / ours,
        lammps_cpu.as_secs_f64() / ours_cpu
    );
    println!(
        "  pelkit fit: G' = {:.4} ± {:.4}, G'' = {:.4} ± {:.4}, δ = {:.4} ± {:.4}",
        report.fit.storage_modulus,
        report.fit.storage_modulus_error,
        report.fit.loss_modulus,
        report.fit.loss_modulus_error,
        report.fit.delta,
        report.fit.delta_error
    );
    Ok(())
}
