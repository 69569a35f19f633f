//! Files: `read` (data file or one dump frame), `read_dump` (every frame, with all columns),
//! `write_data`, `write_dump`, `read_eam` / `write_eam` (funcfl, setfl, Finnis–Sinclair).

use std::path::PathBuf;

use numpy::ndarray::Array2;
use numpy::IntoPyArray;
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pelkit_core::io::configuration::{detect_kind, read_bytes};
use pelkit_core::io::dump::{system_frame, write_dump as lib_write_dump, DumpFile, DumpFrame};
use pelkit_core::io::eam_file::{self, EamFile, Funcfl, Setfl, SetflElement};
use pelkit_core::io::{FileKind, FormatError};

use crate::convert::{columns_of, f64_vec, frame_dict, system_from, vec1};
use crate::errors::format_error;

/// Columns of a dump that become Frame fields (the rest go to `Frame.columns`).
const FRAME_FIELDS: [&str; 20] = [
    "id", "type", "x", "y", "z", "xs", "ys", "zs", "xu", "yu", "zu", "xsu", "ysu", "zsu", "ix",
    "iy", "iz", "vx", "vy", "vz",
];

/// A frame read from a file: the system, its timestep and the extra dump columns (file order).
type ReadFrame = (pelkit_core::System, u64, Vec<(String, Vec<f64>)>);

/// A dump frame as (System, timestep, extra columns in file order).
fn split_frame(frame: &DumpFrame) -> Result<ReadFrame, FormatError> {
    let sys = frame.to_system()?;
    let mut extra = Vec::new();
    for (k, name) in frame.columns.iter().enumerate() {
        if FRAME_FIELDS.contains(&name.as_str()) || name == "q" {
            continue;
        }
        if let Some(col) = frame.column_at(k) {
            extra.push((name.clone(), col.to_vec()));
        }
    }
    Ok((sys, frame.timestep, extra))
}

/// read(path, frame=None) -> dict: a data file, or frame `frame` (0-based, default last) of a
/// dump (plain or gzip), with every extra dump column.
#[pyfunction]
#[pyo3(signature = (path, frame=None))]
fn read<'py>(py: Python<'py>, path: PathBuf, frame: Option<usize>) -> PyResult<Bound<'py, PyDict>> {
    let (sys, ts, cols) = py
        .detach(|| -> Result<_, FormatError> {
            let head = read_bytes(&path)?;
            match detect_kind(&path, &head) {
                FileKind::Dump => {
                    drop(head);
                    let dump = DumpFile::open(&path)?;
                    let n = dump.frames();
                    if n == 0 {
                        return Err(FormatError::invalid(&path, "the dump holds no complete frame"));
                    }
                    let k = frame.unwrap_or(n - 1);
                    if k >= n {
                        return Err(FormatError::invalid(
                            &path,
                            format!("frame {k} does not exist: the dump holds {n} complete frames (0..{})", n - 1),
                        ));
                    }
                    split_frame(&dump.frame(k)?)
                }
                _ => Ok((pelkit_core::io::read_configuration(&path, frame)?, 0, Vec::new())),
            }
        })
        .map_err(format_error)?;
    frame_dict(py, sys, ts, cols)
}

/// read_dump(path) -> list[dict]: every complete frame of a dump (parsed in parallel).
#[pyfunction]
fn read_dump<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyList>> {
    let frames = py
        .detach(|| -> Result<Vec<_>, FormatError> {
            let frames = pelkit_core::io::dump::read_dump(&path)?;
            frames.iter().map(split_frame).collect()
        })
        .map_err(format_error)?;
    let out = PyList::empty(py);
    for (sys, ts, cols) in frames {
        out.append(frame_dict(py, sys, ts, cols)?)?;
    }
    Ok(out)
}

/// write_data(path, frame): a LAMMPS data file (atom_style atomic, or charge when the frame
/// has charges), exact round-trip floats.
#[pyfunction]
fn write_data(py: Python<'_>, path: PathBuf, frame: &Bound<'_, PyAny>) -> PyResult<()> {
    let sys = system_from(frame, "frame")?;
    py.detach(|| pelkit_core::io::data::write_data(&path, &sys))
        .map_err(format_error)
}

