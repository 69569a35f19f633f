//! Figures of `pelkit probe` (seed 000 Figs 4, 5a, 8), drawn with the shared plot module
//! (`cli::plot`): the Mollweide map of one atom's dE_atom per dr (diverging colour scale, the
//! dE_atom = 0 contour in black), its cluster curves dE_atom(dr) with dE_sys(dr) in a side panel,
//! the Ω/4π histogram per dr and the dr_min histogram.

use std::f64::consts::SQRT_2;
use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::{
    draw_color_bar, render, series_color, Chart, ColorScale, PlotResult, SeriesStyle, XyPlot,
    XySeries, FONT,
};
use pelkit::analysis::probe::{mollweide, Directions, LocalProbe, ScanResult};

/// Raster of one map panel: `values[row][col]`, NaN outside the ellipse.
struct Panel {
    title: String,
    values: Vec<Vec<f64>>,
    /// Diverging scale of this panel (dE_atom shrinks with dr: one scale per panel).
    scale: ColorScale,
}

struct MollweideMaps {
    panels: Vec<Panel>,
    bar_label: String,
}

const MAP_COLS: usize = 240;
const MAP_ROWS: usize = 120;

impl Chart for MollweideMaps {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let cells = area.split_evenly((self.panels.len().max(1), 1));
        let (xr, yr) = (2.0 * SQRT_2, SQRT_2);
        for (panel, row) in self.panels.iter().zip(&cells) {
            let (w, _) = row.dim_in_pixel();
            let (cell, bar) = row.split_horizontally(w.saturating_sub(110));
            draw_color_bar(&bar, &panel.scale, &self.bar_label)?;
            let mut chart = ChartBuilder::on(&cell)
                .caption(&panel.title, (FONT, 16))
                .margin(8)
                .build_cartesian_2d(-xr..xr, -yr..yr)?;
            let (dx, dy) = (2.0 * xr / MAP_COLS as f64, 2.0 * yr / MAP_ROWS as f64);
            let v = &panel.values;
            let sign_change = |r: usize, c: usize| {
                let s = v[r][c] < 0.0;
                let other = |rr: usize, cc: usize| v[rr][cc].is_finite() && (v[rr][cc] < 0.0) != s;
                (r > 0 && other(r - 1, c))
                    || (r + 1 < MAP_ROWS && other(r + 1, c))
                    || (c > 0 && other(r, c - 1))
                    || (c + 1 < MAP_COLS && other(r, c + 1))
            };
            let mut rects = Vec::new();
            for (r, row) in v.iter().enumerate() {
                for (c, &val) in row.iter().enumerate() {
                    if !val.is_finite() {
                        continue;
                    }
                    let color = if sign_change(r, c) && val < 0.0 {
                        BLACK
                    } else {
                        panel.scale.color(val)
                    };
                    let (x, y) = (-xr + c as f64 * dx, -yr + r as f64 * dy);
                    rects.push(Rectangle::new([(x, y), (x + dx, y + dy)], color.filled()));
                }
            }
            chart.draw_series(rects)?;
            // Outline of the ellipse.
            let outline: Vec<(f64, f64)> = (0..=200)
                .map(|k| {
                    let t = 2.0 * std::f64::consts::PI * k as f64 / 200.0;
                    (xr * t.cos(), yr * t.sin())
                })
                .collect();
            chart.draw_series(LineSeries::new(outline, RGBColor(90, 90, 90)))?;
        }
        Ok(())
    }
}

/// Mollweide maps of dE_atom of atom `atom` at each dr.
pub fn map(
    path: &Path,
    probe: &LocalProbe,
    atom: usize,
    dirs: &Directions,
    drs: &[f64],
) -> Result<()> {
    let site = probe.site(atom);
    let mut scratch = Vec::new();
    // Each pixel shows its direction cell (grid) or nearest direction.
    let mut lookup = vec![vec![usize::MAX; MAP_COLS]; MAP_ROWS];
    let (xr, yr) = (2.0 * SQRT_2, SQRT_2);
    for (r, row) in lookup.iter_mut().enumerate() {
        for (c, slot) in row.iter_mut().enumerate() {
            let x = -xr + (c as f64 + 0.5) * 2.0 * xr / MAP_COLS as f64;
            let y = -yr + (r as f64 + 0.5) * 2.0 * yr / MAP_ROWS as f64;
            if let Some((theta, phi)) = mollweide::inverse(x, y) {
                *slot = dirs.nearest(theta, phi);
            }
        }
    }
    let mut panels = Vec::new();
    for &dr in drs {
        let mut de = Vec::with_capacity(dirs.len());
        for v in &dirs.vectors {
            de.push(
                probe
                    .probe(
                        &site,
                        [dr * v[0], dr * v[1], dr * v[2]],
                        false,
                        &mut scratch,
                    )?
                    .de_atom,
            );
        }
        let neg = de.iter().filter(|&&e| e < 0.0).count();
        let values: Vec<Vec<f64>> = lookup
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&k| if k == usize::MAX { f64::NAN } else { de[k] })
                    .collect()
            })
            .collect();
        panels.push(Panel {
            scale: ColorScale::diverging_for(&values),
            title: format!(
                "atom {}  dr = {dr}  ({neg}/{} directions with dE_atom < 0)",
                probe.sys.ids[atom],
                dirs.len()
            ),
            values,
        });
    }
    let chart = MollweideMaps {
        panels,
        bar_label: "dE_atom".into(),
    };
    let height = 60 + 300 * drs.len() as u32;
    render(path, (760, height), &chart)
}

