//! `pelkit bench WHAT`: time a hot path and, in the same run, the anchor that does the same job
//! (LAMMPS, OVITO, SciPy, ASE…), printing both times and their ratio. One file per benchmark.

pub mod anchor;
mod eam_read;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Parse 10,000-point EAM files (generated Zhou Cu–Zr eam/alloy; Mendelev CuZr eam/fs if
    /// installed) next to ASE's EAM reader.
    EamRead(eam_read::EamReadArgs),
}

pub fn run(args: BenchArgs) -> Result<()> {
    match args.what {
        BenchWhat::EamRead(a) => eam_read::run(a),
    }
}
