//! `probe_scan` and `probe_energies`: single-atom probes of the constraining force field (seed
//! 000), exactly `pelkit probe` (whole-sample scan; explicit probes with `--atom-ids` and
//! `--directions`).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use pelkit_core::analysis::probe::per_atom::ScanOptions;
use pelkit_core::analysis::probe::{input_checks, scan_atoms, Directions, LocalProbe, ProbeError};

use crate::convert::{detached, f64_rows, f64_vec, flat_rows, rows, system_from, vec1};
use crate::errors::value_error;
use crate::potential::{potential_error, PyPotential};

/// A probe error: potential errors keep their `OSError`/`ValueError` split, the rest is
/// `ValueError`.
fn probe_error(e: ProbeError) -> PyErr {
    match e {
        ProbeError::Potential(p) => potential_error(p),
        other => value_error(other),
    }
}

/// The direction set: a user list (normalised), else a Fibonacci set, else the (θ, φ) grid.
fn directions(
    grid: (usize, usize),
    fibonacci: Option<usize>,
    vectors: Option<&Bound<'_, PyAny>>,
) -> PyResult<Directions> {
    match (vectors, fibonacci) {
        (Some(_), Some(_)) => Err(PyValueError::new_err(
            "give either directions or fibonacci, not both",
        )),
        (Some(v), None) => {
            Directions::from_vectors(&f64_rows::<3>(v, "directions", None)?, "directions")
                .map_err(probe_error)
        }
        (None, Some(n)) => Directions::fibonacci(n).map_err(probe_error),
        (None, None) => Directions::grid(grid.0, grid.1).map_err(probe_error),
    }
}

fn drs_of(dr: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    let drs = match dr.extract::<f64>() {
        Ok(v) => vec![v],
        Err(_) => f64_vec(dr, "dr", None)?,
    };
    if drs.is_empty() {
        return Err(probe_error(ProbeError::NoDr));
    }
    if let Some(&bad) = drs.iter().find(|&&d| !(d > 0.0 && d.is_finite())) {
        return Err(probe_error(ProbeError::BadDr(bad)));
    }
    Ok(drs)
}

/// probe_scan(frame, potential, dr, atom_ids=None, grid=(36, 72), fibonacci=None,
/// directions=None, system=False, threads=None) -> dict. Probed atoms in ascending id order
/// (all atoms) or in the order of `atom_ids`: ids (n,), omega (n, ndr), de_atom_min (n, ndr),
/// de_sys_min (n, ndr) or None, dr_min (n,), de_atom_min_all (n,), pair_identity (n,) or None,
/// negative (ndr, ndir) counts of atoms with dE_atom < 0, dr, vectors (ndir, 3), weights,
/// angles (ndir, 2) = (θ, φ), warnings.
#[pyfunction]
#[pyo3(signature = (frame, potential, dr, atom_ids=None, grid=(36, 72), fibonacci=None,
    directions=None, system=false, threads=None))]
