//! The single entry point every command uses to read a configuration: format detection by
//! content (data file, text dump, gzip by magic bytes) and dispatch to the format's reader.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::io::dump::DumpFile;
use crate::io::text::is_gzip;
use crate::io::FormatError;
use crate::system::System;

/// File formats pelkit recognises from their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// LAMMPS data file (`read_data` / `write_data`).
    Data,
    /// LAMMPS text dump (starts with `ITEM: TIMESTEP`).
    Dump,
    /// LAMMPS log file (starts with `LAMMPS (`).
    Log,
    /// EAM potential file (`.eam`, `.eam.alloy`, `.eam.fs`, `.setfl`, `.fs` by name).
    Eam,
}

/// The bytes of a file, decompressed when it starts with the gzip magic bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FormatError> {
    let raw = std::fs::read(path).map_err(|e| FormatError::io(path, e))?;
    if !is_gzip(&raw) {
        return Ok(raw);
    }
    let mut out = Vec::with_capacity(raw.len().saturating_mul(4));
    flate2::read::MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|e| FormatError::invalid(path, format!("corrupt gzip stream: {e}")))?;
    Ok(out)
}

/// Bytes [`detect_kind`] looks at: the first megabyte.
pub(crate) const DETECT_BYTES: u64 = 1 << 20;

/// The first `limit` bytes of a file (decompressed when it starts with the gzip magic bytes),
/// for format detection without reading a large file twice.
pub(crate) fn read_head(path: &Path, limit: u64) -> Result<Vec<u8>, FormatError> {
    let mut f = std::fs::File::open(path).map_err(|e| FormatError::io(path, e))?;
    let mut raw = Vec::new();
    (&mut f)
        .take(limit)
        .read_to_end(&mut raw)
        .map_err(|e| FormatError::io(path, e))?;
    if !is_gzip(&raw) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
        std::fs::File::open(path).map_err(|e| FormatError::io(path, e))?,
    ))
    .take(limit)
    .read_to_end(&mut out)
    .map_err(|e| FormatError::invalid(path, format!("corrupt gzip stream: {e}")))?;
    Ok(out)
}

/// Decide the format from the (decompressed) content and, for EAM potentials, the file name.
pub fn detect_kind(path: &Path, bytes: &[u8]) -> FileKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let start = crate::io::text::trim(&bytes[..bytes.len().min(256)]);
    if start.starts_with(b"ITEM:") {
        FileKind::Dump
    } else if start.starts_with(b"LAMMPS (") || looks_like_log(bytes) {
        FileKind::Log
    } else if [".eam", ".eam.alloy", ".eam.fs", ".setfl", ".fs", ".alloy"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        FileKind::Eam
    } else {
        FileKind::Data
    }
}

/// A log without the version line (one opened by the `log` command mid-input): LAMMPS' run
/// set-up or end-of-run lines within the first megabyte. Data files never hold them.
fn looks_like_log(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(DETECT_BYTES as usize)];
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    has(b"Per MPI rank memory allocation") || has(b"\nLoop time of ")
}

/// The format of a file, detected once from its first megabyte (decompressed when gzip) and, for
/// EAM potentials, its name: the one detection every reader and `check` use.
pub fn detect_file(path: &Path) -> Result<FileKind, FormatError> {
    Ok(detect_kind(path, &read_head(path, DETECT_BYTES)?))
}

/// A configuration file opened after one format detection: a data file parsed into its system,
/// or a dump indexed (memory-mapped, or streamed when gzip) whose frames are read on demand.
pub enum OpenedConfiguration {
    /// A LAMMPS data file (one configuration).
    Data { path: PathBuf, system: System },
    /// A LAMMPS text dump, handed over open so callers iterate its frames without re-opening.
    Dump(DumpFile),
}

/// Open a configuration file: detect the format from its head ([`detect_file`]), then parse a
/// data file or index a dump. Logs and EAM files are errors naming what was expected.
pub fn open_configuration(path: &Path) -> Result<OpenedConfiguration, FormatError> {
    match detect_file(path)? {
        FileKind::Data => {
            let bytes = read_bytes(path)?;
            let file = crate::io::data::parse_data(&bytes, path)?;
            if let Some(p) = file.problems.first() {
                return Err(FormatError::syntax(path, p.line, p.message.clone()));
            }
            Ok(OpenedConfiguration::Data {
                path: path.to_path_buf(),
                system: file.system,
            })
        }
        FileKind::Dump => Ok(OpenedConfiguration::Dump(DumpFile::open(path)?)),
        FileKind::Log => Err(FormatError::invalid(
            path,
            "this is a LAMMPS log file, not a configuration (expected a data file or a dump)",
        )),
        FileKind::Eam => Err(FormatError::invalid(
            path,
            "this is an EAM potential file, not a configuration (expected a data file or a dump)",
        )),
    }
}

impl OpenedConfiguration {
    /// One configuration (`frame`: 0-based frame of a dump, default the last; must be `None` or
    /// `Some(0)` for a data file).
    pub fn into_system(self, frame: Option<usize>) -> Result<System, FormatError> {
        match self {
            OpenedConfiguration::Data { path, system } => {
                if let Some(f) = frame.filter(|&f| f > 0) {
                    return Err(FormatError::invalid(
                        &path,
                        format!("a data file holds one configuration: frame {f} does not exist (expected frame 0 or none)"),
                    ));
                }
                Ok(system)
            }
            OpenedConfiguration::Dump(mut dump) => {
                let n = dump.frames();
                if n == 0 {
                    let path = dump.path().to_path_buf();
                    return Err(dump.truncated.take().unwrap_or_else(|| {
                        FormatError::invalid(&path, "the dump holds no frame")
                    }));
                }
                let k = frame.unwrap_or(n - 1);
                if k >= n {
                    return Err(FormatError::invalid(
                        dump.path(),
                        format!(
                            "frame {k} does not exist: the dump holds {n} complete frames (0..{})",
                            n - 1
                        ),
                    ));
                }
                dump.frame(k)?.to_system()
            }
        }
    }
}

/// Read one configuration from a data file or a dump (`frame`: 0-based frame of a dump, default
/// the last; must be `None` or `Some(0)` for a data file). `.gz` files are recognised by their
/// magic bytes. The file is detected and opened once ([`open_configuration`]).
pub fn read_configuration(path: &Path, frame: Option<usize>) -> Result<System, FormatError> {
    open_configuration(path)?.into_system(frame)
}
