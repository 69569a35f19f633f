//! Inherent-structure minimal displacement D_min (Yu et al., seed 004): the RMS displacement
//! between two configurations after the best relabelling of identical atoms, solved exactly as a
//! sparse linear assignment with a proof of optimality.
//!
//! D_min = [ (1/N) min_σ Σ_i |r_σ(i)(cur) − r_i(ref)|² ]^½ with minimum-image distances
//! (orthogonal or triclinic). By default atoms are relabelled only among atoms of the same type.
//!
//! How it stays exact at any size (see [`driver`]):
//! 1. candidate edges: for each reference atom, the current atoms of its type within a radius R_i
//!    (exact minimum-image radius, bin grid on fractional coordinates, [`candidates`]);
//! 2. shortest augmenting paths with dual potentials on the candidates ([`solver`]), warm-started
//!    from the cheapest-candidate labelling, which keeps the identity partner on ties;
//! 3. a certificate ([`certificate`]): every edge outside the candidates has cost > R_i², so the
//!    duals are feasible for the full dense problem when R_i² ≥ u_i + max_j v_j; rows where that
//!    fails get a larger radius and the solve continues. The answer is never silently sub-optimal.

pub mod candidates;
pub mod certificate;
pub mod driver;
pub mod series;
pub mod solver;

pub use driver::{is_dmin, DminOptions, DminResult};
pub use series::{series_pairs, SeriesMode};

use thiserror::Error;

use crate::analysis::id_pairing::PairingError;

/// Why two configurations cannot be compared.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DminError {
    /// The atoms cannot be paired by id (count, duplicate or missing ids, non-finite positions).
    #[error(transparent)]
    Pairing(#[from] PairingError),
    #[error("type {atom_type} has {reference} atoms in the reference but {current} in the current configuration (use all_types to let atoms of different types swap)")]
    TypeCount {
        atom_type: u32,
        reference: usize,
        current: usize,
    },
    #[error("the boxes differ: {what} is {reference} in the reference but {current} in the current configuration (D_min needs one periodic cell)")]
    BoxMismatch {
        what: String,
        reference: f64,
        current: f64,
    },
    #[error("atom id {id} has a different type in the current configuration than in the reference (use all_types to let atoms of different types swap)")]
    TypeChanged { id: u64 },
    #[error("no complete assignment exists (atom id {id} has no partner it may take)")]
    Unsolvable { id: u64 },
    #[error("the configurations have no atoms")]
    Empty,
}
