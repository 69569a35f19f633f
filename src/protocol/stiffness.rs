//! Atomic stiffness from MD (seed 003): for each temperature T, Nosé–Hoover NVT of a copy of the
//! configuration (velocities created at T from a seed), an equilibration run, then a production
//! run whose frames (unwrapped positions every `sample_every` steps, step 0 of the production run
//! included) feed [`VibrationalMsd`]; `K_i(T) = k_B T / ⟨|Δr_i|²⟩` and the mean of `K_i` over the
//! temperatures, as in the seed.

use crate::units::Units;
use thiserror::Error;

use crate::analysis::stiffness::{stiffness_from_msd, StiffnessError, VibrationalMsd};
use crate::engine::md::{run_md, MdSample, MdSettings};
use crate::engine::min_fire::per_atom_masses;
use crate::engine::velocity::create_velocities;
use crate::engine::{EngineError, ForceProvider};
use crate::System;

/// Problems of the stiffness protocol.
#[derive(Debug, Error)]
pub enum StiffnessProtocolError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Stiffness(#[from] StiffnessError),
    #[error("no temperatures given")]
    NoTemperatures,
    #[error("sample_every must be >= 1 and production steps >= sample_every")]
    BadSampling,
}

/// Settings of one stiffness run.
#[derive(Debug, Clone, PartialEq)]
pub struct StiffnessSettings {
    pub units: Units,
    pub temperatures: Vec<f64>,
    pub dt: f64,
    /// Nosé–Hoover damping time (time units).
    pub t_damp: f64,
    pub equilibration_steps: u64,
    pub production_steps: u64,
    pub sample_every: u64,
    /// Velocity seed (the same seed at every T).
    pub seed: u64,
}

/// Result at one temperature.
#[derive(Debug, Clone, PartialEq)]
pub struct StiffnessAtTemperature {
    pub temperature: f64,
    /// Mean kinetic temperature over the production samples.
    pub measured_temperature: f64,
    pub frames: usize,
    pub msd: Vec<f64>,
    pub stiffness: Vec<f64>,
}

/// Results at every temperature and the mean stiffness over them.
#[derive(Debug, Clone, PartialEq)]
pub struct StiffnessResult {
    pub runs: Vec<StiffnessAtTemperature>,
    pub mean_stiffness: Vec<f64>,
}

/// Run the protocol on copies of `sys`. `on_step(T index, step)` reports progress;
/// `on_frame(T index, system)` sees every production frame (trajectory output).
pub fn run_stiffness<P: ForceProvider + ?Sized>(
    sys: &System,
    provider: &mut P,
    settings: &StiffnessSettings,
    on_step: &mut dyn FnMut(usize, u64),
    on_frame: &mut dyn FnMut(usize, &System),
) -> Result<StiffnessResult, StiffnessProtocolError> {
    if settings.temperatures.is_empty() {
        return Err(StiffnessProtocolError::NoTemperatures);
    }
    if settings.sample_every == 0 || settings.production_steps < settings.sample_every {
        return Err(StiffnessProtocolError::BadSampling);
    }
    let masses = per_atom_masses(sys)?;
    let mut runs = Vec::new();
    for (ti, &t) in settings.temperatures.iter().enumerate() {
        let mut s = sys.clone();
        create_velocities(&mut s, t, settings.seed, settings.units)?;
        let nvt = |steps| MdSettings {
            sample_every: settings.sample_every,
            ..MdSettings::nvt(settings.units, settings.dt, steps, t, t, settings.t_damp)
        };
        if settings.equilibration_steps > 0 {
            let eq = nvt(settings.equilibration_steps);
            run_md(&mut s, provider, &eq, &mut |_, m: &MdSample| {
                on_step(ti, m.step)
            })?;
        }
        let prod = nvt(settings.production_steps);
        let mut acc = VibrationalMsd::new(Some(masses.clone()));
        let mut err = None;
        let mut temp_sum = 0.0;
        let offset = settings.equilibration_steps;
        run_md(
            &mut s,
            provider,
            &prod,
            &mut |frame: &System, m: &MdSample| {
                on_step(ti, offset + m.step);
                temp_sum += m.temperature;
                if err.is_none() {
                    if let Err(e) = acc.add(&frame.unwrapped_positions()) {
                        err = Some(e);
                    }
                }
                on_frame(ti, frame);
            },
        )?;
        if let Some(e) = err {
            return Err(e.into());
        }
        let msd = acc.msd()?;
        let stiffness = stiffness_from_msd(&msd, t, settings.units.boltz())?;
        runs.push(StiffnessAtTemperature {
            temperature: t,
            measured_temperature: temp_sum / acc.frames() as f64,
            frames: acc.frames(),
            msd,
            stiffness,
        });
    }
    let nt = runs.len() as f64;
    let mean_stiffness = (0..sys.natoms())
        .map(|i| runs.iter().map(|r| r.stiffness[i]).sum::<f64>() / nt)
        .collect();
    Ok(StiffnessResult {
        runs,
        mean_stiffness,
    })
}
