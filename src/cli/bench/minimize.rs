//! `pelkit bench minimize`: CG minimization of a Cu–Zr glass after a 1 % xy shear, pelkit (1 and
//! 2 threads) vs LAMMPS `minimize` (1 rank) from the same data file, same final energy.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::potential::Potential;

use super::anchor::{report, run_lammps};

#[derive(Args)]
pub struct MinimizeBenchArgs {
    /// Number of atoms of the Cu50Zr50 glass LAMMPS makes as input (density 0.0576 Å⁻³).
    #[arg(long, default_value_t = 50_000)]
    pub atoms: usize,
    /// Steps of the 2000 K → 300 K NVT quench that makes the glass (2 fs steps).
    #[arg(long, default_value_t = 2000)]
    pub quench_steps: usize,
    /// Force tolerance of both minimizations (eV/Å, Euclidean norm of the 3N vector).
    #[arg(long, default_value_t = 1e-3)]
    pub ftol: f64,
    /// Mendelev Cu–Zr eam/fs file.
    #[arg(long, default_value = "/usr/share/lammps/potentials/CuZr_mm.eam.fs")]
    pub potential: PathBuf,
    /// Thread counts to time pelkit with, comma separated.
    #[arg(long, default_value = "1,2")]
    pub threads: String,
    /// Working directory (default: a fresh temporary directory).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// The last "Loop time of T on" of a LAMMPS screen (the minimize loop).
fn loop_time(screen: &str) -> Option<Duration> {
    let line = screen
        .lines()
        .rev()
        .find(|l| l.starts_with("Loop time of"))?;
    let t: f64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(Duration::from_secs_f64(t))
}

pub fn run(args: MinimizeBenchArgs) -> Result<()> {
    if !args.potential.exists() {
        bail!(
            "{} not found (apt-get install lammps-data, or give --potential)",
            args.potential.display()
        );
    }
    let tmp;
    let dir = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.clone()
        }
        None => {
            tmp = tempfile_dir()?;
            tmp.clone()
        }
    };
    let pot = args.potential.display().to_string();
    let l = (args.atoms as f64 / 0.0576).cbrt();
    eprintln!(
        "making a {}-atom Cu-Zr glass with LAMMPS (untimed)…",
        args.atoms
    );
    run_lammps(
        &dir,
        &format!(
            "units metal\natom_style atomic\nregion box block 0 {l} 0 {l} 0 {l}\ncreate_box 2 box\n\
             create_atoms 1 random {} 1111 NULL overlap 2.0 maxtry 1000\n\
             create_atoms 2 random {} 2222 NULL overlap 2.0 maxtry 1000\n\
             pair_style eam/fs\npair_coeff * * {pot} Cu Zr\nneighbor 2.0 bin\n\
             minimize 0 1e-4 500 5000\nreset_timestep 0\nvelocity all create 2000 3333 mom yes\n\
             timestep 0.002\nfix q all nvt temp 2000 300 0.1\nrun {}\nunfix q\n\
             minimize 0 1e-3 2000 20000\nwrite_data glass.data\n",
            args.atoms / 2,
            args.atoms - args.atoms / 2,
            args.quench_steps
        ),
        1,
    )?;
    let sys0 = pelkit::io::read_configuration(&dir.join("glass.data"), None)?;
    let ly = sys0.simbox.lengths()[1];
    let delta = format!("{:.17e}", 0.01 * ly);
    let (_, screen) = run_lammps(
        &dir,
        &format!(
            "units metal\natom_style atomic\nread_data glass.data\npair_style eam/fs\n\
             pair_coeff * * {pot} Cu Zr\nneighbor 2.0 bin\nchange_box all triclinic\n\
             change_box all xy delta {delta} remap units box\n\
             minimize 0 {} 1000000 10000000\nprint \"PE_FINAL $(pe:%.17g)\"\n",
            args.ftol
        ),
        1,
    )?;
    let lammps_time = loop_time(&screen).context("no Loop time in LAMMPS output")?;
    let lammps_pe: f64 = screen
        .lines()
        .find_map(|l| l.strip_prefix("PE_FINAL "))
        .context("no PE_FINAL in LAMMPS output")?
        .trim()
        .parse()?;
    let lammps_stop = screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("Stopping criterion = "))
        .unwrap_or("?")
        .to_string();

    for t in args.threads.split(',') {
        let threads: usize = t.trim().parse().context("--threads")?;
        let mut sys = sys0.clone();
        make_triclinic(&mut sys);
        change_box(
            &mut sys,
            &[BoxOp::TiltDelta {
                tilt: 0,
                delta: delta.parse()?,
            }],
            true,
        )?;
        let potential =
            Potential::from_lammps_args("eam/fs", &[format!("* * {pot} Cu Zr")], &[], 2)?;
        let mut provider = PotentialProvider::new(potential, 2.0)?;
        let settings = MinimizeSettings::new(0.0, args.ftol, 1_000_000, 10_000_000, false);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let start = Instant::now();
        let summary = pool.install(|| minimize_cg(&mut sys, &mut provider, &settings))?;
        let ours = start.elapsed();
        report(
            &format!("minimize {} atoms, {threads} thread(s)", args.atoms),
            ours,
            "LAMMPS 1 rank",
            lammps_time,
        );
        let rel = (summary.energy_final - lammps_pe).abs() / lammps_pe.abs();
        println!(
            "    final energy {:.12e} eV vs LAMMPS {:.12e} eV (relative difference {rel:.1e}); \
             stop '{}' vs '{lammps_stop}'; {} iterations, {} force evaluations",
            summary.energy_final,
            lammps_pe,
            summary.stop,
            summary.iterations,
            summary.force_evaluations
        );
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let d = std::env::temp_dir().join(format!("pelkit-bench-minimize-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
