//! The figure of `pelkit barriers`: E_A spectra (left) and contour vs end-to-end length on
//! log–log axes with the fitted C ∼ L^δ (right).

use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::Table;
use crate::plot::{render, series_color, Chart, PlotResult, SeriesStyle, XyPlot, XySeries};

struct Figure<'a> {
    spectrum: XyPlot,
    cl: XyPlot,
    _t: &'a [Table],
}

impl Chart for Figure<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w / 2);
        self.spectrum.draw(&left)?;
        self.cl.draw(&right)
    }
}

pub fn write(path: &Path, tables: &[Table], bin: f64) -> Result<()> {
    let lo = tables
        .iter()
        .flat_map(|t| t.e_a.iter().copied())
        .fold(f64::INFINITY, f64::min);
    let hi = tables
        .iter()
        .flat_map(|t| t.e_a.iter().copied())
        .fold(f64::NEG_INFINITY, f64::max);
    let mut spectrum = XyPlot::new("E_A spectrum", "E_A", "probability density");
    let mut cl = XyPlot::new("MEP contour vs end-to-end length", "L", "C");
    cl.x_log = true;
    cl.y_log = true;
    if lo.is_finite() && hi.is_finite() {
        let start = (lo / bin).floor() * bin;
        let nb = (((hi - start) / bin).floor() as usize + 1).max(1);
        let edges: Vec<f64> = (0..=nb).map(|k| start + k as f64 * bin).collect();
        for (k, t) in tables.iter().enumerate() {
            let mut h = vec![0.0; nb];
            for &e in &t.e_a {
                let i = (((e - start) / bin).floor() as usize).min(nb - 1);
                h[i] += 1.0;
            }
            let n = t.e_a.len().max(1) as f64;
            h.iter_mut().for_each(|v| *v /= n * bin);
            spectrum.series.push(
                XySeries::histogram(format!("{} (n = {})", t.label, t.e_a.len()), &edges, &h)
                    .with_color(series_color(k)),
            );
        }
    }
    let mut lmin = f64::INFINITY;
    let mut lmax: f64 = 0.0;
    for (k, t) in tables.iter().enumerate() {
        if t.lc.is_empty() {
            continue;
        }
        let label = match &t.fit {
            Some(f) => format!("{} (δ = {:.2} ± {:.2})", t.label, f.delta, f.delta_stderr),
            None => t.label.clone(),
        };
        cl.series.push(
            XySeries::new(label, t.lc.clone(), SeriesStyle::Points).with_color(series_color(k)),
        );
        for &(l, _) in &t.lc {
            lmin = lmin.min(l);
            lmax = lmax.max(l);
        }
        if let Some(f) = &t.fit {
            let line: Vec<(f64, f64)> =
                t.lc.iter()
                    .map(|&(l, _)| l)
                    .fold(vec![], |mut v: Vec<f64>, l| {
                        v.push(l);
                        v
                    })
                    .into_iter()
                    .map(|l| (l, (f.intercept + f.delta * l.ln()).exp()))
                    .collect();
            let mut line = line;
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            cl.series.push(
                XySeries::new(format!("fit {}", t.label), line, SeriesStyle::Line)
                    .with_color(series_color(k)),
            );
        }
    }
    if lmin.is_finite() && lmax > 0.0 {
        // C = L (a straight path) for reference.
        cl.series.push(
            XySeries::new("C = L", vec![(lmin, lmin), (lmax, lmax)], SeriesStyle::Line)
                .with_color(RGBColor(128, 128, 128)),
        );
    }
    render(
        path,
        (1200, 520),
        &Figure {
            spectrum,
            cl,
            _t: tables,
        },
    )
}
