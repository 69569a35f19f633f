//! pelkit: a toolkit for the potential energy landscape of glasses simulated with LAMMPS.
//!
//! * [`geometry`]: the periodic (triclinic) box and neighbor lists.
//! * [`io`]: LAMMPS data, dump, EAM potential and log files.
//! * [`system`]: the atomic configuration all analyses work on.
//! * [`potential`]: EAM, Lennard-Jones and tabulated pair potentials, evaluated as LAMMPS does.
//! * [`engine`]: minimizers, MD and box deformation.
//! * [`units`]: the LAMMPS unit styles (lj, metal, real) and their constants.
//! * [`protocol`]: loops of engine and analysis steps (barriers under shear).
//! * [`analysis`]: Voronoi, atomic stress, D_min, D²min and the other analyses of the seeds.
//! * [`protocol`]: loops of engine steps and analyses (cyclic loading, MD-DMS, atomic stiffness).

pub mod analysis;
pub mod engine;
pub mod geometry;
pub mod io;
pub mod potential;
pub mod protocol;
pub mod random;
pub mod system;
pub mod units;

pub use geometry::SimBox;
pub use system::System;
