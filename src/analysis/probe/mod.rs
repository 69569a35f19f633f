//! Single-atom probes of the constraining force field (seed 000 §2.3–2.4, §4.2–4.4): move one
//! atom i by dr·n̂ with every other atom fixed and measure its own energy change dE_atom (the
//! LAMMPS `pe/atom` split: half of each pair term plus atom i's whole embedding energy) and the
//! system's dE_sys.
//!
//! * [`directions`]: the (θ, φ) grid with the seed's solid-angle weights, Fibonacci sets, user
//!   lists;
//! * [`local_energy`]: the O(neighbours) kernel ([`LocalProbe`]): one probe re-evaluates only
//!   the pairs of atom i and the embedding energies of i and its neighbours;
//! * [`per_atom`]: per-atom Ω(dE_atom < 0)/4π, min dE_atom, dr(δE_atom^min), the
//!   direction-resolved fraction of atoms with dE_atom < 0, summary statistics;
//! * [`checks`]: warnings about the input (dr versus neighbour distances, residual forces);
//! * [`mollweide`]: the map projection of seed §4.2.
//!
//! Conventions: θ is the polar angle from +z in [0, π], φ the azimuth from +x in [0, 2π);
//! n̂ = (sinθ cosφ, sinθ sinφ, cosθ). Energies are in the potential's units.

pub mod checks;
pub mod directions;
pub mod local_energy;
pub mod mollweide;
pub mod per_atom;

use thiserror::Error;

use crate::geometry::NeighborError;
use crate::potential::PotentialError;

pub use checks::{input_checks, ProbeWarning};
pub use directions::{DirectionSet, Directions};
pub use local_energy::{LocalProbe, ProbeEnergy, Site};
pub use per_atom::{scan_atoms, AtomSummary, OmegaStats, ScanResult};

/// Everything that can go wrong setting up or running probes.
#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("atom id {0} is not in the configuration")]
    UnknownAtomId(u64),
    #[error("probe displacement dr = {0} must be positive and finite")]
    BadDr(f64),
    #[error("no probe displacement given (need at least one dr)")]
    NoDr,
    #[error("direction grid {ntheta}x{nphi}: both counts must be at least 1")]
    BadGrid { ntheta: usize, nphi: usize },
    #[error("{source_name} line {line}: {message}")]
    BadDirection {
        source_name: String,
        line: usize,
        message: String,
    },
    #[error("no directions given")]
    NoDirections,
    #[error(
        "probe of atom {atom_id}: non-finite energy (a pair left its table, or overlapping atoms)"
    )]
    NonFinite { atom_id: u64 },
    #[error(transparent)]
    Potential(#[from] PotentialError),
    #[error(transparent)]
    Neighbor(#[from] NeighborError),
}
