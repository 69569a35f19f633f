//! FIRE 2.0 minimization (`min_style fire`, Guénolé et al. 2020), following LAMMPS
//! `MinFire::run_iterate` for its four integrators and the optional ABC-FIRE correction
//! (`min_modify integrator … abcfire …`).

use crate::units::Units;
use serde::Serialize;

use crate::engine::minimize::{
    check_system, energy_converged, ftol_norm_sqr, Evaluator, SetupNumbers,
};
use crate::engine::{EngineError, ForceProvider, MinimizeSettings, MinimizeSummary, StopReason};
use crate::System;

/// LAMMPS `min_modify integrator`: how FIRE advances the damped dynamics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FireIntegrator {
    /// Semi-implicit Euler: kick, mix, drift (LAMMPS default).
    EulerImplicit,
    /// Velocity Verlet: half kick, mix, drift, forces, half kick.
    Verlet,
    /// Leapfrog: semi-implicit Euler after an initial kick of −½ dt.
    Leapfrog,
    /// Explicit Euler: mix, drift, then kick with the old forces.
    EulerExplicit,
}

impl FireIntegrator {
    /// The `min_modify integrator` keyword value.
    pub fn as_str(self) -> &'static str {
        match self {
            FireIntegrator::EulerImplicit => "eulerimplicit",
            FireIntegrator::Verlet => "verlet",
            FireIntegrator::Leapfrog => "leapfrog",
            FireIntegrator::EulerExplicit => "eulerexplicit",
        }
    }

    /// Parse a `min_modify integrator` value.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "eulerimplicit" => FireIntegrator::EulerImplicit,
            "verlet" => FireIntegrator::Verlet,
            "leapfrog" => FireIntegrator::Leapfrog,
            "eulerexplicit" => FireIntegrator::EulerExplicit,
            _ => return None,
        })
    }
}

/// The `min_modify` parameters of FIRE, with LAMMPS' defaults from [`FireSettings::for_units`].
#[derive(Debug, Clone, PartialEq)]
pub struct FireSettings {
    /// Initial timestep (time units); LAMMPS uses the current `timestep`.
    pub dt: f64,
    /// Steps after a P ≤ 0 event before dt may grow and α shrink (and before etol is checked).
    pub delaystep: u64,
    /// Factor dt grows by (> 1).
    pub dtgrow: f64,
    /// Factor dt shrinks by on P ≤ 0 (< 1).
    pub dtshrink: f64,
    /// Mixing parameter α after a reset.
    pub alpha0: f64,
    /// Factor α shrinks by.
    pub alphashrink: f64,
    /// Largest timestep as a multiple of `dt`.
    pub tmax: f64,
    /// Smallest timestep as a multiple of `dt`.
    pub tmin: f64,
    /// On P ≤ 0, move atoms back by ½ dt·v before zeroing v.
    pub halfstepback: bool,
    /// No dt/α reset on P ≤ 0 during the first `delaystep` steps.
    pub initialdelay: bool,
    /// Stop after this many consecutive steps with P = v·f ≤ 0 (0 disables).
    pub vdfmax: u64,
    pub integrator: FireIntegrator,
    /// ABC-FIRE (Echeverri Restrepo & Andric 2023): mixing coefficients divided by
    /// 1 − (1 − α)^(steps since the last P ≤ 0), α ≥ 1e-10, each velocity component capped at
    /// dmax/dt instead of the global step limit.
    pub abcfire: bool,
}

impl FireSettings {
    /// LAMMPS defaults with the default timestep of `units`.
    pub fn for_units(units: Units) -> Self {
        FireSettings {
            dt: units.default_dt(),
            delaystep: 20,
            dtgrow: 1.1,
            dtshrink: 0.5,
            alpha0: 0.25,
            alphashrink: 0.99,
            tmax: 10.0,
            tmin: 0.02,
            halfstepback: true,
            initialdelay: true,
            vdfmax: 2000,
            integrator: FireIntegrator::EulerImplicit,
            abcfire: false,
        }
    }

