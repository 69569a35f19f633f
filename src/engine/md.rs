//! Molecular dynamics: velocity-Verlet NVE (`fix nve`), NVT with a Nosé–Hoover chain
//! (`fix nvt`, optionally a linear temperature ramp), and oscillatory shear of the box
//! (`fix deform N xy wiggle A Tp remap x flip yes units box`), in LAMMPS' `Verlet::run` order:
//! thermostat half step, kick, drift, (tilt flip), forces, kick, thermostat half step, deform.

use crate::units::Units;
use serde::Serialize;

use crate::engine::deform::{deform_tilt_box, flip_if_needed, remap_affine, wiggle_target};
use crate::engine::min_fire::per_atom_masses;
use crate::engine::minimize::wrap_all;
use crate::engine::thermostat_nh::{NoseHooverChain, NoseHooverSettings};
use crate::engine::velocity::{kinetic_temperature, temperature_dof};
use crate::engine::{EngineError, ForceProvider, ForceResult};
use crate::System;

/// `fix deform N xy|xz|yz wiggle A Tp remap x units box [flip yes|no]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Wiggle {
    /// Tilt index: 0 = xy, 1 = xz, 2 = yz.
    pub tilt: usize,
    /// Tilt amplitude A (distance units); the shear strain amplitude is A/ly (A/lz for xz, yz).
    pub amplitude: f64,
    /// Period Tp (time units).
    pub period: f64,
    /// Change the box every this many steps (N of fix deform).
    pub every: u64,
    pub flip: bool,
}

/// One MD run (`run steps` with the fixes above).
#[derive(Debug, Clone, PartialEq)]
pub struct MdSettings {
    pub units: Units,
    /// Timestep (time units).
    pub dt: f64,
    pub steps: u64,
    /// `None` = NVE.
    pub thermostat: Option<NoseHooverSettings>,
    pub wiggle: Option<Wiggle>,
    /// Record a sample at step 0 and every this many steps (0 = only the first and last step).
    pub sample_every: u64,
}

impl MdSettings {
    /// NVE (`fix nve`) for `steps` steps of `dt`, without wiggle, sampled at the first and last
    /// step only.
    pub fn nve(units: Units, dt: f64, steps: u64) -> Self {
        MdSettings {
            units,
            dt,
            steps,
            thermostat: None,
            wiggle: None,
            sample_every: 0,
        }
    }

    /// Nosé–Hoover NVT ramping from `t_start` to `t_stop` with damping time `t_damp` (LAMMPS
    /// `fix nvt temp T_START T_STOP TDAMP`), otherwise as [`MdSettings::nve`].
    pub fn nvt(units: Units, dt: f64, steps: u64, t_start: f64, t_stop: f64, t_damp: f64) -> Self {
        MdSettings {
            thermostat: Some(NoseHooverSettings::new(t_start, t_stop, t_damp)),
            ..MdSettings::nve(units, dt, steps)
        }
    }
}

/// Thermodynamic state at one step. Energies are totals (not per atom); the pressure tensor is
/// LAMMPS' `compute pressure` vector `[pxx, pyy, pzz, pxy, pxz, pyz]` (pressure units,
/// positive = compressive).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MdSample {
    pub step: u64,
    pub time: f64,
    pub temperature: f64,
    pub pe: f64,
    pub ke: f64,
    pub etotal: f64,
    /// PE + KE + thermostat energy (the quantity NVT conserves; = etotal for NVE).
    pub conserved: f64,
    pub pressure: f64,
    pub pressure_tensor: [f64; 6],
    /// Box tilts `[xy, xz, yz]`.
    pub tilt: [f64; 3],
    /// Shear strain of the wiggled tilt relative to the run start (0 without wiggle).
    pub strain: f64,
}

struct Snapshot {
    positions: Vec<[f64; 3]>,
    velocities: Vec<[f64; 3]>,
    images: Vec<[i32; 3]>,
    simbox: crate::SimBox,
}

