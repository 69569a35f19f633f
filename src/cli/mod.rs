//! Subcommand dispatch. Conventions every subcommand follows:
//! * `--json` prints exactly one JSON object on stdout;
//! * per-atom results go to `-o FILE` as a LAMMPS text dump sorted by id;
//! * potentials are given LAMMPS-style: `--pair-style eam/fs --pair-coeff "* * CuZr.eam.fs Cu Zr"`
//!   (repeatable `--pair-coeff`, `--pair-modify "shift yes"`);
//! * errors go to stderr with a non-zero exit status.

use anyhow::Result;
use clap::{Parser, Subcommand};

pub mod art;
mod barriers;
mod bench;
mod check;
mod convert;
mod d2min;
mod demo;
mod dmin;
mod eval;
mod md;
mod minimize;
mod neb;
mod pair_args;
pub mod plot;
mod potential;
mod quench;
mod stress;
mod voronoi;

#[derive(Parser)]
#[command(
    name = "pelkit",
    version,
    about = "Potential-energy-landscape toolkit for glasses simulated with LAMMPS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: make a small Cu–Zr glass with the generated potential and analyse it.
    Demo(demo::DemoArgs),
    /// Validate a data, dump, EAM potential or log file completely and report what it holds
    /// (exit 2 when problems are found).
    Check(check::CheckArgs),
    Convert(convert::ConvertArgs),
    /// Inspect EAM potential files; generate Zhou–Johnson–Wadley (2004) eam/alloy files.
    Potential(potential::PotentialArgs),
    /// Energy, pressure, forces and per-atom stress of a configuration with a LAMMPS-style potential.
    Eval(eval::EvalArgs),
    /// Minimize the energy (LAMMPS cg or fire), optionally after an affine shear/strain.
    Minimize(minimize::MinimizeArgs),
    /// Molecular dynamics: NVE, Nose-Hoover NVT (with ramp), oscillatory shear; thermo table.
    Md(md::MdArgs),
    /// Make a glass: random start, melt, quench at a chosen rate, minimize, write a data file.
    Quench(quench::QuenchArgs),
    /// Voronoi tessellation: per-atom volumes, coordination and Voronoi indices (OVITO's rules).
    Voronoi(voronoi::VoronoiArgs),
    /// Atomic-level stress: per-atom stress/atom, Voronoi volume, atomic pressure and von Mises.
    Stress(stress::StressArgs),
    Dmin(dmin::DminArgs),
    D2min(d2min::D2minArgs),
    /// ART nouveau: saddle points and neighbouring minima from random local activations.
    Art(art::ArtArgs),
    /// Climbing-image nudged elastic band between two minima (as LAMMPS neb).
    Neb(neb::NebArgs),
    /// Barrier spectra, C vs L and tortuosity from events tables; paths re-rendered under shear.
    Barriers(barriers::BarriersArgs),
    /// Time a hot path next to its anchor (LAMMPS, OVITO, SciPy…) in the same run.
    Bench(bench::BenchArgs),
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Check(a) => check::run(a),
        Command::Convert(a) => convert::run(a),
        Command::Potential(a) => potential::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Minimize(a) => minimize::run(a),
        Command::Md(a) => md::run(a),
        Command::Quench(a) => quench::run(a),
        Command::Voronoi(a) => voronoi::run(a),
        Command::Stress(a) => stress::run(a),
        Command::Dmin(a) => dmin::run(a),
        Command::D2min(a) => d2min::run(a),
        Command::Art(a) => art::run(a),
        Command::Neb(a) => neb::run(a),
        Command::Barriers(a) => barriers::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