#[allow(clippy::too_many_arguments)]
fn probe_scan<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    dr: &Bound<'py, PyAny>,
    atom_ids: Option<Vec<u64>>,
    grid: (usize, usize),
    fibonacci: Option<usize>,
    directions: Option<&Bound<'py, PyAny>>,
    system: bool,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sys = system_from(frame, "frame")?;
    let pot = potential.for_system(&mut sys)?;
    let drs = drs_of(dr)?;
    let dirs = self::directions(grid, fibonacci, directions)?;
    let max_dr = drs.iter().copied().fold(0.0, f64::max);
    let (scan, warnings) = detached(py, threads, || {
        let probe = LocalProbe::new(&sys, &pot, max_dr)?;
        let atoms: Vec<usize> = match &atom_ids {
            None => sys.order_by_id(),
            Some(ids) => ids
                .iter()
                .map(|&id| probe.index_of(id))
                .collect::<Result<_, _>>()?,
        };
        let warnings = input_checks(&sys, &pot, &probe, &drs)?;
        let options = ScanOptions {
            with_system: system,
        };
        let scan = scan_atoms(&probe, &atoms, &dirs, &drs, options, &|_| {})?;
        Ok::<_, ProbeError>((scan, warnings))
    })?
    .map_err(probe_error)?;
    let ndr = drs.len();
    let atoms = &scan.atoms;
    let per_dr = |f: &dyn Fn(&pelkit_core::analysis::probe::AtomSummary) -> &[f64]| {
        atoms
            .iter()
            .flat_map(|a| f(a).iter().copied())
            .collect::<Vec<f64>>()
    };
    let d = PyDict::new(py);
    d.set_item(
        "ids",
        vec1(
            py,
            atoms
                .iter()
                .map(|a| sys.ids[a.atom] as i64)
                .collect::<Vec<_>>(),
        ),
    )?;
    d.set_item("omega", flat_rows(py, per_dr(&|a| &a.omega), ndr))?;
    d.set_item(
        "de_atom_min",
        flat_rows(py, per_dr(&|a| &a.de_atom_min), ndr),
    )?;
    let with_sys = atoms.iter().all(|a| a.de_sys_min.is_some()) && system;
    d.set_item(
        "de_sys_min",
        with_sys.then(|| flat_rows(py, per_dr(&|a| a.de_sys_min.as_deref().unwrap_or(&[])), ndr)),
    )?;
    d.set_item(
        "dr_min",
        vec1(py, atoms.iter().map(|a| a.dr_min).collect::<Vec<_>>()),
    )?;
    d.set_item(
        "de_atom_min_all",
        vec1(
            py,
            atoms.iter().map(|a| a.de_atom_min_all).collect::<Vec<_>>(),
        ),
    )?;
    let identity: Option<Vec<f64>> = atoms.iter().map(|a| a.pair_identity).collect();
    d.set_item("pair_identity", identity.map(|v| vec1(py, v)))?;
    let ndir = dirs.len();
    let negative: Vec<i64> = scan
        .negative
        .iter()
        .flat_map(|c| c.iter().map(|&x| x as i64))
        .collect();
    d.set_item("negative", flat_rows(py, negative, ndir))?;
    d.set_item("dr", vec1(py, drs))?;
    d.set_item("weights", vec1(py, dirs.weights.clone()))?;
    d.set_item(
        "angles",
        rows(
            py,
            dirs.angles.iter().map(|&(t, p)| [t, p]).collect::<Vec<_>>(),
        ),
    )?;
    d.set_item("vectors", rows(py, dirs.vectors))?;
    d.set_item(
        "warnings",
        warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

/// probe_energies(frame, potential, atom_ids, directions, dr, threads=None) -> dict with
/// de_atom and de_sys of shape (len(atom_ids), ndir, ndr): atom i moved by dr·n̂ (n̂ the
/// normalised direction) with every other atom fixed; and the normalised `vectors`.
#[pyfunction]
#[pyo3(signature = (frame, potential, atom_ids, directions, dr, threads=None))]
fn probe_energies<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    potential: &PyPotential,
    atom_ids: Vec<u64>,
    directions: &Bound<'py, PyAny>,
    dr: &Bound<'py, PyAny>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut sys = system_from(frame, "frame")?;
    let pot = potential.for_system(&mut sys)?;
    let drs = drs_of(dr)?;
    let dirs = self::directions((1, 1), None, Some(directions))?;
    let max_dr = drs.iter().copied().fold(0.0, f64::max);
    let (de_atom, de_sys) = detached(py, threads, || {
        let probe = LocalProbe::new(&sys, &pot, max_dr)?;
        let (mut a, mut s) = (Vec::new(), Vec::new());
        let mut scratch = Vec::new();
        for &id in &atom_ids {
            let site = probe.site(probe.index_of(id)?);
            for v in &dirs.vectors {
                for &dr in &drs {
                    let p = probe.probe(
                        &site,
                        [dr * v[0], dr * v[1], dr * v[2]],
                        true,
                        &mut scratch,
                    )?;
                    a.push(p.de_atom);
                    s.push(p.de_sys);
                }
            }
        }
        Ok::<_, ProbeError>((a, s))
    })?
    .map_err(probe_error)?;
    let shape = [atom_ids.len(), dirs.len(), drs.len()];
    let d = PyDict::new(py);
    d.set_item("de_atom", crate::convert::reshaped(py, de_atom, &shape)?)?;
    d.set_item("de_sys", crate::convert::reshaped(py, de_sys, &shape)?)?;
    d.set_item("vectors", rows(py, dirs.vectors))?;
    d.set_item("dr", vec1(py, drs))?;
    Ok(d)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(probe_scan, m)?)?;
    m.add_function(wrap_pyfunction!(probe_energies, m)?)
}
