//! Analyses of configurations (one file or folder per analysis, named after it).

pub mod atomic_stress;
pub mod voronoi;
