//! `pelkit check` for log files: every thermo value parsed, per-column statistics per run, and
//! problems (truncated blocks, non-finite thermo values).

use std::path::Path;

use serde_json::json;

use super::{parse_log, LogFile};
use crate::io::{ColumnStats, FileReport, FormatError};

/// Validate a log file.
pub fn check_log(path: &Path) -> Result<FileReport, FormatError> {
    let bytes = crate::io::configuration::read_bytes(path)?;
    Ok(report_log(&parse_log(&bytes, path)?))
}

/// The report of a parsed log. Columns are named `run<K>:<keyword>` (K from 1).
pub fn report_log(log: &LogFile) -> FileReport {
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    let mut runs = Vec::new();
    for (k, run) in log.runs.iter().enumerate() {
        let k = k + 1;
        for (name, values) in run.keywords.iter().zip(&run.columns) {
            let mut c = ColumnStats::new(format!("run{k}:{name}"));
            let mut bad = 0usize;
            for &v in values {
                c.push(v);
                bad += usize::from(!v.is_finite());
            }
            if bad > 0 {
                problems.push(format!(
                    "run {k} (line {}): {bad} non-finite values of {name}",
                    run.header_line
                ));
            }
            columns.push(c);
        }
        if !run.is_complete() {
            problems.push(format!(
                "run {k} (line {}): thermo block truncated (no `Loop time` line)",
                run.header_line
            ));
        }
        runs.push(json!({
            "header_line": run.header_line,
            "layout": run.layout,
            "keywords": run.keywords,
            "rows": run.rows(),
            "warnings": run.warnings.len(),
            "skipped_lines": run.skipped_lines.len(),
            "loop": run.loop_summary,
            "minimization": run.minimization,
        }));
    }
    let mut details = serde_json::Map::new();
    details.insert("version".into(), json!(log.version));
    details.insert("runs".into(), json!(runs));
    details.insert("notes".into(), json!(log.notes));
    FileReport {
        format: "lammps-log".into(),
        frames: Some(log.runs.len()),
        atoms: log
            .runs
            .iter()
            .rev()
            .find_map(|r| r.loop_summary.map(|l| l.atoms as usize)),
        columns,
        simbox: None,
        details,
        problems,
    }
}
