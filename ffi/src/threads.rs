//! The thread pool the C ABI runs parallel kernels on: `PELKIT_NUM_THREADS` threads (default 1,
//! because inside LAMMPS every MPI rank already fills a core). Results do not depend on it.

use std::sync::OnceLock;

use rayon::ThreadPool;

static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();

/// Run `work` on the pelkit pool (or on the caller's thread if the pool cannot be created).
pub(crate) fn run<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    let pool = POOL.get_or_init(|| {
        let threads = std::env::var("PELKIT_NUM_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(1);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|k| format!("pelkit-{k}"))
            .build()
            .ok()
    });
    match pool {
        Some(p) => p.install(work),
        None => work(),
    }
}
