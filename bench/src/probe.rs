//! `pelkit bench probe`: single-atom probes of every atom of a Cu–Zr (Mendelev eam/fs) glass
//! along a 36×72 (θ, φ) grid at one dr (dE_atom only, as for Ω maps) with pelkit, next to the
//! time LAMMPS needs for the same count of probes as `set atom` + `run 0` (one whole-system
//! evaluation each), measured on 100 probes and extrapolated.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::analysis::probe::per_atom::ScanOptions;
use pelkit::analysis::probe::{scan_atoms, Directions, LocalProbe};
use pelkit::potential::Potential;

use super::anchor::{report, run_lammps};
use super::cpu_time::process_cpu;
use super::cuzr_glass::GlassArgs;

#[derive(Args)]
#[command(after_help = "\
pelkit: LocalProbe set-up (full neighbour list with skin dr, densities) + every atom x every
direction at one dr, dE_atom only (what Omega, min dE_atom and the maps need), timed per thread
count; wall and process CPU seconds. LAMMPS: the same data file and potential, `run 0` once,
then N_LAMMPS probes of `set atom ID x y z` + `run 0` (neighbour list and forces rebuilt per
probe, the cheapest way LAMMPS gives dE of a displaced atom), minus the same script without the
probes; the per-probe wall time is extrapolated to atoms x directions. Speed-up = LAMMPS
extrapolated / pelkit.

Examples:
  pelkit bench probe                      # 50,000 atoms (glass made once by LAMMPS, cached)
  pelkit bench probe --atoms 5000 --threads 1,2
  pelkit bench probe --input my_glass.data --grid 18x36")]
pub struct ProbeBenchArgs {
    #[command(flatten)]
    pub glass: GlassArgs,
    /// Direction grid NTHETAxNPHI.
    #[arg(long, default_value = "36x72")]
    pub grid: String,
    /// Probe displacement (Å).
    #[arg(long, default_value_t = 0.01)]
    pub dr: f64,
    /// Thread counts to time pelkit with, comma separated.
    #[arg(long, default_value = "2")]
    pub threads: String,
    /// Number of LAMMPS probes timed.
    #[arg(long, default_value_t = 100)]
    pub lammps_probes: usize,
}

pub fn run(args: ProbeBenchArgs) -> Result<()> {
    let glass = args.glass.glass()?;
    let sys = pelkit::io::read_configuration(&glass, None)
        .with_context(|| format!("reading {}", glass.display()))?;
    let pot = Potential::from_lammps_args("eam/fs", &[args.glass.pair_coeff()], &[], sys.ntypes)?;
    let (nt, np) = args
        .grid
        .split_once('x')
        .context("--grid: expected NTHETAxNPHI")?;
    let dirs = Directions::grid(nt.trim().parse()?, np.trim().parse()?)?;
    let natoms = sys.natoms();
    let count = natoms as f64 * dirs.len() as f64;
    println!(
        "{natoms} atoms x {} directions x 1 dr = {count:.3e} probes (dr {} Å); load: {}",
        dirs.len(),
        args.dr,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );

    // LAMMPS: N probes minus none.
    let work = std::env::temp_dir().join(format!("pelkit-bench-probe-{}", std::process::id()));
    let lammps_time = |n: usize| -> Result<Duration> {
        let dir = work.join(format!("n{n}"));
        std::fs::create_dir_all(&dir)?;
        let mut script = format!(
            "units metal\natom_style atomic\natom_modify map array\nread_data {}\n\
             pair_style eam/fs\npair_coeff {}\nneighbor 1.0 bin\nthermo_style custom step pe\n\
             run 0\n",
            glass.display(),
            args.glass.pair_coeff()
        );
        for k in 0..n {
            let i = (k * 7919) % natoms;
            let v = dirs.vectors[(k * 131) % dirs.len()];
            let x = sys.positions[i];
            script.push_str(&format!(
                "set atom {} x {:?} y {:?} z {:?}\nrun 0 post no\nset atom {} x {:?} y {:?} z {:?}\n",
                sys.ids[i],
                x[0] + args.dr * v[0],
                x[1] + args.dr * v[1],
                x[2] + args.dr * v[2],
                sys.ids[i],
                x[0],
                x[1],
                x[2]
            ));
        }
        Ok(run_lammps(&dir, &script, 1)?.0)
    };
    eprintln!("LAMMPS: {} probes…", args.lammps_probes);
    let with = lammps_time(args.lammps_probes)?;
    let without = lammps_time(0)?;
    let per_probe = with.saturating_sub(without).as_secs_f64() / args.lammps_probes as f64;
    let lammps_total = Duration::from_secs_f64(per_probe * count);
    println!(
        "LAMMPS set atom + run 0: {:.4} s per probe ({} probes in {:.2} s, {:.2} s without)",
        per_probe,
        args.lammps_probes,
        with.as_secs_f64(),
        without.as_secs_f64()
    );

    let atoms: Vec<usize> = (0..natoms).collect();
    for t in args.threads.split(',') {
        let t: usize = t.trim().parse().context("--threads: expected counts")?;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build()?;
        eprintln!("pelkit: every atom, {t} thread(s)…");
        let (cpu0, wall0) = (process_cpu(), Instant::now());
        let scan = pool.install(|| -> Result<_> {
            let probe = LocalProbe::new(&sys, &pot, args.dr)?;
            let options = ScanOptions { with_system: false };
            Ok(scan_atoms(
                &probe,
                &atoms,
                &dirs,
                &[args.dr],
                options,
                &|_| {},
            )?)
        })?;
        let (wall, cpu) = (wall0.elapsed(), process_cpu() - cpu0);
        let mean: f64 = scan.atoms.iter().map(|a| a.omega[0]).sum::<f64>() / natoms as f64;
        report(
            &format!("probe {natoms} atoms x {} dirs, {t} thr", dirs.len()),
            wall,
            "LAMMPS (extrap.)",
            lammps_total,
        );
        println!(
            "    pelkit CPU {:.2} s, {:.1} ns per probe (wall); mean Omega/4pi at dr {} = {mean:.4}",
            cpu.as_secs_f64(),
            wall.as_secs_f64() / count * 1e9,
            args.dr
        );
    }
    std::fs::remove_dir_all(&work).ok();
    Ok(())
}
