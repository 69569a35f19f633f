//! Dynamic mechanical spectroscopy of an MD run (MD-DMS, seed 004 Eq. 4–6): the fit of the shear
//! stress response σ(t) = σ0 + σA·sin(2πt/t_w + δ) to an imposed strain γ(t) = γA·sin(2πt/t_w),
//! and the storage and loss moduli G′ = (σA/γA)·cos δ, G″ = (σA/γA)·sin δ.
//!
//! Sign conventions: σ is the shear *stress* (tension positive), so from a LAMMPS pressure tensor
//! σ_xy = −p_xy ([`shear_stress_from_pxy`]); t = 0 is the start of the oscillation (the first step
//! of the run with `fix deform … wiggle`); δ ∈ (−π, π], 0 for an elastic solid, π/2 for a
//! Newtonian liquid.

pub mod accumulator;
pub mod sine_fit;

pub use accumulator::OscillationAccumulator;
pub use sine_fit::{fit_oscillation, OscillationFit, OscillationFitOptions};

use thiserror::Error;

/// Why an oscillatory-shear record cannot be fitted.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DmsError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("the record covers {cycles} whole cycle(s) of period {period} (from t = {t_first} to t = {t_last}); the fit needs at least 2")]
    TooFewCycles {
        cycles: usize,
        period: f64,
        t_first: f64,
        t_last: f64,
    },
    #[error("no cycle is left to fit: {cycles} whole cycle(s) recorded, {transient} dropped as transient")]
    NoCycleLeft { cycles: usize, transient: usize },
    #[error("the sine fit is singular: {0}")]
    Singular(String),
}

/// σ_xy = −p_xy: LAMMPS' pressure tensor component is the negative of the shear stress.
pub fn shear_stress_from_pxy(pxy: &[f64]) -> Vec<f64> {
    pxy.iter().map(|p| -p).collect()
}

/// The number of timesteps in one period, and a warning when the period is not a whole number of
/// timesteps (relative mismatch > 1e-9; the strain then does not return to 0 on a step).
pub fn steps_per_period(period: f64, dt: f64) -> Result<(u64, Option<String>), DmsError> {
    if !(period.is_finite() && period > 0.0 && dt.is_finite() && dt > 0.0) {
        return Err(DmsError::InvalidInput(format!(
            "period ({period}) and timestep ({dt}) must be > 0"
        )));
    }
    let ratio = period / dt;
    let steps = ratio.round();
    if steps < 1.0 {
        return Err(DmsError::InvalidInput(format!(
            "the period {period} is shorter than one timestep {dt}"
        )));
    }
    let warning = ((ratio - steps).abs() > 1e-9 * ratio).then(|| {
        format!(
            "the period {period} is not a multiple of the timestep {dt} ({ratio} steps); \
             cycles end between steps"
        )
    });
    Ok((steps as u64, warning))
}
