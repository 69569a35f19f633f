//! Readers and writers of the files LAMMPS users already have: data files, text dumps, EAM
//! potential files and log files. One file per format; all errors are [`FormatError`].

pub mod data;
pub mod dump;
pub mod eam_file;
pub mod error;
pub mod report;

pub use error::FormatError;
pub use report::{BoxReport, ColumnStats, FileReport};
