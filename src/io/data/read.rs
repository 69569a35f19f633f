//! Reading LAMMPS data files as `read_data` does (lammps-facts §5.1): header counts and box,
//! `Masses`, `Atoms # atomic|charge` with optional image flags, `Velocities`; other sections are
//! skipped with a note. Coordinates are kept exactly as written (no remap into the box).

use std::path::Path;

mod header;
mod id_index;

use super::atoms::{
    atom_line, float, parse_block_parallel, velocity_line, AtomColumns, AtomLayout, Problems,
    VelocityRows, PARALLEL_MIN_BYTES,
};
use crate::io::text::{parse_i64, show, show_line, trim, Fields, Line, Lines};
use crate::io::FormatError;
use crate::system::System;
use id_index::IdIndex;

/// Atom styles pelkit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AtomStyle {
    /// `id type x y z`
    Atomic,
    /// `id type q x y z`
    Charge,
}

impl AtomStyle {
    /// Columns of an Atoms line without image flags.
    pub fn columns(self) -> usize {
        match self {
            AtomStyle::Atomic => 5,
            AtomStyle::Charge => 6,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            AtomStyle::Atomic => "atomic",
            AtomStyle::Charge => "charge",
        }
    }
}

/// A value that LAMMPS would refuse or that makes the configuration suspect, found while
/// parsing (non-finite numbers, duplicate ids, types out of range). [`read_data`] turns the first
/// one into an error; `pelkit check` lists them all.
#[derive(Debug, Clone, PartialEq)]
pub struct DataProblem {
    pub line: usize,
    pub message: String,
}

/// Everything read from a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    pub system: System,
    /// `units = X` from the title line (LAMMPS 2025 `write_data` writes it), if present.
    pub units: Option<String>,
    pub atom_style: AtomStyle,
    /// Whether the Atoms lines carried image flags.
    pub has_image_flags: bool,
    /// Header counts pelkit does not use (`bonds`, `bond types`, …) with their values.
    pub other_counts: Vec<(String, u64)>,
    /// What was accepted but not used (skipped sections, header counts, defaults applied).
    pub notes: Vec<String>,
    /// Suspect values (at most [`MAX_PROBLEMS`] kept; `problem_count` has the total).
    pub problems: Vec<DataProblem>,
    pub problem_count: usize,
}

/// Number of problems kept in [`DataFile::problems`].
pub const MAX_PROBLEMS: usize = 100;

/// Sections a LAMMPS data file may hold that pelkit skips (kept in the order of the LAMMPS docs).
const SKIPPED_SECTIONS: &[&str] = &[
    "Pair Coeffs",
    "PairIJ Coeffs",
    "Bond Coeffs",
    "Angle Coeffs",
    "Dihedral Coeffs",
    "Improper Coeffs",
    "BondBond Coeffs",
    "BondAngle Coeffs",
    "MiddleBondTorsion Coeffs",
    "EndBondTorsion Coeffs",
    "AngleTorsion Coeffs",
    "AngleAngleTorsion Coeffs",
    "BondBond13 Coeffs",
    "AngleAngle Coeffs",
    "Bonds",
    "Angles",
    "Dihedrals",
    "Impropers",
    "Ellipsoids",
    "Lines",
    "Triangles",
    "Bodies",
    "Atom Type Labels",
    "Bond Type Labels",
    "Angle Type Labels",
    "Dihedral Type Labels",
    "Improper Type Labels",
];

/// Read a LAMMPS data file into a [`System`]. Errors on anything LAMMPS `read_data` would refuse
/// (and on non-finite numbers, which LAMMPS would accept silently).
pub fn read_data(path: &Path) -> Result<System, FormatError> {
    Ok(read_data_with_notes(path)?.system)
}

/// [`read_data`], also returning the notes about what was skipped.
pub fn read_data_with_notes(path: &Path) -> Result<DataFile, FormatError> {
    let bytes = crate::io::configuration::read_bytes(path)?;
    let file = parse_data(&bytes, path)?;
    if let Some(p) = file.problems.first() {
        return Err(FormatError::syntax(path, p.line, p.message.clone()));
    }
    Ok(file)
}

/// Parse the text of a data file (`path` only names it in messages). Suspect values are
/// returned in [`DataFile::problems`] rather than as errors, so `check` can list them all.
pub fn parse_data(bytes: &[u8], path: &Path) -> Result<DataFile, FormatError> {
    Parser::new(bytes, path).parse()
}

struct Header {
    natoms: Option<u64>,
    ntypes: Option<u64>,
    bounds: [Option<(f64, f64)>; 3],
    tilt: Option<[f64; 3]>,
    /// Counts pelkit does not use (`bonds`, `bond types`, …).
    other: Vec<(String, u64)>,
}

