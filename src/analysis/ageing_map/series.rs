//! IS-energy series from CSV files: `pelkit anneal` output or any CSV with a header naming the
//! columns `time`, `T`, `E_IS` (required) and `tau`, `run`, `converged` (optional), e.g. a
//! series made with LAMMPS. Lines starting with `#` are comments.

use std::collections::HashMap;
use std::path::Path;

use super::{AgeingMapError, IsPoint};
use crate::io::csv_table::{read_csv, CsvError, CsvOptions};

/// Read one CSV of IS points. `stress_column` names the stress column (`tau` by default in the
/// CLI; `tau_inst` for the instantaneous stress of `pelkit anneal`). Series are told apart by
/// file, `run` and `T`: points of one series are consecutive IS of one annealing run.
pub fn read_series(path: &Path, stress_column: &str) -> Result<Vec<IsPoint>, AgeingMapError> {
    let options = CsvOptions {
        comments: true,
        drop_unterminated_last_line: false,
    };
    let syntax =
        |line: usize, message: String| AgeingMapError::from(CsvError::syntax(path, line, message));
    let Some(table) = read_csv(path, options)? else {
        return Err(syntax(
            1,
            "no header line (expected columns time,T,E_IS[,tau,run,converged])".into(),
        ));
    };
    let (hline, header, names) = (table.header_line, &table.header_text, &table.header);
    let col: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let need = |name: &str| {
        col.get(name).copied().ok_or_else(|| {
            syntax(
                hline,
                format!("no column '{name}' in the header '{header}' (need time, T, E_IS)"),
            )
        })
    };
    let (it, itemp, ie) = (need("time")?, need("T")?, need("E_IS")?);
    let itau = col.get(stress_column).copied();
    if stress_column != "tau" && itau.is_none() {
        return Err(syntax(
            hline,
            format!("no stress column '{stress_column}' in the header '{header}'"),
        ));
    }
    let irun = col.get("run").copied();
    let iconv = col.get("converged").copied();
    let mut out = Vec::new();
    for row in &table.rows {
        let (line, f) = (row.line, &row.fields);
        let float = |k: usize| -> Result<f64, AgeingMapError> {
            f[k].parse::<f64>().map_err(|_| {
                syntax(
                    line,
                    format!("column {}: '{}' is not a number", names[k], f[k]),
                )
            })
        };
        let time = float(it)?;
        let temperature = float(itemp)?;
        if !time.is_finite() || !temperature.is_finite() {
            return Err(syntax(line, "time and T must be finite".into()));
        }
        // An empty E_IS (a failed quench of pelkit anneal) is a non-converged point.
        let e_is = if f[ie].is_empty() {
            f64::NAN
        } else {
            float(ie)?
        };
        let tau = match itau {
            Some(k) if !f[k].is_empty() => Some(float(k)?),
            _ => None,
        };
        let converged = match iconv.map(|k| f[k].to_ascii_lowercase()) {
            None => true,
            Some(v) => match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => {
                    return Err(syntax(
                        line,
                        format!("column converged: '{other}' (expected 0/1, true/false)"),
                    ))
                }
            },
        };
        let run = irun.map(|k| f[k].clone()).unwrap_or_default();
        out.push(IsPoint {
            series: format!("{}#run={run}#T={temperature}", path.display()),
            time,
            temperature,
            e_is,
            tau,
            converged: converged && e_is.is_finite(),
        });
    }
    Ok(out)
}
