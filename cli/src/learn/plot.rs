//! Predicted against real label (seed 003 Fig. 3), one panel per set (training, test): the
//! number density of the raw atoms as a colour map (40 × 40 cells, empty cells blank), the
//! 100-atom coarse grains (atoms sorted by the real value, averaged in consecutive groups of 100)
//! as points, and the line y = x.

use std::path::Path;

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::{render, Chart, ColorScale, PlotResult, FONT};

const CELLS: usize = 40;

/// Means of (real, predicted) over consecutive groups of `size` atoms sorted by the real value.
pub fn coarse_grains(real: &[f64], pred: &[f64], size: usize) -> Vec<(f64, f64)> {
    let mut idx: Vec<usize> = (0..real.len()).collect();
    idx.sort_by(|&a, &b| real[a].total_cmp(&real[b]));
    idx.chunks(size)
        .filter(|c| c.len() == size)
        .map(|c| {
            let n = c.len() as f64;
            (
                c.iter().map(|&i| real[i]).sum::<f64>() / n,
                c.iter().map(|&i| pred[i]).sum::<f64>() / n,
            )
        })
        .collect()
}

struct Panel<'a> {
    title: &'a str,
    real: &'a [f64],
    pred: &'a [f64],
    range: (f64, f64),
}

impl Panel<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (lo, hi) = self.range;
        let mut chart = ChartBuilder::on(area)
            .caption(self.title, (FONT, 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("real")
            .y_desc("predicted")
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 15))
            .draw()?;
        let w = (hi - lo) / CELLS as f64;
        let mut counts = vec![vec![0.0; CELLS]; CELLS];
        for (&x, &y) in self.real.iter().zip(self.pred) {
            let cx = ((x - lo) / w).floor();
            let cy = ((y - lo) / w).floor();
            if cx >= 0.0 && cy >= 0.0 && (cx as usize) < CELLS && (cy as usize) < CELLS {
                counts[cy as usize][cx as usize] += 1.0;
            }
        }
        let scale = ColorScale::sequential_for(&counts);
        for (k, row) in counts.iter().enumerate() {
            let cells = row
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0.0)
                .map(|(j, &c)| {
                    let (xa, ya) = (lo + j as f64 * w, lo + k as f64 * w);
                    Rectangle::new([(xa, ya), (xa + w, ya + w)], scale.color(c).filled())
                });
            chart.draw_series(cells)?;
        }
        chart.draw_series(LineSeries::new(
            vec![(lo, lo), (hi, hi)],
            BLACK.stroke_width(2),
        ))?;
        let grains = coarse_grains(self.real, self.pred, 100);
        chart
            .draw_series(grains.iter().map(|&p| Circle::new(p, 5, RED.filled())))?
            .label("100-atom grains")
            .legend(|(x, y)| Circle::new((x + 8, y), 5, RED.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    }
}

struct TwoPanels<'a>(Panel<'a>, Panel<'a>);

impl Chart for TwoPanels<'_> {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB> {
        let (w, _) = area.dim_in_pixel();
        let (left, right) = area.split_horizontally(w / 2);
        self.0.draw(&left)?;
        self.1.draw(&right)
    }
}

pub fn predicted_vs_real(
    path: &Path,
    (y_train, p_train): (&[f64], &[f64]),
    (y_test, p_test): (&[f64], &[f64]),
) -> Result<()> {
    let all = y_train.iter().chain(y_test).chain(p_train).chain(p_test);
    let (mut lo, mut hi) = all
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    if hi.is_nan() || lo.is_nan() || hi <= lo {
        (lo, hi) = (lo - 1.0, lo + 1.0);
    }
    let pad = 0.02 * (hi - lo);
    let range = (lo - pad, hi + pad);
    let train_title = format!("training set ({} atoms)", y_train.len());
    let test_title = format!("test set ({} atoms)", y_test.len());
    let chart = TwoPanels(
        Panel {
            title: &train_title,
            real: y_train,
            pred: p_train,
            range,
        },
        Panel {
            title: &test_title,
            real: y_test,
            pred: p_test,
            range,
        },
    );
    render(path, (1300, 640), &chart)
}
