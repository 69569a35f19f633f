//! Writers of funcfl, setfl and Finnis–Sinclair files that keep every number: floats are
//! printed in Rust's shortest round-trip form, so reading the written file gives back the same
//! bits; comment lines and element metadata are written unchanged.

use std::fmt::Write as _;
use std::path::Path;

use super::{Funcfl, Setfl};
use crate::io::FormatError;

/// What makes an EAM table unwritable (a value LAMMPS could not read back, or a bad layout).
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum EamWriteError {
    #[error("{what} holds {value}, which LAMMPS cannot read back")]
    NonFinite { what: String, value: f64 },
    #[error("{what} has {len} values, the grid needs {expected}")]
    TableLength {
        what: String,
        len: usize,
        expected: usize,
    },
    #[error("{what} value {index} is {value}, which LAMMPS cannot read back")]
    NonFiniteTableValue {
        what: String,
        index: usize,
        value: f64,
    },
    #[error("{what} contains a line break")]
    LineBreak { what: String },
    #[error("no elements")]
    NoElements,
    #[error("element name '{name}' is not a single word")]
    ElementName { name: String },
    #[error("element {name} has {len} rho(r) tables, {style} needs {expected}")]
    DensityTables {
        name: String,
        len: usize,
        style: &'static str,
        expected: usize,
    },
    #[error("{len} r*phi(r) tables for {elements} elements, expected {expected}")]
    PairTables {
        len: usize,
        elements: usize,
        expected: usize,
    },
    #[error("the lattice type '{lattice}' of {name} is not a single word")]
    LatticeWord { lattice: String, name: String },
}

/// Values per line of a table (as LAMMPS' own tools write them).
const PER_LINE: usize = 5;

fn push_float(out: &mut String, v: f64) {
    // `{:?}` is the shortest representation that parses back to the same f64; it uses an
    // exponent for very large/small magnitudes and is accepted by LAMMPS `utils::is_double`.
    let _ = write!(out, "{v:?}");
}

fn check_finite(v: f64, what: &dyn Fn() -> String) -> Result<(), EamWriteError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(EamWriteError::NonFinite {
            what: what(),
            value: v,
        })
    }
}

fn push_table(
    out: &mut String,
    values: &[f64],
    expected: usize,
    what: &dyn Fn() -> String,
) -> Result<(), EamWriteError> {
    if values.len() != expected {
        return Err(EamWriteError::TableLength {
            what: what(),
            len: values.len(),
            expected,
        });
    }
    for (k, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            return Err(EamWriteError::NonFiniteTableValue {
                what: what(),
                index: k + 1,
                value: v,
            });
        }
        push_float(out, v);
        out.push(if (k + 1) % PER_LINE == 0 || k + 1 == values.len() {
            '\n'
        } else {
            ' '
        });
    }
    Ok(())
}

fn single_line(text: &str, what: &str) -> Result<(), EamWriteError> {
    if text.contains('\n') || text.ends_with('\r') {
        Err(EamWriteError::LineBreak {
            what: what.to_string(),
        })
    } else {
        Ok(())
    }
}

fn push_grid(
    out: &mut String,
    nrho: usize,
    drho: f64,
    nr: usize,
    dr: f64,
    cutoff: f64,
) -> Result<(), EamWriteError> {
    for (v, name) in [(drho, "drho"), (dr, "dr"), (cutoff, "cutoff")] {
        check_finite(v, &|| name.to_string())?;
    }
    let _ = write!(out, "{nrho} ");
    push_float(out, drho);
    let _ = write!(out, " {nr} ");
    push_float(out, dr);
    out.push(' ');
    push_float(out, cutoff);
    out.push('\n');
    Ok(())
}

fn push_element_line(
    out: &mut String,
    atomic_number: u32,
    mass: f64,
    lattice_constant: f64,
    lattice: &str,
    name: &str,
) -> Result<(), EamWriteError> {
    check_finite(mass, &|| format!("the mass of {name}"))?;
    check_finite(lattice_constant, &|| {
        format!("the lattice constant of {name}")
    })?;
    if lattice.split_whitespace().count() > 1 || lattice.contains('#') {
        return Err(EamWriteError::LatticeWord {
            lattice: lattice.to_string(),
            name: name.to_string(),
        });
    }
    let _ = write!(out, "{atomic_number} ");
    push_float(out, mass);
    out.push(' ');
    push_float(out, lattice_constant);
    let _ = writeln!(out, " {lattice}");
    Ok(())
}

