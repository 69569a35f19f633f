//! Figures of `pelkit cyclic` on the shared plot module ([`crate::plot`]):
//! * `--plot`: δ(γ) log–log (each sample, and the mean ± standard error when there are
//!   several) above Θ(γ) steps on the same γ axis (seed 000 Fig. 2);
//! * `--plot-hist`: Δσ_i histograms of up to seven γ (probability density on one common
//!   binning, pooled over samples) with an inset of FWHM(γ) (seed 000 Fig. 3a).

use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::rows::Row;
use crate::plot::{render, series_color, Chart, PlotResult, SeriesStyle, XyPlot, XySeries};
use pelkit::analysis::histogram::Histogram;

/// Two stacked panels: δ(γ) (70 % of the height) and Θ(γ).
struct DeltaFigure {
    delta: XyPlot,
    theta: XyPlot,
}

impl Chart for DeltaFigure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (_, h) = area.dim_in_pixel();
        let (top, bottom) = area.split_vertically((h as f64 * 0.7) as u32);
        self.delta.draw(&top)?;
        self.theta.draw(&bottom)
    }
}

/// `--plot`: δ(γ) per sample (points joined) and, for several samples, the mean with standard
/// errors; Θ(γ) as steps below. Failed points are left out.
pub fn write_delta(path: &Path, rows: &[Row], summary: &[serde_json::Value]) -> Result<()> {
    let mut samples: Vec<usize> = rows.iter().map(|r| r.sample).collect();
    samples.sort_unstable();
    samples.dedup();
    let mut delta = XyPlot::new("intra-cage cyclic loading", "γ", "δ(γ)");
    delta.x_log = true;
    delta.y_log = true;
    let mut theta = XyPlot::new("", "γ", "Θ(γ)");
    theta.x_log = true;
    theta.y_range = Some((-0.1, 1.1));
    for (k, &s) in samples.iter().enumerate() {
        let mut r: Vec<&Row> = rows.iter().filter(|r| r.sample == s && r.ok()).collect();
        r.sort_by(|a, b| a.gamma.total_cmp(&b.gamma));
        let label = r.first().map(|x| short_name(&x.input)).unwrap_or_default();
        let pts: Vec<(f64, f64)> = r
            .iter()
            .filter_map(|x| x.delta.map(|d| (x.gamma, d)))
            .collect();
        delta.series.push(
            XySeries::new(label.clone(), pts, SeriesStyle::LinePoints).with_color(series_color(k)),
        );
        let steps: Vec<(f64, f64)> = r
            .iter()
            .filter_map(|x| x.theta.map(|t| (x.gamma, t as u8 as f64)))
            .collect();
        theta
            .series
            .push(XySeries::new(label, steps, SeriesStyle::Steps).with_color(series_color(k)));
    }
    if samples.len() > 1 {
        let mut pts = Vec::new();
        let mut err = Vec::new();
        for s in summary {
            if let (Some(g), Some(m)) = (s["gamma"].as_f64(), s["delta_mean"].as_f64()) {
                pts.push((g, m));
                err.push(s["delta_sem"].as_f64().unwrap_or(0.0));
            }
        }
        delta.series.push(
            XySeries::new("mean ± s.e.", pts, SeriesStyle::Points)
                .with_errors(err)
                .with_color(RGBColor(0, 0, 0)),
        );
    }
    render(path, (900, 720), &DeltaFigure { delta, theta })
}

/// Main histogram panel with an FWHM(γ) inset in its upper left corner.
struct HistogramFigure {
    histograms: XyPlot,
    fwhm: XyPlot,
}

impl Chart for HistogramFigure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        self.histograms.draw(area)?;
        let (w, h) = area.dim_in_pixel();
        let (iw, ih) = ((w as f64 * 0.34) as u32, (h as f64 * 0.36) as u32);
        let inset = area.clone().shrink((80, 40), (iw, ih));
        inset.fill(&WHITE)?;
        self.fwhm.draw(&inset)
    }
}

/// `--plot-hist`: Δσ_i histograms (probability density, log scale, pooled over samples) of up
/// to seven γ spread over the sweep, all on one binning: 100 bins over ±(99th percentile of the
/// pooled |Δσ_i| of the drawn γ), so narrow distributions show as one tall bin at 0. The inset
/// is FWHM(γ) of every γ (each on its own binning, as in the CSV).
pub fn write_histograms(path: &Path, hists: &[(f64, Histogram, Vec<f64>)]) -> Result<()> {
    let mut main = XyPlot::new(
        "Δσ_i after one load–unload cycle",
        "Δσ_i (pressure units)",
        "probability density",
    );
    main.y_log = true;
    let mut fwhm = XyPlot::new("FWHM(γ)", "γ", "");
    fwhm.x_log = true;
    fwhm.y_log = true;
    let fw: Vec<(f64, f64)> = hists.iter().map(|(g, h, _)| (*g, h.fwhm())).collect();
    fwhm.series
        .push(XySeries::new("", fw, SeriesStyle::LinePoints).with_color(RGBColor(0, 0, 0)));
    let step = hists.len().div_ceil(7).max(1);
    let drawn: Vec<&(f64, Histogram, Vec<f64>)> = hists.iter().step_by(step).collect();
    let pooled: Vec<f64> = drawn.iter().flat_map(|x| x.2.iter().copied()).collect();
    let common = Histogram::symmetric_quantile(&pooled, 100, 0.99)?;
    for (k, (g, _, values)) in drawn.iter().enumerate() {
        let h = Histogram::new(values, common.lo, common.hi, 100)?;
        let n = values.len().max(1) as f64;
        let w = h.bin_width();
        let edges: Vec<f64> = (0..=h.counts.len()).map(|b| h.lo + b as f64 * w).collect();
        let dens: Vec<f64> = h.counts.iter().map(|&c| c as f64 / (n * w)).collect();
        main.series.push(
            XySeries::histogram(format!("γ = {g:.2e}"), &edges, &dens).with_color(series_color(k)),
        );
    }
    render(
        path,
        (900, 640),
        &HistogramFigure {
            histograms: main,
            fwhm,
        },
    )
}

fn short_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}
