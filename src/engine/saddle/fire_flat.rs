//! FIRE (Bitzek et al. 2006) on a flat coordinate vector with unit masses and an arbitrary
//! force: the optimizer of ART's perpendicular relaxation and activation (on the modified
//! force) and of the NEB band (on the nudged forces), where no energy is being minimized.
//! Energy minimizations of a System use [`crate::engine::min_cg`] / [`crate::engine::min_fire`].

use crate::engine::saddle::{dot, max_atom_norm, norm, SaddleError};

/// FIRE parameters (time in the units where mass = 1: distance = force·time²).
#[derive(Debug, Clone, PartialEq)]
pub struct FlatFireSettings {
    /// Initial timestep.
    pub dt: f64,
    /// Largest timestep.
    pub dt_max: f64,
    /// Largest distance any atom may move in one step (distance units).
    pub max_step: f64,
    /// Mixing parameter after a reset (0.1) and its decay factor (0.99).
    pub alpha0: f64,
    pub f_alpha: f64,
    /// Steps with P > 0 before dt grows (5), growth (1.1) and shrink (0.5) factors.
    pub n_min: usize,
    pub f_inc: f64,
    pub f_dec: f64,
}

impl FlatFireSettings {
    /// Bitzek et al.'s parameters with the given timestep and step limit; dt_max = 4·dt (with
    /// unit masses dt_max must stay below 2/√(largest curvature), so dt is chosen for that).
    pub fn new(dt: f64, max_step: f64) -> Self {
        FlatFireSettings {
            dt,
            dt_max: 4.0 * dt,
            max_step,
            alpha0: 0.1,
            f_alpha: 0.99,
            n_min: 5,
            f_inc: 1.1,
            f_dec: 0.5,
        }
    }

    pub fn validate(&self) -> Result<(), SaddleError> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !(ok(self.dt) && ok(self.dt_max) && ok(self.max_step)) {
            return Err(SaddleError::InvalidInput(format!(
                "FIRE: dt, dt_max and max_step must be finite and > 0 (got {}, {}, {})",
                self.dt, self.dt_max, self.max_step
            )));
        }
        Ok(())
    }
}

/// The FIRE velocities and adaptive parameters.
#[derive(Debug, Clone)]
pub struct FlatFire {
    pub v: Vec<[f64; 3]>,
    pub dt: f64,
    pub alpha: f64,
    n_positive: usize,
}

impl FlatFire {
    pub fn new(n: usize, s: &FlatFireSettings) -> Self {
        FlatFire {
            v: vec![[0.0; 3]; n],
            dt: s.dt,
            alpha: s.alpha0,
            n_positive: 0,
        }
    }

    /// One step: returns the displacement to add to the coordinates given the force `f`.
    pub fn step(&mut self, f: &[[f64; 3]], s: &FlatFireSettings) -> Vec<[f64; 3]> {
        let p = dot(&self.v, f);
        if p > 0.0 {
            self.n_positive += 1;
            if self.n_positive > s.n_min {
                self.dt = (self.dt * s.f_inc).min(s.dt_max);
                self.alpha *= s.f_alpha;
            }
        } else {
            self.n_positive = 0;
            self.dt *= s.f_dec;
            self.alpha = s.alpha0;
            for vi in self.v.iter_mut() {
                *vi = [0.0; 3];
            }
        }
        let dt = self.dt;
        for (vi, fi) in self.v.iter_mut().zip(f) {
            for k in 0..3 {
                vi[k] += dt * fi[k];
            }
        }
        let vn = norm(&self.v);
        let fnrm = norm(f);
        if fnrm > 0.0 {
            let (a, c) = (1.0 - self.alpha, self.alpha * vn / fnrm);
            for (vi, fi) in self.v.iter_mut().zip(f) {
                for k in 0..3 {
                    vi[k] = a * vi[k] + c * fi[k];
                }
            }
        }
        let mut dx: Vec<[f64; 3]> = self
            .v
            .iter()
            .map(|v| [v[0] * dt, v[1] * dt, v[2] * dt])
            .collect();
        let m = max_atom_norm(&dx);
        if m > s.max_step {
            let c = s.max_step / m;
            for d in dx.iter_mut() {
                for x in d.iter_mut() {
                    *x *= c;
                }
            }
            for vi in self.v.iter_mut() {
                for x in vi.iter_mut() {
                    *x *= c;
                }
            }
        }
        dx
    }
}
