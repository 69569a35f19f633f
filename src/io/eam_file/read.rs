//! Readers of funcfl, setfl and Finnis–Sinclair files, reading exactly what LAMMPS
//! `PairEAM::read_file`, `PairEAMAlloy::read_file` and `PairEAMFS::read_file` read.

use std::path::Path;

use super::tokens::{parse_float, parse_float_nom, parse_integer, show, Record, TokenReader};
use super::{Funcfl, Setfl, SetflElement};
use crate::io::FormatError;

/// The grid line `Nrho drho Nr dr cutoff`.
struct Grid {
    nrho: usize,
    drho: f64,
    nr: usize,
    dr: f64,
    cutoff: f64,
}

fn read_file(path: &Path) -> Result<Vec<u8>, FormatError> {
    std::fs::read(path).map_err(|e| FormatError::io(path, e))
}

/// Read a funcfl file (`pair_style eam`).
pub fn read_funcfl(path: &Path) -> Result<Funcfl, FormatError> {
    parse_funcfl(&read_file(path)?, path)
}

/// Read a setfl file (`pair_style eam/alloy`).
pub fn read_setfl(path: &Path) -> Result<Setfl, FormatError> {
    parse_setfl(&read_file(path)?, path, false)
}

/// Read a Finnis–Sinclair file (`pair_style eam/fs`).
pub fn read_fs(path: &Path) -> Result<Setfl, FormatError> {
    parse_setfl(&read_file(path)?, path, true)
}

/// Read an EAM file of any of the three kinds, the format found by content ([`parse_any`]).
pub fn read_any(path: &Path) -> Result<EamFile, FormatError> {
    parse_any(&read_file(path)?, path)
}

/// Word `k` of a record, or an error naming what was expected there.
fn word<'a>(
    reader: &TokenReader,
    rec: &Record<'a>,
    k: usize,
    what: &str,
) -> Result<(usize, &'a [u8]), FormatError> {
    rec.words
        .get(k)
        .copied()
        .ok_or_else(|| FormatError::syntax(reader.path, rec.line, format!("expected {what}")))
}

fn float_at(reader: &TokenReader, rec: &Record, k: usize, what: &str) -> Result<f64, FormatError> {
    let (line, w) = word(reader, rec, k, what)?;
    parse_float_nom(w).ok_or_else(|| {
        FormatError::syntax(
            reader.path,
            line,
            format!("expected {what} (a number), found {}", show(w)),
        )
    })
}

fn count_at(
    reader: &TokenReader,
    rec: &Record,
    k: usize,
    what: &str,
) -> Result<usize, FormatError> {
    let (line, w) = word(reader, rec, k, what)?;
    match parse_integer(w) {
        Some(n) if n > 0 => usize::try_from(n).map_err(|_| {
            FormatError::syntax(reader.path, line, format!("{what} {n} is too large"))
        }),
        Some(n) => Err(FormatError::syntax(
            reader.path,
            line,
            format!("{what} must be > 0, found {n}"),
        )),
        None => Err(FormatError::syntax(
            reader.path,
            line,
            format!("expected {what} (an integer), found {}", show(w)),
        )),
    }
}

/// `Nrho drho Nr dr cutoff`, with the LAMMPS validity check (Nrho > 0, Nr > 0, dr > 0).
fn read_grid(reader: &mut TokenReader) -> Result<Grid, FormatError> {
    let what = "the grid line 'Nrho drho Nr dr cutoff'";
    let rec = reader.record(5, what)?;
    let grid = Grid {
        nrho: count_at(reader, &rec, 0, "Nrho")?,
        drho: float_at(reader, &rec, 1, "drho")?,
        nr: count_at(reader, &rec, 2, "Nr")?,
        dr: float_at(reader, &rec, 3, "dr")?,
        cutoff: float_at(reader, &rec, 4, "cutoff")?,
    };
    if grid.dr.is_nan() || grid.dr <= 0.0 {
        return Err(FormatError::syntax(
            reader.path,
            rec.line,
            format!("dr must be > 0, found {}", grid.dr),
        ));
    }
    Ok(grid)
}