/// Run MD on `sys` (which must have velocities and masses). `on_sample` is called with the
/// system and each recorded sample (thermo output, dumps, progress). On a non-finite energy the
/// system is restored to the last step whose energy was finite and the error returned.
pub fn run_md<P: ForceProvider + ?Sized>(
    sys: &mut System,
    provider: &mut P,
    settings: &MdSettings,
    on_sample: &mut dyn FnMut(&System, &MdSample),
) -> Result<Vec<MdSample>, EngineError> {
    crate::engine::minimize::check_system(sys)?;
    if !(settings.dt.is_finite() && settings.dt > 0.0) {
        return Err(EngineError::InvalidInput(format!(
            "md: timestep must be > 0, got {}",
            settings.dt
        )));
    }
    let n = sys.natoms();
    let mass = per_atom_masses(sys)?;
    let mut v = match sys.velocities.take() {
        Some(v) if v.len() == n => v,
        _ => {
            return Err(EngineError::InvalidInput(
                "md: the system has no velocities (create them first)".into(),
            ))
        }
    };
    if let Some(w) = &settings.wiggle {
        let bad = w.tilt > 2
            || !sys.simbox.triclinic
            || w.every == 0
            || !(w.period.is_finite() && w.period > 0.0)
            || !w.amplitude.is_finite();
        if bad {
            sys.velocities = Some(v);
            return Err(EngineError::InvalidInput(
                "wiggle needs a triclinic box, tilt 0..2, every >= 1, a finite amplitude and period > 0"
                    .into(),
            ));
        }
    }
    let result = integrate(sys, provider, settings, &mass, &mut v, on_sample);
    sys.velocities = Some(v);
    if result.is_ok() {
        wrap_all(sys);
    }
    result
}

fn integrate<P: ForceProvider + ?Sized>(
    sys: &mut System,
    provider: &mut P,
    settings: &MdSettings,
    mass: &[f64],
    v: &mut [[f64; 3]],
    on_sample: &mut dyn FnMut(&System, &MdSample),
) -> Result<Vec<MdSample>, EngineError> {
    let units = settings.units;
    let dt = settings.dt;
    let dtf = 0.5 * dt * units.ftm2v();
    let n = sys.natoms();
    let mut fr = ForceResult::with_atoms(n);
    provider.compute(sys, &mut fr)?;
    if !fr.energy.is_finite() {
        return Err(EngineError::NonFiniteEnergy {
            energy: fr.energy,
            stage: "MD setup",
            evaluation: 0,
        });
    }
    let tdof = temperature_dof(n);
    let mut nh = match &settings.thermostat {
        Some(s) => Some(NoseHooverChain::new(
            s,
            units,
            dt,
            tdof,
            kinetic_temperature(v, mass, units),
        )?),
        None => None,
    };
    let tilt_start = sys.simbox.tilt;
    let mut samples = Vec::new();
    let record =
        |sys: &System,
         v: &[[f64; 3]],
         fr: &ForceResult,
         nh: &Option<NoseHooverChain>,
         step: u64| { sample(sys, v, mass, fr, nh, settings, tilt_start, step) };
    let s0 = record(sys, v, &fr, &nh, 0);
    on_sample(sys, &s0);
    samples.push(s0);

    let mut snap = Snapshot {
        positions: sys.positions.clone(),
        velocities: v.to_vec(),
        images: sys.images.clone(),
        simbox: sys.simbox,
    };
    let steps = settings.steps;
    for step in 1..=steps {
        snap.positions.copy_from_slice(&sys.positions);
        snap.velocities.copy_from_slice(v);
        snap.images.copy_from_slice(&sys.images);
        snap.simbox = sys.simbox;

        if let Some(nh) = nh.as_mut() {
            // delta = (ntimestep − beginstep)/(endstep − beginstep), as compute_temp_target.
            let mut delta = step as f64;
            if delta != 0.0 {
                delta /= steps as f64;
            }
            nh.compute_temp_target(delta);
            nh.half_step(v);
        }
        for ((x, vi), (fi, m)) in sys
            .positions
            .iter_mut()
            .zip(v.iter_mut())
            .zip(fr.forces.iter().zip(mass))
        {
            let dtfm = dtf / m;
            for d in 0..3 {
                vi[d] += dtfm * fi[d];
            }
            for d in 0..3 {
                x[d] += dt * vi[d];
            }
        }
        if settings.wiggle.as_ref().is_some_and(|w| w.flip) {
            flip_if_needed(sys)?;
        }
        let evaluated = provider.compute(sys, &mut fr);
        if evaluated.is_err() || !fr.energy.is_finite() {
            let energy = fr.energy;
            sys.positions.copy_from_slice(&snap.positions);
            v.copy_from_slice(&snap.velocities);
            sys.images.copy_from_slice(&snap.images);
            sys.simbox = snap.simbox;
            evaluated?;
            return Err(EngineError::NonFiniteEnergy {
                energy,
                stage: "MD step",
                evaluation: step as usize,
            });
        }
        for ((vi, fi), m) in v.iter_mut().zip(&fr.forces).zip(mass) {
            let dtfm = dtf / m;
            for d in 0..3 {
                vi[d] += dtfm * fi[d];
            }
        }
        if let Some(nh) = nh.as_mut() {
            nh.t_current = kinetic_temperature(v, mass, units);
            nh.half_step(v);
        }
        if let Some(w) = &settings.wiggle {
            if step % w.every == 0 {
                let t = step as f64 * dt;
                let target = wiggle_target(tilt_start[w.tilt], w.amplitude, w.period, t);
                let nb = deform_tilt_box(&sys.simbox, w.tilt, target)?;
                remap_affine(sys, nb);
            }
        }
        let due = if settings.sample_every == 0 {
            step == steps
        } else {
            step % settings.sample_every == 0 || step == steps
        };
        if due {
            let s = record(sys, v, &fr, &nh, step);
            on_sample(sys, &s);
            samples.push(s);
        }
    }
    Ok(samples)
}

