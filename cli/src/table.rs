//! Per-atom columns read from LAMMPS dumps for `pelkit correlate` and `pelkit learn`:
//! `FILE:COLUMN` specs, last frame, rows keyed by atom id, and the id matching between files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use pelkit::io::dump::{DumpFile, DumpFrame};

/// The last frame of a dump.
pub fn last_frame(path: &Path) -> Result<DumpFrame> {
    let file = DumpFile::open(path).with_context(|| format!("reading {}", path.display()))?;
    if file.frames() == 0 {
        bail!("{}: no frames", path.display());
    }
    file.frame(file.frames() - 1)
        .with_context(|| format!("reading the last frame of {}", path.display()))
}

/// `FILE:COLUMN` → (file, column); `default` when there is no `:COLUMN`.
pub fn split_spec(spec: &str, default: Option<&str>) -> Result<(PathBuf, String)> {
    match spec.rsplit_once(':') {
        Some((f, c)) if !c.is_empty() && !c.contains('/') => Ok((PathBuf::from(f), c.to_string())),
        _ => match default {
            Some(d) => Ok((PathBuf::from(spec), d.to_string())),
            None => bail!("'{spec}': expected FILE:COLUMN (e.g. K.dump:K)"),
        },
    }
}

/// One column of a dump, sorted by atom id: (ids, values).
pub fn read_column(spec: &str, default: Option<&str>) -> Result<(Vec<u64>, Vec<f64>)> {
    let (path, col) = split_spec(spec, default)?;
    let frame = last_frame(&path)?;
    let values = frame.column(&col).with_context(|| {
        format!(
            "{} has no column '{col}' (columns: {})",
            path.display(),
            frame.columns.join(" ")
        )
    })?;
    let mut order: Vec<usize> = (0..frame.natoms()).collect();
    order.sort_unstable_by_key(|&i| frame.ids[i]);
    Ok((
        order.iter().map(|&i| frame.ids[i]).collect(),
        order.iter().map(|&i| values[i]).collect(),
    ))
}

/// Several columns (`names`) of one frame, rows sorted by id: (ids, row-major values).
pub fn read_columns(frame: &DumpFrame, names: &[String]) -> (Vec<u64>, Vec<f64>) {
    let mut order: Vec<usize> = (0..frame.natoms()).collect();
    order.sort_unstable_by_key(|&i| frame.ids[i]);
    let cols: Vec<&[f64]> = names.iter().map(|n| frame.column(n).unwrap()).collect();
    let mut data = Vec::with_capacity(order.len() * names.len());
    for &i in &order {
        for c in &cols {
            data.push(c[i]);
        }
    }
    (order.iter().map(|&i| frame.ids[i]).collect(), data)
}

/// Fail unless both files hold exactly the same atom ids (both lists sorted).
pub fn require_same_ids(a: &[u64], a_name: &str, b: &[u64], b_name: &str) -> Result<()> {
    if a == b {
        return Ok(());
    }
    let bs: HashMap<u64, ()> = b.iter().map(|&i| (i, ())).collect();
    let missing = a.iter().find(|i| !bs.contains_key(i));
    let detail = match missing {
        Some(id) => format!("atom id {id} of {a_name} is not in {b_name}"),
        None => {
            let as_: HashMap<u64, ()> = a.iter().map(|&i| (i, ())).collect();
            match b.iter().find(|i| !as_.contains_key(i)) {
                Some(id) => format!("atom id {id} of {b_name} is not in {a_name}"),
                None => "duplicate ids".to_string(),
            }
        }
    };
    bail!(
        "{a_name} ({} atoms) and {b_name} ({} atoms) hold different atoms: {detail}",
        a.len(),
        b.len()
    )
}
