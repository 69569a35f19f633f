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

struct Side(XyPlot, XyPlot);

impl Chart for Side {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (a, b) = area.split_horizontally(area.dim_in_pixel().0 * 3 / 5);
        self.0.draw(&a)?;
        self.1.draw(&b)
    }
}

/// Left: f against τ per temperature with error bars, κ̂·cosh(τ·V_act/k_BT) at each T at the
/// profile optimum and at the 95 % upper bound (paler colour).
/// Right: the profile Δχ²(V_act) with the 1σ (1) and one-sided 95 % (2.71) levels.
pub fn boost_fit(path: &Path, fit: &BoostFit, units: Units) -> Result<()> {
    let vol = if units == Units::Metal {
        "Å³"
    } else {
        "σ³"
    };
    let p = &fit.profile;
    let headline = if p.at_boundary {
        match p.upper_95 {
            Some(u) => format!("best V_act = 0: V_act < {u:.1} {vol} (95 %)"),
            None => "best V_act = 0, no bound within the scan".to_string(),
        }
    } else {
        format!(
            "V_act = {:.1} {vol}, 1σ [{:.1}, {}]",
            p.v_act,
            p.lower_1sigma,
            p.upper_1sigma
                .map(|v| format!("{v:.1}"))
                .unwrap_or("open".into())
        )
    };
    let mut plot = XyPlot::new(
        format!("f = κ cosh(τ V_act / k_B T): {headline}"),
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
    // Pixels at T enter the pooled fit as τ·T_ref/T: the curve at T is κ̂·cosh(τ·V/(k_B·T)).
    let curve_at = |t: f64, tau_max: f64, kappa: f64, v: f64| -> Vec<(f64, f64)> {
        (0..=100)
            .map(|i| {
                let tau = tau_max * i as f64 / 100.0;
                (tau, kappa * (tau * v / (k_b * t)).cosh())
            })
            .collect()
    };
    for (k, &t) in temps.iter().enumerate() {
        let same_t = |q: &(f64, f64, f64)| (q.1 - t).abs() < 1e-9 * t.abs().max(1.0);
        let pts: Vec<(f64, f64)> = fit
            .points
            .iter()
            .filter(|q| same_t(q))
            .map(|q| (q.0, q.2))
            .collect();
        // Each T's curve spans its own stress range (a shared range would dwarf the data).
        let tau_max = pts.iter().map(|p| p.0.abs()).fold(0.0, f64::max) * 1.2;
        let color = series_color(k);
        let mut series = XySeries::new(format!("T = {t:.0}"), pts, SeriesStyle::Points);
        if !fit.f_se.is_empty() {
            let se = fit
                .points
                .iter()
                .zip(&fit.f_se)
                .filter(|(q, _)| same_t(q))
                .map(|(_, e)| *e)
                .collect();
            series = series.with_errors(se);
        }
        plot.series.push(series.with_color(color));
        plot.series.push(
            XySeries::new(
                "",
                curve_at(t, tau_max, p.kappa, p.v_act),
                SeriesStyle::Line,
            )
            .with_color(color),
        );
        if let (Some(u), Some(ku)) = (p.upper_95, p.kappa_upper_95) {
            let label = if k == 0 { "95 % bound" } else { "" };
            plot.series.push(
                XySeries::new(label, curve_at(t, tau_max, ku, u), SeriesStyle::Line).with_color(
                    RGBColor(
                        ((color.0 as u16 + 255) / 2) as u8,
                        ((color.1 as u16 + 255) / 2) as u8,
                        ((color.2 as u16 + 255) / 2) as u8,
                    ),
                ),
            );
        }
    }
    plot.h_lines.push(1.0);
    let mut prof = XyPlot::new(
        format!("profile χ² ({} dof)", p.dof),
        format!("V_act ({vol})"),
        "Δχ² / scale",
    );
    let limit = p.upper_95.map(|u| 2.0 * u).unwrap_or(p.v_max);
    let scale = if p.scale > 0.0 { p.scale } else { 1.0 };
    let pts: Vec<(f64, f64)> = p
        .curve
        .iter()
        .filter(|q| q.0 <= limit)
        .map(|q| (q.0, (q.1 - p.chi2_min) / scale))
        .collect();
    prof.series
        .push(XySeries::new("Δχ²", pts, SeriesStyle::Line).with_color(series_color(0)));
    prof.h_lines.push(1.0);
    prof.h_lines
        .push(pelkit::analysis::fit::cosh_profile::DELTA_CHI2_UPPER_95);
    prof.y_range = Some((0.0, 8.0));
    render(path, (1200, 540), &Side(plot, prof))
}
