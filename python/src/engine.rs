//! The engine: `minimize` (CG / FIRE as LAMMPS `minimize`), `md` (NVE / Nosé–Hoover NVT,
//! oscillatory shear), `quench` (melt–quench–minimize), `strain` (`change_box … remap`).
//! Each returns the new frame and a summary; the input frame is never modified.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit_core::engine::md::{run_md, MdSample, MdSettings, Wiggle};
use pelkit_core::engine::min_cg::minimize_cg;
use pelkit_core::engine::min_fire::{minimize_fire, FireSettings};
use pelkit_core::engine::min_modify::apply_min_modify;
use pelkit_core::engine::minimize::LineSearch;
use pelkit_core::engine::potential_provider::PotentialProvider;
use pelkit_core::engine::quench::{melt_quench_minimize, random_start, QuenchProtocol};
use pelkit_core::engine::thermostat_nh::NoseHooverSettings;
use pelkit_core::engine::velocity::create_velocities;
use pelkit_core::engine::{MinimizeSettings, MinimizeSummary, NormStyle};
use pelkit_core::units::Units;
use pelkit_core::{SimBox, System};

use crate::convert::{detached, frame_dict, strings, system_from, vec1};
use crate::errors::value_error;
use crate::potential::PyPotential;

pub(crate) fn engine_units(p: &PyPotential) -> PyResult<Units> {
    match p.units_name() {
        "lj" => Ok(Units::Lj),
        "metal" => Ok(Units::Metal),
        other => Err(PyValueError::new_err(format!(
            "unsupported units '{other}' for minimization and MD (lj or metal)"
        ))),
    }
}

pub(crate) fn provider(
    p: &PyPotential,
    sys: &mut System,
    units: Units,
    skin: Option<f64>,
) -> PyResult<PotentialProvider> {
    let pot = p.for_system(sys)?;
    let skin = skin.unwrap_or(units.default_skin());
    PotentialProvider::new((*pot).clone(), skin).map_err(value_error)
}

pub(crate) fn summary_dict<'py>(
    py: Python<'py>,
    s: &MinimizeSummary,
    units: Units,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("units", units.name())?;
    d.set_item("stop", s.stop.as_str())?;
    d.set_item("pe_initial", s.energy_initial)?;
    d.set_item("pe_next_to_last", s.energy_next_to_last)?;
    d.set_item("pe_final", s.energy_final)?;
    d.set_item("pe_total_final", s.energy_total_final)?;
    d.set_item("pe_per_atom", s.energy_per_atom)?;
    d.set_item("iterations", s.iterations)?;
    d.set_item("force_evaluations", s.force_evaluations)?;
    d.set_item("fnorm_initial", s.fnorm2_initial)?;
    d.set_item("fnorm_final", s.fnorm2_final)?;
    d.set_item("fnorm_inf_initial", s.fnorm_inf_initial)?;
    d.set_item("fnorm_inf_final", s.fnorm_inf_final)?;
    Ok(d)
}

/// minimize(frame, potential, ...) -> (frame dict, summary dict): exactly `pelkit minimize`.
#[pyfunction]
#[pyo3(signature = (frame, potential, min_style="cg", etol=0.0, ftol=1e-10, maxiter=100_000,
    maxeval=1_000_000, dmax=0.1, line="quadratic", norm="two", timestep=None, min_modify=None,
    skin=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn minimize<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    min_style: &str,
    etol: f64,
    ftol: f64,
    maxiter: usize,
    maxeval: usize,
    dmax: f64,
    line: &str,
    norm: &str,
    timestep: Option<f64>,
    min_modify: Option<&Bound<'py, PyAny>>,
    skin: Option<f64>,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let units = engine_units(potential)?;
    let mut sys = system_from(frame, "frame")?;
    let mut prov = provider(potential, &mut sys, units, skin)?;
    let mut settings = MinimizeSettings::new(etol, ftol, maxiter, maxeval, units.default_norm());
    settings.dmax = dmax;
    settings.line_search = match line {
        "quadratic" => LineSearch::Quadratic,
        "backtrack" => LineSearch::Backtrack,
        other => {
            return Err(PyValueError::new_err(format!(
                "line '{other}': expected quadratic or backtrack"
            )))
        }
    };
    settings.norm = match norm {
        "two" => NormStyle::Two,
        "max" => NormStyle::Max,
        "inf" => NormStyle::Inf,
        other => {
            return Err(PyValueError::new_err(format!(
                "norm '{other}': expected two, max or inf"
            )))
        }
    };
    let mut fire = FireSettings::for_units(units);
    if let Some(dt) = timestep {
        fire.dt = dt;
    }
    for text in strings(min_modify, "min_modify")? {
        apply_min_modify(&text, &mut settings, &mut fire).map_err(value_error)?;
    }
    let fire_style = match min_style {
        "cg" => false,
        "fire" => true,
        other => {
            return Err(PyValueError::new_err(format!(
                "min_style '{other}': expected cg or fire"
            )))
        }
    };
    let summary = detached(py, threads, || {
        if fire_style {
            minimize_fire(&mut sys, &mut prov, &settings, &fire, units)
        } else {
            minimize_cg(&mut sys, &mut prov, &settings)
        }
    })?
    .map_err(|e| value_error_msg("minimization failed", e))?;
    let s = summary_dict(py, &summary, units)?;
    Ok((frame_dict(py, sys, 0, Vec::new())?, s))
}

