//! Figures of `pelkit dms --plot`: σ(t) with the fitted sine for each period, and the spectrum
//! G′, G″ (log–log), δ and IS D_min against t_w (log t_w), drawn with the shared `cli::plot`.

use std::path::Path;

use anyhow::Result;

use crate::plot::{render, SeriesStyle, XyPlot, XySeries};
use pelkit::protocol::dms::DmsPeriodReport;

/// σ(t) samples and σ0 + σA sin(2πt/t_w + δ) over the whole run (the dropped cycles included).
pub fn trace(path: &Path, r: &DmsPeriodReport) -> Result<()> {
    let f = &r.fit;
    let mut plot = XyPlot::new(
        format!(
            "t_w = {}: G' = {:.4} ± {:.2}, G'' = {:.4} ± {:.2}, δ = {:.4} ± {:.3}",
            r.period,
            f.storage_modulus,
            f.storage_modulus_error,
            f.loss_modulus,
            f.loss_modulus_error,
            f.delta,
            f.delta_error
        ),
        "t",
        "shear stress σ = −pxy",
    );
    plot.series.push(XySeries::new(
        "σ(t)",
        r.trace.iter().map(|s| (s.time, s.stress)).collect(),
        SeriesStyle::Points,
    ));
    plot.series.push(XySeries::new(
        "fit σ0 + σA sin(2πt/t_w + δ)",
        r.trace
            .iter()
            .map(|s| (s.time, f.stress_at(s.time)))
            .collect(),
        SeriesStyle::Line,
    ));
    plot.series.push(XySeries::new(
        "σA·γ(t)/γA (strain, in phase)",
        r.trace
            .iter()
            .map(|s| (s.time, f.sigma_amplitude * s.strain / f.strain_amplitude))
            .collect(),
        SeriesStyle::Line,
    ));
    render(path, (900, 500), &plot)
}

/// G′ and G″ (log–log), δ and IS D_min / RMSD against t_w: three files `PREFIX_moduli`,
/// `PREFIX_delta`, `PREFIX_dmin` with the extension of `ext`.
pub fn spectrum(
    dir: &Path,
    ext: &str,
    reports: &[DmsPeriodReport],
    temperature: f64,
) -> Result<()> {
    let tw: Vec<f64> = reports.iter().map(|r| r.period).collect();
    let col = |f: &dyn Fn(&DmsPeriodReport) -> f64| -> Vec<(f64, f64)> {
        tw.iter().copied().zip(reports.iter().map(f)).collect()
    };
    let mut moduli = XyPlot::new(format!("MD-DMS at T = {temperature}"), "t_w", "modulus");
    moduli.x_log = true;
    moduli.y_log = true;
    moduli.series.push(
        XySeries::new(
            "G'",
            col(&|r| r.fit.storage_modulus),
            SeriesStyle::LinePoints,
        )
        .with_errors(
            reports
                .iter()
                .map(|r| r.fit.storage_modulus_error)
                .collect(),
        ),
    );
    moduli.series.push(
        XySeries::new("G''", col(&|r| r.fit.loss_modulus), SeriesStyle::LinePoints)
            .with_errors(reports.iter().map(|r| r.fit.loss_modulus_error).collect()),
    );
    render(&dir.join(format!("moduli.{ext}")), (800, 560), &moduli)?;
    let mut delta = XyPlot::new(
        format!("phase angle at T = {temperature}"),
        "t_w",
        "δ (rad)",
    );
    delta.x_log = true;
    delta.series.push(
        XySeries::new("δ", col(&|r| r.fit.delta), SeriesStyle::LinePoints)
            .with_errors(reports.iter().map(|r| r.fit.delta_error).collect()),
    );
    render(&dir.join(format!("delta.{ext}")), (800, 560), &delta)?;
    if reports.iter().all(|r| r.is_dmin.is_some()) {
        let mut d = XyPlot::new(
            format!("IS D_min over one period at T = {temperature}"),
            "t_w",
            "length",
        );
        d.x_log = true;
        d.y_log = true;
        let get = |r: &DmsPeriodReport, rmsd: bool| {
            r.is_dmin.as_ref().map_or(
                f64::NAN,
                |s| if rmsd { s.mean_rmsd } else { s.mean_is_dmin },
            )
        };
        d.series.push(XySeries::new(
            "IS D_min",
            col(&|r| get(r, false)),
            SeriesStyle::LinePoints,
        ));
        d.series.push(XySeries::new(
            "labelled RMSD (IS)",
            col(&|r| get(r, true)),
            SeriesStyle::LinePoints,
        ));
        render(&dir.join(format!("dmin.{ext}")), (800, 560), &d)?;
    }
    Ok(())
}
