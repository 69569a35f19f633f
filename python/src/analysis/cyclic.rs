//! `cyclic`: intra-cage cyclic loading (seed 000) — load by γ, relax, unload, relax, compare
//! with the start (δ(γ), Θ(γ), Δσ histograms, D_min), exactly `pelkit cyclic` on one input.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pelkit_core::analysis::state_change::rms;
use pelkit_core::engine::min_fire::FireSettings;
use pelkit_core::engine::min_modify::apply_min_modify;
use pelkit_core::protocol::cyclic::{
    parse_gamma_list, run_sweep, CyclicMinimizer, CyclicSettings, InitialState, ShearComponent,
};

use crate::convert::{detached, json_object, strings, system_from, vec1};
use crate::engine::{engine_units, summary_dict};
use crate::errors::value_error;
use crate::potential::PyPotential;

/// cyclic(frame, potential, gamma, component="xy", min_style="cg", etol=0.0, ftol=1e-10,
/// maxiter=100000, maxeval=1000000, min_modify=None, timestep=None, max_fnorm=None, skin=None,
/// top_fraction=1e-4, bins=100, is_dmin=True, threads=None) -> dict: `initial` (energy, fnorm,
/// max_force, minimized, rms_sigma_initial) and `points` (one dict per γ in the order given:
/// gamma, status ("ok"/"failed"), stage, reason, and for ok points the outcome fields of the
/// CLI's JSON plus dsigma (N,) in the frame's atom order and the Δσ histogram).
/// `gamma`: a list of strains or the CLI's text (`"1e-5:1e-1:25"` log-spaced, `"1e-3,1e-2"`).
#[pyfunction]
#[pyo3(signature = (frame, potential, gamma, component="xy", min_style="cg", etol=0.0,
    ftol=1e-10, maxiter=100_000, maxeval=1_000_000, min_modify=None, timestep=None,
    max_fnorm=None, skin=None, top_fraction=1e-4, bins=100, is_dmin=true, threads=None))]
#[allow(clippy::too_many_arguments)]
fn cyclic<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    gamma: &Bound<'py, PyAny>,
    component: &str,
    min_style: &str,
    etol: f64,
    ftol: f64,
    maxiter: usize,
    maxeval: usize,
    min_modify: Option<&Bound<'py, PyAny>>,
    timestep: Option<f64>,
    max_fnorm: Option<f64>,
    skin: Option<f64>,
    top_fraction: f64,
    bins: usize,
    is_dmin: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let gammas: Vec<f64> = match gamma.extract::<String>() {
        Ok(text) => parse_gamma_list(&text).map_err(value_error)?,
        Err(_) => gamma
            .extract::<Vec<f64>>()
            .map_err(|_| PyValueError::new_err("gamma must be a list of strains or a string"))?,
    };
    let units = engine_units(potential)?;
    let comp = ShearComponent::from_name(component).ok_or_else(|| {
        PyValueError::new_err(format!("component '{component}': expected xy, xz or yz"))
    })?;
    let mut s = CyclicSettings::new(units, comp, ftol);
    s.minimize.etol = etol;
    s.minimize.maxiter = maxiter;
    s.minimize.maxeval = maxeval;
    let mut fire = FireSettings::for_units(units);
    if let Some(dt) = timestep {
        fire.dt = dt;
    }
    for text in strings(min_modify, "min_modify")? {
        apply_min_modify(&text, &mut s.minimize, &mut fire)
            .map_err(|e| PyValueError::new_err(format!("min_modify '{text}': {e}")))?;
    }
    s.minimizer = match min_style {
        "cg" => CyclicMinimizer::Cg,
        "fire" => CyclicMinimizer::Fire(fire),
        other => {
            return Err(PyValueError::new_err(format!(
                "min_style '{other}': expected cg or fire"
            )))
        }
    };
    if let Some(m) = max_fnorm {
        s.max_final_fnorm = m;
    }
    if let Some(k) = skin {
        s.skin = k;
    }
    s.top_fraction = top_fraction;
    s.histogram_bins = bins;
    s.is_dmin = is_dmin;
    let mut sys = system_from(frame, "frame")?;
    let pot = potential.for_system(&mut sys)?;
    let (initial, points) = detached(py, threads, || {
        let initial = InitialState::new(sys, &pot, &s)?;
        let points = run_sweep(&initial, &pot, &gammas, &s, &|_| {})?;
        Ok::<_, pelkit_core::protocol::cyclic::CyclicError>((initial, points))
    })?
    .map_err(value_error)?;
    let init = PyDict::new(py);
    init.set_item("energy", initial.energy)?;
    init.set_item("fnorm", initial.fnorm)?;
    init.set_item("max_force", initial.max_force)?;
    init.set_item("minimized", initial.is_minimized(&s))?;
    init.set_item("rms_sigma_initial", rms(&initial.sigma))?;
    init.set_item("sigma", vec1(py, initial.sigma.clone()))?;
    let out = PyList::empty(py);
    for p in points {
        let d = PyDict::new(py);
        d.set_item("gamma", p.gamma)?;
        match p.outcome {
            Ok(o) => {
                let fields = json_object(py, &o)?;
                d.update(fields.cast::<pyo3::types::PyMapping>()?)?;
                d.set_item("status", "ok")?;
                d.set_item("stage", "")?;
                d.set_item("reason", "")?;
                // The minimizer summaries as `pelkit.minimize` returns them (stop as text).
                d.set_item("load", summary_dict(py, &o.load, units)?)?;
                d.set_item("unload", summary_dict(py, &o.unload, units)?)?;
                d.set_item("histogram", json_object(py, &o.histogram)?)?;
                d.set_item("dsigma", vec1(py, o.dsigma))?;
            }
            Err(f) => {
                d.set_item("status", "failed")?;
                d.set_item("stage", f.stage)?;
                d.set_item("reason", f.reason)?;
            }
        }
        out.append(d)?;
    }
    let d = PyDict::new(py);
    d.set_item("units", units.name())?;
    d.set_item("component", comp.name())?;
    d.set_item("initial", init)?;
    d.set_item("points", out)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cyclic, m)?)
}
