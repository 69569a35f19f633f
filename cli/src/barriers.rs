//! `pelkit barriers`: activation-energy spectra, contour vs end-to-end length (log–log) and
//! the fractal dimension δ of C ∼ L^δ from one or more `pelkit art` events tables.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::engine::saddle::path::{fractal_dimension, FractalFit};

mod plot;

#[derive(Args)]
#[command(after_help = "\
Reads events tables written by `pelkit art -o` and keeps distinct found saddles (status found,
same_as -1) that lead to a new minimum (with --connected-only also joined to the initial minimum).
Per table: count, mean/median E_A, the E_A histogram
(--bin-width, energy units), and, where the table has NEB columns (`pelkit art --neb-images`),
the tortuosity C/L statistics and the least-squares δ of ln C = δ ln L + b (seed 001,
Fig. 3c1; --max-ea keeps paths with E_A below it, as the seed's E_A < 1 eV).
The peak shift between the first and each other table is the difference of median E_A.

Example: pelkit barriers zero.csv sheared.csv --label 'γ = 0' --label 'γ = 0.06' --plot fig.png")]
pub struct BarriersArgs {
    /// Events tables (CSV from `pelkit art -o`).
    #[arg(required = true)]
    pub tables: Vec<PathBuf>,
    /// Legend label per table (default: file name).
    #[arg(long)]
    pub label: Vec<String>,
    /// Histogram bin width (energy units).
    #[arg(long, default_value_t = 0.1)]
    pub bin_width: f64,
    /// Only paths with E_A below this enter the C–L fit.
    #[arg(long)]
    pub max_ea: Option<f64>,
    /// Keep only events whose saddle is joined to the initial minimum (column `connected` = 1:
    /// the other side relaxes back to it), i.e. barriers out of the initial state (seed 001:
    /// saddles "and their connecting neighboring local minima").
    #[arg(long)]
    pub connected_only: bool,
    /// Spectrum and C vs L figure (.png or .svg).
    #[arg(long)]
    pub plot: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

/// The distinct events of one table.
pub struct Table {
    pub label: String,
    pub e_a: Vec<f64>,
    /// (L, C) of events with NEB columns.
    pub lc: Vec<(f64, f64)>,
    pub fit: Option<FractalFit>,
}

fn read_table(
    path: &std::path::Path,
    label: String,
    max_ea: Option<f64>,
    connected_only: bool,
) -> Result<Table> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .context("empty events table")?
        .split(',')
        .collect();
    let col = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|h| h.trim() == name)
            .with_context(|| {
                format!(
                    "{}: no '{name}' column (expected a table from `pelkit art -o`)",
                    path.display()
                )
            })
    };
    let (cs, ce, csame, cfi) = (
        col("status")?,
        col("e_a")?,
        col("same_as")?,
        col("final_is_initial")?,
    );
    let (cc, cl) = (col("contour_length").ok(), col("end_to_end").ok());
    let conn = if connected_only {
        Some(col("connected")?)
    } else {
        None
    };
    let mut t = Table {
        label,
        e_a: Vec::new(),
        lc: Vec::new(),
        fit: None,
    };
    for (k, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != header.len() {
            bail!(
                "{}:{}: {} fields, header has {}",
                path.display(),
                k + 2,
                f.len(),
                header.len()
            );
        }
        if f[cs] != "found" || f[csame].trim() != "-1" || f[cfi].trim() == "1" {
            continue;
        }
        if conn.is_some_and(|c| f[c].trim() != "1") {
            continue;
        }
        let num = |i: usize| -> Result<f64> {
            f[i].trim().parse::<f64>().with_context(|| {
                format!("{}:{}: '{}' is not a number", path.display(), k + 2, f[i])
            })
        };
        let ea = num(ce)?;
        t.e_a.push(ea);
        if let (Some(cc), Some(cl)) = (cc, cl) {
            if !f[cc].trim().is_empty() && !f[cl].trim().is_empty() && max_ea.is_none_or(|m| ea < m)
            {
                t.lc.push((num(cl)?, num(cc)?));
            }
        }
    }
    let (l, c): (Vec<f64>, Vec<f64>) = t.lc.iter().copied().unzip();
    t.fit = fractal_dimension(&c, &l);
    Ok(t)
}

fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        0.5 * (s[n / 2 - 1] + s[n / 2])
    }
}

pub fn run(args: BarriersArgs) -> Result<()> {
    if !(args.bin_width > 0.0 && args.bin_width.is_finite()) {
        bail!("--bin-width must be > 0");
    }
    if !args.label.is_empty() && args.label.len() != args.tables.len() {
        bail!(
            "give one --label per table ({} tables, {} labels)",
            args.tables.len(),
            args.label.len()
        );
    }
    let mut tables = Vec::new();
    for (k, p) in args.tables.iter().enumerate() {
        let label = args.label.get(k).cloned().unwrap_or_else(|| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        tables.push(read_table(p, label, args.max_ea, args.connected_only)?);
    }
    let med0 = median(&tables[0].e_a);
    let summary: Vec<serde_json::Value> = tables
        .iter()
        .map(|t| {
            let mean = t.e_a.iter().sum::<f64>() / t.e_a.len().max(1) as f64;
            let tort: Vec<f64> = t.lc.iter().map(|(l, c)| c / l).collect();
            serde_json::json!({
                "label": t.label,
                "distinct_events": t.e_a.len(),
                "mean_e_a": mean,
                "median_e_a": median(&t.e_a),
                "median_shift_from_first": median(&t.e_a) - med0,
                "paths_with_c_l": t.lc.len(),
                "median_tortuosity": median(&tort),
                "max_tortuosity": tort.iter().copied().fold(f64::NAN, f64::max),
                "fractal_delta": t.fit.as_ref().map(|f| f.delta),
                "fractal_delta_stderr": t.fit.as_ref().map(|f| f.delta_stderr),
            })
        })
        .collect();
    if let Some(p) = &args.plot {
        plot::write(p, &tables, args.bin_width)?;
    }
    if args.json {
        println!("{}", serde_json::json!({ "tables": summary }));
    } else {
        for s in &summary {
            println!("{}", s);
        }
    }
    Ok(())
}
