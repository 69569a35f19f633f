//! The `pelkit` command line: one subcommand per job. Errors are reported with their full
//! context chain on stderr and a non-zero exit status.
//!
//! Subcommand dispatch (`pelkit bench` lives in the `pelkit-bench` crate). Conventions every
//! subcommand follows:
//! * `--json` prints exactly one JSON object on stdout;
//! * per-atom results go to `-o FILE` as a LAMMPS text dump sorted by id;
//! * potentials are given LAMMPS-style: `--pair-style eam/fs --pair-coeff "* * CuZr.eam.fs Cu Zr"`
//!   (repeatable `--pair-coeff`, `--pair-modify "shift yes"`);
//! * errors go to stderr with a non-zero exit status.

use anyhow::Result;
use clap::{Parser, Subcommand};

mod ageing_map;
mod anneal;
mod art;
mod barriers;
mod check;
mod common;
mod convert;
mod correlate;
mod cyclic;
mod d2min;
mod demo;
mod dmin;
mod dms;
mod eval;
mod fit;
mod learn;
mod md;
mod minimize;
mod neb;
mod pair_args;
mod plot;
mod potential;
mod probe;
mod quench;
mod rdf;
mod stiffness;
mod stress;
mod table;
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
    Minimize(minimize::MinimizeCmdArgs),
    /// Molecular dynamics: NVE, Nose-Hoover NVT (with ramp), oscillatory shear; thermo table.
    Md(md::MdArgs),
    /// Make a glass: random start, melt, quench at a chosen rate, minimize, write a data file.
    Quench(quench::QuenchArgs),
    /// Voronoi tessellation: per-atom volumes, coordination and Voronoi indices (OVITO's rules).
    Voronoi(voronoi::VoronoiArgs),
    /// Atomic-level stress: per-atom stress/atom, Voronoi volume, atomic pressure and von Mises.
    Stress(stress::StressArgs),
    Dmin(dmin::DminArgs),
    /// Single-atom probes: per-atom Omega(dE_atom<0)/4pi, min dE_atom, dr_min; maps and histograms.
    Probe(probe::ProbeArgs),
    D2min(d2min::D2minArgs),
    /// Intra-cage cyclic loading: load by γ, relax, unload, relax; δ(γ), Θ(γ), Δσ histograms.
    Cyclic(cyclic::CyclicArgs),
    /// Radial distribution functions: total/partial g(r) (OVITO's normalisation), S(q), and
    /// per-atom g_i(r) descriptors (seed 003).
    Rdf(rdf::RdfArgs),
    /// Atomic stiffness K_i = k_BT/<|Δr_i|²> from NVT runs or a dump trajectory (seed 003).
    Stiffness(stiffness::StiffnessArgs),
    /// Fit and apply per-atom regression models (40-200-1 network, ridge) on dump columns.
    Learn(learn::LearnArgs),
    /// Pearson and Spearman correlation of two per-atom dump columns (atoms matched by id).
    Correlate(correlate::CorrelateArgs),
    /// MD-DMS: oscillatory-shear NVT runs over periods t_w with fits of G', G'', δ and the IS
    /// D_min per period; `dms fit` fits a LAMMPS log or fix ave/time record the same way.
    Dms(dms::DmsArgs),
    /// Fits across runs: power law (δ vs IS D_min/r0), KWW stretched exponential, cosh rate law.
    Fit(fit::FitArgs),
    /// ART nouveau: saddle points and neighbouring minima from random local activations.
    Art(art::ArtArgs),
    /// Climbing-image nudged elastic band between two minima (as LAMMPS neb).
    Neb(neb::NebArgs),
    /// Barrier spectra, C vs L and tortuosity from events tables; paths re-rendered under shear.
    Barriers(barriers::BarriersArgs),
    /// Isothermal NVT annealing with inherent-structure tracking (seed 001): E_IS, shear stress
    /// of the instantaneous and IS state every Δt; independent runs in parallel; resumable CSV.
    Anneal(anneal::AnnealArgs),
    /// Ageing-rate maps Φ(E_IS, T) from IS series, the loaded/unloaded ratio f, stress per
    /// pixel and the fit f = κ cosh(τ V_act / k_B T).
    AgeingMap(ageing_map::AgeingMapArgs),
    /// Time a hot path next to its anchor (LAMMPS, OVITO, SciPy…) in the same run.
    Bench(pelkit_bench::BenchArgs),
}

fn run() -> Result<()> {
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
        Command::Probe(a) => probe::run(a),
        Command::D2min(a) => d2min::run(a),
        Command::Cyclic(a) => cyclic::run(a),
        Command::Rdf(a) => rdf::run(a),
        Command::Stiffness(a) => stiffness::run(a),
        Command::Learn(a) => learn::run(a),
        Command::Correlate(a) => correlate::run(a),
        Command::Dms(a) => dms::run(a),
        Command::Fit(a) => fit::run(a),
        Command::Art(a) => art::run(a),
        Command::Neb(a) => neb::run(a),
        Command::Barriers(a) => barriers::run(a),
        Command::Anneal(a) => anneal::run(a),
        Command::AgeingMap(a) => ageing_map::run(a),
        Command::Bench(a) => pelkit_bench::run(a),
    }
}

fn main() {
    keep_freed_memory();
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

/// Let glibc keep large freed blocks for reuse instead of returning them to the kernel: repeated
/// neighbor-list builds and force evaluations (minimize, md, bench) then reuse warm pages
/// rather than page-faulting fresh ones on every call (a third of a list build's time
/// otherwise). Memory stays bounded by the largest working set; process-wide, binary only.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const ONE_GIB: libc::c_int = 1 << 30;
        // SAFETY: mallopt only changes allocator tuning parameters; it is called before any
        // other thread exists, and both values are valid for these parameters.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, ONE_GIB);
            libc::mallopt(libc::M_TRIM_THRESHOLD, ONE_GIB);
        }
    }
}
