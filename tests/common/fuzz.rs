//! A stable-Rust random-mutation fuzzer for parsers, run as an ordinary test.
//!
//! Each iteration takes a seed input, applies 1–8 byte-level mutations (flip, insert, delete,
//! duplicate a slice, truncate, splice a token such as `nan` or `-1e308`), and calls the parser.
//! The parser may return errors but must not panic. A panicking input is written to
//! `tests/fuzz_regressions/<name>/` so that it can be committed as a regression case; all files in
//! that folder are replayed first on every run.

use std::panic::{catch_unwind, AssertUnwindSafe};

const TOKENS: &[&[u8]] = &[
    b"nan",
    b"inf",
    b"-inf",
    b"-1e308",
    b"1e309",
    b"0",
    b"-1",
    b"18446744073709551616",
    b"\n",
    b" ",
    b"#",
    b"ITEM:",
    b"ITEM: ATOMS",
    b"\t",
    b"1.5e",
    b"--",
    b"\xff\xfe",
    b"\0",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = v.len();
        match rng.below(6) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                v.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                v.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(128));
                let piece = v[i..i + n].to_vec();
                let j = rng.below(len + 1);
                v.splice(j..j, piece);
            }
            4 if len > 0 => v.truncate(rng.below(len)),
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(len + 1);
                // Replace the token-sized region or insert.
                let end = (i + t.len()).min(len);
                if rng.below(2) == 0 {
                    v.splice(i..end, t.iter().copied());
                } else {
                    v.splice(i..i, t.iter().copied());
                }
            }
        }
    }
    v
}

/// Fuzz `parse` with `iterations` mutations of `seeds`. Panics (failing the test) if any input
/// makes `parse` panic, after saving that input as a regression case.
pub fn fuzz<F: Fn(&[u8])>(name: &str, seeds: &[Vec<u8>], iterations: usize, parse: F) {
    let dir = super::repo_root().join("tests/fuzz_regressions").join(name);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            cases.push((f.display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    let prev_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
    let mut failure = None;
    for (label, input) in
        cases
            .iter()
            .map(|(l, i)| (l.clone(), i.clone()))
            .chain((0..iterations).map(|k| {
                (
                    format!("mutation {k}"),
                    mutate(&seeds[k % seeds.len()], &mut rng),
                )
            }))
    {
        if catch_unwind(AssertUnwindSafe(|| parse(&input))).is_err() {
            failure = Some((label, input));
            break;
        }
    }
    std::panic::set_hook(prev_hook);
    if let Some((label, input)) = failure {
        std::fs::create_dir_all(&dir).unwrap();
        let h = input.iter().fold(0xcbf29ce484222325u64, |h, &b| {
            (h ^ b as u64).wrapping_mul(0x100000001b3)
        });
        let path = dir.join(format!("{h:016x}"));
        std::fs::write(&path, &input).unwrap();
        panic!(
            "{name}: parser panicked on {label}; input saved to {}",
            path.display()
        );
    }
}
