//! Geometry: the periodic simulation box (orthogonal or triclinic) and neighbor lists.
//!
//! Conventions follow LAMMPS exactly (`Domain` in `src/domain.cpp`): a box is `lo`, `hi` and the
//! tilt factors `xy xz yz`; the edge vectors are a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz);
//! fractional ("lamda") coordinates are λ = h⁻¹·(x − lo) with the same operation order as
//! `Domain::x2lamda`, so round trips give the same bits as LAMMPS.

pub mod neighbor;
pub mod simbox;

pub use neighbor::{ListKind, NeighborError, NeighborList};
pub use simbox::{bounding_box, BoxError, NonFinitePosition, SimBox};
