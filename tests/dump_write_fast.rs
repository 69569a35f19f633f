//! The parallel dump writer (`write_dump`, `DumpWriter`) against the writer it replaced: the
//! same bytes as formatting every value with `{:?}` (integers of integer columns with `{}`), row
//! by row in id order; the same bytes on 1, 2 and 3 threads and through the streaming writer;
//! every value read back bit-identical by `str::parse` and by pelkit's reader; `.gz` the same text.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use pelkit::io::dump::{read_dump, write_dump, DumpFile, DumpFrame, DumpWriter};
use pelkit::SimBox;

/// xorshift64.
struct Rng(u64);
impl Rng {
    fn bits(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The writer this one replaced, kept verbatim as the reference: header with `{:?}` floats,
/// then one line per atom in id order (stable sort), integer columns' whole numbers below 9e15
/// with `{}`, every other value with `{:?}`.
fn reference_text(frames: &[DumpFrame]) -> String {
    const INTEGER_COLUMNS: [&str; 8] = ["id", "type", "ix", "iy", "iz", "mol", "proc", "procp1"];
    let mut w = String::new();
    for frame in frames {
        let b = &frame.simbox;
        let n = frame.natoms();
        if let Some(t) = frame.time {
            writeln!(w, "ITEM: TIME\n{t:?}").unwrap();
        }
        writeln!(
            w,
            "ITEM: TIMESTEP\n{}\nITEM: NUMBER OF ATOMS\n{n}",
            frame.timestep
        )
        .unwrap();
        let flags = frame.boundary.join(" ");
        let bounds = b.bounds();
        if b.triclinic {
            writeln!(w, "ITEM: BOX BOUNDS xy xz yz {flags}").unwrap();
            for (bound, tilt) in bounds.iter().zip(b.tilt) {
                writeln!(w, "{:?} {:?} {tilt:?}", bound[0], bound[1]).unwrap();
            }
        } else {
            writeln!(w, "ITEM: BOX BOUNDS {flags}").unwrap();
            for bound in bounds {
                writeln!(w, "{:?} {:?}", bound[0], bound[1]).unwrap();
            }
        }
        writeln!(w, "ITEM: ATOMS {}", frame.columns.join(" ")).unwrap();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| frame.ids[i]);
        for i in order {
            for (k, name) in frame.columns.iter().enumerate() {
                if k > 0 {
                    w.push(' ');
                }
                let v = frame.column_at(k).unwrap()[i];
                if INTEGER_COLUMNS.contains(&name.as_str()) && v.fract() == 0.0 && v.abs() < 9.0e15
                {
                    write!(w, "{}", v as i64).unwrap();
                } else {
                    write!(w, "{v:?}").unwrap();
                }
            }
            w.push('\n');
        }
    }
    w
}

/// A value of one of the magnitudes a dump holds, including both sides of every switch of the
/// formatting (1e-5, 1e-4 and 1e16, where `{:?}` and the fast path change notation), whole
/// numbers, ±0, subnormals and arbitrary bit patterns.
fn any_value(rng: &mut Rng) -> f64 {
    let sign = if rng.bits() & 1 == 0 { 1.0 } else { -1.0 };
    match rng.bits() % 12 {
        // Few mantissa bits (where shortest candidates can tie), at every scale up to 2^53.
        10 => {
            sign * (rng.bits() >> (11 + rng.bits() % 53)) as f64
                / (1u64 << (rng.bits() % 60)) as f64
        }
        11 => sign * ((1u64 << (44 + rng.bits() % 9)) as f64 + (rng.bits() % 64) as f64 * 0.0625),
        0 => f64::from_bits(rng.bits()),
        1 => sign * 10f64.powf(-6.0 + 24.0 * rng.unit()),
        2 => sign * 1e-4 * (0.9 + 0.2 * rng.unit()),
        3 => sign * 1e-5 * (0.9 + 0.2 * rng.unit()),
        4 => sign * 1e16 * (0.9 + 0.2 * rng.unit()),
        5 => sign * (rng.bits() % 100_000) as f64,
        6 => sign * f64::from_bits(rng.bits() % (1u64 << 52)),
        7 => [
            0.0,
            -0.0,
            1e-4,
            1e16,
            -1e16,
            1e-5,
            f64::from_bits(1e16f64.to_bits() - 1),
            0.1,
            1.0,
        ][rng.bits() as usize % 9],
        _ => sign * 100.0 * rng.unit(),
    }
}

/// `natoms` atoms with shuffled ids: `id type x y z ix iy iz` and three columns of
/// [`any_value`] (finite only when `finite`).
fn frame(natoms: usize, timestep: u64, seed: u64, finite: bool) -> DumpFrame {
    let mut rng = Rng(seed);
    let simbox =
        SimBox::triclinic([-1.5, 0.0, 2.25], [61.0, 62.5, 63.0], [1.25, -0.5, 0.75]).unwrap();
    let mut ids: Vec<f64> = (1..=natoms as u64).map(|i| i as f64).collect();
    for i in (1..natoms).rev() {
        ids.swap(i, rng.bits() as usize % (i + 1));
    }
    let mut columns = vec![
        ("id".to_string(), ids),
        (
            "type".to_string(),
            (0..natoms).map(|i| (1 + i % 3) as f64).collect(),
        ),
    ];
    for name in ["x", "y", "z"] {
        columns.push((
            name.into(),
            (0..natoms).map(|_| 60.0 * rng.unit()).collect(),
        ));
    }
    for name in ["ix", "iy", "iz"] {
        columns.push((
            name.into(),
            (0..natoms).map(|_| (rng.bits() % 7) as f64 - 3.0).collect(),
        ));
    }
    for name in ["c_a", "c_b", "v_c"] {
        columns.push((
            name.into(),
            (0..natoms)
                .map(|_| loop {
                    let v = any_value(&mut rng);
                    if v.is_finite() || !finite {
                        break v;
                    }
                })
                .collect(),
        ));
    }
    let mut f = DumpFrame::from_columns(timestep, simbox, columns).unwrap();
    f.time = Some(0.125 * timestep as f64);
    f
}

fn write_with_threads(path: &Path, frames: &[DumpFrame], threads: usize) -> Vec<u8> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| write_dump(path, frames))
        .unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn parallel_writer_gives_the_previous_writers_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.dump");
    // 270,000 atoms: more than one 2^18-row batch, so batches and blocks are both exercised.
    let frames = vec![frame(270_000, 0, 7, false), frame(5_000, 100, 8, false)];
    let expected = reference_text(&frames);
    let one = write_with_threads(&path, &frames, 1);
    if one != expected.as_bytes() {
        let got = String::from_utf8_lossy(&one);
        let (k, (a, b)) = got
            .lines()
            .zip(expected.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .expect("same lines, different lengths");
        panic!("line {}: fast writer\n{a}\n{{:?}} writer\n{b}", k + 1);
    }
    for threads in [2, 3] {
        assert!(
            write_with_threads(&path, &frames, threads) == one,
            "{threads} threads"
        );
    }
    // The streaming writer, frame by frame.
    let mut w = DumpWriter::create(&path).unwrap();
    for f in &frames {
        w.write_frame(f).unwrap();
    }
    w.finish().unwrap();
    assert!(std::fs::read(&path).unwrap() == one, "DumpWriter");
    // gzip (the small frame: compression is slow): the same text once decompressed.
    let gz = dir.path().join("a.dump.gz");
    write_dump(&gz, &frames[1..]).unwrap();
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_end(&mut text)
        .unwrap();
    assert!(text == reference_text(&frames[1..]).as_bytes(), ".gz text");
}