#[allow(clippy::too_many_arguments)]
fn sample(
    sys: &System,
    v: &[[f64; 3]],
    mass: &[f64],
    fr: &ForceResult,
    nh: &Option<NoseHooverChain>,
    settings: &MdSettings,
    tilt_start: [f64; 3],
    step: u64,
) -> MdSample {
    let units = settings.units;
    let mut ke_tensor = [0.0; 6];
    for (vi, m) in v.iter().zip(mass) {
        ke_tensor[0] += m * vi[0] * vi[0];
        ke_tensor[1] += m * vi[1] * vi[1];
        ke_tensor[2] += m * vi[2] * vi[2];
        ke_tensor[3] += m * vi[0] * vi[1];
        ke_tensor[4] += m * vi[0] * vi[2];
        ke_tensor[5] += m * vi[1] * vi[2];
    }
    for k in ke_tensor.iter_mut() {
        *k *= units.mvv2e();
    }
    let temperature = kinetic_temperature(v, mass, units);
    let ke = 0.5 * temperature_dof(v.len()) * units.boltz() * temperature;
    let inv_volume = 1.0 / sys.simbox.volume();
    let mut p = [0.0; 6];
    for k in 0..6 {
        p[k] = (ke_tensor[k] + fr.virial[k]) * inv_volume * units.nktv2p();
    }
    let pressure = (temperature_dof(v.len()) * units.boltz() * temperature
        + fr.virial[0]
        + fr.virial[1]
        + fr.virial[2])
        / 3.0
        * inv_volume
        * units.nktv2p();
    let etotal = fr.energy + ke;
    let strain = match &settings.wiggle {
        Some(w) => {
            let l = sys.simbox.lengths();
            let den = if w.tilt == 0 { l[1] } else { l[2] };
            (sys.simbox.tilt[w.tilt] - tilt_start[w.tilt]) / den
        }
        None => 0.0,
    };
    MdSample {
        step,
        time: step as f64 * settings.dt,
        temperature,
        pe: fr.energy,
        ke,
        etotal,
        conserved: etotal + nh.as_ref().map_or(0.0, |c| c.energy()),
        pressure,
        pressure_tensor: p,
        tilt: sys.simbox.tilt,
        strain,
    }
}
