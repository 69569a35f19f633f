//! `pelkit cyclic`: intra-cage cyclic loading (seed 000) of one or more minimized glasses —
//! δ(γ), Θ(γ), Δσ histograms and FWHM, per sample and as mean ± standard error over samples.

mod plot;
mod rows;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::common::{fire_and_min_modify, MinStyle, MinimizeArgs};
use super::pair_args::PairArgs;

use pelkit::analysis::histogram::Histogram;
use pelkit::protocol::cyclic::summary::mean_sem;
use pelkit::protocol::cyclic::{
    parse_gamma_list, run_sweep, CyclicMinimizer, CyclicPoint, CyclicSettings, InitialState,
    ShearComponent,
};
use rows::Row;

#[derive(Args)]
#[command(after_help = "\
Protocol (Li, Xiao, Egami & Fan 2024, seed 000 §2.1): from the input minimum, for each γ:
  change_box all xy delta γ·ly remap units box; minimize; change_box all xy final XY0 remap
  units box (the original box, bit for bit); minimize. Then Δσ_i = σ_fin,i − σ_ini,i of the
  loading component of the atomic-level stress (stress/atom ÷ Voronoi volume, as `pelkit
  stress`; pressure units, tension positive), δ = RMS(Δσ_i)/RMS(σ_ini,i), FWHM of the Δσ_i
  histogram (100 bins over ±99th percentile of |Δσ_i|, linear interpolation of the
  half-maximum crossings),
  Θ = 1 when a Voronoi index of the top 0.01 % most displaced atoms (at least one) changed,
  the count of changed indices over all atoms, ΔE (total, energy units), the largest
  displacement, the labelled and IS D_min (distance units). γ_c.b. = first γ with Θ = 1.
  A point whose minimization stops on maxiter/maxeval or ends with a force two-norm above
  --max-fnorm (default: ftol) is marked failed with the reason; the other points are kept.
Samples: several inputs are independent samples; the summary gives mean ± standard error of
  the mean per γ (and per γ/γ_c.b. when --rescale is given).
Models (one command line each; inputs made by `pelkit quench` or LAMMPS):
  Kob-Andersen 80:20 (lj):  --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5'
      --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes'
  50:50 LJ of the seed's ref. [33] (Pedersen, Schroder & Dyre, PRL 120, 165501 (2018):
      Kob-Andersen-type mixtures up to 50 % B): the Kob-Andersen line above on a glass made
      with --atoms N,N (equal numbers of A and B, masses 1,1, density 1.61 and
      --min-distance 0.6: the glass is at P ≈ 0 after minimization; at 1.2 it cavitates)
  Wahnstrom 50:50 (lj, a different model, kept as an option):
      --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0'
      --pair-coeff '2 2 1.0 0.8333333333333334' --pair-coeff '1 2 1.0 0.9166666666666666'
      --pair-modify 'shift yes'   (see docs/cyclic.md for the sources of both)
  Johnson (1964) Fe pair table (metal; NOT Srolovitz's C2-smoothed 'modified Johnson'):
      pelkit potential write-johnson -o fe.table; --units metal --pair-style 'table linear
      5000' --pair-coeff '* * fe.table FE_JOHNSON' --min-style fire   (a table interpolates
      E and F separately, so CG's line search stalls near fnorm 1e-3; FIRE uses forces only;
      glass: quench with --units metal --masses 55.845)
  Cu-Zr EAM (metal):        --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr'
      or the generated Zhou (2004) file: pelkit potential write-zhou Cu Zr -o CuZr.eam.alloy;
      --pair-style eam/alloy --pair-coeff '* * CuZr.eam.alloy Cu Zr'
Outputs: -o FILE.csv one row per (sample, γ), appended as points finish (--resume skips the
  rows already there); --json one object (samples, points, summary); --plot F.png|F.svg
  δ(γ) log-log with Θ steps; --plot-hist F.png|F.svg Δσ histograms with their FWHM;
  --save-states DIR the final state of each point as a data file.
