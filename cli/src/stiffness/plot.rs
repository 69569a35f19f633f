//! `pelkit stiffness --plot-hist`: distributions of the atomic stiffness K_i (probability
//! density on one common binning): left, one outline per temperature and the mean over T (black);
//! right, the mean over T split by atom type.

use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::{render, series_color, Chart, PlotResult, XyPlot, XySeries};
use pelkit::analysis::histogram::Histogram;

/// Bins of every histogram: √N (N atoms), between 10 and 60.
fn bins(n: usize) -> usize {
    ((n as f64).sqrt().round() as usize).clamp(10, 60)
}

/// Two panels side by side.
struct KFigure {
    per_t: XyPlot,
    per_type: XyPlot,
}

impl Chart for KFigure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w / 2);
        self.per_t.draw(&left)?;
        self.per_type.draw(&right)
    }
}

/// The density outline of `values` on bins over [lo, hi].
fn density(label: String, values: &[f64], lo: f64, hi: f64) -> Result<XySeries> {
    let nbins = bins(values.len());
    let h = Histogram::new(values, lo, hi, nbins)?;
    let (n, w) = (values.len().max(1) as f64, h.bin_width());
    let edges: Vec<f64> = (0..=nbins).map(|b| lo + b as f64 * w).collect();
    let dens: Vec<f64> = h.counts.iter().map(|&c| c as f64 / (n * w)).collect();
    Ok(XySeries::histogram(label, &edges, &dens))
}

/// Write the figure (√N bins per outline, so the per-type outlines use fewer, wider bins): `per_t` = (T, K_i(T)) for each temperature (may be a single one), `mean` =
/// K_i averaged over T, `types` the atom types (same order), `unit` the stiffness unit.
pub fn write_k_histograms(
    path: &Path,
    per_t: &[(f64, &[f64])],
    mean: &[f64],
    types: &[u32],
    unit: &str,
) -> Result<()> {
    // Common range: 0 to the largest value of any distribution (K_i > 0 by construction).
    let hi = per_t
        .iter()
        .flat_map(|(_, k)| k.iter())
        .chain(mean)
        .fold(0.0f64, |a, &v| if v.is_finite() { a.max(v) } else { a });
    let hi = if hi > 0.0 { hi } else { 1.0 };
    let x_label = format!("K_i ({unit})");
    let mut left = XyPlot::new("K_i per temperature", &x_label, "probability density");
    left.x_range = Some((0.0, hi));
    if per_t.len() > 1 {
        for (k, (t, values)) in per_t.iter().enumerate() {
            left.series
                .push(density(format!("T = {t}"), values, 0.0, hi)?.with_color(series_color(k)));
        }
    }
    left.series.push(
        density(format!("mean over T (n = {})", mean.len()), mean, 0.0, hi)?
            .with_color(RGBColor(0, 0, 0)),
    );
    let mut right = XyPlot::new("K_i (mean over T) by type", &x_label, "probability density");
    right.x_range = Some((0.0, hi));
    let mut kinds: Vec<u32> = types.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    for (k, &ty) in kinds.iter().enumerate() {
        let values: Vec<f64> = mean
            .iter()
            .zip(types)
            .filter(|(_, &t)| t == ty)
            .map(|(&v, _)| v)
            .collect();
        let m = values.iter().sum::<f64>() / values.len() as f64;
        right.series.push(
            density(
                format!("type {ty} (n = {}, mean {m:.3})", values.len()),
                &values,
                0.0,
                hi,
            )?
            .with_color(series_color(k)),
        );
    }
    render(
        path,
        (1100, 480),
        &KFigure {
            per_t: left,
            per_type: right,
        },
    )
}
