//! `d2min(reference, current, cutoff, …)`: Falk–Langer D²min and atomic strain (OVITO Atomic
//! Strain conventions), exactly `pelkit d2min`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::d2min::{d2min as lib_d2min, AffineMapping, D2minOptions};

use crate::convert::{detached, system_from, vec1};
use crate::errors::value_error;

/// d2min(reference, current, cutoff, affine_mapping="off", minimum_image=True, threads=None)
/// -> dict of per-atom arrays in ascending id order: ids, d2min (sum over neighbours),
/// d2min_mean, shear_strain, volumetric_strain, neighbors, invalid; and invalid_count.
#[pyfunction]
#[pyo3(signature = (reference, current, cutoff, affine_mapping="off", minimum_image=true, threads=None))]
fn d2min<'py>(
    py: Python<'py>,
    reference: &Bound<'py, PyAny>,
    current: &Bound<'py, PyAny>,
    cutoff: f64,
    affine_mapping: &str,
    minimum_image: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = system_from(reference, "reference")?;
    let c = system_from(current, "current")?;
    let affine_mapping = match affine_mapping {
        "off" => AffineMapping::Off,
        "reference" => AffineMapping::ToReference,
        "current" => AffineMapping::ToCurrent,
        other => {
            return Err(PyValueError::new_err(format!(
                "affine_mapping '{other}': expected off, reference or current"
            )))
        }
    };
    let opts = D2minOptions {
        cutoff,
        affine_mapping,
        minimum_image,
    };
    let res = detached(py, threads, || lib_d2min(&r, &c, &opts))?.map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("invalid_count", res.invalid_count)?;
    d.set_item(
        "ids",
        vec1(py, res.ids.iter().map(|&i| i as i64).collect::<Vec<_>>()),
    )?;
    d.set_item("d2min", vec1(py, res.d2min))?;
    d.set_item("d2min_mean", vec1(py, res.d2min_mean))?;
    d.set_item("shear_strain", vec1(py, res.shear_strain))?;
    d.set_item("volumetric_strain", vec1(py, res.volumetric_strain))?;
    d.set_item("neighbors", vec1(py, res.neighbors))?;
    d.set_item("invalid", vec1(py, res.invalid))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(d2min, m)?)
}
