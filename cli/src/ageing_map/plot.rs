//! Figures of `pelkit ageing-map` (seed 001, Fig. 2), drawn with the shared plot module: the
//! (E_IS, T) colour maps of −Φ without and with load, of f = Φ^L/Φ^0 and of the loaded stress
//! (one panel each, colour bars), and f against τ with the fitted cosh.

use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::{render, series_color, Chart, ColorMap, ColorScale, PlotResult};
use crate::plot::{SeriesStyle, XyPlot, XySeries};
use pelkit::analysis::ageing_map::{BoostFit, RateMap, RatioPixel};
use pelkit::units::Units;

struct Panels(Vec<ColorMap>);

impl Chart for Panels {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let n = self.0.len().max(1);
        let cols = if n > 1 { 2 } else { 1 };
        let rows = n.div_ceil(cols);
        let cells = area.split_evenly((rows, cols));
        for (m, cell) in self.0.iter().zip(&cells) {
            m.draw(cell)?;
        }
        Ok(())
    }
}

fn grid(m: &RateMap, value: impl Fn(usize) -> Option<f64>) -> Vec<Vec<f64>> {
    (0..m.bins_t.n)
        .map(|it| {
            (0..m.bins_e.n)
                .map(|ie| value(it * m.bins_e.n + ie).unwrap_or(f64::NAN))
                .collect()
        })
        .collect()
}

fn panel(m: &RateMap, title: &str, bar: &str, values: Vec<Vec<f64>>, diverging: bool) -> ColorMap {
    let scale = if diverging {
        ColorScale::diverging_for(&values)
    } else {
        ColorScale::sequential_for(&values)
    };
    ColorMap {
        title: title.into(),
        x_label: "E_IS (energy/atom)".into(),
        y_label: "T".into(),
        bar_label: bar.into(),
        x_range: (m.bins_e.lo, m.bins_e.hi),
        y_range: (m.bins_t.lo, m.bins_t.hi),
        values,
        scale,
    }
}

/// The maps: −Φ_0, and with load −Φ_L, f and τ_L. Empty pixels are blank.
pub fn maps(
    path: &Path,
    unloaded: &RateMap,
    loaded: Option<&RateMap>,
    ratio: Option<&[RatioPixel]>,
) -> Result<()> {
    let neg = |m: &RateMap| grid(m, |k| m.pixels[k].phi_mean.map(|v| -v));
    let mut panels = vec![panel(
        unloaded,
        "ageing rate −Φ, no load",
        "−Φ",
        neg(unloaded),
        false,
    )];
    if let Some(l) = loaded {
        panels.push(panel(l, "ageing rate −Φ, loaded", "−Φ", neg(l), false));
        if let Some(r) = ratio {
            panels.push(panel(l, "f = Φ_L/Φ_0", "f", grid(l, |k| r[k].f), false));
        }
        panels.push(panel(
            l,
            "mean shear stress τ, loaded",
            "τ",
            grid(l, |k| l.pixels[k].tau_mean),
            true,
        ));
    }
    let size = if panels.len() > 1 {
        (1200, 900)
    } else {
        (700, 500)
    };
    render(path, size, &Panels(panels))
}

/// f against τ per temperature with error bars, and κ·cosh(τ·V_act/k_BT) at each T.
pub fn boost_fit(path: &Path, fit: &BoostFit, units: Units) -> Result<()> {
    let vol = if units == Units::Metal {
        "Å³"
    } else {
        "σ³"
    };
    let mut plot = XyPlot::new(
        format!(
            "f = κ cosh(τ V_act / k_B T): V_act = {:.1} ± {:.1} {vol}, κ = {:.2}",
            fit.v_act, fit.v_act_se, fit.kappa
        ),
        if units == Units::Metal {
            "τ (bar)"
        } else {
            "τ (ε/σ³)"
        },
        "f = Φ_L / Φ_0",
    );
    let mut temps: Vec<f64> = fit.points.iter().map(|p| p.1).collect();
    temps.sort_by(f64::total_cmp);
    temps.dedup_by(|a, b| (*a - *b).abs() < 1e-9 * b.abs().max(1.0));
    let k_b = pelkit::analysis::ageing_map::boltzmann_stress_volume(units);
    for (k, &t) in temps.iter().enumerate() {
        let pts: Vec<(f64, f64)> = fit
            .points
            .iter()
            .filter(|p| (p.1 - t).abs() < 1e-9 * t.abs().max(1.0))
            .map(|p| (p.0, p.2))
            .collect();
        // Each T's curve spans its own stress range (a shared range would dwarf the data).
        let tau_max = pts.iter().map(|p| p.0.abs()).fold(0.0, f64::max) * 1.2;
        let color = series_color(k);
        plot.series
            .push(XySeries::new(format!("T = {t:.0}"), pts, SeriesStyle::Points).with_color(color));
        let curve: Vec<(f64, f64)> = (0..=100)
            .map(|i| {
                let tau = tau_max * i as f64 / 100.0;
                (tau, fit.kappa * (tau * fit.v_act / (k_b * t)).cosh())
            })
            .collect();
        plot.series
            .push(XySeries::new("", curve, SeriesStyle::Line).with_color(color));
    }
    plot.h_lines.push(1.0);
    render(path, (800, 560), &plot)
}
