//! `pelkit bench WHAT`: time a hot path and, in the same run, the anchor that does the same job
//! (LAMMPS, OVITO, SciPy, ASE…), printing both times and their ratio. One file per benchmark.

pub mod anchor;
mod minimize;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// CG minimization of a sheared Cu-Zr glass vs LAMMPS minimize (same file, same energy).
    Minimize(minimize::MinimizeBenchArgs),
}

pub fn run(args: BenchArgs) -> Result<()> {
    match args.what {
        BenchWhat::Minimize(a) => minimize::run(a),
    }
}
