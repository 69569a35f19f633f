//! `pelkit bench anneal`: the NVT + IS-quench loop of `pelkit anneal` (one run, 1 thread) vs the
//! same loop in LAMMPS (1 rank): `fix nvt` / `run N` / `unfix` / `write_restart` / `minimize` /
//! `clear` + `read_restart`, same glass, timestep, damping, skin and minimize settings.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::engine::MinimizeSettings;
use pelkit::protocol::ageing::{run_anneal, AnnealSettings, AnnealStart};
use pelkit::units::Units;

use super::anchor::{report, run_lammps};
use super::cpu_time::{lammps_loop_cpu, process_cpu};
use super::cuzr_glass::GlassArgs;
use super::md::NvtArgs;

#[derive(Args)]
#[command(after_help = "\
Both codes start from the same glass with velocities at --temp (different random streams) and
repeat --segments times: Nose-Hoover NVT for --is-every steps (chain restarted each segment, as
`pelkit anneal` does), then a CG minimization of a copy of the state (`minimize ETOL FTOL MAXITER
MAXEVAL`, --min), then the MD continues from the unminimized state (LAMMPS: write_restart before
minimize, clear + read_restart after; that overhead is outside its timed loops and reported in
its wall time only). pelkit: one run_anneal call on 1 thread (plus the t = 0 IS, as anneal).
Times: wall and CPU (LAMMPS: sum of its loop times x % CPU; pelkit: process CPU); the machine
load is printed. The quench iteration counts differ because the trajectories do.

Examples:
  pelkit bench anneal --atoms 2000 --segments 5 --is-every 500")]
pub struct AnnealBenchArgs {
    #[command(flatten)]
    pub glass: GlassArgs,
    /// NVT segments (each followed by one IS quench).
    #[arg(long, default_value_t = 5)]
    pub segments: u64,
    /// Steps per segment.
    #[arg(long, default_value_t = 500)]
    pub is_every: u64,
    #[command(flatten)]
    pub nvt: NvtArgs,
    /// IS quench: ETOL FTOL MAXITER MAXEVAL.
    #[arg(long, default_value = "0 1e-6 10000 100000")]
    pub min: String,
}

pub fn run(args: AnnealBenchArgs) -> Result<()> {
    if args.segments == 0 || args.is_every == 0 {
        bail!("--segments and --is-every must be >= 1");
    }
    let minimize = MinimizeSettings::from_minimize_args(&args.min, false)
        .map_err(|e| anyhow::anyhow!("--min: {e}"))?;
    let glass = args.glass.glass()?;
    let mut sys = pelkit::io::read_configuration(&glass, None)
        .with_context(|| format!("reading {}", glass.display()))?;
    let potential = args.glass.potential_for(&mut sys)?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "LAMMPS loop ({} segments of {} steps)…",
        args.segments, args.is_every
    );
    let dir = std::env::temp_dir().join(format!("pelkit-bench-anneal-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let MinimizeSettings {
        etol,
        ftol,
        maxiter,
        maxeval,
        ..
    } = minimize.clone();
    let setup = format!(
        "pair_style eam/fs\npair_coeff {}\nneighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\n\
         timestep {}\nthermo_modify norm no\n",
        args.glass.pair_coeff(),
        args.nvt.timestep
    );
    let script = format!(
        "units metal\natom_style atomic\nread_data {}\n{setup}\
         velocity all create {} 4928 mom yes dist gaussian\n\
         write_restart state.restart\nminimize {etol} {ftol} {maxiter} {maxeval}\n\
         print \"E_IS 0 $(pe/atoms:%.12f)\"\nclear\n\
         variable k loop {}\nlabel seg\nread_restart state.restart\n{setup}\
         fix t all nvt temp {} {} {}\nrun {}\nunfix t\nwrite_restart state.restart\n\
         minimize {etol} {ftol} {maxiter} {maxeval}\nprint \"E_IS $k $(pe/atoms:%.12f)\"\n\
         clear\nnext k\njump SELF seg\n",
        glass.display(),
        args.nvt.temp,
        args.segments,
        args.nvt.temp,
        args.nvt.temp,
        args.nvt.tdamp,
        args.is_every
    );
    let (l_wall, screen) = run_lammps(&dir, &script, 1)?;
    std::fs::remove_dir_all(&dir).ok();
    let loops = lammps_loop_cpu(&screen);
    let l_cpu: std::time::Duration = loops.iter().sum();
    let l_iters: usize = screen
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Iterations, force evaluations ="))
        .filter_map(|v| v.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    let l_is: Vec<f64> = screen
        .lines()
        .filter_map(|l| l.strip_prefix("E_IS "))
        .filter_map(|v| v.split_whitespace().nth(1)?.parse().ok())
        .collect();
    if l_is.len() as u64 != args.segments + 1 || loops.len() as u64 != 2 * args.segments + 1 {
        bail!("LAMMPS output lacks the loop summaries:\n{screen}");
    }

    eprintln!("pelkit run_anneal on 1 thread…");
    let settings = AnnealSettings {
        units: Units::Metal,
        dt: args.nvt.timestep,
        temperature: args.nvt.temp,
        t_damp: args.nvt.tdamp,
        steps: args.segments * args.is_every,
        is_every: args.is_every,
        strain: None,
        minimize,
        seed: 4928,
        skin: 2.0,
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let records = std::sync::Mutex::new(Vec::new());
    let start = AnnealStart::fresh(&sys, &settings, 0)?;
    let cpu0 = process_cpu();
    let t0 = Instant::now();
    pool.install(|| {
        run_anneal(start, &potential, &settings, &|r, _, _| {
            records.lock().map_err(|e| e.to_string())?.push(r.clone());
            Ok(())
        })
    })?;
    let p_wall = t0.elapsed();
    let p_cpu = process_cpu().saturating_sub(cpu0);
    let records = records
        .into_inner()
        .map_err(|_| anyhow::anyhow!("lock poisoned"))?;
    let p_iters: usize = records.iter().map(|r| r.iterations).sum();
    println!(
        "anneal: {}-atom Cu-Zr glass ({}), {} K, {} segments x {} steps (dt {} ps), minimize {}",
        sys.natoms(),
        glass.display(),
        args.nvt.temp,
        args.segments,
        args.is_every,
        args.nvt.timestep,
        args.min
    );
    println!("  load average at start: {}", load.trim());
    report(
        "NVT + IS loop, wall (LAMMPS: whole process)",
        p_wall,
        "LAMMPS 1 rank",
        l_wall,
    );
    report(
        "NVT + IS loop, CPU (LAMMPS: timed loops)",
        p_cpu,
        "LAMMPS 1 rank",
        l_cpu,
    );
    println!(
        "  CG iterations: pelkit {p_iters}, LAMMPS {l_iters}; CPU per (MD step + CG iteration): \
         pelkit {:.3} ms, LAMMPS {:.3} ms",
        p_cpu.as_secs_f64() * 1e3 / (settings.steps as usize + p_iters) as f64,
        l_cpu.as_secs_f64() * 1e3 / (settings.steps as usize + l_iters) as f64
    );
    println!(
        "  E_IS first/last (eV/atom): pelkit {:.6}/{:.6}, LAMMPS {:.6}/{:.6}",
        records.first().map_or(f64::NAN, |r| r.e_is),
        records.last().map_or(f64::NAN, |r| r.e_is),
        l_is[0],
        l_is[l_is.len() - 1]
    );
    Ok(())
}
