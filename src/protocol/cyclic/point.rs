//! The initial state of a cyclic-loading run and one γ point: load, relax, unload, relax,
//! compare. Deformation is `engine::deform::change_box` (remap), relaxation `engine`'s CG or
//! FIRE, comparison `analysis::{atomic_stress, voronoi, state_change, histogram, dmin}`.

use serde::Serialize;

use super::{CyclicError, CyclicMinimizer, CyclicSettings};
use crate::analysis::atomic_stress::atomic_stresses;
use crate::analysis::dmin::{is_dmin, DminOptions};
use crate::analysis::histogram::Histogram;
use crate::analysis::state_change::{
    displacements, magnitudes, most_displaced, relative_rms_change, rms, voronoi_index_changed,
};
use crate::analysis::voronoi::{tessellate, Tessellation, VoronoiOptions};
use crate::engine::deform::{change_box, make_triclinic, BoxOp};
use crate::engine::min_cg::minimize_cg;
use crate::engine::min_fire::minimize_fire;
use crate::engine::potential_provider::PotentialProvider;
use crate::engine::{MinimizeSummary, StopReason};
use crate::potential::Potential;
use crate::System;

/// The reference minimum every γ point starts from, with what the comparison needs.
#[derive(Debug, Clone)]
pub struct InitialState {
    /// The configuration (made triclinic if it was orthogonal; velocities dropped).
    pub system: System,
    /// Total potential energy.
    pub energy: f64,
    /// Loading-direction component of the atomic-level stress σ_i (pressure units).
    pub sigma: Vec<f64>,
    pub tessellation: Tessellation,
    /// Euclidean norm of the 3N force vector and the largest per-atom force magnitude: a start
    /// that is not a minimum (fnorm above the minimizer's ftol) deserves a warning.
    pub fnorm: f64,
    pub max_force: f64,
}

impl InitialState {
    /// Evaluate the start: energy, forces, σ_i (loading component) and Voronoi cells.
    pub fn new(
        mut system: System,
        potential: &Potential,
        settings: &CyclicSettings,
    ) -> Result<Self, CyclicError> {
        settings.validate()?;
        if system.natoms() == 0 {
            return Err(CyclicError::InvalidInput("the system has no atoms".into()));
        }
        if !system.simbox.triclinic {
            make_triclinic(&mut system);
        }
        system.velocities = None;
        let (energy, sigma, tessellation, forces) = state_stress(&system, potential, settings)?;
        let fnorm = forces
            .iter()
            .map(|f| f[0] * f[0] + f[1] * f[1] + f[2] * f[2])
            .sum::<f64>()
            .sqrt();
        let max_force = forces
            .iter()
            .map(|f| (f[0] * f[0] + f[1] * f[1] + f[2] * f[2]).sqrt())
            .fold(0.0, f64::max);
        Ok(InitialState {
            system,
            energy,
            sigma,
            tessellation,
            fnorm,
            max_force,
        })
    }

    /// Whether the start is a minimum by the minimizer's own force criterion.
    pub fn is_minimized(&self, settings: &CyclicSettings) -> bool {
        self.fnorm <= settings.max_final_fnorm
    }
}

type StateStress = (f64, Vec<f64>, Tessellation, Vec<[f64; 3]>);

/// Energy, loading-component σ_i = S_i/Ω_i (Voronoi Ω_i), tessellation and forces of a state.
fn state_stress(
    sys: &System,
    potential: &Potential,
    settings: &CyclicSettings,
) -> Result<StateStress, CyclicError> {
    let ev = potential.evaluate_system(sys)?;
    let tess = tessellate(sys, &VoronoiOptions::default())?;
    let s = ev.stress_atom(sys, settings.units);
    let stresses = atomic_stresses(&s, &tess.volumes)?;
    let k = settings.component.stress_index();
    let sigma = stresses.iter().map(|a| a.sigma[k]).collect();
    Ok((ev.energy, sigma, tess, ev.forces))
}

