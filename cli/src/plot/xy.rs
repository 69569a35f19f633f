//! [`XyPlot`]: line, point and step series (with optional y error bars) on linear or log axes.

use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{series_color, Chart, PlotResult, FONT};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    Line,
    Points,
    LinePoints,
    /// Piecewise constant: point k holds from x_k to x_{k+1} (histogram outlines, Θ steps).
    Steps,
}

/// One series: points (x, y), optional symmetric y errors, a legend label (empty: none).
#[derive(Debug, Clone)]
pub struct XySeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub y_errors: Option<Vec<f64>>,
    pub style: SeriesStyle,
    /// `None`: the k-th series colour of [`series_color`].
    pub color: Option<RGBColor>,
}

impl XySeries {
    pub fn new(label: impl Into<String>, points: Vec<(f64, f64)>, style: SeriesStyle) -> Self {
        XySeries {
            label: label.into(),
            points,
            y_errors: None,
            style,
            color: None,
        }
    }

    /// The outline of a histogram with bin `edges` (len = counts + 1) and per-bin `heights`.
    pub fn histogram(label: impl Into<String>, edges: &[f64], heights: &[f64]) -> Self {
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(heights.len() + 2);
        for (k, &h) in heights.iter().enumerate() {
            points.push((edges[k], h));
        }
        if let (Some(&last_edge), Some(&last)) = (edges.last(), heights.last()) {
            points.push((last_edge, last));
        }
        XySeries::new(label, points, SeriesStyle::Steps)
    }

    pub fn with_errors(mut self, y_errors: Vec<f64>) -> Self {
        self.y_errors = Some(y_errors);
        self
    }

    pub fn with_color(mut self, color: RGBColor) -> Self {
        self.color = Some(color);
        self
    }
}

/// A 2-D chart of several series. Axis ranges default to the data (with a margin); on a log
/// axis, points with a non-positive coordinate are left out.
#[derive(Debug, Clone, Default)]
pub struct XyPlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    pub series: Vec<XySeries>,
    /// Horizontal reference lines (e.g. y = 0), drawn dashed-grey.
    pub h_lines: Vec<f64>,
}

impl XyPlot {
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        XyPlot {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            ..Default::default()
        }
    }

    fn drawable(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.x_log || x > 0.0) && (!self.y_log || y > 0.0)
    }

    /// Data range of one axis (0: x, 1: y) over drawable points, error bars included.
    fn data_range(&self, axis: usize) -> Option<(f64, f64)> {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for s in &self.series {
            for (k, &p) in s.points.iter().enumerate() {
                if !self.drawable(p) {
                    continue;
                }
                let v = if axis == 0 { p.0 } else { p.1 };
                let err = match (&s.y_errors, axis) {
                    (Some(e), 1) => e.get(k).copied().unwrap_or(0.0).abs(),
                    _ => 0.0,
                };
                let (a, b) = (v - err, v + err);
                let log = if axis == 0 { self.x_log } else { self.y_log };
                lo = lo.min(if log && a <= 0.0 { v } else { a });
                hi = hi.max(b);
            }
        }
        for &h in &self.h_lines {
            if axis == 1 && h.is_finite() && (!self.y_log || h > 0.0) {
                lo = lo.min(h);
                hi = hi.max(h);
            }
        }
        (lo <= hi).then_some((lo, hi))
    }

    /// The axis range actually drawn: the given one, or the data's with a 5 % margin.
    pub fn axis_range(&self, axis: usize) -> (f64, f64) {
        let (given, log) = if axis == 0 {
            (self.x_range, self.x_log)
        } else {
            (self.y_range, self.y_log)
        };
        if let Some(r) = given {
            return r;
        }
        let (lo, hi) = self
            .data_range(axis)
            .unwrap_or(if log { (0.1, 1.0) } else { (0.0, 1.0) });
        if log {
            let (l, h) = (lo.log10(), hi.log10());
            let pad = ((h - l) * 0.05).max(0.05);
            (10f64.powf(l - pad), 10f64.powf(h + pad))
        } else {
            let pad = if hi > lo {
                (hi - lo) * 0.05
            } else {
                lo.abs().max(1.0) * 0.05
            };
            (lo - pad, hi + pad)
        }
    }
}

