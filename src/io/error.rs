//! The one error type of every reader and writer: it always names the file, and the line where
//! there is one, and says what was expected.

use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum FormatError {
    /// The file could not be opened, read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line does not have the expected form.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The file is well formed line by line but inconsistent as a whole
    /// (counts that do not add up, a missing section, an impossible box…).
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl FormatError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        FormatError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
    pub fn syntax(path: &Path, line: usize, message: impl Into<String>) -> Self {
        FormatError::Syntax {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }
    pub fn invalid(path: &Path, message: impl Into<String>) -> Self {
        FormatError::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}
