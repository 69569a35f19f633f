//! The LAMMPS unit styles pelkit supports (`lj`, `metal`, `real`) and their constants, one table
//! for the potentials (virial → stress and pressure) and the engine (MD, FIRE, temperatures).
//!
//! Values are those of LAMMPS `Update::set_units` (`src/update.cpp`), the same literals and the
//! same operation order (e.g. metal `ftm2v = 1.0/1.0364269e-4`), so results match LAMMPS bit for
//! bit where LAMMPS itself is deterministic.

/// A LAMMPS unit style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Reduced Lennard-Jones units (all conversion factors 1).
    Lj,
    /// Å, eV, ps, g/mol, K, bar.
    Metal,
    /// Å, kcal/mol, fs, g/mol, K, atm.
    Real,
}

impl Units {
    /// Parse a LAMMPS `units` name (`lj`, `metal`, `real`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "lj" => Some(Units::Lj),
            "metal" => Some(Units::Metal),
            "real" => Some(Units::Real),
            _ => None,
        }
    }

    /// The LAMMPS name of the style.
    pub fn name(self) -> &'static str {
        match self {
            Units::Lj => "lj",
            Units::Metal => "metal",
            Units::Real => "real",
        }
    }

    /// Boltzmann constant, energy / temperature (`force->boltz`).
    pub fn boltz(self) -> f64 {
        match self {
            Units::Lj => 1.0,
            Units::Metal => 8.617343e-5,
            Units::Real => 0.0019872067,
        }
    }

    /// Energy per mass·velocity² (`force->mvv2e`).
    pub fn mvv2e(self) -> f64 {
        match self {
            Units::Lj => 1.0,
            Units::Metal => 1.0364269e-4,
            Units::Real => 48.88821291 * 48.88821291,
        }
    }

    /// Velocity per force/mass·time (`force->ftm2v`).
    pub fn ftm2v(self) -> f64 {
        match self {
            Units::Lj => 1.0,
            Units::Metal => 1.0 / 1.0364269e-4,
            Units::Real => 1.0 / 48.88821291 / 48.88821291,
        }
    }

    /// Pressure·volume per energy (`force->nktv2p`).
    pub fn nktv2p(self) -> f64 {
        match self {
            Units::Lj => 1.0,
            Units::Metal => 1.6021765e6,
            Units::Real => 68568.415,
        }
    }

    /// Default timestep (`update->dt`): 0.005 τ (lj), 0.001 ps (metal), 1 fs (real).
    pub fn default_dt(self) -> f64 {
        match self {
            Units::Lj => 0.005,
            Units::Metal => 0.001,
            Units::Real => 1.0,
        }
    }

    /// Default neighbor skin (`neighbor->skin`): 0.3 σ (lj), 2 Å (metal, real).
    pub fn default_skin(self) -> f64 {
        match self {
            Units::Lj => 0.3,
            Units::Metal | Units::Real => 2.0,
        }
    }

    /// Whether LAMMPS normalizes thermo energies per atom by default (`thermo_modify norm`:
    /// yes for lj only), which the minimizers follow.
    pub fn default_norm(self) -> bool {
        matches!(self, Units::Lj)
    }
}

#[cfg(test)]
mod tests {
    use super::Units;

    /// The factors are reciprocal as in LAMMPS (ftm2v = 1/mvv2e) and names round-trip.
    #[test]
    fn names_round_trip_and_ftm2v_is_inverse_of_mvv2e() {
        for u in [Units::Lj, Units::Metal, Units::Real] {
            assert_eq!(Units::from_name(u.name()), Some(u));
            // Two roundings apart at most (real divides twice): relative 1e-15.
            assert!((u.ftm2v() * u.mvv2e() - 1.0).abs() < 1e-15, "{u:?}");
        }
        assert_eq!(Units::from_name("si"), None);
    }
}
