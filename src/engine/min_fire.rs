//! FIRE 2.0 minimization (`min_style fire`, Guénolé et al. 2020), following
//! `MinFire::run_iterate` with the `eulerimplicit` integrator (the LAMMPS default).

use crate::engine::minimize::{
    check_system, energy_converged, fnorm_inf, fnorm_sqr, ftol_norm_sqr, wrap_all, Evaluator,
};
use crate::engine::{
    EngineError, ForceProvider, MinimizeSettings, MinimizeSummary, StopReason, Units,
};
use crate::System;

/// The `min_modify` parameters of FIRE, with LAMMPS' defaults from [`FireSettings::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct FireSettings {
    /// Initial timestep (time units); LAMMPS uses the current `timestep`.
    pub dt: f64,
    pub delaystep: u64,
    pub dtgrow: f64,
    pub dtshrink: f64,
    pub alpha0: f64,
    pub alphashrink: f64,
    /// Largest timestep as a multiple of `dt`.
    pub tmax: f64,
    /// Smallest timestep as a multiple of `dt`.
    pub tmin: f64,
    pub halfstepback: bool,
    pub initialdelay: bool,
    /// Stop after this many consecutive steps with P = v·f ≤ 0 (0 disables).
    pub vdfmax: u64,
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
        }
    }

    fn validate(&self) -> Result<(), EngineError> {
        let bad = |m: String| Err(EngineError::InvalidInput(format!("fire: {m}")));
        if !(self.dt.is_finite() && self.dt > 0.0) {
            return bad(format!("dt must be > 0, got {}", self.dt));
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

/// Minimize with FIRE 2.0 as LAMMPS `min_style fire`. `settings.dmax`, `etol`, `ftol`, `maxiter`
/// and `norm` apply as in LAMMPS (FIRE has no maxeval check in LAMMPS and neither here).
/// Velocities of the system are not touched (FIRE keeps its own).
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
    let ftm2v = units.ftm2v();
    let dmax = settings.dmax;
    let mut ev = Evaluator::new(provider, n, settings.normalize_energy);
    let mut e_current = ev.energy_force(sys, false, "setup")?;
    let energy_initial = e_current;
    let fnorm2_initial = fnorm_sqr(&ev.result.forces).sqrt();
    let fnorm_inf_initial = fnorm_inf(&ev.result.forces);

    let mut dt = fire.dt;
    let dtmax = fire.tmax * dt;
    let dtmin = fire.tmin * dt;
    let mut alpha = fire.alpha0;
    let mut v = vec![[0.0f64; 3]; n];
    let mut last_good = sys.positions.clone();
    let mut flagv0 = true;
    let ntimestep_start: u64 = 0;
    let mut last_negative: u64 = 0;
    let mut vdotf_negative: u64 = 0;
    let mut e_previous = e_current;
    let mut iterations = 0usize;
    let mut stop = StopReason::MaxIterations;

    for step in 1..=settings.maxiter as u64 {
        iterations += 1;
        last_good.copy_from_slice(&sys.positions);
        let f = &ev.result.forces;
        let mut vdotf = 0.0;
        for (vi, fi) in v.iter().zip(f) {
            vdotf += vi[0] * fi[0] + vi[1] * fi[1] + vi[2] * fi[2];
        }
        let (mut scale1, mut scale2) = (0.0, 0.0);
        if vdotf > 0.0 {
            vdotf_negative = 0;
            let (mut vdotv, mut fdotf) = (0.0, 0.0);
            for vi in &v {
                vdotv += vi[0] * vi[0] + vi[1] * vi[1] + vi[2] * vi[2];
            }
            for fi in f {
                fdotf += fi[0] * fi[0] + fi[1] * fi[1] + fi[2] * fi[2];
            }
            scale1 = 1.0 - alpha;
            scale2 = if fdotf <= 1e-20 {
                0.0
            } else {
                alpha * (vdotv / fdotf).sqrt()
            };
            if step - last_negative > fire.delaystep {
                dt = (dt * fire.dtgrow).min(dtmax);
                alpha *= fire.alphashrink;
            }
        } else {
            last_negative = step;
            let delayed = fire.initialdelay && step - ntimestep_start < fire.delaystep;
            if !delayed {
                alpha = fire.alpha0;
                if dt * fire.dtshrink >= dtmin {
                    dt *= fire.dtshrink;
                }
            }
            vdotf_negative += 1;
            if fire.vdfmax > 0 && vdotf_negative > fire.vdfmax {
                stop = StopReason::MaxIterationsVdotFNegative;
                break;
            }
            if fire.halfstepback {
                for (x, vi) in sys.positions.iter_mut().zip(&v) {
                    x[0] -= 0.5 * dt * vi[0];
                    x[1] -= 0.5 * dt * vi[1];
                    x[2] -= 0.5 * dt * vi[2];
                }
            }
            for vi in v.iter_mut() {
                *vi = [0.0; 3];
            }
            flagv0 = true;
        }

        if flagv0 {
            let dtf = dt * ftm2v;
            if let Err(err) = ev.energy_force(sys, true, "FIRE velocity estimate") {
                sys.positions.copy_from_slice(&last_good);
                return Err(err);
            }
            for ((vi, fi), m) in v.iter_mut().zip(&ev.result.forces).zip(&mass) {
                let dtfm = dtf / m;
                *vi = [dtfm * fi[0], dtfm * fi[1], dtfm * fi[2]];
            }
        }
        let mut dtv = dt;
        for vi in &v {
            let vmax = vi[0].abs().max(vi[1].abs()).max(vi[2].abs());
            if dtv * vmax > dmax {
                dtv = dmax / vmax;
            }
        }
        if flagv0 {
            for vi in v.iter_mut() {
                *vi = [0.0; 3];
            }
        }

        let dtf = dtv * ftm2v;
        for (((x, vi), fi), m) in sys
            .positions
            .iter_mut()
            .zip(v.iter_mut())
            .zip(&ev.result.forces)
            .zip(&mass)
        {
            let dtfm = dtf / m;
            for d in 0..3 {
                vi[d] += dtfm * fi[d];
            }
            if vdotf > 0.0 {
                for d in 0..3 {
                    vi[d] = scale1 * vi[d] + scale2 * fi[d];
                }
            }
            for d in 0..3 {
                x[d] += dtv * vi[d];
            }
        }
        e_previous = e_current;
        e_current = match ev.energy_force(sys, true, "FIRE step") {
            Ok(e) => e,
            Err(err) => {
                sys.positions.copy_from_slice(&last_good);
                return Err(err);
            }
        };
        flagv0 = false;

        if settings.etol > 0.0
            && step - last_negative > fire.delaystep
            && energy_converged(settings.etol, e_current, e_previous)
        {
            stop = StopReason::EnergyTolerance;
            break;
        }
        if settings.ftol > 0.0
            && ftol_norm_sqr(settings.norm, &ev.result.forces) < settings.ftol * settings.ftol
        {
            stop = StopReason::ForceTolerance;
            break;
        }
    }

    let summary = MinimizeSummary {
        stop,
        energy_initial,
        energy_next_to_last: e_previous,
        energy_final: e_current,
        energy_total_final: ev.result.energy,
        energy_per_atom: settings.normalize_energy,
        fnorm2_initial,
        fnorm2_final: fnorm_sqr(&ev.result.forces).sqrt(),
        fnorm_inf_initial,
        fnorm_inf_final: fnorm_inf(&ev.result.forces),
        iterations,
        force_evaluations: ev.evaluations,
    };
    wrap_all(sys);
    Ok(summary)
}
