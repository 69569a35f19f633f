//! `pelkit dms`: MD-DMS oscillatory-shear runs with pelkit's engine (`pelkit dms IN …`), and the
//! same fit of LAMMPS logs or `fix ave/time` files (`pelkit dms fit FILE …`).

mod fit_record;
mod plot;
mod run;

use anyhow::Result;
use clap::{Args, Subcommand};

#[derive(Args)]
#[command(subcommand_negates_reqs = true)]
pub struct DmsArgs {
    #[command(subcommand)]
    pub command: Option<DmsCommand>,
    #[command(flatten)]
    pub run: run::DmsRunArgs,
}

#[derive(Subcommand)]
pub enum DmsCommand {
    /// Fit σ(t) = σ0 + σA sin(2πt/t_w + δ) to a LAMMPS log thermo block or a fix ave/time file.
    Fit(fit_record::DmsFitArgs),
}

pub fn run(args: DmsArgs) -> Result<()> {
    match args.command {
        Some(DmsCommand::Fit(a)) => fit_record::run(a),
        None => run::run(args.run),
    }
}
