//! `pelkit._pelkit`: the compiled half of the `pelkit` Python package (PyO3, abi3).
//!
//! Each file converts between NumPy/Python objects and one part of the `pelkit` library and
//! reports its errors; no physics lives here. The pure-Python layer (`python/pelkit/`) wraps the
//! dicts returned here in dataclasses and adds the ASE/OVITO/LAMMPS interop.
//!
//! * [`convert`]: frames (Python objects with NumPy arrays) ↔ [`pelkit_core::System`], arrays;
//! * [`errors`]: library errors → `ValueError` / `TypeError` / `OSError` with their messages;
//! * [`io`]: data files, dumps, EAM files;
//! * [`potential`]: `Potential` from `pair_style`/`pair_coeff` strings and `evaluate`;
//! * [`engine`]: `minimize`, `md`, `quench`;
//! * [`analysis`]: one file per analysis (voronoi, atomic stress, dmin, d2min, probes, rdf,
//!   fits, stiffness, cyclic loading);
//! * [`saddle`]: ART nouveau events and NEB paths.
//!
//! Adding an analysis: one file in `src/analysis/` with a `register` function, one line in
//! [`analysis::register`], one wrapper in `pelkit/analysis/`.

use pyo3::prelude::*;

mod analysis;
mod convert;
mod engine;
mod errors;
mod io;
mod potential;
mod saddle;

/// glibc's malloc, tuned once at import: blocks up to 32 MiB come from the heap and up to 64 MiB
/// of free heap top is kept (the values glibc's own dynamic threshold grows to after a large
/// free; set from the start, and not reset by frees of larger blocks). Without it every
/// `evaluate` of 50,000 atoms re-faulted ~5,700 fresh pages (the neighbor list, the results):
/// 10.8 ms of system time per call, +9 % over the kernel (docs/python.md). Memory freed by
/// pelkit then stays with the process for reuse instead of going back to the OS at once.
/// `PELKIT_KEEP_MALLOC=1` in the environment leaves the process's settings alone.
fn tune_malloc() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("PELKIT_KEEP_MALLOC").is_none() {
            // SAFETY: mallopt only changes allocator parameters; it is thread-safe in glibc.
            unsafe {
                let a = libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
                let b = libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
                return a == 1 && b == 1;
            }
        }
    }
    false
}

#[pymodule]
fn _pelkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("_malloc_tuned", tune_malloc())?;
    io::register(m)?;
    potential::register(m)?;
    engine::register(m)?;
    analysis::register(m)?;
    saddle::register(m)?;
    Ok(())
}