    /// LAMMPS' checks (`MinFire::init`) plus finiteness of every real parameter.
    pub fn validate(&self) -> Result<(), EngineError> {
        let bad = |m: String| Err(EngineError::InvalidInput(format!("fire: {m}")));
        if !(self.dt.is_finite() && self.dt > 0.0) {
            return bad(format!("dt must be > 0, got {}", self.dt));
        }
        for (name, v) in [
            ("dtgrow", self.dtgrow),
            ("dtshrink", self.dtshrink),
            ("alpha0", self.alpha0),
            ("alphashrink", self.alphashrink),
            ("tmax", self.tmax),
            ("tmin", self.tmin),
        ] {
            if !v.is_finite() {
                return bad(format!("{name} must be finite, got {v}"));
            }
        }
        if self.tmax < self.tmin {
            return bad("tmax has to be larger than tmin".into());
        }
        if self.dtgrow < 1.0 {
            return bad("dtgrow has to be larger than 1.0".into());
        }
        if self.dtshrink > 1.0 {
            return bad("dtshrink has to be smaller than 1.0".into());
        }
        Ok(())
    }
}

/// Per-atom masses from the per-type table; an error names a type without a mass.
pub(crate) fn per_atom_masses(sys: &System) -> Result<Vec<f64>, EngineError> {
    sys.types
        .iter()
        .map(|&t| {
            let m = t
                .checked_sub(1)
                .and_then(|k| sys.masses.get(k as usize).copied().flatten());
            match m {
                Some(m) if m.is_finite() && m > 0.0 => Ok(m),
                _ => Err(EngineError::InvalidInput(format!(
                    "atom type {t} has no valid mass (set masses in the data file)"
                ))),
            }
        })
        .collect()
}

/// Minimize with FIRE 2.0 as LAMMPS `min_style fire` with the `min_modify` settings in `fire`.
/// `settings.dmax`, `etol`, `ftol`, `maxiter` and `norm` apply as in LAMMPS (FIRE has no
/// maxeval check in LAMMPS and neither here). Velocities of the system are not touched (FIRE
/// keeps its own). On a non-finite energy the system holds the positions at the start of the
/// failing iteration.
pub fn minimize_fire<P: ForceProvider + ?Sized>(
    sys: &mut System,
    provider: &mut P,
    settings: &MinimizeSettings,
    fire: &FireSettings,
    units: Units,
) -> Result<MinimizeSummary, EngineError> {
    settings.validate()?;
    fire.validate()?;
    check_system(sys)?;
    let n = sys.natoms();
    let mass = per_atom_masses(sys)?;
    let mut ev = Evaluator::new(provider, n, settings.normalize_energy);
    let e_setup = ev.energy_force(sys, false, "setup")?;
    let mut state = FireState {
        fire,
        dmax: settings.dmax,
        ftm2v: units.ftm2v(),
        dt: fire.dt,
        alpha: fire.alpha0,
        v: vec![[0.0f64; 3]; n],
        last_good: sys.positions.clone(),
        mass,
    };
    let setup = SetupNumbers::new(e_setup, &ev.result.forces);
    let run = state.iterate(sys, &mut ev, settings, e_setup);
    let (stop, iterations, e_previous, e_current) = match run {
        Ok(r) => r,
        Err(err) => {
            sys.positions.copy_from_slice(&state.last_good);
            return Err(err);
        }
    };
    Ok(ev.finish(
        sys,
        settings,
        setup,
        stop,
        iterations,
        [e_previous, e_current],
    ))
}

/// The damped-dynamics state of one FIRE run.
struct FireState<'a> {
    fire: &'a FireSettings,
    dmax: f64,
    ftm2v: f64,
    dt: f64,
    alpha: f64,
    v: Vec<[f64; 3]>,
    /// Positions at the start of the current iteration (restored on a non-finite energy).
    last_good: Vec<[f64; 3]>,
    mass: Vec<f64>,
}

