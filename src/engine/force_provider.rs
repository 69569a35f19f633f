//! The interface between the engine and a potential: energy, forces and virial of a System.

use crate::engine::EngineError;
use crate::System;

/// Result of one force evaluation, in the units of the potential.
///
/// `energy` is the total potential energy (never normalized per atom); `forces` are per atom in
/// the order of `System::positions`; `virial` is Σ r·f over pairs (energy units), ordered
/// `[xx, yy, zz, xy, xz, yz]` as LAMMPS' `virial[6]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForceResult {
    pub energy: f64,
    pub forces: Vec<[f64; 3]>,
    pub virial: [f64; 6],
}

impl ForceResult {
    /// An empty result sized for `natoms` atoms.
    pub fn with_atoms(natoms: usize) -> Self {
        ForceResult {
            energy: 0.0,
            forces: vec![[0.0; 3]; natoms],
            virial: [0.0; 6],
        }
    }
}

/// A potential together with whatever neighbor data it keeps. The provider decides when its
/// neighbor list must be rebuilt (positions and box may change arbitrarily between calls).
pub trait ForceProvider {
    /// Evaluate energy, forces and virial of `sys` into `out` (resized by the provider if needed;
    /// every field is overwritten).
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError>;
}
