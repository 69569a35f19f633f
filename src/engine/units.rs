//! LAMMPS unit styles used by the engine (`src/update.cpp`, `Update::set_units`).

/// The unit styles the engine supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Å, eV, ps, g/mol, K, bar.
    Metal,
    /// Reduced Lennard-Jones units (all conversion factors 1).
    Lj,
}

impl Units {
    /// Boltzmann constant (energy / temperature).
    pub fn boltz(self) -> f64 {
        match self {
            Units::Metal => 8.617343e-5,
            Units::Lj => 1.0,
        }
    }
    /// mass·velocity² → energy.
    pub fn mvv2e(self) -> f64 {
        match self {
            Units::Metal => 1.0364269e-4,
            Units::Lj => 1.0,
        }
    }
    /// force/mass·time → velocity (LAMMPS `ftm2v`).
    pub fn ftm2v(self) -> f64 {
        match self {
            Units::Metal => 1.0 / 1.0364269e-4,
            Units::Lj => 1.0,
        }
    }
    /// (number density · energy) → pressure (LAMMPS `nktv2p`).
    pub fn nktv2p(self) -> f64 {
        match self {
            Units::Metal => 1.6021765e6,
            Units::Lj => 1.0,
        }
    }
    /// Default timestep.
    pub fn default_dt(self) -> f64 {
        match self {
            Units::Metal => 0.001,
            Units::Lj => 0.005,
        }
    }
    /// Whether LAMMPS normalizes thermo energies per atom by default (`thermo_modify norm`),
    /// which the minimizers follow.
    pub fn default_norm(self) -> bool {
        matches!(self, Units::Lj)
    }
    /// The LAMMPS name of the style.
    pub fn name(self) -> &'static str {
        match self {
            Units::Metal => "metal",
            Units::Lj => "lj",
        }
    }
}
