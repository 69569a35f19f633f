//! Minimizers, molecular dynamics, box deformation and glass preparation.
//!
//! Everything here works on a [`crate::System`] through a [`ForceProvider`] (a potential plus
//! its neighbor list; [`potential_provider::PotentialProvider`] adapts the library's potentials)
//! and reproduces LAMMPS operation by operation:
//! * [`min_cg`] (`min_style cg`, line searches in [`min_linesearch`]) and [`min_fire`]
//!   (`min_style fire`, all `min_modify` integrators and ABC-FIRE; [`min_modify`] parses
//!   LAMMPS' keyword text), both returning a [`MinimizeSummary`] with LAMMPS' stop strings;
//! * [`deform`]: `change_box … remap`, the `fix deform` tilt flip and `wiggle` target;
//! * [`md`]: `fix nve`, `fix nvt` ([`thermostat_nh`]) and oscillatory shear, with
//!   [`velocity`] creation;
//! * melt–quench–minimize in [`quench`];
//! * [`saddle`]: ART nouveau, the nudged elastic band and path tortuosity.

pub mod deform;
pub mod error;
pub mod force_provider;
pub mod md;
pub mod min_cg;
pub mod min_fire;
pub mod min_linesearch;
pub mod min_modify;
pub mod minimize;
pub mod potential_provider;
pub mod quench;
pub mod saddle;
pub mod thermostat_nh;
pub mod velocity;

pub use error::EngineError;
pub use force_provider::{ForceProvider, ForceResult};
pub use minimize::{MinimizeSettings, MinimizeSummary, NormStyle, StopReason};
