//! `pelkit check` for dumps: parse every value of every frame (in parallel) and report frames,
//! atoms, per-column min/max/mean over all frames, the box, and the problems found.

use std::path::Path;

use rayon::prelude::*;

use super::file::{DumpFile, Source};
use super::frame::{integer_columns, line_offset, parse_atoms, AtomSink, NonFinite, ParseError};
use super::gz;
use super::header::{parse_header, Header};
use super::index::FrameSplitter;
use crate::io::{BoxReport, ColumnStats, FileReport, FormatError};

/// What one frame contributes to the report.
struct FrameSummary {
    timestep: u64,
    natoms: usize,
    columns: Vec<String>,
    /// Per column: (min, max, sum) over this frame.
    stats: Vec<(f64, f64, f64)>,
    simbox: Option<crate::geometry::SimBox>,
    boundary: [String; 3],
    units: Option<String>,
    problems: Vec<String>,
}

/// Parse every value of the dump at `path` and report on it. Bad frames become problems (with
/// file and line); only a file that cannot be opened or holds no frame at all is an error.
pub fn check(path: &Path) -> Result<FileReport, FormatError> {
    let file = DumpFile::open(path)?;
    let summaries: Vec<Result<FrameSummary, String>> = match file.source {
        Source::Mapped(_) => (0..file.frames())
            .into_par_iter()
            .map(|n| {
                let bytes = file.frame_bytes(n).map_err(|e| e.to_string())?;
                summarize(&file, n, &bytes)
            })
            .collect(),
        Source::Gzip => gzip_summaries(&file)?,
    };
    Ok(assemble(&file, summaries))
}

fn gzip_summaries(file: &DumpFile) -> Result<Vec<Result<FrameSummary, String>>, FormatError> {
    let mut splitter = FrameSplitter::new(gz::decoder(&file.path)?);
    let window = 2 * rayon::current_num_threads();
    let mut out = Vec::with_capacity(file.frames());
    let mut n = 0;
    while n < file.frames() {
        let mut chunk = Vec::with_capacity(window);
        while chunk.len() < window && n < file.frames() {
            match splitter.next_frame() {
                Ok(Some((_, bytes))) => chunk.push((n, bytes)),
                Ok(None) => break,
                Err(e) => return Err(gz::stream_error(&file.path, e)),
            }
            n += 1;
        }
        if chunk.is_empty() {
            break;
        }
        out.par_extend(chunk.par_iter().map(|(k, b)| summarize(file, *k, b)));
    }
    Ok(out)
}

/// Running statistics of one column over a frame.
struct ColumnFold {
    min: f64,
    max: f64,
    /// Sum of the finished blocks (summing block by block keeps the rounding error near that
    /// of a pairwise sum).
    sum: f64,
    /// Index in `Fold::kept` when the column's values are kept for the integer checks.
    keep: Option<usize>,
    non_finite: usize,
    first_non_finite: usize,
}

/// Folds the atom lines into per-column statistics as they are parsed: lines are gathered
/// column by column into a small block (in L1 cache), and each full block is reduced with
/// vectorisable loops. Only the columns checked as integers afterwards (`id`, `type`, `ix`,
/// `iy`, `iz`) are stored whole.
struct Fold {
    columns: Vec<ColumnFold>,
    kept: Vec<Vec<f64>>,
    /// Column `c` of the block's line `j` at `block[c * BLOCK + j]`.
    block: Vec<f64>,
    /// Lines in the block, and the frame line of its first one.
    filled: usize,
    first_line: usize,
}

/// Lines per block.
const BLOCK: usize = 512;

impl Fold {
    fn new(names: &[String], natoms: usize) -> Self {
        let mut kept = Vec::new();
        let columns = names
            .iter()
            .map(|name| {
                let keep = ["id", "type", "ix", "iy", "iz"]
                    .contains(&name.as_str())
                    .then(|| {
                        kept.push(Vec::with_capacity(natoms));
                        kept.len() - 1
                    });
                ColumnFold {
                    min: f64::INFINITY,
                    max: f64::NEG_INFINITY,
                    sum: 0.0,
                    keep,
                    non_finite: 0,
                    first_non_finite: 0,
                }
            })
            .collect();
        Fold {
            columns,
            kept,
            block: vec![0.0; names.len() * BLOCK],
            filled: 0,
            first_line: 0,
        }
    }

