//! `rdf`, `per_atom_rdf` and `structure_factor`: total and partial g(r) (OVITO's normalisation),
//! the per-atom g_i(r) descriptors of seed 003 and S(q), exactly `pelkit rdf`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::rdf::{
    per_atom_rdf as lib_per_atom_rdf, rdf as lib_rdf, structure_factor as lib_sq, Shells,
};

use crate::convert::{detached, f64_vec, flat_rows, system_from, vec1};
use crate::errors::value_error;

/// rdf(frame, cutoff=10.0, bins=200, threads=None) -> dict: r (bin centres), total, partial
/// ({"a-b": g_ab} for type pairs a <= b present), density (N/V).
#[pyfunction]
#[pyo3(signature = (frame, cutoff=10.0, bins=200, threads=None))]
fn rdf<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    cutoff: f64,
    bins: usize,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let sys = system_from(frame, "frame")?;
    let g = detached(py, threads, || lib_rdf(&sys, cutoff, bins))?.map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("r", vec1(py, g.r))?;
    d.set_item("total", vec1(py, g.total))?;
    let partial = PyDict::new(py);
    for (a, b, v) in g.partial {
        partial.set_item(format!("{a}-{b}"), vec1(py, v))?;
    }
    d.set_item("partial", partial)?;
    d.set_item("density", g.density)?;
    Ok(d)
}

/// per_atom_rdf(frame, r_min=2.0, r_max=10.0, dr=0.2, partial=False, threads=None) -> dict:
/// values (N, F) in the frame's atom order (F = shells, times types when partial), names
/// (`g_<centre>` or `g<type>_<centre>`), r (shell centres).
#[pyfunction]
#[pyo3(signature = (frame, r_min=2.0, r_max=10.0, dr=0.2, partial=false, threads=None))]
fn per_atom_rdf<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    r_min: f64,
    r_max: f64,
    dr: f64,
    partial: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let sys = system_from(frame, "frame")?;
    let shells = Shells::from_range(r_min, r_max, dr).map_err(value_error)?;
    let per =
        detached(py, threads, || lib_per_atom_rdf(&sys, &shells, partial))?.map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("names", per.column_names())?;
    d.set_item("r", vec1(py, per.shells.centres()))?;
    let f = per.features();
    d.set_item("values", flat_rows(py, per.values, f))?;
    Ok(d)
}

/// structure_factor(r, g, dr, density, q) -> S(q) = 1 + 4πρ Σ_k r_k² (g_k − 1)
/// sin(q r_k)/(q r_k) Δr (midpoint rule, no window), as `pelkit rdf --sq`.
#[pyfunction]
fn structure_factor<'py>(
    py: Python<'py>,
    r: &Bound<'py, PyAny>,
    g: &Bound<'py, PyAny>,
    dr: f64,
    density: f64,
    q: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, numpy::PyArray1<f64>>> {
    let r = f64_vec(r, "r", None)?;
    let g = f64_vec(g, "g", Some(r.len()))?;
    let q = f64_vec(q, "q", None)?;
    if !(dr > 0.0 && dr.is_finite()) {
        return Err(PyValueError::new_err(format!("dr must be > 0, got {dr}")));
    }
    Ok(vec1(py, py.detach(|| lib_sq(&r, &g, dr, density, &q))))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rdf, m)?)?;
    m.add_function(wrap_pyfunction!(per_atom_rdf, m)?)?;
    m.add_function(wrap_pyfunction!(structure_factor, m)?)
}
