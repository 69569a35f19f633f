//! MD-DMS (seed 004): Nosé–Hoover NVT with the box tilt γ(t) = γA·sin(2πt/t_w) (`fix nvt` +
//! `fix deform 1 xy wiggle γA·ly t_w remap x units box`, LAMMPS' affine remap without SLLOD),
//! the shear stress σ_xy = −p_xy sampled every n steps and fitted by
//! [`crate::analysis::dms::fit_oscillation`]; and the IS D_min per period: snapshots at the
//! cycle boundaries after the transient (t_w apart, where the tilt is back at its start) are
//! quenched by CG to their inherent structures, and consecutive ones compared by the exact IS
//! D_min ([`crate::analysis::dmin::is_dmin`]) and the labelled RMSD, averaged over the pairs.

use crate::units::Units;
use serde::Serialize;
use thiserror::Error;

use crate::analysis::dmin::{is_dmin, DminError, DminOptions};
use crate::analysis::dms::{
    fit_oscillation, steps_per_period, DmsError, OscillationFit, OscillationFitOptions,
};
use crate::engine::md::{run_md, MdSample, MdSettings, Wiggle};
use crate::engine::min_cg::minimize_cg;
use crate::engine::{EngineError, ForceProvider, MinimizeSettings};
use crate::System;

/// Why a DMS run failed.
#[derive(Debug, Error)]
pub enum DmsRunError {
    #[error("DMS run at period {period}: {source}")]
    Engine {
        period: f64,
        #[source]
        source: EngineError,
    },
    #[error("DMS fit at period {period}: {source}")]
    Fit {
        period: f64,
        #[source]
        source: DmsError,
    },
    #[error("IS D_min at period {period}, cycles {from}→{to}: {source}")]
    Dmin {
        period: f64,
        from: usize,
        to: usize,
        #[source]
        source: DminError,
    },
}

/// Settings shared by the periods of a sweep.
#[derive(Debug, Clone)]
pub struct DmsSettings {
    pub units: Units,
    /// Timestep (time units).
    pub dt: f64,
    /// Thermostat temperature (K or ε/k_B).
    pub temperature: f64,
    /// Nosé–Hoover damping time (time units).
    pub t_damp: f64,
    /// Shear strain amplitude γA (the tilt amplitude is γA·ly, γA·lz for xz/yz).
    pub strain_amplitude: f64,
    /// Tilt index: 0 = xy, 1 = xz, 2 = yz.
    pub tilt: usize,
    /// Cycles run, and whole cycles dropped as transient before the fit.
    pub cycles: usize,
    pub transient_cycles: usize,
    /// Stress sample interval (steps).
    pub sample_every: u64,
    /// CG settings of the snapshot quenches; `None` skips the IS D_min.
    pub quench: Option<MinimizeSettings>,
    pub dmin: DminOptions,
}

/// One stress sample: σ = −p_{tilt component}.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StressSample {
    pub step: u64,
    pub time: f64,
    pub strain: f64,
    pub stress: f64,
    pub temperature: f64,
}

/// IS D_min and labelled RMSD of two inherent structures one period apart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IsPair {
    pub from_cycle: usize,
    pub to_cycle: usize,
    pub is_dmin: f64,
    /// Labelled RMSD with unwrapped coordinates (image flags), the conventional RMSD.
    pub rmsd: f64,
    pub atoms_reassigned: usize,
    pub certified: bool,
}

/// The IS D_min of one period, averaged over its pairs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IsDminSummary {
    pub pairs: Vec<IsPair>,
    pub mean_is_dmin: f64,
    pub mean_rmsd: f64,
}

/// Everything one period produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DmsPeriodReport {
    pub period: f64,
    pub steps_per_period: u64,
    pub steps: u64,
    pub fit: OscillationFit,
    /// Mean kinetic temperature over the fitted cycles.
    pub mean_temperature: f64,
    /// r0 = (V/N)^(1/3).
    pub r0: f64,
    pub is_dmin: Option<IsDminSummary>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub trace: Vec<StressSample>,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Run one period from `start` (which must hold velocities and masses; it is not modified).
