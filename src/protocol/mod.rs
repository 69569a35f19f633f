//! Protocols: loops of engine and analysis steps (each step's physics lives in `engine` and
//! `analysis`).
//!
//! * [`strained_barriers`]: re-render minimum energy paths under an imposed shear (deform the
//!   end points affinely, re-relax them, re-run the NEB) and report ΔE_A (seed 001, Fig. 3a).

pub mod strained_barriers;
