//! `pelkit bench dump`: full parse of a large text dump (every value, as `pelkit check` does)
//! with 1 and 2 threads, next to OVITO and ASE loading every frame of the same file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use super::anchor;
use pelkit::io::check_file;

#[derive(Args)]
pub struct DumpBenchArgs {
    /// Benchmark an existing dump instead of generating one.
    #[arg(long)]
    file: Option<PathBuf>,
    /// Atoms per frame of the generated dump (`id type x y z vx vy vz`, 10 significant digits,
    /// written like LAMMPS `%.10g`).
    #[arg(long, default_value_t = 50_000)]
    atoms: usize,
    /// Frames of the generated dump.
    #[arg(long, default_value_t = 40)]
    frames: usize,
    /// Timed repetitions of the pelkit parse; the best is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Skip the OVITO anchor.
    #[arg(long)]
    no_ovito: bool,
    /// Skip the ASE anchor (slow: minutes on the default file).
    #[arg(long)]
    no_ase: bool,
}

/// C's `%.{digits}g` for the values we generate (no exponent form needed for them).
fn c_g(v: f64, digits: i32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Write a synthetic MD-like dump: atoms on a random walk in a periodic cube, unsorted ids.
fn generate(path: &Path, natoms: usize, nframes: usize) -> Result<()> {
    use std::io::Write;
    let mut state = 0x853c_49e6_748f_ea9bu64;
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let side = (natoms as f64 / 0.068).cbrt();
    let mut x: Vec<[f64; 3]> = (0..natoms)
        .map(|_| [rnd() * side, rnd() * side, rnd() * side])
        .collect();
    let mut w = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    let mut line = String::with_capacity(128);
    for f in 0..nframes {
        write!(
            w,
            "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{natoms}\nITEM: BOX BOUNDS pp pp pp\n\
             0 {side:.16e}\n0 {side:.16e}\n0 {side:.16e}\nITEM: ATOMS id type x y z vx vy vz\n",
            f * 1000
        )?;
        for (i, p) in x.iter_mut().enumerate() {
            let v = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5].map(|c| c * 8.0);
            for d in 0..3 {
                p[d] = (p[d] + v[d] * 0.05).rem_euclid(side);
            }
            // Unsorted, as LAMMPS writes without `dump_modify sort`.
            let id = (i * 7919) % natoms + 1;
            line.clear();
            line.push_str(&format!("{id} {} ", 1 + i % 2));
            for c in p.iter().chain(v.iter()) {
                line.push_str(&c_g(*c, 10));
                line.push(' ');
            }
            line.pop();
            line.push('\n');
            w.write_all(line.as_bytes())?;
        }
    }
    w.flush()?;
    Ok(())
}

/// CPU time (user + system) of this process, all threads.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Best wall time of `repeat` full checks on `threads` threads, the CPU time of that run, and
/// the file's frames and atoms.
fn time_check(
    path: &Path,
    threads: usize,
    repeat: usize,
) -> Result<(Duration, Duration, usize, usize)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut best = Duration::MAX;
    let mut best_cpu = Duration::ZERO;
    let mut shape = (0, 0);
    for _ in 0..repeat.max(1) {
        let cpu = cpu_time();
        let t = Instant::now();
        // Exactly what `pelkit check FILE` runs (format detection, then the dump checker).
        let report = pool.install(|| check_file(path))?;
        let wall = t.elapsed();
        if wall < best {
            best = wall;
            best_cpu = cpu_time().saturating_sub(cpu);
        }
        if !report.problems.is_empty() {
            bail!("pelkit check found problems: {:?}", report.problems);
        }
        shape = (report.frames.unwrap_or(0), report.atoms.unwrap_or(0));
    }
    Ok((best, best_cpu, shape.0, shape.1))
}