/// Why a γ point has no result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointFailure {
    /// `load`, `load minimization`, `unload`, `unload minimization` or `analysis`.
    pub stage: String,
    pub reason: String,
}

/// What one successful load–relax–unload–relax cycle changed.
#[derive(Debug, Clone, Serialize)]
pub struct CyclicOutcome {
    /// δ = RMS(Δσ_i)/RMS(σ_ini,i).
    pub delta: f64,
    pub rms_dsigma: f64,
    pub rms_sigma_initial: f64,
    /// FWHM of the Δσ_i histogram (pressure units).
    pub fwhm: f64,
    /// Θ(γ): a Voronoi index of the top-fraction most displaced atoms changed.
    pub theta: bool,
    /// Number of atoms in that top fraction, and how many of them changed index.
    pub top_atoms: usize,
    pub top_changed: usize,
    /// Atoms (of all) whose Voronoi index changed.
    pub changed_indices: usize,
    /// Final − initial total potential energy.
    pub delta_energy: f64,
    pub energy_final: f64,
    /// Largest minimum-image displacement final − initial.
    pub max_displacement: f64,
    /// Labelled D_min (RMS displacement, same ids).
    pub labelled_dmin: f64,
    /// Exact IS D_min (optimal relabelling within types); `None` when not requested.
    pub is_dmin: Option<f64>,
    pub load: MinimizeSummary,
    pub unload: MinimizeSummary,
    #[serde(skip)]
    pub histogram: Histogram,
    /// Δσ_i in the system's atom order.
    #[serde(skip)]
    pub dsigma: Vec<f64>,
    #[serde(skip)]
    pub final_state: Option<System>,
}

/// One γ point: the strain and its outcome (or why it failed).
#[derive(Debug, Clone)]
pub struct CyclicPoint {
    pub gamma: f64,
    pub outcome: Result<CyclicOutcome, PointFailure>,
}

fn fail(stage: &str, reason: impl ToString) -> PointFailure {
    PointFailure {
        stage: stage.to_string(),
        reason: reason.to_string(),
    }
}

/// Minimize with the settings' minimizer; a stop on a limit or a final force norm above the
/// settings' limit is a failure.
fn relax(
    sys: &mut System,
    potential: &Potential,
    settings: &CyclicSettings,
    stage: &str,
) -> Result<MinimizeSummary, PointFailure> {
    let mut provider =
        PotentialProvider::new(potential.clone(), settings.skin).map_err(|e| fail(stage, e))?;
    let summary = match &settings.minimizer {
        CyclicMinimizer::Cg => minimize_cg(sys, &mut provider, &settings.minimize),
        CyclicMinimizer::Fire(f) => {
            minimize_fire(sys, &mut provider, &settings.minimize, f, settings.units)
        }
    }
    .map_err(|e| fail(stage, e))?;
    let limit_stop = matches!(
        summary.stop,
        StopReason::MaxIterations
            | StopReason::MaxForceEvaluations
            | StopReason::MaxIterationsVdotFNegative
    );
    if limit_stop || summary.fnorm2_final > settings.max_final_fnorm {
        return Err(fail(
            stage,
            format!(
                "did not reach ftol: stopped on \"{}\" after {} iterations with force two-norm \
                 {:.3e} (limit {:.3e})",
                summary.stop, summary.iterations, summary.fnorm2_final, settings.max_final_fnorm
            ),
        ));
    }
    Ok(summary)
}

/// Run one γ point from `initial` (γ > 0 loads in the positive sense, γ < 0 in the negative).
/// γ = 0 is the identity cycle: no deformation and nothing to relax, so the final state is the
/// initial one and δ = 0, Θ = 0, ΔE = 0 exactly (a check that the comparison adds nothing).
pub fn run_point(
    initial: &InitialState,
    potential: &Potential,
    gamma: f64,
    settings: &CyclicSettings,
) -> CyclicPoint {
    CyclicPoint {
        gamma,
        outcome: cycle(initial, potential, gamma, settings),
    }
}

