//! `pelkit fit powerlaw|kww|cosh FILE`: least-squares fits across runs (δ–D_min power law, KWW
//! stretched exponential, seed 001's cosh rate law) of two columns of a table, e.g. the
//! `summary.csv` of `pelkit dms`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use pelkit::analysis::fit::{fit_cosh, fit_kww, fit_power_law, FitResult};

#[derive(Args)]
pub struct FitArgs {
    #[command(subcommand)]
    pub model: FitModel,
}

/// Columns and output shared by every model.
#[derive(Args)]
pub struct FitInput {
    /// A CSV or whitespace table with a header line (or a fix ave/time file).
    pub input: PathBuf,
    /// x column (name or 1-based index).
    #[arg(long)]
    pub x: String,
    /// y column (name or 1-based index).
    #[arg(long)]
    pub y: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Draw the data and the fitted curve (.png or .svg; log axes for the power law, log t for
    /// KWW).
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum FitModel {
    /// y = A·x^b by least squares of ln y on ln x (seed 004 Eq. 1: δ = A (IS D_min/r0)^b; use
    /// `--x is_dmin_r0 --y delta` on a `pelkit dms` summary.csv). Errors as scipy.stats.linregress.
    #[command(name = "powerlaw")]
    PowerLaw(FitInput),
    /// y = A·exp[−(t/τ)^β] (KWW) by Levenberg-Marquardt; errors as scipy curve_fit.
    Kww(FitInput),
    /// f = κ·cosh(τ·V_act/kT) (seed 001 Eq. 1) by Levenberg-Marquardt; x = τ, y = f; τ·V_act in
    /// the units of --kt (e.g. τ in GPa, V_act in Å³: kT = k_B T/(6.2415e-3 eV)).
    Cosh {
        #[command(flatten)]
        input: FitInput,
        /// Thermal energy k_B·T in units of τ·V_act.
        #[arg(long)]
        kt: f64,
    },
}

fn columns(input: &FitInput) -> Result<(Vec<f64>, Vec<f64>)> {
    let t = pelkit::io::columns::read_columns(&input.input)
        .with_context(|| format!("reading {}", input.input.display()))?;
    let get = |key: &str| -> Result<Vec<f64>> {
        Ok(t.column(key)
            .with_context(|| {
                format!(
                    "{}: no column '{key}' (columns: {})",
                    input.input.display(),
                    t.names.join(" ")
                )
            })?
            .to_vec())
    };
    let (x, y) = (get(&input.x)?, get(&input.y)?);
    // Rows with an empty (NaN) cell, e.g. no IS D_min, are skipped.
    let keep: Vec<usize> = (0..x.len())
        .filter(|&i| x[i].is_finite() && y[i].is_finite())
        .collect();
    if keep.is_empty() {
        bail!(
            "{}: no row has finite {} and {}",
            input.input.display(),
            input.x,
            input.y
        );
    }
    Ok((
        keep.iter().map(|&i| x[i]).collect(),
        keep.iter().map(|&i| y[i]).collect(),
    ))
}

fn report(input: &FitInput, fit: &FitResult) {
    if input.json {
        println!(
            "{}",
            serde_json::json!({ "input": input.input, "x": input.x, "y": input.y, "fit": fit })
        );
        return;
    }
    println!(
        "{} ({} points, {} iterations)",
        fit.model, fit.points, fit.iterations
    );
    for p in &fit.parameters {
        println!("  {:<8} = {:>16.8e} ± {:.3e}", p.name, p.value, p.std_error);
    }
    println!("  R²       = {:.8}", fit.r_squared);
}

pub fn run(args: FitArgs) -> Result<()> {
    let (input, fit, log_axes) = match &args.model {
        FitModel::PowerLaw(i) => {
            let (x, y) = columns(i)?;
            (i, fit_power_law(&x, &y)?, (true, true))
        }
        FitModel::Kww(i) => {
            let (x, y) = columns(i)?;
            (i, fit_kww(&x, &y, None)?, (true, false))
        }
        FitModel::Cosh { input, kt } => {
            let (x, y) = columns(input)?;
            (input, fit_cosh(&x, &y, *kt)?, (false, false))
        }
    };
    report(input, &fit);
    if let Some(path) = &input.plot {
        let (x, y) = columns(input)?;
        let kt = match &args.model {
            FitModel::Cosh { kt, .. } => *kt,
            _ => 1.0,
        };
        let p = |n: &str| fit.value(n).unwrap_or(0.0);
        let curve = |v: f64| -> f64 {
            match &args.model {
                FitModel::PowerLaw(_) => p("A") * v.powf(p("b")),
                FitModel::Kww(_) => p("A") * (-(v / p("tau")).powf(p("beta"))).exp(),
                FitModel::Cosh { .. } => p("kappa") * (v * p("V_act") / kt).cosh(),
            }
        };
        draw(path, &x, &y, &curve, input, &fit, log_axes)?;
    }
    Ok(())
}

/// Data points and the fitted curve (200 points across the data's x range, log-spaced on a log
/// axis).
fn draw(
    path: &std::path::Path,
    x: &[f64],
    y: &[f64],
    curve: &dyn Fn(f64) -> f64,
    input: &FitInput,
    fit: &FitResult,
    (x_log, y_log): (bool, bool),
) -> Result<()> {
    use super::plot::{render, SeriesStyle, XyPlot, XySeries};
    let lo = x
        .iter()
        .copied()
        .filter(|v| !x_log || *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let xs: Vec<f64> = (0..200)
        .map(|k| {
            let f = k as f64 / 199.0;
            if x_log {
                (lo.ln() + f * (hi.ln() - lo.ln())).exp()
            } else {
                lo + f * (hi - lo)
            }
        })
        .collect();
    let params: Vec<String> = fit
        .parameters
        .iter()
        .map(|p| format!("{} = {:.4} ± {:.2}", p.name, p.value, p.std_error))
        .collect();
    let mut plot = XyPlot::new(
        format!("{} (R² = {:.4})", fit.model, fit.r_squared),
        input.x.clone(),
        input.y.clone(),
    );
    plot.x_log = x_log;
    plot.y_log = y_log;
    plot.series.push(XySeries::new(
        "data",
        x.iter().copied().zip(y.iter().copied()).collect(),
        SeriesStyle::Points,
    ));
    plot.series.push(XySeries::new(
        format!("fit: {}", params.join(", ")),
        xs.iter().map(|&v| (v, curve(v))).collect(),
        SeriesStyle::Line,
    ));
    render(path, (800, 560), &plot)
}