const OVITO: &str = r#"
import sys, time
from ovito.io import import_file
path = sys.argv[1] if len(sys.argv) > 1 else "bench.dump"
t = time.perf_counter()
c = time.process_time()
pipeline = import_file(path, multiple_frames=True)
n = pipeline.source.num_frames
total = 0.0
for i in range(n):
    data = pipeline.compute(i)
    total += float(data.particles.positions[0][0])
print(time.perf_counter() - t, time.process_time() - c, n, data.particles.count)
"#;

const ASE: &str = r#"
import time, ase.io
t = time.perf_counter()
c = time.process_time()
frames = ase.io.read("bench.dump", index=":", format="lammps-dump-text")
print(time.perf_counter() - t, time.process_time() - c, len(frames), len(frames[-1]))
"#;

/// Run an anchor script (with `bench.dump` linked into its directory); returns its own wall
/// and CPU (all threads) times.
fn anchor_time(
    dir: &Path,
    script: &str,
    nframes: usize,
    natoms: usize,
) -> Result<(Duration, Duration)> {
    let out = anchor::run_python(dir, script)?;
    let words: Vec<&str> = out.split_whitespace().collect();
    let [t, c, f, n] = words[..] else {
        bail!("unexpected anchor output: {out}");
    };
    if f.parse::<usize>()? != nframes || n.parse::<usize>()? != natoms {
        bail!("anchor read {f} frames of {n} atoms, expected {nframes} of {natoms}");
    }
    Ok((
        Duration::from_secs_f64(t.parse()?),
        Duration::from_secs_f64(c.parse()?),
    ))
}

pub fn run(args: DumpBenchArgs) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("pelkit-bench-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&args, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(args: &DumpBenchArgs, dir: &Path) -> Result<()> {
    let path = match &args.file {
        Some(f) => std::fs::canonicalize(f).with_context(|| format!("{}", f.display()))?,
        None => {
            let p = dir.join("bench.dump");
            println!(
                "generating {} atoms x {} frames (id type x y z vx vy vz, %.10g)…",
                args.atoms, args.frames
            );
            generate(&p, args.atoms, args.frames)?;
            p
        }
    };
    if args.file.is_some() {
        std::os::unix::fs::symlink(&path, dir.join("bench.dump"))?;
    }
    let bytes = std::fs::metadata(&path)?.len();
    // Warm the page cache.
    drop(std::fs::read(&path)?);
    println!(
        "file {} ({:.1} MB), page cache warm",
        path.display(),
        bytes as f64 / 1e6
    );
    let mut ours = Duration::ZERO;
    let mut ours_cpu = Duration::ZERO;
    let (mut nframes, mut natoms) = (0, 0);
    for threads in [1, 2] {
        let (t, cpu, f, n) = time_check(&path, threads, args.repeat)?;
        println!(
            "pelkit check (every value parsed), {threads} thread{}: {:.3} s = {:.2} GB/s \
             ({f} frames x {n} atoms, best of {}; CPU time {:.3} s = {:.2} GB/s per busy core)",
            if threads == 1 { "" } else { "s" },
            t.as_secs_f64(),
            bytes as f64 / t.as_secs_f64() / 1e9,
            args.repeat.max(1),
            cpu.as_secs_f64(),
            bytes as f64 / cpu.as_secs_f64().max(1e-9) / 1e9,
        );
        (ours, ours_cpu) = (t, cpu);
        (nframes, natoms) = (f, n);
    }
    // Wall times are what users see; CPU times (all threads of each process) are printed too
    // because on a shared machine wall times mostly measure the other load.
    for (skip, script, name) in [
        (args.no_ovito, OVITO, "OVITO import_file"),
        (args.no_ase, ASE, "ASE io.read"),
    ] {
        if skip {
            continue;
        }
        let (t, cpu) =
            anchor_time(dir, script, nframes, natoms).with_context(|| format!("{name} anchor"))?;
        anchor::report("load every frame, wall (2 threads)", ours, name, t);
        anchor::report("load every frame, CPU time", ours_cpu, name, cpu);
    }
    Ok(())
}
