//! `pelkit stiffness`: atomic stiffness K_i = k_BT/⟨|Δr_i|²⟩ (seed 003) from NVT runs of
//! pelkit's engine at each temperature, or from a LAMMPS dump trajectory (`--trajectory`).

mod plot;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::analysis::stiffness::{stiffness_from_msd, VibrationalMsd};
use pelkit::engine::thermostat_nh::default_t_damp;
use pelkit::io::dump::{write_dump_system, DumpFile};
use pelkit::protocol::stiffness::{run_stiffness, StiffnessSettings};

use super::common::{in_pool, load, progress};
use super::pair_args::OptionalPairArgs;

#[derive(Args)]
#[command(mut_arg("pair_style", |a| a.help(
    "LAMMPS `pair_style` (as `pelkit md`; required unless --trajectory)"
)))]
#[command(mut_arg("units", |a| a.help(
    "Units: metal or lj (default: metal for eam styles and for --trajectory, lj otherwise)"
)))]
#[command(after_help = "\
K_i = k_B T / ⟨|r_i(t) − ⟨r_i⟩|²⟩ over the production frames: unwrapped positions, the drift of
the centre of mass (mass-weighted; plain mean for a trajectory) removed. Units: eV/Å² (metal),
ε/σ² (lj). With several temperatures, `K` is the mean of K_i(T) over them (seed 003), and each
K_<T> column is written too. Each T starts from the input configuration with velocities from
--seed; Nose-Hoover NVT (chain 3) as `pelkit md`.
Examples:
  pelkit stiffness glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    --temp 50:300:50 --time 100 -o K.dump
  pelkit stiffness --trajectory nvt300.dump --temp 300 -o K.dump      # LAMMPS dump with ix iy iz")]
