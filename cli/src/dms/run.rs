//! `pelkit dms IN …`: the MD-DMS period sweep with pelkit's engine (one oscillatory-shear NVT run
//! per period, in parallel), writing a summary CSV + JSON and one stress trace per period.

use pelkit::units::Units;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;

use pelkit::analysis::dmin::DminOptions;
use pelkit::analysis::dms::OscillationFit;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::velocity::create_velocities;
use pelkit::protocol::dms::{run_dms_period, DmsPeriodReport, DmsSettings};

use crate::pair_args::OptionalPairArgs;

#[derive(Args)]
#[command(after_help = "\
Each period t_w runs, from the same start configuration and velocities, Nosé-Hoover NVT at --temp
with the box tilt xy(t) = xy0 + γA·ly·sin(2πt/t_w) (LAMMPS `fix nvt temp T T TDAMP` + `fix deform 1
xy wiggle γA·ly t_w remap x units box`; the period is rounded to whole timesteps, with a warning).
The shear stress σ = −pxy is sampled every --sample-every steps and fitted over the cycles after
--transient: σ(t) = σ0 + σA sin(2πt/t_w + δ), G' = σA cos δ/γA, G'' = σA sin δ/γA (seed 004 Eq.
4-6; stress in bar (metal) or ε/σ³ (lj)). Snapshots at the cycle boundaries after the transient
(t_w apart, tilt back at its start) are CG-minimized (--min) and consecutive inherent structures
compared: exact IS D_min and the labelled (unwrapped) RMSD, averaged over the pairs, also divided
by r0 = (V/N)^(1/3) for `pelkit fit powerlaw`.

Output in --output-dir: summary.csv, summary.json, trace_<k>.csv (step,time,strain,stress,fit).

Examples:
  pelkit dms ka.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5' \\
    --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes' \\
    --temp 0.6 --period 1,3,10,30,100 --amplitude 0.012 --cycles 10 -d dms-T0.6")]
pub struct DmsRunArgs {
    /// Start configuration (data file or dump, last frame).
    #[arg(required = true)]
    pub input: Option<PathBuf>,
    // Optional so that `pelkit dms fit` does not require them; a run does.
    #[command(flatten)]
    pub pair: OptionalPairArgs,
    /// Temperature of the thermostat (K or ε/k_B).
    #[arg(long)]
    pub temp: Option<f64>,
    /// Periods t_w (time units), comma separated.
    #[arg(long, value_delimiter = ',')]
    pub period: Vec<f64>,
    /// Shear strain amplitude γA.
    #[arg(long, default_value_t = 0.012)]
    pub amplitude: f64,
    /// Cycles per period.
    #[arg(long, default_value_t = 10)]
    pub cycles: usize,
    /// Whole cycles dropped as transient before the fit.
    #[arg(long, default_value_t = 1)]
    pub transient: usize,
    /// Timestep (default 0.001 ps metal, 0.005 τ lj).
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Thermostat: nh (Nosé-Hoover chain of 3, LAMMPS fix nvt defaults).
    #[arg(long, default_value = "nh")]
    pub thermostat: String,
    /// Nosé-Hoover damping time (default 100 timesteps).
    #[arg(long)]
    pub tdamp: Option<f64>,
    /// Stress sample interval in steps (default: about 200 samples per period).
    #[arg(long)]
    pub sample_every: Option<u64>,
    /// CG of the snapshot quenches: `ETOL FTOL MAXITER MAXEVAL` (LAMMPS minimize).
    #[arg(long, default_value = "0 1e-6 10000 100000")]
    pub min: String,
    /// Skip the snapshot quenches and IS D_min.
    #[arg(long)]
    pub no_is: bool,
    /// Create velocities at --temp with this seed even if the file has velocities.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output directory.
    #[arg(short = 'd', long, default_value = "pelkit-dms")]
    pub output_dir: PathBuf,
    /// Periods run at the same time (default: one per core, at most the number of periods).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Also draw trace_<k>.EXT (σ(t) with the fitted sine) and moduli/delta/dmin.EXT against t_w
    /// in the output directory; EXT = png or svg.
    #[arg(long, value_name = "EXT")]
    pub plot: Option<String>,
    /// Print one JSON object (the summary).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub progress: crate::common::QuietArg,
}

