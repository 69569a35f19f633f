//! What changed between two configurations of the same atoms in the same box (the initial and
//! final minima of a load–unload cycle): the relative RMS change δ of one per-atom quantity
//! (an atomic-stress component), minimum-image displacements, the most displaced atoms, and
//! which atoms' Voronoi indices changed.

use thiserror::Error;

use crate::analysis::voronoi::Tessellation;
use crate::System;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum StateChangeError {
    #[error("the two configurations differ: {0}")]
    Mismatch(String),
    #[error("RMS of the initial values is zero: the relative change δ is undefined (an unstressed perfect crystal has σ_i = 0 for every shear component; pre-strain it)")]
    ZeroInitialRms,
    #[error("value at index {index} is not finite")]
    NonFinite { index: usize },
}

/// Root mean square of `values` (0 for none).
pub fn rms(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    (values.iter().map(|v| v * v).sum::<f64>() / values.len() as f64).sqrt()
}

/// Per-atom changes Δ_i = final_i − initial_i and their relative RMS change.
#[derive(Debug, Clone, PartialEq)]
pub struct RelativeChange {
    pub change: Vec<f64>,
    /// RMS(Δ_i).
    pub rms_change: f64,
    /// RMS(initial_i).
    pub rms_initial: f64,
    /// δ = RMS(Δ_i) / RMS(initial_i).
    pub delta: f64,
}

/// δ = RMS(final − initial) / RMS(initial) (seed 000, §2.1); exactly 0 when the arrays are equal.
pub fn relative_rms_change(
    initial: &[f64],
    final_values: &[f64],
) -> Result<RelativeChange, StateChangeError> {
    if initial.len() != final_values.len() {
        return Err(StateChangeError::Mismatch(format!(
            "{} initial values, {} final values",
            initial.len(),
            final_values.len()
        )));
    }
    let mut change = Vec::with_capacity(initial.len());
    for (index, (a, b)) in initial.iter().zip(final_values).enumerate() {
        if !(a.is_finite() && b.is_finite()) {
            return Err(StateChangeError::NonFinite { index });
        }
        change.push(b - a);
    }
    let rms_initial = rms(initial);
    if rms_initial == 0.0 {
        return Err(StateChangeError::ZeroInitialRms);
    }
    let rms_change = rms(&change);
    Ok(RelativeChange {
        delta: rms_change / rms_initial,
        change,
        rms_change,
        rms_initial,
    })
}

/// Minimum-image displacement final − initial of every atom (same order, same ids, same box).
pub fn displacements(initial: &System, fin: &System) -> Result<Vec<[f64; 3]>, StateChangeError> {
    if initial.ids != fin.ids {
        return Err(StateChangeError::Mismatch(
            "atom ids or their order differ".into(),
        ));
    }
    if initial.simbox != fin.simbox {
        return Err(StateChangeError::Mismatch(format!(
            "boxes differ: {:?} vs {:?}",
            initial.simbox, fin.simbox
        )));
    }
    Ok(initial
        .positions
        .iter()
        .zip(&fin.positions)
        .map(|(a, b)| {
            fin.simbox
                .minimum_image([b[0] - a[0], b[1] - a[1], b[2] - a[2]])
        })
        .collect())
}

/// |d| of each displacement.
pub fn magnitudes(d: &[[f64; 3]]) -> Vec<f64> {
    d.iter()
        .map(|v| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt())
        .collect()
}

/// Indices of the ⌈fraction·N⌉ (at least one) largest `magnitudes`, largest first; ties go to
/// the lower index so the choice is deterministic.
pub fn most_displaced(magnitudes: &[f64], fraction: f64) -> Vec<usize> {
    let n = magnitudes.len();
    if n == 0 {
        return Vec::new();
    }
    let k = ((fraction.max(0.0) * n as f64).ceil() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| magnitudes[b].total_cmp(&magnitudes[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

/// For each atom, whether its Voronoi index differs between the two tessellations.
pub fn voronoi_index_changed(
    initial: &Tessellation,
    fin: &Tessellation,
) -> Result<Vec<bool>, StateChangeError> {
    let n = initial.volumes.len();
    if fin.volumes.len() != n {
        return Err(StateChangeError::Mismatch(format!(
            "{n} and {} Voronoi cells",
            fin.volumes.len()
        )));
    }
    Ok((0..n)
        .map(|i| initial.voronoi_index(i) != fin.voronoi_index(i))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_change_identities() {
        // Equal arrays: δ = 0 exactly.
        let a = [1.0, -2.0, 3.0];
        assert_eq!(relative_rms_change(&a, &a).unwrap().delta, 0.0);
        // final = (1 + c)·initial: δ = |c| (up to round-off of c·a_i).
        let b: Vec<f64> = a.iter().map(|v| 1.25 * v).collect();
        let d = relative_rms_change(&a, &b).unwrap().delta;
        assert!((d - 0.25).abs() < 1e-15);
        assert_eq!(
            relative_rms_change(&[0.0, 0.0], &[1.0, 0.0]),
            Err(StateChangeError::ZeroInitialRms)
        );
        assert!(relative_rms_change(&[1.0], &[1.0, 2.0]).is_err());
    }

    #[test]
    fn most_displaced_picks_largest_with_ties_by_index() {
        let m = [0.1, 0.5, 0.5, 0.2];
        assert_eq!(most_displaced(&m, 1e-4), vec![1]);
        assert_eq!(most_displaced(&m, 0.5), vec![1, 2]);
        assert_eq!(most_displaced(&m, 0.6), vec![1, 2, 3]);
        assert!(most_displaced(&[], 0.5).is_empty());
    }
}
