//! `pelkit dms fit FILE`: the MD-DMS sine fit of a stress column recorded by LAMMPS (a thermo
//! block of a log, or a `fix ave/time` / CSV file).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::analysis::dms::{fit_oscillation, steps_per_period, OscillationFitOptions};

#[derive(Args)]
#[command(after_help = "\
σ(t) = σ0 + σA sin(2πt/t_w + δ) is fitted by exact linear least squares on (1, sin, cos) over the
whole cycles after --transient dropped ones; G' = σA cos δ / γA, G'' = σA sin δ / γA (seed 004
Eq. 5-6), in the column's pressure units (bar in metal, ε/σ³ in lj). By default the column is a
LAMMPS pressure component (pxy, c_p[4], v_pxy…) and σ = −column; --stress-column if it already
holds a stress. t = (Step − start step)·timestep, the start step being the first step of the log
block (the step `fix deform … wiggle` started) or --start-step. Standard errors assume
independent samples: MD noise is correlated, so sample at most every ~10 steps for honest errors.

Examples:
  pelkit dms fit log.lammps --period 10 --amplitude 0.012 --timestep 0.005 --column Pxy
  pelkit dms fit pxy.ave --period 10 --amplitude 0.012 --timestep 0.005 --column v_pxy --start-step 0")]
pub struct DmsFitArgs {
    /// A LAMMPS log file, a fix ave/time output or a CSV/whitespace table with a header.
    pub input: PathBuf,
    /// Period t_w (time units).
    #[arg(long)]
    pub period: f64,
    /// Strain amplitude γA (the tilt amplitude of `fix deform` divided by ly).
    #[arg(long)]
    pub amplitude: f64,
    /// Timestep (time units) that converts steps to time.
    #[arg(long)]
    pub timestep: f64,
    /// Stress column (thermo keyword as printed, e.g. Pxy, or a name/1-based index).
    #[arg(long, default_value = "Pxy")]
    pub column: String,
    /// The step column.
    #[arg(long, default_value = "Step")]
    pub step_column: String,
    /// The step at which the oscillation started (default: first row of a log block, 0 otherwise).
    #[arg(long)]
    pub start_step: Option<f64>,
    /// Which thermo block of a log (1-based; default: the last one that has the column).
    #[arg(long)]
    pub run: Option<usize>,
    /// Whole cycles dropped as transient.
    #[arg(long, default_value_t = 1)]
    pub transient: usize,
    /// The column holds the stress σ (not a pressure component −σ).
    #[arg(long)]
    pub stress_column: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// (steps, stress column, default start step) from a log or a column file.
fn read_record(args: &DmsFitArgs) -> Result<(Vec<f64>, Vec<f64>, f64)> {
    let path: &Path = &args.input;
    if let Ok(log) = pelkit::io::log::read_log(path) {
        if !log.runs.is_empty() {
            let with: Vec<usize> = (0..log.runs.len())
                .filter(|&i| log.runs[i].column(&args.column).is_some())
                .collect();
            let idx = match args.run {
                Some(k) if k >= 1 && k <= log.runs.len() => k - 1,
                Some(k) => bail!(
                    "{}: --run {k}: the log has {} thermo blocks",
                    path.display(),
                    log.runs.len()
                ),
                None => match with.last() {
                    Some(&i) => i,
                    None => bail!(
                        "{}: no thermo block has a column '{}' (block 1 has: {})",
                        path.display(),
                        args.column,
                        log.runs[0].keywords.join(" ")
                    ),
                },
            };
            let run = &log.runs[idx];
            let stress = run.column(&args.column).with_context(|| {
                format!(
                    "{}: thermo block {} has no column '{}' (it has: {})",
                    path.display(),
                    idx + 1,
                    args.column,
                    run.keywords.join(" ")
                )
            })?;
            let steps = run.column(&args.step_column).with_context(|| {
                format!(
                    "{}: thermo block {} has no '{}' column",
                    path.display(),
                    idx + 1,
                    args.step_column
                )
            })?;
            let first = steps.first().copied().unwrap_or(0.0);
            return Ok((steps.to_vec(), stress.to_vec(), first));
        }
    }
    let table = pelkit::io::columns::read_columns(path)
        .with_context(|| format!("reading {} as a log or a column file", path.display()))?;
    let stress = table.column(&args.column).with_context(|| {
        format!(
            "{}: no column '{}' (columns: {})",
            path.display(),
            args.column,
            table.names.join(" ")
        )
    })?;
    let step_key = if table.column(&args.step_column).is_some() {
        args.step_column.as_str()
    } else {
        "TimeStep"
    };
    let steps = table.column(step_key).with_context(|| {
        format!(
            "{}: no step column '{}' or 'TimeStep' (columns: {})",
            path.display(),
            args.step_column,
            table.names.join(" ")
        )
    })?;
    Ok((steps.to_vec(), stress.to_vec(), 0.0))
}

pub fn run(args: DmsFitArgs) -> Result<()> {
    let (steps, column, first) = read_record(&args)?;
    let start = args.start_step.unwrap_or(first);
    let (_, warning) = steps_per_period(args.period, args.timestep)?;
    if let Some(w) = &warning {
        eprintln!("warning: {w}");
    }
    let time: Vec<f64> = steps.iter().map(|s| (s - start) * args.timestep).collect();
    let stress: Vec<f64> = if args.stress_column {
        column
    } else {
        pelkit::analysis::dms::shear_stress_from_pxy(&column)
    };
    let fit = fit_oscillation(
        &time,
        &stress,
        &OscillationFitOptions {
            period: args.period,
            strain_amplitude: args.amplitude,
            transient_cycles: args.transient,
        },
    )
    .with_context(|| {
        format!(
            "fitting column '{}' of {}",
            args.column,
            args.input.display()
        )
    })?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({ "input": args.input, "column": args.column, "fit": fit,
                "warnings": warning.into_iter().collect::<Vec<_>>() })
        );
    } else {
        super::run::print_fit_header();
        super::run::print_fit_row(&fit, None);
    }
    Ok(())
}
