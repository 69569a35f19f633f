//! Nosé–Hoover chain thermostat of LAMMPS `fix nvt` (`src/fix_nh.cpp`, thermostat part only):
//! chain of `tchain` (default 3) with `tloop` (default 1) sub-cycles, masses re-derived from the
//! target temperature every half step, and the same Trotter operation order.

use crate::engine::EngineError;
use crate::units::Units;

/// Default Nosé–Hoover damping time for timestep `dt`: 100 timesteps, the value the LAMMPS
/// `fix nvt` documentation recommends.
pub fn default_t_damp(dt: f64) -> f64 {
    100.0 * dt
}

/// `fix nvt temp Tstart Tstop Tdamp [tchain N] [tloop M] [drag D]`.
#[derive(Debug, Clone, PartialEq)]
pub struct NoseHooverSettings {
    pub t_start: f64,
    pub t_stop: f64,
    /// Damping time (time units); LAMMPS suggests 100 timesteps.
    pub t_damp: f64,
    pub tchain: usize,
    pub tloop: usize,
    pub drag: f64,
}

impl NoseHooverSettings {
    /// LAMMPS defaults: tchain 3, tloop 1, drag 0.
    pub fn new(t_start: f64, t_stop: f64, t_damp: f64) -> Self {
        NoseHooverSettings {
            t_start,
            t_stop,
            t_damp,
            tchain: 3,
            tloop: 1,
            drag: 0.0,
        }
    }
}

/// The chain state and its integration constants.
#[derive(Debug, Clone)]
pub struct NoseHooverChain {
    t_start: f64,
    t_stop: f64,
    t_freq: f64,
    mtchain: usize,
    nc_tchain: usize,
    tdrag_factor: f64,
    boltz: f64,
    tdof: f64,
    dthalf: f64,
    dt4: f64,
    dt8: f64,
    pub eta: Vec<f64>,
    /// Length mtchain + 1; the last element stays 0.
    pub eta_dot: Vec<f64>,
    pub eta_dotdot: Vec<f64>,
    pub eta_mass: Vec<f64>,
    pub t_target: f64,
    ke_target: f64,
    /// Current kinetic temperature as the fix tracks it (rescaled inside the half steps).
    pub t_current: f64,
}

impl NoseHooverChain {
    /// `FixNH::init` + `FixNH::setup` for a run starting at `t_current` with `tdof` degrees of
    /// freedom and timestep `dt`.
    pub fn new(
        s: &NoseHooverSettings,
        units: Units,
        dt: f64,
        tdof: f64,
        t_current: f64,
    ) -> Result<Self, EngineError> {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        if !(ok(s.t_start) && ok(s.t_stop) && s.t_damp.is_finite() && s.t_damp > 0.0) {
            return Err(EngineError::InvalidInput(format!(
                "nvt: temperatures must be >= 0 and Tdamp > 0 (got {} {} {})",
                s.t_start, s.t_stop, s.t_damp
            )));
        }
        if s.tchain == 0 || s.tloop == 0 {
            return Err(EngineError::InvalidInput(
                "nvt: tchain and tloop must be at least 1".into(),
            ));
        }
        let t_freq = 1.0 / s.t_damp;
        let mtchain = s.tchain;
        let mut nh = NoseHooverChain {
            t_start: s.t_start,
            t_stop: s.t_stop,
            t_freq,
            mtchain,
            nc_tchain: s.tloop,
            tdrag_factor: 1.0 - (dt * t_freq * s.drag / s.tloop as f64),
            boltz: units.boltz(),
            tdof,
            dthalf: 0.5 * dt,
            dt4: 0.25 * dt,
            dt8: 0.125 * dt,
            eta: vec![0.0; mtchain],
            eta_dot: vec![0.0; mtchain + 1],
            eta_dotdot: vec![0.0; mtchain],
            eta_mass: vec![0.0; mtchain],
            t_target: s.t_start,
            ke_target: 0.0,
            t_current,
        };
        nh.compute_temp_target(0.0);
        nh.update_masses();
        for ich in 1..mtchain {
            nh.eta_dotdot[ich] = (nh.eta_mass[ich - 1] * nh.eta_dot[ich - 1] * nh.eta_dot[ich - 1]
                - nh.boltz * nh.t_target)
                / nh.eta_mass[ich];
        }
        Ok(nh)
    }

