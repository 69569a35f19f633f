//! Conversions between Python and the library: per-atom NumPy arrays checked for dtype, shape
//! and contiguity (clear `TypeError`/`ValueError`, never a crash), frames ↔ [`System`], and
//! result vectors handed to NumPy without copying.
//!
//! Transfer costs (documented in python/README.md): arrays coming in are copied once into the
//! library's `Vec<[f64; 3]>` layout; arrays going out are moved into NumPy (zero copies: NumPy
//! takes ownership of the Rust allocation).

use numpy::ndarray::{Array1, Array2};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArrayDescrMethods, PyArrayMethods, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use pelkit_core::{SimBox, System};

/// `obj` as a NumPy array, or a `TypeError` naming the argument.
fn untyped<'a, 'py>(
    obj: &'a Bound<'py, PyAny>,
    name: &str,
) -> PyResult<&'a Bound<'py, PyUntypedArray>> {
    obj.cast::<PyUntypedArray>().map_err(|_| {
        let ty = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        PyTypeError::new_err(format!(
            "{name} must be a numpy.ndarray, got {ty} (use numpy.asarray(...))"
        ))
    })
}

fn describe(a: &Bound<'_, PyUntypedArray>) -> String {
    let dt = a
        .dtype()
        .str()
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "?".into());
    format!("dtype {dt}, shape {:?}", a.shape())
}

/// Check shape: `cols = None` for 1-D (len n), `Some(k)` for 2-D (n, k). `n = None`: any.
fn check_shape(
    a: &Bound<'_, PyUntypedArray>,
    name: &str,
    n: Option<usize>,
    cols: Option<usize>,
) -> PyResult<usize> {
    let shape = a.shape();
    let ok = match cols {
        None => shape.len() == 1,
        Some(k) => shape.len() == 2 && shape[1] == k,
    } && n.is_none_or(|n| shape[0] == n);
    if !ok {
        let want = match (n, cols) {
            (Some(n), None) => format!("({n},)"),
            (None, None) => "(N,)".into(),
            (Some(n), Some(k)) => format!("({n}, {k})"),
            (None, Some(k)) => format!("(N, {k})"),
        };
        return Err(PyValueError::new_err(format!(
            "{name} must have shape {want}, got {}",
            describe(a)
        )));
    }
    if !a.is_c_contiguous() {
        return Err(PyValueError::new_err(format!(
            "{name} must be C-contiguous ({}, not contiguous): pass numpy.ascontiguousarray({name})",
            describe(a)
        )));
    }
    Ok(shape[0])
}

/// A float64 array of shape (n,) — copied once.
pub fn f64_vec(obj: &Bound<'_, PyAny>, name: &str, n: Option<usize>) -> PyResult<Vec<f64>> {
    let a = untyped(obj, name)?;
    let arr = a.cast::<PyArray1<f64>>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be a float64 array, got {} (use numpy.asarray({name}, dtype=numpy.float64))",
            describe(a)
        ))
    })?;
    check_shape(a, name, n, None)?;
    let ro = arr.readonly();
    Ok(ro
        .as_slice()
        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?
        .to_vec())
}

/// A float64 array of shape (n, K) as rows — copied once.
pub fn f64_rows<const K: usize>(
    obj: &Bound<'_, PyAny>,
    name: &str,
    n: Option<usize>,
) -> PyResult<Vec<[f64; K]>> {
    let a = untyped(obj, name)?;
    let arr = a.cast::<PyArray2<f64>>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be a float64 array of shape (N, {K}), got {} (use numpy.asarray({name}, dtype=numpy.float64))",
            describe(a)
        ))
    })?;
    check_shape(a, name, n, Some(K))?;
    let ro = arr.readonly();
    let flat = ro
        .as_slice()
        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?;
    Ok(flat.as_chunks::<K>().0.to_vec())
}

