//! `pelkit anneal IN …`: isothermal NVT annealing of a (pre-strained) glass with IS tracking,
//! independent runs in parallel, one CSV row per IS, checkpoints for `--resume`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::engine::MinimizeSettings;
use pelkit::protocol::ageing::csv::record_line;
use pelkit::protocol::ageing::{
    read_records, run_anneal_set, AnnealSettings, AnnealStart, IsRecord, CSV_HEADER,
};
use pelkit::protocol::cyclic::ShearComponent;
use pelkit::units::Units;
use pelkit::System;

use super::common::load;
use super::pair_args::PairArgs;

#[derive(Args)]
#[command(after_help = "\
Protocol (seed 001, Fig. 1): the glass is sheared affinely by --strain (LAMMPS `change_box all
triclinic` + `change_box all xy delta γ·ly remap`) and held at that strain; each run k gets
velocities at --temp (seed S+k, zero momentum, exact T) and is annealed by Nose-Hoover NVT in
segments of --is-every (`fix nvt temp T T TDAMP` / `run N` / `unfix`); the state before the
first segment and after every segment is copied and the copy CG-minimized (--min, LAMMPS
`minimize ETOL FTOL MAXITER MAXEVAL`): one inherent structure (IS) per row of -o.

CSV columns: run,index,step,time,T,E_IS (per atom),tau (shear stress -p_xy of the IS; bar in
metal, eps/sigma^3 in lj),tau_inst (the instantaneous state, kinetic part included),pe_inst,
T_inst,fnorm2 (3N force 2-norm of the IS, compared with FTOL),fnorm_inf,converged (1 when the
minimizer stopped on its energy/force tolerance; non-converged IS are kept, flagged, and skipped
by `pelkit ageing-map`),stop,iterations,strain.

Times take a unit suffix: fs, ps, ns (metal) or none (time units: ps metal, tau lj).
Resume: rows are flushed as made and the instantaneous state after each IS is kept in
OUT.checkpoint/run<k>_step<s>.data; `--resume` keeps every row of OUT and continues each run
from its last checkpoint (a run without one starts again; an IS already in OUT is not
written twice).

Example (2000-atom Cu-Zr, 5 runs at 600 K under xy = 0.04, IS every 5 ps for 100 ps):
  pelkit anneal glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    --temp 600 --time 100ps --is-every 5ps --strain xy=0.04 --runs 5 --seed 1 -o T600_L.csv")]
pub struct AnnealArgs {
    /// The glass (data file or dump, last frame).
    pub input: PathBuf,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Annealing temperature (K or ε/k_B).
    #[arg(long)]
    pub temp: f64,
    /// Annealing length (e.g. 200ps, 1ns; bare numbers in time units).
    #[arg(long)]
    pub time: String,
    /// Interval Δt between inherent structures (e.g. 5ps).
    #[arg(long)]
    pub is_every: String,
    /// Imposed shear strain COMPONENT=γ (xy, xz or yz), e.g. xy=0.04. Default: none.
    #[arg(long)]
    pub strain: Option<String>,
    /// Independent runs (velocity seeds S, S+1, …).
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Velocity seed S.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Timestep. Default: 0.001 ps (metal), 0.005 τ (lj).
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Nosé–Hoover damping time. Default: 100 timesteps.
    #[arg(long)]
    pub tdamp: Option<f64>,
    /// IS quench: `ETOL FTOL MAXITER MAXEVAL` (LAMMPS minimize; FTOL on the 3N force 2-norm).
    #[arg(long, default_value = "0 1e-6 10000 100000")]
    pub min: String,
    /// Neighbor skin (default 2.0 metal, 0.3 lj).
    #[arg(long)]
    pub skin: Option<f64>,
    /// Output CSV, one row per IS (appended and flushed as each is made).
    #[arg(short = 'o', long, default_value = "anneal.csv")]
    pub output: PathBuf,
    /// Also write every IS as DIR/run<k>_is<index>.data (for D_min, Voronoi, …).
    #[arg(long, value_name = "DIR")]
    pub save_is: Option<PathBuf>,
    /// Keep the rows of an existing OUTPUT and continue each run from its last checkpoint.
    #[arg(long)]
    pub resume: bool,
    /// Print one JSON object (settings, per-run summary).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

/// A duration with an optional unit suffix (fs, ps, ns in metal units) in time units.
pub fn parse_time(text: &str, units: Units, what: &str) -> Result<f64> {
    let t = text.trim();
    let (num, scale) = if let Some(v) = t.strip_suffix("fs") {
        (v, 1e-3)
    } else if let Some(v) = t.strip_suffix("ps") {
        (v, 1.0)
    } else if let Some(v) = t.strip_suffix("ns") {
        (v, 1e3)
    } else {
        (t, 0.0)
    };
    if scale != 0.0 && units != Units::Metal {
        bail!("{what} '{text}': unit suffixes need metal units (lj times are in tau)");
    }
    let v: f64 = num
        .trim()
        .parse()
        .with_context(|| format!("{what} '{text}': expected a number with fs/ps/ns or none"))?;
    let v = if scale == 0.0 { v } else { v * scale };
    if !(v.is_finite() && v > 0.0) {
        bail!("{what} '{text}' must be > 0");
    }
    Ok(v)
}

/// `COMPONENT=γ`.
pub fn parse_strain(text: &str) -> Result<(ShearComponent, f64)> {
    let Some((c, g)) = text.split_once('=') else {
        bail!("--strain '{text}': expected COMPONENT=VALUE, e.g. xy=0.04");
    };
    let component = ShearComponent::from_name(c.trim())
        .with_context(|| format!("--strain '{text}': component must be xy, xz or yz"))?;
    let gamma: f64 = g
        .trim()
        .parse()
        .with_context(|| format!("--strain '{text}': '{g}' is not a number"))?;
    if !gamma.is_finite() {
        bail!("--strain '{text}': the strain must be finite");
    }
    Ok((component, gamma))
}

/// `--min ETOL FTOL MAXITER MAXEVAL` (LAMMPS `minimize` arguments), shared by `anneal` and `dms`.
pub fn parse_min(text: &str, normalize: bool) -> Result<MinimizeSettings> {
    MinimizeSettings::from_minimize_args(text, normalize).map_err(|e| anyhow::anyhow!("--min: {e}"))
}

fn checkpoint_dir(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".checkpoint");
    PathBuf::from(name)
}

