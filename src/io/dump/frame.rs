//! One dump frame in memory (header plus columnar per-atom values) and the parser that fills it
//! from the frame's bytes.

use crate::geometry::SimBox;

use super::atom_line;
use super::frame_error::FrameError;
use super::header::{parse_header, Header};
use super::number::{fast_f64, general_f64, skip_blanks, token_end, TokenError};

/// One frame of a LAMMPS text dump.
///
/// Values are stored column by column in file order (atoms are not sorted); `ids` are the `id`
/// column as integers (1..=N in file order when the dump has no `id` column).
#[derive(Debug, Clone, PartialEq)]
pub struct DumpFrame {
    pub timestep: u64,
    /// `ITEM: TIME` (from `dump_modify time yes`), if present.
    pub time: Option<f64>,
    /// `ITEM: UNITS` (from `dump_modify units yes`), if present in this frame.
    pub units: Option<String>,
    /// The box (LAMMPS `boxlo/boxhi` and tilts, converted from the dump's bound box) with
    /// `periodic` set from the boundary flags.
    pub simbox: SimBox,
    /// Boundary flags as written, e.g. `["pp", "pp", "ff"]`.
    pub boundary: [String; 3],
    /// Column names of `ITEM: ATOMS`, in file order.
    pub columns: Vec<String>,
    pub ids: Vec<u64>,
    /// Column-major values: column `c` is `values[c * natoms .. (c + 1) * natoms]`.
    pub(crate) values: Vec<f64>,
}

impl DumpFrame {
    /// Number of atoms in the frame.
    pub fn natoms(&self) -> usize {
        self.ids.len()
    }

    /// The values of column `name` (file order), or `None` if the dump has no such column.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        let c = self.columns.iter().position(|n| n == name)?;
        let n = self.natoms();
        self.values.get(c * n..(c + 1) * n)
    }

    /// Column `k` (in `columns` order).
    pub fn column_at(&self, k: usize) -> Option<&[f64]> {
        let n = self.natoms();
        self.values.get(k * n..(k + 1) * n)
    }

    /// A frame built in memory (for writing): `columns[k]` holds `values[k]`, one value per atom.
    /// `ids` comes from an `id` column if there is one, else 1..=N.
    pub fn from_columns(
        timestep: u64,
        simbox: SimBox,
        columns: Vec<(String, Vec<f64>)>,
    ) -> Result<Self, FrameError> {
        let n = columns.first().map_or(0, |c| c.1.len());
        if let Some((name, v)) = columns.iter().find(|c| c.1.len() != n) {
            return Err(FrameError::ColumnLength {
                name: name.clone(),
                len: v.len(),
                expected: n,
            });
        }
        let ids = match columns.iter().find(|c| c.0 == "id") {
            Some((_, col)) => col
                .iter()
                .map(|&v| as_id(v).ok_or(FrameError::BadId { value: v }))
                .collect::<Result<_, _>>()?,
            None => (1..=n as u64).collect(),
        };
        let mut values = Vec::with_capacity(n * columns.len());
        for (_, v) in &columns {
            values.extend_from_slice(v);
        }
        let names: Vec<String> = columns.into_iter().map(|c| c.0).collect();
        let boundary = simbox.periodic.map(|p| {
            if p {
                "pp".to_string()
            } else {
                "ff".to_string()
            }
        });
        let frame = DumpFrame {
            timestep,
            time: None,
            units: None,
            simbox,
            boundary,
            columns: names,
            ids,
            values,
        };
        Ok(frame)
    }
}

/// A parse failure inside one frame: byte offset (in the frame) of the line it is about.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError {
    pub offset: usize,
    pub message: String,
    /// The frame's bytes ended before the frame was complete (a cut-off last frame).
    pub truncated: bool,
}

impl ParseError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        ParseError {
            offset,
            message: message.into(),
            truncated: false,
        }
    }
    pub fn truncated(offset: usize, message: impl Into<String>) -> Self {
        ParseError {
            offset,
            message: message.into(),
            truncated: true,
        }
    }
}

