//! LAMMPS log files: thermo blocks (2021 and 2025 layouts, lammps-facts §5.3) into named
//! columns, one [`ThermoRun`] per `run`/`minimize`, with the `Loop time` line and the
//! minimization statistics attached to their run.

mod check;
mod minimize;

use std::path::Path;

use serde::Serialize;

use crate::io::text::{parse_f64, parse_i64, show, trim, Fields, Line, Lines};
use crate::io::FormatError;

pub use check::{check_log, report_log};
pub use minimize::MinimizationStats;

/// Column layout of a thermo block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ThermoLayout {
    /// Header keywords joined by single spaces from column 0; `%8d` / `%12.8g` values.
    #[serde(rename = "2021")]
    Y2021,
    /// Header keywords centred in fixed-width fields; `%10d` / `% -14.8g` values.
    #[serde(rename = "2025")]
    Y2025,
}

/// The `Loop time of T on P procs for N steps with A atoms` line that closes a block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoopSummary {
    pub line: usize,
    pub seconds: f64,
    pub procs: u64,
    pub steps: u64,
    pub atoms: u64,
}

/// One thermo block: the output of one `run` or `minimize`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThermoRun {
    /// Line of the header (`Step …`).
    pub header_line: usize,
    pub layout: ThermoLayout,
    /// Thermo keywords as printed (`Step`, `Temp`, `PotEng`, `c_vor[1]`, …).
    pub keywords: Vec<String>,
    /// One column per keyword, one value per thermo row.
    pub columns: Vec<Vec<f64>>,
    /// WARNING lines found inside the block: (line, text).
    pub warnings: Vec<(usize, String)>,
    /// Other lines inside the block that are not thermo rows (e.g. `fix print` output).
    pub skipped_lines: Vec<usize>,
    /// `None` when the log ends (or an ERROR occurs) before the `Loop time` line.
    pub loop_summary: Option<LoopSummary>,
    /// Present for a `minimize`.
    pub minimization: Option<MinimizationStats>,
}

impl ThermoRun {
    /// The values of one keyword, if the block has it.
    pub fn column(&self, keyword: &str) -> Option<&[f64]> {
        self.keywords
            .iter()
            .position(|k| k == keyword)
            .and_then(|i| self.columns.get(i))
            .map(|c| c.as_slice())
    }

    /// Number of thermo rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.len())
    }

    /// Whether the block ended with its `Loop time` line.
    pub fn is_complete(&self) -> bool {
        self.loop_summary.is_some()
    }
}

/// Everything read from a log file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogFile {
    /// The version line, e.g. `LAMMPS (22 Jul 2025 - Update 4)`.
    pub version: Option<String>,
    pub runs: Vec<ThermoRun>,
    /// What was accepted but not interpreted (multi/yaml thermo styles, truncation, errors).
    pub notes: Vec<String>,
}

/// Read every thermo block of a LAMMPS log file.
pub fn read_log(path: &Path) -> Result<LogFile, FormatError> {
    let bytes = crate::io::configuration::read_bytes(path)?;
    parse_log(&bytes, path)
}

