//! Writing LAMMPS text dumps (`dump custom` layout) that LAMMPS `read_dump` and OVITO read back:
//! atoms sorted by id, floats in shortest round-trip form, bound box for triclinic boxes,
//! gzip when the file name ends in `.gz`. [`DumpWriter`] streams frames one at a time; atom
//! lines are formatted in parallel (`row_format`) and written block by block.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use super::{row_format, DumpFrame, FrameError};
use crate::io::FormatError;
use crate::system::System;

/// Write `frames` to `path` (gzip if it ends in `.gz`), each frame's atoms sorted by id.
pub fn write_dump(path: &Path, frames: &[DumpFrame]) -> Result<(), FormatError> {
    let mut w = DumpWriter::create(path)?;
    for frame in frames {
        w.write_frame(frame)?;
    }
    w.finish()
}

/// Where the bytes go: the file itself (formatted blocks are large, so no buffer in between)
/// or a gzip stream.
enum Sink {
    Plain(File),
    Gzip(GzEncoder<BufWriter<File>>),
}

/// A dump written frame by frame, so a run's frames need not be held in memory: the same text
/// as [`write_dump`], gzip when the file name ends in `.gz`. Atom lines are formatted in
/// parallel on the current rayon pool; the bytes do not depend on the number of threads.
///
/// Call [`finish`](Self::finish) at the end: it completes the gzip stream and reports the last
/// I/O error (a `.gz` file dropped without it lacks its trailer).
pub struct DumpWriter {
    path: PathBuf,
    sink: Sink,
}

impl DumpWriter {
    /// Create (or truncate) `path`.
    pub fn create(path: &Path) -> Result<Self, FormatError> {
        let f = File::create(path).map_err(|e| FormatError::io(path, e))?;
        let sink = if path.extension().is_some_and(|e| e == "gz") {
            Sink::Gzip(GzEncoder::new(
                BufWriter::with_capacity(1 << 20, f),
                Compression::default(),
            ))
        } else {
            Sink::Plain(f)
        };
        Ok(Self {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Append one frame, its atoms sorted by id.
    pub fn write_frame(&mut self, frame: &DumpFrame) -> Result<(), FormatError> {
        let path = &self.path;
        let io = |e| FormatError::io(path, e);
        let w: &mut dyn Write = match &mut self.sink {
            Sink::Plain(f) => f,
            Sink::Gzip(g) => g,
        };
        let mut head = Vec::with_capacity(512);
        write_header(&mut head, frame).map_err(io)?;
        w.write_all(&head).map_err(io)?;
        let order = row_format::id_order(frame);
        for batch in order.chunks(row_format::ROWS_PER_BATCH) {
            for block in row_format::format_rows(frame, batch) {
                w.write_all(&block).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Push everything written so far to the file, so that a reader sees every complete frame
    /// while the run goes on (a gzip stream gets a sync flush: readable up to here).
    pub fn flush(&mut self) -> Result<(), FormatError> {
        let path = &self.path;
        match &mut self.sink {
            Sink::Plain(f) => f.flush(),
            Sink::Gzip(g) => g.flush(),
        }
        .map_err(|e| FormatError::io(path, e))
    }

    /// Complete the file (the gzip trailer) and flush it.
    pub fn finish(self) -> Result<(), FormatError> {
        let path = &self.path;
        let io = |e| FormatError::io(path, e);
        match self.sink {
            Sink::Plain(mut f) => f.flush().map_err(io),
            Sink::Gzip(g) => g.finish().map_err(io)?.flush().map_err(io),
        }
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
    let frame = system_frame(sys, timestep, extra)
        .map_err(|e| FormatError::invalid(path, e.to_string()))?;
    write_dump(path, &[frame])
}

/// The frame [`write_dump_system`] writes.
pub fn system_frame(
    sys: &System,
    timestep: u64,
    extra: &[(&str, &[f64])],
) -> Result<DumpFrame, FrameError> {
    let mut columns = id_type_position_columns(sys);
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
    frame_with_extra(sys, timestep, columns, extra)
}

/// A one-frame dump of `sys` with columns `id type x y z` followed by the `extra` per-atom
/// columns (each `(name, values in the system's atom order)`): no images, velocities or charges.
pub fn positions_frame(
    sys: &System,
    timestep: u64,
    extra: &[(&str, &[f64])],
) -> Result<DumpFrame, FrameError> {
    frame_with_extra(sys, timestep, id_type_position_columns(sys), extra)
}

/// The `id type x y z` columns of `sys`.
fn id_type_position_columns(sys: &System) -> Vec<(String, Vec<f64>)> {
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
    columns
}

/// `columns` followed by the checked `extra` columns, as one frame of `sys`'s box.
fn frame_with_extra(
    sys: &System,
    timestep: u64,
    mut columns: Vec<(String, Vec<f64>)>,
    extra: &[(&str, &[f64])],
) -> Result<DumpFrame, FrameError> {
    let n = sys.natoms();
    for (name, values) in extra {
        if values.len() != n {
            return Err(FrameError::ExtraColumnLength {
                name: name.to_string(),
                len: values.len(),
                natoms: n,
            });
        }
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(FrameError::BadColumnName {
                name: name.to_string(),
            });
        }
        columns.push((name.to_string(), values.to_vec()));
    }
    DumpFrame::from_columns(timestep, sys.simbox, columns)
}

/// The frame's header lines, from `ITEM: TIME` / `ITEM: TIMESTEP` to `ITEM: ATOMS …`.
fn write_header(w: &mut Vec<u8>, frame: &DumpFrame) -> std::io::Result<()> {
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
    writeln!(w, "ITEM: ATOMS {}", frame.columns.join(" "))
}
