//! The line and number reader of EAM files, mirroring LAMMPS `TextFileReader`: text after `#` is
//! ignored, blank lines are skipped, an array spans any number of lines and starts on a new line
//! (values past the needed count on its last line are discarded), numbers follow LAMMPS
//! `utils::is_double` / `is_integer` (no `nan`, `inf` or Fortran `D` exponents).

use std::path::Path;

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{digit0, digit1, one_of};
use nom::combinator::{all_consuming, opt, recognize};
use nom::sequence::{pair, tuple};
use nom::IResult;

use crate::io::FormatError;

/// LAMMPS `is_double`: `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`.
fn float_token(input: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(tuple((
        opt(one_of("+-")),
        alt((
            recognize(pair(digit1, opt(pair(tag("."), digit0)))),
            recognize(pair(tag("."), digit1)),
        )),
        opt(tuple((one_of("eE"), opt(one_of("+-")), digit1))),
    )))(input)
}

/// LAMMPS `is_integer`: `[+-]? digits`.
fn integer_token(input: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(pair(opt(one_of("+-")), digit1))(input)
}

/// Parse a whole token as a LAMMPS floating-point number (overflow gives ±inf, as strtod does),
/// with the grammar of [`float_token`].
pub(crate) fn parse_float_nom(token: &[u8]) -> Option<f64> {
    let (_, text) = all_consuming(float_token)(token).ok()?;
    // The grammar is ASCII, so the slice is valid UTF-8 and accepted by `f64::from_str`.
    std::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

/// [`parse_float_nom`] without the grammar pass, for the tables (4× faster). Rust's decimal
/// grammar, `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`, is the LAMMPS one
/// plus the words `inf`, `infinity` and `nan`, which all end in a letter while every LAMMPS
/// number ends in a digit or a dot; the unit tests check both functions agree.
pub(crate) fn parse_float(token: &[u8]) -> Option<f64> {
    match token.last() {
        Some(b'0'..=b'9' | b'.') => std::str::from_utf8(token).ok()?.parse::<f64>().ok(),
        _ => None,
    }
}

/// Parse a whole token as a LAMMPS integer.
pub(crate) fn parse_integer(token: &[u8]) -> Option<i64> {
    let (_, text) = all_consuming(integer_token)(token).ok()?;
    std::str::from_utf8(text).ok()?.parse::<i64>().ok()
}

/// How a token is shown in an error message (at most 40 characters, lossy UTF-8, control
/// characters escaped).
pub(crate) fn show(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    let mut shown: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    if text.chars().count() > 40 {
        shown.push('…');
    }
    format!("'{shown}'")
}

/// A hint when a token is a Fortran double (`1.0D-03`), which LAMMPS does not read.
pub(crate) fn fortran_hint(token: &[u8]) -> &'static str {
    let as_e: Vec<u8> = token
        .iter()
        .map(|&b| if b == b'D' || b == b'd' { b'E' } else { b })
        .collect();
    if as_e.as_slice() != token && parse_float(&as_e).is_some() {
        " (a Fortran D exponent: LAMMPS reads only E exponents)"
    } else {
        ""
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c')
}

/// Whitespace-separated words of a line (the comment already removed).
pub(crate) fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| is_space(b)).filter(|w| !w.is_empty())
}

/// A group of words read from one or more lines (LAMMPS `next_values(n)`), with the line each
/// word came from.
pub(crate) struct Record<'a> {
    pub words: Vec<(usize, &'a [u8])>,
    /// 1-based line number of the first line of the record.
    pub line: usize,
}

/// Reads an EAM file line by line, counting 1-based line numbers.
pub(crate) struct TokenReader<'a> {
    pub path: &'a Path,
    data: &'a [u8],
    pos: usize,
    /// Number of lines consumed so far (= line number of the last line returned).
    line: usize,
}

impl<'a> TokenReader<'a> {
    pub fn new(path: &'a Path, data: &'a [u8]) -> Self {
        TokenReader {
            path,
            data,
            pos: 0,
            line: 0,
        }
    }

    /// The next physical line without its terminator, or `None` at end of file.
    fn raw_line(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.data.len() {
            return None;
        }
        let rest = &self.data[self.pos..];
        let (line, advance) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.line += 1;
        Some(line)
    }

