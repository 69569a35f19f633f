//! The end-to-end part of `pelkit bench voronoi`: what `pelkit voronoi IN -o OUT.dump` does
//! (read the dump, tessellate with indices, write the per-atom dump) next to OVITO doing the same
//! (`import_file`, `VoronoiAnalysisModifier`, `export_file` of the same columns), both on the
//! same input file, each phase timed, plus CPU seconds (the comparison that survives a loaded
//! machine). pelkit runs the CLI's own steps in-process (no process start-up counted); OVITO is
//! timed inside Python after its imports.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::anchor::{report, run_python};
use super::cpu_time::process_cpu;
use pelkit::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit::io::dump::write_dump;
use pelkit::io::read_configuration;

/// Wall and CPU time (all threads) of each phase of one end-to-end run.
#[derive(Clone, Copy, Default)]
struct Phases {
    /// read, tessellate, write.
    wall: [Duration; 3],
    cpu: [Duration; 3],
}

impl Phases {
    fn total(&self) -> Duration {
        self.wall.iter().sum()
    }
    fn total_cpu(&self) -> Duration {
        self.cpu.iter().sum()
    }
}

/// One `pelkit voronoi input -o output` on `threads` threads; the best of `repeat` runs.
fn time_pelkit(input: &Path, output: &Path, threads: usize, repeat: usize) -> Result<Phases> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut best: Option<Phases> = None;
    for _ in 0..repeat.max(1) {
        let phases = pool.install(|| -> Result<Phases> {
            let mut p = Phases::default();
            let mut clock = (Instant::now(), process_cpu());
            let mut lap = |p: &mut Phases, k: usize| {
                let now = (Instant::now(), process_cpu());
                p.wall[k] = now.0 - clock.0;
                p.cpu[k] = now.1.saturating_sub(clock.1);
                clock = now;
            };
            let sys = read_configuration(input, None)?;
            lap(&mut p, 0);
            let tess = tessellate(&sys, &VoronoiOptions::default())?;
            lap(&mut p, 1);
            let frame = tess.dump_frame(&sys, 0, tess.index_width)?;
            write_dump(output, &[frame])?;
            lap(&mut p, 2);
            Ok(p)
        })?;
        if best.is_none_or(|b| phases.total() < b.total()) {
            best = Some(phases);
        }
    }
    Ok(best.expect("at least one run"))
}

/// OVITO: import, compute, export of `id type x y z volume nfaces n3 …`; (phases, CPU).
fn time_ovito(dir: &Path, input: &str) -> Result<Phases> {
    let script = format!(
        "import time\n\
         from ovito.io import import_file, export_file\n\
         from ovito.modifiers import VoronoiAnalysisModifier\n\
         c = time.process_time()\n\
         t0 = time.perf_counter()\n\
         pipe = import_file('{input}')\n\
         pipe.source.compute()\n\
         t1 = time.perf_counter()\n\
         pipe.modifiers.append(VoronoiAnalysisModifier(compute_indices=True))\n\
         data = pipe.compute()\n\
         t2 = time.perf_counter()\n\
         n = data.particles['Voronoi Index'].shape[1]\n\
         cols = ['Particle Identifier', 'Particle Type', 'Position.X', 'Position.Y', \
         'Position.Z', 'Atomic Volume', 'Coordination'] + \
         ['Voronoi Index.%d' % k for k in range(3, n + 1)]\n\
         export_file(data, 'ovito_out.dump', 'lammps/dump', columns=cols)\n\
         t3 = time.perf_counter()\n\
         print('PHASES', t1 - t0, t2 - t1, t3 - t2, time.process_time() - c)\n"
    );
    let out = run_python(dir, &script)?;
    let line = out
        .lines()
        .find(|l| l.starts_with("PHASES"))
        .with_context(|| format!("OVITO end-to-end output: {out}"))?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|w| w.parse().context("OVITO timing"))
        .collect::<Result<_>>()?;
    anyhow::ensure!(v.len() == 4, "OVITO timing line `{line}`");
    let d = Duration::from_secs_f64;
    // OVITO's CPU time is measured for the whole run only; it is put in the compute phase.
    Ok(Phases {
        wall: [d(v[0]), d(v[1]), d(v[2])],
        cpu: [Duration::ZERO, d(v[3]), Duration::ZERO],
    })
}

fn describe(p: &Phases) -> String {
    let s = |d: Duration| d.as_secs_f64();
    format!(
        "{:.3} s (read {:.3} + tessellate {:.3} + write {:.3}; CPU {:.3} s)",
        s(p.total()),
        s(p.wall[0]),
        s(p.wall[1]),
        s(p.wall[2]),
        s(p.total_cpu())
    )
}

/// Time both on `input` (a dump in `dir`) and print the side-by-side lines.
pub fn run(dir: &Path, input: &str, n: usize, repeat: usize, ovito: bool) -> Result<()> {
    let path = dir.join(input);
    let out = dir.join("pelkit_out.dump");
    let p1 = time_pelkit(&path, &out, 1, repeat)?;
    let p2 = time_pelkit(&path, &out, 2, repeat)?;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    // The machine may be shared: wall ratios need its load next to them.
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "n = {n}: load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "n = {n}: end to end (pelkit voronoi {input} -o OUT.dump, {:.1} MB written): 1 thread {}; \
         2 threads {}",
        bytes as f64 / 1e6,
        describe(&p1),
        describe(&p2)
    );
    let rate = |bytes: u64, d: Duration| bytes as f64 / 1e9 / d.as_secs_f64();
    let read_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "n = {n}: pelkit read {:.2} GB/s of wall, {:.2} GB/s of CPU; write {:.2} GB/s of wall, \
         {:.2} GB/s of CPU (2 threads)",
        rate(read_bytes, p2.wall[0]),
        rate(read_bytes, p2.cpu[0]),
        rate(bytes, p2.wall[2]),
        rate(bytes, p2.cpu[2])
    );
    if !ovito {
        return Ok(());
    }
    match time_ovito(dir, input) {
        Ok(o) => {
            println!(
                "n = {n}: OVITO import + compute + export of the same columns: {}",
                describe(&o)
            );
            let task = |t: &str| format!("voronoi end to end n={n} {t}");
            report(&task("1 thread"), p1.total(), "OVITO", o.total());
            report(&task("2 threads"), p2.total(), "OVITO", o.total());
            report(
                &task("CPU s, 2 threads"),
                p2.total_cpu(),
                "OVITO CPU s",
                o.total_cpu(),
            );
        }
        Err(e) => println!("OVITO anchor unavailable: {e}"),
    }
    Ok(())
}
