//! LAMMPS pair table files (`pair_style table`): one keyword section read as LAMMPS
//! `PairTable::read_table` reads it (`N`, `R`/`RSQ`, `FPRIME` parameters, then
//! `index r energy force` lines).

use std::path::Path;

use crate::io::FormatError;

/// How the file's r values are given (`R`, `RSQ` keywords, or read from the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RFlag {
    None,
    Linear,
    Squared,
}

/// One section of a table file, as read (LAMMPS `PairTable::read_table`).
#[derive(Debug, Clone, PartialEq)]
pub struct TableSection {
    pub r: Vec<f64>,
    pub e: Vec<f64>,
    pub f: Vec<f64>,
    pub(crate) rflag: RFlag,
    pub(crate) rlo: f64,
    pub(crate) rhi: f64,
    /// `FPRIME fplo fphi`.
    pub(crate) fprime: Option<(f64, f64)>,
}

fn syntax(path: &Path, line: usize, m: impl Into<String>) -> FormatError {
    FormatError::syntax(path, line, m)
}

/// Read section `keyword` of a LAMMPS pair table file.
pub fn read_table_section(path: &Path, keyword: &str) -> Result<TableSection, FormatError> {
    let text = std::fs::read_to_string(path).map_err(|e| FormatError::io(path, e))?;
    let mut lines = text.lines().enumerate().map(|(k, l)| (k + 1, l));
    // Section start: the first line whose first word is the keyword.
    loop {
        let Some((_, l)) = lines.next() else {
            return Err(FormatError::invalid(
                path,
                format!("did not find keyword '{keyword}' in the table file"),
            ));
        };
        let body = l.split('#').next().unwrap_or("");
        if body.split_whitespace().next() == Some(keyword) {
            break;
        }
    }
    // Parameter line (next non-blank, non-comment line).
    let mut next_data = || {
        lines
            .by_ref()
            .find(|(_, l)| !l.split('#').next().unwrap_or("").trim().is_empty())
    };
    let Some((pline, params)) = next_data() else {
        return Err(FormatError::invalid(
            path,
            "table section has no parameter line",
        ));
    };
    let words: Vec<&str> = params
        .split('#')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let (mut n, mut rflag, mut rlo, mut rhi, mut fprime) = (0usize, RFlag::None, 0.0, 0.0, None);
    let num = |k: usize| -> Result<f64, FormatError> {
        words
            .get(k)
            .and_then(|w| w.parse::<f64>().ok())
            .ok_or_else(|| {
                syntax(
                    path,
                    pline,
                    format!("expected a number after '{}'", words[k - 1]),
                )
            })
    };
    let mut k = 0;
    while k < words.len() {
        match words[k] {
            "N" => {
                n = words
                    .get(k + 1)
                    .and_then(|w| w.parse().ok())
                    .ok_or_else(|| syntax(path, pline, "expected an integer after N"))?;
                k += 2;
            }
            "R" | "RSQ" => {
                rflag = if words[k] == "R" {
                    RFlag::Linear
                } else {
                    RFlag::Squared
                };
                rlo = num(k + 1)?;
                rhi = num(k + 2)?;
                k += 3;
            }
            "FPRIME" => {
                fprime = Some((num(k + 1)?, num(k + 2)?));
                k += 3;
            }
            other => {
                return Err(syntax(
                    path,
                    pline,
                    format!(
                        "invalid keyword '{other}' in pair table parameters (N, R, RSQ, FPRIME)"
                    ),
                ))
            }
        }
    }
    if n < 2 {
        return Err(syntax(path, pline, "pair table parameters must set N ≥ 2"));
    }
    // LAMMPS skips exactly one line after the parameters, then reads N data lines.
    let mut rest = lines
        .skip(1)
        .filter(|(_, l)| !l.split('#').next().unwrap_or("").trim().is_empty());
    let (mut r, mut e, mut f) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for i in 0..n {
        let Some((ln, l)) = rest.next() else {
            return Err(FormatError::invalid(
                path,
                format!("section '{keyword}': data missing, line {} of {n}", i + 1),
            ));
        };
        let w: Vec<&str> = l
            .split('#')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let vals: Option<Vec<f64>> = (1..4)
            .map(|c| w.get(c).and_then(|v| v.parse().ok()))
            .collect();
        let (Some(vals), true) = (vals, w.first().is_some_and(|v| v.parse::<i64>().is_ok())) else {
            return Err(syntax(path, ln, "expected 'index r energy force'"));
        };
        let rfile = vals[0];
        let rnew = match rflag {
            RFlag::None => rfile,
            RFlag::Linear => rlo + (rhi - rlo) * i as f64 / (n - 1) as f64,
            RFlag::Squared => {
                (rlo * rlo + (rhi * rhi - rlo * rlo) * i as f64 / (n - 1) as f64).sqrt()
            }
        };
        r.push(rnew);
        e.push(vals[1]);
        f.push(vals[2]);
    }
    Ok(TableSection {
        r,
        e,
        f,
        rflag,
        rlo,
        rhi,
        fprime,
    })
}
