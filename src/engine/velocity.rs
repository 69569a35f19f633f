//! Initial velocities: Maxwell–Boltzmann with a seed, zero total momentum, scaled to the exact
//! target temperature (the effect of LAMMPS `velocity all create T seed mom yes dist gaussian`;
//! LAMMPS' random stream itself is not reproduced). Also the kinetic temperature.

use crate::engine::min_fire::per_atom_masses;
use crate::engine::EngineError;
use crate::random::Rng;
use crate::units::Units;
use crate::System;

/// Degrees of freedom of the default temperature compute: 3N − 3 (momentum removed).
pub fn temperature_dof(natoms: usize) -> f64 {
    (3 * natoms) as f64 - 3.0
}

/// Kinetic temperature Σ m v² · mvv2e / (dof · k_B), as LAMMPS `compute temp` (dof = 3N − 3).
pub fn kinetic_temperature(v: &[[f64; 3]], mass: &[f64], units: Units) -> f64 {
    let mut t = 0.0;
    for (vi, m) in v.iter().zip(mass) {
        t += (vi[0] * vi[0] + vi[1] * vi[1] + vi[2] * vi[2]) * m;
    }
    let dof = temperature_dof(v.len());
    if dof > 0.0 {
        t * units.mvv2e() / (dof * units.boltz())
    } else {
        0.0
    }
}

/// Give `sys` Maxwell–Boltzmann velocities at `temperature` from `seed`: Gaussian components
/// drawn in atom-id order (so the result does not depend on storage order), total momentum set
/// to zero, then scaled so the kinetic temperature (3N − 3 dof) is exactly `temperature`.
pub fn create_velocities(
    sys: &mut System,
    temperature: f64,
    seed: u64,
    units: Units,
) -> Result<(), EngineError> {
    if !(temperature.is_finite() && temperature >= 0.0) {
        return Err(EngineError::InvalidInput(format!(
            "velocity temperature must be finite and >= 0, got {temperature}"
        )));
    }
    if sys.natoms() < 2 {
        return Err(EngineError::InvalidInput(
            "velocity creation needs at least 2 atoms".into(),
        ));
    }
    let mass = per_atom_masses(sys)?;
    let mut rng = Rng::new(seed);
    let mut v = vec![[0.0; 3]; sys.natoms()];
    for i in sys.order_by_id() {
        let sigma = (units.boltz() * temperature / (mass[i] * units.mvv2e())).sqrt();
        v[i] = [
            sigma * rng.gaussian(),
            sigma * rng.gaussian(),
            sigma * rng.gaussian(),
        ];
    }
    zero_momentum(&mut v, &mass);
    let t = kinetic_temperature(&v, &mass, units);
    if t > 0.0 {
        let factor = (temperature / t).sqrt();
        for vi in v.iter_mut() {
            for c in vi.iter_mut() {
                *c *= factor;
            }
        }
    }
    sys.velocities = Some(v);
    Ok(())
}

/// Subtract the centre-of-mass velocity.
pub fn zero_momentum(v: &mut [[f64; 3]], mass: &[f64]) {
    let mut p = [0.0; 3];
    let mut mtot = 0.0;
    for (vi, m) in v.iter().zip(mass) {
        for d in 0..3 {
            p[d] += m * vi[d];
        }
        mtot += m;
    }
    if mtot > 0.0 {
        let vcm = [p[0] / mtot, p[1] / mtot, p[2] / mtot];
        for vi in v.iter_mut() {
            for d in 0..3 {
                vi[d] -= vcm[d];
            }
        }
    }
}
