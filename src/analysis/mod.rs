//! Analyses of configurations (one file or folder per analysis, named after it).

pub mod ageing_map;
pub mod atomic_stress;
pub mod d2min;
pub mod dmin;
pub mod dms;
pub mod fit;
pub mod histogram;
pub mod id_pairing;
pub mod learn;
pub mod probe;
pub mod rdf;
pub mod state_change;
pub mod stiffness;
pub mod voronoi;
