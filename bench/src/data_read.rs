//! `pelkit bench data-read`: read a large LAMMPS data file with pelkit, LAMMPS `read_data` and
//! ASE, in the same run.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::io::data::{read_data, write_data};
use pelkit::{SimBox, System};

use super::anchor::{report, run_lammps, run_python};

/// Time reading one generated data file (atomic style, triclinic box, image flags and
/// velocities) with pelkit's `read_data`, LAMMPS `read_data` (its own `read_data CPU` timer,
/// so start-up is not counted) and ASE `ase.io.read(format="lammps-data")`. Best of `--repeat`.
#[derive(Args)]
pub struct DataReadArgs {
    /// Number of atoms in the generated file.
    #[arg(long, default_value_t = 1_000_000)]
    pub atoms: usize,
    /// Repetitions of each reader (the best time is reported).
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Skip the ASE anchor (slow for large files).
    #[arg(long)]
    pub no_ase: bool,
}

/// Deterministic pseudo-random configuration (no RNG dependency): a 64-bit LCG.
fn generate(n: usize) -> Result<System> {
    let side = (n as f64 / 0.08).cbrt();
    let b = SimBox::triclinic([0.0; 3], [side; 3], [0.1 * side, -0.05 * side, 0.07 * side])?;
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(0x2545_F491_4F6C_DD1Du64);
        move || rng.uniform()
    };
    let positions: Vec<[f64; 3]> = (0..n)
        .map(|_| b.to_cartesian([rnd(), rnd(), rnd()]))
        .collect();
    let mut sys = System::new(
        b,
        (1..=n as u64).collect(),
        (0..n).map(|i| 1 + (i % 2) as u32).collect(),
        positions,
    );
    sys.masses = vec![Some(63.546), Some(91.224)];
    sys.velocities = Some(
        (0..n)
            .map(|_| [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5])
            .collect(),
    );
    Ok(sys)
}

pub fn run(args: DataReadArgs) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("pelkit-bench-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path: PathBuf = dir.join("bench.data");
    write_data(&path, &generate(args.atoms)?)?;
    let size = std::fs::metadata(&path)?.len() as f64;
    let repeat = args.repeat.max(1);

    let mut ours = Duration::MAX;
    for _ in 0..repeat {
        let t = Instant::now();
        let sys = read_data(&path)?;
        ours = ours.min(t.elapsed());
        anyhow::ensure!(sys.natoms() == args.atoms, "read {} atoms", sys.natoms());
    }
    println!(
        "data file: {} atoms, {:.1} MB; pelkit {:.0} MB/s",
        args.atoms,
        size / 1e6,
        size / 1e6 / ours.as_secs_f64()
    );

    let mut lammps = Duration::MAX;
    for _ in 0..repeat {
        let (_, screen) = run_lammps(
            &dir,
            "units metal\natom_style atomic\nread_data bench.data\n",
            1,
        )?;
        let cpu: f64 = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix("read_data CPU = "))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .context("no `read_data CPU = …` line in the LAMMPS output")?;
        lammps = lammps.min(Duration::from_secs_f64(cpu));
    }
    report("read_data (1 process)", ours, "LAMMPS read_data", lammps);

    if !args.no_ase {
        let out = run_python(
            &dir,
            &format!(
                "import time, ase.io\nbest = 1e30\nfor _ in range({repeat}):\n    \
                 t = time.perf_counter()\n    \
                 a = ase.io.read('bench.data', format='lammps-data', atom_style='atomic')\n    \
                 best = min(best, time.perf_counter() - t)\nassert len(a) == {}\nprint(best)\n",
                args.atoms
            ),
        )?;
        let ase: f64 = out.trim().parse().context("ASE anchor output")?;
        report(
            "read_data",
            ours,
            "ASE ase.io.read",
            Duration::from_secs_f64(ase),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
