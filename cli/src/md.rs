//! `pelkit md`: NVE or Nosé–Hoover NVT molecular dynamics of a configuration, optionally with a
//! temperature ramp and oscillatory shear of the box, printing a thermo table.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::pair_args::PairArgs;

use pelkit::engine::md::{run_md, MdSample, MdSettings, Wiggle};
use pelkit::engine::thermostat_nh::NoseHooverSettings;
use pelkit::engine::velocity::create_velocities;

use super::common::{in_pool, load, progress, RunArgs};

#[derive(Args)]
#[command(after_help = "\
Integration follows LAMMPS `run` with `fix nve` or `fix nvt` (Nose-Hoover chain of 3, tloop 1,
the same operation order) and `fix deform N xy wiggle A Tp remap x flip yes units box`.
Thermo columns: step, temp, pe, ke, etotal, press, pxy, xy (energies per atom in lj units as
LAMMPS prints them, totals in metal; pressure in bar (metal) or ε/σ³ (lj), positive = compressive).

Examples:
  NVT at 300 K for 10 ps of a Cu-Zr glass with oscillatory shear (strain amplitude 2 %, 10 ps):
    pelkit md glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
      --temp 300 --nvt '300 300 0.1' --steps 10000 --wiggle 'xy 0.02 10' --thermo 100")]
