//! Reading the configurations of the analysis commands (data file or dump, frame N of a dump).
//!
//! LEAD: replace with `pelkit::io::read_configuration` once it reads dumps (today it returns
//! "dump support lands with the dump reader"); this goes through `DumpFile` for dumps meanwhile.

use std::path::Path;

use anyhow::{Context, Result};

use std::io::Read;

use pelkit::io::configuration::{detect_kind, FileKind};
use pelkit::io::dump::DumpFile;
use pelkit::io::read_configuration;
use pelkit::System;

/// One configuration: frame `frame` (0-based; default the last) of a dump, or a data file.
pub fn read_input(path: &Path, frame: Option<usize>) -> Result<System> {
    if is_dump(path)? {
        let dump = DumpFile::open(path)?;
        let n = dump.frames();
        let k = frame.unwrap_or(n.saturating_sub(1));
        let sys = dump
            .frame(k)?
            .to_system()
            .with_context(|| format!("{}: frame {k}", path.display()))?;
        Ok(sys)
    } else {
        Ok(read_configuration(path, frame)?)
    }
}

/// Whether `path` holds a LAMMPS text dump (by its first bytes, decompressed if gzip).
pub fn is_dump(path: &Path) -> Result<bool> {
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut head = Vec::with_capacity(256);
    file.take(256).read_to_end(&mut head)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let file = std::fs::File::open(path)?;
        head.clear();
        // A short read of a truncated stream still shows the first line.
        let _ = flate2::read::MultiGzDecoder::new(file)
            .take(256)
            .read_to_end(&mut head);
    }
    Ok(detect_kind(path, &head) == FileKind::Dump)
}