impl Chart for XyPlot {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (x0, x1) = self.axis_range(0);
        let (y0, y1) = self.axis_range(1);
        let mut builder = ChartBuilder::on(area);
        builder
            .caption(&self.title, (FONT, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(62);
        // The four axis combinations have different coordinate types.
        match (self.x_log, self.y_log) {
            (false, false) => {
                let c = builder.build_cartesian_2d(x0..x1, y0..y1)?;
                self.fill(c)
            }
            (true, false) => {
                let c = builder.build_cartesian_2d((x0..x1).log_scale(), y0..y1)?;
                self.fill(c)
            }
            (false, true) => {
                let c = builder.build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
                self.fill(c)
            }
            (true, true) => {
                let c = builder.build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;
                self.fill(c)
            }
        }
    }
}

/// A tick value rounded to 6 significant digits in its shortest form (`1e-5`, `0.001`, `250`):
/// log axes compute ticks as powers of ten whose binary values print as `9.999999999999999e-5`.
pub fn tick_label(v: f64) -> String {
    let r: f64 = format!("{v:.5e}").parse().unwrap_or(v);
    if r != 0.0 && (r.abs() < 1e-3 || r.abs() >= 1e5) {
        format!("{r:e}")
    } else {
        format!("{r}")
    }
}

impl XyPlot {
    fn fill<'a, DB, X, Y>(
        &self,
        mut chart: ChartContext<'a, DB, Cartesian2d<X, Y>>,
    ) -> PlotResult<DB>
    where
        DB: DrawingBackend + 'a,
        X: Ranged<ValueType = f64> + ValueFormatter<f64>,
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .label_style((FONT, 13))
            .x_label_formatter(&|v| tick_label(*v))
            .y_label_formatter(&|v| tick_label(*v))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(238, 238, 238))
            .draw()?;
        let (x0, x1) = self.axis_range(0);
        for &h in &self.h_lines {
            let grey = RGBColor(140, 140, 140);
            chart.draw_series(DashedLineSeries::new([(x0, h), (x1, h)], 6, 4, grey.into()))?;
        }
        let mut labelled = false;
        for (k, s) in self.series.iter().enumerate() {
            let color = s.color.unwrap_or_else(|| series_color(k));
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .copied()
                .filter(|&p| self.drawable(p))
                .collect();
            let line_style = color.stroke_width(2);
            let anno = match s.style {
                SeriesStyle::Line => chart.draw_series(LineSeries::new(pts.clone(), line_style))?,
                SeriesStyle::Steps => {
                    let mut steps = Vec::with_capacity(2 * pts.len());
                    for w in pts.windows(2) {
                        steps.push(w[0]);
                        steps.push((w[1].0, w[0].1));
                    }
                    if let Some(&last) = pts.last() {
                        steps.push(last);
                    }
                    chart.draw_series(LineSeries::new(steps, line_style))?
                }
                SeriesStyle::Points => {
                    chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))?
                }
                SeriesStyle::LinePoints => {
                    chart.draw_series(LineSeries::new(pts.clone(), line_style))?;
                    chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))?
                }
            };
            if !s.label.is_empty() {
                labelled = true;
                anno.label(s.label.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
            }
            if let Some(errs) = &s.y_errors {
                let bars = s.points.iter().zip(errs).filter_map(|(&(x, y), &e)| {
                    let lo = if self.y_log && y - e <= 0.0 { y } else { y - e };
                    (self.drawable((x, y)) && e.is_finite())
                        .then(|| ErrorBar::new_vertical(x, lo, y, y + e, color.stroke_width(1), 6))
                });
                chart.draw_series(bars)?;
            }
        }
        if labelled {
            chart
                .configure_series_labels()
                .label_font((FONT, 13))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .draw()?;
        }
        Ok(())
    }
}