/// `progress` gets the MD step after every recorded sample.
pub fn run_dms_period<P: ForceProvider + ?Sized>(
    start: &System,
    provider: &mut P,
    settings: &DmsSettings,
    period: f64,
    progress: &mut dyn FnMut(u64),
) -> Result<DmsPeriodReport, DmsRunError> {
    let engine = |source| DmsRunError::Engine { period, source };
    let fit_err = |source| DmsRunError::Fit { period, source };
    let (spp, warning) = steps_per_period(period, settings.dt).map_err(fit_err)?;
    if !(settings.strain_amplitude.is_finite() && settings.strain_amplitude > 0.0) {
        return Err(fit_err(DmsError::InvalidInput(format!(
            "the strain amplitude must be > 0, got {}",
            settings.strain_amplitude
        ))));
    }
    if settings.cycles < 2 {
        return Err(fit_err(DmsError::InvalidInput(format!(
            "{} cycle(s) requested; the fit needs at least 2",
            settings.cycles
        ))));
    }
    if settings.transient_cycles >= settings.cycles {
        return Err(fit_err(DmsError::NoCycleLeft {
            cycles: settings.cycles,
            transient: settings.transient_cycles,
        }));
    }
    if settings.sample_every == 0 || settings.tilt > 2 {
        return Err(fit_err(DmsError::InvalidInput(
            "the sample interval must be >= 1 step and the tilt 0 (xy), 1 (xz) or 2 (yz)".into(),
        )));
    }
    let mut warnings: Vec<String> = warning.into_iter().collect();
    if spp / settings.sample_every < 8 {
        warnings.push(format!(
            "only {} stress samples per period",
            spp / settings.sample_every
        ));
    }
    let mut sys = start.clone();
    sys.simbox.triclinic = true;
    let l = sys.simbox.lengths();
    let len = if settings.tilt == 0 { l[1] } else { l[2] };
    let steps = spp * settings.cycles as u64;
    let t = settings.temperature;
    let md = MdSettings {
        wiggle: Some(Wiggle {
            tilt: settings.tilt,
            amplitude: settings.strain_amplitude * len,
            // The wiggle is evaluated at step·dt: the period in whole steps keeps every cycle
            // boundary on a step (the fit uses the same period).
            period: spp as f64 * settings.dt,
            every: 1,
            flip: true,
        }),
        sample_every: gcd(settings.sample_every, spp),
        ..MdSettings::nvt(settings.units, settings.dt, steps, t, t, settings.t_damp)
    };
    let component = 3 + settings.tilt;
    let mut trace = Vec::new();
    let mut snapshots: Vec<(usize, System)> = Vec::new();
    let want_snapshots = settings.quench.is_some();
    run_md(&mut sys, provider, &md, &mut |s: &System, m: &MdSample| {
        if m.step.is_multiple_of(settings.sample_every) {
            trace.push(StressSample {
                step: m.step,
                time: m.time,
                strain: m.strain,
                stress: -m.pressure_tensor[component],
                temperature: m.temperature,
            });
        }
        if want_snapshots && m.step.is_multiple_of(spp) {
            let cycle = (m.step / spp) as usize;
            if cycle >= settings.transient_cycles {
                let mut snap = s.clone();
                snap.velocities = None;
                snapshots.push((cycle, snap));
            }
        }
        progress(m.step);
    })
    .map_err(engine)?;
    let period_used = spp as f64 * settings.dt;
    let time: Vec<f64> = trace.iter().map(|s| s.time).collect();
    let stress: Vec<f64> = trace.iter().map(|s| s.stress).collect();
    let fit = fit_oscillation(
        &time,
        &stress,
        &OscillationFitOptions {
            period: period_used,
            strain_amplitude: settings.strain_amplitude,
            transient_cycles: settings.transient_cycles,
        },
    )
    .map_err(fit_err)?;
    let t_start = settings.transient_cycles as u64 * spp;
    let fitted: Vec<f64> = trace
        .iter()
        .filter(|s| s.step >= t_start && s.step < steps)
        .map(|s| s.temperature)
        .collect();
    let mean_temperature = fitted.iter().sum::<f64>() / fitted.len().max(1) as f64;
    let r0 = (sys.simbox.volume() / sys.natoms() as f64).cbrt();
    let is_dmin = match &settings.quench {
        Some(min) => Some(quench_and_compare(
            &mut snapshots,
            provider,
            min,
            &settings.dmin,
            period,
        )?),
        None => None,
    };
    Ok(DmsPeriodReport {
        period: period_used,
        steps_per_period: spp,
        steps,
        fit,
        mean_temperature,
        r0,
        is_dmin,
        warnings,
        trace,
    })
}

/// CG-quench every snapshot, then IS D_min and unwrapped labelled RMSD of consecutive ones.
fn quench_and_compare<P: ForceProvider + ?Sized>(
    snapshots: &mut [(usize, System)],
    provider: &mut P,
    min: &MinimizeSettings,
    dmin: &DminOptions,
    period: f64,
) -> Result<IsDminSummary, DmsRunError> {
    for (_, snap) in snapshots.iter_mut() {
        minimize_cg(snap, provider, min)
            .map_err(|source| DmsRunError::Engine { period, source })?;
    }
    let mut pairs = Vec::new();
    for w in snapshots.windows(2) {
        let ((c0, a), (c1, b)) = (&w[0], &w[1]);
        let r = is_dmin(a, b, dmin).map_err(|source| DmsRunError::Dmin {
            period,
            from: *c0,
            to: *c1,
            source,
        })?;
        pairs.push(IsPair {
            from_cycle: *c0,
            to_cycle: *c1,
            is_dmin: r.dmin,
            rmsd: unwrapped_rmsd(a, b),
            atoms_reassigned: r.reassigned,
            certified: r.optimality_certified,
        });
    }
    let n = pairs.len().max(1) as f64;
    Ok(IsDminSummary {
        mean_is_dmin: pairs.iter().map(|p| p.is_dmin).sum::<f64>() / n,
        mean_rmsd: pairs.iter().map(|p| p.rmsd).sum::<f64>() / n,
        pairs,
    })
}

/// Labelled RMSD of unwrapped positions (same atom order, as the MD keeps it).
fn unwrapped_rmsd(a: &System, b: &System) -> f64 {
    let sum: f64 = (0..a.natoms())
        .map(|i| {
            let x = a.simbox.unwrap(a.positions[i], a.images[i]);
            let y = b.simbox.unwrap(b.positions[i], b.images[i]);
            (0..3).map(|d| (y[d] - x[d]).powi(2)).sum::<f64>()
        })
        .sum();
    (sum / a.natoms() as f64).sqrt()
}
