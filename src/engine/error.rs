//! The error type of the engine (minimizers, MD, deformation).

use thiserror::Error;

use crate::geometry::simbox::BoxError;

#[derive(Debug, Error)]
pub enum EngineError {
    /// The potential returned a non-finite energy; the system holds the last configuration whose
    /// energy was finite.
    #[error("energy became {energy} at {stage} (force evaluation {evaluation}); the last configuration with a finite energy was kept")]
    NonFiniteEnergy {
        energy: f64,
        stage: &'static str,
        evaluation: usize,
    },
    /// A deformation would give a box with a zero or negative length or a non-finite value.
    #[error("box would invert or become invalid during {stage}: {source}; the last valid box and positions were kept")]
    InvalidBox {
        stage: &'static str,
        #[source]
        source: BoxError,
    },
    /// Input the engine cannot work with (missing masses, wrong array sizes, bad settings…).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// An error reported by the force provider (potential or neighbor list).
    #[error("force evaluation failed: {0}")]
    Provider(String),
}
