//! `pelkit ageing-map RUNS.csv… --bins-e … --bins-t … [--loaded RUNS.csv…]`: the ageing-rate
//! map Φ(E_IS, T) of unloaded series, with loaded series also their map, the ratio f = Φ^L/Φ^0,
//! the mean stress per pixel and the fit f = κ·cosh(τ·V_act/k_BT).

mod plot;

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use pelkit::analysis::ageing_map::{
    boltzmann_stress_volume, fit_boost, rate_map, ratio_map, read_series, Bins, BoostFit,
    CoshProfile, ErrorMode, IsPoint, RateMap, RatioPixel,
};
use pelkit::units::Units;

#[derive(Args)]
#[command(after_help = "\
Input: CSV files with a header naming at least the columns time, T and E_IS (pelkit anneal -o
files, or series made with LAMMPS); optional run (series label), tau (stress) and converged
(0/1). Points with the same file, run and T are one series; every pair of neighbouring IS of a
series gives Φ = (E_IS[i+1] - E_IS[i]) / (t[i+1] - t[i]) at the pair's mean E_IS, its T, and
the mean tau of its ends. Pairs touching a non-converged IS are skipped (counted).

Pixels: --bins-e / --bins-t LO:HI:N (N equal bins; a pair outside is counted as outside).
Per pixel: count, mean Φ, standard error (sample sd/√n), mean tau. Empty pixels are listed with
count 0. With --loaded: f = Φ_L/Φ_0 per pixel (both with >= --min-count pairs), its error, the
loaded mean stress, and the fit f = κ cosh(τ V_act / k_B T) over all pixels with a ratio
(pixels at different T enter with their own T). Units: metal: τ in bar, V_act in Å³ (k_B =
138.0649 bar·Å³/K); lj: τ in ε/σ³, V_act in σ³.

V_act: the profile χ²(V_act) = min over κ of Σ ((f - κ cosh)/σ)² on V_act >= 0, σ = the pixel's
error of f (--fit-errors absolute: Δχ² in units of 1; scaled: × χ²_min/dof; none: σ = 1,
scaled). Reported: the best V_act with its 1σ interval (Δχ² = 1) and the one-sided 95 % upper
bound (Δχ² = 2.71). When the best value is V_act = 0 (no stress acceleration resolved; a local
fit cannot converge there) only the bound is meaningful and the output says so. The unweighted
Levenberg-Marquardt fit (value ± standard error, SciPy curve_fit convention) is also printed
when it converges.

Example:
  pelkit ageing-map T*_U.csv --loaded T*_L.csv --bins-e -5.80:-5.74:6 --bins-t 250:650:4 \\
    --plot maps.png --plot-fit f.png -o pixels.csv")]
pub struct AgeingMapArgs {
    /// Series without load (CSV).
    #[arg(required = true)]
    pub runs: Vec<PathBuf>,
    /// Series under load (CSV), for the ratio map and the V_act fit.
    #[arg(long, num_args = 1..)]
    pub loaded: Vec<PathBuf>,
    /// E_IS bins LO:HI:N (same unit as the E_IS column, per atom for pelkit anneal).
    #[arg(long, allow_hyphen_values = true)]
    pub bins_e: String,
    /// Temperature bins LO:HI:N.
    #[arg(long, allow_hyphen_values = true)]
    pub bins_t: String,
    /// Stress column: tau (IS stress of pelkit anneal) or tau_inst (instantaneous).
    #[arg(long, default_value = "tau")]
    pub stress_column: String,
    /// Fewest pairs per pixel (both maps) for a ratio.
    #[arg(long, default_value_t = 2)]
    pub min_count: usize,
    /// Units of τ and V_act: metal (bar, Å³) or lj.
    #[arg(long, default_value = "metal")]
    pub units: String,
    /// Per-pixel table (CSV).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Draw the maps Φ_0, Φ_L, f and τ (PNG or SVG).
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Errors in the V_act fit: absolute (σ = pixel error of f), scaled (same weights, Δχ²
    /// scaled by χ²_min/dof) or none (unit weights, scaled).
    #[arg(long, default_value = "absolute")]
    pub fit_errors: String,
    /// Draw f against τ with the cosh fit (PNG or SVG).
    #[arg(long)]
    pub plot_fit: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

fn read_all(paths: &[PathBuf], stress: &str) -> Result<Vec<IsPoint>> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(read_series(p, stress)?);
    }
    Ok(out)
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:?}")).unwrap_or_default()
}

