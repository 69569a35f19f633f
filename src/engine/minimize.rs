//! Settings, stopping reasons and the LAMMPS-style summary shared by the minimizers, plus the
//! force-evaluation wrapper they use (energy normalization, evaluation count, NaN guard).

use serde::Serialize;

use crate::engine::{EngineError, ForceProvider, ForceResult};
use crate::System;

/// LAMMPS `min_modify norm`: which force norm the `ftol` criterion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NormStyle {
    /// Euclidean norm of the 3N force vector (LAMMPS default).
    Two,
    /// Largest per-atom force magnitude.
    Max,
    /// Largest force component.
    Inf,
}

/// Line search of the CG minimizer (`min_modify line`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LineSearch {
    /// LAMMPS default: backtracking with a quadratic (secant) projection on f·h.
    Quadratic,
    /// Armijo backtracking only.
    Backtrack,
}

/// Arguments of `minimize etol ftol maxiter maxeval` and the `min_modify` options shared by all
/// minimizers. Energies are in the potential's units (per atom when `normalize_energy`).
#[derive(Debug, Clone, PartialEq)]
pub struct MinimizeSettings {
    /// Relative energy change tolerance (unitless); 0 disables it.
    pub etol: f64,
    /// Force tolerance (force units) on the norm chosen by `norm`; 0 disables it.
    pub ftol: f64,
    /// Maximum number of iterations.
    pub maxiter: usize,
    /// Maximum number of force evaluations.
    pub maxeval: usize,
    /// Largest distance any coordinate may move in one line search / FIRE step (distance units;
    /// LAMMPS default 0.1).
    pub dmax: f64,
    pub norm: NormStyle,
    pub line_search: LineSearch,
    /// Divide energies (and f·h in the line search) by the number of atoms, as LAMMPS does when
    /// `thermo_modify norm yes` (the default in lj units only).
    pub normalize_energy: bool,
}

impl MinimizeSettings {
    /// `minimize etol ftol maxiter maxeval` with LAMMPS' `min_modify` defaults.
    pub fn new(etol: f64, ftol: f64, maxiter: usize, maxeval: usize, normalize: bool) -> Self {
        MinimizeSettings {
            etol,
            ftol,
            maxiter,
            maxeval,
            dmax: 0.1,
            norm: NormStyle::Two,
            line_search: LineSearch::Quadratic,
            normalize_energy: normalize,
        }
    }

    /// The four arguments of LAMMPS `minimize ETOL FTOL MAXITER MAXEVAL` in one string (as in
    /// an input script, e.g. `"0 1e-6 10000 100000"`), with the `min_modify` defaults.
    pub fn from_minimize_args(text: &str, normalize: bool) -> Result<Self, EngineError> {
        let v: Vec<&str> = text.split_whitespace().collect();
        let err = |m: String| EngineError::InvalidInput(format!("minimize '{text}': {m}"));
        if v.len() != 4 {
            return Err(err("expected ETOL FTOL MAXITER MAXEVAL".into()));
        }
        let real = |i: usize, what: &str| {
            v[i].parse::<f64>()
                .map_err(|_| err(format!("{what} '{}' is not a number", v[i])))
        };
        let count = |i: usize, what: &str| {
            v[i].parse::<usize>()
                .map_err(|_| err(format!("{what} '{}' is not a count", v[i])))
        };
        Ok(Self::new(
            real(0, "ETOL")?,
            real(1, "FTOL")?,
            count(2, "MAXITER")?,
            count(3, "MAXEVAL")?,
            normalize,
        ))
    }

    pub(crate) fn validate(&self) -> Result<(), EngineError> {
        let bad = |what: &str, v: f64| {
            EngineError::InvalidInput(format!("minimize: {what} must be finite and >= 0, got {v}"))
        };
        if !(self.etol.is_finite() && self.etol >= 0.0) {
            return Err(bad("etol", self.etol));
        }
        if !(self.ftol.is_finite() && self.ftol >= 0.0) {
            return Err(bad("ftol", self.ftol));
        }
        if !(self.dmax.is_finite() && self.dmax > 0.0) {
            return Err(EngineError::InvalidInput(format!(
                "minimize: dmax must be finite and > 0, got {}",
                self.dmax
            )));
        }
        Ok(())
    }
}

