//! `pelkit voronoi --plot FILE`: the bar chart of the most common Voronoi indices, as SVG or PNG
//! (chosen by the file extension). Both formats draw the same layout ([`Layout`]): bar k has
//! height `plot_height × fraction_k / max fraction`, so bar heights are proportional to the
//! counts of the JSON summary.
//!
//! PNG text uses embedded-graphics' built-in bitmap fonts (derived from the public-domain X11
//! "misc-fixed" fonts; the crate is MIT OR Apache-2.0), so no system font is needed. They are
//! ASCII only: the PNG writes ⟨n3,n4,n5,n6⟩ as `<n3,n4,n5,n6>`.

use std::io::BufWriter;
use std::path::Path;

use anyhow::{bail, Context, Result};
use embedded_graphics::mono_font::ascii::{FONT_6X10, FONT_7X13};
use embedded_graphics::mono_font::{MonoFont, MonoTextStyle};
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Line, PrimitiveStyle, Rectangle};
use embedded_graphics::text::{Alignment, Text};

/// Fill colour of the bars (also what a test looks for in the PNG).
pub const BAR_RGB: [u8; 3] = [0x3b, 0x6e, 0xa8];

/// Geometry shared by the SVG and PNG outputs (pixels, y down).
struct Layout {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    plot_height: f64,
    /// Largest fraction (the top of the y axis).
    max_fraction: f64,
    bar_slot: f64,
}

impl Layout {
    fn new(top: &[([u32; 4], usize)], natoms: usize) -> Self {
        let (width, height, left, right, bottom, top_margin) =
            (720.0, 420.0, 70.0, 20.0, 110.0, 30.0);
        let max_fraction = top
            .iter()
            .map(|x| x.1 as f64 / natoms.max(1) as f64)
            .fold(0.0, f64::max)
            .max(1e-12);
        Layout {
            width,
            height,
            left,
            right,
            top: top_margin,
            plot_height: height - bottom - top_margin,
            max_fraction,
            bar_slot: (width - left - right) / top.len().max(1) as f64,
        }
    }

    /// Bar k of fraction f: (x, y, width, height).
    fn bar(&self, k: usize, fraction: f64) -> (f64, f64, f64, f64) {
        let h = self.plot_height * fraction / self.max_fraction;
        let x = self.left + k as f64 * self.bar_slot + 0.15 * self.bar_slot;
        (x, self.top + self.plot_height - h, 0.7 * self.bar_slot, h)
    }

    /// y of the grid line at fraction `level` (0..=4 quarters of the axis).
    fn grid_y(&self, level: usize) -> f64 {
        self.top + self.plot_height * (1.0 - level as f64 / 4.0)
    }
}

/// Write the histogram of `top` (index, count) for `natoms` atoms to `path` (`.svg` or `.png`).
pub fn write_histogram(path: &Path, top: &[([u32; 4], usize)], natoms: usize) -> Result<()> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "svg" => std::fs::write(path, svg(top, natoms))
            .with_context(|| format!("writing {}", path.display())),
        "png" => write_png(path, top, natoms),
        _ => bail!(
            "--plot {}: the extension must be .svg or .png",
            path.display()
        ),
    }
}

fn svg(top: &[([u32; 4], usize)], natoms: usize) -> String {
    let l = Layout::new(top, natoms);
    let (w, h) = (l.width, l.height);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    s += &format!(
        "<text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">Most common Voronoi indices ⟨n3,n4,n5,n6⟩ ({natoms} atoms)</text>\n",
        w / 2.0
    );
    for k in 0..=4 {
        let f = l.max_fraction * k as f64 / 4.0;
        let y = l.grid_y(k);
        s += &format!(
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.3}</text>\n",
            l.left,
            w - l.right,
            l.left - 6.0,
            y + 4.0,
            f
        );
    }
    let mid = l.top + l.plot_height / 2.0;
    s += &format!(
        "<text x=\"16\" y=\"{mid}\" transform=\"rotate(-90 16 {mid})\" text-anchor=\"middle\">fraction of atoms</text>\n"
    );
    let [r, g, b] = BAR_RGB;
    for (k, (idx, c)) in top.iter().enumerate() {
        let (x, y, bw, bh) = l.bar(k, *c as f64 / natoms.max(1) as f64);
        s += &format!(
            "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{bw:.2}\" height=\"{bh:.2}\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>\n"
        );
        let cx = x + 0.5 * bw;
        let ly = l.top + l.plot_height + 12.0;
        s += &format!(
            "<text x=\"{cx:.2}\" y=\"{ly:.2}\" text-anchor=\"end\" transform=\"rotate(-45 {cx:.2} {ly:.2})\">⟨{},{},{},{}⟩</text>\n",
            idx[0], idx[1], idx[2], idx[3]
        );
    }
    s += "</svg>\n";
    s
}

/// An RGB8 image that embedded-graphics draws into.
struct Canvas {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32) -> Self {
        Canvas {
            width,
            height,
            rgb: vec![255; width as usize * height as usize * 3],
        }
    }
}