/// The element line `Z mass [a0 lattice]`: LAMMPS reads the atomic number and the mass; the
/// lattice constant and lattice type are kept when present (0 and "" when absent).
fn read_element_line(
    reader: &mut TokenReader,
    element: &str,
) -> Result<(u32, f64, f64, String), FormatError> {
    let what = format!("the element line 'Z mass a0 lattice' of {element}");
    let rec = reader.record(2, &what)?;
    let (line, w) = word(reader, &rec, 0, "atomic number")?;
    let atomic_number = parse_integer(w)
        .and_then(|z| u32::try_from(z).ok())
        .ok_or_else(|| {
            FormatError::syntax(
                reader.path,
                line,
                format!(
                    "expected the atomic number of {element} (a non-negative integer), found {}",
                    show(w)
                ),
            )
        })?;
    let mass = float_at(reader, &rec, 1, &format!("the mass of {element}"))?;
    // Without a numeric lattice constant, the third word (if any) is taken as the lattice type.
    let a0 = rec.words.get(2).and_then(|(_, w)| parse_float(w));
    let lattice_word = if a0.is_some() { 3 } else { 2 };
    let lattice_constant = a0.unwrap_or(0.0);
    let lattice = rec
        .words
        .get(lattice_word)
        .map(|(_, w)| String::from_utf8_lossy(w).into_owned())
        .unwrap_or_default();
    Ok((atomic_number, mass, lattice_constant, lattice))
}

/// Parse the bytes of a funcfl file; `path` is used in error messages only.
pub fn parse_funcfl(data: &[u8], path: &Path) -> Result<Funcfl, FormatError> {
    funcfl_from(&mut TokenReader::new(path, data))
}

/// Parse a setfl (`finnis_sinclair = false`) or Finnis–Sinclair file from its bytes; `path` is
/// used in error messages only.
pub fn parse_setfl(data: &[u8], path: &Path, finnis_sinclair: bool) -> Result<Setfl, FormatError> {
    setfl_from(&mut TokenReader::new(path, data), finnis_sinclair)
}

/// Either kind of EAM file, as found by [`parse_any`].
#[derive(Debug, Clone, PartialEq)]
pub enum EamFile {
    Funcfl(Funcfl),
    Setfl(Setfl),
}

impl EamFile {
    /// The LAMMPS pair style that reads this file: `eam`, `eam/alloy` or `eam/fs`.
    pub fn pair_style(&self) -> &'static str {
        match self {
            EamFile::Funcfl(_) => "eam",
            EamFile::Setfl(s) if s.finnis_sinclair => "eam/fs",
            EamFile::Setfl(_) => "eam/alloy",
        }
    }
}

/// Detect the format by content and parse. Every layout that LAMMPS would read without error
/// is a candidate; a layout that leaves values unread at the end ranks below one that reads
/// the whole file; remaining ties go to the file name (`.eam`, `.eam.alloy`, `.eam.fs`,
/// `.alloy`, `.fs`), then to eam/alloy (a one-element eam/fs and eam/alloy file are the same
/// text). When no layout fits, the error is the one of the layout the file name suggests.
pub fn parse_any(data: &[u8], path: &Path) -> Result<EamFile, FormatError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let hinted = if name.ends_with(".fs") {
        2
    } else if name.ends_with(".alloy") || name.ends_with(".setfl") {
        1
    } else if name.ends_with(".eam") {
        0
    } else {
        1
    };
    let mut best: Option<(u8, EamFile)> = None;
    let mut hinted_error = None;
    // The hinted layout first: when it reads the whole file nothing can rank higher.
    let mut order = vec![hinted];
    order.extend([1usize, 2, 0].into_iter().filter(|&l| l != hinted));
    for layout in order {
        let mut reader = TokenReader::new(path, data);
        let parsed = match layout {
            0 => funcfl_from(&mut reader).map(EamFile::Funcfl),
            _ => setfl_from(&mut reader, layout == 2).map(EamFile::Setfl),
        };
        match parsed {
            Ok(file) => {
                let rank = 2 * u8::from(reader.at_end()) + u8::from(layout == hinted);
                if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                    best = Some((rank, file));
                }
                if rank == 3 {
                    break;
                }
            }
            Err(e) if layout == hinted => hinted_error = Some(e),
            Err(_) => {}
        }
    }
    match (best, hinted_error) {
        (Some((_, file)), _) => Ok(file),
        (None, Some(e)) => Err(e),
        (None, None) => Err(FormatError::invalid(path, "not an EAM potential file")),
    }
}