/// A non-finite value found while parsing (reported by `check`, an error for `frame`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NonFinite {
    pub offset: usize,
    pub column: String,
    pub count: usize,
}

/// Result of parsing one frame.
pub(crate) struct Parsed {
    pub frame: DumpFrame,
    pub non_finite: Option<NonFinite>,
}

const MAX_EXACT_ID: f64 = 9_007_199_254_740_992.0; // 2^53

fn as_id(v: f64) -> Option<u64> {
    // In this range the conversion to an integer and back is exact only for integers (and
    // cheaper than `fract`, a libm call on baseline x86_64).
    ((1.0..=MAX_EXACT_ID).contains(&v) && (v as i64) as f64 == v).then_some(v as u64)
}

/// Offset of the `i`-th line after `start` (cold path, for error messages).
pub(crate) fn line_offset(data: &[u8], start: usize, i: usize) -> usize {
    let mut pos = start;
    for _ in 0..i {
        match memchr::memchr(b'\n', &data[pos.min(data.len())..]) {
            Some(k) => pos += k + 1,
            None => return data.len(),
        }
    }
    pos
}

/// Where the values of each atom line go (a frame's columns, or running statistics).
pub(crate) trait AtomSink {
    /// The values of atom line `i` (0-based, file order), one per column.
    fn line(&mut self, i: usize, row: &[f64]);
}

/// Stores values column by column: column `c` of line `i` at `values[c * n + i]`.
struct ColumnMajor<'a> {
    values: &'a mut [f64],
    n: usize,
}

impl AtomSink for ColumnMajor<'_> {
    #[inline(always)]
    fn line(&mut self, i: usize, row: &[f64]) {
        for (c, &v) in row.iter().enumerate() {
            if let Some(slot) = self.values.get_mut(c * self.n + i) {
                *slot = v;
            }
        }
    }
}

/// Parse the atom lines of a frame whose header is `header` into `sink`: exactly
/// `header.natoms` lines of `header.columns.len()` numbers, then only blank lines.
pub(crate) fn parse_atoms<S: AtomSink>(
    data: &[u8],
    header: &Header,
    sink: &mut S,
) -> Result<(), ParseError> {
    let n = header.natoms;
    let ncols = header.columns.len();
    // Refuse absurd counts before allocating (a corrupt header must not abort the process).
    let remaining = data.len().saturating_sub(header.atoms_start);
    if n.saturating_mul(ncols) > remaining {
        let lines = memchr::memchr_iter(b'\n', &data[header.atoms_start.min(data.len())..]).count();
        return Err(ParseError::truncated(
            data.len(),
            format!(
                "expected {n} atom lines of {ncols} values after `ITEM: ATOMS`, but the frame \
                 ends after {lines} lines"
            ),
        ));
    }
    if atom_line::available() {
        // SAFETY: the CPU supports AVX2 (checked just above).
        unsafe { parse_atoms_avx2(data, header, sink) }
    } else {
        parse_atoms_with::<S, false>(data, header, sink)
    }
}

/// [`parse_atoms_with`] compiled for AVX2, so that the fast line parser inlines into it.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg_attr(target_arch = "x86_64", target_feature(enable = "avx2"))]
unsafe fn parse_atoms_avx2<S: AtomSink>(
    data: &[u8],
    header: &Header,
    sink: &mut S,
) -> Result<(), ParseError> {
    parse_atoms_with::<S, true>(data, header, sink)
}

/// Consecutive lines declined by the fast path before it is paused, and for how many lines.
const DECLINES_BEFORE_PAUSE: usize = 8;
const FAST_PAUSE: usize = 256;