pub fn print_fit_header() {
    println!(
        "{:>12} {:>14} {:>12} {:>14} {:>12} {:>10} {:>10} {:>8} {:>10} {:>10}",
        "t_w", "G'", "err", "G''", "err", "delta", "err", "R2", "IS_Dmin", "RMSD"
    );
}

pub fn print_fit_row(f: &OscillationFit, is: Option<(f64, f64)>) {
    let (d, r) = is.map_or(("-".to_string(), "-".to_string()), |(d, r)| {
        (format!("{d:.5}"), format!("{r:.5}"))
    });
    println!(
        "{:>12.6} {:>14.6e} {:>12.3e} {:>14.6e} {:>12.3e} {:>10.5} {:>10.5} {:>8.4} {:>10} {:>10}",
        f.period,
        f.storage_modulus,
        f.storage_modulus_error,
        f.loss_modulus,
        f.loss_modulus_error,
        f.delta,
        f.delta_error,
        f.r_squared,
        d,
        r
    );
}

fn write_trace(path: &Path, r: &DmsPeriodReport) -> Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    writeln!(f, "step,time,strain,stress,fit")?;
    for s in &r.trace {
        writeln!(
            f,
            "{},{:.10e},{:.10e},{:.10e},{:.10e}",
            s.step,
            s.time,
            s.strain,
            s.stress,
            r.fit.stress_at(s.time)
        )?;
    }
    Ok(())
}

/// The summary CSV header and one row per period.
const SUMMARY_HEADER: &str = "period,storage_modulus,storage_modulus_error,loss_modulus,loss_modulus_error,delta,delta_error,sigma_amplitude,sigma_amplitude_error,sigma0,r_squared,temperature,r0,is_dmin,is_dmin_r0,rmsd,rmsd_r0,cycles_fitted,samples";

fn summary_row(r: &DmsPeriodReport) -> String {
    let f = &r.fit;
    let (d, rm) = r
        .is_dmin
        .as_ref()
        .map_or((f64::NAN, f64::NAN), |s| (s.mean_is_dmin, s.mean_rmsd));
    let opt = |v: f64| {
        if v.is_finite() {
            format!("{v:.10e}")
        } else {
            String::new()
        }
    };
    format!(
        "{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{:.10e},{},{},{},{},{},{}",
        r.period,
        f.storage_modulus,
        f.storage_modulus_error,
        f.loss_modulus,
        f.loss_modulus_error,
        f.delta,
        f.delta_error,
        f.sigma_amplitude,
        f.sigma_amplitude_error,
        f.sigma0,
        f.r_squared,
        r.mean_temperature,
        r.r0,
        opt(d),
        opt(d / r.r0),
        opt(rm),
        opt(rm / r.r0),
        f.cycles_fitted,
        f.samples
    )
}

