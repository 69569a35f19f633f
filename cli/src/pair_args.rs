//! The potential of a command, given LAMMPS-style: `--pair-style`, repeatable `--pair-coeff` and
//! `--pair-modify`, and `--units`. Shared by every subcommand that evaluates energies; commands
//! that can also run without a potential (`pelkit dms fit`, `pelkit stiffness --trajectory`)
//! flatten the variant with an optional `--pair-style`.

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::potential::Potential;
use pelkit::System;

/// LAMMPS-style potential arguments with a required `--pair-style` (flattened into each
/// subcommand).
pub type PairArgs = PairArgsOf<true>;

/// The same arguments with `--pair-style` optional; [`PairArgsOf::require`] gives the
/// [`PairArgs`] of a run that needs the potential.
pub type OptionalPairArgs = PairArgsOf<false>;

/// LAMMPS-style potential arguments; `REQUIRED` says whether clap requires `--pair-style`.
#[derive(Args, Clone, Debug)]
pub struct PairArgsOf<const REQUIRED: bool> {
    /// LAMMPS `pair_style` arguments: `lj/cut RC`, `table linear|spline|lookup N` (tables in r²,
    /// LAMMPS' default), `eam`, `eam/alloy` or `eam/fs`.
    #[arg(long, required = REQUIRED)]
    pub pair_style: Option<String>,
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

impl OptionalPairArgs {
    /// The arguments of a run that needs the potential; `missing` is the error when
    /// `--pair-style` was not given.
    pub fn require(&self, missing: &str) -> Result<PairArgs> {
        if self.pair_style.is_none() {
            bail!("{missing}");
        }
        Ok(PairArgs {
            pair_style: self.pair_style.clone(),
            pair_coeff: self.pair_coeff.clone(),
            pair_modify: self.pair_modify.clone(),
            units: self.units.clone(),
        })
    }
}

impl<const REQUIRED: bool> PairArgsOf<REQUIRED> {
    /// The `--pair-style` text ("" when an optional one was not given).
    fn style(&self) -> &str {
        self.pair_style.as_deref().unwrap_or_default()
    }

    /// The potential for a system with `ntypes` atom types.
    pub fn potential(&self, ntypes: usize) -> Result<Potential> {
        Potential::from_lammps_args(self.style(), &self.pair_coeff, &self.pair_modify, ntypes)
            .context("setting up the potential")
    }

    /// The potential for `sys`, whose masses it sets when the potential carries them (EAM
    /// files, as `pair_coeff` does in LAMMPS).
    pub fn potential_with_masses(&self, sys: &mut System) -> Result<Potential> {
        let pot = self.potential(sys.ntypes)?;
        pot.set_masses(sys);
        Ok(pot)
    }

    fn units_name(&self) -> &str {
        match self.units.as_deref() {
            Some(u) => u,
            None if self.style().trim_start().starts_with("eam") => "metal",
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