fn value_error_msg(what: &str, e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("{what}: {e}"))
}

/// Samples as columns: step, time, temperature, pe, ke, etotal, conserved, pressure,
/// pressure_tensor (n, 6), tilt (n, 3), strain.
fn samples_dict<'py>(py: Python<'py>, s: &[MdSample]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(
        "step",
        vec1(py, s.iter().map(|m| m.step as i64).collect::<Vec<_>>()),
    )?;
    type Field = fn(&MdSample) -> f64;
    let fields: [(&str, Field); 8] = [
        ("time", |m| m.time),
        ("temperature", |m| m.temperature),
        ("pe", |m| m.pe),
        ("ke", |m| m.ke),
        ("etotal", |m| m.etotal),
        ("conserved", |m| m.conserved),
        ("pressure", |m| m.pressure),
        ("strain", |m| m.strain),
    ];
    for (name, f) in fields {
        d.set_item(name, vec1(py, s.iter().map(f).collect::<Vec<_>>()))?;
    }
    d.set_item(
        "pressure_tensor",
        crate::convert::rows(py, s.iter().map(|m| m.pressure_tensor).collect()),
    )?;
    d.set_item(
        "tilt",
        crate::convert::rows(py, s.iter().map(|m| m.tilt).collect()),
    )?;
    Ok(d)
}

/// md(frame, potential, steps, ...) -> (frame dict, samples dict): exactly `pelkit md`.
#[pyfunction]
#[pyo3(signature = (frame, potential, steps, timestep=None, temp=None, seed=12345, nvt=None,
    wiggle=None, wiggle_every=1, thermo=100, threads=None))]
#[allow(clippy::too_many_arguments)]
fn md<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    steps: u64,
    timestep: Option<f64>,
    temp: Option<f64>,
    seed: u64,
    nvt: Option<(f64, f64, f64)>,
    wiggle: Option<(String, f64, f64)>,
    wiggle_every: u64,
    thermo: u64,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let units = engine_units(potential)?;
    let mut sys = system_from(frame, "frame")?;
    let mut prov = provider(potential, &mut sys, units, None)?;
    if let Some(t) = temp {
        create_velocities(&mut sys, t, seed, units).map_err(value_error)?;
    } else if sys.velocities.is_none() {
        return Err(PyValueError::new_err(
            "the frame has no velocities: give temp=T",
        ));
    }
    let wiggle = match wiggle {
        Some((comp, strain, period)) => {
            let tilt = match comp.as_str() {
                "xy" => 0,
                "xz" => 1,
                "yz" => 2,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "wiggle: unknown component '{other}' (xy, xz, yz)"
                    )))
                }
            };
            let l = sys.simbox.lengths();
            let len = if tilt == 0 { l[1] } else { l[2] };
            sys.simbox.triclinic = true;
            Some(Wiggle {
                tilt,
                amplitude: strain * len,
                period,
                every: wiggle_every,
                flip: true,
            })
        }
        None => None,
    };
    let settings = MdSettings {
        units,
        dt: timestep.unwrap_or(units.default_dt()),
        steps,
        thermostat: nvt.map(|(a, b, c)| NoseHooverSettings::new(a, b, c)),
        wiggle,
        sample_every: thermo,
    };
    let samples = detached(py, threads, || {
        run_md(&mut sys, &mut prov, &settings, &mut |_, _| {})
    })?
    .map_err(|e| value_error_msg("MD run failed", e))?;
    Ok((
        frame_dict(py, sys, steps, Vec::new())?,
        samples_dict(py, &samples)?,
    ))
}

/// quench(potential, tmelt, tfinal, quench_steps, atoms=None, density=None, frame=None, ...)
/// -> (frame dict, report dict): exactly `pelkit quench`.
#[pyfunction]
#[pyo3(signature = (potential, tmelt, tfinal, quench_steps, atoms=None, density=None, frame=None,
    masses=None, min_distance=None, melt_steps=0, timestep=None, tdamp=None, seed=12345,
    ftol=1e-10, thermo=1000, threads=None))]
