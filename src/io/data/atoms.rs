//! The hot loop of `read_data`: one Atoms line into columns, and the parallel parse of a whole
//! Atoms block in chunks (rayon), whose result does not depend on the number of threads.

use std::path::Path;

use rayon::prelude::*;

use super::read::{AtomStyle, DataProblem, MAX_PROBLEMS};
use crate::io::text::{parse_f64, parse_i64, show, Fields, Line, Lines};
use crate::io::FormatError;

/// Suspect values found while parsing (at most [`MAX_PROBLEMS`] kept, all counted).
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub list: Vec<DataProblem>,
    pub count: usize,
}

impl Problems {
    pub fn push(&mut self, line: usize, message: String) {
        self.count += 1;
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(DataProblem { line, message });
        }
    }

    /// Append the problems of a later part of the file.
    pub fn append(&mut self, other: Problems) {
        let room = MAX_PROBLEMS.saturating_sub(self.list.len());
        self.list.extend(other.list.into_iter().take(room));
        self.count += other.count;
    }
}

/// Parse a float, recording a non-finite value as a problem.
pub(super) fn float(
    problems: &mut Problems,
    path: &Path,
    line: usize,
    tok: &[u8],
    what: &str,
) -> Result<f64, FormatError> {
    let v = parse_f64(tok).ok_or_else(|| {
        FormatError::syntax(
            path,
            line,
            format!("expected {what} (a number), found {}", show(tok)),
        )
    })?;
    if !v.is_finite() {
        problems.push(
            line,
            format!("expected a finite {what}, found {}", show(tok)),
        );
    }
    Ok(v)
}

/// Column layout of the Atoms lines, fixed by the first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AtomLayout {
    pub style: AtomStyle,
    pub images: bool,
    pub ncols: usize,
}

/// Atoms parsed so far (structure of arrays, in file order).
#[derive(Default)]
pub(super) struct AtomColumns {
    pub ids: Vec<u64>,
    pub types: Vec<u32>,
    pub positions: Vec<[f64; 3]>,
    pub images: Vec<[i32; 3]>,
    pub charges: Vec<f64>,
    /// Line of each atom (for messages about duplicates).
    pub lines: Vec<usize>,
}

impl AtomColumns {
    pub fn with_capacity(cap: usize, charges: bool) -> Self {
        AtomColumns {
            ids: Vec::with_capacity(cap),
            types: Vec::with_capacity(cap),
            positions: Vec::with_capacity(cap),
            images: Vec::with_capacity(cap),
            charges: Vec::with_capacity(if charges { cap } else { 0 }),
            lines: Vec::with_capacity(cap),
        }
    }

    pub fn append_block(&mut self, other: AtomColumns) {
        self.ids.extend(other.ids);
        self.types.extend(other.types);
        self.positions.extend(other.positions);
        self.images.extend(other.images);
        self.charges.extend(other.charges);
        self.lines.extend(other.lines);
    }
}

/// One Atoms line (`f` its fields) into `cols`.
pub(super) fn atom_line(
    line: &Line,
    f: &Fields,
    layout: AtomLayout,
    ntypes: u64,
    path: &Path,
    problems: &mut Problems,
    cols: &mut AtomColumns,
) -> Result<(), FormatError> {
    let syntax = |msg: String| FormatError::syntax(path, line.number, msg);
    if f.len() != layout.ncols {
        return Err(syntax(format!(
            "expected {} columns (id type{} x y z{}, as on the first Atoms line), found {}",
            layout.ncols,
            if layout.style == AtomStyle::Charge {
                " q"
            } else {
                ""
            },
            if layout.images { " ix iy iz" } else { "" },
            f.len()
        )));
    }
    let id = match parse_i64(f.get(0)) {
        Some(v) if v > 0 => v as u64,
        _ => {
            return Err(syntax(format!(
                "expected a positive integer atom id, found {}",
                show(f.get(0))
            )))
        }
    };
    let ty = match parse_i64(f.get(1)) {
        Some(v) if v >= 1 && v <= u32::MAX as i64 => v as u32,
        _ => {
            return Err(syntax(format!(
                "expected an integer atom type (1..={ntypes}), found {}",
                show(f.get(1))
            )))
        }
    };
    if ty as u64 > ntypes {
        problems.push(
            line.number,
            format!("atom type {ty} of atom {id} is out of range: the header declares {ntypes} atom types"),
        );
    }
    let mut c = 2;
    if layout.style == AtomStyle::Charge {
        let q = float(problems, path, line.number, f.get(2), "charge q")?;
        cols.charges.push(q);
        c = 3;
    }
    let mut x = [0.0; 3];
    for (d, what) in ["x coordinate", "y coordinate", "z coordinate"]
        .iter()
        .enumerate()
    {
        x[d] = float(problems, path, line.number, f.get(c + d), what)?;
    }
    let mut im = [0i32; 3];
    if layout.images {
        for (d, name) in ["ix", "iy", "iz"].iter().enumerate() {
            let tok = f.get(c + 3 + d);
            im[d] = match parse_i64(tok) {
                Some(v) if v >= i32::MIN as i64 && v <= i32::MAX as i64 => v as i32,
                _ => {
                    return Err(syntax(format!(
                        "expected an integer image flag {name}, found {}",
                        show(tok)
                    )))
                }
            };
        }
    }
    cols.ids.push(id);
    cols.types.push(ty);
    cols.positions.push(x);
    cols.images.push(im);
    cols.lines.push(line.number);
    Ok(())
}