impl FireState<'_> {
    /// `v = factor·f/m` for every atom.
    fn set_velocities_from_forces(&mut self, f: &[[f64; 3]], factor: f64) {
        for ((vi, fi), m) in self.v.iter_mut().zip(f).zip(&self.mass) {
            let dtfm = factor / m;
            *vi = [dtfm * fi[0], dtfm * fi[1], dtfm * fi[2]];
        }
    }

    /// `v += factor·f/m` for every atom.
    fn kick(&mut self, f: &[[f64; 3]], factor: f64) {
        for ((vi, fi), m) in self.v.iter_mut().zip(f).zip(&self.mass) {
            let dtfm = factor / m;
            for d in 0..3 {
                vi[d] += dtfm * fi[d];
            }
        }
    }

    /// The LAMMPS iteration loop; returns (stop, iterations, E next-to-last, E final).
    fn iterate<P: ForceProvider + ?Sized>(
        &mut self,
        sys: &mut System,
        ev: &mut Evaluator<'_, P>,
        settings: &MinimizeSettings,
        e_setup: f64,
    ) -> Result<(StopReason, usize, f64, f64), EngineError> {
        let fire = self.fire;
        let dtmax = fire.tmax * fire.dt;
        let dtmin = fire.tmin * fire.dt;
        let abc = fire.abcfire;
        let integrator = fire.integrator;
        let mut e_current = e_setup;
        let mut e_previous = e_setup;
        let mut flagv0 = true;
        let ntimestep_start: u64 = 0;
        let mut last_negative: u64 = 0;
        let mut vdotf_negative: u64 = 0;
        let mut iterations = 0usize;

        if integrator == FireIntegrator::Leapfrog {
            // Initial half kick backwards: v = −½ dt f/m (an extra, counted evaluation).
            ev.energy_force(sys, true, "FIRE leapfrog start")?;
            let factor = -0.5 * self.dt * self.ftm2v;
            self.set_velocities_from_forces(&ev.result.forces, factor);
        }

        for step in 1..=settings.maxiter as u64 {
            iterations += 1;
            self.last_good.copy_from_slice(&sys.positions);
            let mut vdotf = 0.0;
            for (vi, fi) in self.v.iter().zip(&ev.result.forces) {
                vdotf += vi[0] * fi[0] + vi[1] * fi[1] + vi[2] * fi[2];
            }
            let (mut scale1, mut scale2) = (0.0, 0.0);
            if vdotf > 0.0 {
                vdotf_negative = 0;
                let (mut vdotv, mut fdotf) = (0.0, 0.0);
                for vi in &self.v {
                    vdotv += vi[0] * vi[0] + vi[1] * vi[1] + vi[2] * vi[2];
                }
                for fi in &ev.result.forces {
                    fdotf += fi[0] * fi[0] + fi[1] * fi[1] + fi[2] * fi[2];
                }
                if abc {
                    // α is kept ≥ 1e-10 so the correction factor stays finite.
                    if self.alpha < 1e-10 {
                        self.alpha = 1e-10;
                    }
                    let correction = 1.0 - (1.0 - self.alpha).powf((step - last_negative) as f64);
                    scale1 = (1.0 - self.alpha) / correction;
                    scale2 = if fdotf <= 1e-20 {
                        0.0
                    } else {
                        (self.alpha * (vdotv / fdotf).sqrt()) / correction
                    };
                } else {
                    scale1 = 1.0 - self.alpha;
                    scale2 = if fdotf <= 1e-20 {
                        0.0
                    } else {
                        self.alpha * (vdotv / fdotf).sqrt()
                    };
                }
                if step - last_negative > fire.delaystep {
                    self.dt = (self.dt * fire.dtgrow).min(dtmax);
                    self.alpha *= fire.alphashrink;
                }
            } else {
                last_negative = step;
                let delayed = fire.initialdelay && step - ntimestep_start < fire.delaystep;
                if !delayed {
                    self.alpha = fire.alpha0;
                    if self.dt * fire.dtshrink >= dtmin {
                        self.dt *= fire.dtshrink;
                    }
                }
                vdotf_negative += 1;
                if fire.vdfmax > 0 && vdotf_negative > fire.vdfmax {
                    return Ok((
                        StopReason::MaxIterationsVdotFNegative,
                        iterations,
                        e_previous,
                        e_current,
                    ));
                }
                if fire.halfstepback {
                    let dt = self.dt;
                    for (x, vi) in sys.positions.iter_mut().zip(&self.v) {
                        x[0] -= 0.5 * dt * vi[0];
                        x[1] -= 0.5 * dt * vi[1];
                        x[2] -= 0.5 * dt * vi[2];
                    }
                }
                for vi in self.v.iter_mut() {
                    *vi = [0.0; 3];
                }
                flagv0 = true;
            }

            // After a velocity reset, velocities from the current forces only estimate the
            // step limit (plain FIRE; ABC-FIRE caps velocity components instead).
            if !abc && flagv0 {
                ev.energy_force(sys, true, "FIRE velocity estimate")?;
                let factor = self.dt * self.ftm2v;
                self.set_velocities_from_forces(&ev.result.forces, factor);
            }
            let mut dtv = self.dt;
            if !abc {
                for vi in &self.v {
                    let vmax = vi[0].abs().max(vi[1].abs()).max(vi[2].abs());
                    if dtv * vmax > self.dmax {
                        dtv = self.dmax / vmax;
                    }
                }
            }
            if flagv0 {
                for vi in self.v.iter_mut() {
                    *vi = [0.0; 3];
                }
            }

            let mix = vdotf > 0.0;
            let dmax = self.dmax;
            let mix_velocity = |vi: &mut [f64; 3], fi: &[f64; 3]| {
                for d in 0..3 {
                    vi[d] = scale1 * vi[d] + scale2 * fi[d];
                }
                if abc {
                    // No coordinate moves more than dmax in this step.
                    for c in vi.iter_mut() {
                        if (*c * dtv).abs() > dmax {
                            *c = dmax / dtv * *c / c.abs();
                        }
                    }
                }
            };
            let kick_factor = match integrator {
                FireIntegrator::Verlet => 0.5 * dtv * self.ftm2v,
                _ => dtv * self.ftm2v,
            };
            let explicit = integrator == FireIntegrator::EulerExplicit;
            for (((x, vi), fi), m) in sys
                .positions
                .iter_mut()
                .zip(self.v.iter_mut())
                .zip(&ev.result.forces)
                .zip(&self.mass)
            {
                let dtfm = kick_factor / m;
                if !explicit {
                    for d in 0..3 {
                        vi[d] += dtfm * fi[d];
                    }
                }
                if mix {
                    mix_velocity(vi, fi);
                }
                for d in 0..3 {
                    x[d] += dtv * vi[d];
                }
                if explicit {
                    for d in 0..3 {
                        vi[d] += dtfm * fi[d];
                    }
                }
            }
            e_previous = e_current;
            e_current = ev.energy_force(sys, true, "FIRE step")?;
            if integrator == FireIntegrator::Verlet {
                self.kick(&ev.result.forces, kick_factor);
            }
            flagv0 = false;

            if settings.etol > 0.0
                && step - last_negative > fire.delaystep
                && energy_converged(settings.etol, e_current, e_previous)
            {
                return Ok((
                    StopReason::EnergyTolerance,
                    iterations,
                    e_previous,
                    e_current,
                ));
            }
            if settings.ftol > 0.0
                && ftol_norm_sqr(settings.norm, &ev.result.forces) < settings.ftol * settings.ftol
            {
                return Ok((
                    StopReason::ForceTolerance,
                    iterations,
                    e_previous,
                    e_current,
                ));
            }
        }
        Ok((StopReason::MaxIterations, iterations, e_previous, e_current))
    }
}