struct Parser<'a> {
    lines: Lines<'a>,
    path: &'a Path,
    notes: Vec<String>,
    problems: Problems,
    /// File size, bounding the capacity reserved from header counts.
    size: usize,
}

/// Largest `atom types` count accepted (the per-type mass table is allocated from it).
pub const MAX_ATOM_TYPES: u64 = 1_000_000;

impl<'a> Parser<'a> {
    fn new(bytes: &'a [u8], path: &'a Path) -> Self {
        Parser {
            lines: Lines::new(bytes),
            path,
            notes: Vec::new(),
            problems: Problems::default(),
            size: bytes.len(),
        }
    }

    fn syntax(&self, line: usize, msg: impl Into<String>) -> FormatError {
        FormatError::syntax(self.path, line, msg)
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(line, message);
    }

    /// Parse a float, reporting non-finite values as problems.
    fn float(&mut self, line: usize, tok: &[u8], what: &str) -> Result<f64, FormatError> {
        float(&mut self.problems, self.path, line, tok, what)
    }

    fn parse(mut self) -> Result<DataFile, FormatError> {
        // Line 1 is a free-text title, skipped except for `units = X` (as LAMMPS 2025 does).
        let Some(title) = self.lines.next() else {
            return Err(FormatError::invalid(
                self.path,
                "empty file: expected a LAMMPS data file (title line, header, sections)",
            ));
        };
        let units = title_units(title.text);
        let mut header = self.header()?;
        let other_counts = std::mem::take(&mut header.other);
        let ntypes = header.ntypes.unwrap_or(0);
        let natoms = header.natoms.unwrap_or(0);
        if header.natoms.is_none() {
            self.notes
                .push("header has no `atoms` line: 0 atoms (LAMMPS default)".into());
        }
        if ntypes > MAX_ATOM_TYPES {
            return Err(FormatError::invalid(
                self.path,
                format!(
                    "the header declares {ntypes} atom types: expected at most {MAX_ATOM_TYPES}"
                ),
            ));
        }
        let simbox = self.simbox(&header)?;

        let mut masses: Vec<Option<f64>> = vec![None; ntypes as usize];
        let mut atoms: Option<(AtomColumns, AtomStyle, bool)> = None;
        let mut velocities: Option<Vec<(u64, [f64; 3], usize)>> = None;
        let mut seen_masses = false;
        while let Some(line) = self.lines.next() {
            if line.is_blank() {
                continue;
            }
            let keyword = trim(line.content());
            let style = line.comment();
            match keyword {
                b"Atoms" => {
                    if atoms.is_some() {
                        return Err(self.syntax(
                            line.number,
                            "expected one Atoms section, found a second Atoms section",
                        ));
                    }
                    self.blank_after_keyword(&line)?;
                    atoms = Some(self.atoms(&line, style, natoms, ntypes)?);
                }
                b"Velocities" => {
                    if velocities.is_some() {
                        return Err(self.syntax(
                            line.number,
                            "expected one Velocities section, found a second Velocities section",
                        ));
                    }
                    self.blank_after_keyword(&line)?;
                    velocities = Some(self.velocities(natoms)?);
                }
                b"Masses" => {
                    if seen_masses {
                        return Err(self.syntax(
                            line.number,
                            "expected one Masses section, found a second Masses section",
                        ));
                    }
                    seen_masses = true;
                    self.blank_after_keyword(&line)?;
                    self.masses(&mut masses)?;
                }
                k if SKIPPED_SECTIONS.iter().any(|s| s.as_bytes() == k) => {
                    self.blank_after_keyword(&line)?;
                    self.skip_section(&line);
                }
                _ => {
                    return Err(self.syntax(
                        line.number,
                        format!(
                            "expected a section keyword (Atoms, Velocities, Masses, Pair Coeffs, \
                             Bonds, …), found {}",
                            show(trim(line.text))
                        ),
                    ))
                }
            }
        }

        let (cols, atom_style, has_image_flags) = match atoms {
            Some(a) => a,
            None if natoms == 0 => (AtomColumns::default(), AtomStyle::Atomic, false),
            None => {
                return Err(FormatError::invalid(
                    self.path,
                    format!("the header declares {natoms} atoms but the file has no Atoms section"),
                ))
            }
        };
        if velocities.is_some() && natoms == 0 {
            self.notes.push("Velocities section with 0 atoms".into());
        }
        // Duplicate ids: LAMMPS stops with "Duplicate atom IDs exist".
        let index = self.id_index(&cols);
        let velocities = match velocities {
            None => None,
            Some(list) => {
                let mut v = vec![[0.0; 3]; cols.ids.len()];
                for (id, vel, line) in list {
                    match index.get(id) {
                        Some(i) => v[i] = vel,
                        None => self.problem(
                            line,
                            format!("expected the id of an atom in the Atoms section, found velocity for atom id {id}"),
                        ),
                    }
                }
                Some(v)
            }
        };
        // Earliest line first (stable: problems of one line keep the order they were found in).
        self.problems.list.sort_by_key(|p| p.line);
        let charges = (atom_style == AtomStyle::Charge).then_some(cols.charges);
        let system = System {
            simbox,
            ids: cols.ids,
            types: cols.types,
            positions: cols.positions,
            images: cols.images,
            velocities,
            charges,
            ntypes: ntypes as usize,
            masses,
        };
        Ok(DataFile {
            system,
            units,
            atom_style,
            has_image_flags,
            other_counts,
            notes: self.notes,
            problems: self.problems.list,
            problem_count: self.problems.count,
        })
    }