/// The text of a funcfl file, or what makes `f` unwritable.
pub fn funcfl_text(f: &Funcfl) -> Result<String, EamWriteError> {
    let mut out = String::with_capacity(24 * (f.nrho + 2 * f.nr) + 256);
    single_line(&f.comment, "the comment")?;
    let _ = writeln!(out, "{}", f.comment);
    push_element_line(
        &mut out,
        f.atomic_number,
        f.mass,
        f.lattice_constant,
        &f.lattice,
        "the element",
    )?;
    push_grid(&mut out, f.nrho, f.drho, f.nr, f.dr, f.cutoff)?;
    push_table(&mut out, &f.frho, f.nrho, &|| "F(rho)".into())?;
    push_table(&mut out, &f.zr, f.nr, &|| "Z(r)".into())?;
    push_table(&mut out, &f.rhor, f.nr, &|| "rho(r)".into())?;
    Ok(out)
}

/// The text of a setfl or Finnis–Sinclair file (by `s.finnis_sinclair`), or what makes `s`
/// unwritable.
pub fn setfl_text(s: &Setfl) -> Result<String, EamWriteError> {
    let n = s.elements.len();
    if n == 0 {
        return Err(EamWriteError::NoElements);
    }
    let ndens = if s.finnis_sinclair { n } else { 1 };
    let mut out = String::with_capacity(24 * (n * (s.nrho + ndens * s.nr) + n * n * s.nr) + 512);
    for (k, c) in s.comments.iter().enumerate() {
        single_line(c, &format!("comment line {}", k + 1))?;
        let _ = writeln!(out, "{c}");
    }
    let _ = write!(out, "{n}");
    for e in &s.elements {
        if e.name.is_empty() || e.name.split_whitespace().count() != 1 || e.name.contains('#') {
            return Err(EamWriteError::ElementName {
                name: e.name.clone(),
            });
        }
        let _ = write!(out, " {}", e.name);
    }
    out.push('\n');
    push_grid(&mut out, s.nrho, s.drho, s.nr, s.dr, s.cutoff)?;
    for e in &s.elements {
        push_element_line(
            &mut out,
            e.atomic_number,
            e.mass,
            e.lattice_constant,
            &e.lattice,
            &e.name,
        )?;
        push_table(&mut out, &e.frho, s.nrho, &|| {
            format!("F(rho) of {}", e.name)
        })?;
        if e.rhor.len() != ndens {
            return Err(EamWriteError::DensityTables {
                name: e.name.clone(),
                len: e.rhor.len(),
                style: if s.finnis_sinclair {
                    "eam/fs"
                } else {
                    "eam/alloy"
                },
                expected: ndens,
            });
        }
        for (j, table) in e.rhor.iter().enumerate() {
            push_table(&mut out, table, s.nr, &|| {
                format!("rho(r) table {} of {}", j + 1, e.name)
            })?;
        }
    }
    if s.z2r.len() != n * (n + 1) / 2 {
        return Err(EamWriteError::PairTables {
            len: s.z2r.len(),
            elements: n,
            expected: n * (n + 1) / 2,
        });
    }
    for (k, table) in s.z2r.iter().enumerate() {
        push_table(&mut out, table, s.nr, &|| {
            format!("r*phi(r) table {}", k + 1)
        })?;
    }
    Ok(out)
}

fn write_text(path: &Path, text: Result<String, EamWriteError>) -> Result<(), FormatError> {
    let text = text.map_err(|m| FormatError::invalid(path, format!("cannot write: {m}")))?;
    std::fs::write(path, text).map_err(|e| FormatError::io(path, e))
}

/// Write a funcfl file (`pair_style eam`).
pub fn write_funcfl(path: &Path, f: &Funcfl) -> Result<(), FormatError> {
    write_text(path, funcfl_text(f))
}

/// Write a setfl (`eam/alloy`) or Finnis–Sinclair (`eam/fs`) file, by `s.finnis_sinclair`.
pub fn write_setfl(path: &Path, s: &Setfl) -> Result<(), FormatError> {
    write_text(path, setfl_text(s))
}
