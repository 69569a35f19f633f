//! Minimizers, molecular dynamics and box deformation.
//!
//! Everything here works on a [`crate::System`] through a [`ForceProvider`] (the potential plus
//! its neighbor list) and reproduces the algorithms of LAMMPS `minimize` (`cg`, `fire`),
//! `change_box … remap`, `fix deform`, `fix nve` and `fix nvt` operation by operation.

pub mod deform;
pub mod error;
pub mod force_provider;
pub mod md;
pub mod min_cg;
pub mod min_fire;
pub mod min_linesearch;
pub mod minimize;
pub mod potential_provider;
pub mod quench;
pub mod thermostat_nh;
pub mod units;
pub mod velocity;

pub use error::EngineError;
pub use force_provider::{ForceProvider, ForceResult};
pub use minimize::{MinimizeSettings, MinimizeSummary, NormStyle, StopReason};
pub use units::Units;