pub struct StiffnessArgs {
    /// Configuration (data file or dump) for the MD runs; not used with --trajectory.
    pub input: Option<PathBuf>,
    // Required unless --trajectory (see the help texts set above).
    #[command(flatten)]
    pub pair: OptionalPairArgs,
    /// Temperatures: `T`, `T1,T2,…` or `START:STOP:STEP` (inclusive), K or ε/k_B.
    #[arg(long)]
    pub temp: String,
    /// Production time per temperature (ps in metal, τ in lj).
    #[arg(long, default_value_t = 100.0)]
    pub time: f64,
    /// Equilibration time before each production run.
    #[arg(long, default_value_t = 10.0)]
    pub equilibrate: f64,
    /// Timestep. Default: 0.001 metal (ps), 0.005 lj.
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Nose-Hoover damping time (default 100 timesteps).
    #[arg(long)]
    pub tdamp: Option<f64>,
    /// Sample positions every N steps.
    #[arg(long, default_value_t = 10)]
    pub sample_every: u64,
    /// Velocity seed.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Read a LAMMPS dump trajectory instead of running MD (columns id, x y z with ix iy iz, or
    /// xu yu zu); one temperature must be given. Units: --units.
    #[arg(long)]
    pub trajectory: Option<PathBuf>,
    /// Per-atom output (LAMMPS dump sorted by id): id type x y z ix iy iz K [msd_<T> K_<T>…].
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Histograms of K_i (PNG or SVG by extension): per temperature and the mean over T (left),
    /// the mean over T by atom type (right); probability density, √N bins from 0 to the largest K_i.
    #[arg(long)]
    pub plot_hist: Option<PathBuf>,
    /// Print one JSON object with per-T summaries (mean, sd of K; measured T; frames).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

pub fn parse_temperatures(text: &str) -> Result<Vec<f64>> {
    let bad = || format!("--temp '{text}': expected T, T1,T2,… or START:STOP:STEP");
    let t: Vec<f64> = if text.contains(':') {
        let p: Vec<f64> = text
            .split(':')
            .map(|w| w.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(bad)?;
        if p.len() != 3 || p[2].is_nan() || p[2] <= 0.0 || p[1] < p[0] {
            bail!(bad());
        }
        let n = ((p[1] - p[0]) / p[2] + 1e-9).floor() as usize;
        (0..=n).map(|k| p[0] + k as f64 * p[2]).collect()
    } else {
        text.split(',')
            .map(|w| w.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(bad)?
    };
    if t.is_empty() || t.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        bail!("{}: temperatures must be positive", bad());
    }
    Ok(t)
}

/// Unit of K for the plot axis.
fn stiffness_unit(units: pelkit::units::Units) -> &'static str {
    match units {
        pelkit::units::Units::Metal => "eV/Å²",
        pelkit::units::Units::Real => "kcal/mol/Å²",
        pelkit::units::Units::Lj => "ε/σ²",
    }
}

fn summary(k: &[f64]) -> (f64, f64) {
    let n = k.len() as f64;
    let m = k.iter().sum::<f64>() / n;
    (
        m,
        (k.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

pub fn run(args: StiffnessArgs) -> Result<()> {
    let temps = parse_temperatures(&args.temp)?;
    if let Some(traj) = &args.trajectory {
        return from_trajectory(&args, traj, &temps);
    }
    let input = args
        .input
        .as_ref()
        .context("give a configuration to run MD on, or --trajectory DUMP")?;
    let pair = args
        .pair
        .require("give --pair-style/--pair-coeff for the MD runs (or --trajectory)")?;
    let units = pair.engine_units()?;
    let (sys, mut provider) = load(input, &pair, units, None)?;
    let dt = args.timestep.unwrap_or(units.default_dt());
    let steps = |t: f64| (t / dt).round() as u64;
    let settings = StiffnessSettings {
        units,
        temperatures: temps.clone(),
        dt,
        t_damp: args.tdamp.unwrap_or(default_t_damp(dt)),
        equilibration_steps: steps(args.equilibrate),
        production_steps: steps(args.time),
        sample_every: args.sample_every,
        seed: args.seed,
    };
    let per_t = settings.equilibration_steps + settings.production_steps;
    let bar = progress(args.run.quiet || args.json, per_t * temps.len() as u64);
    let job = || {
        run_stiffness(
            &sys,
            &mut provider,
            &settings,
            &mut |ti, step| bar.set_position(ti as u64 * per_t + step),
            &mut |_, _| {},
        )
    };
    let result = in_pool(args.run.threads, job)?.context("stiffness MD failed")?;
    bar.finish_and_clear();
    if let Some(path) = &args.plot_hist {
        let per_t: Vec<(f64, &[f64])> = result
            .runs
            .iter()
            .map(|r| (r.temperature, r.stiffness.as_slice()))
            .collect();
        plot::write_k_histograms(
            path,
            &per_t,
            &result.mean_stiffness,
            &sys.types,
            stiffness_unit(units),
        )?;
    }
    let mut extra: Vec<(String, Vec<f64>)> = vec![("K".into(), result.mean_stiffness.clone())];
    let mut runs = Vec::new();
    for r in &result.runs {
        extra.push((format!("msd_{}", r.temperature), r.msd.clone()));
        extra.push((format!("K_{}", r.temperature), r.stiffness.clone()));
        let (m, sd) = summary(&r.stiffness);
        runs.push(serde_json::json!({"temperature": r.temperature,
            "measured_temperature": r.measured_temperature, "frames": r.frames,
            "k_mean": m, "k_sd": sd}));
    }
    finish(&args, &sys, &extra, runs, summary(&result.mean_stiffness))
}

fn finish(
    args: &StiffnessArgs,
    sys: &pelkit::System,
    extra: &[(String, Vec<f64>)],
    runs: Vec<serde_json::Value>,
    (k_mean, k_sd): (f64, f64),
) -> Result<()> {
    if let Some(path) = &args.output {
        let e: Vec<(&str, &[f64])> = extra
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        write_dump_system(path, sys, 0, &e)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::json!({"natoms": sys.natoms(), "runs": runs, "k_mean": k_mean, "k_sd": k_sd})
        );
    } else {
        for r in &runs {
            println!(
                "T {:>8}  measured {:>10.4}  frames {:>6}  K mean {:>10.5}  sd {:>10.5}",
                r["temperature"],
                r["measured_temperature"].as_f64().unwrap_or(f64::NAN),
                r["frames"],
                r["k_mean"].as_f64().unwrap_or(f64::NAN),
                r["k_sd"].as_f64().unwrap_or(f64::NAN)
            );
        }
        println!("K (mean over T): mean {k_mean:.5}  sd {k_sd:.5}");
    }
    Ok(())
}

fn from_trajectory(args: &StiffnessArgs, traj: &std::path::Path, temps: &[f64]) -> Result<()> {
    if temps.len() != 1 {
        bail!(
            "--trajectory needs exactly one temperature (the run's), got {}",
            temps.len()
        );
    }
    let units = match args.pair.units.as_deref().unwrap_or("metal") {
        "metal" => pelkit::units::Units::Metal,
        "lj" => pelkit::units::Units::Lj,
        other => bail!("--units '{other}': expected metal or lj"),
    };
    let file = DumpFile::open(traj).with_context(|| format!("reading {}", traj.display()))?;
    let bar = progress(args.run.quiet || args.json, file.frames() as u64);
    let mut acc = VibrationalMsd::new(None);
    let mut first: Option<pelkit::System> = None;
    for (k, frame) in file.iter().enumerate() {
        let frame = frame.with_context(|| format!("{}: frame {k}", traj.display()))?;
        let mut sys = frame
            .to_system()
            .with_context(|| format!("{}: frame {k}", traj.display()))?;
        // Rows in id order, so frames written in different orders line up.
        let order = sys.order_by_id();
        let x = sys.unwrapped_positions();
        let ordered: Vec<[f64; 3]> = order.iter().map(|&i| x[i]).collect();
        if let Some(f) = &first {
            let ids: Vec<u64> = order.iter().map(|&i| sys.ids[i]).collect();
            if ids != f.ids {
                bail!(
                    "{}: frame {k} holds different atom ids than frame 0",
                    traj.display()
                );
            }
        } else {
            sys.ids = order.iter().map(|&i| sys.ids[i]).collect();
            sys.types = order.iter().map(|&i| sys.types[i]).collect();
            sys.positions = order.iter().map(|&i| sys.positions[i]).collect();
            sys.images = order.iter().map(|&i| sys.images[i]).collect();
            sys.velocities = None;
            first = Some(sys);
        }
        acc.add(&ordered)
            .with_context(|| format!("{}: frame {k}", traj.display()))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let sys = first.context("the trajectory has no frames")?;
    let msd = acc.msd()?;
    let k = stiffness_from_msd(&msd, temps[0], units.boltz())?;
    let s = summary(&k);
    if let Some(path) = &args.plot_hist {
        plot::write_k_histograms(
            path,
            &[(temps[0], k.as_slice())],
            &k,
            &sys.types,
            stiffness_unit(units),
        )?;
    }
    let runs = vec![
        serde_json::json!({"temperature": temps[0], "measured_temperature": null,
        "frames": acc.frames(), "k_mean": s.0, "k_sd": s.1}),
    ];
    let extra = vec![
        ("K".to_string(), k.clone()),
        (format!("msd_{}", temps[0]), msd),
    ];
    finish(args, &sys, &extra, runs, s)
}