#[test]
fn written_values_read_back_bit_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.dump");
    let frames = vec![frame(200_000, 5, 11, true), frame(1_000, 6, 12, true)];
    write_dump(&path, &frames).unwrap();
    // Independent oracle: str::parse of every token of every atom line.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    for f in &frames {
        let n = f.natoms();
        while lines.next().map(|l| l.starts_with("ITEM: ATOMS")) != Some(true) {}
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| f.ids[i]);
        for &i in &order {
            let line = lines.next().unwrap();
            for (k, tok) in line.split(' ').enumerate() {
                let got: f64 = tok.parse().unwrap();
                let want = f.column_at(k).unwrap()[i];
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "atom {} column {k}: `{tok}`",
                    f.ids[i]
                );
            }
        }
    }
    // pelkit's reader (ids sorted on both sides).
    let back = read_dump(&path).unwrap();
    assert_eq!(back.len(), frames.len());
    for (f, b) in frames.iter().zip(&back) {
        assert_eq!(b.time.map(f64::to_bits), f.time.map(f64::to_bits));
        assert_eq!(b.simbox, f.simbox);
        let mut of: Vec<usize> = (0..f.natoms()).collect();
        of.sort_by_key(|&i| f.ids[i]);
        for k in 0..f.columns.len() {
            let (cf, cb) = (f.column_at(k).unwrap(), b.column_at(k).unwrap());
            for (row, &i) in of.iter().enumerate() {
                assert_eq!(cb[row].to_bits(), cf[i].to_bits(), "column {k} row {row}");
            }
        }
    }
    let file = DumpFile::open(&path).unwrap();
    assert_eq!(file.frames(), 2);
}