pub fn run(args: DmsRunArgs) -> Result<()> {
    let input = args
        .input
        .as_ref()
        .context("give the start configuration")?;
    let pair = &args.pair.require("give --pair-style")?;
    let temp = args.temp.context("give --temp T")?;
    if args.period.is_empty() {
        bail!("give --period t_w[,t_w…]");
    }
    if args.thermostat != "nh" {
        bail!(
            "--thermostat '{}': only nh (Nosé-Hoover) is available",
            args.thermostat
        );
    }
    if !(args.amplitude.is_finite() && args.amplitude > 0.0) {
        bail!("--amplitude must be > 0, got {}", args.amplitude);
    }
    let units = pair.engine_units()?;
    let (mut sys, provider) = crate::common::load(input, pair, units, None)?;
    match args.seed {
        Some(seed) => create_velocities(&mut sys, temp, seed, units)?,
        None if sys.velocities.is_none() => create_velocities(&mut sys, temp, 12345, units)?,
        None => {}
    }
    let dt = args.timestep.unwrap_or(units.default_dt());
    let quench = if args.no_is {
        None
    } else {
        Some(crate::anneal::parse_min(
            &args.min,
            matches!(units, Units::Lj),
        )?)
    };
    let potential = provider.potential().clone();
    let skin = units.default_skin();
    std::fs::create_dir_all(&args.output_dir)
        .with_context(|| format!("creating {}", args.output_dir.display()))?;
    let jobs = args
        .jobs
        .unwrap_or_else(rayon::current_num_threads)
        .clamp(1, args.period.len());
    let bars = indicatif::MultiProgress::new();
    if args.progress.quiet || args.json {
        bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let settings_for = |period: f64| -> Result<(DmsSettings, u64)> {
        let (spp, _) = pelkit::analysis::dms::steps_per_period(period, dt)?;
        Ok((
            DmsSettings {
                units,
                dt,
                temperature: temp,
                t_damp: args
                    .tdamp
                    .unwrap_or(pelkit::engine::thermostat_nh::default_t_damp(dt)),
                strain_amplitude: args.amplitude,
                tilt: 0,
                cycles: args.cycles,
                transient_cycles: args.transient,
                sample_every: args.sample_every.unwrap_or((spp / 200).max(1)),
                quench: quench.clone(),
                dmin: DminOptions::default(),
            },
            spp,
        ))
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let reports: Vec<Result<DmsPeriodReport>> = pool.install(|| {
        args.period
            .par_iter()
            .map(|&period| -> Result<DmsPeriodReport> {
                let (settings, spp) = settings_for(period)?;
                let bar = bars.add(indicatif::ProgressBar::new(spp * args.cycles as u64));
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg:>14} {bar:30} {pos}/{len} steps ({per_sec}, ETA {eta})",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message(format!("t_w = {period}"));
                let mut provider = PotentialProvider::new(potential.clone(), skin)?;
                let r = run_dms_period(&sys, &mut provider, &settings, period, &mut |s| {
                    bar.set_position(s)
                });
                bar.finish_and_clear();
                Ok(r?)
            })
            .collect()
    });
    let reports: Vec<DmsPeriodReport> = reports.into_iter().collect::<Result<_>>()?;
    let mut csv = format!("{SUMMARY_HEADER}\n");
    for (k, r) in reports.iter().enumerate() {
        for w in &r.warnings {
            eprintln!("warning: t_w = {}: {w}", r.period);
        }
        csv += &summary_row(r);
        csv.push('\n');
        write_trace(&args.output_dir.join(format!("trace_{}.csv", k + 1)), r)?;
    }
    if let Some(ext) = &args.plot {
        for (k, r) in reports.iter().enumerate() {
            super::plot::trace(&args.output_dir.join(format!("trace_{}.{ext}", k + 1)), r)?;
        }
        super::plot::spectrum(&args.output_dir, ext, &reports, temp)?;
    }
    let summary_csv = args.output_dir.join("summary.csv");
    std::fs::write(&summary_csv, csv)
        .with_context(|| format!("writing {}", summary_csv.display()))?;
    let summary = serde_json::json!({
        "input": input,
        "units": units.name(),
        "natoms": sys.natoms(),
        "temperature": temp,
        "timestep": dt,
        "strain_amplitude": args.amplitude,
        "cycles": args.cycles,
        "transient_cycles": args.transient,
        "sign_convention": "stress = -pxy; strain = amplitude*sin(2*pi*t/period)",
        "periods": reports,
    });
    let summary_json = args.output_dir.join("summary.json");
    std::fs::write(&summary_json, serde_json::to_string_pretty(&summary)?)
        .with_context(|| format!("writing {}", summary_json.display()))?;
    if args.json {
        println!("{summary}");
    } else {
        print_fit_header();
        for r in &reports {
            print_fit_row(
                &r.fit,
                r.is_dmin.as_ref().map(|s| (s.mean_is_dmin, s.mean_rmsd)),
            );
        }
        eprintln!(
            "wrote {}, {} and the traces",
            summary_csv.display(),
            summary_json.display()
        );
    }
    Ok(())
}
