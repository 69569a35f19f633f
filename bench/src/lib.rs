//! `pelkit bench WHAT`: time a hot path and, in the same run, the anchor that does the same job
//! (LAMMPS, OVITO, SciPy, ASE…), printing both times and their ratio. One file per benchmark.

pub mod anchor;
mod art;
mod cpu_time;
mod cuzr_glass;
mod cyclic;
mod data_read;
mod dmin;
mod dms;
mod dump;
mod eam_read;
mod eval;
mod md;
mod minimize;
mod plugin_pair;
mod probe;
mod python_eval;
mod rdf;
pub mod voronoi;
mod voronoi_end_to_end;

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
    /// Parse a 50,000-atom x 40-frame text dump (every value) with 1 and 2 threads; OVITO and
    /// ASE load the same file in the same run.
    Dump(dump::DumpBenchArgs),
    /// Neighbor list + energy/force/virial: 50k-atom Cu50Zr50 eam/fs and Kob-Andersen vs LAMMPS.
    Eval(eval::EvalBenchArgs),
    /// Exact IS D_min: pelkit vs SciPy dense linear_sum_assignment, then 50k and 250k atoms.
    Dmin(dmin::DminBenchArgs),
    /// Voronoi tessellation with indices (50k/250k atoms) vs OVITO and LAMMPS voronoi/atom;
    /// end to end (read + tessellate + write -o) vs OVITO import + compute + export.
    Voronoi(voronoi::VoronoiBenchArgs),
    /// Read a generated LAMMPS data file: pelkit vs LAMMPS read_data and ASE.
    DataRead(data_read::DataReadArgs),
    /// CG minimization of a sheared Cu-Zr glass vs LAMMPS minimize (same file, same energy).
    Minimize(minimize::MinimizeBenchArgs),
    /// LAMMPS NVE steps/s with pair_style pelkit/eam (the plugin) vs LAMMPS eam/fs, 1 and 2
    /// MPI ranks, ~49k-atom Cu50Zr50.
    PluginPair(plugin_pair::PluginPairBenchArgs),
    /// Intra-cage cyclic loading (load, relax, unload, relax per γ) of a Cu-Zr glass vs the same
    /// change_box + minimize loop in LAMMPS.
    Cyclic(cyclic::CyclicBenchArgs),
    /// One MD-DMS period (NVT + xy wiggle, 10 cycles) of a 9,088-atom KA system vs LAMMPS.
    Dms(dms::DmsBenchArgs),
    /// ART nouveau events/s (255-atom Cu vacancy) and the vacancy-hop NEB vs LAMMPS neb.
    Art(art::ArtBenchArgs),
    /// NVE and Nose-Hoover NVT steps/s of a Cu-Zr glass vs LAMMPS run (same file, skin, dt).
    Md(md::MdBenchArgs),
    /// Single-atom probes of every atom x 36x72 directions of a Cu-Zr glass vs LAMMPS set atom +
    /// run 0 per probe (100 timed, extrapolated).
    Probe(probe::ProbeBenchArgs),
    /// pelkit.evaluate (the Python package) on 50k atoms vs the same library kernel in-process.
    PythonEval(python_eval::PythonEvalBenchArgs),
    Rdf(rdf::RdfBenchArgs),
}

pub fn run(args: BenchArgs) -> Result<()> {
    match args.what {
        BenchWhat::EamRead(a) => eam_read::run(a),
        BenchWhat::Dump(a) => dump::run(a),
        BenchWhat::Eval(a) => eval::run(a),
        BenchWhat::Dmin(a) => dmin::run(a),
        BenchWhat::Voronoi(a) => voronoi::run(a),
        BenchWhat::DataRead(a) => data_read::run(a),
        BenchWhat::Minimize(a) => minimize::run(a),
        BenchWhat::PluginPair(a) => plugin_pair::run(a),
        BenchWhat::Md(a) => md::run(a),
        BenchWhat::Probe(a) => probe::run(a),
        BenchWhat::PythonEval(a) => python_eval::run(a),
        BenchWhat::Cyclic(a) => cyclic::run(a),
        BenchWhat::Rdf(a) => rdf::run(a),
        BenchWhat::Dms(a) => dms::run(a),
        BenchWhat::Art(a) => art::run(a),
    }
}
