//! `pelkit eval`: one energy/force/virial evaluation of a configuration with a LAMMPS-style
//! potential, printing totals and writing per-atom energies, forces and stresses.

use pelkit::units::Units;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use super::common::in_pool;

use super::pair_args::PairArgs;

use pelkit::io::dump::{positions_frame, write_dump};
use pelkit::io::read_configuration;
use pelkit::potential::Evaluation;
use pelkit::System;

#[derive(Args)]
#[command(after_help = "\
Examples (one command line each):
  Kob-Andersen 80:20, truncated and shifted (units lj):
    pelkit eval ka.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5' \\
      --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes'
  50:50 binary LJ (Wahnstrom: sigma_BB = 5/6, sigma_AB = 11/12 by arithmetic mixing;
  cutoff 2.5 for every pair here):
    pelkit eval w.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0' \\
      --pair-coeff '2 2 1.0 0.8333333333333334' --pair-modify 'mix arithmetic' --pair-modify 'shift yes'
  WCA (purely repulsive LJ, rc = 2^(1/6) sigma):
    pelkit eval x.data --pair-style 'lj/cut 1.122462048309373' --pair-coeff '* * 1.0 1.0' \\
      --pair-modify 'shift yes'
  Mendelev Cu-Zr (units metal):
    pelkit eval cuzr.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr'")]
pub struct EvalArgs {
    /// Configuration: a LAMMPS data file (atom_style atomic or charge; `Velocities` are used
    /// for the kinetic part of the pressure) or a text dump (optionally .gz).
    pub input: PathBuf,
    /// Frame of a dump, 0-based (default: the last frame).
    #[arg(long)]
    pub frame: Option<usize>,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Write per-atom results as a LAMMPS text dump sorted by id, columns
    /// `id type x y z fx fy fz pe sxx syy szz sxy sxz syz` (pe as compute pe/atom; s** as
    /// compute stress/atom NULL: pressure·volume units, e.g. bar·Å³, sign of LAMMPS, kinetic
    /// part included when velocities are given).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object {"natoms","pe","pressure":[xx,yy,zz,xy,xz,yz],"volume"}
    /// (energy and pressure units of the unit system, e.g. eV and bar for metal).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub pool: crate::common::ThreadsArg,
}

pub fn run(args: EvalArgs) -> Result<()> {
    let mut sys = read_configuration(&args.input, args.frame)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let pot = args.pair.potential_with_masses(&mut sys)?;
    let units = args.pair.output_units()?;
    let ev = in_pool(args.pool.threads, || pot.evaluate_system(&sys))??;
    let pressure = ev.pressure_tensor(&sys, units);
    if let Some(path) = &args.output {
        write_per_atom_dump(path, &sys, &ev, units)?;
    }
    if args.json {
        let obj = serde_json::json!({
            "natoms": sys.natoms(),
            "pe": ev.energy,
            "pressure": pressure,
            "volume": sys.simbox.volume(),
        });
        println!("{obj}");
    } else {
        println!("atoms           {}", sys.natoms());
        println!("potential energy {:.10e}", ev.energy);
        println!(
            "pressure        {:.10e} (xx {:.6e} yy {:.6e} zz {:.6e} xy {:.6e} xz {:.6e} yz {:.6e})",
            (pressure[0] + pressure[1] + pressure[2]) / 3.0,
            pressure[0],
            pressure[1],
            pressure[2],
            pressure[3],
            pressure[4],
            pressure[5]
        );
        println!("volume          {:.10e}", sys.simbox.volume());
    }
    Ok(())
}

fn write_per_atom_dump(path: &Path, sys: &System, ev: &Evaluation, units: Units) -> Result<()> {
    let stress = ev.stress_atom(sys, units);
    let mut owned: Vec<(&str, Vec<f64>)> = ["fx", "fy", "fz"]
        .iter()
        .enumerate()
        .map(|(d, &name)| (name, ev.forces.iter().map(|f| f[d]).collect()))
        .collect();
    owned.push(("pe", ev.per_atom_energy.clone()));
    for (k, &name) in ["sxx", "syy", "szz", "sxy", "sxz", "syz"]
        .iter()
        .enumerate()
    {
        owned.push((name, stress.iter().map(|s| s[k]).collect()));
    }
    let extra: Vec<(&str, &[f64])> = owned.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let frame = positions_frame(sys, 0, &extra)?;
    write_dump(path, &[frame])?;
    Ok(())
}
