//! Voronoi tessellation of a configuration (radical/power diagram optional), per-atom volumes,
//! faces and Voronoi indices with OVITO's threshold rules.
//!
//! The approach is voro++'s: each atom's cell starts as a cube containing any possible cell, the
//! box walls cut it along non-periodic dimensions (as LAMMPS `compute voronoi/atom` clamps to the
//! box), and bisector planes (radical planes in radical mode) of neighbours cut it in order of
//! distance, found in growing shells of a bin grid in fractional coordinates, until no
//! unvisited neighbour can reach the cell: monodisperse, a neighbour at distance r cuts only if
//! r < 2·R_max (R_max = farthest vertex); radical, only if r < R_max + √(R_max² + ρ_max² − ρ_i²).
//!
//! * [`graph`]: the cell as a vertex–edge graph (every vertex of degree 3); a cut touches only
//!   what it removes; faces, areas and volume are read off the graph at the end.
//! * [`cell`]: the cell as face loops, which takes over an atom's cell from its first
//!   degenerate cut (a plane through a vertex, as in perfect crystals) on.
//! * [`bins`]: the bin grid and the bins within a search radius.
//! * [`tessellate`]: the driver, parallel over atoms (results independent of thread count).
//! * [`indices`]: OVITO's edge/face thresholds → Voronoi index and coordination.
//! * [`dump`]: a tessellation as the per-atom dump frame of `pelkit voronoi -o`.

pub mod bins;
pub mod cell;
pub mod dump;
pub mod error;
pub mod graph;
pub mod indices;
pub mod tessellate;

pub use cell::FaceLabel;
pub use error::VoronoiError;
pub use indices::IndexThresholds;
pub use tessellate::{tessellate, Radii, Tessellation, VoronoiFace, VoronoiOptions};