/// The atom-line loop: each line goes through the vectorised fast path when `FAST` (and it
/// takes the line), else through the exact scalar tokeniser, which also makes every error.
#[inline(always)]
fn parse_atoms_with<S: AtomSink, const FAST: bool>(
    data: &[u8],
    header: &Header,
    sink: &mut S,
) -> Result<(), ParseError> {
    let n = header.natoms;
    let ncols = header.columns.len();
    let mut row = vec![0.0f64; ncols];
    let mut pos = header.atoms_start;
    let len = data.len();
    let (mut declined, mut scalar_until) = (0usize, 0usize);
    for i in 0..n {
        let line_start = pos;
        if pos >= len {
            return Err(ParseError::truncated(
                len,
                format!("expected {n} atom lines after `ITEM: ATOMS` (NUMBER OF ATOMS), found {i}"),
            ));
        }
        if FAST && i >= scalar_until {
            // SAFETY: FAST is only instantiated by `parse_atoms_avx2`, run on AVX2 CPUs.
            let taken = match unsafe { atom_line::parse_line(data, pos, &mut row) } {
                Some(next) => Some(next),
                // Lines longer than the 128-byte window (no newline in it) get the multi-window
                // variant; other declined lines (17 digits…) go straight to the scalar path.
                None if data
                    .get(pos..pos + 128)
                    .is_some_and(|w| memchr::memchr(b'\n', w).is_none()) =>
                {
                    // SAFETY: as above.
                    unsafe { atom_line::parse_long_line(data, pos, &mut row) }
                }
                None => None,
            };
            if let Some(next) = taken {
                declined = 0;
                sink.line(i, &row);
                pos = next;
                continue;
            }
            // Files whose lines the fast path cannot take (17 digits, exponents) should not pay
            // for trying it on every line: after a run of declines, skip it for a while. (Both
            // paths give identical results, so this only changes the speed.)
            declined += 1;
            if declined >= DECLINES_BEFORE_PAUSE {
                scalar_until = i + FAST_PAUSE;
                declined = 0;
            }
        }
        for (c, slot) in row.iter_mut().enumerate() {
            let (v, p) = match fast_f64(data, pos) {
                Some(r) => r,
                None => match general_f64(data, pos) {
                    Ok(r) => r,
                    Err(e) => return Err(token_error(data, line_start, c, &header.columns, e)),
                },
            };
            *slot = v;
            pos = p;
        }
        pos = skip_blanks(data, pos);
        if pos < len {
            if data[pos] != b'\n' {
                let end = token_end(data, pos);
                return Err(ParseError::new(
                    line_start,
                    format!(
                        "expected {ncols} values ({}), found more: `{}`",
                        header.columns.join(" "),
                        String::from_utf8_lossy(&data[pos..end])
                    ),
                ));
            }
            pos += 1;
        }
        sink.line(i, &row);
    }
    if let Some(k) = data[pos.min(len)..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
    {
        return Err(ParseError::new(
            line_offset_back(data, pos + k),
            format!("more lines than NUMBER OF ATOMS = {n} before the next frame"),
        ));
    }
    Ok(())
}

/// Check the integer columns of a parsed frame (`column(name)` gives a column's values in
/// file order) and return the atom ids: `id` must hold integers >= 1 (ids are 1..=N without
/// it), `type` integers >= 1, `ix`/`iy`/`iz` integers. Errors point at the first bad line.
pub(crate) fn integer_columns<'a>(
    data: &[u8],
    header: &Header,
    column: impl Fn(&str) -> Option<&'a [f64]>,
) -> Result<Vec<u64>, ParseError> {
    let n = header.natoms;
    let ids = match column("id") {
        Some(col) => {
            // Validate first (a loop without early exit vectorises), then convert.
            if let Some(i) = col.iter().position(|&v| as_id(v).is_none()) {
                return Err(ParseError::new(
                    line_offset(data, header.atoms_start, i),
                    format!(
                        "expected an atom id (an integer >= 1) in column `id`, found {}",
                        col[i]
                    ),
                ));
            }
            col.iter().map(|&v| v as u64).collect()
        }
        None => (1..=n as u64).collect(),
    };
    for name in ["type", "ix", "iy", "iz"] {
        if let Some(col) = column(name) {
            // Range first: inside it, an integer survives the round trip through i64 exactly.
            let valid = |v: f64| {
                (if name == "type" {
                    (1.0..=u32::MAX as f64).contains(&v)
                } else {
                    v.abs() <= i32::MAX as f64
                }) && (v as i64) as f64 == v
            };
            if let Some(i) = col.iter().position(|&v| !valid(v)) {
                let what = if name == "type" {
                    "an atom type (an integer >= 1)"
                } else {
                    "an image flag (an integer)"
                };
                return Err(ParseError::new(
                    line_offset(data, header.atoms_start, i),
                    format!("expected {what} in column `{name}`, found {}", col[i]),
                ));
            }
        }
    }
    Ok(ids)
}

