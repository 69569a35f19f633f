//! Analyses of configurations (one file or folder per analysis, named after it).

pub mod atomic_stress;
pub mod d2min;
pub mod dmin;
pub mod dms;
pub mod fit;
pub mod voronoi;
