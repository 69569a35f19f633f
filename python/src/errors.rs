//! Library errors as Python exceptions: file errors that come from the operating system →
//! `OSError`, every other library error (bad file content, bad arguments, physics refusals) →
//! `ValueError`, always with the library's message (which names the file, line and expectation).

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::PyErr;

use pelkit_core::io::FormatError;

/// A reader/writer error: `OSError` when the file could not be opened/read/written, else
/// `ValueError` (the file's content is wrong).
pub fn format_error(e: FormatError) -> PyErr {
    match &e {
        FormatError::Io { .. } => PyOSError::new_err(e.to_string()),
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// Any other library error: `ValueError` with the full message chain.
pub fn value_error(e: impl std::error::Error) -> PyErr {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        src = s.source();
    }
    PyValueError::new_err(msg)
}
