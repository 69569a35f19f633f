//! Why a dump frame cannot be built in memory or give positions ([`super::DumpFrame`]).

use thiserror::Error;

/// What is wrong with a frame built from columns, or with a frame's coordinates.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum FrameError {
    #[error("column `{name}` has {len} values, expected {expected}")]
    ColumnLength {
        name: String,
        len: usize,
        expected: usize,
    },
    #[error("extra column `{name}` has {len} values, the system has {natoms} atoms")]
    ExtraColumnLength {
        name: String,
        len: usize,
        natoms: usize,
    },
    #[error("bad column name `{name}` (no spaces allowed)")]
    BadColumnName { name: String },
    #[error("bad atom id {value}")]
    BadId { value: f64 },
    #[error("frame at timestep {timestep} has no complete coordinate columns (expected x y z, xs ys zs, xu yu zu or xsu ysu zsu; found {found})")]
    NoCoordinates { timestep: u64, found: String },
    #[error("atom {id} at timestep {timestep} is more than 1e9 box lengths from the box: its image flags cannot be represented")]
    ImageOverflow { id: u64, timestep: u64 },
}