/// write_dump(path, frames): a text dump (gzip for `.gz`), one frame per entry, sorted by id,
/// columns `id type x y z ix iy iz [vx vy vz] [q]` plus each frame's `columns`.
#[pyfunction]
fn write_dump(py: Python<'_>, path: PathBuf, frames: &Bound<'_, PyList>) -> PyResult<()> {
    let mut out = Vec::with_capacity(frames.len());
    for f in frames.iter() {
        let sys = system_from(&f, "frame")?;
        let extra = columns_of(&f, sys.natoms())?;
        let ts: u64 = f.getattr("timestep").and_then(|t| t.extract()).unwrap_or(0);
        let refs: Vec<(&str, &[f64])> = extra
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        out.push(system_frame(&sys, ts, &refs).map_err(|e| PyValueError::new_err(e.to_string()))?);
    }
    py.detach(|| lib_write_dump(&path, &out))
        .map_err(format_error)
}

fn table<'py>(py: Python<'py>, rows: &[Vec<f64>]) -> PyResult<Bound<'py, PyAny>> {
    let n = rows.first().map_or(0, Vec::len);
    let flat: Vec<f64> = rows.concat();
    let a = Array2::from_shape_vec((rows.len(), n), flat)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(a.into_pyarray(py).into_any())
}

/// read_eam(path) -> dict: every number of a funcfl / setfl / Finnis–Sinclair file (the format
/// is found from the content, as `pelkit potential info` does), tables as float64 arrays.
#[pyfunction]
fn read_eam<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
    let file = py
        .detach(|| eam_file::read_any(&path))
        .map_err(format_error)?;
    let d = PyDict::new(py);
    d.set_item("pair_style", file.pair_style())?;
    match file {
        EamFile::Funcfl(f) => {
            d.set_item("comments", vec![f.comment])?;
            d.set_item("elements", vec![String::new()])?;
            d.set_item("atomic_numbers", vec![f.atomic_number])?;
            d.set_item("masses", vec![f.mass])?;
            d.set_item("lattice_constants", vec![f.lattice_constant])?;
            d.set_item("lattices", vec![f.lattice])?;
            for (k, v) in [("nrho", f.nrho), ("nr", f.nr)] {
                d.set_item(k, v)?;
            }
            for (k, v) in [("drho", f.drho), ("dr", f.dr), ("cutoff", f.cutoff)] {
                d.set_item(k, v)?;
            }
            d.set_item("frho", table(py, &[f.frho])?)?;
            d.set_item("zr", vec1(py, f.zr))?;
            d.set_item("rhor", table(py, &[f.rhor])?)?;
        }
        EamFile::Setfl(s) => {
            d.set_item("comments", s.comments.to_vec())?;
            d.set_item(
                "elements",
                s.elements
                    .iter()
                    .map(|e| e.name.clone())
                    .collect::<Vec<_>>(),
            )?;
            d.set_item(
                "atomic_numbers",
                s.elements
                    .iter()
                    .map(|e| e.atomic_number)
                    .collect::<Vec<_>>(),
            )?;
            d.set_item(
                "masses",
                s.elements.iter().map(|e| e.mass).collect::<Vec<_>>(),
            )?;
            d.set_item(
                "lattice_constants",
                s.elements
                    .iter()
                    .map(|e| e.lattice_constant)
                    .collect::<Vec<_>>(),
            )?;
            d.set_item(
                "lattices",
                s.elements
                    .iter()
                    .map(|e| e.lattice.clone())
                    .collect::<Vec<_>>(),
            )?;
            for (k, v) in [("nrho", s.nrho), ("nr", s.nr)] {
                d.set_item(k, v)?;
            }
            for (k, v) in [("drho", s.drho), ("dr", s.dr), ("cutoff", s.cutoff)] {
                d.set_item(k, v)?;
            }
            let frho: Vec<Vec<f64>> = s.elements.iter().map(|e| e.frho.clone()).collect();
            d.set_item("frho", table(py, &frho)?)?;
            // rhor: (nelements, ntables, nr); ntables = 1 (setfl) or nelements (eam/fs).
            let rhor = PyList::empty(py);
            for e in &s.elements {
                rhor.append(table(py, &e.rhor)?)?;
            }
            d.set_item("rhor", rhor)?;
            d.set_item("z2r", table(py, &s.z2r)?)?;
        }
    }
    Ok(d)
}

fn item<'py>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?
        .ok_or_else(|| PyKeyError::new_err(format!("EAM dict has no '{key}'")))
}