pub struct MdArgs {
    /// Configuration: a LAMMPS data file or dump (last frame). Velocities in the file are used
    /// unless --temp is given.
    pub input: PathBuf,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Number of steps.
    #[arg(long)]
    pub steps: u64,
    /// Timestep (ps in metal, τ in lj). Default: 0.001 metal, 0.005 lj.
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Create Maxwell-Boltzmann velocities at this temperature (K or ε/k_B), zero momentum,
    /// exact temperature with 3N-3 degrees of freedom.
    #[arg(long)]
    pub temp: Option<f64>,
    /// Seed of --temp.
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Nose-Hoover thermostat `TSTART TSTOP TDAMP` (linear ramp from TSTART to TSTOP over the
    /// run; TDAMP in time units, ~100 timesteps is typical). Without it: NVE.
    #[arg(long)]
    pub nvt: Option<String>,
    /// Oscillatory shear `COMPONENT STRAIN PERIOD`: tilt = tilt0 + STRAIN·L·sin(2πt/PERIOD),
    /// L = ly for xy, lz for xz/yz; PERIOD in time units. The box must be triclinic.
    #[arg(long)]
    pub wiggle: Option<String>,
    /// Change the box every N steps during --wiggle.
    #[arg(long, default_value_t = 1)]
    pub wiggle_every: u64,
    /// Thermo output every N steps (and the last step).
    #[arg(long, default_value_t = 100)]
    pub thermo: u64,
    /// Write the final configuration (with velocities) as a LAMMPS data file.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Write a trajectory dump (id type x y z ix iy iz) at every thermo step, frame by
    /// frame as the run goes (each frame flushed to the file when written; gzip if FILE ends in
    /// `.gz`).
    #[arg(long)]
    pub dump: Option<PathBuf>,
    /// Print one JSON object {"samples": [...]} with every thermo sample instead of the table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn parse_nvt(text: &str) -> Result<NoseHooverSettings> {
    let v: Vec<f64> = text
        .split_whitespace()
        .map(|w| w.parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("--nvt '{text}': expected TSTART TSTOP TDAMP"))?;
    if v.len() != 3 {
        bail!("--nvt '{text}': expected three numbers TSTART TSTOP TDAMP");
    }
    Ok(NoseHooverSettings::new(v[0], v[1], v[2]))
}

pub fn print_thermo_header() {
    println!(
        "{:>10} {:>14} {:>16} {:>16} {:>16} {:>14} {:>14} {:>14}",
        "Step", "Temp", "PotEng", "KinEng", "TotEng", "Press", "Pxy", "Xy"
    );
}

pub fn print_thermo_row(s: &MdSample, natoms: usize, per_atom: bool) {
    let k = if per_atom { natoms as f64 } else { 1.0 };
    println!(
        "{:>10} {:>14.8} {:>16.10} {:>16.10} {:>16.10} {:>14.6} {:>14.6} {:>14.8}",
        s.step,
        s.temperature,
        s.pe / k,
        s.ke / k,
        s.etotal / k,
        s.pressure,
        s.pressure_tensor[3],
        s.tilt[0]
    );
}

pub fn run(args: MdArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let (mut sys, mut provider) = load(&args.input, &args.pair, units, None)?;
    if let Some(t) = args.temp {
        create_velocities(&mut sys, t, args.seed, units)?;
    } else if sys.velocities.is_none() {
        bail!("{} has no velocities: give --temp T", args.input.display());
    }
    let wiggle = match &args.wiggle {
        Some(w) => {
            let p: Vec<&str> = w.split_whitespace().collect();
            if p.len() != 3 {
                bail!("--wiggle '{w}': expected COMPONENT STRAIN PERIOD, e.g. 'xy 0.02 10'");
            }
            let tilt = match p[0] {
                "xy" => 0,
                "xz" => 1,
                "yz" => 2,
                other => bail!("--wiggle: unknown component '{other}' (xy, xz, yz)"),
            };
            let strain: f64 = p[1].parse().context("--wiggle STRAIN")?;
            let period: f64 = p[2].parse().context("--wiggle PERIOD")?;
            let l = sys.simbox.lengths();
            let len = if tilt == 0 { l[1] } else { l[2] };
            if !sys.simbox.triclinic {
                sys.simbox.triclinic = true;
            }
            Some(Wiggle {
                tilt,
                amplitude: strain * len,
                period,
                every: args.wiggle_every,
                flip: true,
            })
        }
        None => None,
    };
    let settings = MdSettings {
        units,
        dt: args.timestep.unwrap_or(units.default_dt()),
        steps: args.steps,
        thermostat: args.nvt.as_deref().map(parse_nvt).transpose()?,
        wiggle,
        sample_every: args.thermo,
    };
    let natoms = sys.natoms();
    let per_atom = units.default_norm();
    let bar = progress(args.run.quiet || args.json, args.steps);
    if !args.json {
        bar.suspend(print_thermo_header);
    }
    // Frames are written (and flushed) as the run produces them, never collected: a reader
    // sees every finished frame during the run, and memory does not grow with its length.
    let mut dump = args
        .dump
        .as_deref()
        .map(pelkit::io::dump::DumpWriter::create)
        .transpose()?;
    let mut dump_error: Option<anyhow::Error> = None;
    let json = args.json;
    let mut on_sample = |s: &pelkit::System, m: &MdSample| {
        bar.set_position(m.step);
        if !json {
            bar.suspend(|| print_thermo_row(m, natoms, per_atom));
        }
        if let Some(w) = dump.as_mut().filter(|_| dump_error.is_none()) {
            let written = pelkit::io::dump::system_frame(s, m.step, &[])
                .map_err(anyhow::Error::from)
                .and_then(|f| Ok(w.write_frame(&f)?))
                .and_then(|()| Ok(w.flush()?));
            dump_error = written.err();
        }
    };
    let job = || run_md(&mut sys, &mut provider, &settings, &mut on_sample);
    let result = in_pool(args.run.threads, job)?;
    bar.finish_and_clear();
    if let (Some(path), Some(w)) = (&args.dump, dump) {
        if let Some(e) = dump_error {
            return Err(e.context(format!("writing {}", path.display())));
        }
        w.finish()
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.output {
        pelkit::io::data::write_data(path, &sys)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let samples = result.context("MD run failed (the last good configuration was kept)")?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({ "units": units.name(), "natoms": natoms, "samples": samples })
        );
    }
    Ok(())
}
