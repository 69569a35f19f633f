//! Column files: a `fix ave/time` output (`# TimeStep c_p[4] …` as the last `#` line before the
//! data), or a CSV / whitespace table whose first non-comment line names the columns. Columns are
//! chosen by name or by 1-based index.

use std::path::Path;

use crate::io::FormatError;

/// Named numeric columns read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnTable {
    pub names: Vec<String>,
    pub columns: Vec<Vec<f64>>,
}

impl ColumnTable {
    /// A column by exact name, or by 1-based index given as a number.
    pub fn column(&self, key: &str) -> Option<&[f64]> {
        if let Some(i) = self.names.iter().position(|n| n == key) {
            return Some(&self.columns[i]);
        }
        let i: usize = key.parse().ok()?;
        (i >= 1)
            .then(|| self.columns.get(i - 1))
            .flatten()
            .map(|c| c.as_slice())
    }
}

fn split(line: &str) -> Vec<&str> {
    line.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Read a column file (see the module doc). Every data row must have one number per column.
pub fn read_columns(path: &Path) -> Result<ColumnTable, FormatError> {
    let bytes = crate::io::configuration::read_bytes(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut names: Option<Vec<String>> = None;
    let mut last_comment: Option<Vec<String>> = None;
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            if names.is_none() {
                last_comment = Some(split(c).iter().map(|s| s.to_string()).collect());
            }
            continue;
        }
        let words = split(line);
        let values: Result<Vec<f64>, _> = words.iter().map(|w| w.parse::<f64>()).collect();
        match (values, &names) {
            (Err(_), None) => {
                names = Some(words.iter().map(|s| s.to_string()).collect());
            }
            (Ok(v), None) => {
                // Header from the last comment line (fix ave/time), else numbered columns.
                let n = match &last_comment {
                    Some(c) if c.len() == v.len() => c.clone(),
                    _ => (1..=v.len()).map(|i| i.to_string()).collect(),
                };
                names = Some(n);
                columns = v.iter().map(|x| vec![*x]).collect();
            }
            (Ok(v), Some(n)) => {
                if v.len() != n.len() {
                    return Err(FormatError::syntax(
                        path,
                        k + 1,
                        format!("{} values, expected {} ({})", v.len(), n.len(), n.join(" ")),
                    ));
                }
                if columns.is_empty() {
                    columns = vec![Vec::new(); n.len()];
                }
                for (c, x) in columns.iter_mut().zip(v) {
                    c.push(x);
                }
            }
            (Err(_), Some(_)) => {
                return Err(FormatError::syntax(
                    path,
                    k + 1,
                    format!("expected numbers, found '{line}'"),
                ));
            }
        }
    }
    let names = names.ok_or_else(|| FormatError::invalid(path, "no columns found"))?;
    if columns.is_empty() {
        return Err(FormatError::invalid(path, "a header but no data rows"));
    }
    Ok(ColumnTable { names, columns })
}
