//! Analyses, one file each: it converts the frame(s), calls the library analysis with the GIL
//! released and returns a dict of NumPy arrays (wrapped in a dataclass by `pelkit/analysis/`).
//! A new analysis adds one file here, one line in [`register`] and one Python wrapper.

use pyo3::prelude::*;

mod atomic_stress;
mod cyclic;
mod d2min;
mod dmin;
mod fit;
mod probe;
mod rdf;
mod stiffness;
mod voronoi;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    voronoi::register(m)?;
    atomic_stress::register(m)?;
    dmin::register(m)?;
    d2min::register(m)?;
    probe::register(m)?;
    rdf::register(m)?;
    fit::register(m)?;
    stiffness::register(m)?;
    cyclic::register(m)?;
    Ok(())
}
