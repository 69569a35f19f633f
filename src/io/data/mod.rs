//! LAMMPS data files (`read_data` / `write_data`): atomic and charge styles, orthogonal and
//! triclinic boxes, Masses, Atoms with optional image flags, Velocities.

mod write;

pub use write::write_data;
