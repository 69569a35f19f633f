//! The allocation-free line tokenizer shared by the text readers (data files, logs): numbered
//! lines, `#` comments, whitespace fields held in a fixed-size array, and number parsing that
//! names the offending token.

/// Maximum number of fields kept per line; further fields are only counted.
pub(crate) const MAX_FIELDS: usize = 16;

/// One line of a file, split into its content before `#` and its comment after it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The whole line without its terminator (`\n` or `\r\n`).
    pub text: &'a [u8],
}

impl<'a> Line<'a> {
    /// The text before the first `#`.
    pub fn content(&self) -> &'a [u8] {
        match self.text.iter().position(|&b| b == b'#') {
            Some(i) => &self.text[..i],
            None => self.text,
        }
    }

    /// The text after the first `#`, trimmed; `None` when there is no `#`.
    pub fn comment(&self) -> Option<&'a [u8]> {
        self.text
            .iter()
            .position(|&b| b == b'#')
            .map(|i| trim(&self.text[i + 1..]))
    }

    /// Whitespace-separated fields of the content (comment stripped).
    pub fn fields(&self) -> Fields<'a> {
        Fields::of(self.content())
    }

    /// Whitespace-separated fields of the whole line (a `#` is an ordinary character).
    pub fn raw_fields(&self) -> Fields<'a> {
        Fields::of(self.text)
    }

    pub fn is_blank(&self) -> bool {
        self.content().iter().all(|b| b.is_ascii_whitespace())
    }
}

/// Iterator over the numbered lines of a byte buffer (copyable: a copy is a saved position).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Lines {
            rest: bytes,
            number: 0,
        }
    }

    /// The next line without consuming it.
    pub fn peek(&self) -> Option<Line<'a>> {
        let mut copy = *self;
        copy.next()
    }

    /// The bytes not yet returned.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Number the next line will have.
    pub fn next_number(&self) -> usize {
        self.number + 1
    }

    /// Skip `nbytes` bytes holding `nlines` whole lines.
    pub fn advance(&mut self, nbytes: usize, nlines: usize) {
        self.rest = &self.rest[nbytes.min(self.rest.len())..];
        self.number += nlines;
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;
    fn next(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (mut text, rest) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, &self.rest[self.rest.len()..]),
        };
        if let Some((&b'\r', head)) = text.split_last() {
            text = head;
        }
        self.rest = rest;
        self.number += 1;
        Some(Line {
            number: self.number,
            text,
        })
    }
}

/// The whitespace-separated fields of one line, without allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    items: [&'a [u8]; MAX_FIELDS],
    /// Number of fields on the line (may exceed `MAX_FIELDS`).
    count: usize,
}

impl<'a> Fields<'a> {
    pub fn of(text: &'a [u8]) -> Self {
        let mut items: [&'a [u8]; MAX_FIELDS] = [&[]; MAX_FIELDS];
        let mut count = 0;
        for tok in text
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
        {
            if count < MAX_FIELDS {
                items[count] = tok;
            }
            count += 1;
        }
        Fields { items, count }
    }

    /// Number of fields on the line.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Field `i` (empty slice past the end or past `MAX_FIELDS`).
    pub fn get(&self, i: usize) -> &'a [u8] {
        if i < self.count.min(MAX_FIELDS) {
            self.items[i]
        } else {
            &[]
        }
    }

    /// The stored fields.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.items[..self.count.min(MAX_FIELDS)].iter().copied()
    }
}

/// Strip leading and trailing ASCII whitespace.
pub(crate) fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

/// A token for an error message: lossy UTF-8, shortened to 40 characters.
pub(crate) fn show(tok: &[u8]) -> String {
    let s = String::from_utf8_lossy(tok);
    if s.chars().count() > 40 {
        let short: String = s.chars().take(40).collect();
        format!("`{short}…`")
    } else {
        format!("`{s}`")
    }
}

/// Text of a whole line for an error message ("end of file" when there is none).
pub(crate) fn show_line(line: Option<&Line<'_>>) -> String {
    match line {
        None => "end of file".to_string(),
        Some(l) if l.is_blank() => "a blank line".to_string(),
        Some(l) => show(trim(l.text)),
    }
}

/// Parse a float token (accepts what C `strtod` accepts for plain decimals, plus nan/inf).
pub(crate) fn parse_f64(tok: &[u8]) -> Option<f64> {
    std::str::from_utf8(tok).ok()?.parse::<f64>().ok()
}

/// Parse a signed integer token.
pub(crate) fn parse_i64(tok: &[u8]) -> Option<i64> {
    std::str::from_utf8(tok).ok()?.parse::<i64>().ok()
}

/// Whether the buffer starts with the gzip magic bytes.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fields_and_comments() {
        let text = b"a b # c d\r\n\n  x\t y  ";
        let lines: Vec<Line> = Lines::new(text).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].fields().len(), 2);
        assert_eq!(lines[0].comment(), Some(&b"c d"[..]));
        assert!(lines[1].is_blank());
        assert_eq!(lines[2].number, 3);
        assert_eq!(
            lines[2].fields().iter().collect::<Vec<_>>(),
            [&b"x"[..], b"y"]
        );
        assert_eq!(trim(b"   "), b"");
    }

    #[test]
    fn more_fields_than_kept_are_counted() {
        let f = Fields::of(b"1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18");
        assert_eq!(f.len(), 18);
        assert_eq!(f.get(17), b"");
        assert_eq!(f.get(15), b"16");
    }
}