/// An integer array (any integer dtype) of shape (n,) or (n, k) as i64, row-major.
fn int_values(
    obj: &Bound<'_, PyAny>,
    name: &str,
    n: Option<usize>,
    cols: Option<usize>,
) -> PyResult<Vec<i64>> {
    let a = untyped(obj, name)?;
    let kind = a.dtype().kind();
    if kind != b'i' && kind != b'u' {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an integer array, got {}",
            describe(a)
        )));
    }
    check_shape(a, name, n, cols)?;
    if let Ok(arr) = a.cast::<numpy::PyArrayDyn<i64>>() {
        let ro = arr.readonly();
        return Ok(ro
            .as_slice()
            .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?
            .to_vec());
    }
    // Other integer widths: numpy casts (values must fit in int64).
    let cast = obj.call_method1("astype", ("int64",))?;
    let arr = cast.cast::<numpy::PyArrayDyn<i64>>()?;
    let ro = arr.readonly();
    Ok(ro
        .as_slice()
        .map_err(|e| PyValueError::new_err(format!("{name}: {e}")))?
        .to_vec())
}

/// A Rust vector handed to NumPy without a copy.
pub fn vec1<'py, T: numpy::Element>(py: Python<'py>, v: Vec<T>) -> Bound<'py, PyArray1<T>> {
    v.into_pyarray(py)
}

/// Rows `[T; K]` as an (n, K) NumPy array without a copy (the allocation moves to NumPy).
pub fn rows<'py, T: numpy::Element, const K: usize>(
    py: Python<'py>,
    v: Vec<[T; K]>,
) -> Bound<'py, PyArray2<T>> {
    let n = v.len();
    let flat: Vec<T> = v.into_flattened();
    Array2::from_shape_vec((n, K), flat)
        .expect("n*K elements")
        .into_pyarray(py)
}

/// A flat row-major vector as an (n, ncols) NumPy array without a copy (`ncols` ≥ 1; an empty
/// vector gives shape (0, ncols)).
pub fn flat_rows<'py, T: numpy::Element>(
    py: Python<'py>,
    v: Vec<T>,
    ncols: usize,
) -> Bound<'py, PyArray2<T>> {
    let ncols = ncols.max(1);
    let n = v.len() / ncols;
    Array2::from_shape_vec((n, ncols), v)
        .expect("a whole number of rows")
        .into_pyarray(py)
}

/// A flat row-major vector as a NumPy array of `shape` without a copy.
pub fn reshaped<'py>(
    py: Python<'py>,
    v: Vec<f64>,
    shape: &[usize],
) -> PyResult<Bound<'py, numpy::PyArrayDyn<f64>>> {
    numpy::ndarray::ArrayD::from_shape_vec(shape.to_vec(), v)
        .map(|a| a.into_pyarray(py))
        .map_err(|e| PyValueError::new_err(format!("result shape {shape:?}: {e}")))
}

