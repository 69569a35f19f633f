//! The header of one dump frame: the `ITEM:` lines before the atoms (timestep, optional units
//! and time, atom count, box bounds with boundary flags, and the column names).

use crate::geometry::SimBox;

use super::frame::ParseError;
use super::number::parse_f64_str;

/// Everything a frame says before its atom lines.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub timestep: u64,
    pub time: Option<f64>,
    pub units: Option<String>,
    pub natoms: usize,
    pub simbox: SimBox,
    /// Boundary flags as written, one 2-letter string per dimension (`pp`, `ff`, `sm`…).
    pub boundary: [String; 3],
    pub columns: Vec<String>,
    /// Byte offset (within the frame) of the first atom line.
    pub atoms_start: usize,
}

/// A line cursor over a frame's bytes.
pub(crate) struct Lines<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Lines<'a> {
    /// Next line as (offset of its start, text without the newline, whether a newline ended it).
    pub fn next_line(&mut self) -> Option<(usize, &'a [u8], bool)> {
        if self.pos >= self.data.len() {
            return None;
        }
        let start = self.pos;
        match memchr::memchr(b'\n', &self.data[start..]) {
            Some(k) => {
                self.pos = start + k + 1;
                Some((start, &self.data[start..start + k], true))
            }
            None => {
                self.pos = self.data.len();
                Some((start, &self.data[start..], false))
            }
        }
    }
}

fn text(line: &[u8]) -> String {
    String::from_utf8_lossy(line).trim().to_string()
}

/// Parse the header lines of a frame starting at offset 0 of `data`.
pub(crate) fn parse_header(data: &[u8]) -> Result<Header, ParseError> {
    let mut lines = Lines { data, pos: 0 };
    let mut timestep = None;
    let mut time = None;
    let mut units = None;
    let mut natoms = None;
    let mut bounds: Option<(SimBox, [String; 3])> = None;
    let mut last_offset = 0;
    loop {
        let Some((offset, line, _)) = lines.next_line() else {
            return Err(ParseError::truncated(
                last_offset,
                "file ends inside the frame header: expected `ITEM: ATOMS <columns>`",
            ));
        };
        last_offset = offset;
        let line_text = text(line);
        if line_text.is_empty() {
            continue;
        }
        let Some(item) = line_text.strip_prefix("ITEM:") else {
            return Err(ParseError::new(
                offset,
                format!("expected an `ITEM:` line, found `{line_text}`"),
            ));
        };
        let item = item.trim();
        let mut value_line = |what: &str| -> Result<(usize, String), ParseError> {
            match lines.next_line() {
                Some((o, l, _)) => Ok((o, text(l))),
                None => Err(ParseError::truncated(
                    offset,
                    format!("file ends after `ITEM: {item}`: expected {what}"),
                )),
            }
        };
        if item == "TIMESTEP" {
            let (o, v) = value_line("the timestep (an integer)")?;
            timestep = Some(v.parse::<u64>().map_err(|_| {
                ParseError::new(
                    o,
                    format!("expected the timestep (an integer), found `{v}`"),
                )
            })?);
        } else if item == "NUMBER OF ATOMS" {
            let (o, v) = value_line("the number of atoms")?;
            natoms = Some(v.parse::<usize>().map_err(|_| {
                ParseError::new(
                    o,
                    format!("expected the number of atoms (an integer >= 0), found `{v}`"),
                )
            })?);
        } else if item == "TIME" {
            let (o, v) = value_line("the simulation time")?;
            time = Some(parse_f64_str(&v).filter(|t| t.is_finite()).ok_or_else(|| {
                ParseError::new(
                    o,
                    format!("expected the time (a finite number), found `{v}`"),
                )
            })?);
        } else if item == "UNITS" {
            let (_, v) = value_line("the unit style")?;
            units = Some(v);
        } else if let Some(rest) = item.strip_prefix("BOX BOUNDS") {
            bounds = Some(parse_bounds(&mut lines, offset, rest)?);
        } else if let Some(rest) = item.strip_prefix("ATOMS") {
            let columns: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            if columns.is_empty() {
                return Err(ParseError::new(
                    offset,
                    "expected column names after `ITEM: ATOMS`",
                ));
            }
            for (k, c) in columns.iter().enumerate() {
                if columns[..k].contains(c) {
                    return Err(ParseError::new(
                        offset,
                        format!("column `{c}` appears twice"),
                    ));
                }
            }
            let missing = |what: &str| {
                ParseError::new(
                    offset,
                    format!("`ITEM: ATOMS` reached without {what} in the frame header"),
                )
            };
            let timestep = timestep.ok_or_else(|| missing("`ITEM: TIMESTEP`"))?;
            let natoms = natoms.ok_or_else(|| missing("`ITEM: NUMBER OF ATOMS`"))?;
            let (simbox, boundary) = bounds.ok_or_else(|| missing("`ITEM: BOX BOUNDS`"))?;
            return Ok(Header {
                timestep,
                time,
                units,
                natoms,
                simbox,
                boundary,
                columns,
                atoms_start: lines.pos,
            });
        } else {
            return Err(ParseError::new(
                offset,
                format!(
                    "unknown item `ITEM: {item}` (expected TIMESTEP, UNITS, TIME, NUMBER OF \
                     ATOMS, BOX BOUNDS or ATOMS)"
                ),
            ));
        }
    }
}

