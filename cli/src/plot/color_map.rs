//! [`ColorMap`]: a grid of values drawn as coloured cells on (x, y) axes, with a colour bar.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, PlotResult, FONT};

/// How values map to colours.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColorScale {
    /// Viridis from `min` (dark blue) to `max` (yellow).
    Sequential { min: f64, max: f64 },
    /// Blue (−limit) – white (0) – red (+limit): signed quantities such as dE_atom.
    Diverging { limit: f64 },
}

impl ColorScale {
    /// The sequential scale over the finite values of `values`.
    pub fn sequential_for(values: &[Vec<f64>]) -> Self {
        let (lo, hi) = finite_extent(values);
        ColorScale::Sequential {
            min: lo,
            max: if hi > lo { hi } else { lo + 1.0 },
        }
    }

    /// The diverging scale whose limit is the largest |value|.
    pub fn diverging_for(values: &[Vec<f64>]) -> Self {
        let (lo, hi) = finite_extent(values);
        let limit = lo.abs().max(hi.abs());
        ColorScale::Diverging {
            limit: if limit > 0.0 { limit } else { 1.0 },
        }
    }

    fn range(&self) -> (f64, f64) {
        match *self {
            ColorScale::Sequential { min, max } => (min, max),
            ColorScale::Diverging { limit } => (-limit, limit),
        }
    }

    /// Colour of `v` (clamped to the scale's range).
    pub fn color(&self, v: f64) -> RGBColor {
        let (lo, hi) = self.range();
        let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
        match self {
            ColorScale::Sequential { .. } => ViridisRGB::get_color(t),
            ColorScale::Diverging { .. } => {
                let (blue, red) = ((33.0, 102.0, 172.0), (178.0, 24.0, 43.0));
                let (c, s) = if t < 0.5 {
                    (blue, 1.0 - 2.0 * t)
                } else {
                    (red, 2.0 * t - 1.0)
                };
                let mix = |a: f64| (255.0 + (a - 255.0) * s).round() as u8;
                RGBColor(mix(c.0), mix(c.1), mix(c.2))
            }
        }
    }
}

fn finite_extent(values: &[Vec<f64>]) -> (f64, f64) {
    let finite = values.iter().flatten().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if lo <= hi {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// `values[row][col]`: row k spans y from `y_range.0 + k·dy`, column j spans x likewise; a
/// non-finite value leaves its cell blank.
#[derive(Debug, Clone)]
pub struct ColorMap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub bar_label: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub values: Vec<Vec<f64>>,
    pub scale: ColorScale,
}

impl Chart for ColorMap {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (w, _) = area.dim_in_pixel();
        let (main, bar) = area.split_horizontally(w.saturating_sub(90));
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(62)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&|v| super::xy::tick_label(*v))
            .y_label_formatter(&|v| super::xy::tick_label(*v))
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .draw()?;
        let ny = self.values.len().max(1);
        let dy = (y1 - y0) / ny as f64;
        for (k, row) in self.values.iter().enumerate() {
            let dx = (x1 - x0) / row.len().max(1) as f64;
            let cells = row
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(j, &v)| {
                    let (xa, ya) = (x0 + j as f64 * dx, y0 + k as f64 * dy);
                    Rectangle::new([(xa, ya), (xa + dx, ya + dy)], self.scale.color(v).filled())
                });
            chart.draw_series(cells)?;
        }
        draw_color_bar(&bar, &self.scale, &self.bar_label)
    }
}

/// A vertical colour bar with the scale's end values and the label.
pub fn draw_color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scale: &ColorScale,
    label: &str,
) -> PlotResult<DB> {
    let (lo, hi) = scale.range();
    let mut chart = ChartBuilder::on(area)
        .margin_top(40)
        .margin_bottom(52)
        .margin_right(8)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(5)
        .y_desc(label)
        .y_label_formatter(&|v| super::xy::tick_label(*v))
        .label_style((FONT, 11))
        .axis_desc_style((FONT, 13))
        .draw()?;
    let n = 64;
    let step = (hi - lo) / n as f64;
    chart.draw_series((0..n).map(|k| {
        let v = lo + (k as f64 + 0.5) * step;
        Rectangle::new(
            [
                (0.0, lo + k as f64 * step),
                (1.0, lo + (k + 1) as f64 * step),
            ],
            scale.color(v).filled(),
        )
    }))?;
    Ok(())
}
