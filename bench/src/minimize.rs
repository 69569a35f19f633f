//! `pelkit bench minimize`: CG minimization of a Cu–Zr glass after a 1 % xy shear, pelkit (1 and
//! 2 threads) vs LAMMPS `minimize` (1 rank, optionally more ranks or another atom sort) from the
//! same data file: times, iterations, force evaluations, stop criteria, final energies.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::potential::Potential;

use super::anchor::{report, run_lammps};
use super::cpu_time::process_cpu;
use super::cuzr_glass::{loop_time, GlassArgs};

#[derive(Args)]
#[command(after_help = "\
Both codes start from the same data file, apply `change_box all triclinic` and
`change_box all xy delta 0.01*ly remap units box` (1 % engineering shear strain), and run
`minimize 0 FTOL 1000000 10000000` with min_style cg (quadratic line search, dmax 0.1 Å) and
neighbor skin 2.0 Å. Times: LAMMPS' minimize \"Loop time\" vs pelkit's minimize_cg call (both
include the setup force evaluation, neither the file reading); CPU times (LAMMPS: loop time ×
its \"% CPU use\" × ranks; pelkit: process user+system time) are printed too, because on a
loaded machine wall times mostly measure the other load. Energies are totals in eV.

A 50,000-atom sheared glass is past many instabilities: runs whose round-off differs (pelkit vs
LAMMPS, LAMMPS on 1 vs 2 ranks, LAMMPS with another atom sort) can end in neighbouring minima.
--lammps-ranks 1,2 and --lammps-nosort show how large that spread is for LAMMPS itself.

Examples:
  pelkit bench minimize                       # 50k atoms; the glass is made once, then cached
  pelkit bench minimize --atoms 5000 --lammps-ranks 1,2
  pelkit bench minimize --input my_glass.data --threads 2")]
pub struct MinimizeBenchArgs {
    #[command(flatten)]
    pub glass: GlassArgs,
    /// Force tolerance of all minimizations (eV/Å, Euclidean norm of the 3N force vector).
    #[arg(long, default_value_t = 1e-3)]
    pub ftol: f64,
    /// Thread counts to time pelkit with, comma separated.
    #[arg(long, default_value = "1,2")]
    pub threads: String,
    /// MPI rank counts to run LAMMPS with, comma separated (the first is the reference of the
    /// ratios and energy differences; counts above 1 use the venv's mpirun).
    #[arg(long, default_value = "1")]
    pub lammps_ranks: String,
    /// Also run LAMMPS on 1 rank with spatial atom sorting off (`atom_modify sort 0 0.0`): the
    /// same algorithm with another summation order.
    #[arg(long)]
    pub lammps_nosort: bool,
}

/// What one minimization reported.
struct Outcome {
    label: String,
    time: Duration,
    /// CPU time (all threads or ranks): robust to other load on the machine.
    cpu: Duration,
    energy: f64,
    iterations: usize,
    evaluations: usize,
    stop: String,
}

fn parse_list(s: &str, what: &str) -> Result<Vec<usize>> {
    s.split(',')
        .map(|t| {
            t.trim()
                .parse::<usize>()
                .with_context(|| format!("{what}: '{t}' is not a count"))
        })
        .collect()
}

/// LAMMPS `minimize` of the sheared glass on `np` ranks; `extra` goes before `read_data`.
fn lammps_minimize(
    dir: &Path,
    glass: &Path,
    args: &MinimizeBenchArgs,
    delta: &str,
    np: usize,
    extra: &str,
    label: String,
) -> Result<Outcome> {
    std::fs::create_dir_all(dir)?;
    let (_, screen) = run_lammps(
        dir,
        &format!(
            "units metal\natom_style atomic\n{extra}read_data {}\npair_style eam/fs\n\
             pair_coeff {}\nneighbor 2.0 bin\nchange_box all triclinic\n\
             change_box all xy delta {delta} remap units box\n\
             minimize 0 {} 1000000 10000000\nprint \"PE_FINAL $(pe:%.17g)\"\n",
            glass.display(),
            args.glass.pair_coeff(),
            args.ftol
        ),
        np,
    )?;
    let energy: f64 = screen
        .lines()
        .find_map(|l| l.strip_prefix("PE_FINAL "))
        .context("no PE_FINAL in LAMMPS output")?
        .trim()
        .parse()?;
    let stop = screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("Stopping criterion = "))
        .unwrap_or("?")
        .to_string();
    let counts: Vec<usize> = screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("Iterations, force evaluations = "))
        .context("no iteration count in LAMMPS output")?
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    Ok(Outcome {
        label,
        time: loop_time(&screen).context("no Loop time in LAMMPS output")?,
        cpu: super::cpu_time::lammps_loop_cpu(&screen)
            .last()
            .copied()
            .context("no CPU use line in LAMMPS output")?,
        energy,
        iterations: counts.first().copied().unwrap_or(0),
        evaluations: counts.get(1).copied().unwrap_or(0),
        stop,
    })
}

