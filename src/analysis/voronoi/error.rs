//! Errors of the Voronoi tessellation: every variant names the atom (LAMMPS id) it concerns.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum VoronoiError {
    /// Two atoms (or an atom and its own periodic image) at the same point: no bisector plane.
    #[error(
        "atoms {id} and {other_id} are at the same position: their Voronoi cells are undefined"
    )]
    CoincidentAtoms { id: u64, other_id: u64 },
    /// An atom lies outside the box along a non-periodic dimension, so the box wall leaves it
    /// no cell.
    #[error(
        "atom {id} lies outside the box along non-periodic dimension {axis} \
         (fractional coordinate {fractional}); its Voronoi cell bounded by the box walls is empty"
    )]
    AtomOutsideBox {
        id: u64,
        axis: char,
        fractional: f64,
    },
    /// A position is NaN or infinite.
    #[error("atom {id} has a non-finite position {position:?}")]
    NonFinitePosition { id: u64, position: [f64; 3] },
    /// The cell still has a face of the initial bounding cube after all neighbours (cannot happen
    /// for a valid box; reported rather than returning a wrong volume).
    #[error(
        "the Voronoi cell of atom {id} could not be closed by its neighbours or the box walls"
    )]
    CellNotClosed { id: u64 },
    /// Per-type radius missing or invalid, or a per-atom radius invalid.
    #[error("invalid radius for {what}: {value} (radii must be finite and ≥ 0)")]
    BadRadius { what: String, value: f64 },
    /// The per-atom radius column has the wrong length.
    #[error("{given} per-atom radii given for {natoms} atoms")]
    RadiusCount { given: usize, natoms: usize },
    /// The per-type radius list does not cover a type present in the system.
    #[error("no radius given for atom type {atom_type} (atom {id})")]
    MissingTypeRadius { atom_type: u32, id: u64 },
    /// A threshold is negative or not finite.
    #[error("invalid {what} threshold {value} (must be finite and ≥ 0)")]
    BadThreshold { what: &'static str, value: f64 },
    /// ids/types/positions of the system have different lengths.
    #[error("system arrays disagree: {natoms} positions, {nids} ids, {ntypes} types")]
    InconsistentSystem {
        natoms: usize,
        nids: usize,
        ntypes: usize,
    },
    /// A tessellation written out with a system it was not computed for.
    #[error("the tessellation has {cells} cells but the system has {natoms} atoms")]
    TessellationMismatch { cells: usize, natoms: usize },
}
