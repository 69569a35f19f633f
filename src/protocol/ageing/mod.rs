//! Stress-accelerated ageing (seed 001, Fig. 1): isothermal NVT annealing of a (possibly
//! pre-strained) glass with inherent-structure (IS) tracking. Every Δt the instantaneous state is
//! copied, the copy CG-minimized, and one [`IsRecord`] kept: time, E_IS, the force norms of the
//! IS and whether the minimizer met its tolerance, the shear stress of the instantaneous and of
//! the IS state. Independent runs (seeded velocities) go in parallel; rows are handed to the
//! caller as they are made, so a killed run keeps them and can resume from a checkpoint.
//!
//! * [`run`]: one annealing run (fresh or resumed) and the parallel driver;
//! * [`csv`]: the per-IS CSV (`pelkit anneal -o`), read back by `--resume` and by
//!   [`crate::analysis::ageing_map`].
//!
//! The maps Φ(E_IS, T), the ratio f = Φ^L/Φ^0 and the V_act fit are in
//! [`crate::analysis::ageing_map`].

pub mod csv;
pub mod run;

use serde::Serialize;
use thiserror::Error;

use crate::engine::{EngineError, MinimizeSettings, StopReason};
use crate::protocol::cyclic::ShearComponent;
use crate::units::Units;

pub use csv::{read_records, AnnealCsvError, CSV_HEADER};
pub use run::{run_anneal, run_anneal_set, AnnealStart};

/// Why an annealing run stopped (a non-converged IS is not one of these: it is flagged in its
/// record).
#[derive(Debug, Error)]
pub enum AnnealError {
    #[error("invalid annealing input: {0}")]
    InvalidInput(String),
    #[error("annealing run {run}: {source}")]
    Engine {
        run: usize,
        #[source]
        source: EngineError,
    },
    /// The caller's record handler failed (e.g. writing the CSV); the run stopped there.
    #[error("annealing run {run}: {message}")]
    Output { run: usize, message: String },
}

/// Everything an annealing run needs besides the glass and the potential.
#[derive(Debug, Clone)]
pub struct AnnealSettings {
    pub units: Units,
    /// Timestep (time units: ps metal, τ lj).
    pub dt: f64,
    /// Thermostat temperature (K or ε/k_B); also the T column of every record.
    pub temperature: f64,
    /// Nosé–Hoover damping time (time units).
    pub t_damp: f64,
    /// Total annealing length in steps.
    pub steps: u64,
    /// Steps between IS quenches (Δt / dt); the first IS is at t = 0.
    pub is_every: u64,
    /// Affine shear applied to the glass before annealing (`change_box all xy delta γ·ly remap`),
    /// kept fixed during the anneal (strain control).
    pub strain: Option<(ShearComponent, f64)>,
    /// CG settings of every IS quench (`minimize etol ftol maxiter maxeval`).
    pub minimize: MinimizeSettings,
    /// Velocity seed of run k is `seed + k`.
    pub seed: u64,
    /// Neighbor skin (distance units).
    pub skin: f64,
}

impl AnnealSettings {
    /// The shear component whose stress is recorded (xy without an imposed strain).
    pub fn component(&self) -> ShearComponent {
        self.strain.map_or(ShearComponent::Xy, |(c, _)| c)
    }

    pub(crate) fn validate(&self) -> Result<(), AnnealError> {
        let bad = |m: String| Err(AnnealError::InvalidInput(m));
        if !(self.dt.is_finite() && self.dt > 0.0) {
            return bad(format!("timestep must be > 0, got {}", self.dt));
        }
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return bad(format!("temperature must be > 0, got {}", self.temperature));
        }
        if !(self.t_damp.is_finite() && self.t_damp > 0.0) {
            return bad(format!(
                "thermostat damping must be > 0, got {}",
                self.t_damp
            ));
        }
        if self.is_every == 0 {
            return bad("the IS interval must be at least one step".into());
        }
        if self.steps < self.is_every {
            return bad(format!(
                "the annealing time ({} steps) is shorter than one IS interval ({} steps)",
                self.steps, self.is_every
            ));
        }
        if let Some((_, g)) = self.strain {
            if !g.is_finite() {
                return bad(format!("strain must be finite, got {g}"));
            }
        }
        if !(self.skin.is_finite() && self.skin >= 0.0) {
            return bad(format!("neighbor skin must be >= 0, got {}", self.skin));
        }
        self.minimize
            .validate()
            .map_err(|e| AnnealError::InvalidInput(e.to_string()))
    }
}

/// One inherent structure of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IsRecord {
    /// Run number (0-based).
    pub run: usize,
    /// IS number within the run: the IS at time `index · is_every · dt`.
    pub index: usize,
    pub step: u64,
    /// Annealing time (time units).
    pub time: f64,
    /// Thermostat temperature of the run.
    pub temperature: f64,
    /// IS energy per atom (energy units).
    pub e_is: f64,
    /// Shear stress σ = −p of the loading component (xy by default) of the IS (pressure units:
    /// bar metal, ε/σ³ lj).
    pub tau_is: f64,
    /// The same of the instantaneous state, kinetic part included (as LAMMPS `-pxy`).
    pub tau_inst: f64,
    /// Potential energy per atom of the instantaneous state.
    pub pe_inst: f64,
    /// Kinetic temperature of the instantaneous state.
    pub t_inst: f64,
    /// Euclidean norm of the 3N IS force vector (what `ftol` is compared with).
    pub fnorm2: f64,
    /// Largest IS force component.
    pub fnorm_inf: f64,
    /// The minimizer stopped on its energy or force tolerance (or zero forces); otherwise the IS
    /// is flagged and the maps skip the pairs it is part of.
    pub converged: bool,
    /// LAMMPS' stopping-criterion text (or the error when the quench failed).
    pub stop: String,
    pub iterations: usize,
    /// The imposed strain of the run.
    pub strain: f64,
}

/// A quench counts as converged when it stopped on a tolerance, never on an iteration limit or
/// a failed line search.
pub fn quench_converged(stop: StopReason) -> bool {
    matches!(
        stop,
        StopReason::ForceTolerance | StopReason::EnergyTolerance | StopReason::ForcesZero
    )
}
