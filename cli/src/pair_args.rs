//! The potential of a command, given LAMMPS-style: `--pair-style`, repeatable `--pair-coeff` and
//! `--pair-modify`, and `--units`. Shared by every subcommand that evaluates energies.

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::potential::Potential;

/// LAMMPS-style potential arguments (flattened into each subcommand).
#[derive(Args, Clone, Debug)]
pub struct PairArgs {
    /// LAMMPS `pair_style` arguments: `lj/cut RC`, `table linear|spline|lookup N` (tables in r²,
    /// LAMMPS' default), `eam`, `eam/alloy` or `eam/fs`.
    #[arg(long)]
    pub pair_style: String,
    /// LAMMPS `pair_coeff` arguments, repeatable, with type ranges (`* *`, `1*2`).
    /// lj/cut: `I J epsilon sigma [cutoff]` (unset I≠J pairs are mixed, default geometric);
    /// table: `I J file KEYWORD [cutoff]` (cutoff default: the table's last r; it must lie inside
    /// the table); eam: `I I file.eam`; eam/alloy, eam/fs: `* * file El1 … ElN` (one element per
    /// type; the file's masses are used, as in LAMMPS).
    #[arg(long)]
    pub pair_coeff: Vec<String>,
    /// LAMMPS `pair_modify` arguments, repeatable: `shift yes|no` (default no),
    /// `mix geometric|arithmetic|sixthpower` (default geometric).
    #[arg(long)]
    pub pair_modify: Vec<String>,
    /// LAMMPS unit system of the potential, the input and the output: lj or metal (real for
    /// single evaluations). Default: metal for eam styles, lj otherwise.
    #[arg(long)]
    pub units: Option<String>,
}

impl PairArgs {
    /// The potential for a system with `ntypes` atom types.
    pub fn potential(&self, ntypes: usize) -> Result<Potential> {
        Potential::from_lammps_args(
            &self.pair_style,
            &self.pair_coeff,
            &self.pair_modify,
            ntypes,
        )
        .context("setting up the potential")
    }

    fn units_name(&self) -> &str {
        match self.units.as_deref() {
            Some(u) => u,
            None if self.pair_style.trim_start().starts_with("eam") => "metal",
            None => "lj",
        }
    }

    /// Units for evaluations and output conversions (lj, metal, real).
    pub fn output_units(&self) -> Result<pelkit::units::Units> {
        let u = self.units_name();
        pelkit::units::Units::from_name(u)
            .with_context(|| format!("unknown units '{u}' (lj, metal, real)"))
    }

    /// Units for minimization and MD (lj, metal).
    pub fn engine_units(&self) -> Result<pelkit::units::Units> {
        match self.units_name() {
            "lj" => Ok(pelkit::units::Units::Lj),
            "metal" => Ok(pelkit::units::Units::Metal),
            other => bail!("unsupported units '{other}' for minimization and MD (lj or metal)"),
        }
    }
}
