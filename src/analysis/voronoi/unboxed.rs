//! Voronoi cells of atoms given without a box (a LAMMPS rank's owned atoms followed by its ghost
//! atoms, as the C ABI and the LAMMPS plugin hand them over): the atoms are tessellated inside
//! non-periodic walls [`WALL_MARGIN`] beyond their bounding box, as `compute voronoi/atom` does
//! on one rank.

use thiserror::Error;

use crate::analysis::voronoi::{tessellate, Tessellation, VoronoiError, VoronoiOptions};
use crate::geometry::simbox::{bounding_box, BoxError, NonFinitePosition, SimBox};
use crate::system::System;

/// Distance (distance units) from the outermost atoms to the walls of [`walled_system`].
pub const WALL_MARGIN: f64 = 1.0;

/// Why atoms given without a box could not be tessellated.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum UnboxedError {
    #[error(transparent)]
    NonFinite(#[from] NonFinitePosition),
    #[error("invalid box: {0}")]
    Box(#[from] BoxError),
    #[error(transparent)]
    Voronoi(#[from] VoronoiError),
}

/// The atoms (`types`, positions `x`, ids 1..=n in the given order) in a non-periodic box with
/// walls [`WALL_MARGIN`] beyond their bounding box.
pub fn walled_system(types: Vec<u32>, x: &[[f64; 3]]) -> Result<System, UnboxedError> {
    let (lo, hi) = bounding_box(x)?;
    let walls = SimBox::walled(lo, hi, WALL_MARGIN)?;
    Ok(System::new(
        walls,
        (1..=x.len() as u64).collect(),
        types,
        x.to_vec(),
    ))
}

/// Voronoi cells of atoms given without a box, all of them, in the given order (see
/// [`walled_system`]). The cells of atoms deeper than a cell's reach inside the set (a rank's
/// owned atoms under a thick enough ghost shell) equal those of the periodic system.
pub fn tessellate_unboxed(
    types: Vec<u32>,
    x: &[[f64; 3]],
    options: &VoronoiOptions,
) -> Result<Tessellation, UnboxedError> {
    let sys = walled_system(types, x)?;
    Ok(tessellate(&sys, options)?)
}
