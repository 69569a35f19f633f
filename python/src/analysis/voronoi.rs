//! `voronoi(frame, …)`: per-atom Voronoi volumes, face counts, coordination and indices
//! (OVITO's threshold rules), exactly `pelkit voronoi`.

use numpy::ndarray::Array2;
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::voronoi::{tessellate, IndexThresholds, Radii, VoronoiOptions};

use crate::convert::{detached, f64_vec, system_from, vec1};
use crate::errors::value_error;

/// voronoi(frame, edge_threshold=0, face_threshold=0, relative_face_threshold=0,
/// type_radii=None, atom_radii=None, threads=None) -> dict with volumes, surface_areas,
/// face_counts, coordination and indices (N, W): entry k counts kept faces with k edges.
#[pyfunction]
#[pyo3(signature = (frame, edge_threshold=0.0, face_threshold=0.0, relative_face_threshold=0.0,
    type_radii=None, atom_radii=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn voronoi<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    edge_threshold: f64,
    face_threshold: f64,
    relative_face_threshold: f64,
    type_radii: Option<&Bound<'py, PyAny>>,
    atom_radii: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let sys = system_from(frame, "frame")?;
    let radii = match (type_radii, atom_radii) {
        (Some(_), Some(_)) => {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "give type_radii or atom_radii, not both",
            ))
        }
        (Some(r), None) => Radii::PerType(f64_vec(r, "type_radii", None)?),
        (None, Some(r)) => Radii::PerAtom(f64_vec(r, "atom_radii", Some(sys.natoms()))?),
        (None, None) => Radii::Monodisperse,
    };
    let opts = VoronoiOptions {
        radii,
        thresholds: IndexThresholds {
            edge_length: edge_threshold,
            face_area: face_threshold,
            relative_face_area: relative_face_threshold,
        },
        keep_faces: false,
    };
    let t = detached(py, threads, || tessellate(&sys, &opts))?.map_err(value_error)?;
    let d = PyDict::new(py);
    let n = t.volumes.len();
    let indices = Array2::from_shape_vec((n, t.index_width), t.indices)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    d.set_item("indices", indices.into_pyarray(py))?;
    d.set_item("volumes", vec1(py, t.volumes))?;
    d.set_item("surface_areas", vec1(py, t.surface_areas))?;
    d.set_item("face_counts", vec1(py, t.face_counts))?;
    d.set_item("coordination", vec1(py, t.coordination))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(voronoi, m)?)
}