/// Parse one frame (its bytes start at its first `ITEM:` line).
pub(crate) fn parse_frame(data: &[u8]) -> Result<Parsed, ParseError> {
    let header = parse_header(data)?;
    let n = header.natoms;
    let ncols = header.columns.len();
    // `parse_atoms` refuses counts the bytes cannot hold before this allocation matters.
    let remaining = data.len().saturating_sub(header.atoms_start);
    let mut values = vec![
        0.0f64;
        if n.saturating_mul(ncols) > remaining {
            0
        } else {
            n * ncols
        }
    ];
    parse_atoms(
        data,
        &header,
        &mut ColumnMajor {
            values: &mut values,
            n,
        },
    )?;
    let columns = &header.columns;
    let ids = integer_columns(data, &header, |name| {
        let k = columns.iter().position(|c| c == name)?;
        values.get(k * n..(k + 1) * n)
    })?;
    let non_finite = if values.iter().all(|v| v.is_finite()) {
        None
    } else {
        let count = values.iter().filter(|v| !v.is_finite()).count();
        let first = values.iter().position(|v| !v.is_finite()).unwrap_or(0);
        let (c, i) = (first / n.max(1), first % n.max(1));
        Some(NonFinite {
            offset: line_offset(data, header.atoms_start, i),
            column: columns.get(c).cloned().unwrap_or_default(),
            count,
        })
    };
    Ok(Parsed {
        frame: DumpFrame {
            timestep: header.timestep,
            time: header.time,
            units: header.units,
            simbox: header.simbox,
            boundary: header.boundary,
            columns: header.columns,
            ids,
            values,
        },
        non_finite,
    })
}

/// Start of the line containing `pos`.
fn line_offset_back(data: &[u8], pos: usize) -> usize {
    memchr::memrchr(b'\n', &data[..pos.min(data.len())]).map_or(0, |k| k + 1)
}