/// Why a minimization stopped; `as_str` gives LAMMPS' "Stopping criterion" text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StopReason {
    MaxIterations,
    MaxForceEvaluations,
    EnergyTolerance,
    ForceTolerance,
    SearchDirectionNotDownhill,
    LinesearchAlphaZero,
    ForcesZero,
    QuadraticFactorsZero,
    MaxIterationsVdotFNegative,
}

impl StopReason {
    /// The string LAMMPS prints after "Stopping criterion =".
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::MaxIterations => "max iterations",
            StopReason::MaxForceEvaluations => "max force evaluations",
            StopReason::EnergyTolerance => "energy tolerance",
            StopReason::ForceTolerance => "force tolerance",
            StopReason::SearchDirectionNotDownhill => "search direction is not downhill",
            StopReason::LinesearchAlphaZero => "linesearch alpha is zero",
            StopReason::ForcesZero => "forces are zero",
            StopReason::QuadraticFactorsZero => "quadratic factors are zero",
            StopReason::MaxIterationsVdotFNegative => "max iterations with v.f negative",
        }
    }
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The "Minimization stats" block of a LAMMPS log. Energies are per atom when the settings
/// normalized them (as LAMMPS prints them); `energy_total_final` is always the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinimizeSummary {
    pub stop: StopReason,
    pub energy_initial: f64,
    pub energy_next_to_last: f64,
    pub energy_final: f64,
    pub energy_total_final: f64,
    pub energy_per_atom: bool,
    /// Euclidean norm of the 3N force vector, before and after.
    pub fnorm2_initial: f64,
    pub fnorm2_final: f64,
    /// Largest force component magnitude, before and after.
    pub fnorm_inf_initial: f64,
    pub fnorm_inf_final: f64,
    pub iterations: usize,
    pub force_evaluations: usize,
}

/// Σ f² over all 3N components, summed in LAMMPS' flat order.
pub(crate) fn fnorm_sqr(f: &[[f64; 3]]) -> f64 {
    let mut s = 0.0;
    for fi in f {
        for c in fi {
            s += c * c;
        }
    }
    s
}

/// Largest |f| component.
pub(crate) fn fnorm_inf(f: &[[f64; 3]]) -> f64 {
    let mut m: f64 = 0.0;
    for fi in f {
        for c in fi {
            m = m.max(c.abs());
        }
    }
    m
}

/// The squared norm the `ftol` criterion compares with ftol².
pub(crate) fn ftol_norm_sqr(norm: NormStyle, f: &[[f64; 3]]) -> f64 {
    match norm {
        NormStyle::Two => fnorm_sqr(f),
        NormStyle::Inf => {
            let m = fnorm_inf(f);
            m * m
        }
        NormStyle::Max => {
            let mut m: f64 = 0.0;
            for fi in f {
                m = m.max(fi[0] * fi[0] + fi[1] * fi[1] + fi[2] * fi[2]);
            }
            m
        }
    }
}

/// LAMMPS' relative energy criterion: |E − E_prev| < etol·½(|E| + |E_prev| + 1e-8).
pub(crate) fn energy_converged(etol: f64, e: f64, e_prev: f64) -> bool {
    const EPS_ENERGY: f64 = 1.0e-8;
    (e - e_prev).abs() < etol * 0.5 * (e.abs() + e_prev.abs() + EPS_ENERGY)
}

/// A provider plus the evaluation counter, the last result and the per-atom normalization.
pub(crate) struct Evaluator<'a, P: ForceProvider + ?Sized> {
    provider: &'a mut P,
    pub result: ForceResult,
    /// Force evaluations counted as LAMMPS' `neval` (the setup evaluation is not counted).
    pub evaluations: usize,
    /// 1/natoms when energies are normalized, else 1.
    pub norm_factor: f64,
}