fn funcfl_from(reader: &mut TokenReader) -> Result<Funcfl, FormatError> {
    let comment = reader.text_line("a comment line")?;
    let (atomic_number, mass, lattice_constant, lattice) =
        read_element_line(reader, "the element")?;
    let g = read_grid(reader)?;
    let frho = reader.array(g.nrho, &|| "F(rho)".to_string())?;
    let zr = reader.array(g.nr, &|| "Z(r)".to_string())?;
    let rhor = reader.array(g.nr, &|| "rho(r)".to_string())?;
    Ok(Funcfl {
        comment,
        atomic_number,
        mass,
        lattice_constant,
        lattice,
        nrho: g.nrho,
        drho: g.drho,
        nr: g.nr,
        dr: g.dr,
        cutoff: g.cutoff,
        frho,
        zr,
        rhor,
    })
}

fn setfl_from(reader: &mut TokenReader, finnis_sinclair: bool) -> Result<Setfl, FormatError> {
    let path = reader.path;
    let comments = [
        reader.text_line("comment line 1 of 3")?,
        reader.text_line("comment line 2 of 3")?,
        reader.text_line("comment line 3 of 3")?,
    ];
    let what = "the element line 'Nelements El1 El2 …'";
    let rec = reader.record(1, what)?;
    let (line, w) = word(reader, &rec, 0, "Nelements")?;
    let nelements = parse_integer(w)
        .filter(|&n| n > 0)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            FormatError::syntax(
                path,
                line,
                format!(
                    "expected the number of elements (a positive integer), found {}",
                    show(w)
                ),
            )
        })?;
    let names: Vec<String> = rec.words[1..]
        .iter()
        .map(|(_, w)| String::from_utf8_lossy(w).into_owned())
        .collect();
    if names.len() != nelements {
        return Err(FormatError::syntax(
            path,
            rec.line,
            format!(
                "the header announces {nelements} elements but names {}: {}",
                names.len(),
                names.join(" ")
            ),
        ));
    }
    let g = read_grid(reader)?;
    let ndens = if finnis_sinclair { nelements } else { 1 };
    let mut elements = Vec::with_capacity(nelements);
    for name in &names {
        let (atomic_number, mass, lattice_constant, lattice) = read_element_line(reader, name)?;
        let frho = reader.array(g.nrho, &|| format!("F(rho) for element {name}"))?;
        let mut rhor = Vec::with_capacity(ndens);
        for other in names.iter().take(ndens) {
            let table = if finnis_sinclair {
                reader.array(g.nr, &|| {
                    format!("rho(r) of element {name} at {other} sites")
                })?
            } else {
                reader.array(g.nr, &|| format!("rho(r) for element {name}"))?
            };
            rhor.push(table);
        }
        elements.push(SetflElement {
            name: name.clone(),
            atomic_number,
            mass,
            lattice_constant,
            lattice,
            frho,
            rhor,
        });
    }
    let mut z2r = Vec::with_capacity(nelements * (nelements + 1) / 2);
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().take(i + 1) {
            z2r.push(reader.array(g.nr, &|| format!("r*phi(r) for pair {a}-{b}"))?);
        }
    }
    Ok(Setfl {
        comments,
        finnis_sinclair,
        elements,
        nrho: g.nrho,
        drho: g.drho,
        nr: g.nr,
        dr: g.dr,
        cutoff: g.cutoff,
        z2r,
    })
}

/// The sixth number of the grid line of a setfl/fs file, if any: `rhomax` of the `eam/he`
/// variant (F tabulated on [rhomax − (Nrho−1)·drho, rhomax]); `eam/alloy` and `eam/fs` ignore it.
pub(crate) fn grid_sixth_value(data: &[u8], path: &Path) -> Option<f64> {
    let mut reader = TokenReader::new(path, data);
    for _ in 0..3 {
        reader.text_line("").ok()?;
    }
    reader.record(1, "").ok()?;
    let rec = reader.record(5, "").ok()?;
    rec.words.get(5).and_then(|(_, w)| parse_float_nom(w))
}
