//! `pelkit quench`: make a glass by melt–quench–minimize from a random start (or a given file)
//! and write it as a LAMMPS data file.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::pair_args::PairArgs;

use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::quench::{
    default_min_distance, melt_quench_minimize, random_start, QuenchProtocol,
};
use pelkit::engine::thermostat_nh::default_t_damp;
use pelkit::engine::MinimizeSettings;
use pelkit::units::Units;
use pelkit::SimBox;

use super::common::{in_pool, load, number_list, progress, RunArgs};
use super::md::{print_thermo_header, print_thermo_row};

#[derive(Args)]
#[command(after_help = "\
Protocol (as a LAMMPS script would do it): minimize the start loosely (ftol 1e-6) to remove
overlaps; velocity create TMELT; NVT at TMELT for --melt-steps; NVT ramp TMELT -> TFINAL over
--quench-steps (Nose-Hoover, --tdamp); CG minimize to --ftol. Cooling rate = (TMELT-TFINAL) /
(quench-steps * timestep), printed at the end.

Examples:
  Cu50Zr50, 2000 atoms, 1e13 K/s (2000 K -> 300 K in 170 ps at 1 fs):
    pelkit quench --atoms 1000,1000 --density 0.0576 --pair-style eam/fs \\
      --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' --tmelt 2000 --tfinal 300 \\
      --melt-steps 20000 --quench-steps 170000 -o cuzr.data
  Kob-Andersen 80:20, 1000 atoms (units lj, density 1.2):
    pelkit quench --atoms 800,200 --density 1.2 --masses 1,1 --pair-style 'lj/cut 2.5' \\
      --pair-coeff '1 1 1.0 1.0 2.5' --pair-coeff '1 2 1.5 0.8 2.0' \\
      --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes' --tmelt 2.0 --tfinal 0.3 \\
      --quench-steps 20000 -o ka.data")]
pub struct QuenchArgs {
    /// Start from this configuration instead of a random one.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Random start: atoms per type, comma separated (e.g. 1000,1000).
    #[arg(long)]
    pub atoms: Option<String>,
    /// Random start: number density (atoms per volume: Å⁻³ in metal, σ⁻³ in lj); cubic box.
    #[arg(long)]
    pub density: Option<f64>,
    /// Random start: masses per type, comma separated (EAM files set them; needed for lj).
    #[arg(long)]
    pub masses: Option<String>,
    /// Random start: minimum distance between atoms. Default: 2.0 metal, 0.75 lj.
    #[arg(long)]
    pub min_distance: Option<f64>,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Melt temperature (K or ε/k_B).
    #[arg(long)]
    pub tmelt: f64,
    /// Final temperature of the ramp.
    #[arg(long)]
    pub tfinal: f64,
    /// Steps at TMELT before the ramp.
    #[arg(long, default_value_t = 0)]
    pub melt_steps: u64,
    /// Steps of the linear ramp (or give --rates).
    #[arg(long, required_unless_present = "rates", conflicts_with = "rates")]
    pub quench_steps: Option<u64>,
    /// Cooling rates (temperature per time unit: K/ps in metal), comma separated: one glass per
    /// rate from the same start and seed, written as OUTPUT with `_rate<R>` before the
    /// extension; the inherent-structure energy of each is reported (seed 001, Fig. 1a).
    #[arg(long)]
    pub rates: Option<String>,
    /// Timestep. Default: 0.001 (metal, ps), 0.005 (lj, τ).
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Thermostat damping time. Default: 100 timesteps.
    #[arg(long)]
    pub tdamp: Option<f64>,
    /// Seed of the random start and the velocities.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Force tolerance of the final minimization.
    #[arg(long, default_value_t = 1e-10)]
    pub ftol: f64,
    /// Thermo output every N steps.
    #[arg(long, default_value_t = 1000)]
    pub thermo: u64,
    /// Output data file of the glass (inherent structure).
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// Print one JSON object: pe_final (as LAMMPS thermo pe), cooling_rate, stop, iterations
    /// (with --rates: `samples`, one such object per rate, with its output file).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: QuenchArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let skin = units.default_skin();
    let (sys, provider) = match &args.input {
        Some(path) => load(path, &args.pair, units, None)?,
        None => {
            let (Some(atoms), Some(density)) = (&args.atoms, args.density) else {
                bail!("give --input FILE or both --atoms and --density for a random start");
            };
            let counts: Vec<usize> = number_list(atoms, "--atoms")?
                .iter()
                .map(|&c| c as usize)
                .collect();
            let pot = args.pair.potential(counts.len())?;
            let masses = match (pot.masses(), &args.masses) {
                (_, Some(m)) => number_list(m, "--masses")?,
                (Some(m), None) => m.to_vec(),
                (None, None) => bail!("--masses is needed for this pair style"),
            };
            let n: usize = counts.iter().sum();
            if density.is_nan() || density <= 0.0 {
                bail!("--density must be > 0");
            }
            let b = SimBox::cubic_for_density(n, density)?;
            let dmin = args.min_distance.unwrap_or(default_min_distance(units));
            let sys = random_start(b, &counts, &masses, dmin, args.seed)?;
            (sys, PotentialProvider::new(pot, skin)?)
        }
    };
    let dt = args.timestep.unwrap_or(units.default_dt());
    let jobs: Vec<(u64, PathBuf)> = match (&args.rates, args.quench_steps) {
        (Some(r), _) => {
            let rates = number_list(r, "--rates")?;
            if rates.is_empty() {
                bail!("--rates: give at least one cooling rate");
            }
            let mut jobs = Vec::new();
            for rate in rates {
                if !(rate.is_finite() && rate > 0.0) {
                    bail!("--rates: cooling rate {rate} must be > 0");
                }
                let steps = ((args.tmelt - args.tfinal).abs() / (rate * dt)).round() as u64;
                if steps == 0 {
                    bail!("--rates: cooling rate {rate} gives a ramp shorter than one step");
                }
                jobs.push((steps, rate_path(&args.output, rate)));
            }
            jobs
        }
        (None, Some(steps)) => vec![(steps, args.output.clone())],
        (None, None) => bail!("give --quench-steps or --rates"),
    };
    let mut samples = Vec::new();
    for (quench_steps, output) in &jobs {
        let mut sys = sys.clone();
        let mut provider = PotentialProvider::new(provider.potential().clone(), skin)?;
        samples.push(one_sample(
            &args,
            units,
            dt,
            &mut sys,
            &mut provider,
            *quench_steps,
            output,
        )?);
    }
    if args.json {
        if args.rates.is_some() {
            println!("{}", serde_json::json!({ "samples": samples }));
        } else {
            println!("{}", samples[0]);
        }
    } else if args.rates.is_some() {
        println!(
            "{:>14} {:>24} {:>20}  output",
            "cooling rate", "E_IS", "stop"
        );
        for s in &samples {
            println!(
                "{:>14.6e} {:>24.12e} {:>20}  {}",
                s["cooling_rate"].as_f64().unwrap_or(f64::NAN),
                s["pe_final"].as_f64().unwrap_or(f64::NAN),
                s["stop"].as_str().unwrap_or(""),
                s["output"].as_str().unwrap_or("")
            );
        }
    }
    Ok(())
}

