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

#[pymodule]
fn _pelkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    io::register(m)?;
    potential::register(m)?;
    engine::register(m)?;
    analysis::register(m)?;
    saddle::register(m)?;
    Ok(())
}
