//! `pelkit check` for any file: detect the format from the content and run that format's full
//! validation. Each format is one arm of [`check_file`].

use std::path::Path;

use crate::io::configuration::{detect_file, read_bytes, FileKind};
use crate::io::{FileReport, FormatError};

/// Validate a whole file (every value parsed) and report its contents and problems.
///
/// The format is detected from the file's first megabyte; dumps are then memory-mapped (or
/// streamed when gzip) by their own checker, other formats are read whole.
pub fn check_file(path: &Path) -> Result<FileReport, FormatError> {
    let kind = detect_file(path)?;
    if kind == FileKind::Dump {
        return crate::io::dump::check(path);
    }
    let bytes = read_bytes(path)?;
    match kind {
        FileKind::Data => Ok(crate::io::data::report_data(&crate::io::data::parse_data(
            &bytes, path,
        )?)),
        FileKind::Log => Ok(crate::io::log::report_log(&crate::io::log::parse_log(
            &bytes, path,
        )?)),
        FileKind::Dump => crate::io::dump::check(path),
        FileKind::Eam => crate::io::eam_file::check_bytes(&bytes, path),
    }
}
