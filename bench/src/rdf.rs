//! `pelkit bench rdf`: the per-atom RDF descriptors of seed 003 (40 shells of 0.2 Å from 2 to
//! 10 Å) and the total + partial g(r) (10 Å, 100 bins) of a 20k-atom Cu–Zr-like packing on 1 and 2
//! threads, next to OVITO's `CoordinationAnalysisModifier(cutoff=10, number_of_bins=100,
//! partial=True)` timed inside Python (file loading excluded). CPU seconds are printed too (a
//! comparison that survives a loaded machine). The configuration is the random sequential
//! packing of `pelkit bench voronoi` (0.0576 Å⁻³, d_min 2.2 Å, types 1, 2 alternating).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use super::anchor::{ovito_modifier_time, report};
use super::cpu_time::best_of;
use super::voronoi::random_packing;
use pelkit::analysis::rdf::{per_atom_rdf, rdf, Shells};
use pelkit::io::data::write_data;
use pelkit::System;

#[derive(Args)]
pub struct RdfBenchArgs {
    /// System sizes (atoms).
    #[arg(long, value_delimiter = ',', default_value = "20000")]
    sizes: Vec<usize>,
    /// Working directory (default: a temp dir).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Repetitions of the pelkit timings (the minimum is reported).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Skip the OVITO anchor.
    #[arg(long)]
    no_ovito: bool,
}

/// Best wall and CPU times of the per-atom descriptors and of g(r) on `threads` threads.
fn time_all(sys: &System, threads: usize, repeat: usize) -> Result<[(Duration, Duration); 2]> {
    let (w, c, _) = best_of(threads, repeat, || {
        per_atom_rdf(sys, &Shells::SEED, false)?;
        Ok(())
    })?;
    let (w2, c2, _) = best_of(threads, repeat, || {
        rdf(sys, 10.0, 100)?;
        Ok(())
    })?;
    Ok([(w, c), (w2, c2)])
}

pub fn run(args: RdfBenchArgs) -> Result<()> {
    let base = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("pelkit-bench-rdf-{}", std::process::id())),
    };
    std::fs::create_dir_all(&base)?;
    let base = std::fs::canonicalize(&base)?;
    println!(
        "RDF: per-atom g_i (2-10 Å, 0.2 Å shells) and total+partial g(r) (10 Å, 100 bins) of a \
         random packing at 0.0576 Å⁻³, Cu50Zr50 types. OVITO uses its own thread count."
    );
    for &n in &args.sizes {
        let dir = base.join(format!("n{n}"));
        std::fs::create_dir_all(&dir)?;
        let sys = random_packing(n, 0.0576, 2.2, 777 + n as u64)?;
        let data = dir.join("packing.data");
        write_data(&data, &sys).with_context(|| format!("writing {}", data.display()))?;
        let one = time_all(&sys, 1, args.repeat)?;
        let two = time_all(&sys, 2, args.repeat)?;
        for (name, k) in [("per-atom g_i (40 features)", 0), ("g(r) total+partial", 1)] {
            println!(
                "n = {n}: {name}: wall {:.3} s (1 thread), {:.3} s (2 threads); CPU {:.3} s, {:.3} s",
                one[k].0.as_secs_f64(),
                two[k].0.as_secs_f64(),
                one[k].1.as_secs_f64(),
                two[k].1.as_secs_f64()
            );
        }
        if args.no_ovito {
            continue;
        }
        match ovito_modifier_time(
            &dir,
            "CoordinationAnalysisModifier",
            "CoordinationAnalysisModifier(cutoff=10.0, number_of_bins=100, partial=True)",
        ) {
            Ok((ovito, cpu)) => {
                if let Some(l) = cpu {
                    println!("n = {n}: {l}");
                }
                report(&format!("g(r) n={n} 1 thread"), one[1].0, "OVITO", ovito);
                report(&format!("g(r) n={n} 2 threads"), two[1].0, "OVITO", ovito);
                report(
                    &format!("per-atom g_i n={n} 2 threads"),
                    two[0].0,
                    "OVITO g(r)",
                    ovito,
                );
            }
            Err(e) => println!("OVITO anchor unavailable: {e}"),
        }
    }
    Ok(())
}