impl<'a, P: ForceProvider + ?Sized> Evaluator<'a, P> {
    pub fn new(provider: &'a mut P, natoms: usize, normalize: bool) -> Self {
        Evaluator {
            provider,
            result: ForceResult::with_atoms(natoms),
            evaluations: 0,
            norm_factor: if normalize { 1.0 / natoms as f64 } else { 1.0 },
        }
    }

    /// Evaluate forces, returning the (normalized) energy. Counts the evaluation when `count`.
    /// A non-finite energy is an error; the caller restores the last good configuration.
    pub fn energy_force(
        &mut self,
        sys: &System,
        count: bool,
        stage: &'static str,
    ) -> Result<f64, EngineError> {
        if count {
            self.evaluations += 1;
        }
        self.provider.compute(sys, &mut self.result)?;
        if self.result.forces.len() != sys.natoms() {
            return Err(EngineError::Provider(format!(
                "provider returned {} forces for {} atoms",
                self.result.forces.len(),
                sys.natoms()
            )));
        }
        let e = self.result.energy;
        if !e.is_finite() {
            return Err(EngineError::NonFiniteEnergy {
                energy: e,
                stage,
                evaluation: self.evaluations,
            });
        }
        Ok(if self.norm_factor != 1.0 {
            e / sys.natoms() as f64
        } else {
            e
        })
    }
}

/// The setup evaluation's numbers that a [`MinimizeSummary`] reports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SetupNumbers {
    energy: f64,
    fnorm2: f64,
    fnorm_inf: f64,
}

impl SetupNumbers {
    /// From the setup (normalized) energy and forces.
    pub fn new(energy: f64, forces: &[[f64; 3]]) -> Self {
        SetupNumbers {
            energy,
            fnorm2: fnorm_sqr(forces).sqrt(),
            fnorm_inf: fnorm_inf(forces),
        }
    }
}

impl<P: ForceProvider + ?Sized> Evaluator<'_, P> {
    /// The end of a minimizer run: wraps all atoms into the box and returns the summary from the
    /// setup numbers, the stop reason, the iteration count, the last two (normalized) energies
    /// `[next-to-last, final]` and the last evaluation.
    pub fn finish(
        &self,
        sys: &mut System,
        settings: &MinimizeSettings,
        setup: SetupNumbers,
        stop: StopReason,
        iterations: usize,
        [energy_next_to_last, energy_final]: [f64; 2],
    ) -> MinimizeSummary {
        let summary = MinimizeSummary {
            stop,
            energy_initial: setup.energy,
            energy_next_to_last,
            energy_final,
            energy_total_final: self.result.energy,
            energy_per_atom: settings.normalize_energy,
            fnorm2_initial: setup.fnorm2,
            fnorm2_final: fnorm_sqr(&self.result.forces).sqrt(),
            fnorm_inf_initial: setup.fnorm_inf,
            fnorm_inf_final: fnorm_inf(&self.result.forces),
            iterations,
            force_evaluations: self.evaluations,
        };
        wrap_all(sys);
        summary
    }
}

/// Wrap all atoms into the box (image flags updated), as LAMMPS does on reneighboring.
pub(crate) fn wrap_all(sys: &mut System) {
    let b = sys.simbox;
    for (x, im) in sys.positions.iter_mut().zip(sys.images.iter_mut()) {
        *x = b.wrap(*x, im);
    }
}

pub(crate) fn check_system(sys: &System) -> Result<(), EngineError> {
    if sys.natoms() == 0 {
        return Err(EngineError::InvalidInput("the system has no atoms".into()));
    }
    if sys.images.len() != sys.natoms() {
        return Err(EngineError::InvalidInput(format!(
            "{} image flags for {} atoms",
            sys.images.len(),
            sys.natoms()
        )));
    }
    if let Some((i, _)) = sys
        .positions
        .iter()
        .enumerate()
        .find(|(_, x)| !x.iter().all(|c| c.is_finite()))
    {
        return Err(EngineError::InvalidInput(format!(
            "atom id {} has a non-finite position",
            sys.ids.get(i).copied().unwrap_or(0)
        )));
    }
    Ok(())
}
