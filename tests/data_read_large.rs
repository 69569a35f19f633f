//! Large data files go through the parallel Atoms parser: the result must equal the generated
//! configuration exactly, be the same for 1 and 3 threads, keep every problem with its line, and
//! give the exact sequential error message for a bad line deep in the block.
mod common;

use std::fmt::Write as _;
use std::path::Path;

use pelkit::io::data::{parse_data, DataFile};

const N: usize = 40_000;
/// Line of atom i (0-based): 12 lines (title, header, `Atoms # charge`, blank) precede it.
fn atom_line(i: usize) -> usize {
    13 + i
}

/// A charge-style file with image flags; atoms are listed in reverse id order. Returns the text
/// and the generated columns (the oracle).
/// The generated file and the values written into it (in Atoms-section order).
struct Generated {
    text: String,
    positions: Vec<[f64; 3]>,
    charges: Vec<f64>,
    velocities: Vec<[f64; 3]>,
}

fn generate() -> Generated {
    let mut text = format!(
        "big\n\n{N} atoms\n3 atom types\n\n-1.5 60.25 xlo xhi\n0 61 ylo yhi\n0 62 zlo zhi\n\
         -4.5 2.25 -1.125 xy xz yz\n\nAtoms # charge\n\n"
    );
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(99u64);
        move || rng.uniform()
    };
    let mut x = Vec::with_capacity(N);
    let mut q = Vec::with_capacity(N);
    for i in 0..N {
        let p = [rnd() * 60.0 - 1.0, rnd() * 61.0, rnd() * 62.0];
        let c = rnd() - 0.5;
        writeln!(
            text,
            "{} {} {c:?} {:?} {:?} {:?} {} 0 -1",
            N - i,
            1 + i % 3,
            p[0],
            p[1],
            p[2],
            i % 5
        )
        .unwrap();
        x.push(p);
        q.push(c);
    }
    // Velocities in id order (a different order from the Atoms section).
    text.push_str("\nVelocities\n\n");
    let mut v = vec![[0.0; 3]; N];
    for id in 1..=N {
        let vel = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
        writeln!(text, "{id} {:?} {:?} {:?}", vel[0], vel[1], vel[2]).unwrap();
        v[N - id] = vel; // atom i (file order) has id N - i
    }
    Generated {
        text,
        positions: x,
        charges: q,
        velocities: v,
    }
}

/// Line of the velocity of atom id `id`: after the atoms, a blank, `Velocities`, a blank.
fn velocity_line(id: usize) -> usize {
    atom_line(N - 1) + 3 + id
}

fn parse_with_threads(text: &str, threads: usize) -> Result<DataFile, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| parse_data(text.as_bytes(), Path::new("big.data")).map_err(|e| e.to_string()))
}

/// Replace line `n` (1-based) of `text`.
fn replace_line(text: &str, n: usize, new: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == n {
                format!("{new}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

#[test]
fn parallel_parse_equals_generated_configuration() {
    let Generated {
        text,
        positions: x,
        charges: q,
        velocities: v,
    } = generate();
    assert!(text.len() > 2 << 20, "must exceed the parallel threshold");
    assert_eq!(
        text.lines()
            .nth(atom_line(0) - 1)
            .unwrap()
            .split(' ')
            .next(),
        Some("40000")
    );
    let one = parse_with_threads(&text, 1).unwrap();
    let three = parse_with_threads(&text, 3).unwrap();
    assert_eq!(one, three, "result must not depend on the thread count");
    let sys = &one.system;
    assert_eq!(sys.natoms(), N);
    for i in 0..N {
        assert_eq!(sys.ids[i], (N - i) as u64);
        assert_eq!(sys.types[i], 1 + (i % 3) as u32);
        assert_eq!(sys.positions[i], x[i]); // written with {:?}: round-trip exact
        assert_eq!(sys.charges.as_ref().unwrap()[i], q[i]);
        assert_eq!(sys.images[i], [(i % 5) as i32, 0, -1]);
        assert_eq!(sys.velocities.as_ref().unwrap()[i], v[i]);
    }
    assert_eq!(
        text.lines()
            .nth(velocity_line(N) - 1)
            .unwrap()
            .split(' ')
            .next(),
        Some("40000")
    );
    assert!(one.problems.is_empty());
}

#[test]
fn parallel_parse_keeps_problems_and_exact_errors() {
    let text = generate().text;
    // Problems in several chunks: a NaN early, a type out of range late, an inf in between.
    let mut t = replace_line(
        &text,
        atom_line(10),
        &format!("{} 1 0.1 nan 1 1 0 0 0", N - 10),
    );
    t = replace_line(
        &t,
        atom_line(35_000),
        &format!("{} 4 0.1 1 1 1 0 0 0", N - 35_000),
    );
    t = replace_line(
        &t,
        atom_line(20_000),
        &format!("{} 1 0.1 1 inf 1 0 0 0", N - 20_000),
    );
    t = replace_line(&t, velocity_line(777), "777 0 -nan 0");
    t = replace_line(&t, velocity_line(39_000), &format!("{} 0 0 0", N + 5));
    for threads in [1, 3] {
        let f = parse_with_threads(&t, threads).unwrap();
        let lines: Vec<usize> = f.problems.iter().map(|p| p.line).collect();
        assert_eq!(
            lines,
            [
                atom_line(10),
                atom_line(20_000),
                atom_line(35_000),
                velocity_line(777),
                velocity_line(39_000)
            ]
        );
        assert_eq!(f.problem_count, 5);
        assert_eq!(
            f.problems[4].message,
            format!(
                "expected the id of an atom in the Atoms section, found velocity for atom id {}",
                N + 5
            )
        );
    }
    // A malformed line deep in the block: same message as the sequential parser would give.
    let bad = replace_line(&text, atom_line(31_234), "7 1 0.1 1 1");
    for threads in [1, 3] {
        let err = parse_with_threads(&bad, threads).unwrap_err();
        assert_eq!(
            err,
            format!(
                "big.data:{}: expected 9 columns (id type q x y z ix iy iz, as on the first Atoms line), found 5",
                atom_line(31_234)
            )
        );
    }
    // A malformed velocity line deep in its section.
    let bad = replace_line(&text, velocity_line(25_000), "25000 0 0");
    for threads in [1, 3] {
        assert_eq!(
            parse_with_threads(&bad, threads).unwrap_err(),
            format!(
                "big.data:{}: expected 4 columns (id vx vy vz), found 3",
                velocity_line(25_000)
            )
        );
    }
    // The header promises one atom more: the blank line after the block is reported.
    let short = replace_line(&text, 3, &format!("{} atoms", N + 1));
    let err = parse_with_threads(&short, 3).unwrap_err();
    assert_eq!(
        err,
        format!(
            "big.data:{}: expected line {} of {} of the Atoms section, found a blank line",
            atom_line(N),
            N + 1,
            N + 1
        )
    );
}
