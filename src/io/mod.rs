//! Readers and writers of the files LAMMPS users already have: data files, text dumps, EAM
//! potential files, pair table files and log files. One file per format; all errors are
//! [`FormatError`]. [`read_configuration`] reads any configuration; [`check_file`] validates
//! any file.

pub mod check;
pub mod columns;
pub mod configuration;
pub mod csv_table;
pub mod data;
pub mod dump;
pub mod eam_file;
pub mod error;
pub mod log;
pub mod potential_path;
pub mod report;
pub mod table_file;
pub(crate) mod text;

pub use check::check_file;
pub use configuration::{open_configuration, read_configuration, FileKind, OpenedConfiguration};
pub use error::FormatError;
pub use report::{BoxReport, ColumnStats, FileReport};
