//! Frames large enough for the vectorised atom-line path (thousands of lines, each with the
//! 128 bytes of look-ahead it needs): every value read by `read_dump` and every statistic of
//! `check` equal an independent oracle, `str::parse::<f64>` on whitespace-split lines, and the
//! problems found (non-finite values, duplicate ids) name the right line.

mod common;

use std::path::Path;

use pelkit::io::dump;

/// xorshift64 in [0, 1).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A dump of `frames` frames of `natoms` atoms (`id type x y z vx vy vz`, unsorted ids) with
/// the number forms LAMMPS writes: `%.10g`-like decimals, `%g` exponents, integers, a few
/// 17-digit values, tab separators and CRLF line ends on some lines.
fn dump_text(natoms: usize, frames: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::new();
    for f in 0..frames {
        text.push_str(&format!(
            "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{natoms}\nITEM: BOX BOUNDS pp pp pp\n\
             0 60\n0 60\n0 60\nITEM: ATOMS id type x y z vx vy vz\n",
            100 * f
        ));
        for i in 0..natoms {
            let id = (i * 7919) % natoms + 1;
            let mut fields = vec![id.to_string(), (1 + i % 2).to_string()];
            for c in 0..6 {
                let v = if c < 3 {
                    rng.next() * 60.0
                } else {
                    (rng.next() - 0.5) * 8.0
                };
                let form = (rng.next() * 20.0) as usize;
                fields.push(match form {
                    0 => format!("{v:e}"),                // exponent form
                    1 => format!("{v}"),                  // shortest round trip (17 digits)
                    2 => format!("{:.4e}", v * 1e-7),     // small, %g-like
                    3 => format!("{}", v.round() as i64), // integral
                    _ => format!("{:.*}", 9 - (v.abs().max(1.0).log10() as usize), v),
                });
            }
            let sep = if i % 97 == 0 { "\t" } else { " " };
            text.push_str(&fields.join(sep));
            text.push_str(if i % 89 == 0 { "\r\n" } else { "\n" });
        }
    }
    text
}

/// The oracle: per frame, the atom lines' values parsed by `str::parse::<f64>`, and the
/// 1-based file line of each atom line.
fn oracle(text: &str) -> Vec<(Vec<Vec<f64>>, Vec<usize>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut frames = Vec::new();
    let mut k = 0;
    while k < lines.len() {
        assert_eq!(lines[k], "ITEM: TIMESTEP");
        let natoms: usize = lines[k + 3].trim().parse().unwrap();
        let first = k + 9;
        let rows = lines[first..first + natoms]
            .iter()
            .map(|l| {
                l.split_whitespace()
                    .map(|t| t.parse::<f64>().unwrap())
                    .collect()
            })
            .collect();
        frames.push((rows, (first + 1..first + 1 + natoms).collect()));
        k = first + natoms;
    }
    frames
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_value_and_statistic_matches_std_parse() {
    let dir = common::scratch("dump_parse_large");
    let text = dump_text(3000, 3);
    let path = write(&dir, "large.dump", &text);
    let expected = oracle(&text);

    // Every value, bit for bit: the claim is correct rounding, so there is no tolerance.
    let frames = dump::read_dump(&path).unwrap();
    assert_eq!(frames.len(), expected.len());
    for (frame, (rows, _)) in frames.iter().zip(&expected) {
        for (c, name) in frame.columns.iter().enumerate() {
            let column = frame.column_at(c).unwrap();
            for (i, row) in rows.iter().enumerate() {
                assert_eq!(
                    column[i].to_bits(),
                    row[c].to_bits(),
                    "column {name} atom line {i}: {} vs {}",
                    column[i],
                    row[c]
                );
            }
        }
    }

    // check(): counts, min and max exactly; the mean to 1e-13 of the mean magnitude (block
    // sums vs one running sum: both round ~n·eps at worst, in practice far less).
    let report = dump::check(&path).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.frames, Some(3));
    for (c, stats) in report.columns.iter().enumerate() {
        let values: Vec<f64> = expected
            .iter()
            .flat_map(|(rows, _)| rows.iter().map(move |r| r[c]))
            .collect();
        assert_eq!(stats.count, values.len() as u64);
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!((stats.min, stats.max), (min, max), "{}", stats.name);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let scale = values.iter().map(|v| v.abs()).sum::<f64>() / values.len() as f64;
        assert!(
            (stats.mean - mean).abs() <= 1e-13 * scale,
            "{}: {} vs {mean}",
            stats.name,
            stats.mean
        );
    }
}

#[test]
fn problems_deep_in_large_frames_name_the_right_line() {
    let dir = common::scratch("dump_parse_large_problems");
    let text = dump_text(2000, 2);
    let expected = oracle(&text);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Frame 2: a `nan` in column vx at atom line 1500 and `inf` in column x at atom line 1700;
    // the first non-finite value in column order is the one in x.
    let (_, line_of) = &expected[1];
    let mut set = |atom: usize, col: usize, token: &str| {
        let l = line_of[atom] - 1;
        let mut fields: Vec<String> = lines[l].split_whitespace().map(str::to_string).collect();
        fields[col] = token.to_string();
        lines[l] = fields.join(" ");
    };
    set(1500, 5, "nan");
    set(1700, 2, "inf");
    // Frame 1: atom line 1200 repeats the id of atom line 10.
    let id10 = expected[0].0[10][0];
    let l = expected[0].1[1200] - 1;
    let mut fields: Vec<String> = lines[l].split_whitespace().map(str::to_string).collect();
    fields[0] = format!("{id10}");
    lines[l] = fields.join(" ");
    let path = write(&dir, "problems.dump", &(lines.join("\n") + "\n"));

    let report = dump::check(&path).unwrap();
    let p = path.display();
    assert_eq!(
        report.problems,
        vec![
            format!("{p}: frame at timestep 0: atom id {id10} appears more than once"),
            format!(
                "{p}:{}: 2 non-finite value(s) (nan/inf) in frame at timestep 100, first in \
                 column `x`",
                line_of[1700]
            ),
        ]
    );

    // A non-numeric token deep in a frame: the error names its line and column.
    let mut bad = text.lines().map(str::to_string).collect::<Vec<_>>();
    let l = expected[1].1[1800] - 1;
    bad[l] = bad[l].replacen(' ', " 1.5.2 ", 1);
    let path = write(&dir, "bad.dump", &(bad.join("\n") + "\n"));
    let err = dump::DumpFile::open(&path).unwrap().frame(1).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:{}: expected a number in column `type`, found `1.5.2`",
            path.display(),
            l + 1
        )
    );
}
