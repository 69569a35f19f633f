//! `stiffness` (NVT runs → K_i = k_BT/⟨|Δr_i|²⟩, seed 003; exactly `pelkit stiffness`) and
//! `stiffness_from_positions` (the same estimator on given unwrapped frames).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pelkit_core::analysis::stiffness::{stiffness_from_msd, VibrationalMsd};
use pelkit_core::protocol::stiffness::{run_stiffness, StiffnessSettings};
use pelkit_core::units::Units;

use crate::convert::{detached, f64_rows, f64_vec, system_from, vec1};
use crate::engine::{engine_units, provider};
use crate::errors::value_error;
use crate::potential::PyPotential;

fn temperatures(temp: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let t: Vec<f64> = match temp.extract::<f64>() {
        Ok(v) => vec![v],
        Err(_) => temp.extract::<Vec<f64>>().map_err(|_| {
            PyValueError::new_err("temp must be a temperature or a list of temperatures")
        })?,
    };
    if t.is_empty() || t.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return Err(PyValueError::new_err(format!(
            "temp {t:?}: temperatures must be positive"
        )));
    }
    Ok(t)
}

/// stiffness(frame, potential, temp, time=100.0, equilibrate=10.0, timestep=None, tdamp=None,
/// sample_every=10, seed=12345, threads=None) -> dict: runs (per temperature: temperature,
/// measured_temperature, frames, msd (N,), stiffness (N,)) and mean_stiffness (N,), in the
/// frame's atom order. Times in the potential's time units; steps = round(time / timestep).
#[pyfunction]
#[pyo3(signature = (frame, potential, temp, time=100.0, equilibrate=10.0, timestep=None,
    tdamp=None, sample_every=10, seed=12345, threads=None))]
#[allow(clippy::too_many_arguments)]
fn stiffness<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    temp: &Bound<'py, PyAny>,
    time: f64,
    equilibrate: f64,
    timestep: Option<f64>,
    tdamp: Option<f64>,
    sample_every: u64,
    seed: u64,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let temps = temperatures(temp)?;
    let units = engine_units(potential)?;
    let mut sys = system_from(frame, "frame")?;
    let mut prov = provider(potential, &mut sys, units, None)?;
    let dt = timestep.unwrap_or(units.default_dt());
    let steps = |t: f64| (t / dt).round() as u64;
    let settings = StiffnessSettings {
        units,
        temperatures: temps,
        dt,
        t_damp: tdamp.unwrap_or(100.0 * dt),
        equilibration_steps: steps(equilibrate),
        production_steps: steps(time),
        sample_every,
        seed,
    };
    let result = detached(py, threads, || {
        run_stiffness(&sys, &mut prov, &settings, &mut |_, _| {}, &mut |_, _| {})
    })?
    .map_err(value_error)?;
    let runs = PyList::empty(py);
    for r in result.runs {
        let d = PyDict::new(py);
        d.set_item("temperature", r.temperature)?;
        d.set_item("measured_temperature", r.measured_temperature)?;
        d.set_item("frames", r.frames)?;
        d.set_item("msd", vec1(py, r.msd))?;
        d.set_item("stiffness", vec1(py, r.stiffness))?;
        runs.append(d)?;
    }
    let d = PyDict::new(py);
    d.set_item("runs", runs)?;
    d.set_item("mean_stiffness", vec1(py, result.mean_stiffness))?;
    Ok(d)
}

/// stiffness_from_positions(frames, temperature, masses=None, units="metal") -> dict: msd (N,)
/// = mass-weighted-centre-corrected ⟨|r_i − ⟨r_i⟩|²⟩ over the given unwrapped frames (a list
/// of (N, 3) float64 arrays) and stiffness K_i = k_BT/msd_i.
#[pyfunction]
#[pyo3(signature = (frames, temperature, masses=None, units="metal"))]
fn stiffness_from_positions<'py>(
    py: Python<'py>,
    frames: &Bound<'py, PyAny>,
    temperature: f64,
    masses: Option<&Bound<'py, PyAny>>,
    units: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let units = match units {
        "metal" => Units::Metal,
        "lj" => Units::Lj,
        other => {
            return Err(PyValueError::new_err(format!(
                "units '{other}': expected metal or lj"
            )))
        }
    };
    let mut all = Vec::new();
    for (k, f) in frames.try_iter()?.enumerate() {
        all.push(f64_rows::<3>(&f?, &format!("frames[{k}]"), None)?);
    }
    let masses = masses.map(|m| f64_vec(m, "masses", None)).transpose()?;
    let (msd, k) = py
        .detach(|| {
            let mut acc = VibrationalMsd::new(masses);
            for f in &all {
                acc.add(f)?;
            }
            let msd = acc.msd()?;
            let k = stiffness_from_msd(&msd, temperature, units.boltz())?;
            Ok::<_, pelkit_core::analysis::stiffness::StiffnessError>((msd, k))
        })
        .map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("msd", vec1(py, msd))?;
    d.set_item("stiffness", vec1(py, k))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(stiffness, m)?)?;
    m.add_function(wrap_pyfunction!(stiffness_from_positions, m)?)
}
