//! The per-IS CSV of `pelkit anneal -o FILE`: one row per inherent structure, appended and
//! flushed as each is made (a killed run keeps them), read back by `--resume`. Columns `time`,
//! `T`, `E_IS`, `tau`, `run`, `converged` are what [`crate::analysis::ageing_map`] reads, so a
//! series made by LAMMPS only needs those. Floats in Rust's shortest round-trip form.

use std::path::Path;

use crate::io::csv_table::{read_csv, CsvError, CsvOptions};

use super::IsRecord;

/// Header line of the CSV. `E_IS` and `pe_inst` per atom (energy units); `tau` (IS) and
/// `tau_inst` the shear stress −p of the loading component (pressure units); `fnorm2` the 3N
/// force two-norm of the IS, `fnorm_inf` its largest component.
pub const CSV_HEADER: &str = "run,index,step,time,T,E_IS,tau,tau_inst,pe_inst,T_inst,fnorm2,\
fnorm_inf,converged,stop,iterations,strain";

/// A malformed annealing CSV (the crate's CSV error, with file:line).
pub type AnnealCsvError = CsvError;

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

/// Every record of an annealing CSV written by [`record_line`] under [`CSV_HEADER`]; a missing
/// or empty file gives none. A last line without its newline (the write a kill interrupted) is
/// dropped, so a resumed run makes that IS again.
pub fn read_records(path: &Path) -> Result<Vec<IsRecord>, AnnealCsvError> {
    let options = CsvOptions {
        comments: false,
        drop_unterminated_last_line: true,
    };
    let table = match read_csv(path, options) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(Vec::new()),
        Err(e) if e.is_not_found() => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let syntax = |line: usize, message: String| CsvError::syntax(path, line, message);
    if table.header_text != CSV_HEADER {
        return Err(syntax(
            table.header_line,
            format!(
                "header '{}' is not a pelkit anneal header ({CSV_HEADER})",
                table.header_text
            ),
        ));
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let (line, f) = (row.line, &row.fields);
        let name = |k: usize| table.header[k].as_str();
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
