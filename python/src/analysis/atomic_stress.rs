//! `atomic_stress(frame, potential, volumes=None)`: Egami atomic-level stress (`stress/atom` ÷
//! per-atom volume, Voronoi volumes by default), exactly `pelkit stress`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::atomic_stress::{atomic_stresses, pressure_tensor_from_virials};
use pelkit_core::analysis::voronoi::{tessellate, VoronoiOptions};

use crate::convert::{detached, f64_vec, rows, system_from, vec1};
use crate::errors::value_error;
use crate::potential::{potential_error, PyPotential};

/// atomic_stress(frame, potential, volumes=None, threads=None) -> dict: sigma (N, 6) (σ = S/Ω,
/// xx yy zz xy xz yz, pressure units, positive = tension), pressure (−tr σ/3), von_mises (√J₂),
/// volumes, stress_atom (N, 6), per_atom_energy, energy, pressure_tensor (6).
#[pyfunction]
#[pyo3(signature = (frame, potential, volumes=None, threads=None))]
fn atomic_stress<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    volumes: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sys = system_from(frame, "frame")?;
    let given = volumes
        .map(|v| f64_vec(v, "volumes", Some(sys.natoms())))
        .transpose()?;
    let pot = potential.for_system(&mut sys)?;
    let units = potential.lib_units();
    let (ev, volumes) = detached(py, threads, || -> PyResult<_> {
        let ev = pot.evaluate_system(&sys).map_err(potential_error)?;
        let volumes = match given {
            Some(v) => v,
            None => {
                tessellate(&sys, &VoronoiOptions::default())
                    .map_err(value_error)?
                    .volumes
            }
        };
        Ok((ev, volumes))
    })??;
    let s = ev.stress_atom(&sys, units);
    let stresses = atomic_stresses(&s, &volumes).map_err(value_error)?;
    let d = PyDict::new(py);
    d.set_item("energy", ev.energy)?;
    d.set_item(
        "pressure_tensor",
        pressure_tensor_from_virials(&s, sys.simbox.volume()).to_vec(),
    )?;
    d.set_item(
        "sigma",
        rows(py, stresses.iter().map(|a| a.sigma).collect()),
    )?;
    d.set_item(
        "pressure",
        vec1(py, stresses.iter().map(|a| a.pressure).collect::<Vec<_>>()),
    )?;
    d.set_item(
        "von_mises",
        vec1(py, stresses.iter().map(|a| a.von_mises).collect::<Vec<_>>()),
    )?;
    d.set_item("volumes", vec1(py, volumes))?;
    d.set_item("stress_atom", rows(py, s))?;
    d.set_item("per_atom_energy", vec1(py, ev.per_atom_energy))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(atomic_stress, m)?)
}
