//! The per-IS CSV of `pelkit anneal -o FILE`: one row per inherent structure, appended and
//! flushed as each is made (a killed run keeps them), read back by `--resume`. Columns `time`,
//! `T`, `E_IS`, `tau`, `run`, `converged` are what [`crate::analysis::ageing_map`] reads, so a
//! series made by LAMMPS only needs those. Floats in Rust's shortest round-trip form.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::IsRecord;

/// Header line of the CSV. `E_IS` and `pe_inst` per atom (energy units); `tau` (IS) and
/// `tau_inst` the shear stress −p of the loading component (pressure units); `fnorm2` the 3N
/// force two-norm of the IS, `fnorm_inf` its largest component.
pub const CSV_HEADER: &str = "run,index,step,time,T,E_IS,tau,tau_inst,pe_inst,T_inst,fnorm2,\
fnorm_inf,converged,stop,iterations,strain";

/// A malformed annealing CSV.
#[derive(Debug, Error)]
pub enum AnnealCsvError {
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

fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v:?}")
    }
}

/// One CSV line (no newline) of a record.
pub fn record_line(r: &IsRecord) -> String {
    [
        r.run.to_string(),
        r.index.to_string(),
        r.step.to_string(),
        num(r.time),
        num(r.temperature),
        num(r.e_is),
        num(r.tau_is),
        num(r.tau_inst),
        num(r.pe_inst),
        num(r.t_inst),
        num(r.fnorm2),
        num(r.fnorm_inf),
        (r.converged as u8).to_string(),
        format!("\"{}\"", r.stop.replace('"', "'")),
        r.iterations.to_string(),
        num(r.strain),
    ]
    .join(",")
}

/// Split a CSV line with double-quoted fields.
pub(crate) fn split_fields(line: &str) -> Result<Vec<String>, String> {
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
    out.push(cur.trim().to_string());
    Ok(out.into_iter().map(|s| s.trim().to_string()).collect())
}

/// Every record of an annealing CSV written by [`record_line`] under [`CSV_HEADER`]; a missing
/// or empty file gives none. A last line without its newline (the write a kill interrupted) is
/// dropped, so a resumed run makes that IS again.
pub fn read_records(path: &Path) -> Result<Vec<IsRecord>, AnnealCsvError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(AnnealCsvError::Io {
                path: path.into(),
                source,
            })
        }
    };
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };
    let syntax = |line: usize, message: String| AnnealCsvError::Syntax {
        path: path.into(),
        line,
        message,
    };
    let mut lines = complete.lines().enumerate();
    match lines.next() {
        None => return Ok(Vec::new()),
        Some((_, h)) if h.trim() == CSV_HEADER => {}
        Some((_, h)) => {
            return Err(syntax(
                1,
                format!("header '{h}' is not a pelkit anneal header ({CSV_HEADER})"),
            ))
        }
    }
    let ncol = CSV_HEADER.split(',').count();
    let mut out = Vec::new();
    for (i, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        let line = i + 1;
        let f = split_fields(l).map_err(|m| syntax(line, m))?;
        if f.len() != ncol {
            return Err(syntax(
                line,
                format!("{} fields, expected {ncol} ({CSV_HEADER})", f.len()),
            ));
        }
        let name = |k: usize| CSV_HEADER.split(',').nth(k).unwrap_or("?");
        let float = |k: usize| -> Result<f64, AnnealCsvError> {
            if f[k].is_empty() {
                return Ok(f64::NAN);
            }
            f[k].parse::<f64>().map_err(|_| {
                syntax(
                    line,
                    format!("column {}: '{}' is not a number", name(k), f[k]),
                )
            })
        };
        let int = |k: usize| -> Result<u64, AnnealCsvError> {
            f[k].parse::<u64>().map_err(|_| {
                syntax(
                    line,
                    format!(
                        "column {}: '{}' is not a non-negative integer",
                        name(k),
                        f[k]
                    ),
                )
            })
        };
        let converged = match f[12].as_str() {
            "1" => true,
            "0" => false,
            other => {
                return Err(syntax(
                    line,
                    format!("column converged: '{other}' (expected 0 or 1)"),
                ))
            }
        };
        out.push(IsRecord {
            run: int(0)? as usize,
            index: int(1)? as usize,
            step: int(2)?,
            time: float(3)?,
            temperature: float(4)?,
            e_is: float(5)?,
            tau_is: float(6)?,
            tau_inst: float(7)?,
            pe_inst: float(8)?,
            t_inst: float(9)?,
            fnorm2: float(10)?,
            fnorm_inf: float(11)?,
            converged,
            stop: f[13].clone(),
            iterations: int(14)? as usize,
            strain: float(15)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> IsRecord {
        IsRecord {
            run: 2,
            index: 3,
            step: 3000,
            time: 3.0,
            temperature: 600.0,
            e_is: -5.123456789012345,
            tau_is: 1234.5,
            tau_inst: -0.1,
            pe_inst: -5.0,
            t_inst: 601.2,
            fnorm2: 1e-7,
            fnorm_inf: 3e-9,
            converged: true,
            stop: "force tolerance".into(),
            iterations: 123,
            strain: 0.04,
        }
    }

    #[test]
    fn round_trip_and_truncated_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.csv");
        let mut r2 = record();
        r2.index = 4;
        r2.e_is = f64::NAN;
        r2.converged = false;
        r2.stop = "minimization failed: \"x\"".into();
        let text = format!(
            "{CSV_HEADER}\n{}\n{}\n{}",
            record_line(&record()),
            record_line(&r2),
            "2,5,50"
        );
        std::fs::write(&path, text).unwrap();
        let got = read_records(&path).unwrap();
        assert_eq!(got.len(), 2, "the unterminated last line is dropped");
        assert_eq!(got[0], record());
        assert!(got[1].e_is.is_nan() && !got[1].converged);
        assert_eq!(got[1].stop, "minimization failed: 'x'");
    }

    #[test]
    fn bad_files_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, "time,E\n1,2\n").unwrap();
        let e = read_records(&path).unwrap_err().to_string();
        assert!(e.contains("bad.csv:1") && e.contains("header"), "{e}");
        let line = record_line(&record()).replace("600.0", "hot");
        std::fs::write(&path, format!("{CSV_HEADER}\n{line}\n")).unwrap();
        let e = read_records(&path).unwrap_err().to_string();
        assert!(e.contains("bad.csv:2") && e.contains("column T"), "{e}");
        assert!(read_records(&dir.path().join("none.csv"))
            .unwrap()
            .is_empty());
    }
}
