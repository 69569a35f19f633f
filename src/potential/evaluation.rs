//! The result of one force evaluation (energy, per-atom energy, forces, per-atom virial) and the
//! conversion of its virials into LAMMPS `stress/atom` and pressure.

use crate::system::System;
use crate::units::Units;

/// One evaluation of a potential on a configuration.
///
/// * `per_atom_energy` is LAMMPS `pe/atom`: embedding energy plus half of each pair energy.
/// * `per_atom_virial` is LAMMPS' `vatom` (energy units, order xx yy zz xy xz yz):
///   W_i = ½ Σ_j r_ij ⊗ r_ij · fpair with r_ij = x_i − x_j. `compute stress/atom` is
///   −nktv2p·(W_i + kinetic) — see [`Evaluation::stress_atom`].
/// * `virial` = Σ_i W_i (the pair part of LAMMPS' global virial, energy units).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub energy: f64,
    pub per_atom_energy: Vec<f64>,
    pub forces: Vec<[f64; 3]>,
    pub per_atom_virial: Vec<[f64; 6]>,
    pub virial: [f64; 6],
}

impl Evaluation {
    /// Kinetic tensor m·v_a·v_b·mvv2e per atom (zero without velocities or masses).
    fn kinetic(sys: &System, units: Units, i: usize) -> [f64; 6] {
        let (Some(v), Some(Some(m))) = (
            sys.velocities.as_ref().and_then(|v| v.get(i)),
            sys.types
                .get(i)
                .and_then(|&t| sys.masses.get((t as usize).wrapping_sub(1))),
        ) else {
            return [0.0; 6];
        };
        let mm = units.mvv2e() * m;
        [
            mm * v[0] * v[0],
            mm * v[1] * v[1],
            mm * v[2] * v[2],
            mm * v[0] * v[1],
            mm * v[0] * v[2],
            mm * v[1] * v[2],
        ]
    }

    /// Per-atom stress exactly as LAMMPS `compute stress/atom NULL` (pressure·volume units,
    /// order xx yy zz xy xz yz): S_i = −nktv2p·(m v⊗v·mvv2e + W_i). The kinetic part is included
    /// when the system has velocities and the atom's type has a mass.
    pub fn stress_atom(&self, sys: &System, units: Units) -> Vec<[f64; 6]> {
        let f = units.nktv2p();
        self.per_atom_virial
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let k = Self::kinetic(sys, units, i);
                std::array::from_fn(|c| -f * (k[c] + w[c]))
            })
            .collect()
    }

    /// Global pressure tensor as LAMMPS `compute pressure` (thermo `pxx pyy pzz pxy pxz pyz`):
    /// P_ab = (Σ_i m v_a v_b·mvv2e + W_ab)/V·nktv2p, kinetic part only when velocities and
    /// masses are present. The scalar pressure is the mean of the diagonal.
    pub fn pressure_tensor(&self, sys: &System, units: Units) -> [f64; 6] {
        let mut k = [0.0; 6];
        for i in 0..sys.natoms() {
            let ki = Self::kinetic(sys, units, i);
            for c in 0..6 {
                k[c] += ki[c];
            }
        }
        let inv_v = 1.0 / sys.simbox.volume();
        std::array::from_fn(|c| (k[c] + self.virial[c]) * inv_v * units.nktv2p())
    }
}
