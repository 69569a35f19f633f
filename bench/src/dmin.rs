//! `pelkit bench dmin`: exact IS D_min of a synthetic inherent-structure-like pair, pelkit next to
//! SciPy (dense minimum-image cost matrix with NumPy + `linear_sum_assignment`, per type) end to
//! end from the same files, then pelkit alone at larger sizes with time and peak memory.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::analysis::dmin::{is_dmin, DminOptions};
use pelkit::io::dump::write_dump_system;
use pelkit::io::read_configuration;
use pelkit::{SimBox, System};

use super::anchor::{report, run_python};

/// Benchmark IS D_min. The pair is synthetic: a simple-cubic lattice (spacing 1) with every atom
/// jittered uniformly by ±0.3 (reference), two types 80:20 at random; the current configuration
/// moves every atom by a further uniform ±noise/2 (default ±0.2) and swaps the positions of a
/// fraction (default 10%) of the atoms with their +x lattice neighbour when it has the same type (so the labelled RMSD exceeds D_min and
/// atoms are reassigned). Sizes are the nearest cubes (25³ = 15,625; 37³; 63³).
#[derive(Args)]
pub struct DminBenchArgs {
    /// Atoms of the pair compared with SciPy (the dense matrix needs ~N²·8·0.68 bytes).
    #[arg(long, default_value_t = 16_000)]
    pub n: usize,
    /// Further sizes timed for pelkit alone (time and peak memory).
    #[arg(long, value_delimiter = ',', default_value = "50000,250000")]
    pub large: Vec<usize>,
    /// Skip the SciPy anchor.
    #[arg(long)]
    pub no_scipy: bool,
    /// Full width of the uniform displacement of every atom (lattice spacing 1).
    #[arg(long, default_value_t = 0.4)]
    pub noise: f64,
    /// Fraction of atoms swapped with their +x lattice neighbour (same type only).
    #[arg(long, default_value_t = 0.1)]
    pub swap: f64,
}

const SCIPY: &str = r#"
import time
import numpy as np
from scipy.optimize import linear_sum_assignment
t0 = time.perf_counter()
def read(f):
    lines = open(f).readlines()
    b = np.array([[float(x) for x in lines[5 + d].split()[:2]] for d in range(3)])
    a = np.loadtxt(lines[9:])
    return b, a[np.argsort(a[:, 0])]
b, r = read('ref.dump')
_, c = read('cur.dump')
L = b[:, 1] - b[:, 0]
total = 0.0
for t in np.unique(r[:, 1]):
    x = r[r[:, 1] == t][:, 2:5]
    y = c[c[:, 1] == t][:, 2:5]
    C = np.empty((len(x), len(y)))
    for s in range(0, len(x), 256):
        d = y[None, :, :] - x[s:s + 256, None, :]
        d -= L * np.round(d / L)
        C[s:s + 256] = (d * d).sum(-1)
    row, col = linear_sum_assignment(C)
    total += C[row, col].sum()
    del C
print(repr(float(np.sqrt(total / len(r)))), time.perf_counter() - t0)
"#;

pub fn run(args: DminBenchArgs) -> Result<()> {
    let dir = tempfile_dir()?;
    println!("IS D_min benchmark (synthetic jittered-lattice pair; see --help). Timings share the");
    println!("machine with whatever else runs: treat them as indicative.");
    let (reference, current) = make_pair(args.n, 2024, args.noise, args.swap);
    let (t_ours, dmin, reassigned) = pelkit_end_to_end(&dir, &reference, &current)?;
    println!(
        "N = {}: D_min {dmin:.12e}, {reassigned} atoms reassigned",
        reference.natoms()
    );
    if !args.no_scipy {
        let out = run_python(&dir, SCIPY)?;
        let mut it = out.split_whitespace();
        let theirs: f64 = it.next().context("SciPy output")?.parse()?;
        let t: f64 = it.next().context("SciPy time")?.parse()?;
        let rel = (theirs - dmin).abs() / theirs.abs().max(1e-300);
        println!("SciPy D_min {theirs:.12e} (relative difference {rel:.1e})");
        if rel > 1e-12 {
            bail!("pelkit and SciPy disagree on D_min");
        }
        report(
            &format!("IS D_min N={} end to end", reference.natoms()),
            t_ours,
            "SciPy dense LSA",
            Duration::from_secs_f64(t),
        );
    }
    println!("peak memory so far (VmHWM): {}", peak_memory());
    for &n in &args.large {
        let (reference, current) = make_pair(n, 7 + n as u64, args.noise, args.swap);
        let (t, dmin, reassigned) = pelkit_end_to_end(&dir, &reference, &current)?;
        println!(
            "IS D_min N={:<8} pelkit {:>8.3} s end to end (read both files + solve), D_min {dmin:.6e}, {reassigned} reassigned, peak memory {}",
            reference.natoms(),
            t.as_secs_f64(),
            peak_memory()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Write the pair as dumps, then time reading both and solving.
fn pelkit_end_to_end(dir: &Path, a: &System, b: &System) -> Result<(Duration, f64, usize)> {
    let (ra, rb) = (dir.join("ref.dump"), dir.join("cur.dump"));
    write_dump_system(&ra, a, 0, &[])?;
    write_dump_system(&rb, b, 0, &[])?;
    let t = Instant::now();
    let x = read_configuration(&ra, None)?;
    let y = read_configuration(&rb, None)?;
    let r = is_dmin(&x, &y, &DminOptions::default())?;
    let dt = t.elapsed();
    if !r.optimality_certified {
        bail!("optimality not certified");
    }
    Ok((dt, r.dmin, r.reassigned))
}

fn make_pair(n: usize, seed: u64, noise: f64, swap: f64) -> (System, System) {
    let side = (n as f64).cbrt().round().max(2.0) as usize;
    let n = side * side * side;
    let l = side as f64;
    let simbox = match SimBox::orthogonal([0.0; 3], [l; 3]) {
        Ok(b) => b,
        Err(_) => unreachable!("positive box length"),
    };
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        move || rng.uniform()
    };
    let mut pos = Vec::with_capacity(n);
    let mut types = Vec::with_capacity(n);
    for k in 0..side {
        for j in 0..side {
            for i in 0..side {
                pos.push([
                    i as f64 + 0.5 + 0.6 * (rnd() - 0.5),
                    j as f64 + 0.5 + 0.6 * (rnd() - 0.5),
                    k as f64 + 0.5 + 0.6 * (rnd() - 0.5),
                ]);
                types.push(if rnd() < 0.8 { 1 } else { 2 });
            }
        }
    }
    let mut cur: Vec<[f64; 3]> = pos
        .iter()
        .map(|x| {
            let mut y = *x;
            for v in y.iter_mut() {
                *v += noise * (rnd() - 0.5);
                // keep inside [0, l): the files hold wrapped coordinates
                *v = v.rem_euclid(l);
            }
            y
        })
        .collect();
    for a in 0..n {
        let b = if (a % side) + 1 < side {
            a + 1
        } else {
            a + 1 - side
        };
        if rnd() < swap && types[a] == types[b] {
            cur.swap(a, b);
        }
    }
    let ids: Vec<u64> = (1..=n as u64).collect();
    (
        System::new(simbox, ids.clone(), types.clone(), pos),
        System::new(simbox, ids, types, cur),
    )
}

/// `VmHWM` of this process (peak resident memory) as printed by the kernel.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("pelkit-bench-dmin-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