fn write_table(
    path: &PathBuf,
    unloaded: &RateMap,
    loaded: Option<&RateMap>,
    ratio: Option<&[RatioPixel]>,
) -> Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    writeln!(
        f,
        "ie,it,E_center,T_center,count_0,phi_0,phi_0_se,count_L,phi_L,phi_L_se,tau_L,tau_L_se,f,f_se"
    )?;
    for (k, u) in unloaded.pixels.iter().enumerate() {
        let l = loaded.map(|m| &m.pixels[k]);
        let r = ratio.map(|r| &r[k]);
        writeln!(
            f,
            "{},{},{:?},{:?},{},{},{},{},{},{},{},{},{},{}",
            u.ie,
            u.it,
            u.e_center,
            u.t_center,
            u.count,
            opt(u.phi_mean),
            opt(u.phi_se),
            l.map(|p| p.count.to_string()).unwrap_or_default(),
            opt(l.and_then(|p| p.phi_mean)),
            opt(l.and_then(|p| p.phi_se)),
            opt(l.and_then(|p| p.tau_mean)),
            opt(l.and_then(|p| p.tau_se)),
            opt(r.and_then(|p| p.f)),
            opt(r.and_then(|p| p.f_se)),
        )?;
    }
    f.flush()?;
    Ok(())
}

