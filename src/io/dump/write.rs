//! Writing LAMMPS text dumps (`dump custom` layout) that LAMMPS `read_dump` and OVITO read back:
//! atoms sorted by id, floats in shortest round-trip form, bound box for triclinic boxes,
//! gzip when the file name ends in `.gz`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use super::DumpFrame;
use crate::io::FormatError;
use crate::system::System;

/// Columns written as integers.
const INTEGER_COLUMNS: [&str; 8] = ["id", "type", "ix", "iy", "iz", "mol", "proc", "procp1"];

/// Write `frames` to `path` (gzip if it ends in `.gz`), each frame's atoms sorted by id.
pub fn write_dump(path: &Path, frames: &[DumpFrame]) -> Result<(), FormatError> {
    let f = File::create(path).map_err(|e| FormatError::io(path, e))?;
    let io = |e| FormatError::io(path, e);
    if path.extension().is_some_and(|e| e == "gz") {
        let mut w = GzEncoder::new(BufWriter::with_capacity(1 << 20, f), Compression::default());
        for frame in frames {
            write_frame(&mut w, frame).map_err(io)?;
        }
        w.finish().map_err(io)?.flush().map_err(io)
    } else {
        let mut w = BufWriter::with_capacity(1 << 20, f);
        for frame in frames {
            write_frame(&mut w, frame).map_err(io)?;
        }
        w.flush().map_err(io)
    }
}

/// Write one configuration as a one-frame dump with columns
/// `id type x y z ix iy iz [vx vy vz] [q]` followed by the `extra` per-atom columns
/// (each `(name, values in the system's atom order)`), sorted by id.
pub fn write_dump_system(
    path: &Path,
    sys: &System,
    timestep: u64,
    extra: &[(&str, &[f64])],
) -> Result<(), FormatError> {
    let frame = system_frame(sys, timestep, extra).map_err(|m| FormatError::invalid(path, m))?;
    write_dump(path, &[frame])
}

/// The frame [`write_dump_system`] writes.
pub fn system_frame(
    sys: &System,
    timestep: u64,
    extra: &[(&str, &[f64])],
) -> Result<DumpFrame, String> {
    let n = sys.natoms();
    let mut columns: Vec<(String, Vec<f64>)> = vec![
        ("id".into(), sys.ids.iter().map(|&i| i as f64).collect()),
        ("type".into(), sys.types.iter().map(|&t| t as f64).collect()),
    ];
    for (d, name) in ["x", "y", "z"].iter().enumerate() {
        columns.push((
            name.to_string(),
            sys.positions.iter().map(|p| p[d]).collect(),
        ));
    }
    for (d, name) in ["ix", "iy", "iz"].iter().enumerate() {
        columns.push((
            name.to_string(),
            sys.images.iter().map(|p| p[d] as f64).collect(),
        ));
    }
    if let Some(v) = &sys.velocities {
        for (d, name) in ["vx", "vy", "vz"].iter().enumerate() {
            columns.push((name.to_string(), v.iter().map(|p| p[d]).collect()));
        }
    }
    if let Some(q) = &sys.charges {
        columns.push(("q".into(), q.clone()));
    }
    for (name, values) in extra {
        if values.len() != n {
            return Err(format!(
                "extra column `{name}` has {} values, the system has {n} atoms",
                values.len()
            ));
        }
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("bad column name `{name}` (no spaces allowed)"));
        }
        columns.push((name.to_string(), values.to_vec()));
    }
    DumpFrame::from_columns(timestep, sys.simbox, columns)
}

fn write_frame<W: Write>(w: &mut W, frame: &DumpFrame) -> std::io::Result<()> {
    let b = &frame.simbox;
    let n = frame.natoms();
    if let Some(t) = frame.time {
        writeln!(w, "ITEM: TIME\n{t:?}")?;
    }
    writeln!(
        w,
        "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{n}",
        frame.timestep
    )?;
    let flags = frame.boundary.join(" ");
    let bounds = b.bounds();
    if b.triclinic {
        writeln!(w, "ITEM: BOX BOUNDS xy xz yz {flags}")?;
        for (bound, tilt) in bounds.iter().zip(b.tilt) {
            writeln!(w, "{:?} {:?} {tilt:?}", bound[0], bound[1])?;
        }
    } else {
        writeln!(w, "ITEM: BOX BOUNDS {flags}")?;
        for bound in bounds {
            writeln!(w, "{:?} {:?}", bound[0], bound[1])?;
        }
    }
    writeln!(w, "ITEM: ATOMS {}", frame.columns.join(" "))?;
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| frame.ids[i]);
    let is_int: Vec<bool> = frame
        .columns
        .iter()
        .map(|c| INTEGER_COLUMNS.contains(&c.as_str()))
        .collect();
    let columns: Vec<&[f64]> = (0..frame.columns.len())
        .filter_map(|k| frame.column_at(k))
        .collect();
    let mut line = String::with_capacity(256);
    for i in order {
        line.clear();
        for (k, col) in columns.iter().enumerate() {
            use std::fmt::Write as _;
            if k > 0 {
                line.push(' ');
            }
            let v = col[i];
            if is_int[k] && v.fract() == 0.0 && v.abs() < 9.0e15 {
                let _ = write!(line, "{}", v as i64);
            } else {
                let _ = write!(line, "{v:?}");
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}
