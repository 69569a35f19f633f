//! Atomic-level stress (Egami): per-atom stress tensors, hydrostatic pressure and von Mises
//! shear stress from per-atom virials in the LAMMPS `compute stress/atom` convention and a
//! per-atom volume (e.g. the Voronoi volume); [`unboxed_atomic_stresses`] for atoms given
//! without a box (the C ABI / LAMMPS plugin path).
//!
//! Conventions (lammps-facts §3.2). LAMMPS `stress/atom` gives, per atom,
//! S_ab = −(m v_a v_b + W_ab) in pressure·volume units (bar·Å³ in metal units), components in
//! the order xx, yy, zz, xy, xz, yz, where W is the atom's share of the virial. Summed over atoms,
//! Σ_i S_i / V = −P, the negative of the LAMMPS pressure tensor (thermo `pxx … pyz`). Here:
//!
//! * atomic stress σ_i = S_i / Ω_i (pressure units; positive = tension, the mechanics sign), so
//!   Σ_i Ω_i σ_i / V = −P;
//! * atomic pressure p_i = −(σ_xx + σ_yy + σ_zz)/3 (positive = compressed, LAMMPS' sign);
//! * von Mises shear stress τ_i = √J₂ = √( [(σxx−σyy)² + (σyy−σzz)² + (σzz−σxx)²]/6
//!   + σxy² + σxz² + σyz² ) (the von Mises equivalent stress is √3·τ_i).

use thiserror::Error;

use crate::analysis::voronoi::unboxed::WALL_MARGIN;
use crate::analysis::voronoi::{tessellate, VoronoiError, VoronoiOptions};
use crate::geometry::simbox::{bounding_box, BoxError, NonFinitePosition, SimBox};
use crate::potential::{Potential, PotentialError};
use crate::system::System;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum AtomicStressError {
    #[error("{virials} per-atom virials but {volumes} per-atom volumes")]
    LengthMismatch { virials: usize, volumes: usize },
    /// A volume ≤ 0 or non-finite gives no stress; `index` is the atom's position in the arrays.
    #[error("atom at index {index} has volume {volume}: atomic stress needs a positive volume")]
    BadVolume { index: usize, volume: f64 },
    #[error("atom at index {index} has a non-finite per-atom virial {virial:?}")]
    NonFiniteVirial { index: usize, virial: [f64; 6] },
}

/// Stress of one atom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtomicStress {
    /// σ = S/Ω: xx, yy, zz, xy, xz, yz (pressure units, positive = tension).
    pub sigma: [f64; 6],
    /// Hydrostatic pressure −tr(σ)/3.
    pub pressure: f64,
    /// von Mises shear stress √J₂.
    pub von_mises: f64,
}

impl AtomicStress {
    /// From one `stress/atom` row and the atom's volume (no checks: see [`atomic_stresses`]).
    #[inline]
    pub fn from_virial(s: [f64; 6], volume: f64) -> Self {
        let sigma = s.map(|v| v / volume);
        let [xx, yy, zz, xy, xz, yz] = sigma;
        let pressure = -(xx + yy + zz) / 3.0;
        let j2 = ((xx - yy).powi(2) + (yy - zz).powi(2) + (zz - xx).powi(2)) / 6.0
            + xy * xy
            + xz * xz
            + yz * yz;
        AtomicStress {
            sigma,
            pressure,
            von_mises: j2.sqrt(),
        }
    }

    /// The atom's pressure tensor −σ (xx, yy, zz, xy, xz, yz), LAMMPS' sign.
    pub fn pressure_tensor(&self) -> [f64; 6] {
        self.sigma.map(|v| -v)
    }
}

/// Atomic stresses of all atoms from `stress/atom` rows and per-atom volumes.
pub fn atomic_stresses(
    per_atom_virial: &[[f64; 6]],
    volumes: &[f64],
) -> Result<Vec<AtomicStress>, AtomicStressError> {
    if per_atom_virial.len() != volumes.len() {
        return Err(AtomicStressError::LengthMismatch {
            virials: per_atom_virial.len(),
            volumes: volumes.len(),
        });
    }
    per_atom_virial
        .iter()
        .zip(volumes)
        .enumerate()
        .map(|(index, (&s, &volume))| {
            if !(volume.is_finite() && volume > 0.0) {
                return Err(AtomicStressError::BadVolume { index, volume });
            }
            if !s.iter().all(|v| v.is_finite()) {
                return Err(AtomicStressError::NonFiniteVirial { index, virial: s });
            }
            Ok(AtomicStress::from_virial(s, volume))
        })
        .collect()
}

/// The global pressure tensor −Σ_i S_i / V (xx, yy, zz, xy, xz, yz) — equal to LAMMPS' thermo
/// `pxx … pyz` (virial part) when the per-atom virials are LAMMPS' and `box_volume` its volume.
pub fn pressure_tensor_from_virials(per_atom_virial: &[[f64; 6]], box_volume: f64) -> [f64; 6] {
    let mut sum = [0.0; 6];
    for s in per_atom_virial {
        for k in 0..6 {
            sum[k] += s[k];
        }
    }
    sum.map(|v| -v / box_volume)
}

/// `compute stress/atom NULL virial` rows S_i = −nktv2p·W_i from per-atom virials W_i
/// (energy units, as `Evaluation::per_atom_virial`); `nktv2p` converts to pressure·volume
/// (`Units::nktv2p`).
pub fn stress_atom_from_virials(per_atom_virial: &[[f64; 6]], nktv2p: f64) -> Vec<[f64; 6]> {
    per_atom_virial
        .iter()
        .map(|w| w.map(|v| -nktv2p * v))
        .collect()
}