/// The latest checkpoint of run `run`: (step, path).
fn latest_checkpoint(dir: &Path, run: usize) -> Option<(u64, PathBuf)> {
    let prefix = format!("run{run}_step");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let step = name
                .strip_prefix(&prefix)?
                .strip_suffix(".data")?
                .parse()
                .ok()?;
            Some((step, e.path()))
        })
        .max_by_key(|(s, _)| *s)
}

pub fn run(args: AnnealArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let dt = args.timestep.unwrap_or(units.default_dt());
    let total = parse_time(&args.time, units, "--time")?;
    let every = parse_time(&args.is_every, units, "--is-every")?;
    let is_every = (every / dt).round() as u64;
    if is_every == 0 || ((is_every as f64 * dt) - every).abs() > 1e-9 * every.max(1.0) {
        bail!(
            "--is-every {} is not a whole number of timesteps ({dt})",
            args.is_every
        );
    }
    let n_is = (total / every + 1e-9).floor() as u64;
    if n_is == 0 {
        bail!(
            "--time {} is shorter than --is-every {}",
            args.time,
            args.is_every
        );
    }
    if args.runs == 0 {
        bail!("--runs must be >= 1");
    }
    let strain = args.strain.as_deref().map(parse_strain).transpose()?;
    let (glass, provider) = load(&args.input, &args.pair, units, args.skin)?;
    let potential = provider.potential().clone();
    let settings = AnnealSettings {
        units,
        dt,
        temperature: args.temp,
        t_damp: args.tdamp.unwrap_or(100.0 * dt),
        steps: n_is * is_every,
        is_every,
        strain,
        minimize: parse_min(&args.min, units.default_norm())?,
        seed: args.seed,
        skin: args.skin.unwrap_or(units.default_skin()),
    };

    // Rows already written (resume) and where each run starts.
    let existing = if args.resume {
        read_records(&args.output)?
    } else {
        if args.output.exists() {
            bail!(
                "{} exists: use --resume to continue it, or another -o",
                args.output.display()
            );
        }
        Vec::new()
    };
    if let Some(r) = existing.iter().find(|r| r.temperature != args.temp) {
        bail!(
            "--resume: {} holds rows at T = {} (run {}), not --temp {}",
            args.output.display(),
            r.temperature,
            r.run,
            args.temp
        );
    }
    let done: HashSet<(usize, usize)> = existing.iter().map(|r| (r.run, r.index)).collect();
    let ckpt_dir = checkpoint_dir(&args.output);
    std::fs::create_dir_all(&ckpt_dir)
        .with_context(|| format!("creating {}", ckpt_dir.display()))?;
    if let Some(d) = &args.save_is {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let mut starts = Vec::new();
    for run in 0..args.runs {
        let complete = (0..=n_is as usize).all(|i| done.contains(&(run, i)));
        if complete {
            continue;
        }
        let resumed = if args.resume {
            latest_checkpoint(&ckpt_dir, run)
        } else {
            None
        };
        match resumed {
            Some((step, path)) if step <= settings.steps => {
                let mut system = pelkit::io::read_configuration(&path, None)
                    .with_context(|| format!("reading checkpoint {}", path.display()))?;
                system.masses = glass.masses.clone();
                if system.velocities.is_none() {
                    bail!("checkpoint {} has no velocities", path.display());
                }
                starts.push(AnnealStart { run, system, step });
            }
            _ => starts.push(AnnealStart::fresh(&glass, &settings, run)?),
        }
    }

    if args.resume && args.output.exists() {
        // A kill may have left a partial last line (read_records ignored it): cut it off so the
        // file holds whole rows only before new ones are appended.
        let text = std::fs::read(&args.output)?;
        if !text.is_empty() && !text.ends_with(b"\n") {
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            std::fs::OpenOptions::new()
                .write(true)
                .open(&args.output)?
                .set_len(keep as u64)?;
        }
    }
    let new_file = !args.output.exists() || std::fs::metadata(&args.output)?.len() == 0;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args.output)
        .with_context(|| format!("opening {}", args.output.display()))?;
    if new_file {
        writeln!(file, "{CSV_HEADER}")?;
        file.flush()?;
    }
    let todo: u64 = starts.iter().map(|s| n_is + 1 - s.step / is_every).sum();
    let bar = if args.run.quiet || args.json {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(todo);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} inherent structures ({elapsed}, ETA {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    };
    let out = Mutex::new((file, Vec::<IsRecord>::new()));
    let save_is = args.save_is.clone();
    let handler = |rec: &IsRecord, inst: &System, is: &System| -> Result<(), String> {
        bar.inc(1);
        if done.contains(&(rec.run, rec.index)) {
            return Ok(());
        }
        if let Some(d) = &save_is {
            let p = d.join(format!("run{}_is{:05}.data", rec.run, rec.index));
            pelkit::io::data::write_data(&p, is).map_err(|e| e.to_string())?;
        }
        let ck = ckpt_dir.join(format!("run{}_step{}.data", rec.run, rec.step));
        let tmp = ckpt_dir.join(format!("run{}_step{}.data.tmp", rec.run, rec.step));
        pelkit::io::data::write_data(&tmp, inst).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &ck).map_err(|e| format!("{}: {e}", ck.display()))?;
        let mut guard = out.lock().map_err(|_| "output lock poisoned".to_string())?;
        writeln!(guard.0, "{}", record_line(rec))
            .and_then(|_| guard.0.flush())
            .map_err(|e| format!("{}: {e}", args.output.display()))?;
        guard.1.push(rec.clone());
        drop(guard);
        // Older checkpoints of this run are no longer needed.
        if let Some(prev) = rec.step.checked_sub(is_every) {
            let _ = std::fs::remove_file(ckpt_dir.join(format!("run{}_step{prev}.data", rec.run)));
        }
        Ok(())
    };
    let job = || run_anneal_set(starts, &potential, &settings, &handler);
    let results = match args.run.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(job),
        None => job(),
    };
    bar.finish_and_clear();
    let (_, new_rows) = out
        .into_inner()
        .map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
    let mut all = existing;
    all.extend(new_rows);
    all.sort_by_key(|r| (r.run, r.index));
    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    let per_run: Vec<serde_json::Value> = (0..args.runs)
        .map(|run| {
            let rows: Vec<&IsRecord> = all.iter().filter(|r| r.run == run).collect();
            serde_json::json!({
                "run": run,
                "inherent_structures": rows.len(),
                "not_converged": rows.iter().filter(|r| !r.converged).count(),
                "e_is_first": rows.first().map(|r| r.e_is),
                "e_is_last": rows.last().map(|r| r.e_is),
                "tau_is_first": rows.first().map(|r| r.tau_is),
                "tau_is_last": rows.last().map(|r| r.tau_is),
                "max_fnorm2": rows.iter().map(|r| r.fnorm2).fold(f64::NAN, f64::max),
            })
        })
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "input": args.input.display().to_string(),
                "output": args.output.display().to_string(),
                "units": units.name(),
                "temperature": args.temp,
                "timestep": dt,
                "time": settings.steps as f64 * dt,
                "is_every": is_every as f64 * dt,
                "strain": strain.map(|(c, g)| serde_json::json!({"component": c.name(), "value": g})),
                "runs": per_run,
                "failures": failures,
            })
        );
    } else {
        println!(
            "{:>4} {:>6} {:>8} {:>20} {:>20} {:>14} {:>14}",
            "run", "IS", "not_conv", "E_IS first", "E_IS last", "tau_IS first", "tau_IS last"
        );
        for v in &per_run {
            println!(
                "{:>4} {:>6} {:>8} {:>20.12} {:>20.12} {:>14.6e} {:>14.6e}",
                v["run"],
                v["inherent_structures"],
                v["not_converged"],
                v["e_is_first"].as_f64().unwrap_or(f64::NAN),
                v["e_is_last"].as_f64().unwrap_or(f64::NAN),
                v["tau_is_first"].as_f64().unwrap_or(f64::NAN),
                v["tau_is_last"].as_f64().unwrap_or(f64::NAN),
            );
        }
        println!("rows in {}", args.output.display());
    }
    if !failures.is_empty() {
        bail!(
            "{} run(s) failed (their rows so far are kept; --resume continues them):\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(())
}
