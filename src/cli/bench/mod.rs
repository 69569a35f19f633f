//! `pelkit bench WHAT`: time a hot path and, in the same run, the anchor that does the same job
//! (LAMMPS, OVITO, SciPy, ASE…), printing both times and their ratio. One file per benchmark.

pub mod anchor;
mod voronoi;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Voronoi tessellation with indices (50k/250k atoms) vs OVITO and LAMMPS voronoi/atom.
    Voronoi(voronoi::VoronoiBenchArgs),
}

pub fn run(args: BenchArgs) -> Result<()> {
    match args.what {
        BenchWhat::Voronoi(a) => voronoi::run(a),
    }
}
