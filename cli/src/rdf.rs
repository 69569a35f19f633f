//! `pelkit rdf`: total and partial g(r) of a configuration (OVITO's normalisation), S(q), and the
//! per-atom g_i(r) descriptors of seed 003 (`--per-atom -o FILE`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::common::in_pool;

use pelkit::analysis::rdf::{per_atom_rdf, rdf, structure_factor, Shells};
use pelkit::io::dump::write_dump_system;
use pelkit::io::read_configuration;

use super::plot::{render, SeriesStyle, XyPlot, XySeries};

#[derive(Args)]
#[command(after_help = "\
Conventions (distances in the configuration's units, Å in metal):
  g(r)    nbins bins from 0 to --cutoff, at bin centres; g = n_k / (N ρ V_k), ordered pairs, shell
          volume V_k = 4π/3 (r_{k+1}³ − r_k³): OVITO's CoordinationAnalysisModifier. Partial
          g_ab = n_k^{ab} / (N_a N_b / V · V_k).
  g_i(r)  per atom (seed 003 Eq. 2): n_i,k / (ρ V_k) on shells [r_min + kΔr, r_min + (k+1)Δr);
          with --partial one block per neighbour type, normalised by that type's density ρ_b.
          Mean over atoms = g(r) exactly.
  S(q)    1 + 4πρ Σ_k r_k² (g_k − 1) sin(q r_k)/(q r_k) Δr (no window, truncated at the cutoff).
A cutoff beyond half the box counts every periodic image (as OVITO).
Examples:
  pelkit rdf glass.data --cutoff 10 --bins 100 --plot gr.png
  pelkit rdf glass.data --per-atom -o features.dump     # 40 features g_2.10 … g_9.90")]
pub struct RdfArgs {
    /// Configuration: LAMMPS data file or dump (last frame).
    pub input: PathBuf,
    /// g(r) range (distance units).
    #[arg(long, default_value_t = 10.0)]
    pub cutoff: f64,
    /// g(r) bins.
    #[arg(long, default_value_t = 200)]
    pub bins: usize,
    /// Write the per-atom g_i(r) descriptors to -o (LAMMPS dump: id type x y z ix iy iz g_…).
    #[arg(long)]
    pub per_atom: bool,
    /// Per-atom shells: inner radius.
    #[arg(long, default_value_t = 2.0)]
    pub r_min: f64,
    /// Per-atom shells: outer radius.
    #[arg(long, default_value_t = 10.0)]
    pub r_max: f64,
    /// Per-atom shell width Δr.
    #[arg(long, default_value_t = 0.2)]
    pub dr: f64,
    /// Per-atom: one block of shells per neighbour type (columns g<type>_<r>).
    #[arg(long)]
    pub partial: bool,
    /// Per-atom output file (with --per-atom).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Also compute S(q) on `QMAX:NQ` points from q = QMAX/NQ (inverse distance units).
    #[arg(long)]
    pub sq: Option<String>,
    /// Plot g(r) (total and partials), PNG or SVG by extension.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Print one JSON object {r, total, partial: {"a-b": […]}, density, q, sq}.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub pool: crate::common::ThreadsArg,
}

pub fn run(args: RdfArgs) -> Result<()> {
    let sys = read_configuration(&args.input, None)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let work = || -> Result<_> {
        let g = rdf(&sys, args.cutoff, args.bins)?;
        let per = if args.per_atom {
            let shells = Shells::from_range(args.r_min, args.r_max, args.dr)?;
            Some(per_atom_rdf(&sys, &shells, args.partial)?)
        } else {
            None
        };
        Ok((g, per))
    };
    let (g, per) = in_pool(args.pool.threads, work)??;
    if let Some(per) = &per {
        let path = args
            .output
            .as_ref()
            .context("--per-atom needs -o FILE for the per-atom descriptors")?;
        let names = per.column_names();
        let n = sys.natoms();
        let cols: Vec<Vec<f64>> = (0..per.features())
            .map(|c| (0..n).map(|i| per.row(i)[c]).collect())
            .collect();
        let extra: Vec<(&str, &[f64])> = names
            .iter()
            .zip(&cols)
            .map(|(n, c)| (n.as_str(), c.as_slice()))
            .collect();
        write_dump_system(path, &sys, 0, &extra)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let (q, sq) = match &args.sq {
        Some(spec) => {
            let (qmax, nq) = spec
                .split_once(':')
                .context("--sq: expected QMAX:NQ, e.g. 12:300")?;
            let qmax: f64 = qmax.parse().context("--sq QMAX")?;
            let nq: usize = nq.parse().context("--sq NQ")?;
            let q: Vec<f64> = (1..=nq).map(|k| qmax * k as f64 / nq as f64).collect();
            let s = structure_factor(
                &g.r,
                &g.total,
                args.cutoff / args.bins as f64,
                g.density,
                &q,
            );
            (q, s)
        }
        None => (Vec::new(), Vec::new()),
    };
    if let Some(path) = &args.plot {
        let mut plot = XyPlot::new(format!("g(r) of {}", args.input.display()), "r", "g(r)");
        plot.series.push(XySeries::new(
            "total",
            g.r.iter().copied().zip(g.total.iter().copied()).collect(),
            SeriesStyle::Line,
        ));
        if g.partial.len() > 1 {
            for (a, b, v) in &g.partial {
                plot.series.push(XySeries::new(
                    format!("{a}-{b}"),
                    g.r.iter().copied().zip(v.iter().copied()).collect(),
                    SeriesStyle::Line,
                ));
            }
        }
        plot.h_lines.push(1.0);
        render(path, (900, 600), &plot)?;
    }
    if args.json {
        let partial: serde_json::Map<String, serde_json::Value> = g
            .partial
            .iter()
            .map(|(a, b, v)| (format!("{a}-{b}"), serde_json::json!(v)))
            .collect();
        println!(
            "{}",
            serde_json::json!({"natoms": sys.natoms(), "density": g.density, "r": g.r,
                "total": g.total, "partial": partial, "q": q, "sq": sq,
                "per_atom_features": per.as_ref().map(|p| p.features())})
        );
    } else {
        print!("{:>10} {:>12}", "r", "g");
        for (a, b, _) in &g.partial {
            print!(" {:>12}", format!("g{a}-{b}"));
        }
        println!();
        for k in 0..g.r.len() {
            print!("{:>10.4} {:>12.6}", g.r[k], g.total[k]);
            for (_, _, v) in &g.partial {
                print!(" {:>12.6}", v[k]);
            }
            println!();
        }
        if !q.is_empty() {
            println!("\n{:>10} {:>12}", "q", "S(q)");
            for (qv, s) in q.iter().zip(&sq) {
                println!("{qv:>10.4} {s:>12.6}");
            }
        }
    }
    Ok(())
}
