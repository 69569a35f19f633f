//! Writers of funcfl, setfl and Finnis–Sinclair files that keep every number: floats are
//! printed in Rust's shortest round-trip form, so reading the written file gives back the same
//! bits; comment lines and element metadata are written unchanged.

use std::fmt::Write as _;
use std::path::Path;

use super::{Funcfl, Setfl};
use crate::io::FormatError;

/// Values per line of a table (as LAMMPS' own tools write them).
const PER_LINE: usize = 5;

fn push_float(out: &mut String, v: f64) {
    // `{:?}` is the shortest representation that parses back to the same f64; it uses an
    // exponent for very large/small magnitudes and is accepted by LAMMPS `utils::is_double`.
    let _ = write!(out, "{v:?}");
}

fn check_finite(v: f64, what: &dyn Fn() -> String) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "{} holds {v}, which LAMMPS cannot read back",
            what()
        ))
    }
}

fn push_table(
    out: &mut String,
    values: &[f64],
    expected: usize,
    what: &dyn Fn() -> String,
) -> Result<(), String> {
    if values.len() != expected {
        return Err(format!(
            "{} has {} values, the grid needs {expected}",
            what(),
            values.len()
        ));
    }
    for (k, &v) in values.iter().enumerate() {
        if !v.is_finite() {
            return Err(format!(
                "{} value {} is {v}, which LAMMPS cannot read back",
                what(),
                k + 1
            ));
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

fn single_line(text: &str, what: &str) -> Result<(), String> {
    if text.contains('\n') || text.ends_with('\r') {
        Err(format!("{what} contains a line break"))
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
) -> Result<(), String> {
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
) -> Result<(), String> {
    check_finite(mass, &|| format!("the mass of {name}"))?;
    check_finite(lattice_constant, &|| {
        format!("the lattice constant of {name}")
    })?;
    if lattice.split_whitespace().count() > 1 || lattice.contains('#') {
        return Err(format!(
            "the lattice type '{lattice}' of {name} is not a single word"
        ));
    }
    let _ = write!(out, "{atomic_number} ");
    push_float(out, mass);
    out.push(' ');
    push_float(out, lattice_constant);
    let _ = writeln!(out, " {lattice}");
    Ok(())
}

/// The text of a funcfl file, or what makes `f` unwritable.
pub fn funcfl_text(f: &Funcfl) -> Result<String, String> {
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
pub fn setfl_text(s: &Setfl) -> Result<String, String> {
    let n = s.elements.len();
    if n == 0 {
        return Err("no elements".into());
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
            return Err(format!("element name '{}' is not a single word", e.name));
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
            return Err(format!(
                "element {} has {} rho(r) tables, {} needs {ndens}",
                e.name,
                e.rhor.len(),
                if s.finnis_sinclair {
                    "eam/fs"
                } else {
                    "eam/alloy"
                }
            ));
        }
        for (j, table) in e.rhor.iter().enumerate() {
            push_table(&mut out, table, s.nr, &|| {
                format!("rho(r) table {} of {}", j + 1, e.name)
            })?;
        }
    }
    if s.z2r.len() != n * (n + 1) / 2 {
        return Err(format!(
            "{} r*phi(r) tables for {n} elements, expected {}",
            s.z2r.len(),
            n * (n + 1) / 2
        ));
    }
    for (k, table) in s.z2r.iter().enumerate() {
        push_table(&mut out, table, s.nr, &|| {
            format!("r*phi(r) table {}", k + 1)
        })?;
    }
    Ok(out)
}

fn write_text(path: &Path, text: Result<String, String>) -> Result<(), FormatError> {
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