#[cold]
fn token_error(
    data: &[u8],
    line_start: usize,
    c: usize,
    columns: &[String],
    e: TokenError,
) -> ParseError {
    let line_end = memchr::memchr(b'\n', &data[line_start..]).map(|k| line_start + k);
    let ncols = columns.len();
    let name = columns.get(c).map_or("?", String::as_str);
    match e {
        TokenError::Missing => {
            let message = format!("expected {ncols} values ({}), found {c}", columns.join(" "));
            if line_end.is_none() {
                ParseError::truncated(
                    line_start,
                    format!("file ends inside an atom line: {message}"),
                )
            } else {
                ParseError::new(line_start, message)
            }
        }
        TokenError::NotANumber { start, end } => ParseError {
            offset: line_start,
            message: format!(
                "expected a number in column `{name}`, found `{}`{}",
                String::from_utf8_lossy(&data[start..end]),
                if name == "element" {
                    " (text columns such as `element` are not supported: dump `type` instead)"
                } else {
                    ""
                }
            ),
            truncated: line_end.is_none(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame of `n` atoms `id type x y z vx vy vz` printed like LAMMPS `%g`/`%.10g`.
    fn frame_text(n: usize, seed: u64) -> String {
        let mut state = seed | 1;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut text = format!(
            "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS pp pp pp\n0 50\n0 50\n\
             0 50\nITEM: ATOMS id type x y z vx vy vz\n"
        );
        for i in 0..n {
            let x = [rnd() * 50.0, rnd() * 50.0, rnd() * 50.0];
            let v = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
            // Every fifth line has an exponent form (the scalar path's case).
            let vy = if i % 5 == 0 {
                format!("{:.3e}", v[1])
            } else {
                format!("{:.6}", v[1])
            };
            text.push_str(&format!(
                "{} {} {:.8} {:.9} {:.7} {:.10} {vy} {:.5}\n",
                i + 1,
                1 + i % 3,
                x[0],
                x[1],
                x[2],
                v[0],
                v[2]
            ));
        }
        text
    }

    struct Rows(Vec<f64>);
    impl AtomSink for Rows {
        fn line(&mut self, _i: usize, row: &[f64]) {
            self.0.extend_from_slice(row);
        }
    }

    /// Both loops of `parse_atoms_with` on the same bytes: values (as bits) or the error.
    fn both(data: &[u8]) -> [Result<Vec<u64>, ParseError>; 2] {
        let run = |fast: bool| {
            let header = parse_header(data)?;
            let mut rows = Rows(Vec::new());
            if fast {
                if !atom_line::available() {
                    return parse_atoms_with::<_, false>(data, &header, &mut rows)
                        .map(|_| rows.0.iter().map(|v| v.to_bits()).collect());
                }
                // SAFETY: AVX2 is available (checked above).
                unsafe { parse_atoms_avx2(data, &header, &mut rows) }?;
            } else {
                parse_atoms_with::<_, false>(data, &header, &mut rows)?;
            }
            Ok(rows.0.iter().map(|v| v.to_bits()).collect())
        };
        [run(true), run(false)]
    }

    /// The vectorised line path and the exact scalar path give the same values bit for bit, or
    /// the same error (message, line offset, truncation flag), on valid frames and on frames
    /// with a random byte replaced, inserted or deleted anywhere in the atom lines.
    #[test]
    fn fast_and_scalar_paths_agree_on_mutated_frames() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let bytes = b"0123456789.-+eE \t\r\nx\x0b\xff";
        let mut errors = 0;
        for case in 0..3000 {
            let text = frame_text(40 + (case % 7), case as u64 + 1).into_bytes();
            let atoms_start = parse_header(&text).unwrap().atoms_start;
            let mut data = text.clone();
            if case > 0 {
                for _ in 0..1 + next() % 3 {
                    let at = atoms_start + (next() as usize) % (data.len() - atoms_start);
                    let b = bytes[(next() % bytes.len() as u64) as usize];
                    match next() % 3 {
                        0 => data[at] = b,
                        1 => data.insert(at, b),
                        _ => {
                            data.remove(at);
                        }
                    }
                }
            }
            let [fast, scalar] = both(&data);
            assert_eq!(
                fast,
                scalar,
                "case {case}: {}",
                String::from_utf8_lossy(&data)
            );
            errors += usize::from(scalar.is_err());
            if case == 0 {
                let values = scalar.unwrap();
                assert_eq!(values.len(), 40 * 8);
                // The fast path takes the lines without an exponent (all but the last few,
                // which lack the 128 bytes it reads ahead).
                if atom_line::available() {
                    let mut row = [0.0; 8];
                    let mut pos = atoms_start;
                    let mut taken = 0;
                    for _ in 0..40 {
                        // SAFETY: AVX2 is available (checked above).
                        taken += usize::from(
                            unsafe { atom_line::parse_line(&data, pos, &mut row) }.is_some(),
                        );
                        pos += memchr::memchr(b'\n', &data[pos..]).unwrap() + 1;
                    }
                    assert!(taken >= 28, "fast path took {taken} of 40 lines");
                }
            }
        }
        // The mutations must reach the error paths often, and leave many frames valid.
        assert!(
            (300..2900).contains(&errors),
            "{errors} of 3000 mutated frames failed"
        );
    }
}