/// A serializable library result (fit parameters, protocol rows) as Python objects, through the
/// same JSON text the CLI prints (`json.loads` of serde_json's output: floats round-trip
/// exactly, so the values equal the CLI's `--json` bit for bit).
pub fn json_object<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| PyValueError::new_err(format!("result to JSON: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}

fn optional<'py>(obj: &Bound<'py, PyAny>, attr: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    match obj.getattr(attr) {
        Ok(v) if v.is_none() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyAttributeError>(obj.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

fn required<'py>(obj: &Bound<'py, PyAny>, attr: &str, what: &str) -> PyResult<Bound<'py, PyAny>> {
    optional(obj, attr)?.ok_or_else(|| {
        PyTypeError::new_err(format!(
            "{what} has no `{attr}`: expected a pelkit.Frame (or an object with positions, types, cell, origin)"
        ))
    })
}

/// The box from a LAMMPS-form cell (rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)), the
/// origin (boxlo) and periodic flags. `box_hi` (kept by frames read from files) is used when it
/// agrees with the cell, so that boxhi round-trips bit for bit.
fn simbox_of(frame: &Bound<'_, PyAny>, what: &str) -> PyResult<SimBox> {
    let cell = f64_rows::<3>(&required(frame, "cell", what)?, "cell", Some(3))?;
    let origin = f64_vec(&required(frame, "origin", what)?, "origin", Some(3))?;
    if cell[0][1] != 0.0 || cell[0][2] != 0.0 || cell[1][2] != 0.0 {
        return Err(PyValueError::new_err(format!(
            "cell must be in LAMMPS form (rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)), got {cell:?}; \
             pelkit.from_ase rotates general cells into this form"
        )));
    }
    let pbc: [bool; 3] = match optional(frame, "pbc")? {
        Some(p) => p.extract::<[bool; 3]>().or_else(|_| {
            let v: Vec<bool> = p.call_method0("tolist")?.extract()?;
            v.try_into()
                .map_err(|_| PyValueError::new_err("pbc must hold 3 booleans"))
        })?,
        None => [true; 3],
    };
    let tilt = [cell[1][0], cell[2][0], cell[2][1]];
    let triclinic = match optional(frame, "triclinic")? {
        Some(t) => t.is_truthy()? || tilt != [0.0; 3],
        None => tilt != [0.0; 3],
    };
    let lo = [origin[0], origin[1], origin[2]];
    let mut hi = [lo[0] + cell[0][0], lo[1] + cell[1][1], lo[2] + cell[2][2]];
    if let Some(h) = optional(frame, "_box_hi")? {
        if let Ok(h) = h.extract::<[f64; 3]>() {
            if (0..3).all(|d| h[d] - lo[d] == cell[d][d]) {
                hi = h;
            }
        }
    }
    SimBox::new(lo, hi, tilt, triclinic, pbc)
        .map_err(|e| PyValueError::new_err(format!("cell: {e}")))
}

/// A [`System`] from a frame-like Python object (`pelkit.Frame`): positions (N,3) float64,
/// types (N,) ints, ids (N,) ints (default 1..N), cell/origin/pbc, optional images, velocities,
/// charges, masses (per type, NaN = unset), ntypes.
pub fn system_from(frame: &Bound<'_, PyAny>, what: &str) -> PyResult<System> {
    let positions = f64_rows::<3>(&required(frame, "positions", what)?, "positions", None)?;
    let n = positions.len();
    let types_raw = int_values(&required(frame, "types", what)?, "types", Some(n), None)?;
    let mut types = Vec::with_capacity(n);
    for (i, &t) in types_raw.iter().enumerate() {
        if t < 1 || t > u32::MAX as i64 {
            return Err(PyValueError::new_err(format!(
                "types[{i}] = {t}: LAMMPS atom types start at 1"
            )));
        }
        types.push(t as u32);
    }
    let ids: Vec<u64> = match optional(frame, "ids")? {
        Some(a) => int_values(&a, "ids", Some(n), None)?
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if v < 1 {
                    Err(PyValueError::new_err(format!(
                        "ids[{i}] = {v}: atom ids start at 1"
                    )))
                } else {
                    Ok(v as u64)
                }
            })
            .collect::<PyResult<_>>()?,
        None => (1..=n as u64).collect(),
    };
    let simbox = simbox_of(frame, what)?;
    let mut sys = System::new(simbox, ids, types, positions);
    if let Some(im) = optional(frame, "images")? {
        let v = int_values(&im, "images", Some(n), Some(3))?;
        sys.images = v
            .as_chunks::<3>()
            .0
            .iter()
            .map(|c| c.map(|x| x.clamp(i32::MIN as i64, i32::MAX as i64) as i32))
            .collect();
    }
    if let Some(v) = optional(frame, "velocities")? {
        sys.velocities = Some(f64_rows::<3>(&v, "velocities", Some(n))?);
    }
    if let Some(q) = optional(frame, "charges")? {
        sys.charges = Some(f64_vec(&q, "charges", Some(n))?);
    }
    if let Some(nt) = optional(frame, "ntypes")? {
        let nt: usize = nt.extract()?;
        sys.ntypes = sys.ntypes.max(nt);
    }
    sys.masses = vec![None; sys.ntypes];
    if let Some(m) = optional(frame, "masses")? {
        let m = f64_vec(&m, "masses", None)?;
        if m.len() > sys.ntypes {
            sys.ntypes = m.len();
            sys.masses.resize(m.len(), None);
        }
        for (k, &v) in m.iter().enumerate() {
            sys.masses[k] = (!v.is_nan()).then_some(v);
        }
    }
    Ok(sys)
}

