//! `dmin(reference, current, all_types=False)`: exact inherent-structure D_min (optimal
//! relabelling with an optimality certificate), exactly `pelkit dmin`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::dmin::{is_dmin, DminOptions};

use crate::convert::{detached, rows, system_from, vec1};
use crate::errors::value_error;

/// dmin(reference, current, all_types=False, threads=None) -> dict: dmin, rmsd, natoms,
/// reassigned, optimality_certified, gap_bound, and per reference atom (ascending id): ids,
/// partner_ids, displacements (N, 3).
#[pyfunction]
#[pyo3(signature = (reference, current, all_types=false, threads=None))]
fn dmin<'py>(
    py: Python<'py>,
    reference: &Bound<'py, PyAny>,
    current: &Bound<'py, PyAny>,
    all_types: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = system_from(reference, "reference")?;
    let c = system_from(current, "current")?;
    let opts = DminOptions {
        all_types,
        ..DminOptions::default()
    };
    let res = detached(py, threads, || is_dmin(&r, &c, &opts))?.map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("dmin", res.dmin)?;
    d.set_item("rmsd", res.rmsd)?;
    d.set_item("natoms", res.natoms)?;
    d.set_item("reassigned", res.reassigned)?;
    d.set_item("optimality_certified", res.optimality_certified)?;
    d.set_item("gap_bound", res.gap_bound)?;
    d.set_item(
        "ids",
        vec1(py, res.ids.iter().map(|&i| i as i64).collect::<Vec<_>>()),
    )?;
    d.set_item(
        "partner_ids",
        vec1(
            py,
            res.partner_ids
                .iter()
                .map(|&i| i as i64)
                .collect::<Vec<_>>(),
        ),
    )?;
    d.set_item("displacements", rows(py, res.displacements))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dmin, m)?)
}