impl OriginDimensions for Canvas {
    fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }
}

impl DrawTarget for Canvas {
    type Color = Rgb888;
    type Error = std::convert::Infallible;

    fn draw_iter<I>(&mut self, pixels: I) -> std::result::Result<(), Self::Error>
    where
        I: IntoIterator<Item = Pixel<Self::Color>>,
    {
        for Pixel(p, c) in pixels {
            if p.x >= 0 && p.y >= 0 && (p.x as u32) < self.width && (p.y as u32) < self.height {
                let k = (p.y as usize * self.width as usize + p.x as usize) * 3;
                if let Some(px) = self.rgb.get_mut(k..k + 3) {
                    px.copy_from_slice(&[c.r(), c.g(), c.b()]);
                }
            }
        }
        Ok(())
    }
}

fn text(canvas: &mut Canvas, s: &str, x: f64, y: f64, font: &MonoFont, align: Alignment) {
    let style = MonoTextStyle::new(font, Rgb888::BLACK);
    let at = Point::new(x.round() as i32, y.round() as i32);
    // Infallible target.
    let _ = Text::with_alignment(s, at, style, align).draw(canvas);
}

/// `s` drawn rotated by 90° counter-clockwise, centred on (x, y).
fn text_up(canvas: &mut Canvas, s: &str, x: f64, y: f64, font: &MonoFont) {
    let w = (font.character_size.width + font.character_spacing) * s.chars().count() as u32;
    let h = font.character_size.height;
    let mut tmp = Canvas::new(w.max(1), h.max(1));
    text(
        &mut tmp,
        s,
        0.0,
        f64::from(font.baseline),
        font,
        Alignment::Left,
    );
    let (x0, y0) = (
        x.round() as i32 - h as i32 / 2,
        y.round() as i32 + w as i32 / 2,
    );
    let pixels = (0..tmp.height).flat_map(|ty| (0..tmp.width).map(move |tx| (tx, ty)));
    let dark: Vec<Pixel<Rgb888>> = pixels
        .filter(|&(tx, ty)| tmp.rgb[((ty * tmp.width + tx) * 3) as usize] < 128)
        .map(|(tx, ty)| Pixel(Point::new(x0 + ty as i32, y0 - tx as i32), Rgb888::BLACK))
        .collect();
    let _ = canvas.draw_iter(dark);
}

fn write_png(path: &Path, top: &[([u32; 4], usize)], natoms: usize) -> Result<()> {
    let l = Layout::new(top, natoms);
    let mut c = Canvas::new(l.width as u32, l.height as u32);
    text(
        &mut c,
        &format!("Most common Voronoi indices <n3,n4,n5,n6> ({natoms} atoms)"),
        l.width / 2.0,
        20.0,
        &FONT_7X13,
        Alignment::Center,
    );
    let grey = PrimitiveStyle::with_stroke(Rgb888::new(0xdd, 0xdd, 0xdd), 1);
    for k in 0..=4 {
        let y = l.grid_y(k).round() as i32;
        let _ = Line::new(
            Point::new(l.left as i32, y),
            Point::new((l.width - l.right) as i32, y),
        )
        .into_styled(grey)
        .draw(&mut c);
        let f = l.max_fraction * k as f64 / 4.0;
        text(
            &mut c,
            &format!("{f:.3}"),
            l.left - 6.0,
            f64::from(y) + 4.0,
            &FONT_6X10,
            Alignment::Right,
        );
    }
    text_up(
        &mut c,
        "fraction of atoms",
        16.0,
        l.top + l.plot_height / 2.0,
        &FONT_6X10,
    );
    let [r, g, b] = BAR_RGB;
    let fill = PrimitiveStyle::with_fill(Rgb888::new(r, g, b));
    for (k, (idx, count)) in top.iter().enumerate() {
        let (x, y, bw, _) = l.bar(k, *count as f64 / natoms.max(1) as f64);
        // Pixel rows from round(y) to the axis: the bar height is right to ±1 pixel.
        let (x0, y0) = (x.round() as i32, y.round() as i32);
        let axis = (l.top + l.plot_height).round() as i32;
        let _ = Rectangle::new(
            Point::new(x0, y0),
            Size::new(bw.round() as u32, (axis - y0).max(0) as u32),
        )
        .into_styled(fill)
        .draw(&mut c);
        // Labels on two staggered rows so long ones do not overlap.
        let ly = l.top + l.plot_height + 14.0 + if k % 2 == 1 { 12.0 } else { 0.0 };
        text(
            &mut c,
            &format!("<{},{},{},{}>", idx[0], idx[1], idx[2], idx[3]),
            x + 0.5 * bw,
            ly,
            &FONT_6X10,
            Alignment::Center,
        );
    }
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut enc = png::Encoder::new(BufWriter::new(file), c.width, c.height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()
        .and_then(|mut w| w.write_image_data(&c.rgb))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
