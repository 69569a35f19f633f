//! OVITO's rules turning a cell's faces into a Voronoi index ⟨n3, n4, n5, n6, …⟩ and a
//! coordination number (`VoronoiAnalysisModifier`, lammps-facts §4):
//!
//! * an edge counts toward its face's order only if its length exceeds `edge_length`
//!   (every edge counts when `edge_length` is 0);
//! * the effective area threshold is max(`face_area`, `relative_face_area` × cell surface area);
//! * a face is kept iff (threshold is 0 or area > threshold) and its order is ≥ 3;
//! * index entry k counts the kept faces of order k; coordination = number of kept faces.

use super::error::VoronoiError;

/// Faces of order ≥ this go to the last index entry (OVITO's `FaceOrderStorageLimit` is 32).
pub const MAX_FACE_ORDER: usize = 31;

/// Thresholds applied when counting faces for the Voronoi index (all default to 0 = keep all).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IndexThresholds {
    /// Minimum edge length (distance units).
    pub edge_length: f64,
    /// Absolute minimum face area (distance² units).
    pub face_area: f64,
    /// Minimum face area as a fraction of the cell's total surface area, in [0, 1].
    pub relative_face_area: f64,
}

impl IndexThresholds {
    pub fn validate(&self) -> Result<(), VoronoiError> {
        for (what, value) in [
            ("edge-length", self.edge_length),
            ("face-area", self.face_area),
            ("relative face-area", self.relative_face_area),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(VoronoiError::BadThreshold { what, value });
            }
        }
        Ok(())
    }

    /// The effective absolute area threshold of a cell with this total surface area.
    #[inline]
    pub fn area_threshold(&self, surface_area: f64) -> f64 {
        self.face_area.max(self.relative_face_area * surface_area)
    }

    /// Whether a face of `area` with `order` edges above the edge threshold is kept.
    #[inline]
    pub fn keeps(&self, area_threshold: f64, area: f64, order: usize) -> bool {
        (area_threshold == 0.0 || area > area_threshold) && order >= 3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effective_threshold_is_the_larger_one() {
        let t = IndexThresholds {
            edge_length: 0.0,
            face_area: 0.5,
            relative_face_area: 0.01,
        };
        assert_eq!(t.area_threshold(10.0), 0.5);
        assert_eq!(t.area_threshold(100.0), 1.0);
        // strict inequality, as OVITO: a face exactly at the threshold is dropped
        assert!(!t.keeps(1.0, 1.0, 5));
        assert!(t.keeps(1.0, 1.0 + 1e-12, 5));
        // two remaining edges: dropped even with no area threshold
        assert!(!t.keeps(0.0, 3.0, 2));
        assert!(t.keeps(0.0, 0.0, 3));
    }

    #[test]
    fn negative_or_nan_thresholds_are_rejected() {
        let mut t = IndexThresholds::default();
        assert!(t.validate().is_ok());
        t.edge_length = -1.0;
        assert!(t.validate().is_err());
        t.edge_length = f64::NAN;
        assert!(t.validate().is_err());
    }
}
