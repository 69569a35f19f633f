//! Random-mutation fuzzing of the data-file and log parsers (and of the `check` reports built
//! from them): any input may be refused, none may panic. Inputs that once panicked are replayed
//! from `tests/fuzz_regressions/<name>/`.
mod common;

use std::path::Path;

use pelkit::io::data::{parse_data, report_data};
use pelkit::io::log::{parse_log, report_log};

const DATA_ATOMIC: &str =
    "LAMMPS data file via write_data, version 22 Jul 2025, timestep = 0, units = metal

6 atoms
2 atom types
3 bonds
1 bond types

-1.5 12.25 xlo xhi
0 10.5 ylo yhi
0.25 9.75 zlo zhi

Masses

1 63.546
2 91.224

Pair Coeffs # lj/cut

1 0.01 1
2 0.01 1

Atoms # atomic

1 1 0.5 1.5 2.5 0 0 0
2 2 11.0 9.0 1.0 1 -1 0
3 1 3.0 3.0 3.0 0 0 2
4 2 4.0 4.0 4.0 0 0 0
5 1 5.0 5.0 5.0 0 0 0
6 2 6.0 6.0 6.0 0 0 0

Velocities

6 1 2 3
5 1 2 3
4 1 2 3
3 1 2 3
2 1 2 3
1 1 2 3

Bonds

1 1 1 2
2 1 3 4
3 1 5 6
";

const DATA_CHARGE_TRI: &str = "title
# comment line
4 atoms # trailing comment
3 atom types
0 5 xlo xhi
0 5 ylo yhi
0 5 zlo zhi
-1.2 0.7 -0.4 xy xz yz

Atoms

1 1 0.5 -0.15 2.05 2.18
2 3 -0.5 4.5 -0.03 4.61
3 2 0.25 2.73 2.84 1.82 # comment
4 1 -0.25 4.12 0.90 4.47

Masses

1 1.0
2 2.0
3 3.0
";

const LOG: &str = "LAMMPS (22 Jul 2025 - Update 4)
units metal
Per MPI rank memory allocation (min/avg/max) = 3.185 | 3.185 | 3.185 Mbytes
   Step          Temp          E_pair         E_mol          TotEng         Press     
         0   300           -0.034922222    0              0.31408017     3109.8734    
WARNING: Lost atoms: original 10 current 9 (src/thermo.cpp:494)
         5   300           -0.034922222    0              0.31408017     3109.8734    
Loop time of 2.7671e-05 on 1 procs for 5 steps with 10 atoms

Step Temp E_pair E_mol TotEng Press 
       5          300 -0.034922222            0   0.31408017    3109.8734 
      10          300 -0.047634511            0   0.30136788     2333.102 
Loop time of 5.7275e-05 on 1 procs for 5 steps with 10 atoms

Minimization stats:
  Stopping criterion = max iterations
  Energy initial, next-to-last, final = 
    -0.0349222221525264 -0.0461107943913685 -0.047634511
  Force two-norm initial, final = 0.20428918 0.057941547
  Force max component initial, final = 0.13268381 0.026854149
  Final line search alpha, max atom move = 1 0.026854149
  Iterations, force evaluations = 5 7
";

#[test]
fn seeds_parse() {
    // The seeds must be valid, or the fuzzer would only exercise the first error path.
    let p = Path::new("seed");
    assert_eq!(
        parse_data(DATA_ATOMIC.as_bytes(), p)
            .unwrap()
            .system
            .natoms(),
        6
    );
    let tri = parse_data(DATA_CHARGE_TRI.as_bytes(), p).unwrap();
    assert!(tri.system.simbox.triclinic && tri.system.charges.is_some());
    assert_eq!(parse_log(LOG.as_bytes(), p).unwrap().runs.len(), 2);
}

#[test]
fn fuzz_read_data() {
    let seeds = vec![
        DATA_ATOMIC.as_bytes().to_vec(),
        DATA_CHARGE_TRI.as_bytes().to_vec(),
    ];
    common::fuzz::fuzz("read_data", &seeds, 20000, |bytes| {
        if let Ok(file) = parse_data(bytes, Path::new("fuzz.data")) {
            let _ = report_data(&file);
        }
    });
}

#[test]
fn fuzz_read_log() {
    let seeds = vec![LOG.as_bytes().to_vec()];
    common::fuzz::fuzz("read_log", &seeds, 20000, |bytes| {
        if let Ok(log) = parse_log(bytes, Path::new("fuzz.log")) {
            let _ = report_log(&log);
        }
    });
}

/// A seed over the parallel-parsing threshold (1 MB), so mutations reach the chunked parser.
#[test]
fn fuzz_read_data_parallel_block() {
    let mut text = String::from("big\n\n30000 atoms\n2 atom types\n0 40 xlo xhi\n0 40 ylo yhi\n0 40 zlo zhi\n\nAtoms # atomic\n\n");
    for i in 1..=30000u32 {
        let f = i as f64;
        text.push_str(&format!(
            "{i} {} {:?} {:?} {:?} 0 0 0\n",
            1 + i % 2,
            (f * 0.618).rem_euclid(40.0),
            (f * 0.377).rem_euclid(40.0),
            (f * 0.123).rem_euclid(40.0)
        ));
    }
    assert!(text.len() > 1 << 20);
    assert_eq!(
        parse_data(text.as_bytes(), Path::new("seed"))
            .unwrap()
            .system
            .natoms(),
        30000
    );
    common::fuzz::fuzz("read_data_parallel", &[text.into_bytes()], 300, |bytes| {
        if let Ok(file) = parse_data(bytes, Path::new("fuzz.data")) {
            let _ = report_data(&file);
        }
    });
}