    /// Map atom id → index; records duplicate ids as problems.
    fn id_index(&mut self, cols: &AtomColumns) -> IdIndex {
        let mut index = IdIndex::new(&cols.ids);
        for (i, &id) in cols.ids.iter().enumerate() {
            if let Some(first) = index.insert(id, i) {
                let msg = format!(
                    "duplicate atom id {id} (first on line {}); LAMMPS refuses duplicate atom IDs",
                    cols.lines[first]
                );
                self.problem(cols.lines[i], msg);
            }
        }
        index
    }

    /// LAMMPS consumes exactly one line after a section keyword; it must be blank.
    fn blank_after_keyword(&mut self, keyword: &Line) -> Result<(), FormatError> {
        match self.lines.next() {
            Some(l) if l.is_blank() => Ok(()),
            other => Err(self.syntax(
                other.map_or(keyword.number, |l| l.number),
                format!(
                    "expected a blank line after the section keyword {}, found {}",
                    show(trim(keyword.content())),
                    show_line(other.as_ref())
                ),
            )),
        }
    }

    /// Next data line of a section: `k` of `n` lines.
    fn data_line(
        &mut self,
        section: &str,
        k: u64,
        n: u64,
        after: usize,
    ) -> Result<(Line<'a>, Fields<'a>), FormatError> {
        let next = self.lines.next();
        let fields = next.as_ref().map(|l| l.fields());
        match (next, fields) {
            (Some(l), Some(f)) if !f.is_empty() => Ok((l, f)),
            (other, _) => Err(self.syntax(
                other.map_or(after, |l| l.number),
                format!(
                    "expected line {} of {n} of the {section} section, found {}",
                    k + 1,
                    show_line(other.as_ref())
                ),
            )),
        }
    }

    fn atoms(
        &mut self,
        keyword: &Line,
        hint: Option<&[u8]>,
        natoms: u64,
        ntypes: u64,
    ) -> Result<(AtomColumns, AtomStyle, bool), FormatError> {
        let hinted = match hint {
            None | Some(b"") => None,
            Some(b"atomic") => Some(AtomStyle::Atomic),
            Some(b"charge") => Some(AtomStyle::Charge),
            Some(other) => {
                return Err(self.syntax(
                    keyword.number,
                    format!(
                        "expected atom style `atomic` or `charge` after `Atoms #`, found {} \
                         (pelkit reads only these two styles)",
                        show(other)
                    ),
                ))
            }
        };
        // Each atom line has at least 10 bytes: do not trust the header count for the capacity.
        let cap = natoms.min(self.size as u64 / 10) as usize;
        let mut cols = AtomColumns::default();
        let mut layout: Option<AtomLayout> = None;
        let mut last = keyword.number + 1;
        let mut k = 0;
        while k < natoms {
            let (line, f) = self.data_line("Atoms", k, natoms, last)?;
            last = line.number;
            k += 1;
            let l = match layout {
                Some(l) => l,
                None => {
                    let l = self.atom_layout(&line, &f, hinted)?;
                    cols = AtomColumns::with_capacity(cap, l.style == AtomStyle::Charge);
                    layout = Some(l);
                    l
                }
            };
            atom_line(
                &line,
                &f,
                l,
                ntypes,
                self.path,
                &mut self.problems,
                &mut cols,
            )?;
            // After the first line, a large block goes to the parallel parser; if it is not
            // well formed, the sequential loop continues and reports the exact error.
            let remaining = (natoms - k) as usize;
            if k == 1 && self.size >= PARALLEL_MIN_BYTES && remaining > 0 {
                let path = self.path;
                let parsed = parse_block_parallel(&self.lines, remaining, |line, f, p, c| {
                    atom_line(line, f, l, ntypes, path, p, c)
                });
                if let Some((more, problems, nbytes)) = parsed {
                    cols.append_block(more);
                    self.problems.append(problems);
                    self.lines.advance(nbytes, remaining);
                    k = natoms;
                }
            }
        }
        let (style, images) = layout.map_or((hinted.unwrap_or(AtomStyle::Atomic), false), |l| {
            (l.style, l.images)
        });
        Ok((cols, style, images))
    }