/// The fields of a `pelkit.Frame` (a dict the Python layer turns into the dataclass).
pub fn frame_dict<'py>(
    py: Python<'py>,
    sys: System,
    timestep: u64,
    columns: Vec<(String, Vec<f64>)>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let b = sys.simbox;
    d.set_item("timestep", timestep)?;
    d.set_item(
        "ids",
        vec1(py, sys.ids.iter().map(|&i| i as i64).collect::<Vec<_>>()),
    )?;
    d.set_item(
        "types",
        vec1(py, sys.types.iter().map(|&t| t as i32).collect::<Vec<_>>()),
    )?;
    d.set_item("positions", rows(py, sys.positions))?;
    d.set_item("cell", rows(py, b.edge_vectors().to_vec()))?;
    d.set_item("origin", vec1(py, b.lo.to_vec()))?;
    d.set_item("pbc", b.periodic.to_vec())?;
    d.set_item("triclinic", b.triclinic)?;
    d.set_item("_box_hi", b.hi.to_vec())?;
    d.set_item("images", rows(py, sys.images))?;
    d.set_item("velocities", sys.velocities.map(|v| rows(py, v)))?;
    d.set_item("charges", sys.charges.map(|q| vec1(py, q)))?;
    d.set_item(
        "masses",
        vec1(
            py,
            sys.masses
                .iter()
                .map(|m| m.unwrap_or(f64::NAN))
                .collect::<Vec<_>>(),
        ),
    )?;
    d.set_item("ntypes", sys.ntypes)?;
    let cols = PyDict::new(py);
    for (name, v) in columns {
        cols.set_item(name, Array1::from_vec(v).into_pyarray(py))?;
    }
    d.set_item("columns", cols)?;
    Ok(d)
}

/// Extra per-atom columns of a frame (`frame.columns`: name → float array of length N).
pub fn columns_of(frame: &Bound<'_, PyAny>, n: usize) -> PyResult<Vec<(String, Vec<f64>)>> {
    let mut out = Vec::new();
    if let Some(c) = optional(frame, "columns")? {
        let d = c
            .cast::<PyDict>()
            .map_err(|_| PyTypeError::new_err("frame.columns must be a dict name -> array"))?;
        for (k, v) in d.iter() {
            let name: String = k.extract()?;
            let arr = v.call_method1("astype", ("float64",))?;
            out.push((
                name.clone(),
                f64_vec(&arr, &format!("columns['{name}']"), Some(n))?,
            ));
        }
    }
    Ok(out)
}

/// A list of strings from a str or a sequence of str.
pub fn strings(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Vec<String>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    if obj.is_none() {
        return Ok(Vec::new());
    }
    if let Ok(s) = obj.extract::<String>() {
        return Ok(vec![s]);
    }
    if obj.cast::<PyList>().is_ok() || obj.hasattr("__iter__")? {
        return obj
            .try_iter()?
            .map(|x| {
                x?.extract::<String>().map_err(|_| {
                    PyTypeError::new_err(format!("{name} must be a string or a list of strings"))
                })
            })
            .collect();
    }
    Err(PyTypeError::new_err(format!(
        "{name} must be a string or a list of strings"
    )))
}

/// Thread pools by size, built once and reused: a fresh pool per call starts fresh threads, whose
/// first allocations (new malloc arenas) cost ~3 % of a 50k-atom evaluation (measured).
fn pool(threads: usize) -> PyResult<std::sync::Arc<rayon::ThreadPool>> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Pools = Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>;
    static POOLS: OnceLock<Pools> = OnceLock::new();
    let mut pools = POOLS
        .get_or_init(|| Mutex::new(Vec::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = pools.iter().find(|(n, _)| *n == threads) {
        return Ok(p.clone());
    }
    let p = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| PyValueError::new_err(format!("thread pool: {e}")))?,
    );
    pools.push((threads, p.clone()));
    Ok(p)
}

/// Run `f` with the GIL released, on a (cached) pool of `threads` threads when given, else on
/// rayon's global pool (all cores).
pub fn detached<T: Send, F: FnOnce() -> T + Send>(
    py: Python<'_>,
    threads: Option<usize>,
    f: F,
) -> PyResult<T> {
    match threads {
        None => Ok(py.detach(f)),
        Some(0) => Err(PyValueError::new_err("threads must be >= 1")),
        Some(n) => {
            let pool = pool(n)?;
            Ok(py.detach(|| pool.install(f)))
        }
    }
}
