//! `pelkit check` for EAM potential files: format found by content, elements, masses, grids,
//! per-table statistics and the problems LAMMPS would not report (non-finite values, tables that
//! do not reach or do not vanish at the cutoff).

use std::path::Path;

use serde_json::{json, Value};

use super::read::grid_sixth_value;
use super::{parse_any, EamFile, Funcfl, Setfl};
use crate::io::{ColumnStats, FileReport, FormatError};

/// A table value at the cutoff larger than this fraction of the table's largest magnitude is
/// a problem: the potential has a visible step at the cutoff. Published files often end with
/// steps of 1e-5…1e-3 of the table scale (AlCu, CoAl in LAMMPS' potentials folder); those are
/// listed under `details.steps_at_cutoff` instead.
const STEP_PROBLEM: f64 = 1e-3;
/// Smallest relative step listed in `details.steps_at_cutoff`.
const STEP_NOTE: f64 = 1e-6;

/// Validate a whole EAM file (every value parsed) and describe it.
pub fn check(path: &Path) -> Result<FileReport, FormatError> {
    let data = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    check_bytes(&data, path)
}

/// [`check`] on the bytes of a file; `path` names it and its extension is a format hint.
pub fn check_bytes(data: &[u8], path: &Path) -> Result<FileReport, FormatError> {
    let file = parse_any(data, path)?;
    let mut report = FileReport {
        format: file.pair_style().to_string(),
        ..FileReport::default()
    };
    match &file {
        EamFile::Funcfl(f) => describe_funcfl(f, &mut report),
        EamFile::Setfl(s) => describe_setfl(s, &mut report),
    }
    // An eam/fs layout whose grid line carries a sixth number is the eam/he variant: F is
    // tabulated on [rhomax − (Nrho−1)·drho, rhomax] (LAMMPS `pair_style eam/he`).
    if let EamFile::Setfl(s) = &file {
        if let (true, Some(rhomax)) = (s.finnis_sinclair, grid_sixth_value(data, path)) {
            report.format = "eam/he".into();
            let rhomin = rhomax - (s.nrho as f64 - 1.0) * s.drho;
            report.details.insert("rhomax".into(), json!(rhomax));
            report.details.insert("rhomin".into(), json!(rhomin));
        }
    }
    Ok(report)
}

/// The `DATE:` and `UNITS:` tags LAMMPS reads from the first line of a potential file
/// (`UNITS: metal` with `units real` makes LAMMPS convert energies).
fn first_line_tags(first_line: &str, report: &mut FileReport) {
    let words: Vec<&str> = first_line.split_whitespace().collect();
    for (tag, key) in [("DATE:", "date"), ("UNITS:", "units")] {
        if let Some(k) = words.iter().position(|w| *w == tag) {
            if let Some(value) = words.get(k + 1) {
                report.details.insert(key.into(), json!(value));
            }
        }
    }
}

/// Statistics of one table plus the problems of its values.
fn table(report: &mut FileReport, name: String, values: &[f64], radial: bool) {
    let mut stats = ColumnStats::new(name.clone());
    let mut non_finite = 0usize;
    let mut first_bad = None;
    let mut largest = 0.0f64;
    for (k, &v) in values.iter().enumerate() {
        stats.push(v);
        if v.is_finite() {
            largest = largest.max(v.abs());
        } else {
            non_finite += 1;
            first_bad.get_or_insert(k + 1);
        }
    }
    if let Some(k) = first_bad {
        report.problems.push(format!(
            "{name}: {non_finite} non-finite values (first is value {k})"
        ));
    }
    if radial {
        if let Some(&last) = values.last() {
            let message = format!(
                "{name}: last value {last:e} is not zero (largest |value| {largest:e}): \
                 the potential has a step at the cutoff"
            );
            if last.is_finite() && last.abs() > STEP_PROBLEM * largest {
                report.problems.push(message);
            } else if last.is_finite() && last.abs() > STEP_NOTE * largest {
                let notes = report
                    .details
                    .entry("steps_at_cutoff")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = notes {
                    list.push(Value::String(message));
                }
            }
        }
    }
    report.columns.push(stats);
}

