//! Intra-cage cyclic loading (Li, Xiao, Egami & Fan, seed 000 §2.1–2.2): from one initial
//! minimum, for each strain γ of a sweep, an affine shear +γ (`change_box … remap`), a
//! minimization, the affine return to the original box (the exact original box bits) and a
//! second minimization; then what changed between the final and the initial minimum.
//!
//! Per γ ([`point::CyclicOutcome`]): Δσ_i = σ_fin,i − σ_ini,i of the loading-direction component
//! of the atomic-level stress (`stress/atom` ÷ Voronoi volume, as `pelkit stress`), δ(γ) =
//! RMS(Δσ_i)/RMS(σ_ini,i), the histogram of Δσ_i and its FWHM, Θ(γ) (1 when any Voronoi index
//! of the top 0.01 % most displaced atoms, at least one atom, changed), the number of atoms
//! whose index changed, ΔE, the largest displacement, the labelled and IS D_min. The first γ
//! with Θ = 1 is γ_c.b. ([`summary::cage_breaking_strain`]).
//!
//! * [`point`]: the initial state and one γ point (all physics delegated to `engine` and
//!   `analysis`);
//! * [`sweep`]: γ lists and the sweep, parallel over γ (each point is independent; results do
//!   not depend on the thread count or the order points finish in);
//! * [`summary`]: γ_c.b. and mean ± standard error over independent samples.

pub mod point;
pub mod summary;
pub mod sweep;

use crate::units::Units;
use thiserror::Error;

use crate::engine::min_fire::FireSettings;
use crate::engine::{EngineError, MinimizeSettings};
use crate::geometry::simbox::{XY, XZ, YZ};

pub use point::{run_point, CyclicOutcome, CyclicPoint, InitialState, PointFailure};
pub use summary::{cage_breaking_strain, summarize, GammaSummary};
pub use sweep::{log_spaced, parse_gamma_list, run_sweep};

/// Errors that stop the whole protocol (a single γ point failing is not one of them: it is
/// recorded in [`CyclicPoint::outcome`]).
#[derive(Debug, Error)]
pub enum CyclicError {
    #[error("invalid cyclic-loading input: {0}")]
    InvalidInput(String),
    #[error("initial state: {0}")]
    Engine(#[from] EngineError),
    #[error("initial state: potential evaluation failed: {0}")]
    Potential(#[from] crate::potential::PotentialError),
    #[error("initial state: Voronoi tessellation failed: {0}")]
    Voronoi(#[from] crate::analysis::voronoi::VoronoiError),
    #[error("initial state: atomic stress: {0}")]
    Stress(#[from] crate::analysis::atomic_stress::AtomicStressError),
}

/// The loading shear component: engineering strain γ adds γ·ly to xy, γ·lz to xz or yz.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ShearComponent {
    Xy,
    Xz,
    Yz,
}

impl ShearComponent {
    /// Parse `xy`, `xz` or `yz`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "xy" => Some(ShearComponent::Xy),
            "xz" => Some(ShearComponent::Xz),
            "yz" => Some(ShearComponent::Yz),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            ShearComponent::Xy => "xy",
            ShearComponent::Xz => "xz",
            ShearComponent::Yz => "yz",
        }
    }
    /// Index of the tilt factor in `SimBox::tilt`.
    pub fn tilt_index(self) -> usize {
        match self {
            ShearComponent::Xy => XY,
            ShearComponent::Xz => XZ,
            ShearComponent::Yz => YZ,
        }
    }
    /// Index of the box length the tilt is divided by to give the strain (y for xy, z else).
    pub fn length_axis(self) -> usize {
        match self {
            ShearComponent::Xy => 1,
            _ => 2,
        }
    }
    /// Index of the component in a stress row `[xx, yy, zz, xy, xz, yz]`.
    pub fn stress_index(self) -> usize {
        3 + self.tilt_index()
    }
}

/// The minimizer used for both relaxations.
#[derive(Debug, Clone, PartialEq)]
pub enum CyclicMinimizer {
    Cg,
    Fire(FireSettings),
}

/// Everything the protocol needs besides the configuration, the potential and the γ list.
#[derive(Debug, Clone)]
pub struct CyclicSettings {
    pub component: ShearComponent,
    pub minimizer: CyclicMinimizer,
    /// `minimize etol ftol maxiter maxeval` + `min_modify` (normalization as the units say).
    pub minimize: MinimizeSettings,
    pub units: Units,
    /// Neighbor skin (distance units).
    pub skin: f64,
    /// Fraction of most displaced atoms whose Voronoi indices define Θ (seed: 0.01 % = 1e-4;
    /// at least one atom).
    pub top_fraction: f64,
    /// Bins of the Δσ histogram, over ±(99th percentile of |Δσ_i|) (the 1 % of largest
    /// changes are counted outside, so they do not coarsen the central peak).
    pub histogram_bins: usize,
    /// A relaxation whose final force two-norm exceeds this (force units) marks the point
    /// failed, as does a stop on maxiter/maxeval. Default: the ftol of `minimize` when it is
    /// non-zero (fails to reach ftol), else no limit.
    pub max_final_fnorm: f64,
    /// Compute the exact IS D_min (relabelling); the labelled D_min is always computed.
    pub is_dmin: bool,
    /// Keep each point's final configuration in memory (for `--save-states`).
    pub keep_final_state: bool,
}

impl CyclicSettings {
    /// CG, `minimize 0 ftol 100000 1000000`, LAMMPS `min_modify` defaults, the units' default
    /// skin (0.3 lj, 2.0 metal), Θ over the top 0.01 %, 100 histogram bins.
    pub fn new(units: Units, component: ShearComponent, ftol: f64) -> Self {
        CyclicSettings {
            component,
            minimizer: CyclicMinimizer::Cg,
            minimize: MinimizeSettings::new(0.0, ftol, 100_000, 1_000_000, units.default_norm()),
            units,
            skin: units.default_skin(),
            top_fraction: 1e-4,
            histogram_bins: 100,
            max_final_fnorm: if ftol > 0.0 { ftol } else { f64::INFINITY },
            is_dmin: true,
            keep_final_state: false,
        }
    }

    pub(crate) fn validate(&self) -> Result<(), CyclicError> {
        if !(self.top_fraction > 0.0 && self.top_fraction <= 1.0) {
            return Err(CyclicError::InvalidInput(format!(
                "top fraction must be in (0, 1], got {}",
                self.top_fraction
            )));
        }
        if self.histogram_bins == 0 {
            return Err(CyclicError::InvalidInput(
                "histogram needs at least one bin".into(),
            ));
        }
        if !(self.skin.is_finite() && self.skin >= 0.0) {
            return Err(CyclicError::InvalidInput(format!(
                "neighbor skin must be finite and >= 0, got {}",
                self.skin
            )));
        }
        if self.max_final_fnorm.is_nan() || self.max_final_fnorm <= 0.0 {
            return Err(CyclicError::InvalidInput(format!(
                "max final force norm must be > 0, got {}",
                self.max_final_fnorm
            )));
        }
        self.minimize.validate()?;
        if let CyclicMinimizer::Fire(f) = &self.minimizer {
            f.validate()?;
        }
        Ok(())
    }
}
