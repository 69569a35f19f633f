//! LAMMPS data files (`read_data` / `write_data`): atomic and charge styles, orthogonal and
//! triclinic boxes, Masses, Atoms with optional image flags, Velocities.

mod atoms;
mod check;
mod read;
mod write;

pub use check::{check_data, report_data};
pub use read::{
    parse_data, read_data, read_data_with_notes, AtomStyle, DataFile, DataProblem, MAX_ATOM_TYPES,
    MAX_PROBLEMS,
};
pub use write::write_data;