#[allow(clippy::too_many_arguments)]
fn quench<'py>(
    py: Python<'py>,
    potential: &PyPotential,
    tmelt: f64,
    tfinal: f64,
    quench_steps: u64,
    atoms: Option<Vec<usize>>,
    density: Option<f64>,
    frame: Option<&Bound<'py, PyAny>>,
    masses: Option<Vec<f64>>,
    min_distance: Option<f64>,
    melt_steps: u64,
    timestep: Option<f64>,
    tdamp: Option<f64>,
    seed: u64,
    ftol: f64,
    thermo: u64,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let units = engine_units(potential)?;
    let (mut sys, mut prov) = match frame {
        Some(f) => {
            let mut sys = system_from(f, "frame")?;
            let prov = provider(potential, &mut sys, units, None)?;
            (sys, prov)
        }
        None => {
            let (Some(counts), Some(density)) = (atoms, density) else {
                return Err(PyValueError::new_err(
                    "give frame=... or both atoms=[n1, n2, ...] and density=...",
                ));
            };
            let pot = potential.get(counts.len())?;
            let masses = match (masses, pot.masses()) {
                (Some(m), _) => m,
                (None, Some(m)) => m.to_vec(),
                (None, None) => {
                    return Err(PyValueError::new_err(
                        "masses=[...] is needed for this pair style",
                    ))
                }
            };
            if density.is_nan() || density <= 0.0 {
                return Err(PyValueError::new_err("density must be > 0"));
            }
            let n: usize = counts.iter().sum();
            let l = (n as f64 / density).cbrt();
            let b = SimBox::orthogonal([0.0; 3], [l; 3]).map_err(value_error)?;
            let dmin = min_distance.unwrap_or(match units {
                Units::Metal | Units::Real => 2.0,
                Units::Lj => 0.75,
            });
            let sys = py
                .detach(|| random_start(b, &counts, &masses, dmin, seed))
                .map_err(value_error)?;
            let skin = units.default_skin();
            (
                sys,
                PotentialProvider::new((*pot).clone(), skin).map_err(value_error)?,
            )
        }
    };
    let dt = timestep.unwrap_or(units.default_dt());
    let protocol = QuenchProtocol {
        units,
        dt,
        t_melt: tmelt,
        melt_steps,
        t_final: tfinal,
        quench_steps,
        t_damp: tdamp.unwrap_or(100.0 * dt),
        seed,
        minimize: MinimizeSettings::new(0.0, ftol, 100_000, 1_000_000, units.default_norm()),
        sample_every: thermo,
    };
    let report = detached(py, threads, || {
        melt_quench_minimize(&mut sys, &mut prov, &protocol, &mut |_, _, _| {})
    })?
    .map_err(|e| value_error_msg("quench failed", e))?;
    let d = PyDict::new(py);
    d.set_item("cooling_rate", report.cooling_rate)?;
    d.set_item("minimize", summary_dict(py, &report.minimize, units)?)?;
    d.set_item(
        "pre_minimize",
        summary_dict(py, &report.pre_minimize, units)?,
    )?;
    d.set_item("melt", samples_dict(py, &report.melt)?)?;
    d.set_item("quench", samples_dict(py, &report.quench)?)?;
    Ok((frame_dict(py, sys, 0, Vec::new())?, d))
}

/// strain(frame, component, value) -> frame dict: `pelkit minimize --shear COMPONENT=VALUE`
/// without the minimization: `xy`/`xz`/`yz` add value·ly (xy) or value·lz (xz, yz) to the tilt
/// (an orthogonal box becomes triclinic), `x`/`y`/`z` scale that length by 1+value about the box
/// centre; atoms are mapped affinely (`change_box all … remap units box`).
#[pyfunction]
fn strain<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    component: &str,
    value: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sys = system_from(frame, "frame")?;
    if !value.is_finite() {
        return Err(PyValueError::new_err("strain must be finite"));
    }
    let l = sys.simbox.lengths();
    let op = match component {
        "xy" | "xz" | "yz" => {
            if !sys.simbox.triclinic {
                make_triclinic(&mut sys);
            }
            let (tilt, len) = match component {
                "xy" => (0, l[1]),
                "xz" => (1, l[2]),
                _ => (2, l[2]),
            };
            BoxOp::TiltDelta {
                tilt,
                delta: value * len,
            }
        }
        "x" | "y" | "z" => BoxOp::Scale {
            axis: "xyz".find(component).unwrap_or(0),
            factor: 1.0 + value,
        },
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown strain component '{other}' (x y z xy xz yz)"
            )))
        }
    };
    change_box(&mut sys, &[op], true).map_err(value_error)?;
    frame_dict(py, sys, 0, Vec::new())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(minimize, m)?)?;
    m.add_function(wrap_pyfunction!(md, m)?)?;
    m.add_function(wrap_pyfunction!(quench, m)?)?;
    m.add_function(wrap_pyfunction!(strain, m)?)?;
    Ok(())
}
