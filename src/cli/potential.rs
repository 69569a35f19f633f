//! `pelkit potential`: inspect EAM potential files and generate Zhou–Johnson–Wadley alloy files.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use pelkit::io::eam_file;

#[derive(Args)]
pub struct PotentialArgs {
    #[command(subcommand)]
    what: PotentialWhat,
}

#[derive(Subcommand)]
enum PotentialWhat {
    /// Describe an EAM file (funcfl `eam`, setfl `eam/alloy`, Finnis–Sinclair `eam/fs`; the
    /// format is found from the content, the extension only breaks ties): elements, masses
    /// (g/mol), grids (Nrho, drho; Nr, dr in Å; cutoff in Å), rhomax = (Nrho−1)·drho, per-table
    /// min/max/mean and problems. Exit status 1 when problems are found.
    Info(InfoArgs),
}

#[derive(Args)]
struct InfoArgs {
    /// The potential file.
    file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: PotentialArgs) -> Result<()> {
    match args.what {
        PotentialWhat::Info(a) => info(a),
    }
}

fn info(args: InfoArgs) -> Result<()> {
    let start = Instant::now();
    let report =
        eam_file::check(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let elapsed = start.elapsed();
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("{}: {}", args.file.display(), report.format);
        for (k, v) in &report.details {
            println!("  {k}: {v}");
        }
        println!("  tables (min / max / mean):");
        for c in &report.columns {
            println!(
                "    {:<28} {:>14.6e} {:>14.6e} {:>14.6e}  ({} values)",
                c.name, c.min, c.max, c.mean, c.count
            );
        }
        println!("  parsed in {:.2} ms", elapsed.as_secs_f64() * 1e3);
        for p in &report.problems {
            println!("  PROBLEM: {p}");
        }
    }
    if !report.problems.is_empty() {
        bail!("{} problem(s) found", report.problems.len());
    }
    Ok(())
}
