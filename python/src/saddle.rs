//! Saddle points and minimum energy paths (`pelkit_core::engine::saddle`): `art` (ART nouveau
//! events from a minimum, exactly `pelkit art`) and `neb` (climbing-image NEB between two
//! minima, exactly `pelkit neb A B`).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pelkit_core::engine::min_cg::minimize_cg;
use pelkit_core::engine::potential_provider::PotentialProvider;
use pelkit_core::engine::saddle::art::{art_events, ArtSettings, ArtStatus};
use pelkit_core::engine::saddle::fire_flat::FlatFireSettings;
use pelkit_core::engine::saddle::neb::{neb as lib_neb, NebSettings};
use pelkit_core::engine::saddle::SaddleError;
use pelkit_core::engine::MinimizeSettings;
use pelkit_core::units::Units;

use crate::convert::{detached, frame_dict, json_object, system_from};
use crate::engine::{engine_units, provider};
use crate::errors::value_error;
use crate::potential::PyPotential;

/// art(frame, potential, events=100, atom_ids=None, seed=1, force_tol=None, local_radius=None,
/// eigen_threshold=None, relax_ftol=1e-6, skin=None, threads=None) -> dict: the input relaxed
/// by CG to `relax_ftol` (`initial`, a frame dict), then `events` ART events (event k starts
/// from atom_ids[k % len], default every atom in id order): `events` (list of dicts: event,
/// atom_id, status found/no_exit/saddle_not_converged, e_initial, e_saddle, e_final, e_a,
/// e_back, lambda_saddle, saddle_fnorm, saddle_distance, final_distance, connected,
/// back_distance, back_de, back_max_move, final_is_initial, force_evaluations, same_as, and
/// `saddle` / `final` frame dicts).
#[pyfunction]
#[pyo3(signature = (frame, potential, events=100, atom_ids=None, seed=1, force_tol=None,
    local_radius=None, eigen_threshold=None, relax_ftol=1e-6, skin=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn art<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    events: usize,
    atom_ids: Option<Vec<u64>>,
    seed: u64,
    force_tol: Option<f64>,
    local_radius: Option<f64>,
    eigen_threshold: Option<f64>,
    relax_ftol: f64,
    skin: Option<f64>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let units = engine_units(potential)?;
    let mut sys = system_from(frame, "frame")?;
    let mut prov = provider(potential, &mut sys, units, skin)?;
    let mut s = ArtSettings::for_units(units);
    if let Some(v) = force_tol {
        s.force_tol = v;
    }
    if let Some(v) = local_radius {
        s.local_radius = v;
    }
    if let Some(v) = eigen_threshold {
        s.eigen_threshold = v;
    }
    s.minimize = MinimizeSettings::new(0.0, relax_ftol, 100_000, 1_000_000, false);
    s.validate().map_err(value_error)?;
    let atoms: Vec<usize> = match &atom_ids {
        None => sys.order_by_id(),
        Some(ids) => {
            let index: std::collections::HashMap<u64, usize> =
                sys.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
            ids.iter()
                .map(|id| {
                    index.get(id).copied().ok_or_else(|| {
                        PyValueError::new_err(format!(
                            "atom_ids: atom id {id} is not in the configuration"
                        ))
                    })
                })
                .collect::<PyResult<_>>()?
        }
    };
    let pot = prov.potential().clone();
    let skin = skin.unwrap_or(units.default_skin());
    let make = || PotentialProvider::new(pot.clone(), skin).map_err(SaddleError::from);
    let evs = detached(py, threads, || {
        minimize_cg(&mut sys, &mut prov, &s.minimize).map_err(SaddleError::from)?;
        art_events(&sys, make, &atoms, events, seed, &s, &|| {})
    })?
    .map_err(value_error)?;
    let list = PyList::empty(py);
    for ev in evs {
        let d = json_object(py, &ev)?.cast_into::<PyDict>()?;
        d.set_item("status", ev.status.as_str())?;
        let found = ev.status == ArtStatus::Found;
        d.set_item(
            "saddle",
            match ev.saddle.filter(|_| found) {
                Some(x) => Some(frame_dict(py, x, 0, Vec::new())?),
                None => None,
            },
        )?;
        d.set_item(
            "final",
            match ev.final_state.filter(|_| found) {
                Some(x) => Some(frame_dict(py, x, 0, Vec::new())?),
                None => None,
            },
        )?;
        list.append(d)?;
    }
    let d = PyDict::new(py);
    d.set_item("initial", frame_dict(py, sys, 0, Vec::new())?)?;
    d.set_item("events", list)?;
    Ok(d)
}

/// neb(a, b, potential, images=9, kspring=1.0, climb=True, ftol=1e-3, max_iter=20000,
/// climb_after=2000, dt=None, skin=None, threads=None) -> dict: energies, reaction_coordinate,
/// barrier_forward/reverse, climbing_image, iterations, force_evaluations, converged,
/// max_image_force, path (contour_length, end_to_end, tortuosity, …) and `images` (frame
/// dicts). `a` and `b` are minima with the same atoms in the same order.
#[pyfunction]
#[pyo3(signature = (a, b, potential, images=9, kspring=1.0, climb=true, ftol=1e-3,
    max_iter=20_000, climb_after=2000, dt=None, skin=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn neb<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    potential: &PyPotential,
    images: usize,
    kspring: f64,
    climb: bool,
    ftol: f64,
    max_iter: usize,
    climb_after: usize,
    dt: Option<f64>,
    skin: Option<f64>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let units = engine_units(potential)?;
    let mut sa = system_from(a, "a")?;
    let mut sb = system_from(b, "b")?;
    let pot = potential.for_system(&mut sa)?;
    potential.for_system(&mut sb)?;
    let mut s = NebSettings::metal(images);
    s.kspring = kspring;
    s.climb = climb;
    s.force_tol = ftol;
    s.max_iter = max_iter;
    s.climb_after = climb_after;
    let dt = dt.unwrap_or(match units {
        Units::Metal | Units::Real => 0.05,
        Units::Lj => 0.01,
    });
    s.fire = FlatFireSettings::new(dt, if units == Units::Metal { 0.1 } else { 0.05 });
    let skin = skin.unwrap_or(units.default_skin());
    let make = || PotentialProvider::new((*pot).clone(), skin).map_err(SaddleError::from);
    let r = detached(py, threads, || lib_neb(&sa, &sb, make, &s))?.map_err(value_error)?;
    let d = json_object(py, &r)?.cast_into::<PyDict>()?;
    let imgs = PyList::empty(py);
    for img in r.images {
        imgs.append(frame_dict(py, img, 0, Vec::new())?)?;
    }
    d.set_item("images", imgs)?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(art, m)?)?;
    m.add_function(wrap_pyfunction!(neb, m)?)
}