    /// `FixNH::compute_temp_target` with `fraction` = (step − beginstep)/(endstep − beginstep).
    pub fn compute_temp_target(&mut self, fraction: f64) {
        self.t_target = self.t_start + fraction * (self.t_stop - self.t_start);
        self.ke_target = self.tdof * self.boltz * self.t_target;
    }

    /// Chain masses from the current target, in LAMMPS' operation order.
    fn update_masses(&mut self) {
        let tf2 = self.t_freq * self.t_freq;
        self.eta_mass[0] = self.tdof * self.boltz * self.t_target / tf2;
        for ich in 1..self.mtchain {
            self.eta_mass[ich] = self.boltz * self.t_target / tf2;
        }
    }

    /// One thermostat half step (`FixNH::nhc_temp_integrate`), scaling `v` in place.
    pub fn half_step(&mut self, v: &mut [[f64; 3]]) {
        let m = self.mtchain;
        let mut kecurrent = self.tdof * self.boltz * self.t_current;
        self.update_masses();
        self.eta_dotdot[0] = if self.eta_mass[0] > 0.0 {
            (kecurrent - self.ke_target) / self.eta_mass[0]
        } else {
            0.0
        };
        let ncfac = 1.0 / self.nc_tchain as f64;
        for _ in 0..self.nc_tchain {
            for ich in (1..m).rev() {
                let expfac = (-ncfac * self.dt8 * self.eta_dot[ich + 1]).exp();
                self.eta_dot[ich] *= expfac;
                self.eta_dot[ich] += self.eta_dotdot[ich] * ncfac * self.dt4;
                self.eta_dot[ich] *= self.tdrag_factor;
                self.eta_dot[ich] *= expfac;
            }
            let expfac = (-ncfac * self.dt8 * self.eta_dot[1]).exp();
            self.eta_dot[0] *= expfac;
            self.eta_dot[0] += self.eta_dotdot[0] * ncfac * self.dt4;
            self.eta_dot[0] *= self.tdrag_factor;
            self.eta_dot[0] *= expfac;

            let factor_eta = (-ncfac * self.dthalf * self.eta_dot[0]).exp();
            for vi in v.iter_mut() {
                vi[0] *= factor_eta;
                vi[1] *= factor_eta;
                vi[2] *= factor_eta;
            }
            self.t_current *= factor_eta * factor_eta;
            kecurrent = self.tdof * self.boltz * self.t_current;
            self.eta_dotdot[0] = if self.eta_mass[0] > 0.0 {
                (kecurrent - self.ke_target) / self.eta_mass[0]
            } else {
                0.0
            };
            for ich in 0..m {
                self.eta[ich] += ncfac * self.dthalf * self.eta_dot[ich];
            }
            self.eta_dot[0] *= expfac;
            self.eta_dot[0] += self.eta_dotdot[0] * ncfac * self.dt4;
            self.eta_dot[0] *= expfac;
            for ich in 1..m {
                let expfac = (-ncfac * self.dt8 * self.eta_dot[ich + 1]).exp();
                self.eta_dot[ich] *= expfac;
                self.eta_dotdot[ich] =
                    (self.eta_mass[ich - 1] * self.eta_dot[ich - 1] * self.eta_dot[ich - 1]
                        - self.boltz * self.t_target)
                        / self.eta_mass[ich];
                self.eta_dot[ich] += self.eta_dotdot[ich] * ncfac * self.dt4;
                self.eta_dot[ich] *= expfac;
            }
        }
    }

    /// Energy of the thermostat variables (`FixNH::compute_scalar`, thermostat part): the
    /// conserved quantity of NVT is PE + KE + this.
    pub fn energy(&self) -> f64 {
        let kt = self.boltz * self.t_target;
        let mut e = self.ke_target * self.eta[0] + 0.5 * self.eta_mass[0] * self.eta_dot[0].powi(2);
        for ich in 1..self.mtchain {
            e += kt * self.eta[ich] + 0.5 * self.eta_mass[ich] * self.eta_dot[ich].powi(2);
        }
        e
    }
}
