//! What the subcommands share besides the potential arguments (`pair_args`): the flattened
//! `--threads/--quiet` arguments, the minimizer arguments (`--min-style --etol --ftol --maxiter
//! --maxeval`, `--relax-ftol`), running a job in a rayon pool of the requested size, loading
//! a configuration with its potential, comma-separated number lists and progress bars.
//! Argument parsing and presentation only: defaults that carry physics live in the library
//! (`pelkit::units`, `pelkit::engine::…`).

use std::path::Path;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use pelkit::engine::min_fire::FireSettings;
use pelkit::engine::min_modify::apply_min_modify;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::units::Units;
use pelkit::System;

use super::pair_args::PairArgs;

/// Help text of `--threads`, the same in every subcommand.
const THREADS_HELP: &str = "Number of threads (default: all cores).";
/// Help text of `--quiet`, the same in every subcommand.
const QUIET_HELP: &str = "No progress bars or warnings on stderr.";

/// `--threads N` and `--quiet` of a long-running subcommand (flattened after its `--json`).
#[derive(Args, Clone, Debug)]
pub struct RunArgs {
    #[arg(long, help = THREADS_HELP)]
    pub threads: Option<usize>,
    #[arg(long, short = 'q', help = QUIET_HELP)]
    pub quiet: bool,
}

/// `--threads N` alone, for a subcommand without progress output.
#[derive(Args, Clone, Debug)]
pub struct ThreadsArg {
    #[arg(long, help = THREADS_HELP)]
    pub threads: Option<usize>,
}

/// `--quiet` alone, for a subcommand that runs in one thread.
#[derive(Args, Clone, Debug)]
pub struct QuietArg {
    #[arg(long, short = 'q', help = QUIET_HELP)]
    pub quiet: bool,
}

/// LAMMPS `min_style` of a command that minimizes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MinStyle {
    Cg,
    Fire,
}

/// LAMMPS `min_style` and `minimize ETOL FTOL MAXITER MAXEVAL` as `--min-style --etol --ftol
/// --maxiter --maxeval` (flattened into `pelkit minimize` and `pelkit cyclic`).
#[derive(Args, Clone, Debug)]
pub struct MinimizeArgs {
    /// Minimizer (LAMMPS min_style).
    #[arg(long, value_enum, default_value = "cg")]
    pub min_style: MinStyle,
    /// Relative energy tolerance (unitless); 0 disables it.
    #[arg(long, default_value_t = 0.0)]
    pub etol: f64,
    /// Force tolerance on the force norm (the 3N two-norm unless min_modify norm says
    /// otherwise; force units: eV/Å in metal, ε/σ in lj); 0 disables it.
    #[arg(long, default_value_t = 1e-10)]
    pub ftol: f64,
    /// Maximum iterations.
    #[arg(long, default_value_t = 100_000)]
    pub maxiter: usize,
    /// Maximum force evaluations.
    #[arg(long, default_value_t = 1_000_000)]
    pub maxeval: usize,
}

impl MinimizeArgs {
    /// The library's settings (min_modify defaults; energies per atom in lj units, as LAMMPS'
    /// `thermo_modify norm yes`).
    pub fn settings(&self, units: Units) -> MinimizeSettings {
        MinimizeSettings::new(
            self.etol,
            self.ftol,
            self.maxiter,
            self.maxeval,
            units.default_norm(),
        )
    }
}

/// `--relax-ftol` of a command whose side relaxations are CG to a force tolerance only
/// (`pelkit art`, `pelkit neb`).
#[derive(Args, Clone, Debug)]
pub struct RelaxArgs {
    /// Force tolerance of the CG relaxations (3N force two-norm, force units; etol 0,
    /// maxiter 100000, maxeval 1000000).
    #[arg(long, default_value_t = 1e-6)]
    pub relax_ftol: f64,
}

impl RelaxArgs {
    /// `minimize 0 RELAX_FTOL 100000 1000000` with total energies.
    pub fn settings(&self) -> MinimizeSettings {
        MinimizeSettings::new(0.0, self.relax_ftol, 100_000, 1_000_000, false)
    }
}

/// FIRE settings of `units` with the `--timestep` given, then the `--min-modify` keyword/value
/// pairs applied to them and to `settings` in order.
pub fn fire_and_min_modify(
    units: Units,
    timestep: Option<f64>,
    min_modify: &[String],
    settings: &mut MinimizeSettings,
) -> Result<FireSettings> {
    let mut fire = FireSettings::for_units(units);
    if let Some(dt) = timestep {
        fire.dt = dt;
    }
    for text in min_modify {
        apply_min_modify(text, settings, &mut fire).context("--min-modify")?;
    }
    Ok(fire)
}

/// Run `job` in a rayon pool of `threads` threads, or in the global pool (all cores) without.
pub fn in_pool<T: Send>(threads: Option<usize>, job: impl FnOnce() -> T + Send) -> Result<T> {
    Ok(match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(job),
        None => job(),
    })
}

/// Read the configuration and build the potential provider (EAM files set the masses); the
/// neighbor skin defaults to the unit system's LAMMPS default.
pub fn load(
    input: &Path,
    pair: &PairArgs,
    units: Units,
    skin: Option<f64>,
) -> Result<(System, PotentialProvider)> {
    let mut sys = pelkit::io::read_configuration(input, None)
        .with_context(|| format!("reading {}", input.display()))?;
    let pot = pair.potential_with_masses(&mut sys)?;
    let skin = skin.unwrap_or(units.default_skin());
    Ok((sys, PotentialProvider::new(pot, skin)?))
}

/// Parse comma-separated numbers of option `what` (e.g. `--atoms 1000,1000`).
pub fn number_list(text: &str, what: &str) -> Result<Vec<f64>> {
    text.split(',')
        .map(|w| w.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("{what} '{text}': expected comma-separated numbers"))
}

/// A progress bar of `len` MD steps (hidden when `quiet`).
pub fn progress(quiet: bool, steps: u64) -> indicatif::ProgressBar {
    progress_bar(
        quiet,
        steps,
        "{bar:40} {pos}/{len} steps ({per_sec}, ETA {eta})",
    )
}

/// A progress bar of `len` items drawn with the indicatif `template` (hidden when `quiet`).
pub fn progress_bar(quiet: bool, len: u64, template: &str) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// A spinner counting force evaluations of `what` (hidden when `quiet`).
pub fn spinner(quiet: bool, what: &str) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what}: {{pos}} force evaluations ({{per_sec}}) {{elapsed}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