    /// The next line with text after `#` removed.
    fn content_line(&mut self) -> Option<&'a [u8]> {
        let line = self.raw_line()?;
        Some(match line.iter().position(|&b| b == b'#') {
            Some(i) => &line[..i],
            None => line,
        })
    }

    /// A free-text line (comment header), kept verbatim except the line terminator.
    pub fn text_line(&mut self, what: &str) -> Result<String, FormatError> {
        match self.raw_line() {
            Some(line) => {
                let text = String::from_utf8_lossy(line);
                Ok(text.trim_end_matches('\r').to_string())
            }
            None => Err(FormatError::syntax(
                self.path,
                self.line + 1,
                format!("expected {what}, file ended"),
            )),
        }
    }

    /// Words of the next non-blank lines, joined until there are at least `min_words`
    /// (LAMMPS `next_values`). `what` describes the expected content for error messages.
    pub fn record(&mut self, min_words: usize, what: &str) -> Result<Record<'a>, FormatError> {
        let mut words: Vec<(usize, &'a [u8])> = Vec::new();
        let mut first_line = 0;
        while words.is_empty() || words.len() < min_words {
            let Some(line) = self.content_line() else {
                let line = if words.is_empty() {
                    self.line + 1
                } else {
                    first_line
                };
                return Err(FormatError::syntax(
                    self.path,
                    line,
                    format!(
                        "expected {what}, file ended after {} of {min_words} values",
                        words.len()
                    ),
                ));
            };
            let n = self.line;
            let before = words.len();
            words.extend(self::words(line).map(|w| (n, w)));
            if before == 0 && !words.is_empty() {
                first_line = n;
            }
        }
        Ok(Record {
            words,
            line: first_line,
        })
    }

    /// Read exactly `count` numbers starting on a new line (LAMMPS `next_dvector`); the rest of
    /// the last line is discarded. `what()` names the array for error messages.
    ///
    /// One pass over the bytes: this is the hot loop of every EAM file.
    pub fn array(
        &mut self,
        count: usize,
        what: &dyn Fn() -> String,
    ) -> Result<Vec<f64>, FormatError> {
        let data = self.data;
        // Never trust a count from the file for the allocation: at most one value per 2 bytes.
        let remaining = data.len().saturating_sub(self.pos);
        let mut values = Vec::with_capacity(count.min(remaining / 2 + 1));
        let mut start_line = None;
        let mut pos = self.pos;
        while values.len() < count {
            if pos >= data.len() {
                self.pos = pos;
                return Err(FormatError::syntax(
                    self.path,
                    start_line.unwrap_or(self.line + 1),
                    format!(
                        "expected {count} values of {}, file ended after {}",
                        what(),
                        values.len()
                    ),
                ));
            }
            self.line += 1;
            // Tokens of this line, up to '#', '\n' or the end of the data.
            loop {
                while pos < data.len() && matches!(data[pos], b' ' | b'\t' | b'\r' | b'\x0c') {
                    pos += 1;
                }
                if pos >= data.len() || data[pos] == b'\n' || data[pos] == b'#' {
                    break;
                }
                let start = pos;
                while pos < data.len() && !is_space(data[pos]) && data[pos] != b'#' {
                    pos += 1;
                }
                let word = &data[start..pos];
                start_line.get_or_insert(self.line);
                match parse_float(word) {
                    Some(v) => values.push(v),
                    None => {
                        return Err(FormatError::syntax(
                            self.path,
                            self.line,
                            format!(
                                "expected a number (value {} of {count} of {}), found {}{}",
                                values.len() + 1,
                                what(),
                                show(word),
                                fortran_hint(word)
                            ),
                        ))
                    }
                }
                if values.len() == count {
                    break;
                }
            }
            // Discard the rest of the line (comment or values beyond the count).
            pos = match data[pos.min(data.len())..].iter().position(|&b| b == b'\n') {
                Some(i) => pos + i + 1,
                None => data.len(),
            };
        }
        self.pos = pos;
        Ok(values)
    }

    /// True when only blank or comment lines remain.
    pub fn at_end(&mut self) -> bool {
        let (pos, line) = (self.pos, self.line);
        let mut end = true;
        while let Some(l) = self.content_line() {
            if words(l).next().is_some() {
                end = false;
                break;
            }
        }
        self.pos = pos;
        self.line = line;
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens built from the characters that matter to either grammar.
    fn token_corpus() -> Vec<Vec<u8>> {
        let alphabet = b"0123456789.eE+-dDinfatyIN x";
        let mut tokens = Vec::new();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = 1 + (state % 9) as usize;
            let t: Vec<u8> = (0..len)
                .map(|k| alphabet[((state >> (5 * k + 8)) % alphabet.len() as u64) as usize])
                .collect();
            tokens.push(t);
        }
        for w in [
            "inf",
            "-inf",
            "+infinity",
            "nan",
            "NaN",
            "1e5",
            "1.",
            ".5",
            "+.5e-3",
        ] {
            tokens.push(w.as_bytes().to_vec());
        }
        tokens
    }

    #[test]
    fn fast_float_parser_equals_the_nom_grammar() {
        let mut accepted = 0;
        for t in token_corpus() {
            let (fast, nom) = (parse_float(&t), parse_float_nom(&t));
            assert_eq!(
                fast.map(f64::to_bits),
                nom.map(f64::to_bits),
                "token {:?}",
                String::from_utf8_lossy(&t)
            );
            accepted += usize::from(fast.is_some());
        }
        // The corpus exercises both outcomes.
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn number_grammar_matches_lammps_is_double() {
        // Accepted by LAMMPS utils::is_double (and equal to the correctly rounded value).
        for (t, v) in [
            ("1", 1.0),
            ("-2.", -2.0),
            (".5", 0.5),
            ("+1e3", 1000.0),
            ("1.5E-2", 0.015),
            ("-0.", -0.0),
        ] {
            assert_eq!(parse_float(t.as_bytes()), Some(v), "{t}");
            assert_eq!(parse_float_nom(t.as_bytes()), Some(v), "{t}");
        }
        // Rejected by LAMMPS (Fortran D exponent, nan/inf words, dangling exponent, lone dot).
        for t in [
            "1.0D-3", "nan", "inf", "1.5e", ".", "e5", "1..2", "--1", "0x10",
        ] {
            assert_eq!(parse_float(t.as_bytes()), None, "{t}");
            assert_eq!(parse_float_nom(t.as_bytes()), None, "{t}");
        }
        // Overflow is accepted and gives inf (strtod behaviour), for `check` to report.
        assert_eq!(parse_float(b"1e309"), Some(f64::INFINITY));
        assert_eq!(parse_integer(b"-12"), Some(-12));
        assert_eq!(parse_integer(b"12.0"), None);
    }
}
