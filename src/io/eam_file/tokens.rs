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

/// Parse a whole token as a LAMMPS floating-point number (overflow gives ±inf, as strtod does).
pub(crate) fn parse_float(token: &[u8]) -> Option<f64> {
    let (_, text) = all_consuming(float_token)(token).ok()?;
    // The grammar is ASCII, so the slice is valid UTF-8 and accepted by `f64::from_str`.
    std::str::from_utf8(text).ok()?.parse::<f64>().ok()
}

/// Parse a whole token as a LAMMPS integer.
pub(crate) fn parse_integer(token: &[u8]) -> Option<i64> {
    let (_, text) = all_consuming(integer_token)(token).ok()?;
    std::str::from_utf8(text).ok()?.parse::<i64>().ok()
}

/// How a token is shown in an error message (at most 40 characters, lossy UTF-8).
pub(crate) fn show(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    let mut shown: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        shown.push('…');
    }
    format!("'{shown}'")
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
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
    pub fn array(
        &mut self,
        count: usize,
        what: &dyn Fn() -> String,
    ) -> Result<Vec<f64>, FormatError> {
        // Never trust a count from the file for the allocation: at most one value per 2 bytes.
        let remaining = self.data.len().saturating_sub(self.pos);
        let mut values = Vec::with_capacity(count.min(remaining / 2 + 1));
        let mut start_line = None;
        while values.len() < count {
            let Some(line) = self.content_line() else {
                return Err(FormatError::syntax(
                    self.path,
                    start_line.unwrap_or(self.line + 1),
                    format!(
                        "expected {count} values of {}, file ended after {}",
                        what(),
                        values.len()
                    ),
                ));
            };
            for word in words(line) {
                if values.len() == count {
                    break;
                }
                start_line.get_or_insert(self.line);
                match parse_float(word) {
                    Some(v) => values.push(v),
                    None => {
                        return Err(FormatError::syntax(
                            self.path,
                            self.line,
                            format!(
                                "expected a number (value {} of {count} of {}), found {}",
                                values.len() + 1,
                                what(),
                                show(word)
                            ),
                        ))
                    }
                }
            }
        }
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
        }
        // Rejected by LAMMPS (Fortran D exponent, nan/inf words, dangling exponent, lone dot).
        for t in [
            "1.0D-3", "nan", "inf", "1.5e", ".", "e5", "1..2", "--1", "0x10",
        ] {
            assert_eq!(parse_float(t.as_bytes()), None, "{t}");
        }
        // Overflow is accepted and gives inf (strtod behaviour), for `check` to report.
        assert_eq!(parse_float(b"1e309"), Some(f64::INFINITY));
        assert_eq!(parse_integer(b"-12"), Some(-12));
        assert_eq!(parse_integer(b"12.0"), None);
    }
}