/// `glass.data` + rate 0.3 -> `glass_rate0.3.data`.
fn rate_path(output: &std::path::Path, rate: f64) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match output.extension() {
        Some(e) => format!("{stem}_rate{rate}.{}", e.to_string_lossy()),
        None => format!("{stem}_rate{rate}"),
    };
    output.with_file_name(name)
}

#[allow(clippy::too_many_arguments)]
fn one_sample(
    args: &QuenchArgs,
    units: Units,
    dt: f64,
    sys: &mut pelkit::System,
    provider: &mut PotentialProvider,
    quench_steps: u64,
    output: &std::path::Path,
) -> Result<serde_json::Value> {
    let protocol = QuenchProtocol {
        units,
        dt,
        t_melt: args.tmelt,
        melt_steps: args.melt_steps,
        t_final: args.tfinal,
        quench_steps,
        t_damp: args.tdamp.unwrap_or(default_t_damp(dt)),
        seed: args.seed,
        minimize: MinimizeSettings::new(0.0, args.ftol, 100_000, 1_000_000, units.default_norm()),
        sample_every: args.thermo,
    };
    let natoms = sys.natoms();
    let per_atom = units.default_norm();
    let bar = progress(args.run.quiet || args.json, args.melt_steps + quench_steps);
    if !args.json {
        bar.suspend(print_thermo_header);
    }
    let json = args.json;
    let melt_steps = args.melt_steps;
    let mut on_sample = |stage: &str, _: &pelkit::System, m: &pelkit::engine::md::MdSample| {
        let offset = if stage == "quench" { melt_steps } else { 0 };
        bar.set_position(offset + m.step);
        if !json {
            bar.suspend(|| print_thermo_row(m, natoms, per_atom));
        }
    };
    let job = || melt_quench_minimize(sys, provider, &protocol, &mut on_sample);
    let result = in_pool(args.run.threads, job)?;
    bar.finish_and_clear();
    pelkit::io::data::write_data(output, sys)
        .with_context(|| format!("writing {}", output.display()))?;
    let report = result.context("quench failed (the last good configuration was written)")?;
    let value = serde_json::json!({
        "natoms": natoms,
        "units": units.name(),
        "pe_final": report.minimize.energy_final,
        "pe_per_atom": report.minimize.energy_per_atom,
        "e_is_per_atom": report.minimize.energy_total_final / natoms as f64,
        "cooling_rate": report.cooling_rate,
        "stop": report.minimize.stop.as_str(),
        "iterations": report.minimize.iterations,
        "output": output.display().to_string(),
    });
    if !args.json {
        println!(
            "cooling rate {:.6e} per time unit; inherent structure pe {:.12e}{}; minimize: {} \
             after {} iterations",
            report.cooling_rate,
            report.minimize.energy_final,
            if per_atom { " per atom" } else { "" },
            report.minimize.stop,
            report.minimize.iterations
        );
    }
    Ok(value)
}
