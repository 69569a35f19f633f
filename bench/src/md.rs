//! `pelkit bench md`: NVE and Nosé–Hoover NVT steps per second of a Cu–Zr glass, pelkit (1 and 2
//! threads) vs LAMMPS `run` (1 rank) from the same data file, same timestep, skin and
//! neighbor-check rule.

use pelkit::units::Units;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::engine::md::{run_md, MdSettings};
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::thermostat_nh::NoseHooverSettings;
use pelkit::engine::velocity::create_velocities;
use pelkit::engine::{ForceProvider, ForceResult};

use super::anchor::run_lammps;
use super::cpu_time::process_cpu;
use super::cuzr_glass::GlassArgs;

#[derive(Args)]
#[command(after_help = "\
Both codes read the same data file, create velocities at --temp (zero total momentum; the random
streams differ), and run --steps steps of `fix nve`, then --steps steps of
`fix nvt temp T T TDAMP` (chain of 3, tloop 1: LAMMPS defaults) from where NVE ended, timestep
--timestep, `neighbor 2.0 bin` + `neigh_modify every 1 delay 0 check yes` (rebuild when an atom
moved more than half the skin). Times: LAMMPS' \"Loop time\" of each run vs pelkit's run_md call
(which includes one setup force evaluation LAMMPS does outside its loop; the setup list build is
untimed in both). CPU times (LAMMPS: loop time × its \"% CPU use\"; pelkit: process user+system
time) are printed too: on a loaded machine wall times mostly measure the other load. Neighbor-list builds during the runs are printed to show both reuse lists
alike.

Examples:
  pelkit bench md                     # 50k atoms; the glass is made once, then cached
  pelkit bench md --atoms 5000 --steps 500
  pelkit bench md --input my_glass.data --threads 1,2")]
pub struct MdBenchArgs {
    #[command(flatten)]
    pub glass: GlassArgs,
    /// Steps of each run (NVE, then NVT).
    #[arg(long, default_value_t = 100)]
    pub steps: u64,
    #[command(flatten)]
    pub nvt: NvtArgs,
    /// Thread counts to time pelkit with, comma separated.
    #[arg(long, default_value = "1,2")]
    pub threads: String,
}

/// `--temp --timestep --tdamp` of the MD benchmarks (`bench md`, `bench anneal`).
#[derive(Args)]
pub struct NvtArgs {
    /// Temperature of the created velocities and of the thermostat (K).
    #[arg(long, default_value_t = 600.0)]
    pub temp: f64,
    /// Timestep (ps).
    #[arg(long, default_value_t = 0.002)]
    pub timestep: f64,
    /// Nosé–Hoover damping time (ps).
    #[arg(long, default_value_t = 0.2)]
    pub tdamp: f64,
}

/// Time and neighbor-list builds of one run.
struct RunTiming {
    time: Duration,
    /// CPU time (all threads), insensitive to other load on the machine.
    cpu: Duration,
    builds: usize,
}

fn steps_per_s(steps: u64, t: Duration) -> f64 {
    steps as f64 / t.as_secs_f64()
}

