//! `pelkit bench voronoi`: Voronoi tessellation with indices on dense Cu–Zr-like configurations,
//! pelkit on 1 and 2 threads next to OVITO's `VoronoiAnalysisModifier` (timed inside Python,
//! file loading excluded) and LAMMPS `compute voronoi/atom` (1 rank; wall time of a `run 0` that
//! evaluates the compute minus the same run without it). It also prints the CPU seconds of
//! pelkit's and OVITO's tessellation, a comparison that survives a loaded machine. Then the
//! same configuration as a dump end to end: `pelkit voronoi IN -o OUT.dump` (read + tessellate
//! + write) next to OVITO import + compute + export (`voronoi_end_to_end`).
//!
//! The configuration is a random sequential packing: atoms placed uniformly at random in a cubic
//! periodic box at number density 0.0576 Å⁻³ (Cu50Zr50), rejecting any closer than 2.2 Å to an
//! already placed atom; types alternate 1, 2 (50:50). Its cells are as irregular as a glass's
//! (more so: more small faces), so the timing is not flattered by order.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use super::anchor::{ovito_modifier_time, report, run_lammps};
use super::cpu_time::best_of;
use super::voronoi_end_to_end;
use pelkit::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit::io::data::write_data;
use pelkit::io::dump::write_dump_system;
use pelkit::{SimBox, System};

#[derive(Args)]
pub struct VoronoiBenchArgs {
    /// System sizes (atoms).
    #[arg(long, value_delimiter = ',', default_value = "50000,250000")]
    sizes: Vec<usize>,
    /// Working directory for the generated inputs and anchor runs (default: a temp dir).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Repetitions of the pelkit timing (the minimum is reported).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Skip the LAMMPS anchor.
    #[arg(long)]
    no_lammps: bool,
    /// Skip the OVITO anchor.
    #[arg(long)]
    no_ovito: bool,
    /// Skip the end-to-end timing (read a dump + tessellate + write the `-o` dump, vs OVITO
    /// import + compute + export).
    #[arg(long)]
    no_end_to_end: bool,
}

/// Random sequential packing of `n` atoms, min distance `dmin`, density `rho` (see module doc).
pub fn random_packing(n: usize, rho: f64, dmin: f64, seed: u64) -> Result<System> {
    let l = (n as f64 / rho).cbrt();
    let simbox = SimBox::orthogonal([0.0; 3], [l; 3])?;
    let nb = ((l / dmin).floor() as usize).max(3);
    let w = l / nb as f64;
    let mut grid: Vec<Vec<u32>> = vec![Vec::new(); nb * nb * nb];
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut rnd = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut pos: Vec<[f64; 3]> = Vec::with_capacity(n);
    let d2 = dmin * dmin;
    let mut tries = 0usize;
    while pos.len() < n {
        tries += 1;
        anyhow::ensure!(
            tries < 400 * n,
            "random packing jammed at {} atoms",
            pos.len()
        );
        let x = [rnd() * l, rnd() * l, rnd() * l];
        let b = x.map(|v| ((v / w) as usize).min(nb - 1));
        let mut ok = true;
        'search: for dz in [nb - 1, 0, 1] {
            for dy in [nb - 1, 0, 1] {
                for dx in [nb - 1, 0, 1] {
                    let k = (((b[2] + dz) % nb) * nb + (b[1] + dy) % nb) * nb + (b[0] + dx) % nb;
                    for &j in &grid[k] {
                        let y = pos[j as usize];
                        let mut r2 = 0.0;
                        for d in 0..3 {
                            let mut e = y[d] - x[d];
                            e -= l * (e / l).round();
                            r2 += e * e;
                        }
                        if r2 < d2 {
                            ok = false;
                            break 'search;
                        }
                    }
                }
            }
        }
        if ok {
            grid[(b[2] * nb + b[1]) * nb + b[0]].push(pos.len() as u32);
            pos.push(x);
        }
    }
    let types = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let mut sys = System::new(simbox, (1..=n as u64).collect(), types, pos);
    sys.masses = vec![Some(63.546), Some(91.224)];
    Ok(sys)
}