fn grid(report: &mut FileReport, nrho: usize, drho: f64, nr: usize, dr: f64, cutoff: f64) {
    let rhomax = (nrho as f64 - 1.0) * drho;
    let rmax = (nr as f64 - 1.0) * dr;
    let d = &mut report.details;
    d.insert("nrho".into(), json!(nrho));
    d.insert("drho".into(), json!(drho));
    d.insert("nr".into(), json!(nr));
    d.insert("dr".into(), json!(dr));
    d.insert("cutoff".into(), json!(cutoff));
    d.insert("rhomax".into(), json!(rhomax));
    d.insert("r_last_knot".into(), json!(rmax));
    if !(drho > 0.0 && drho.is_finite()) {
        report
            .problems
            .push(format!("drho = {drho} is not a positive number"));
    }
    if !(cutoff > 0.0 && cutoff.is_finite()) {
        report
            .problems
            .push(format!("cutoff = {cutoff} is not a positive number"));
    } else if rmax < cutoff - dr * (1.0 + 1e-9) {
        report.problems.push(format!(
            "r tables end at r = {rmax} (Nr-1)*dr, more than one dr before the cutoff {cutoff}: \
             LAMMPS holds every r-table at its last value up to the cutoff"
        ));
    }
    if nrho < 5 || nr < 5 {
        report.problems.push(format!(
            "Nrho = {nrho}, Nr = {nr}: LAMMPS' spline needs at least 5 knots per table"
        ));
    }
}

fn describe_funcfl(f: &Funcfl, report: &mut FileReport) {
    let d = &mut report.details;
    d.insert("comment".into(), json!(f.comment));
    first_line_tags(&f.comment, report);
    let d = &mut report.details;
    d.insert("atomic_number".into(), json!(f.atomic_number));
    d.insert("masses".into(), json!([f.mass]));
    d.insert("lattice_constant".into(), json!(f.lattice_constant));
    d.insert("lattice".into(), json!(f.lattice));
    grid(report, f.nrho, f.drho, f.nr, f.dr, f.cutoff);
    if f.mass.is_nan() || f.mass <= 0.0 {
        report
            .problems
            .push(format!("mass {} is not positive", f.mass));
    }
    table(report, "F(rho)".into(), &f.frho, false);
    table(report, "Z(r)".into(), &f.zr, true);
    table(report, "rho(r)".into(), &f.rhor, true);
}

fn describe_setfl(s: &Setfl, report: &mut FileReport) {
    let names: Vec<&str> = s.elements.iter().map(|e| e.name.as_str()).collect();
    let d = &mut report.details;
    d.insert("comments".into(), json!(s.comments));
    first_line_tags(&s.comments[0], report);
    let d = &mut report.details;
    d.insert("elements".into(), json!(names));
    d.insert(
        "atomic_numbers".into(),
        json!(s
            .elements
            .iter()
            .map(|e| e.atomic_number)
            .collect::<Vec<_>>()),
    );
    d.insert(
        "masses".into(),
        json!(s.elements.iter().map(|e| e.mass).collect::<Vec<_>>()),
    );
    let lattices: Vec<Value> = s
        .elements
        .iter()
        .map(|e| json!({"lattice": e.lattice, "a0": e.lattice_constant}))
        .collect();
    d.insert("lattices".into(), Value::Array(lattices));
    grid(report, s.nrho, s.drho, s.nr, s.dr, s.cutoff);
    for (i, e) in s.elements.iter().enumerate() {
        if e.mass.is_nan() || e.mass <= 0.0 {
            report
                .problems
                .push(format!("mass {} of {} is not positive", e.mass, e.name));
        }
        if names[..i].contains(&e.name.as_str()) {
            report
                .problems
                .push(format!("element {} is named twice", e.name));
        }
    }
    for e in &s.elements {
        table(report, format!("F(rho) {}", e.name), &e.frho, false);
        for (j, t) in e.rhor.iter().enumerate() {
            let name = if s.finnis_sinclair {
                format!(
                    "rho(r) {} at {} sites",
                    e.name,
                    names.get(j).unwrap_or(&"?")
                )
            } else {
                format!("rho(r) {}", e.name)
            };
            table(report, name, t, true);
        }
    }
    let mut k = 0;
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().take(i + 1) {
            if let Some(t) = s.z2r.get(k) {
                table(report, format!("r*phi(r) {a}-{b}"), t, true);
            }
            k += 1;
        }
    }
}
