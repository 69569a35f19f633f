//! Geometry of a minimum energy path in configuration space (seed 001, Fig. 3c1): the reaction
//! coordinate (cumulative distance along the images), the contour length C (sum of the distances
//! between consecutive images), the end-to-end length L (distance between the end points), the
//! tortuosity C/L, and the fractal dimension δ of C ∼ L^δ fitted across paths.
//! Distances are Euclidean in the 3N-dimensional configuration space (minimum image per atom).

use serde::Serialize;

use crate::engine::saddle::{displacement, distance, norm};
use crate::System;

/// C, L, C/L and the reaction coordinate of one path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PathMetrics {
    pub reaction_coordinate: Vec<f64>,
    pub contour_length: f64,
    pub end_to_end: f64,
    pub tortuosity: f64,
}

impl PathMetrics {
    pub fn of_images(images: &[System]) -> Self {
        let mut rc = vec![0.0];
        for w in images.windows(2) {
            let d = norm(&displacement(&w[0], &w[1]));
            rc.push(rc.last().copied().unwrap_or(0.0) + d);
        }
        let c = rc.last().copied().unwrap_or(0.0);
        let l = match (images.first(), images.last()) {
            (Some(a), Some(b)) => distance(a, b),
            _ => 0.0,
        };
        PathMetrics {
            reaction_coordinate: rc,
            contour_length: c,
            end_to_end: l,
            tortuosity: if l > 0.0 { c / l } else { f64::NAN },
        }
    }
}

/// Least-squares fit of ln C = δ ln L + b over paths with C, L > 0.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FractalFit {
    pub delta: f64,
    pub intercept: f64,
    /// Standard error of δ (NaN with fewer than 3 paths).
    pub delta_stderr: f64,
    pub paths: usize,
}

/// Fit C ∼ L^δ; `None` with fewer than 2 usable paths or no spread in L.
pub fn fractal_dimension(contour: &[f64], end_to_end: &[f64]) -> Option<FractalFit> {
    let pts: Vec<(f64, f64)> = contour
        .iter()
        .zip(end_to_end)
        .filter(|(c, l)| **c > 0.0 && **l > 0.0 && c.is_finite() && l.is_finite())
        .map(|(c, l)| (l.ln(), c.ln()))
        .collect();
    let n = pts.len();
    if n < 2 {
        return None;
    }
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let delta = sxy / sxx;
    let intercept = my - delta * mx;
    let stderr = if n > 2 {
        let rss: f64 = pts
            .iter()
            .map(|p| (p.1 - intercept - delta * p.0).powi(2))
            .sum();
        (rss / (n - 2) as f64 / sxx).sqrt()
    } else {
        f64::NAN
    };
    Some(FractalFit {
        delta,
        intercept,
        delta_stderr: stderr,
        paths: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact power law C = 2 L^1.42 is recovered to rounding.
    #[test]
    fn fractal_fit_recovers_power_law() {
        let l = [0.5, 1.0, 2.0, 3.5, 7.0];
        let c: Vec<f64> = l.iter().map(|x: &f64| 2.0 * x.powf(1.42)).collect();
        let f = fractal_dimension(&c, &l).unwrap();
        assert!((f.delta - 1.42).abs() < 1e-12 && (f.intercept - 2f64.ln()).abs() < 1e-12);
        assert!(f.delta_stderr < 1e-10);
    }
}