/// `ITEM: BOX BOUNDS [xy xz yz] f f f` and its three lines (`lo hi` or `lo_bound hi_bound tilt`).
fn parse_bounds(
    lines: &mut Lines,
    item_offset: usize,
    rest: &str,
) -> Result<(SimBox, [String; 3]), ParseError> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.first() == Some(&"abc") {
        return Err(ParseError::new(
            item_offset,
            "general triclinic boxes (`BOX BOUNDS abc origin`) are not supported: write the dump \
             without `dump_modify triclinic/general yes`",
        ));
    }
    let triclinic = words.len() >= 3 && words[..3] == ["xy", "xz", "yz"];
    let flags: Vec<&str> = if triclinic {
        words[3..].to_vec()
    } else {
        words
    };
    let boundary: [String; 3] = match flags.len() {
        0 => ["pp".into(), "pp".into(), "pp".into()],
        3 => {
            for f in &flags {
                if f.len() != 2 || !f.bytes().all(|b| b"pfsm".contains(&b)) {
                    return Err(ParseError::new(
                        item_offset,
                        format!("bad boundary flag `{f}`: expected two of p, f, s, m (e.g. `pp`)"),
                    ));
                }
            }
            [flags[0].into(), flags[1].into(), flags[2].into()]
        }
        _ => {
            return Err(ParseError::new(
                item_offset,
                format!(
                    "expected `ITEM: BOX BOUNDS` followed by optional `xy xz yz` and three \
                     boundary flags, found `BOX BOUNDS{rest}`"
                ),
            ))
        }
    };
    let per_line = if triclinic { 3 } else { 2 };
    let mut bounds = [[0.0; 2]; 3];
    let mut tilt = [0.0; 3];
    for (d, axis) in ["x", "y", "z"].iter().enumerate() {
        let Some((o, line, _)) = lines.next_line() else {
            return Err(ParseError::truncated(
                item_offset,
                format!("file ends inside `ITEM: BOX BOUNDS`: expected the {axis} bounds line"),
            ));
        };
        let t = text(line);
        let values: Option<Vec<f64>> = t.split_whitespace().map(parse_f64_str).collect();
        let expected = if triclinic {
            format!("`{axis}lo_bound {axis}hi_bound {}`", ["xy", "xz", "yz"][d])
        } else {
            format!("`{axis}lo {axis}hi`")
        };
        match values {
            Some(v) if v.len() == per_line && v.iter().all(|x| x.is_finite()) => {
                bounds[d] = [v[0], v[1]];
                if triclinic {
                    tilt[d] = v[2];
                }
            }
            _ => {
                return Err(ParseError::new(
                    o,
                    format!("expected {per_line} finite numbers {expected}, found `{t}`"),
                ))
            }
        }
    }
    let mut simbox = SimBox::from_bounds(bounds, triclinic.then_some(tilt))
        .map_err(|e| ParseError::new(item_offset, format!("invalid box: {e}")))?;
    for (periodic, flag) in simbox.periodic.iter_mut().zip(&boundary) {
        *periodic = flag.starts_with('p');
    }
    Ok((simbox, boundary))
}
