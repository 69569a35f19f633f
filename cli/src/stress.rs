//! `pelkit stress`: atomic-level stress (Egami) of a configuration — per-atom virial from a
//! LAMMPS-style potential, per-atom volume from the Voronoi tessellation or a dump column.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::common::in_pool;

use super::pair_args::PairArgs;

use pelkit::analysis::atomic_stress::atomic_stresses;
use pelkit::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit::io::dump::{positions_frame, write_dump, DumpFile};
use pelkit::io::read_configuration;

#[derive(Args)]
#[command(after_help = "\
Sign conventions (LAMMPS):
  sxx … syz  per-atom stress as LAMMPS compute stress/atom NULL: S = −(m v⊗v + W_i), pressure·volume
             units (bar·Å³ in metal units); Σ_i S_i / V = −(LAMMPS pressure tensor).
  volume     per-atom volume Ω_i (Voronoi cell by default).
  pxx … pyz  atomic pressure tensor −S_i/Ω_i (pressure units; positive = compressed). The atomic
             stress in the mechanics sign (tension positive) is σ_i = S_i/Ω_i = −p_i tensor.
  p          hydrostatic atomic pressure (pxx + pyy + pzz)/3.
  vm         von Mises shear stress √J₂ of σ_i (the von Mises equivalent stress is √3·vm).
Example (Mendelev Cu-Zr):
  pelkit stress glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    -o stress.dump --json")]
pub struct StressArgs {
    /// Configuration: LAMMPS data file or text dump (last frame; velocities, if present, give
    /// the kinetic part as in stress/atom).
    pub input: PathBuf,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Per-atom volume: `voronoi` (default; plain Voronoi cells) or the name of a column of the
    /// input dump holding volumes.
    #[arg(long, default_value = "voronoi")]
    pub volume: String,
    /// Ignore velocities: virial part only (LAMMPS `compute stress/atom NULL virial`).
    #[arg(long)]
    pub virial_only: bool,
    /// Per-atom output: LAMMPS text dump sorted by id, columns
    /// `id type x y z pe sxx syy szz sxy sxz syz volume pxx pyy pzz pxy pxz pyz p vm`.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object: natoms, pe, box volume, Σ volumes, pressure tensor −ΣS/V,
    /// mean and standard deviation of atomic p and vm.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub pool: crate::common::ThreadsArg,
}

pub fn run(args: StressArgs) -> Result<()> {
    let mut sys = read_configuration(&args.input, None)?;
    if args.virial_only {
        sys.velocities = None;
    }
    let pot = args.pair.potential_with_masses(&mut sys)?;
    let units = args.pair.output_units()?;
    let work = || -> Result<_> {
        let ev = pot.evaluate_system(&sys)?;
        let volumes = if args.volume == "voronoi" {
            tessellate(&sys, &VoronoiOptions::default())?.volumes
        } else {
            volume_column(&args, &sys)?
        };
        Ok((ev, volumes))
    };
    let (ev, volumes) = in_pool(args.pool.threads, work)??;
    let s = ev.stress_atom(&sys, units);
    let stresses = atomic_stresses(&s, &volumes).context("atomic stress")?;
    let n = sys.natoms();
    if let Some(path) = &args.output {
        let mut columns: Vec<(String, Vec<f64>)> = Vec::new();
        columns.push(("pe".into(), ev.per_atom_energy.clone()));
        for (k, name) in ["sxx", "syy", "szz", "sxy", "sxz", "syz"]
            .iter()
            .enumerate()
        {
            columns.push((name.to_string(), s.iter().map(|v| v[k]).collect()));
        }
        columns.push(("volume".into(), volumes.clone()));
        for (k, name) in ["pxx", "pyy", "pzz", "pxy", "pxz", "pyz"]
            .iter()
            .enumerate()
        {
            columns.push((
                name.to_string(),
                stresses.iter().map(|a| a.pressure_tensor()[k]).collect(),
            ));
        }
        columns.push(("p".into(), stresses.iter().map(|a| a.pressure).collect()));
        columns.push(("vm".into(), stresses.iter().map(|a| a.von_mises).collect()));
        let extra: Vec<(&str, &[f64])> = columns
            .iter()
            .map(|(name, values)| (name.as_str(), values.as_slice()))
            .collect();
        let mut frame = positions_frame(&sys, 0, &extra)?;
        frame.boundary = sys.simbox.periodic.map(|p| {
            if p {
                "pp".to_string()
            } else {
                "ff".to_string()
            }
        });
        write_dump(path, &[frame])?;
    }
    // S is already in pressure·volume units: −ΣS/V is the pressure tensor.
    let pressure =
        pelkit::analysis::atomic_stress::pressure_tensor_from_virials(&s, sys.simbox.volume());
    let mean_sd = |f: &dyn Fn(usize) -> f64| {
        let m = (0..n).map(f).sum::<f64>() / n.max(1) as f64;
        let v = (0..n).map(|i| (f(i) - m).powi(2)).sum::<f64>() / n.max(1) as f64;
        (m, v.sqrt())
    };
    let (pm, ps) = mean_sd(&|i| stresses[i].pressure);
    let (vm, vs) = mean_sd(&|i| stresses[i].von_mises);
    let obj = serde_json::json!({
        "natoms": n,
        "pe": ev.energy,
        "box_volume": sys.simbox.volume(),
        "total_atomic_volume": volumes.iter().sum::<f64>(),
        "pressure": pressure,
        "atomic_pressure_mean": pm,
        "atomic_pressure_std": ps,
        "von_mises_mean": vm,
        "von_mises_std": vs,
    });
    if args.json {
        println!("{obj}");
    } else {
        println!("{}", serde_json::to_string_pretty(&obj)?);
    }
    Ok(())
}

/// Per-atom volumes from a column of the input dump (last frame), in the system's atom order.
fn volume_column(args: &StressArgs, sys: &pelkit::System) -> Result<Vec<f64>> {
    let dump = DumpFile::open(&args.input)
        .with_context(|| format!("--volume {}: the input must be a dump", args.volume))?;
    let n = dump.frames();
    if n == 0 {
        bail!("{}: the dump holds no complete frame", args.input.display());
    }
    let frame = dump.frame(n - 1)?;
    let col = frame.column(&args.volume).with_context(|| {
        format!(
            "{}: no column `{}` (columns: {})",
            args.input.display(),
            args.volume,
            frame.columns.join(" ")
        )
    })?;
    if frame.ids != sys.ids {
        bail!("internal: dump atom order differs from the configuration's");
    }
    Ok(col.to_vec())
}