/// Parse the text of a log file (`path` only names it in messages). A log that ends inside a
/// block keeps every complete block and the rows of the last one (`loop_summary` is `None`).
pub fn parse_log(bytes: &[u8], path: &Path) -> Result<LogFile, FormatError> {
    let mut log = LogFile {
        version: None,
        runs: Vec::new(),
        notes: Vec::new(),
    };
    let total_lines = Lines::new(bytes).count();
    let ends_with_newline = bytes.last() == Some(&b'\n');
    let mut lines = Lines::new(bytes).peekable();
    let mut current: Option<ThermoRun> = None;
    while let Some(line) = lines.next() {
        let text = trim(line.text);
        if line.number == 1 && text.starts_with(b"LAMMPS (") {
            log.version = Some(String::from_utf8_lossy(text).into_owned());
            continue;
        }
        let f = line.raw_fields();
        if is_thermo_header(&f) {
            if let Some(run) = current.take() {
                log.notes.push(format!(
                    "line {}: thermo block of line {} has no `Loop time` line",
                    line.number, run.header_line
                ));
                log.runs.push(run);
            }
            current = Some(new_run(&line, &f));
            continue;
        }
        if let Some(run) = current.as_mut() {
            // The last line of a file cut without its newline may be incomplete.
            let last_partial = line.number == total_lines && !ends_with_newline;
            if text.starts_with(b"WARNING") {
                run.warnings
                    .push((line.number, String::from_utf8_lossy(text).into_owned()));
            } else if text.starts_with(b"Loop time of") {
                match parse_loop_line(&line, &f, path) {
                    Ok(summary) => run.loop_summary = Some(summary),
                    Err(_) if last_partial => log.notes.push(format!(
                        "line {}: incomplete `Loop time` line ignored (file truncated)",
                        line.number
                    )),
                    Err(e) => return Err(e),
                }
                if let Some(run) = current.take() {
                    log.runs.push(run);
                }
            } else if text.starts_with(b"ERROR") {
                log.notes.push(format!(
                    "line {}: LAMMPS stopped inside the thermo block of line {}: {}",
                    line.number,
                    run.header_line,
                    String::from_utf8_lossy(text)
                ));
                if let Some(run) = current.take() {
                    log.runs.push(run);
                }
            } else if f.get(0).first().is_some_and(|b| b.is_ascii_digit()) {
                match push_row(run, &line, &f, path) {
                    Ok(()) => {}
                    Err(_) if last_partial => log.notes.push(format!(
                        "line {}: incomplete last thermo row dropped (file truncated)",
                        line.number
                    )),
                    Err(e) => return Err(e),
                }
            } else if !f.is_empty() {
                run.skipped_lines.push(line.number);
            }
            continue;
        }
        if text == b"Minimization stats:" {
            let attach = log
                .runs
                .last()
                .is_some_and(|r| r.is_complete() && r.minimization.is_none());
            if !attach {
                return Err(FormatError::syntax(
                    path,
                    line.number,
                    "expected `Minimization stats:` after a thermo block ending with `Loop time`, found it without one",
                ));
            }
            match (
                minimize::parse_stats(&mut lines, &line, path)?,
                log.runs.last_mut(),
            ) {
                (Some(stats), Some(run)) => run.minimization = Some(stats),
                _ => log.notes.push(format!(
                    "line {}: minimization statistics truncated",
                    line.number
                )),
            }
        } else if text.starts_with(b"----------------") && f.get(1) == b"Step" {
            if !log.notes.iter().any(|n| n.contains("thermo_style multi")) {
                log.notes.push(format!(
                    "line {}: thermo_style multi blocks are not read",
                    line.number
                ));
            }
        } else if text == b"---" && !log.notes.iter().any(|n| n.contains("thermo_style yaml")) {
            log.notes.push(format!(
                "line {}: thermo_style yaml blocks are not read",
                line.number
            ));
        }
    }
    if let Some(run) = current.take() {
        log.notes.push(format!(
            "the log ends inside the thermo block of line {} (no `Loop time` line): its {} rows are kept",
            run.header_line,
            run.rows()
        ));
        log.runs.push(run);
    }
    if log.runs.is_empty() {
        return Err(FormatError::invalid(
            path,
            "no thermo block found: expected a header line starting with `Step` followed by thermo rows",
        ));
    }
    Ok(log)
}

/// A header line: first field `Step`, no field a number.
fn is_thermo_header(f: &Fields) -> bool {
    f.get(0) == b"Step" && f.iter().all(|t| parse_f64(t).is_none())
}

fn new_run(line: &Line, f: &Fields) -> ThermoRun {
    let keywords: Vec<String> = f
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    let layout = if line.text.first().is_some_and(|b| b.is_ascii_whitespace()) {
        ThermoLayout::Y2025
    } else {
        ThermoLayout::Y2021
    };
    ThermoRun {
        header_line: line.number,
        layout,
        columns: vec![Vec::new(); keywords.len()],
        keywords,
        warnings: Vec::new(),
        skipped_lines: Vec::new(),
        loop_summary: None,
        minimization: None,
    }
}

fn push_row(run: &mut ThermoRun, line: &Line, f: &Fields, path: &Path) -> Result<(), FormatError> {
    let n = run.keywords.len();
    if f.len() != n {
        return Err(FormatError::syntax(
            path,
            line.number,
            format!(
                "expected {n} thermo values ({}), found {}",
                run.keywords.join(" "),
                f.len()
            ),
        ));
    }
    for (k, tok) in f.iter().enumerate() {
        if parse_f64(tok).is_none() {
            return Err(FormatError::syntax(
                path,
                line.number,
                format!(
                    "expected a number for thermo keyword {}, found {}",
                    run.keywords[k],
                    show(tok)
                ),
            ));
        }
    }
    for (col, tok) in run.columns.iter_mut().zip(f.iter()) {
        col.push(parse_f64(tok).unwrap_or(f64::NAN));
    }
    Ok(())
}

/// `Loop time of <t> on <P> procs for <N> steps with <natoms> atoms`
fn parse_loop_line(line: &Line, f: &Fields, path: &Path) -> Result<LoopSummary, FormatError> {
    let words_ok = f.len() == 13
        && f.get(4) == b"on"
        && f.get(6) == b"procs"
        && f.get(7) == b"for"
        && f.get(9) == b"steps"
        && f.get(10) == b"with"
        && f.get(12) == b"atoms";
    let seconds = parse_f64(f.get(3));
    let procs = parse_i64(f.get(5)).filter(|&v| v >= 0);
    let steps = parse_i64(f.get(8)).filter(|&v| v >= 0);
    let natoms = parse_i64(f.get(11)).filter(|&v| v >= 0);
    match (words_ok, seconds, procs, steps, natoms) {
        (true, Some(seconds), Some(procs), Some(steps), Some(natoms)) => Ok(LoopSummary {
            line: line.number,
            seconds,
            procs: procs as u64,
            steps: steps as u64,
            atoms: natoms as u64,
        }),
        _ => Err(FormatError::syntax(
            path,
            line.number,
            format!(
                "expected `Loop time of T on P procs for N steps with A atoms`, found {}",
                show(trim(line.text))
            ),
        )),
    }
}