/// Why the atomic stresses of atoms given without a box could not be computed.
#[derive(Debug, Error)]
pub enum UnboxedStressError {
    #[error("{nlocal} owned atoms but only {nall} atoms given")]
    TooManyLocal { nlocal: usize, nall: usize },
    #[error(transparent)]
    NonFinite(#[from] NonFinitePosition),
    #[error("invalid box: {0}")]
    Box(#[from] BoxError),
    #[error(transparent)]
    Potential(#[from] PotentialError),
    #[error(transparent)]
    Voronoi(#[from] VoronoiError),
    #[error("atomic stress: {0}")]
    Stress(#[from] AtomicStressError),
}

/// Atomic stresses of the first `nlocal` of the atoms `types`/`x` given without a box (a LAMMPS
/// rank's owned atoms followed by its ghost atoms): σ = S/Ω with S = −`nktv2p`·W the potential
/// part of `stress/atom` and Ω the Voronoi volume.
///
/// The potential is evaluated in a periodic box padded by its cutoff around the atoms' bounding
/// box (so periodic images never interact: the isolated cluster), the cells are tessellated
/// inside walls [`WALL_MARGIN`] beyond it. Exact for an owned atom when every atom within twice
/// the cutoff of it is given (an EAM atom's virial involves its neighbours' densities) and the
/// ghost shell bounds its Voronoi cell.
pub fn unboxed_atomic_stresses(
    potential: &Potential,
    types: &[u32],
    x: &[[f64; 3]],
    nlocal: usize,
    nktv2p: f64,
) -> Result<Vec<AtomicStress>, UnboxedStressError> {
    let nall = x.len();
    if nlocal > nall {
        return Err(UnboxedStressError::TooManyLocal { nlocal, nall });
    }
    let (lo, hi) = bounding_box(x)?;
    let ids: Vec<u64> = (1..=nall as u64).collect();
    let padded = System::new(
        SimBox::padded(lo, hi, potential.cutoff())?,
        ids.clone(),
        types.to_vec(),
        x.to_vec(),
    );
    let walled = System::new(
        SimBox::walled(lo, hi, WALL_MARGIN)?,
        ids,
        types.to_vec(),
        x.to_vec(),
    );
    let evaluation = potential.evaluate_system(&padded)?;
    let cells = tessellate(&walled, &VoronoiOptions::default())?;
    let virials = stress_atom_from_virials(&evaluation.per_atom_virial[..nlocal], nktv2p);
    Ok(atomic_stresses(&virials, &cells.volumes[..nlocal])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rotation invariance of p and τ (they are invariants of σ): oracle = the same stress
    /// rotated by an explicit rotation matrix. Tolerance 1e-12 relative: round-off of the
    /// 3×3 products.
    #[test]
    fn pressure_and_von_mises_are_rotation_invariant() {
        let s = [3.0, -1.0, 0.5, 0.7, -0.2, 1.1];
        let a = AtomicStress::from_virial(s, 2.0);
        let m = [[s[0], s[3], s[4]], [s[3], s[1], s[5]], [s[4], s[5], s[2]]];
        let (c, si) = (0.3f64.cos(), 0.3f64.sin());
        let (c2, s2) = (1.1f64.cos(), 1.1f64.sin());
        let rz = [[c, -si, 0.0], [si, c, 0.0], [0.0, 0.0, 1.0]];
        let rx = [[1.0, 0.0, 0.0], [0.0, c2, -s2], [0.0, s2, c2]];
        let mul = |a: [[f64; 3]; 3], b: [[f64; 3]; 3]| {
            let mut r = [[0.0; 3]; 3];
            for i in 0..3 {
                for j in 0..3 {
                    r[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
                }
            }
            r
        };
        let t = |a: [[f64; 3]; 3]| {
            let mut r = [[0.0; 3]; 3];
            for i in 0..3 {
                for j in 0..3 {
                    r[i][j] = a[j][i];
                }
            }
            r
        };
        let q = mul(rz, rx);
        let mr = mul(mul(q, m), t(q));
        let sr = [mr[0][0], mr[1][1], mr[2][2], mr[0][1], mr[0][2], mr[1][2]];
        let b = AtomicStress::from_virial(sr, 2.0);
        assert!((a.pressure - b.pressure).abs() < 1e-12 * a.pressure.abs());
        assert!((a.von_mises - b.von_mises).abs() < 1e-12 * a.von_mises);
        // Pure shear σxy = τ0 has von Mises shear stress exactly τ0 and no pressure.
        let shear = AtomicStress::from_virial([0.0, 0.0, 0.0, 4.0, 0.0, 0.0], 2.0);
        assert_eq!(shear.von_mises, 2.0);
        assert_eq!(shear.pressure, 0.0);
        // Uniaxial tension σxx = s0: √J₂ = s0/√3.
        let uni = AtomicStress::from_virial([6.0, 0.0, 0.0, 0.0, 0.0, 0.0], 2.0);
        assert!((uni.von_mises - 3.0 / 3f64.sqrt()).abs() < 1e-15);
        assert_eq!(uni.pressure, -1.0);
    }

    #[test]
    fn bad_volumes_and_lengths_are_errors() {
        let v = [[1.0; 6]; 2];
        assert!(matches!(
            atomic_stresses(&v, &[1.0]),
            Err(AtomicStressError::LengthMismatch { .. })
        ));
        assert!(matches!(
            atomic_stresses(&v, &[1.0, 0.0]),
            Err(AtomicStressError::BadVolume { index: 1, .. })
        ));
        assert!(matches!(
            atomic_stresses(&v, &[1.0, f64::NAN]),
            Err(AtomicStressError::BadVolume { index: 1, .. })
        ));
    }
}
