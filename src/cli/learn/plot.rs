//! Predicted against real label (seed 003 Fig. 3): every atom as a faint point and the
//! 100-atom coarse grains (atoms sorted by the real value, averaged in consecutive groups of
//! 100) of the training and test sets, with the line y = x.

use std::path::Path;

use anyhow::Result;

use crate::cli::plot::{render, SeriesStyle, XyPlot, XySeries};

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

pub fn predicted_vs_real(
    path: &Path,
    (y_train, p_train): (&[f64], &[f64]),
    (y_test, p_test): (&[f64], &[f64]),
) -> Result<()> {
    let mut plot = XyPlot::new("predicted vs real", "real", "predicted");
    let grey = plotters::style::RGBColor(200, 200, 200);
    plot.series.push(
        XySeries::new(
            "test atoms",
            y_test.iter().copied().zip(p_test.iter().copied()).collect(),
            SeriesStyle::Points,
        )
        .with_color(grey),
    );
    plot.series.push(XySeries::new(
        "train, 100-atom grains",
        coarse_grains(y_train, p_train, 100),
        SeriesStyle::Points,
    ));
    plot.series.push(XySeries::new(
        "test, 100-atom grains",
        coarse_grains(y_test, p_test, 100),
        SeriesStyle::Points,
    ));
    let lo = y_test
        .iter()
        .chain(y_train)
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = y_test
        .iter()
        .chain(y_train)
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    plot.series.push(XySeries::new(
        "y = x",
        vec![(lo, lo), (hi, hi)],
        SeriesStyle::Line,
    ));
    render(path, (800, 700), &plot)
}