fn print_outcome(o: &Outcome, reference: &Outcome) {
    let rel = (o.energy - reference.energy).abs() / reference.energy.abs();
    println!(
        "    {:<28} wall {:>8.2} s  CPU {:>8.2} s  E = {:.12e} eV  |ΔE|/|E| vs {} = {rel:.1e}  \
         {} iterations, {} force evaluations, stop '{}'",
        o.label,
        o.time.as_secs_f64(),
        o.cpu.as_secs_f64(),
        o.energy,
        reference.label,
        o.iterations,
        o.evaluations,
        o.stop
    );
}

pub fn run(args: MinimizeBenchArgs) -> Result<()> {
    let glass = args.glass.glass()?;
    let threads = parse_list(&args.threads, "--threads")?;
    let ranks = parse_list(&args.lammps_ranks, "--lammps-ranks")?;
    if ranks.is_empty() || ranks.contains(&0) {
        anyhow::bail!("--lammps-ranks needs counts >= 1");
    }
    let sys0 = pelkit::io::read_configuration(&glass, None)
        .with_context(|| format!("reading {}", glass.display()))?;
    let natoms = sys0.natoms();
    let ly = sys0.simbox.lengths()[1];
    // The same decimal string goes to LAMMPS and, parsed back, to pelkit.
    let delta = format!("{:.17e}", 0.01 * ly);
    let work = std::env::temp_dir().join(format!("pelkit-bench-minimize-{}", std::process::id()));

    let mut lammps = Vec::new();
    for &np in &ranks {
        eprintln!("LAMMPS minimize on {np} rank(s)…");
        lammps.push(lammps_minimize(
            &work.join(format!("np{np}")),
            &glass,
            &args,
            &delta,
            np,
            "",
            format!("LAMMPS {np} rank(s)"),
        )?);
    }
    if args.lammps_nosort {
        eprintln!("LAMMPS minimize on 1 rank, atom_modify sort 0 0.0…");
        lammps.push(lammps_minimize(
            &work.join("nosort"),
            &glass,
            &args,
            &delta,
            1,
            "atom_modify sort 0 0.0\n",
            "LAMMPS 1 rank, no atom sort".into(),
        )?);
    }

    let mut ours = Vec::new();
    for &t in &threads {
        eprintln!("pelkit minimize with {t} thread(s)…");
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
        let potential = Potential::from_lammps_args("eam/fs", &[args.glass.pair_coeff()], &[], 2)?;
        let mut provider = PotentialProvider::new(potential, 2.0)?;
        let settings = MinimizeSettings::new(0.0, args.ftol, 1_000_000, 10_000_000, false);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build()?;
        let cpu0 = process_cpu();
        let start = Instant::now();
        let summary = pool.install(|| minimize_cg(&mut sys, &mut provider, &settings))?;
        ours.push(Outcome {
            label: format!("pelkit {t} thread(s)"),
            time: start.elapsed(),
            cpu: process_cpu().saturating_sub(cpu0),
            energy: summary.energy_final,
            iterations: summary.iterations,
            evaluations: summary.force_evaluations,
            stop: summary.stop.as_str().to_string(),
        });
    }
    std::fs::remove_dir_all(&work).ok();

    println!(
        "minimize: {natoms}-atom Cu-Zr glass ({}), 1 % xy shear, CG to ftol {:e}",
        glass.display(),
        args.ftol
    );
    let reference = &lammps[0];
    for o in &ours {
        report(
            &format!("minimize {natoms} atoms, {}", o.label),
            o.time,
            &reference.label,
            reference.time,
        );
    }
    for o in &ours {
        println!(
            "    CPU time {:<28} / {}: {:.2} (time per unit of work, insensitive to other load)",
            o.label,
            reference.label,
            o.cpu.as_secs_f64() / reference.cpu.as_secs_f64()
        );
    }
    for o in lammps.iter().chain(&ours) {
        print_outcome(o, reference);
    }
    Ok(())
}
