//! Adapter from the library's potentials ([`crate::potential::Potential`]) to the engine's
//! [`ForceProvider`]: owns a `HalfBinned` Verlet neighbor list with a skin and rebuilds it when an atom
//! moved more than half the skin or the box changed (LAMMPS `neighbor SKIN bin` +
//! `neigh_modify every 1 delay 0 check yes`, which `minimize` enforces).

use crate::engine::{EngineError, ForceProvider, ForceResult};
use crate::geometry::{ListKind, NeighborList};
use crate::potential::Potential;
use crate::System;

/// A potential plus its neighbor list.
pub struct PotentialProvider {
    potential: Potential,
    skin: f64,
    list: Option<NeighborList>,
    /// Number of neighbor-list builds so far.
    pub rebuilds: usize,
}

impl PotentialProvider {
    /// `skin` in distance units (LAMMPS defaults: 2.0 metal, 0.3 lj).
    pub fn new(potential: Potential, skin: f64) -> Result<Self, EngineError> {
        if !(skin.is_finite() && skin >= 0.0) {
            return Err(EngineError::InvalidInput(format!(
                "neighbor skin must be finite and >= 0, got {skin}"
            )));
        }
        Ok(PotentialProvider {
            potential,
            skin,
            list: None,
            rebuilds: 0,
        })
    }

    pub fn potential(&self) -> &Potential {
        &self.potential
    }
}

impl ForceProvider for PotentialProvider {
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError> {
        let stale = match &self.list {
            Some(l) => l.natoms() != sys.natoms() || l.needs_rebuild(&sys.simbox, &sys.positions),
            None => true,
        };
        if stale {
            let list = NeighborList::build(
                &sys.simbox,
                &sys.positions,
                self.potential.cutoff(),
                self.skin,
                ListKind::HalfBinned,
            )
            .map_err(|e| EngineError::Provider(format!("neighbor list: {e}")))?;
            self.list = Some(list);
            self.rebuilds += 1;
        }
        let Some(list) = &self.list else {
            return Err(EngineError::Provider("no neighbor list".into()));
        };
        let mut ev = self
            .potential
            .evaluate(sys, list)
            .map_err(|e| EngineError::Provider(e.to_string()))?;
        out.energy = ev.energy;
        // The evaluation is ours: take its force array instead of copying it.
        std::mem::swap(&mut out.forces, &mut ev.forces);
        out.virial = ev.virial;
        Ok(())
    }
}