    /// Style and image-flag presence from the `#` hint and the column count of the first line.
    fn atom_layout(
        &self,
        line: &Line,
        f: &Fields,
        hinted: Option<AtomStyle>,
    ) -> Result<AtomLayout, FormatError> {
        let n = f.len();
        let styles: &[AtomStyle] = match hinted {
            Some(AtomStyle::Atomic) => &[AtomStyle::Atomic],
            Some(AtomStyle::Charge) => &[AtomStyle::Charge],
            None => &[AtomStyle::Atomic, AtomStyle::Charge],
        };
        for &s in styles {
            if n == s.columns() || n == s.columns() + 3 {
                return Ok(AtomLayout {
                    style: s,
                    images: n == s.columns() + 3,
                    ncols: n,
                });
            }
        }
        let expected = match hinted {
            Some(s) => format!(
                "{} or {} columns for atom style {} (id type{} x y z [ix iy iz])",
                s.columns(),
                s.columns() + 3,
                s.name(),
                if s == AtomStyle::Charge { " q" } else { "" }
            ),
            None => "5 or 8 columns (atomic: id type x y z [ix iy iz]) or 6 or 9 (charge: id type q x y z [ix iy iz]); add `# atomic` or `# charge` after `Atoms` to name the style".to_string(),
        };
        Err(self.syntax(line.number, format!("expected {expected}, found {n}")))
    }

    fn velocities(&mut self, natoms: u64) -> Result<VelocityRows, FormatError> {
        let mut out = VelocityRows::with_capacity(natoms.min(self.size as u64 / 8) as usize);
        let mut last = self.lines.peek().map_or(0, |l| l.number);
        let path = self.path;
        if self.size >= PARALLEL_MIN_BYTES && natoms > 0 {
            let parsed = parse_block_parallel(&self.lines, natoms as usize, |line, f, p, c| {
                velocity_line(line, f, path, p, c)
            });
            if let Some((rows, problems, nbytes)) = parsed {
                self.problems.append(problems);
                self.lines.advance(nbytes, natoms as usize);
                return Ok(rows);
            }
        }
        for k in 0..natoms {
            let (line, f) = self.data_line("Velocities", k, natoms, last)?;
            last = line.number;
            velocity_line(&line, &f, path, &mut self.problems, &mut out)?;
        }
        Ok(out)
    }

    fn masses(&mut self, masses: &mut [Option<f64>]) -> Result<(), FormatError> {
        let n = masses.len() as u64;
        let mut last = self.lines.peek().map_or(0, |l| l.number);
        for k in 0..n {
            let (line, f) = self.data_line("Masses", k, n, last)?;
            last = line.number;
            if f.len() != 2 {
                return Err(self.syntax(
                    line.number,
                    format!("expected 2 columns (type mass), found {}", f.len()),
                ));
            }
            let t = match parse_i64(f.get(0)) {
                Some(t) if t >= 1 && (t as u64) <= n => t as usize,
                _ => {
                    return Err(self.syntax(
                        line.number,
                        format!("expected an atom type 1..={n}, found {}", show(f.get(0))),
                    ))
                }
            };
            let m = self.float(line.number, f.get(1), "mass")?;
            if m.is_finite() && m <= 0.0 {
                self.problem(
                    line.number,
                    format!("mass of type {t} is {m}: expected a positive mass"),
                );
            }
            masses[t - 1] = Some(m);
        }
        Ok(())
    }

    /// Skip a section pelkit does not use: every line up to the next section keyword.
    fn skip_section(&mut self, keyword: &Line) {
        let mut count = 0usize;
        while let Some(l) = self.lines.peek() {
            let k = trim(l.content());
            if is_section_keyword(k) {
                break;
            }
            if !l.is_blank() {
                count += 1;
            }
            self.lines.next();
        }
        self.notes.push(format!(
            "line {}: skipped section {} ({count} lines; not used by pelkit)",
            keyword.number,
            show(trim(keyword.text))
        ));
    }
}

/// The `X` of `units = X` in a title line.
fn title_units(title: &[u8]) -> Option<String> {
    let f = Fields::of(title);
    let at = f.iter().position(|t| t == b"units")?;
    if f.get(at + 1) != b"=" {
        return None;
    }
    let unit = f.get(at + 2);
    let unit = unit.strip_suffix(b",").unwrap_or(unit);
    (!unit.is_empty()).then(|| String::from_utf8_lossy(unit).into_owned())
}

fn is_section_keyword(k: &[u8]) -> bool {
    matches!(k, b"Atoms" | b"Velocities" | b"Masses")
        || SKIPPED_SECTIONS.iter().any(|s| s.as_bytes() == k)
}
