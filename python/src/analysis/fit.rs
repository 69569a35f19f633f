//! Fits: `fit_powerlaw`, `fit_kww`, `fit_cosh` (`pelkit fit powerlaw|kww|cosh`) and the MD-DMS
//! sine fit `dms_fit` (`pelkit dms fit`). Results are the library's serializable structs as
//! dicts (the JSON the CLI prints under `"fit"`, bit for bit).

use pyo3::prelude::*;

use pelkit_core::analysis::dms::{fit_oscillation, OscillationFitOptions};
use pelkit_core::analysis::fit::{fit_cosh as lib_cosh, fit_kww as lib_kww, fit_power_law};

use crate::convert::{f64_vec, json_object};
use crate::errors::value_error;

fn xy(
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    xn: &str,
    yn: &str,
) -> PyResult<(Vec<f64>, Vec<f64>)> {
    let x = f64_vec(x, xn, None)?;
    let y = f64_vec(y, yn, Some(x.len()))?;
    Ok((x, y))
}

/// fit_powerlaw(x, y) -> dict (model, parameters [{name, value, std_error}], r_squared, ssr,
/// points, iterations): y = A·x^b by least squares of ln y on ln x.
#[pyfunction]
fn fit_powerlaw<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (x, y) = xy(x, y, "x", "y")?;
    let fit = py.detach(|| fit_power_law(&x, &y)).map_err(value_error)?;
    json_object(py, &fit)
}

/// fit_kww(t, y, start=None) -> dict: y = A·exp[−(t/τ)^β] by Levenberg–Marquardt (`start` =
/// (A, τ, β), default: the library's initial guess).
#[pyfunction]
#[pyo3(signature = (t, y, start=None))]
fn fit_kww<'py>(
    py: Python<'py>,
    t: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
    start: Option<[f64; 3]>,
) -> PyResult<Bound<'py, PyAny>> {
    let (t, y) = xy(t, y, "t", "y")?;
    let fit = py.detach(|| lib_kww(&t, &y, start)).map_err(value_error)?;
    json_object(py, &fit)
}

/// fit_cosh(tau, f, kt) -> dict: f = κ·cosh(τ·V_act/kT) (seed 001 Eq. 1) by Levenberg–Marquardt.
#[pyfunction]
fn fit_cosh<'py>(
    py: Python<'py>,
    tau: &Bound<'py, PyAny>,
    f: &Bound<'py, PyAny>,
    kt: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let (tau, f) = xy(tau, f, "tau", "f")?;
    let fit = py.detach(|| lib_cosh(&tau, &f, kt)).map_err(value_error)?;
    json_object(py, &fit)
}

/// dms_fit(time, stress, period, strain_amplitude, transient_cycles=1) -> dict: σ(t) = σ0 +
/// σA sin(2πt/t_w + δ) over whole cycles after the transient ones; G′, G″, δ with standard
/// errors (seed 004 Eq. 5–6), in the stress's units. `stress` is a stress (σ = −pxy).
#[pyfunction]
#[pyo3(signature = (time, stress, period, strain_amplitude, transient_cycles=1))]
fn dms_fit<'py>(
    py: Python<'py>,
    time: &Bound<'py, PyAny>,
    stress: &Bound<'py, PyAny>,
    period: f64,
    strain_amplitude: f64,
    transient_cycles: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (t, s) = xy(time, stress, "time", "stress")?;
    let opts = OscillationFitOptions {
        period,
        strain_amplitude,
        transient_cycles,
    };
    let fit = py
        .detach(|| fit_oscillation(&t, &s, &opts))
        .map_err(value_error)?;
    json_object(py, &fit)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit_powerlaw, m)?)?;
    m.add_function(wrap_pyfunction!(fit_kww, m)?)?;
    m.add_function(wrap_pyfunction!(fit_cosh, m)?)?;
    m.add_function(wrap_pyfunction!(dms_fit, m)?)
}