/// LAMMPS NVE then NVT on one rank: (NVE, NVT).
fn lammps_runs(args: &MdBenchArgs, glass: &std::path::Path) -> Result<(RunTiming, RunTiming)> {
    let dir = std::env::temp_dir().join(format!("pelkit-bench-md-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let (_, screen) = run_lammps(
        &dir,
        &format!(
            "units metal\natom_style atomic\nread_data {}\npair_style eam/fs\npair_coeff {}\n\
             neighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\ntimestep {}\n\
             velocity all create {} 4928 mom yes dist gaussian\nthermo {}\n\
             fix md all nve\nrun {}\nunfix md\nfix md all nvt temp {} {} {}\nrun {}\n",
            glass.display(),
            args.glass.pair_coeff(),
            args.nvt.timestep,
            args.nvt.temp,
            args.steps,
            args.steps,
            args.nvt.temp,
            args.nvt.temp,
            args.nvt.tdamp,
            args.steps
        ),
        1,
    )?;
    std::fs::remove_dir_all(&dir).ok();
    let times: Vec<f64> = screen
        .lines()
        .filter(|l| l.starts_with("Loop time of"))
        .filter_map(|l| l.split_whitespace().nth(3)?.parse().ok())
        .collect();
    let builds: Vec<usize> = screen
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Neighbor list builds = "))
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let cpu = super::cpu_time::lammps_loop_cpu(&screen);
    if times.len() != 2 || builds.len() != 2 || cpu.len() != 2 {
        bail!("LAMMPS output lacks the two run summaries:\n{screen}");
    }
    Ok((
        RunTiming {
            time: Duration::from_secs_f64(times[0]),
            cpu: cpu[0],
            builds: builds[0],
        },
        RunTiming {
            time: Duration::from_secs_f64(times[1]),
            cpu: cpu[1],
            builds: builds[1],
        },
    ))
}

/// pelkit NVE then NVT with `threads` threads: (NVE, NVT).
fn pelkit_runs(
    args: &MdBenchArgs,
    sys0: &pelkit::System,
    threads: usize,
) -> Result<(RunTiming, RunTiming)> {
    let mut sys = sys0.clone();
    let potential = args.glass.potential_for(&mut sys)?;
    create_velocities(&mut sys, args.nvt.temp, 4928, Units::Metal)?;
    let mut provider = PotentialProvider::new(potential, 2.0)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut settings = MdSettings::nve(Units::Metal, args.nvt.timestep, args.steps);
    let mut timed = |settings: &MdSettings, sys: &mut pelkit::System| -> Result<RunTiming> {
        // LAMMPS builds its list and evaluates forces in the run setup, outside the timed loop
        // and its build count: do the same build untimed here.
        let mut warm = ForceResult::with_atoms(sys.natoms());
        pool.install(|| provider.compute(sys, &mut warm))?;
        let builds0 = provider.rebuilds;
        let cpu0 = process_cpu();
        let start = Instant::now();
        pool.install(|| run_md(sys, &mut provider, settings, &mut |_, _| {}))?;
        Ok(RunTiming {
            time: start.elapsed(),
            cpu: process_cpu().saturating_sub(cpu0),
            builds: provider.rebuilds - builds0,
        })
    };
    let nve = timed(&settings, &mut sys)?;
    settings.thermostat = Some(NoseHooverSettings::new(
        args.nvt.temp,
        args.nvt.temp,
        args.nvt.tdamp,
    ));
    let nvt = timed(&settings, &mut sys)?;
    Ok((nve, nvt))
}

pub fn run(args: MdBenchArgs) -> Result<()> {
    if args.steps == 0 {
        bail!("--steps must be at least 1");
    }
    let glass = args.glass.glass()?;
    let sys0 = pelkit::io::read_configuration(&glass, None)
        .with_context(|| format!("reading {}", glass.display()))?;
    let threads: Vec<usize> = args
        .threads
        .split(',')
        .map(|t| t.trim().parse::<usize>().context("--threads"))
        .collect::<Result<_>>()?;
    eprintln!("LAMMPS NVE + NVT, {} steps each…", args.steps);
    let (l_nve, l_nvt) = lammps_runs(&args, &glass)?;
    let mut ours = Vec::new();
    for &t in &threads {
        eprintln!("pelkit NVE + NVT with {t} thread(s)…");
        ours.push((t, pelkit_runs(&args, &sys0, t)?));
    }
    println!(
        "md: {}-atom Cu-Zr glass ({}), {} K, dt {} ps, {} steps per run, skin 2.0 Å",
        sys0.natoms(),
        glass.display(),
        args.nvt.temp,
        args.nvt.timestep,
        args.steps
    );
    for (name, lammps, pick) in [
        ("NVE", &l_nve, 0usize),
        ("NVT (Nose-Hoover)", &l_nvt, 1usize),
    ] {
        println!(
            "  {name:<18} LAMMPS 1 rank     {:>8.2} steps/s  CPU {:>7.3} s/step  \
             ({} neighbor builds)",
            steps_per_s(args.steps, lammps.time),
            lammps.cpu.as_secs_f64() / args.steps as f64,
            lammps.builds
        );
        for (t, runs) in &ours {
            let r = if pick == 0 { &runs.0 } else { &runs.1 };
            println!(
                "  {name:<18} pelkit {t} thread(s) {:>8.2} steps/s  CPU {:>7.3} s/step  \
                 ({} neighbor builds)  wall time/LAMMPS = {:.2} (speed-up {:.2}x)  \
                 CPU time/LAMMPS = {:.2}",
                steps_per_s(args.steps, r.time),
                r.cpu.as_secs_f64() / args.steps as f64,
                r.builds,
                r.time.as_secs_f64() / lammps.time.as_secs_f64(),
                lammps.time.as_secs_f64() / r.time.as_secs_f64(),
                r.cpu.as_secs_f64() / lammps.cpu.as_secs_f64()
            );
        }
    }
    Ok(())
}
