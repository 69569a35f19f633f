//! `pelkit bench cyclic`: the intra-cage cyclic-loading protocol on a Cu–Zr glass (pelkit's
//! `protocol::cyclic` sweep, parallel over γ) next to a LAMMPS script doing the same loop
//! (`change_box … remap` + `minimize`, twice per γ) in the same run.

use pelkit::units::Units;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::protocol::cyclic::{
    parse_gamma_list, run_sweep, CyclicSettings, InitialState, ShearComponent,
};

use super::anchor::{report, run_lammps};
use super::cpu_time::{lammps_loop_cpu, process_cpu};
use super::cuzr_glass::GlassArgs;

#[derive(Args)]
#[command(after_help = "\
Both codes start every γ from the same data file: `change_box all triclinic`,
`change_box all xy delta γ·ly remap units box`, `minimize 0 FTOL 100000 1000000` (CG),
`change_box all xy final XY0 remap units box`, `minimize` again. LAMMPS runs the γ points one
after the other on 1 rank (the script re-reads the data file after `clear` for each γ); pelkit
runs them in parallel over γ on --threads threads and also does the analysis LAMMPS does not
(per-atom stress, Voronoi tessellation and indices of each final state, labelled and IS D_min).
Times: pelkit wall and CPU of the whole sweep (initial state included); LAMMPS wall of the
process and the sum of its minimize loop times / CPU times. Final energies are compared per γ.

The issue's target size is 50,000 atoms x 25 γ points (hours on a shared 2-core machine);
measure what fits, e.g.
  pelkit bench cyclic --atoms 4000 --gamma 1e-4:1e-2:3
  pelkit bench cyclic --input glass.data --gamma 1e-5:1e-1:25 --ftol 1e-6")]
pub struct CyclicBenchArgs {
    #[command(flatten)]
    pub glass: GlassArgs,
    /// Strains (`LO:HI:N` log-spaced or a list), all > 0.
    #[arg(long, default_value = "1e-4:1e-2:3", allow_hyphen_values = true)]
    pub gamma: String,
    /// Force tolerance of every minimization (eV/Å, two-norm of the 3N force vector).
    #[arg(long, default_value_t = 1e-4)]
    pub ftol: f64,
    /// Threads of the pelkit sweep.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

pub fn run(args: CyclicBenchArgs) -> Result<()> {
    let gammas = parse_gamma_list(&args.gamma)?;
    let glass = args.glass.glass()?;
    let mut sys = pelkit::io::read_configuration(&glass, None)
        .with_context(|| format!("reading {}", glass.display()))?;
    let natoms = sys.natoms();
    let pot = args.glass.potential_for(&mut sys)?;
    let ly = sys.simbox.lengths()[1];
    let xy0 = sys.simbox.tilt[0];

    let work = std::env::temp_dir().join(format!("pelkit-bench-cyclic-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let mut script = String::new();
    for (k, g) in gammas.iter().enumerate() {
        script += &format!(
            "clear\nunits metal\natom_style atomic\nread_data {}\npair_style eam/fs\n\
             pair_coeff {}\nneighbor 2.0 bin\nchange_box all triclinic\n\
             change_box all xy delta {:.17e} remap units box\n\
             minimize 0 {ftol} 100000 1000000\n\
             change_box all xy final {xy0:.17e} remap units box\n\
             minimize 0 {ftol} 100000 1000000\nprint \"PE_FIN_{k} $(pe:%.17g)\"\n",
            glass.display(),
            args.glass.pair_coeff(),
            g * ly,
            ftol = args.ftol,
        );
    }
    eprintln!("LAMMPS: {} γ points, 2 minimizations each…", gammas.len());
    let (lmp_wall, screen) = run_lammps(&work, &script, 1)?;
    let loops: Duration = screen
        .lines()
        .filter(|l| l.starts_with("Loop time of"))
        .filter_map(|l| l.split_whitespace().nth(3)?.parse::<f64>().ok())
        .map(Duration::from_secs_f64)
        .sum();
    let lmp_cpu: Duration = lammps_loop_cpu(&screen).into_iter().sum();
    let lmp_energy: Vec<f64> = (0..gammas.len())
        .map(|k| {
            screen
                .lines()
                .find_map(|l| l.strip_prefix(&format!("PE_FIN_{k} ")))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(f64::NAN)
        })
        .collect();
    std::fs::remove_dir_all(&work).ok();

    eprintln!(
        "pelkit: {} γ points on {} thread(s)…",
        gammas.len(),
        args.threads
    );
    let settings = CyclicSettings::new(Units::Metal, ShearComponent::Xy, args.ftol);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let cpu0 = process_cpu();
    let start = Instant::now();
    let points = pool.install(|| -> Result<_> {
        let initial = InitialState::new(sys, &pot, &settings)?;
        Ok(run_sweep(&initial, &pot, &gammas, &settings, &|_| {})?)
    })?;
    let wall = start.elapsed();
    let cpu = process_cpu().saturating_sub(cpu0);

    println!(
        "cyclic: {natoms}-atom Cu-Zr glass ({}), {} γ points, CG to ftol {:e}",
        glass.display(),
        gammas.len(),
        args.ftol
    );
    report(
        &format!("cyclic {natoms} atoms x {} γ (wall)", gammas.len()),
        wall,
        "LAMMPS process",
        lmp_wall,
    );
    println!(
        "    LAMMPS minimize loops {:.2} s wall, {:.2} s CPU; pelkit {:.2} s CPU on {} thread(s) \
         (CPU ratio LAMMPS/pelkit {:.2})",
        loops.as_secs_f64(),
        lmp_cpu.as_secs_f64(),
        cpu.as_secs_f64(),
        args.threads,
        lmp_cpu.as_secs_f64() / cpu.as_secs_f64()
    );
    for (p, e) in points.iter().zip(&lmp_energy) {
        match &p.outcome {
            Ok(o) => println!(
                "    γ = {:.3e}: E_fin pelkit {:.12e} eV, LAMMPS {:.12e} eV (rel {:.1e}); δ {:.4e}, \
                 Θ {}, iterations {}+{}",
                p.gamma,
                o.energy_final,
                e,
                (o.energy_final - e).abs() / e.abs(),
                o.delta,
                o.theta as u8,
                o.load.iterations,
                o.unload.iterations
            ),
            Err(f) => println!("    γ = {:.3e}: failed at {}: {}", p.gamma, f.stage, f.reason),
        }
    }
    Ok(())
}
