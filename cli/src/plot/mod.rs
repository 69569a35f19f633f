//! Plots of every subcommand: [`render`] writes a [`Chart`] as PNG or SVG (chosen by the file
//! extension), and the chart kinds the analyses draw live in one file each:
//! [`XyPlot`] (lines, points, steps and error bars on linear or log axes; histograms are step
//! series, see [`XySeries::histogram`]) and [`ColorMap`] (a value grid with a colour bar).
//!
//! Drawing uses `plotters`; text uses an embedded font (Ubuntu Light from `epaint_default_fonts`,
//! Ubuntu Font Licence), so PNGs need no system fonts and Greek letters (γ, δ, Ω) render.
//! A subcommand with a figure of its own shape implements [`Chart`] itself and may place an
//! [`XyPlot`] or [`ColorMap`] in a sub-area (insets, panels) with [`Chart::draw`].

// A toolbox: not every chart kind or style is used by every build of the CLI.
#![allow(dead_code, unused_imports)]

mod color_map;
mod xy;

use std::path::Path;
use std::sync::Once;

use anyhow::{anyhow, bail, Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

pub use color_map::{draw_color_bar, ColorMap, ColorScale};
pub use xy::{SeriesStyle, XyPlot, XySeries};

/// The font family name every chart uses (registered once from embedded bytes).
pub const FONT: &str = "sans-serif";

/// Something that draws itself into a plotters drawing area of any backend.
pub trait Chart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> PlotResult<DB>;
}

/// What drawing on backend `DB` returns.
pub type PlotResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Output format of a plot file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotFormat {
    Png,
    Svg,
}

impl PlotFormat {
    /// The format named by `path`'s extension (`.png` or `.svg`, any case).
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "png" => Ok(PlotFormat::Png),
            "svg" => Ok(PlotFormat::Svg),
            _ => bail!(
                "plot file {}: extension must be .png or .svg (got '{ext}')",
                path.display()
            ),
        }
    }
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Fails only for bytes that are not a font; these are a fixed, valid TTF.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

/// Draw `chart` on a white canvas of `size` pixels and write it to `path` (`.png` or `.svg`).
pub fn render(path: &Path, size: (u32, u32), chart: &impl Chart) -> Result<()> {
    register_font();
    let format = PlotFormat::from_path(path)?;
    let context = || format!("writing plot {}", path.display());
    match format {
        PlotFormat::Png => draw_and_present(BitMapBackend::new(path, size), chart),
        PlotFormat::Svg => draw_and_present(SVGBackend::new(path, size), chart),
    }
    .with_context(context)
}

fn draw_and_present<DB: DrawingBackend>(backend: DB, chart: &impl Chart) -> Result<()> {
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
    chart.draw(&root).map_err(|e| anyhow!("{e}"))?;
    root.present().map_err(|e| anyhow!("{e}"))
}

/// Distinct series colours (colour-blind safe "Okabe–Ito" order, then repeats).
pub fn series_color(k: usize) -> RGBColor {
    const COLORS: [RGBColor; 7] = [
        RGBColor(0, 114, 178),
        RGBColor(213, 94, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(230, 159, 0),
        RGBColor(86, 180, 233),
        RGBColor(0, 0, 0),
    ];
    COLORS[k % COLORS.len()]
}

#[cfg(test)]
mod tests;