    /// Reduce the block into the column statistics and empty it.
    fn flush(&mut self) {
        let filled = self.filled;
        for (col, values) in self.columns.iter_mut().zip(self.block.chunks_exact(BLOCK)) {
            let values = &values[..filled];
            let (lo, hi, sum) = min_max_sum(values);
            col.min = col.min.min(lo);
            col.max = col.max.max(hi);
            col.sum += sum;
            // A NaN or an infinity makes the sum non-finite (so does an overflow, which the
            // scan then does not count).
            if !sum.is_finite() {
                let bad = values.iter().filter(|v| !v.is_finite()).count();
                if bad > 0 && col.non_finite == 0 {
                    let j = values.iter().position(|v| !v.is_finite()).unwrap_or(0);
                    col.first_non_finite = self.first_line + j;
                }
                col.non_finite += bad;
            }
            if let Some(kept) = col.keep.and_then(|k| self.kept.get_mut(k)) {
                kept.extend_from_slice(values);
            }
        }
        self.first_line += filled;
        self.filled = 0;
    }
}

impl AtomSink for Fold {
    #[inline(always)]
    fn line(&mut self, _i: usize, row: &[f64]) {
        let j = self.filled;
        for (&v, column) in row.iter().zip(self.block.chunks_exact_mut(BLOCK)) {
            if let Some(slot) = column.get_mut(j) {
                *slot = v;
            }
        }
        self.filled += 1;
        if self.filled == BLOCK {
            self.flush();
        }
    }
}

/// (min, max, sum) of a column with four independent accumulators (no serial dependency on
/// one running sum; the result does not depend on the thread count). Min and max skip NaN
/// (a comparison with NaN is false), which the sum keeps; written as comparisons so that they
/// compile to vector min/max instructions.
fn min_max_sum(col: &[f64]) -> (f64, f64, f64) {
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let mut sum = [0.0f64; 4];
    let chunks = col.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..4 {
            lo[k] = if c[k] < lo[k] { c[k] } else { lo[k] };
            hi[k] = if c[k] > hi[k] { c[k] } else { hi[k] };
            sum[k] += c[k];
        }
    }
    for (k, &v) in rest.iter().enumerate() {
        lo[k] = if v < lo[k] { v } else { lo[k] };
        hi[k] = if v > hi[k] { v } else { hi[k] };
        sum[k] += v;
    }
    (
        lo[0].min(lo[1]).min(lo[2].min(lo[3])),
        hi[0].max(hi[1]).max(hi[2].max(hi[3])),
        (sum[0] + sum[1]) + (sum[2] + sum[3]),
    )
}

/// What `check` needs of one parsed frame.
struct CheckedFrame {
    header: Header,
    ids: Vec<u64>,
    /// Per column: (min, max, sum).
    stats: Vec<(f64, f64, f64)>,
    non_finite: Option<NonFinite>,
}

/// Parse every value of one frame, folding the statistics into the parse (no column-major
/// copy of the frame is made). Errors are those of [`super::frame::parse_frame`].
fn check_frame(data: &[u8]) -> Result<CheckedFrame, ParseError> {
    let header = parse_header(data)?;
    let mut fold = Fold::new(&header.columns, header.natoms);
    parse_atoms(data, &header, &mut fold)?;
    fold.flush();
    let names = &header.columns;
    let ids = integer_columns(data, &header, |name| {
        let k = names.iter().position(|c| c == name)?;
        let slot = fold.columns.get(k)?.keep?;
        fold.kept.get(slot).map(Vec::as_slice)
    })?;
    let total: usize = fold.columns.iter().map(|c| c.non_finite).sum();
    let non_finite = fold
        .columns
        .iter()
        .zip(names)
        .find(|(c, _)| c.non_finite > 0)
        .map(|(c, name)| NonFinite {
            offset: line_offset(data, header.atoms_start, c.first_non_finite),
            column: name.clone(),
            count: total,
        });
    let stats = fold.columns.iter().map(|c| (c.min, c.max, c.sum)).collect();
    Ok(CheckedFrame {
        header,
        ids,
        stats,
        non_finite,
    })
}

