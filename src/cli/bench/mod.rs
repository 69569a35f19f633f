//! `pelkit bench WHAT`: time a hot path and, in the same run, the anchor that does the same job
//! (LAMMPS, OVITO, SciPy, ASE…), printing both times and their ratio. One file per benchmark.

pub mod anchor;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {}

pub fn run(args: BenchArgs) -> Result<()> {
    match args.what {}
}