/// Blocks smaller than this are parsed on one thread.
pub(super) const PARALLEL_MIN_BYTES: usize = 1 << 20;
/// Target size of one parallel chunk.
const CHUNK_BYTES: usize = 1 << 19;

/// Per-line results of a section that can be parsed in parallel chunks and concatenated.
pub(super) trait SectionColumns: Send + Sized {
    fn with_capacity(cap: usize) -> Self;
    fn append_block(&mut self, other: Self);
    fn len(&self) -> usize;
}

/// Velocities lines: (atom id, velocity, line).
pub(super) type VelocityRows = Vec<(u64, [f64; 3], usize)>;

impl SectionColumns for VelocityRows {
    fn with_capacity(cap: usize) -> Self {
        Vec::with_capacity(cap)
    }
    fn append_block(&mut self, other: Self) {
        self.extend(other);
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
}

/// The Atoms columns of one layout (the layout and type count travel with the parser closure).
impl SectionColumns for AtomColumns {
    fn with_capacity(cap: usize) -> Self {
        AtomColumns::with_capacity(cap, true)
    }
    fn append_block(&mut self, other: Self) {
        AtomColumns::append_block(self, other)
    }
    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// One Velocities line `id vx vy vz` into `rows`.
pub(super) fn velocity_line(
    line: &Line,
    f: &Fields,
    path: &Path,
    problems: &mut Problems,
    rows: &mut VelocityRows,
) -> Result<(), FormatError> {
    if f.len() != 4 {
        return Err(FormatError::syntax(
            path,
            line.number,
            format!("expected 4 columns (id vx vy vz), found {}", f.len()),
        ));
    }
    let id = match parse_i64(f.get(0)) {
        Some(v) if v > 0 => v as u64,
        _ => {
            return Err(FormatError::syntax(
                path,
                line.number,
                format!(
                    "expected a positive integer atom id, found {}",
                    show(f.get(0))
                ),
            ))
        }
    };
    let mut v = [0.0; 3];
    for (d, what) in ["velocity vx", "velocity vy", "velocity vz"]
        .iter()
        .enumerate()
    {
        v[d] = float(problems, path, line.number, f.get(1 + d), what)?;
    }
    rows.push((id, v, line.number));
    Ok(())
}

/// Parse the `n` lines at the start of `lines` in parallel chunks with `parse_line`. Returns
/// the concatenated results, the problems (in line order) and the number of bytes consumed, or
/// `None` when the block is not `n` well-formed non-blank lines (the caller then parses
/// sequentially, which gives the exact error). The result does not depend on the thread count.
pub(super) fn parse_block_parallel<C, F>(
    lines: &Lines<'_>,
    n: usize,
    parse_line: F,
) -> Option<(C, Problems, usize)>
where
    C: SectionColumns,
    F: Fn(&Line, &Fields, &mut Problems, &mut C) -> Result<(), FormatError> + Sync,
{
    let rest = lines.rest();
    let first_line = lines.next_number();
    // Byte length of the block: n line terminators (the last line may lack one).
    let mut len = 0;
    let mut found = 0;
    for (i, _) in rest.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        found += 1;
        len = i + 1;
        if found == n {
            break;
        }
    }
    if found < n {
        if found + 1 == n && len < rest.len() {
            len = rest.len();
        } else {
            return None;
        }
    }
    let block = &rest[..len];
    // Chunks ending on line boundaries, with their first line numbers.
    let mut chunks: Vec<(&[u8], usize)> = Vec::with_capacity(len / CHUNK_BYTES + 1);
    let (mut start, mut line_no) = (0, first_line);
    while start < len {
        let mut end = (start + CHUNK_BYTES).min(len);
        while end < len && block[end - 1] != b'\n' {
            end += 1;
        }
        let piece = &block[start..end];
        chunks.push((piece, line_no));
        line_no += piece.iter().filter(|&&b| b == b'\n').count();
        start = end;
    }
    let parsed: Vec<Option<(C, Problems)>> = chunks
        .par_iter()
        .map(|&(piece, first)| {
            let mut cols = C::with_capacity(piece.len() / 24);
            let mut problems = Problems::default();
            for mut line in Lines::new(piece) {
                line.number += first - 1;
                let f = line.fields();
                if f.is_empty() {
                    return None;
                }
                parse_line(&line, &f, &mut problems, &mut cols).ok()?;
            }
            Some((cols, problems))
        })
        .collect();
    let mut parts = parsed.into_iter();
    let (mut cols, mut problems) = parts.next()??;
    for part in parts {
        let (c, p) = part?;
        cols.append_block(c);
        problems.append(p);
    }
    (cols.len() == n).then_some((cols, problems, len))
}