/// Best wall time of `repeat` tessellations on `threads` threads, the CPU seconds of that run
/// and Σ volumes.
fn time_pelkit(sys: &System, threads: usize, repeat: usize) -> Result<(Duration, f64, f64)> {
    let opts = VoronoiOptions::default();
    let (best, cpu, tess) = best_of(threads, repeat, || Ok(tessellate(sys, &opts)?))?;
    Ok((best, cpu.as_secs_f64(), tess.volumes.iter().sum()))
}

pub fn run(args: VoronoiBenchArgs) -> Result<()> {
    let tmp;
    let base = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.clone()
        }
        None => {
            tmp = std::env::temp_dir().join(format!("pelkit-bench-voronoi-{}", std::process::id()));
            std::fs::create_dir_all(&tmp)?;
            tmp
        }
    };
    println!(
        "Voronoi tessellation with indices (no thresholds), random packing at 0.0576 Å⁻³, \
         d_min 2.2 Å, Cu50Zr50 types. OVITO uses its own thread count (all cores)."
    );
    for &n in &args.sizes {
        let dir = base.join(format!("n{n}"));
        std::fs::create_dir_all(&dir)?;
        let sys = random_packing(n, 0.0576, 2.2, 12345 + n as u64)?;
        let data = dir.join("packing.data");
        write_data(&data, &sys).with_context(|| format!("writing {}", data.display()))?;
        let dump = dir.join("packing.dump");
        write_dump_system(&dump, &sys, 0, &[])?;
        let (t1, cpu1, vol) = time_pelkit(&sys, 1, args.repeat)?;
        let (t2, cpu2, _) = time_pelkit(&sys, 2, args.repeat)?;
        let rel = (vol - sys.simbox.volume()).abs() / sys.simbox.volume();
        println!(
            "n = {n}: pelkit Σ volumes / box volume − 1 = {rel:.1e}; CPU seconds: \
             {cpu1:.3} (1 thread), {cpu2:.3} (2 threads)"
        );
        if !args.no_ovito {
            match ovito_modifier_time(
                &dir,
                "VoronoiAnalysisModifier",
                "VoronoiAnalysisModifier(compute_indices=True)",
            ) {
                Ok((ovito, cpu)) => {
                    if let Some(l) = cpu {
                        println!("n = {n}: {l}");
                    }
                    report(&format!("voronoi n={n} 1 thread"), t1, "OVITO", ovito);
                    report(&format!("voronoi n={n} 2 threads"), t2, "OVITO", ovito);
                }
                Err(e) => println!("OVITO anchor unavailable: {e}"),
            }
        }
        if !args.no_lammps {
            let common = "units metal\natom_style atomic\nread_data packing.data\n\
                          comm_modify cutoff 10.0\n";
            let with = format!(
                "{common}compute v all voronoi/atom\ncompute s all reduce sum c_v[1]\n\
                 thermo_style custom step c_s\nrun 0\n"
            );
            let without = format!("{common}run 0\n");
            let lammps = run_lammps(&dir, &with, 1).and_then(|(tw, _)| {
                let (to, _) = run_lammps(&dir, &without, 1)?;
                Ok(tw.saturating_sub(to))
            });
            match lammps {
                Ok(tl) => {
                    report(&format!("voronoi n={n} 1 thread"), t1, "LAMMPS 1 rank", tl);
                    report(&format!("voronoi n={n} 2 threads"), t2, "LAMMPS 1 rank", tl);
                }
                Err(e) => println!("LAMMPS anchor unavailable: {e}"),
            }
        }
        if !args.no_end_to_end {
            voronoi_end_to_end::run(&dir, "packing.dump", n, args.repeat, !args.no_ovito)?;
        }
    }
    Ok(())
}