fn cycle(
    initial: &InitialState,
    potential: &Potential,
    gamma: f64,
    settings: &CyclicSettings,
) -> Result<CyclicOutcome, PointFailure> {
    if !gamma.is_finite() {
        return Err(fail("load", format!("strain {gamma} is not finite")));
    }
    if gamma == 0.0 {
        let summary = MinimizeSummary {
            stop: StopReason::ForceTolerance,
            energy_initial: initial.energy,
            energy_next_to_last: initial.energy,
            energy_final: initial.energy,
            energy_total_final: initial.energy,
            energy_per_atom: false,
            fnorm2_initial: initial.fnorm,
            fnorm2_final: initial.fnorm,
            fnorm_inf_initial: initial.max_force,
            fnorm_inf_final: initial.max_force,
            iterations: 0,
            force_evaluations: 0,
        };
        let fin = initial.system.clone();
        return compare(initial, fin, potential, settings, summary.clone(), summary)
            .map_err(|e| fail("analysis", e));
    }
    let tilt = settings.component.tilt_index();
    let original_box = initial.system.simbox;
    let length = original_box.lengths()[settings.component.length_axis()];
    let mut sys = initial.system.clone();
    change_box(
        &mut sys,
        &[BoxOp::TiltDelta {
            tilt,
            delta: gamma * length,
        }],
        true,
    )
    .map_err(|e| fail("load", e))?;
    let load = relax(&mut sys, potential, settings, "load minimization")?;
    change_box(
        &mut sys,
        &[BoxOp::TiltFinal {
            tilt,
            value: original_box.tilt[tilt],
        }],
        true,
    )
    .map_err(|e| fail("unload", e))?;
    if sys.simbox != original_box {
        return Err(fail(
            "unload",
            format!(
                "box after unloading {:?} differs from the original {:?}",
                sys.simbox, original_box
            ),
        ));
    }
    let unload = relax(&mut sys, potential, settings, "unload minimization")?;
    compare(initial, sys, potential, settings, load, unload).map_err(|e| fail("analysis", e))
}

fn compare(
    initial: &InitialState,
    fin: System,
    potential: &Potential,
    settings: &CyclicSettings,
    load: MinimizeSummary,
    unload: MinimizeSummary,
) -> Result<CyclicOutcome, String> {
    let (energy_final, sigma, tess, _) =
        state_stress(&fin, potential, settings).map_err(|e| e.to_string())?;
    let change = relative_rms_change(&initial.sigma, &sigma).map_err(|e| e.to_string())?;
    let histogram = Histogram::symmetric_quantile(&change.change, settings.histogram_bins, 0.99)
        .map_err(|e| e.to_string())?;
    let d = displacements(&initial.system, &fin).map_err(|e| e.to_string())?;
    let mags = magnitudes(&d);
    let changed = voronoi_index_changed(&initial.tessellation, &tess).map_err(|e| e.to_string())?;
    let top = most_displaced(&mags, settings.top_fraction);
    let top_changed = top.iter().filter(|&&i| changed[i]).count();
    let is = if settings.is_dmin {
        Some(
            is_dmin(&initial.system, &fin, &DminOptions::default())
                .map_err(|e| format!("IS D_min: {e}"))?
                .dmin,
        )
    } else {
        None
    };
    Ok(CyclicOutcome {
        delta: change.delta,
        rms_dsigma: change.rms_change,
        rms_sigma_initial: change.rms_initial,
        // All Δσ_i equal to 0 (e.g. γ = 0): zero width, not the one-bin resolution.
        fwhm: if change.rms_change == 0.0 {
            0.0
        } else {
            histogram.fwhm()
        },
        theta: top_changed > 0,
        top_atoms: top.len(),
        top_changed,
        changed_indices: changed.iter().filter(|&&c| c).count(),
        delta_energy: energy_final - initial.energy,
        energy_final,
        max_displacement: mags.iter().copied().fold(0.0, f64::max),
        labelled_dmin: rms(&mags),
        is_dmin: is,
        load,
        unload,
        histogram,
        dsigma: change.change,
        final_state: settings.keep_final_state.then_some(fin),
    })
}
