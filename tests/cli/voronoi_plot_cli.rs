//! `pelkit voronoi --plot`: the PNG is a valid image (decoded by the `png` crate's decoder) whose
//! bars have heights proportional to the counts of the JSON summary, the SVG's bars and labels
//! are those counts and indices in the same order, and any other extension is refused.
#[path = "../common/mod.rs"]
mod common;

use std::path::Path;

use pelkit::io::data::write_data;
use pelkit::{SimBox, System};

/// Bar colour of the plot (`src/cli/voronoi/plot.rs`).
const BAR_RGB: [u8; 3] = [0x3b, 0x6e, 0xa8];

/// Random sequential packing: `n` atoms uniformly in a periodic cube at number density 0.0576,
/// none closer than 2.2 to another (O(n²) rejection; irregular cells, many distinct indices).
fn packing(n: usize) -> System {
    let l = (n as f64 / 0.0576).cbrt();
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(99u64);
        move || rng.uniform()
    };
    let mut pos: Vec<[f64; 3]> = Vec::new();
    while pos.len() < n {
        let x = [rnd() * l, rnd() * l, rnd() * l];
        let far = pos.iter().all(|y| {
            let d2: f64 = (0..3)
                .map(|k| {
                    let e = x[k] - y[k];
                    let e = e - l * (e / l).round();
                    e * e
                })
                .sum();
            d2 >= 2.2 * 2.2
        });
        if far {
            pos.push(x);
        }
    }
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    System::new(
        b,
        (1..=n as u64).collect(),
        (0..n).map(|i| 1 + (i % 2) as u32).collect(),
        pos,
    )
}

fn pelkit(dir: &Path, args: &[&str]) -> std::process::Output {
    common::cli::pelkit()
        .arg("voronoi")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// (index, count) of the JSON summary's top indices, in order.
fn top_indices(json: &serde_json::Value) -> Vec<(Vec<u64>, u64)> {
    json["top_indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let idx = t["index"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            (idx, t["count"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn png_and_svg_bars_are_the_json_counts() {
    let dir = common::scratch("voronoi_plot_cli");
    write_data(&dir.join("in.data"), &packing(800)).unwrap();
    let out = pelkit(&dir, &["in.data", "--json", "--plot", "h.png"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top = top_indices(&json);
    assert_eq!(
        top.len(),
        10,
        "800 irregular cells have ≥ 10 distinct indices"
    );
    // Counts differ among the ten, so the test can see unequal bars.
    assert!(top[0].1 > top[9].1);

    // PNG: signature, then a decoder's view of the pixels.
    let bytes = std::fs::read(dir.join("h.png")).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (720, 420));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let (w, h) = (info.width as usize, info.height as usize);
    let is_bar = |x: usize, y: usize| buf[(y * w + x) * 3..(y * w + x) * 3 + 3] == BAR_RGB;
    // Bars: maximal runs of columns holding bar pixels, left to right; height = bar pixels in
    // the run's middle column.
    let columns: Vec<usize> = (0..w)
        .map(|x| (0..h).filter(|&y| is_bar(x, y)).count())
        .collect();
    let mut bars = Vec::new();
    let mut x = 0;
    while x < w {
        if columns[x] == 0 {
            x += 1;
            continue;
        }
        let start = x;
        while x < w && columns[x] > 0 {
            x += 1;
        }
        bars.push(columns[(start + x) / 2]);
    }
    assert_eq!(bars.len(), top.len(), "one bar per index: {bars:?}");
    let tallest = bars[0] as f64;
    for (k, (&bar, (_, count))) in bars.iter().zip(&top).enumerate() {
        let expected = tallest * *count as f64 / top[0].1 as f64;
        // Bar tops are rounded to the pixel grid (±0.5 px each for this bar and the tallest).
        assert!(
            (bar as f64 - expected).abs() <= 1.0,
            "bar {k}: {bar} px, expected {expected:.2} (counts {:?})",
            top.iter().map(|t| t.1).collect::<Vec<_>>()
        );
    }

    // SVG: same counts (heights printed to 0.01 px) and the indices as labels, in order.
    let out = pelkit(&dir, &["in.data", "--plot", "h.svg"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(dir.join("h.svg")).unwrap();
    let fill = format!(
        "fill=\"#{:02x}{:02x}{:02x}\"",
        BAR_RGB[0], BAR_RGB[1], BAR_RGB[2]
    );
    let heights: Vec<f64> = svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains(&fill))
        .map(|l| {
            let v = l.split("height=\"").nth(1).unwrap();
            v[..v.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(heights.len(), top.len());
    for (k, (hk, (_, count))) in heights.iter().zip(&top).enumerate() {
        let expected = heights[0] * *count as f64 / top[0].1 as f64;
        // two printed decimals on both heights: 0.01 px
        assert!(
            (hk - expected).abs() <= 0.01,
            "svg bar {k}: {hk} vs {expected}"
        );
    }
    let labels: Vec<String> = top
        .iter()
        .map(|(i, _)| format!("⟨{},{},{},{}⟩", i[0], i[1], i[2], i[3]))
        .collect();
    let mut at = 0;
    for l in &labels {
        let p = svg[at..]
            .find(l.as_str())
            .unwrap_or_else(|| panic!("{l} missing or out of order"));
        at += p + l.len();
    }

    // Other extensions: a clear error, no file.
    let out = pelkit(&dir, &["in.data", "--plot", "h.pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".svg or .png"));
    assert!(!dir.join("h.pdf").exists());
}
