//! Readers and writers of the files LAMMPS users already have: data files, text dumps, EAM
//! potential files and log files. One file per format; all errors are [`FormatError`].

pub mod eam_file;
pub mod error;

pub use error::FormatError;