Example:
  pelkit cyclic glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    --gamma 1e-5:1e-1:25 -o cyclic.csv --plot delta.png --json")]
pub struct CyclicArgs {
    /// Minimized configurations (LAMMPS data files or dumps, last frame): independent samples.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Strains: `LO:HI:N` (N log-spaced points, inclusive) or a list `g1,g2,…`; all > 0.
    #[arg(long, default_value = "1e-5:1e-1:25", allow_hyphen_values = true)]
    pub gamma: String,
    /// Loading shear component: xy (γ·ly added to the xy tilt), xz or yz (γ·lz).
    #[arg(long, default_value = "xy")]
    pub component: String,
    // Minimizer and `minimize` tolerances of both relaxations of each point.
    #[command(flatten)]
    pub min: MinimizeArgs,
    /// LAMMPS `min_modify` keyword/value pairs, repeatable (as `pelkit minimize`).
    #[arg(long, value_name = "KEYWORD VALUE ...")]
    pub min_modify: Vec<String>,
    /// FIRE initial timestep (ps metal, τ lj). Default: 0.001 metal, 0.005 lj.
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Largest final force two-norm of a relaxation before its point is marked failed
    /// (force units). Default: --ftol.
    #[arg(long)]
    pub max_fnorm: Option<f64>,
    /// Neighbor skin (distance units). Default: 2.0 metal, 0.3 lj.
    #[arg(long)]
    pub skin: Option<f64>,
    /// Fraction of most displaced atoms whose Voronoi indices define Θ (at least one atom).
    #[arg(long, default_value_t = 1e-4)]
    pub top_fraction: f64,
    /// Bins of the Δσ histograms.
    #[arg(long, default_value_t = 100)]
    pub bins: usize,
    /// Skip the exact IS D_min (the labelled D_min is always computed).
    #[arg(long)]
    pub no_is_dmin: bool,
    /// Per-point CSV (appended as points finish).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Keep the rows already in the -o CSV and run only the missing (sample, γ) points.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Write each point's final state as DIR/sample<k>_gamma<γ>.data.
    #[arg(long)]
    pub save_states: Option<PathBuf>,
    /// δ(γ) log-log with Θ steps (`.png` or `.svg`).
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Δσ_i histograms of this run's points with FWHM (`.png` or `.svg`).
    #[arg(long)]
    pub plot_hist: Option<PathBuf>,
    /// Summaries also against γ/γ_c.b. of each sample.
    #[arg(long)]
    pub rescale: bool,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

fn settings(args: &CyclicArgs) -> Result<CyclicSettings> {
    let units = args.pair.engine_units()?;
    let component = ShearComponent::from_name(&args.component)
        .with_context(|| format!("--component '{}': expected xy, xz or yz", args.component))?;
    let mut s = CyclicSettings::new(units, component, args.min.ftol);
    s.minimize = args.min.settings(units);
    let fire = fire_and_min_modify(units, args.timestep, &args.min_modify, &mut s.minimize)?;
    s.minimizer = match args.min.min_style {
        MinStyle::Cg => CyclicMinimizer::Cg,
        MinStyle::Fire => CyclicMinimizer::Fire(fire),
    };
    if let Some(m) = args.max_fnorm {
        s.max_final_fnorm = m;
    }
    if let Some(k) = args.skin {
        s.skin = k;
    }
    s.top_fraction = args.top_fraction;
    s.histogram_bins = args.bins;
    s.is_dmin = !args.no_is_dmin;
    s.keep_final_state = args.save_states.is_some();
    Ok(s)
}

/// Key of a (sample, γ) pair: γ in shortest round-trip form.
fn key(sample: usize, gamma: f64) -> (usize, String) {
    (sample, gamma.to_string())
}

pub fn run(args: CyclicArgs) -> Result<()> {
    let gammas = parse_gamma_list(&args.gamma)?;
    let settings = settings(&args)?;
    let pool = match args.run.threads {
        Some(n) => Some(rayon::ThreadPoolBuilder::new().num_threads(n).build()?),
        None => None,
    };
    let previous = match (&args.output, args.resume) {
        (Some(p), true) => rows::read_rows(p)?,
        _ => Vec::new(),
    };
    let done: HashSet<(usize, String)> = previous.iter().map(|r| key(r.sample, r.gamma)).collect();
    let csv = match &args.output {
        Some(p) => {
            let exists = p.exists() && args.resume && std::fs::metadata(p)?.len() > 0;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(args.resume)
                .truncate(!args.resume)
                .open(p)
                .with_context(|| format!("opening {}", p.display()))?;
            if !exists {
                use std::io::Write;
                writeln!(f, "{}", rows::HEADER)?;
            }
            Some(Mutex::new(f))
        }
        None => None,
    };
    if let Some(dir) = &args.save_states {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let total: usize =
        args.inputs.len() * gammas.len() - done.len().min(args.inputs.len() * gammas.len());
    let bar = if args.run.quiet || args.json {
        indicatif::ProgressBar::hidden()
    } else {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "cyclic {bar:30} {pos}/{len} γ points {elapsed} (eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    };
    let mut all_rows = previous;
    let mut samples_json = Vec::new();
    let mut this_run: Vec<CyclicPoint> = Vec::new();
    for (k, input) in args.inputs.iter().enumerate() {
        let name = input.display().to_string();
        let todo: Vec<f64> = gammas
            .iter()
            .copied()
            .filter(|&g| !done.contains(&key(k, g)))
            .collect();
        let mut sys = pelkit::io::read_configuration(input, None)
            .with_context(|| format!("reading {name}"))?;
        let pot = args.pair.potential_with_masses(&mut sys)?;
        let job = || -> Result<(InitialState, Vec<CyclicPoint>)> {
            let initial = InitialState::new(sys, &pot, &settings)
                .with_context(|| format!("{name}: initial state"))?;
            if !initial.is_minimized(&settings) && !args.run.quiet {
                bar.suspend(|| {
                    eprintln!(
                        "warning: {name} is not a minimum: force two-norm {:.3e} > {:.3e}, \
                         largest atomic force {:.3e} (minimize it first; δ will include the \
                         relaxation of the start)",
                        initial.fnorm, settings.max_final_fnorm, initial.max_force
                    )
                });
            }
            let on_done = |p: &CyclicPoint| {
                let row = Row::from_point(k, &name, p);
                if let Some(f) = &csv {
                    if let Ok(mut f) = f.lock() {
                        if let Err(e) = rows::append(&mut f, &row) {
                            bar.suspend(|| eprintln!("warning: writing the CSV row failed: {e}"));
                        }
                    }
                }
                if let (Some(dir), Ok(o)) = (&args.save_states, &p.outcome) {
                    if let Some(state) = &o.final_state {
                        let path = dir.join(format!("sample{k}_gamma{:e}.data", p.gamma));
                        if let Err(e) = pelkit::io::data::write_data(&path, state) {
                            bar.suspend(|| eprintln!("warning: writing {}: {e}", path.display()));
                        }
                    }
                }
                bar.inc(1);
            };
            let points = run_sweep(&initial, &pot, &todo, &settings, &on_done)?;
            Ok((initial, points))
        };
        let (initial, mut points) = match &pool {
            Some(p) => p.install(job)?,
            None => job()?,
        };
        for p in &points {
            all_rows.push(Row::from_point(k, &name, p));
        }
        let mut sample_rows: Vec<&Row> = all_rows.iter().filter(|r| r.sample == k).collect();
        sample_rows.sort_by(|a, b| a.gamma.total_cmp(&b.gamma));
        let gamma_cb = sample_rows
            .iter()
            .find(|r| r.theta == Some(true))
            .map(|r| r.gamma);
        samples_json.push(serde_json::json!({
            "sample": k,
            "input": name,
            "natoms": initial.system.natoms(),
            "energy_initial": initial.energy,
            "fnorm_initial": initial.fnorm,
            "max_force_initial": initial.max_force,
            "minimized": initial.is_minimized(&settings),
            "rms_sigma_initial": pelkit::analysis::state_change::rms(&initial.sigma),
            "gamma_cb": gamma_cb,
            "points": sample_rows,
        }));
        for p in points.iter_mut() {
            if let Ok(o) = &mut p.outcome {
                o.final_state = None;
            }
        }
        this_run.extend(points);
    }
    bar.finish_and_clear();

    let summary = summarize_rows(&all_rows, false);
    let rescaled = args.rescale.then(|| summarize_rows(&all_rows, true));
    if let Some(path) = &args.plot {
        plot::write_delta(path, &all_rows, &summary)?;
    }
    if let Some(path) = &args.plot_hist {
        let hists = pooled_histograms(&this_run, settings.histogram_bins)?;
        plot::write_histograms(path, &hists)?;
    }
    let failed = all_rows.iter().filter(|r| !r.ok()).count();
    let obj = serde_json::json!({
        "units": settings.units.name(),
        "component": settings.component.name(),
        "gammas": gammas,
        "ftol": settings.minimize.ftol,
        "max_fnorm": settings.max_final_fnorm,
        "top_fraction": settings.top_fraction,
        "points": all_rows.len(),
        "failed_points": failed,
        "samples": samples_json,
        "summary": summary,
        "summary_rescaled": rescaled,
    });
    if args.json {
        println!("{obj}");
    } else {
        print_table(&summary);
        if failed > 0 {
            println!("{failed} point(s) failed: see the `reason` column / --json");
        }
    }
    Ok(())
}

/// Per-γ (or per γ/γ_c.b.) mean ± standard error of the mean over samples, from rows.
fn summarize_rows(rows: &[Row], rescale: bool) -> Vec<serde_json::Value> {
    let cb = |sample: usize| {
        rows.iter()
            .filter(|r| r.sample == sample && r.theta == Some(true))
            .map(|r| r.gamma)
            .min_by(f64::total_cmp)
    };
    let x_of = |r: &Row| -> Option<f64> {
        if rescale {
            cb(r.sample).map(|c| r.gamma / c)
        } else {
            Some(r.gamma)
        }
    };
    let xs: Vec<f64> = group_abscissae(rows.iter().filter_map(x_of).collect());
    xs.into_iter()
        .map(|x| {
            let at: Vec<&Row> = rows
                .iter()
                .filter(|r| x_of(r).is_some_and(|v| same_abscissa(v, x)))
                .collect();
            let ok: Vec<&&Row> = at.iter().filter(|r| r.ok()).collect();
            let col = |f: &dyn Fn(&Row) -> Option<f64>| -> Vec<f64> {
                ok.iter().filter_map(|r| f(r)).collect()
            };
            let (dm, ds) = mean_sem(&col(&|r| r.delta));
            let (fm, fs) = mean_sem(&col(&|r| r.fwhm));
            let (em, es) = mean_sem(&col(&|r| r.delta_energy));
            let theta = col(&|r| r.theta.map(|t| t as u8 as f64));
            let nz = |v: f64| if v.is_finite() { Some(v) } else { None };
            serde_json::json!({
                if rescale { "gamma_over_gamma_cb" } else { "gamma" }: x,
                "samples": ok.len(),
                "failed": at.len() - ok.len(),
                "delta_mean": nz(dm), "delta_sem": nz(ds),
                "fwhm_mean": nz(fm), "fwhm_sem": nz(fs),
                "delta_energy_mean": nz(em), "delta_energy_sem": nz(es),
                "theta_fraction": nz(mean_sem(&theta).0),
            })
        })
        .collect()
}

/// Relative tolerance under which two γ (or γ/γ_c.b.) values are the same summary point: on a
/// log grid γ_i/γ_j depends only on i − j mathematically, but the quotients of different pairs
/// differ in the last bits (e.g. 1e-2/2.154e-3 vs 2.154e-2/4.642e-3), and a list γ is printed
/// with 17 digits, so 1e-9 merges rounding only, never two strains of a sweep.
const SAME_ABSCISSA_RTOL: f64 = 1e-9;

fn same_abscissa(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME_ABSCISSA_RTOL * a.abs().max(b.abs())
}

/// Sorted abscissae with values equal to rounding merged (the first of each group is kept).
fn group_abscissae(mut xs: Vec<f64>) -> Vec<f64> {
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|later, first| same_abscissa(*later, *first));
    xs
}

fn print_table(summary: &[serde_json::Value]) {
    println!(
        "{:>12} {:>4} {:>4} {:>13} {:>11} {:>13} {:>11} {:>6}",
        "gamma", "n", "fail", "delta", "±sem", "fwhm", "±sem", "theta"
    );
    for s in summary {
        let f = |k: &str| {
            s[k].as_f64()
                .map(|v| format!("{v:.4e}"))
                .unwrap_or("-".into())
        };
        println!(
            "{:>12.4e} {:>4} {:>4} {:>13} {:>11} {:>13} {:>11} {:>6}",
            s["gamma"].as_f64().unwrap_or(f64::NAN),
            s["samples"].as_u64().unwrap_or(0),
            s["failed"].as_u64().unwrap_or(0),
            f("delta_mean"),
            f("delta_sem"),
            f("fwhm_mean"),
            f("fwhm_sem"),
            s["theta_fraction"]
                .as_f64()
                .map(|v| format!("{v:.2}"))
                .unwrap_or("-".into())
        );
    }
}

/// One histogram per γ of this run, pooling the Δσ_i of every sample (range ±99th percentile of
/// the pooled |Δσ_i|), with its FWHM.
fn pooled_histograms(
    points: &[CyclicPoint],
    bins: usize,
) -> Result<Vec<(f64, Histogram, Vec<f64>)>> {
    let mut gammas: Vec<f64> = points.iter().map(|p| p.gamma).collect();
    gammas.sort_by(f64::total_cmp);
    gammas.dedup();
    let mut out = Vec::new();
    for g in gammas {
        let values: Vec<f64> = points
            .iter()
            .filter(|p| p.gamma == g)
            .filter_map(|p| p.outcome.as_ref().ok())
            .flat_map(|o| o.dsigma.iter().copied())
            .collect();
        if values.is_empty() {
            continue;
        }
        out.push((
            g,
            Histogram::symmetric_quantile(&values, bins, 0.99)?,
            values,
        ));
    }
    if out.is_empty() {
        bail!("--plot-hist: no successful point in this run to draw");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// γ_i/γ_j on the log grid 1e-5:1e-1:13 depends only on i − j (an exact identity of the
    /// grid): all 13·13 quotients must group into the 25 values 10^((i−j)/3), each group exactly
    /// the pairs with that offset.
    #[test]
    fn rescaled_abscissae_of_a_log_grid_group_by_offset() {
        let g = parse_gamma_list("1e-5:1e-1:13").unwrap();
        let mut quotients = Vec::new();
        for a in &g {
            for b in &g {
                quotients.push(a / b);
            }
        }
        let distinct_bits = {
            let mut q: Vec<u64> = quotients.iter().map(|v| v.to_bits()).collect();
            q.sort();
            q.dedup();
            q.len()
        };
        assert!(
            distinct_bits > 25,
            "the rounding this test is about must occur"
        );
        let xs = group_abscissae(quotients.clone());
        assert_eq!(xs.len(), 25);
        for (k, x) in xs.iter().enumerate() {
            let offset = k as i32 - 12;
            let exact = 10f64.powf(offset as f64 / 3.0);
            assert!((x / exact - 1.0).abs() < 1e-12, "{x} vs {exact}");
            let members = quotients.iter().filter(|&&q| same_abscissa(q, *x)).count();
            assert_eq!(members, 13 - offset.unsigned_abs() as usize);
        }
    }
}