pub fn run(args: AgeingMapArgs) -> Result<()> {
    let bins_e = Bins::parse(&args.bins_e).context("--bins-e")?;
    let bins_t = Bins::parse(&args.bins_t).context("--bins-t")?;
    let units = match args.units.as_str() {
        "metal" => Units::Metal,
        "lj" => Units::Lj,
        other => anyhow::bail!("--units '{other}': metal or lj"),
    };
    let unloaded = rate_map(&read_all(&args.runs, &args.stress_column)?, bins_e, bins_t)?;
    let loaded = if args.loaded.is_empty() {
        None
    } else {
        Some(rate_map(
            &read_all(&args.loaded, &args.stress_column)?,
            bins_e,
            bins_t,
        )?)
    };
    let ratio = match &loaded {
        Some(l) => Some(ratio_map(l, &unloaded, args.min_count)?),
        None => None,
    };
    let errors = match args.fit_errors.as_str() {
        "absolute" => Some(ErrorMode::Absolute),
        "scaled" => Some(ErrorMode::Scaled),
        "none" => None,
        other => anyhow::bail!("--fit-errors '{other}': absolute, scaled or none"),
    };
    let fit: Option<Result<BoostFit, String>> = ratio
        .as_ref()
        .map(|r| fit_boost(r, boltzmann_stress_volume(units), errors).map_err(|e| e.to_string()));
    if let Some(p) = &args.output {
        write_table(p, &unloaded, loaded.as_ref(), ratio.as_deref())?;
    }
    if let Some(p) = &args.plot {
        plot::maps(p, &unloaded, loaded.as_ref(), ratio.as_deref())?;
    }
    if let Some(p) = &args.plot_fit {
        match &fit {
            Some(Ok(f)) => plot::boost_fit(p, f, units)?,
            Some(Err(e)) => eprintln!("warning: {} not drawn: no V_act fit ({e})", p.display()),
            None => anyhow::bail!("--plot-fit needs --loaded series"),
        }
    }
    let ratio_pixels = ratio
        .as_ref()
        .map(|r| r.iter().filter(|p| p.f.is_some()).count());
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "unloaded": unloaded,
                "loaded": loaded,
                "ratio": ratio,
                "ratio_pixels": ratio_pixels,
                "fit": fit.as_ref().map(|f| match f {
                    Ok(f) => serde_json::to_value(f).unwrap_or_default(),
                    Err(e) => serde_json::json!({"error": e}),
                }),
                "units": units.name(),
            })
        );
        return Ok(());
    }
    let describe = |name: &str, m: &RateMap| {
        println!(
            "{name}: {} series, {} pairs ({} skipped: non-converged IS), {} outside the bins, \
             {} of {} pixels empty",
            m.pairs.series,
            m.pairs.pairs,
            m.pairs.skipped_unconverged,
            m.outside,
            m.empty,
            m.pixels.len()
        );
    };
    describe("unloaded", &unloaded);
    if let Some(l) = &loaded {
        describe("loaded", l);
    }
    println!(
        "{:>4} {:>4} {:>12} {:>8} {:>6} {:>13} {:>11} {:>6} {:>13} {:>11} {:>12} {:>9} {:>9}",
        "ie", "it", "E_IS", "T", "n_0", "phi_0", "se", "n_L", "phi_L", "se", "tau_L", "f", "f_se"
    );
    let fmt = |v: Option<f64>, w: usize| match v {
        Some(x) => format!("{x:>w$.4e}"),
        None => format!("{:>w$}", "-"),
    };
    for (k, u) in unloaded.pixels.iter().enumerate() {
        let l = loaded.as_ref().map(|m| &m.pixels[k]);
        let r = ratio.as_ref().map(|r| &r[k]);
        println!(
            "{:>4} {:>4} {:>12.6} {:>8.2} {:>6} {} {} {:>6} {} {} {} {} {}",
            u.ie,
            u.it,
            u.e_center,
            u.t_center,
            u.count,
            fmt(u.phi_mean, 13),
            fmt(u.phi_se, 11),
            l.map(|p| p.count.to_string()).unwrap_or("-".into()),
            fmt(l.and_then(|p| p.phi_mean), 13),
            fmt(l.and_then(|p| p.phi_se), 11),
            fmt(l.and_then(|p| p.tau_mean), 12),
            fmt(r.and_then(|p| p.f), 9),
            fmt(r.and_then(|p| p.f_se), 9),
        );
    }
    let vol = if units == Units::Metal {
        "Å³"
    } else {
        "σ³"
    };
    match &fit {
        Some(Ok(f)) => {
            println!(
                "f = kappa cosh(tau V_act / k_B T) over {} pixels (T_ref {:.1}):",
                f.points.len(),
                f.t_ref
            );
            println!("  profile chi2: {}", describe_profile(&f.profile, vol));
            match (&f.least_squares, &f.least_squares_error) {
                (Some(ls), _) => println!(
                    "  least squares (unweighted): V_act = {:.4} ± {:.4} {vol}, kappa = {:.4} ± \
                     {:.4}, R² = {:.4}",
                    ls.v_act, ls.v_act_se, ls.kappa, ls.kappa_se, ls.fit.r_squared
                ),
                (None, Some(e)) => println!("  least squares (unweighted): {e}"),
                (None, None) => {}
            }
        }
        Some(Err(e)) => println!("no V_act fit: {e}"),
        None => {}
    }
    Ok(())
}

/// One line for a physicist: the best V_act with its 1σ interval, or the upper bound.
pub fn describe_profile(p: &CoshProfile, vol: &str) -> String {
    let bound = |v: Option<f64>| match v {
        Some(v) => format!("{v:.4}"),
        None => format!("> {:.4} (beyond the scan)", p.v_max),
    };
    let fit = format!(
        "chi2_min = {:.4} for {} dof ({} errors), kappa = {:.4}",
        p.chi2_min,
        p.dof,
        match p.errors {
            ErrorMode::Absolute => "absolute",
            ErrorMode::Scaled => "scaled",
        },
        p.kappa
    );
    if p.at_boundary {
        format!(
            "best V_act = 0 (no stress dependence resolved): V_act < {} {vol} (one-sided 95 %), \
             1σ: V_act < {} {vol}; {fit}",
            bound(p.upper_95),
            bound(p.upper_1sigma)
        )
    } else {
        format!(
            "V_act = {:.4} {vol}, 1σ interval [{:.4}, {}] {vol}, one-sided 95 % upper bound {} \
             {vol}; {fit}",
            p.v_act,
            p.lower_1sigma,
            bound(p.upper_1sigma),
            bound(p.upper_95)
        )
    }
}
