//! `Potential`: a potential from LAMMPS `pair_style` / `pair_coeff` / `pair_modify` strings
//! (built per number of atom types and cached), and `evaluate` → energy, forces, per-atom
//! energy, per-atom virial and `stress/atom`.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::io::FormatError;
use pelkit_core::potential::{Potential, PotentialError};
use pelkit_core::units::Units;
use pelkit_core::System;

use crate::convert::{detached, rows, strings, system_from, vec1};

/// A potential error: a potential file that cannot be opened → `OSError`, anything else →
/// `ValueError`, with the library's message.
pub fn potential_error(e: PotentialError) -> PyErr {
    match &e {
        PotentialError::File(FormatError::Io { .. }) => PyOSError::new_err(e.to_string()),
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// A LAMMPS-style potential. `Potential("eam/fs", "* * CuZr_mm.eam.fs Cu Zr")`,
/// `Potential("lj/cut 2.5", ["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"],
/// pair_modify="shift yes")`. Files are found as LAMMPS finds them ($LAMMPS_POTENTIALS).
#[pyclass(frozen, module = "pelkit._pelkit", name = "Potential")]
pub struct PyPotential {
    pair_style: String,
    pair_coeff: Vec<String>,
    pair_modify: Vec<String>,
    units_name: String,
    /// Built potentials by number of atom types.
    built: Mutex<Vec<(usize, Arc<Potential>)>>,
}

/// The number of types a `pair_coeff * * file El1 … ElN` line implies, else the largest explicit
/// type in the coefficient lines (at least 1).
fn guess_ntypes(style: &str, coeffs: &[String]) -> usize {
    let eam_many = style.starts_with("eam/alloy") || style.starts_with("eam/fs");
    let mut n = 1;
    for c in coeffs {
        let w: Vec<&str> = c.split_whitespace().collect();
        if eam_many && w.len() > 3 {
            n = n.max(w.len() - 3);
        }
        for t in w.iter().take(2) {
            for part in t.split('*') {
                if let Ok(v) = part.parse::<usize>() {
                    n = n.max(v);
                }
            }
        }
    }
    n
}

impl PyPotential {
    /// The potential for `ntypes` atom types (built once).
    pub fn get(&self, ntypes: usize) -> PyResult<Arc<Potential>> {
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, p)) = built.iter().find(|(n, _)| *n == ntypes) {
            return Ok(p.clone());
        }
        let p = Potential::from_lammps_args(
            &self.pair_style,
            &self.pair_coeff,
            &self.pair_modify,
            ntypes,
        )
        .map_err(potential_error)?;
        let p = Arc::new(p);
        built.push((ntypes, p.clone()));
        Ok(p)
    }

    pub fn lib_units(&self) -> Units {
        Units::from_name(&self.units_name).unwrap_or(Units::Metal)
    }

    pub fn units_name(&self) -> &str {
        &self.units_name
    }

    /// The potential for `sys`, with the masses an EAM file sets (as LAMMPS pair_coeff does).
    pub fn for_system(&self, sys: &mut System) -> PyResult<Arc<Potential>> {
        let pot = self.get(sys.ntypes)?;
        if let Some(m) = pot.masses() {
            sys.masses = m.iter().map(|&v| Some(v)).collect();
        }
        Ok(pot)
    }
}

#[pymethods]
impl PyPotential {
    #[new]
    #[pyo3(signature = (pair_style, pair_coeff, pair_modify=None, ntypes=None, units=None))]
    fn new(
        pair_style: String,
        pair_coeff: &Bound<'_, PyAny>,
        pair_modify: Option<&Bound<'_, PyAny>>,
        ntypes: Option<usize>,
        units: Option<String>,
    ) -> PyResult<Self> {
        let pair_coeff = strings(Some(pair_coeff), "pair_coeff")?;
        let pair_modify = strings(pair_modify, "pair_modify")?;
        let units_name = match units {
            Some(u) => u,
            None if pair_style.trim_start().starts_with("eam") => "metal".into(),
            None => "lj".into(),
        };
        if Units::from_name(&units_name).is_none() {
            return Err(PyValueError::new_err(format!(
                "unknown units '{units_name}' (lj, metal, real)"
            )));
        }
        let p = PyPotential {
            pair_style,
            pair_coeff,
            pair_modify,
            units_name,
            built: Mutex::new(Vec::new()),
        };
        // Build now so that unknown styles, bad coefficients and missing files raise here.
        let n = ntypes.unwrap_or_else(|| guess_ntypes(&p.pair_style, &p.pair_coeff));
        p.get(n)?;
        Ok(p)
    }

    #[getter]
    fn pair_style(&self) -> &str {
        &self.pair_style
    }
    #[getter]
    fn pair_coeff(&self) -> Vec<String> {
        self.pair_coeff.clone()
    }
    #[getter]
    fn pair_modify(&self) -> Vec<String> {
        self.pair_modify.clone()
    }
    #[getter]
    fn units(&self) -> &str {
        &self.units_name
    }
    /// Largest interaction cutoff (distance units) for `ntypes` atom types.
    #[pyo3(signature = (ntypes=None))]
    fn cutoff(&self, ntypes: Option<usize>) -> PyResult<f64> {
        let n = ntypes.unwrap_or_else(|| guess_ntypes(&self.pair_style, &self.pair_coeff));
        Ok(self.get(n)?.cutoff())
    }
    /// Per-type masses an EAM file sets (None for lj/cut and table).
    #[pyo3(signature = (ntypes=None))]
    fn masses(&self, ntypes: Option<usize>) -> PyResult<Option<Vec<f64>>> {
        let n = ntypes.unwrap_or_else(|| guess_ntypes(&self.pair_style, &self.pair_coeff));
        Ok(self.get(n)?.masses().map(<[f64]>::to_vec))
    }
    fn __repr__(&self) -> String {
        format!(
            "Potential({:?}, {:?}, pair_modify={:?}, units={:?})",
            self.pair_style, self.pair_coeff, self.pair_modify, self.units_name
        )
    }
}

/// evaluate(frame, potential, threads=None) -> dict: one neighbor-list build and one
/// energy/force/virial evaluation, exactly `pelkit eval`.
#[pyfunction]
#[pyo3(signature = (frame, potential, threads=None))]
fn evaluate<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sys = system_from(frame, "frame")?;
    let pot = potential.for_system(&mut sys)?;
    let units = potential.lib_units();
    let ev = detached(py, threads, || pot.evaluate_system(&sys))?.map_err(potential_error)?;
    let d = PyDict::new(py);
    d.set_item("energy", ev.energy)?;
    d.set_item("pressure", ev.pressure_tensor(&sys, units).to_vec())?;
    d.set_item("virial", ev.virial.to_vec())?;
    d.set_item("volume", sys.simbox.volume())?;
    d.set_item("stress_atom", rows(py, ev.stress_atom(&sys, units)))?;
    d.set_item("per_atom_energy", vec1(py, ev.per_atom_energy))?;
    d.set_item("forces", rows(py, ev.forces))?;
    d.set_item("per_atom_virial", rows(py, ev.per_atom_virial))?;
    d.set_item("units", potential.units_name())?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPotential>()?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    Ok(())
}
