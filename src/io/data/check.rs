//! `pelkit check` for data files: every value parsed, per-column statistics, and the problems
//! LAMMPS would stop on or that make the configuration suspect (atoms outside the box, duplicate
//! ids, types out of range, non-finite numbers).

use std::path::Path;

use serde_json::{json, Value};

use super::read::{parse_data, DataFile};
use crate::io::{BoxReport, ColumnStats, FileReport, FormatError};

/// Validate a data file (already decompressed bytes are read through `read_bytes`).
pub fn check_data(path: &Path) -> Result<FileReport, FormatError> {
    let bytes = crate::io::configuration::read_bytes(path)?;
    Ok(report_data(&parse_data(&bytes, path)?))
}

/// Number of atoms outside the box named individually in a problem message.
const NAMED_OUTSIDE: usize = 5;

/// LAMMPS' ownership test: lo ≤ x < hi per dimension, in lamda coordinates for triclinic boxes.
fn inside(b: &crate::SimBox, x: [f64; 3]) -> bool {
    if b.triclinic {
        b.to_fractional(x).iter().all(|c| (0.0..1.0).contains(c))
    } else {
        (0..3).all(|d| b.lo[d] <= x[d] && x[d] < b.hi[d])
    }
}

/// The report of a parsed data file.
pub fn report_data(file: &DataFile) -> FileReport {
    let sys = &file.system;
    let mut cols: Vec<ColumnStats> = Vec::new();
    let mut add = |name: &str, values: &mut dyn Iterator<Item = f64>| {
        let mut c = ColumnStats::new(name);
        for v in values {
            c.push(v);
        }
        cols.push(c);
    };
    add("id", &mut sys.ids.iter().map(|&v| v as f64));
    add("type", &mut sys.types.iter().map(|&v| v as f64));
    if let Some(q) = &sys.charges {
        add("q", &mut q.iter().copied());
    }
    for (d, name) in ["x", "y", "z"].iter().enumerate() {
        add(name, &mut sys.positions.iter().map(|x| x[d]));
    }
    if file.has_image_flags {
        for (d, name) in ["ix", "iy", "iz"].iter().enumerate() {
            add(name, &mut sys.images.iter().map(|x| x[d] as f64));
        }
    }
    if let Some(v) = &sys.velocities {
        for (d, name) in ["vx", "vy", "vz"].iter().enumerate() {
            add(name, &mut v.iter().map(|x| x[d]));
        }
    }

    let mut problems: Vec<String> = file
        .problems
        .iter()
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect();
    if file.problem_count > file.problems.len() {
        problems.push(format!(
            "… and {} more problems of the kinds above",
            file.problem_count - file.problems.len()
        ));
    }
    let outside: Vec<usize> = (0..sys.natoms())
        .filter(|&i| {
            let x = sys.positions[i];
            x.iter().all(|c| c.is_finite()) && !inside(&sys.simbox, x)
        })
        .collect();
    if !outside.is_empty() {
        let named: Vec<String> = outside
            .iter()
            .take(NAMED_OUTSIDE)
            .map(|&i| sys.ids[i].to_string())
            .collect();
        problems.push(format!(
            "{} atoms lie outside the box (ids {}{}); LAMMPS read_data would wrap them into the box",
            outside.len(),
            named.join(", "),
            if outside.len() > NAMED_OUTSIDE { ", …" } else { "" }
        ));
    }

    let mut details = serde_json::Map::new();
    details.insert("atom_style".into(), json!(file.atom_style.name()));
    details.insert("units".into(), json!(file.units));
    details.insert("atom_types".into(), json!(sys.ntypes));
    details.insert("image_flags".into(), json!(file.has_image_flags));
    details.insert("velocities".into(), json!(sys.velocities.is_some()));
    details.insert("masses".into(), json!(sys.masses));
    if !file.other_counts.is_empty() {
        let counts: serde_json::Map<String, Value> = file
            .other_counts
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        details.insert("other_counts".into(), Value::Object(counts));
    }
    details.insert("notes".into(), json!(file.notes));
    FileReport {
        format: "lammps-data".into(),
        frames: Some(1),
        atoms: Some(sys.natoms()),
        columns: cols,
        simbox: Some(BoxReport::from(&sys.simbox)),
        details,
        problems,
    }
}
