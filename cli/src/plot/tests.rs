//! The renderer writes decodable PNGs of the requested size and SVGs with the chart's text, and
//! the colour scales and axis ranges follow their definitions.

use super::*;

fn png_pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn sample_plot() -> XyPlot {
    let mut plot = XyPlot::new("delta(gamma)", "γ", "δ");
    plot.x_log = true;
    plot.y_log = true;
    let pts = (0..10)
        .map(|k| (10f64.powi(-5 + k / 2), 0.01 * (k + 1) as f64))
        .collect();
    plot.series
        .push(XySeries::new("KA", pts, SeriesStyle::LinePoints).with_color(RGBColor(200, 0, 0)));
    // Non-positive values cannot be drawn on log axes: they are skipped, not an error.
    plot.series.push(XySeries::new(
        "",
        vec![(0.0, 1.0), (1e-3, -1.0)],
        SeriesStyle::Line,
    ));
    plot
}

#[test]
fn png_has_the_size_and_the_series_colour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    render(&path, (480, 320), &sample_plot()).unwrap();
    let (w, h, pixels) = png_pixels(&path);
    assert_eq!((w, h), (480, 320));
    let red = pixels.chunks(3).filter(|p| p == &[200, 0, 0]).count();
    assert!(
        red > 50,
        "the red series should be drawn, found {red} red pixels"
    );
}

#[test]
fn svg_holds_the_title_and_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.SVG");
    render(&path, (480, 320), &sample_plot()).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .map(|t| t.split('>').nth(1).unwrap_or(""))
        .collect();
    let has = |s: &str| texts.iter().any(|t| t.trim_start().starts_with(s));
    assert!(has("delta(gamma)") && has("KA"), "{texts:?}");
}

#[test]
fn unknown_extension_is_refused() {
    let err = render(Path::new("plot.jpg"), (10, 10), &sample_plot()).unwrap_err();
    assert!(err.to_string().contains(".png or .svg"), "{err}");
}

#[test]
fn log_axis_range_covers_positive_data_with_a_margin() {
    let plot = sample_plot();
    let (lo, hi) = plot.axis_range(0);
    // Drawable x values run from 1e-5 to 1e-1 (decades −5…−1); 5 % of 4 decades = 0.2 decade.
    assert!(
        (lo.log10() + 5.2).abs() < 1e-12 && (hi.log10() + 0.8).abs() < 1e-12,
        "{lo} {hi}"
    );
}

#[test]
fn diverging_scale_is_white_at_zero_and_saturated_at_the_limits() {
    let scale = ColorScale::diverging_for(&[vec![-2.0, 0.5, f64::NAN]]);
    assert_eq!(scale, ColorScale::Diverging { limit: 2.0 });
    assert_eq!(scale.color(0.0), RGBColor(255, 255, 255));
    assert_eq!(scale.color(-2.0), RGBColor(33, 102, 172));
    assert_eq!(scale.color(5.0), RGBColor(178, 24, 43));
}

#[test]
fn color_map_png_renders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.png");
    let values = vec![vec![-1.0, 0.0, 1.0], vec![f64::NAN, 0.5, -0.5]];
    let map = ColorMap {
        title: "map".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        bar_label: "v".into(),
        x_range: (0.0, 3.0),
        y_range: (0.0, 2.0),
        scale: ColorScale::diverging_for(&values),
        values,
    };
    render(&path, (400, 300), &map).unwrap();
    let (_, _, pixels) = png_pixels(&path);
    let blue = pixels.chunks(3).filter(|p| p == &[33, 102, 172]).count();
    assert!(
        blue > 500,
        "the −1 cell should be filled, found {blue} pixels"
    );
}
