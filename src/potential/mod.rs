//! Interatomic potentials (one file per family), evaluated exactly as LAMMPS evaluates them.

pub mod zhou2004;
