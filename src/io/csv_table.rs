//! Small comma-separated tables with a header line, as pelkit writes them (`anneal -o`,
//! `cyclic -o`) or a user makes them (IS series for `ageing-map`): the one CSV reader of the
//! crate. Fields may be double-quoted (`""` inside quotes is a quote); fields are trimmed.
//! Every row keeps its 1-based line number, so callers report `file:line` errors.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// A CSV file that could not be read.
#[derive(Debug, Error)]
pub enum CsvError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl CsvError {
    /// A syntax error at 1-based `line` of `path`.
    pub fn syntax(path: &Path, line: usize, message: impl Into<String>) -> Self {
        CsvError::Syntax {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// The file does not exist (a resumed run that has not written yet).
    pub fn is_not_found(&self) -> bool {
        matches!(self, CsvError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// How lines other than the header and the rows are treated.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Lines starting with `#` (after white space) are comments, also before the header.
    pub comments: bool,
    /// A last line without its newline (a write a kill interrupted) is dropped.
    pub drop_unterminated_last_line: bool,
}

/// One data line: its 1-based line number and its trimmed fields (as many as the header's).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A header and its rows. Blank lines are skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvTable {
    /// The header line as written (trimmed).
    pub header_text: String,
    /// 1-based line number of the header.
    pub header_line: usize,
    /// The column names.
    pub header: Vec<String>,
    pub rows: Vec<CsvRow>,
}

impl CsvTable {
    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Split a CSV line into trimmed fields; double quotes group (`""` inside quotes is a quote).
pub fn split_fields(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') => quoted = true,
            (false, ',') => out.push(std::mem::take(&mut cur)),
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    out.push(cur);
    Ok(out.into_iter().map(|s| s.trim().to_string()).collect())
}

/// Read the table of `path`; `Ok(None)` when the file holds no header line. Every row must have
/// as many fields as the header.
pub fn read_csv(path: &Path, options: CsvOptions) -> Result<Option<CsvTable>, CsvError> {
    let text = std::fs::read_to_string(path).map_err(|source| CsvError::Io {
        path: path.into(),
        source,
    })?;
    parse_csv(&text, path, options)
}

/// [`read_csv`] of text already read; `path` names it in errors.
pub fn parse_csv(
    text: &str,
    path: &Path,
    options: CsvOptions,
) -> Result<Option<CsvTable>, CsvError> {
    let text = if options.drop_unterminated_last_line {
        match text.rfind('\n') {
            Some(end) => &text[..=end],
            None => "",
        }
    } else {
        text
    };
    let mut lines = text.lines().enumerate().filter(|(_, l)| {
        let t = l.trim_start();
        let comment = options.comments && t.starts_with('#');
        !t.is_empty() && !comment
    });
    let Some((h, header_text)) = lines.next() else {
        return Ok(None);
    };
    let header_line = h + 1;
    let header = split_fields(header_text).map_err(|m| CsvError::syntax(path, header_line, m))?;
    let mut rows = Vec::new();
    for (i, l) in lines {
        let line = i + 1;
        let fields = split_fields(l).map_err(|m| CsvError::syntax(path, line, m))?;
        if fields.len() != header.len() {
            return Err(CsvError::syntax(
                path,
                line,
                format!(
                    "{} fields, the header has {} ({})",
                    fields.len(),
                    header.len(),
                    header_text.trim()
                ),
            ));
        }
        rows.push(CsvRow { line, fields });
    }
    Ok(Some(CsvTable {
        header_text: header_text.trim().to_string(),
        header_line,
        header,
        rows,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_comments_and_line_numbers() {
        let text = "# made by hand\n\na, b ,c\n1,\"x, \"\"y\"\"\",3\n\n4,5,6\n7,8";
        let opts = CsvOptions {
            comments: true,
            drop_unterminated_last_line: true,
        };
        let t = parse_csv(text, Path::new("t.csv"), opts).unwrap().unwrap();
        assert_eq!(t.header, ["a", "b", "c"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.column("c"), Some(2));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].fields, ["1", "x, \"y\"", "3"]);
        assert_eq!(t.rows[1].line, 6);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse_csv("a,b\n1,2\n1\n", Path::new("t.csv"), CsvOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "t.csv:3: 1 fields, the header has 2 (a,b)");
        let e = parse_csv("a,b\n\"1,2\n", Path::new("t.csv"), CsvOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "t.csv:2: unterminated quoted field");
        assert!(parse_csv("\n\n", Path::new("t.csv"), CsvOptions::default())
            .unwrap()
            .is_none());
        assert!(
            read_csv(Path::new("/nonexistent/t.csv"), CsvOptions::default())
                .unwrap_err()
                .is_not_found()
        );
    }
}
