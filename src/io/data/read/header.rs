//! The header of a data file (counts, box bounds and tilts, up to the first section keyword).

use super::{Header, Parser};
use crate::geometry::SimBox;
use crate::io::text::{parse_f64, parse_i64, show, trim, Line};
use crate::io::FormatError;

impl Parser<'_> {
    /// Header lines up to the first section keyword (left unconsumed).
    pub(super) fn header(&mut self) -> Result<Header, FormatError> {
        let mut h = Header {
            natoms: None,
            ntypes: None,
            bounds: [None; 3],
            tilt: None,
            other: Vec::new(),
        };
        while let Some(line) = self.lines.peek() {
            if line.is_blank() {
                self.lines.next();
                continue;
            }
            let f = line.fields();
            let n = f.len();
            let last2 = |a: &str, b: &str| {
                n >= 2 && f.get(n - 2) == a.as_bytes() && f.get(n - 1) == b.as_bytes()
            };
            if n == 2 && f.get(1) == b"atoms" {
                h.natoms = Some(self.count(&line, f.get(0), "atom count")?);
            } else if n == 3 && last2("atom", "types") {
                h.ntypes = Some(self.count(&line, f.get(0), "number of atom types")?);
            } else if let Some(d) = [(b"xlo", b"xhi"), (b"ylo", b"yhi"), (b"zlo", b"zhi")]
                .iter()
                .position(|&(lo, hi)| n == 4 && f.get(2) == lo && f.get(3) == hi)
            {
                let lo = self.header_float(&line, f.get(0), "box lo")?;
                let hi = self.header_float(&line, f.get(1), "box hi")?;
                h.bounds[d] = Some((lo, hi));
            } else if n == 6 && f.get(3) == b"xy" && f.get(4) == b"xz" && f.get(5) == b"yz" {
                let mut t = [0.0; 3];
                for (k, name) in ["xy", "xz", "yz"].iter().enumerate() {
                    t[k] = self.header_float(&line, f.get(k), &format!("{name} tilt"))?;
                }
                h.tilt = Some(t);
            } else if f.get(0).first().is_some_and(|b| b.is_ascii_digit())
                && n >= 2
                && f.iter()
                    .skip(1)
                    .all(|w| w.iter().all(|b| b.is_ascii_alphabetic() || *b == b'/'))
            {
                // Other counts: bonds, bond types, extra bond per atom, ellipsoids, …
                let value = self.count(&line, f.get(0), "a count")?;
                let name = f
                    .iter()
                    .skip(1)
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ");
                if matches!(f.get(1), b"avec" | b"bvec" | b"cvec" | b"abc") {
                    return Err(self.syntax(line.number, "general triclinic boxes (avec bvec cvec) are not supported; expected xlo xhi / ylo yhi / zlo zhi and xy xz yz"));
                }
                if value > 0 {
                    self.notes.push(format!(
                        "header line {}: {value} {name} (not used by pelkit)",
                        line.number
                    ));
                }
                h.other.push((name, value));
            } else if matches!(
                f.get(n.saturating_sub(1)),
                b"avec" | b"bvec" | b"cvec" | b"origin"
            ) {
                return Err(self.syntax(line.number, "general triclinic boxes (avec bvec cvec abc origin) are not supported; expected xlo xhi / ylo yhi / zlo zhi and xy xz yz"));
            } else if f.get(0).first().is_some_and(|b| b.is_ascii_alphabetic()) {
                break; // first section keyword
            } else {
                return Err(self.syntax(
                    line.number,
                    format!(
                        "expected a header line (`N atoms`, `N atom types`, `lo hi xlo xhi`, \
                         `xy xz yz`…) or a section keyword, found {}",
                        show(trim(line.text))
                    ),
                ));
            }
            self.lines.next();
        }
        Ok(h)
    }

    pub(super) fn count(&self, line: &Line, tok: &[u8], what: &str) -> Result<u64, FormatError> {
        match parse_i64(tok) {
            Some(v) if v >= 0 => Ok(v as u64),
            _ => Err(self.syntax(
                line.number,
                format!(
                    "expected {what} (a non-negative integer), found {}",
                    show(tok)
                ),
            )),
        }
    }

    pub(super) fn header_float(
        &self,
        line: &Line,
        tok: &[u8],
        what: &str,
    ) -> Result<f64, FormatError> {
        match parse_f64(tok) {
            Some(v) if v.is_finite() => Ok(v),
            _ => Err(self.syntax(
                line.number,
                format!("expected {what} (a finite number), found {}", show(tok)),
            )),
        }
    }

    pub(super) fn simbox(&mut self, h: &Header) -> Result<SimBox, FormatError> {
        let mut lo = [-0.5; 3];
        let mut hi = [0.5; 3];
        for (d, axis) in ["x", "y", "z"].iter().enumerate() {
            match h.bounds[d] {
                Some((l, u)) => {
                    lo[d] = l;
                    hi[d] = u;
                }
                None => self.notes.push(format!(
                    "header has no `{axis}lo {axis}hi` line: -0.5 0.5 (LAMMPS default)"
                )),
            }
        }
        self.notes.push(
            "data files do not store boundary conditions: the box is taken as periodic in x, y, z"
                .into(),
        );
        SimBox::new(
            lo,
            hi,
            h.tilt.unwrap_or([0.0; 3]),
            h.tilt.is_some(),
            [true; 3],
        )
        .map_err(|e| FormatError::invalid(self.path, format!("invalid box in header: {e}")))
    }
}
