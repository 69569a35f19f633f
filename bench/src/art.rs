//! `pelkit bench art`: ART nouveau events per second (2 threads by default) on a vacancy in fcc
//! Cu (Zhou EAM, 255 atoms) or a given glass, and the climbing-image NEB of the vacancy hop next
//! to LAMMPS `neb` (5 replicas on 5 MPI ranks) on the same end points, same spring, same ftol.

use pelkit::units::Units;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::anchor::{report, venv};
use super::cpu_time::process_cpu;

use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::saddle::art::{art_events, ArtSettings, ArtStatus};
use pelkit::engine::saddle::neb::{neb, NebSettings};
use pelkit::engine::saddle::SaddleError;
use pelkit::engine::MinimizeSettings;
use pelkit::io::eam_file::write_setfl;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouElement, ZhouGrid};
use pelkit::potential::Potential;
use pelkit::{SimBox, System};

#[derive(Args)]
pub struct ArtBenchArgs {
    /// ART events to time.
    #[arg(long, default_value_t = 8)]
    pub events: usize,
    /// Threads for the ART events.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Scratch directory.
    #[arg(long, default_value = "target/bench-art")]
    pub dir: PathBuf,
    /// Skip the LAMMPS neb anchor.
    #[arg(long)]
    pub no_lammps: bool,
}

fn vacancy(a: f64, reps: usize) -> System {
    let l = a * reps as f64;
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap_or_else(|_| unreachable!());
    let basis = pelkit::testing::FCC_BASIS;
    let mut pos = Vec::new();
    for i in 0..reps {
        for j in 0..reps {
            for k in 0..reps {
                for c in &basis {
                    pos.push([
                        (i as f64 + c[0]) * a,
                        (j as f64 + c[1]) * a,
                        (k as f64 + c[2]) * a,
                    ]);
                }
            }
        }
    }
    pos.remove(0);
    let n = pos.len();
    let mut s = System::new(b, (1..=n as u64).collect(), vec![1; n], pos);
    s.masses = vec![Some(63.546)];
    s
}

pub fn run(args: ArtBenchArgs) -> Result<()> {
    std::fs::create_dir_all(&args.dir)?;
    let dir = std::path::absolute(&args.dir)?;
    let file = dir.join("Cu.zhou.eam.alloy");
    write_setfl(&file, &zhou_setfl(&["Cu"], &ZhouGrid::default())?)?;
    let pot =
        Potential::from_lammps_args("eam/alloy", &[format!("* * {} Cu", file.display())], &[], 1)?;
    let make = || PotentialProvider::new(pot.clone(), 2.0).map_err(SaddleError::from);
    let a = ZhouElement::get("Cu").context("Cu")?.fcc_lattice_constant();
    let mut initial = vacancy(a, 4);
    let hop = initial
        .positions
        .iter()
        .position(|p| {
            (p[0] - 0.5 * a).abs() < 1e-9 && (p[1] - 0.5 * a).abs() < 1e-9 && p[2].abs() < 1e-9
        })
        .context("no vacancy neighbour")?;
    let mut fin = initial.clone();
    fin.positions[hop] = [0.0; 3];
    let ms = MinimizeSettings::new(0.0, 1e-8, 10_000, 100_000, false);
    minimize_cg(&mut initial, &mut make()?, &ms)?;
    minimize_cg(&mut fin, &mut make()?, &ms)?;
    println!(
        "load: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );

    // ART events/s.
    let s = ArtSettings::for_units(Units::Metal);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()?;
    let nbrs: Vec<usize> = (0..initial.natoms()).collect();
    let (c0, t0) = (process_cpu(), Instant::now());
    let events = pool.install(|| art_events(&initial, make, &nbrs, args.events, 1, &s, &|| {}))?;
    let (wall, cpu) = (t0.elapsed(), process_cpu() - c0);
    let found = events
        .iter()
        .filter(|e| e.status == ArtStatus::Found)
        .count();
    println!(
        "ART on the 255-atom Cu vacancy crystal: {} events ({found} found) on {} threads in {:.2} s wall, {:.2} s CPU: {:.2} events/s wall, {:.2} events per CPU-s",
        events.len(),
        args.threads,
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        events.len() as f64 / wall.as_secs_f64(),
        events.len() as f64 / cpu.as_secs_f64()
    );

    // NEB vs LAMMPS neb.
    let replicas = 5;
    let mut ns = NebSettings::metal(replicas);
    ns.kspring = 1.0;
    ns.force_tol = 1e-5;
    ns.max_iter = 20_000;
    let (c0, t0) = (process_cpu(), Instant::now());
    let r = pool.install(|| neb(&initial, &fin, make, &ns))?;
    let (wall, cpu) = (t0.elapsed(), process_cpu() - c0);
    println!(
        "pelkit NEB: EBF {:.9} eV, {} iterations, {:.3} s wall, {:.3} s CPU",
        r.barrier_forward,
        r.iterations,
        wall.as_secs_f64(),
        cpu.as_secs_f64()
    );
    if args.no_lammps {
        return Ok(());
    }
    pelkit::io::data::write_data(&dir.join("initial.data"), &initial)?;
    let mut coords = format!("{}\n", fin.natoms());
    for (id, x) in fin.ids.iter().zip(&fin.positions) {
        coords += &format!("{id} {:.17e} {:.17e} {:.17e}\n", x[0], x[1], x[2]);
    }
    std::fs::write(dir.join("final.coords"), coords)?;
    std::fs::write(
        dir.join("in.neb"),
        "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n\
         read_data initial.data\npair_style eam/alloy\npair_coeff * * Cu.zhou.eam.alloy Cu\n\
         neighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\n\
         fix 1 all neb 1.0 parallel neigh\ntimestep 0.002\nmin_style fire\n\
         neb 0.0 1.0e-5 4000 4000 100 final final.coords\n",
    )?;
    let v = venv();
    let t0 = Instant::now();
    let out = Command::new(v.join("bin/mpirun"))
        .args(["-np", &replicas.to_string()])
        .arg(v.join("bin/lmp"))
        .args([
            "-partition",
            &format!("{replicas}x1"),
            "-in",
            "in.neb",
            "-log",
            "log.neb",
            "-nocite",
        ])
        .current_dir(&dir)
        .env("LD_LIBRARY_PATH", v.join("lib"))
        .env("OMP_NUM_THREADS", "1")
        .output()
        .context("starting mpirun lmp")?;
    let lwall = t0.elapsed();
    if !out.status.success() {
        bail!(
            "LAMMPS neb failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log = std::fs::read_to_string(dir.join("log.neb")).unwrap_or_default();
    let last = log
        .lines()
        .filter_map(|l| {
            let v: Result<Vec<f64>, _> = l.split_whitespace().map(str::parse::<f64>).collect();
            v.ok().filter(|v| v.len() > 9)
        })
        .next_back()
        .context("no NEB line in LAMMPS' log")?;
    println!(
        "LAMMPS neb: EBF {:.9} eV after {} steps (5 MPI ranks)",
        last[6], last[0]
    );
    report(
        "vacancy-hop CI-NEB, 5 images (wall)",
        wall,
        "LAMMPS neb",
        lwall,
    );
    Ok(())
}