fn rows_of(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<Vec<f64>>> {
    obj.try_iter()?
        .enumerate()
        .map(|(k, r)| {
            let r = r?.call_method1("astype", ("float64",))?;
            f64_vec(&r, &format!("{name}[{k}]"), None)
        })
        .collect()
}

/// write_eam(path, eam): write a dict as read_eam returns it (pair_style selects the layout);
/// shortest round-trip decimals, so read → write → read is exact.
#[pyfunction]
fn write_eam(py: Python<'_>, path: PathBuf, eam: &Bound<'_, PyDict>) -> PyResult<()> {
    let style: String = item(eam, "pair_style")?.extract()?;
    let get = |k: &str| -> PyResult<Bound<'_, PyAny>> {
        eam.get_item(k)?
            .ok_or_else(|| PyKeyError::new_err(format!("EAM dict has no '{k}'")))
    };
    let comments: Vec<String> = item(eam, "comments")?.extract()?;
    let masses: Vec<f64> = item(eam, "masses")?.extract()?;
    let numbers: Vec<u32> = item(eam, "atomic_numbers")?.extract()?;
    let lat: Vec<f64> = item(eam, "lattice_constants")?.extract()?;
    let lattices: Vec<String> = item(eam, "lattices")?.extract()?;
    let frho = rows_of(&get("frho")?, "frho")?;
    let (nrho, nr): (usize, usize) = (item(eam, "nrho")?.extract()?, item(eam, "nr")?.extract()?);
    let (drho, dr, cutoff): (f64, f64, f64) = (
        item(eam, "drho")?.extract()?,
        item(eam, "dr")?.extract()?,
        item(eam, "cutoff")?.extract()?,
    );
    let result = match style.as_str() {
        "eam" => {
            let zr = f64_vec(
                &get("zr")?.call_method1("astype", ("float64",))?,
                "zr",
                None,
            )?;
            let rhor = rows_of(&get("rhor")?, "rhor")?;
            let f = Funcfl {
                comment: comments.first().cloned().unwrap_or_default(),
                atomic_number: numbers.first().copied().unwrap_or(0),
                mass: masses.first().copied().unwrap_or(0.0),
                lattice_constant: lat.first().copied().unwrap_or(0.0),
                lattice: lattices.first().cloned().unwrap_or_default(),
                nrho,
                drho,
                nr,
                dr,
                cutoff,
                frho: frho.into_iter().next().unwrap_or_default(),
                zr,
                rhor: rhor.into_iter().next().unwrap_or_default(),
            };
            py.detach(|| eam_file::write_funcfl(&path, &f))
        }
        "eam/alloy" | "eam/fs" => {
            let names: Vec<String> = item(eam, "elements")?.extract()?;
            let rhor_all = get("rhor")?;
            let mut elements = Vec::new();
            for (k, name) in names.iter().enumerate() {
                elements.push(SetflElement {
                    name: name.clone(),
                    atomic_number: numbers.get(k).copied().unwrap_or(0),
                    mass: masses.get(k).copied().unwrap_or(0.0),
                    lattice_constant: lat.get(k).copied().unwrap_or(0.0),
                    lattice: lattices.get(k).cloned().unwrap_or_default(),
                    frho: frho.get(k).cloned().unwrap_or_default(),
                    rhor: rows_of(&rhor_all.get_item(k)?, &format!("rhor[{k}]"))?,
                });
            }
            let mut c = comments.clone();
            c.resize(3, String::new());
            let s = Setfl {
                comments: [c[0].clone(), c[1].clone(), c[2].clone()],
                finnis_sinclair: style == "eam/fs",
                elements,
                nrho,
                drho,
                nr,
                dr,
                cutoff,
                z2r: rows_of(&get("z2r")?, "z2r")?,
            };
            py.detach(|| eam_file::write_setfl(&path, &s))
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown EAM pair_style '{other}' (eam, eam/alloy, eam/fs)"
            )))
        }
    };
    result.map_err(format_error)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(read_dump, m)?)?;
    m.add_function(wrap_pyfunction!(write_data, m)?)?;
    m.add_function(wrap_pyfunction!(write_dump, m)?)?;
    m.add_function(wrap_pyfunction!(read_eam, m)?)?;
    m.add_function(wrap_pyfunction!(write_eam, m)?)?;
    Ok(())
}
