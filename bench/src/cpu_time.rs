//! CPU time of pelkit's own work and of LAMMPS' timed loops, so benchmarks on a loaded machine
//! can compare CPU seconds (insensitive to other processes) next to wall seconds.

use std::time::Duration;

/// User + system CPU time of this process so far (all threads).
pub fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct we pass; a zeroed rusage is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Best wall time of `repeat` runs (at least one) of `f` in a pool of `threads` threads, the
/// CPU time of that run, and the value of the last run.
pub fn best_of<T: Send, F: Fn() -> anyhow::Result<T> + Sync>(
    threads: usize,
    repeat: usize,
    f: F,
) -> anyhow::Result<(Duration, Duration, T)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let mut best = (Duration::MAX, Duration::ZERO);
    let mut value = None;
    for _ in 0..repeat.max(1) {
        let c = process_cpu();
        let t = std::time::Instant::now();
        let v = pool.install(&f)?;
        let dt = t.elapsed();
        if dt < best.0 {
            best = (dt, process_cpu().saturating_sub(c));
        }
        value = Some(v);
    }
    let value = value.ok_or_else(|| anyhow::anyhow!("no timed run"))?;
    Ok((best.0, best.1, value))
}

/// CPU seconds of each timed loop in a LAMMPS screen, in order: "Loop time of T on P procs"
/// followed by "C% CPU use with P MPI tasks" (C is the average over ranks), giving T·C/100·P.
pub fn lammps_loop_cpu(screen: &str) -> Vec<Duration> {
    let mut out = Vec::new();
    let mut pending: Option<(f64, f64)> = None;
    for line in screen.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Loop time of") {
            let t = words.get(3).and_then(|w| w.parse::<f64>().ok());
            let p = words.get(5).and_then(|w| w.parse::<f64>().ok());
            pending = t.zip(p);
        } else if line.contains("% CPU use with") {
            if let (Some((t, p)), Some(pct)) = (
                pending.take(),
                words
                    .first()
                    .and_then(|w| w.trim_end_matches('%').parse::<f64>().ok()),
            ) {
                out.push(Duration::from_secs_f64((t * pct / 100.0 * p).max(0.0)));
            }
        }
    }
    out
}