/// Two charts side by side.
struct SideBySide(XyPlot, XyPlot);

impl Chart for SideBySide {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (w, _) = area.dim_in_pixel();
        let (a, b) = area.split_horizontally(w / 2);
        self.0.draw(&a)?;
        self.1.draw(&b)
    }
}

/// Cluster curves dE_atom(dr) (left) and dE_sys(dr) (right) of one atom along up to 40
/// directions, 40 dr values from dr_max/40 to dr_max.
pub fn curves(
    path: &Path,
    probe: &LocalProbe,
    atom: usize,
    dirs: &Directions,
    dr_max: f64,
) -> Result<()> {
    let site = probe.site(atom);
    let mut scratch = Vec::new();
    let stride = dirs.len().div_ceil(40).max(1);
    let drs: Vec<f64> = (1..=40).map(|k| dr_max * k as f64 / 40.0).collect();
    let mut left = XyPlot::new(
        format!("atom {}: dE_atom(dr)", probe.sys.ids[atom]),
        "dr",
        "dE_atom",
    );
    let mut right = XyPlot::new("dE_sys(dr), same directions", "dr", "dE_sys");
    left.h_lines.push(0.0);
    right.h_lines.push(0.0);
    for (k, v) in dirs.vectors.iter().enumerate().step_by(stride) {
        let (mut a, mut s) = (vec![(0.0, 0.0)], vec![(0.0, 0.0)]);
        for &dr in &drs {
            let p = probe.probe(&site, [dr * v[0], dr * v[1], dr * v[2]], true, &mut scratch)?;
            a.push((dr, p.de_atom));
            s.push((dr, p.de_sys));
        }
        let color = series_color(k / stride);
        left.series
            .push(XySeries::new("", a, SeriesStyle::Line).with_color(color));
        right
            .series
            .push(XySeries::new("", s, SeriesStyle::Line).with_color(color));
    }
    render(path, (1100, 480), &SideBySide(left, right))
}

/// Ω/4π histogram of the scanned atoms, one outline per dr (fraction of atoms per bin).
pub fn omega_histogram(path: &Path, scan: &ScanResult, drs: &[f64], bins: usize) -> Result<()> {
    let bins = bins.max(1);
    let edges: Vec<f64> = (0..=bins).map(|k| k as f64 / bins as f64).collect();
    let n = scan.atoms.len().max(1) as f64;
    let mut plot = XyPlot::new(
        format!("Omega(dE_atom < 0)/4pi over {} atoms", scan.atoms.len()),
        "Omega/4pi",
        "fraction of atoms",
    );
    for (k, &dr) in drs.iter().enumerate() {
        let omega: Vec<f64> = scan.atoms.iter().map(|a| a.omega[k]).collect();
        let st = pelkit::analysis::probe::OmegaStats::of(&omega, bins);
        let heights: Vec<f64> = st.histogram.iter().map(|&c| c as f64 / n).collect();
        plot.series.push(XySeries::histogram(
            format!("dr = {dr} (mean {:.3})", st.mean),
            &edges,
            &heights,
        ));
    }
    plot.x_range = Some((0.0, 1.0));
    render(path, (760, 480), &plot)
}

/// Histogram of dr_min (seed Fig 8) over atoms whose smallest dE_atom is negative.
pub fn dr_min_histogram(path: &Path, scan: &ScanResult, drs: &[f64]) -> Result<()> {
    let (counts, total) = super::dr_min_counts(scan, drs);
    let mut sorted: Vec<(f64, u64)> = drs.iter().copied().zip(counts).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pts: Vec<(f64, f64)> = sorted
        .iter()
        .map(|&(d, c)| (d, c as f64 / total.max(1) as f64))
        .collect();
    let mut plot = XyPlot::new(
        format!("dr of min dE_atom ({total} atoms with min dE_atom < 0)"),
        "dr",
        "fraction of atoms",
    );
    plot.series
        .push(XySeries::new("", pts, SeriesStyle::LinePoints));
    render(path, (760, 480), &plot)
}