fn summarize(file: &DumpFile, n: usize, bytes: &[u8]) -> Result<FrameSummary, String> {
    let checked = check_frame(bytes).map_err(|e| file.to_format_error(n, bytes, &e).to_string())?;
    let header = checked.header;
    let mut problems = Vec::new();
    if let Some(bad) = &checked.non_finite {
        problems.push(format!(
            "{}:{}: {} non-finite value(s) (nan/inf) in frame at timestep {}, first in column `{}`",
            file.path.display(),
            file.line_of(n, bytes, bad.offset),
            bad.count,
            header.timestep,
            bad.column
        ));
    }
    if let Some(id) = duplicate_id(&checked.ids) {
        problems.push(format!(
            "{}: frame at timestep {}: atom id {id} appears more than once",
            file.path.display(),
            header.timestep
        ));
    }
    Ok(FrameSummary {
        timestep: header.timestep,
        natoms: header.natoms,
        columns: header.columns,
        stats: checked.stats,
        simbox: Some(header.simbox),
        boundary: header.boundary,
        units: header.units,
        problems,
    })
}

/// First repeated id (bitmap when ids are dense, sorting otherwise).
fn duplicate_id(ids: &[u64]) -> Option<u64> {
    let max = ids.iter().copied().max()?;
    if max <= 4 * ids.len() as u64 + 64 {
        let mut seen = vec![false; max as usize + 1];
        for &id in ids {
            let slot = &mut seen[id as usize];
            if *slot {
                return Some(id);
            }
            *slot = true;
        }
        None
    } else {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    }
}

fn assemble(file: &DumpFile, summaries: Vec<Result<FrameSummary, String>>) -> FileReport {
    let mut report = FileReport {
        format: "lammps-dump".into(),
        frames: Some(file.frames()),
        ..Default::default()
    };
    // (name, count, min, max, sum)
    let mut acc: Vec<(String, u64, f64, f64, f64)> = Vec::new();
    let mut first: Option<(usize, Vec<String>)> = None;
    let mut timesteps = Vec::new();
    let mut units = None;
    for s in summaries {
        let s = match s {
            Ok(s) => s,
            Err(e) => {
                report.problems.push(e);
                continue;
            }
        };
        timesteps.push(s.timestep);
        units = units.or(s.units.clone());
        match &first {
            None => {
                first = Some((s.natoms, s.columns.clone()));
                report.atoms = Some(s.natoms);
                report.simbox = s.simbox.as_ref().map(BoxReport::from);
                report
                    .details
                    .insert("boundary".into(), s.boundary.join(" ").into());
            }
            Some((natoms, columns)) => {
                if s.natoms != *natoms {
                    report.problems.push(format!(
                        "{}: frame at timestep {} has {} atoms, the first frame has {natoms}",
                        file.path.display(),
                        s.timestep,
                        s.natoms
                    ));
                }
                if &s.columns != columns {
                    report.problems.push(format!(
                        "{}: frame at timestep {} has columns `{}`, the first frame `{}`",
                        file.path.display(),
                        s.timestep,
                        s.columns.join(" "),
                        columns.join(" ")
                    ));
                }
            }
        }
        report.problems.extend(s.problems);
        for (name, (lo, hi, sum)) in s.columns.iter().zip(s.stats) {
            let k = match acc.iter().position(|a| &a.0 == name) {
                Some(k) => k,
                None => {
                    acc.push((name.clone(), 0, f64::INFINITY, f64::NEG_INFINITY, 0.0));
                    acc.len() - 1
                }
            };
            let a = &mut acc[k];
            a.1 += s.natoms as u64;
            a.2 = a.2.min(lo);
            a.3 = a.3.max(hi);
            a.4 += sum;
        }
    }
    report.columns = acc
        .into_iter()
        .map(|(name, count, min, max, sum)| ColumnStats {
            name,
            count,
            min,
            max,
            mean: if count > 0 {
                sum / count as f64
            } else {
                f64::NAN
            },
        })
        .collect();
    if let Some(e) = file.truncated() {
        report.problems.push(e.to_string());
    }
    if let (Some(a), Some(b)) = (timesteps.first(), timesteps.last()) {
        report
            .details
            .insert("timesteps".into(), serde_json::json!([a, b]));
    }
    if let Some(u) = units {
        report.details.insert("units".into(), u.into());
    }
    report.details.insert("gzip".into(), file.is_gzip().into());
    report
}
