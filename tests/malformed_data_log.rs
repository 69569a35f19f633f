//! Malformed data and log files: each case names the file, the line and what was expected.
//! Every case is a small edit of a valid file (`DATA`, `LOG`), whose validity is tested first.
mod common;

use std::path::PathBuf;

use pelkit::io::data::read_data;
use pelkit::io::log::read_log;
use pelkit::io::{check_file, read_configuration};

/// Line numbers: 3 `4 atoms`, 6–8 box, 10 Masses, 12–13 masses, 15 Atoms, 17–20 atoms,
/// 22 Velocities, 24–27 velocities.
const DATA: &str = "LAMMPS data file for the malformed corpus

4 atoms
2 atom types

0 10 xlo xhi
0 10 ylo yhi
0 10 zlo zhi

Masses

1 63.546
2 91.224

Atoms # atomic

1 1 1.0 1.0 1.0 0 0 0
2 2 2.0 2.0 2.0 0 0 0
3 1 3.0 3.0 3.0 0 0 0
4 2 4.0 4.0 4.0 0 0 0

Velocities

1 0.1 0.2 0.3
2 0.1 0.2 0.3
3 0.1 0.2 0.3
4 0.1 0.2 0.3
";

/// Line numbers: 4 and 10 headers, 5–6 and 11–12 rows, 7 and 13 `Loop time`, 15 `Minimization
/// stats:`, 17–18 energies, 19 two-norm, 22 iterations.
const LOG: &str = "LAMMPS (22 Jul 2025 - Update 4)
units metal
Per MPI rank memory allocation (min/avg/max) = 3.185 | 3.185 | 3.185 Mbytes
   Step          Temp          E_pair         E_mol          TotEng         Press     
         0   300           -0.034922222    0              0.31408017     3109.8734    
         5   300           -0.034922222    0              0.31408017     3109.8734    
Loop time of 2.7671e-05 on 1 procs for 5 steps with 10 atoms

Per MPI rank memory allocation (min/avg/max) = 4.31 | 4.31 | 4.31 Mbytes
   Step          Temp          E_pair         E_mol          TotEng         Press     
         5   300           -0.034922222    0              0.31408017     3109.8734    
        10   300           -0.047634511    0              0.30136788     2333.102     
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

/// `text` with line `n` (1-based) replaced by `new` (`None` deletes it).
fn edit(text: &str, n: usize, new: Option<&str>) -> String {
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        if i + 1 == n {
            if let Some(s) = new {
                out.push_str(s);
                out.push('\n');
            }
        } else {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// The first `n` lines of `text`.
fn head(text: &str, n: usize) -> String {
    text.lines().take(n).map(|l| format!("{l}\n")).collect()
}

fn write(name: &str, text: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("malformed");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The error message must be `<file>:<line>: <expected…>` (or `<file>: <…>` without a line).
fn assert_message(err: String, path: &std::path::Path, line: Option<usize>, msg: &str) {
    let prefix = match line {
        Some(l) => format!("{}:{l}: ", path.display()),
        None => format!("{}: ", path.display()),
    };
    assert!(
        err.starts_with(&prefix) && err.contains(msg),
        "expected `{prefix}…{msg}…`, got `{err}`"
    );
}

fn data_case(name: &str, text: &str, line: Option<usize>, msg: &str) {
    let path = write(&format!("{name}.data"), text.as_bytes());
    let err = read_data(&path).expect_err(name).to_string();
    assert_message(err, &path, line, msg);
}

fn log_case(name: &str, text: &str, line: Option<usize>, msg: &str) {
    let path = write(&format!("{name}.log"), text.as_bytes());
    let err = read_log(&path).expect_err(name).to_string();
    assert_message(err, &path, line, msg);
}

#[test]
fn base_files_are_valid() {
    let sys = read_data(&write("base.data", DATA.as_bytes())).unwrap();
    assert_eq!(sys.natoms(), 4);
    assert_eq!(sys.positions[3], [4.0, 4.0, 4.0]);
    let log = read_log(&write("base.log", LOG.as_bytes())).unwrap();
    assert_eq!(log.runs.len(), 2);
    assert!(log.runs.iter().all(|r| r.is_complete()));
    assert_eq!(log.runs[1].minimization.as_ref().unwrap().iterations, 5);
}

#[test]
fn malformed_data_files() {
    let no_atoms = head(DATA, 14);
    let cases: Vec<(&str, String, Option<usize>, &str)> = vec![
        ("empty", String::new(), None, "empty file: expected a LAMMPS data file"),
        ("truncated_atoms", head(DATA, 18), Some(18), "expected line 3 of 4 of the Atoms section, found end of file"),
        ("wrong_columns", edit(DATA, 19, Some("3 1 3.0 3.0 0 0 0")), Some(19), "expected 8 columns (id type x y z ix iy iz, as on the first Atoms line), found 7"),
        ("no_hint_7_columns", edit(&edit(DATA, 15, Some("Atoms")), 17, Some("1 1 1.0 1.0 1.0 0 0")), Some(17), "expected 5 or 8 columns (atomic: id type x y z [ix iy iz]) or 6 or 9 (charge"),
        ("charge_hint_8_columns", edit(DATA, 15, Some("Atoms # charge")), Some(17), "expected 6 or 9 columns for atom style charge"),
        ("missing_atoms", no_atoms, None, "the header declares 4 atoms but the file has no Atoms section"),
        ("atom_count_too_large", edit(DATA, 3, Some("5 atoms")), Some(21), "expected line 5 of 5 of the Atoms section, found a blank line"),
        ("nan_coordinate", edit(DATA, 18, Some("2 2 2.0 nan 2.0 0 0 0")), Some(18), "expected a finite y coordinate, found `nan`"),
        ("inf_coordinate", edit(DATA, 19, Some("3 1 3.0 3.0 inf 0 0 0")), Some(19), "expected a finite z coordinate, found `inf`"),
        ("non_numeric_coordinate", edit(DATA, 20, Some("4 2 4.0.0 4.0 4.0 0 0 0")), Some(20), "expected x coordinate (a number), found `4.0.0`"),
        ("duplicate_ids", edit(DATA, 19, Some("2 1 3.0 3.0 3.0 0 0 0")), Some(19), "duplicate atom id 2 (first on line 18)"),
        ("type_out_of_range", edit(DATA, 20, Some("4 3 4.0 4.0 4.0 0 0 0")), Some(20), "atom type 3 of atom 4 is out of range: the header declares 2 atom types"),
        ("fractional_atom_count", edit(DATA, 3, Some("4.5 atoms")), Some(3), "expected atom count (a non-negative integer), found `4.5`"),
        ("degenerate_box", edit(DATA, 6, Some("10 0 xlo xhi")), None, "invalid box in header: box is degenerate: x length -10"),
        ("unknown_section", edit(DATA, 15, Some("Atomz # atomic")), Some(15), "expected a section keyword (Atoms, Velocities, Masses, Pair Coeffs, Bonds, …), found `Atomz # atomic`"),
        ("unsupported_style", edit(DATA, 15, Some("Atoms # full")), Some(15), "expected atom style `atomic` or `charge` after `Atoms #`, found `full`"),
        ("no_blank_after_keyword", edit(DATA, 16, None), Some(16), "expected a blank line after the section keyword `Atoms`, found `1 1 1.0 1.0 1.0 0 0 0`"),
        ("velocity_unknown_id", edit(DATA, 27, Some("9 0.1 0.2 0.3")), Some(27), "expected the id of an atom in the Atoms section, found velocity for atom id 9"),
        ("mass_type_out_of_range", edit(DATA, 13, Some("3 91.224")), Some(13), "expected an atom type 1..=2, found `3`"),
        ("non_numeric_mass", edit(DATA, 12, Some("1 abc")), Some(12), "expected mass (a number), found `abc`"),
        ("negative_id", edit(DATA, 17, Some("-1 1 1.0 1.0 1.0 0 0 0")), Some(17), "expected a positive integer atom id, found `-1`"),
        ("fractional_image_flag", edit(DATA, 18, Some("2 2 2.0 2.0 2.0 0 1.5 0")), Some(18), "expected an integer image flag iy, found `1.5`"),
        ("non_numeric_box", edit(DATA, 7, Some("0 abc ylo yhi")), Some(7), "expected box hi (a finite number), found `abc`"),
        ("garbage_header_line", edit(DATA, 5, Some("12 13")), Some(5), "expected a header line (`N atoms`, `N atom types`, `lo hi xlo xhi`, `xy xz yz`…) or a section keyword, found `12 13`"),
        ("nan_velocity", edit(DATA, 25, Some("2 0.1 nan 0.3")), Some(25), "expected a finite velocity vy, found `nan`"),
        ("velocity_columns", edit(DATA, 24, Some("1 0.1 0.2")), Some(24), "expected 4 columns (id vx vy vz), found 3"),
        ("too_many_types", edit(DATA, 4, Some("2000000 atom types")), None, "the header declares 2000000 atom types: expected at most 1000000"),
        ("general_triclinic", edit(DATA, 9, Some("1 0 0 avec")), Some(9), "general triclinic boxes (avec bvec cvec abc origin) are not supported"),
        ("second_atoms_section", format!("{DATA}\nAtoms\n\n1 1 1 1 1\n"), Some(29), "a second Atoms section"),
    ];
    assert!(cases.len() >= 29);
    for (name, text, line, msg) in &cases {
        data_case(name, text, *line, msg);
    }
}

#[test]
fn malformed_configuration_inputs() {
    // A data file has only frame 0.
    let p = write("frame.data", DATA.as_bytes());
    assert_message(
        read_configuration(&p, Some(1)).unwrap_err().to_string(),
        &p,
        None,
        "a data file holds one configuration: frame 1 does not exist (expected frame 0 or none)",
    );
    // gzip magic bytes followed by garbage.
    let p = write("corrupt.data.gz", &[0x1f, 0x8b, 8, 0, 1, 2, 3]);
    assert_message(
        read_configuration(&p, None).unwrap_err().to_string(),
        &p,
        None,
        "corrupt gzip stream",
    );
    // A 0-byte .gz file is an empty file.
    let p = write("zero.data.gz", b"");
    assert_message(
        read_configuration(&p, None).unwrap_err().to_string(),
        &p,
        None,
        "empty file: expected a LAMMPS data file",
    );
    // A dump cut off inside its only frame header: the truncation, with file and line.
    let p = write("frame.dump", b"ITEM: TIMESTEP\n0\n");
    assert_message(
        read_configuration(&p, None).unwrap_err().to_string(),
        &p,
        Some(1),
        "last frame is truncated",
    );
}

#[test]
fn malformed_log_files() {
    let cases: Vec<(&str, String, Option<usize>, &str)> = vec![
        ("no_thermo_block", head(LOG, 3), None, "no thermo block found: expected a header line starting with `Step` followed by thermo rows"),
        ("wrong_value_count", edit(LOG, 6, Some("         5   300  -0.03 0 0.31")), Some(6), "expected 6 thermo values (Step Temp E_pair E_mol TotEng Press), found 5"),
        ("non_numeric_value", edit(LOG, 11, Some("         5   abc  -0.03 0 0.31 3109.8")), Some(11), "expected a number for thermo keyword Temp, found `abc`"),
        ("bad_loop_line", edit(LOG, 7, Some("Loop time of x on 1 procs for 5 steps with 10 atoms")), Some(7), "expected `Loop time of T on P procs for N steps with A atoms`, found `Loop time of x"),
        ("energies_count", edit(LOG, 18, Some("    -0.03 -0.04")), Some(18), "expected 3 numbers after `Energy initial, next-to-last, final =`, found `-0.03 -0.04`"),
        ("stats_without_run", edit(LOG, 3, Some("Minimization stats:")), Some(3), "expected `Minimization stats:` after a thermo block ending with `Loop time`, found it without one"),
        ("unknown_statistic", edit(LOG, 19, Some("  Force bogus = 1")), Some(19), "expected a minimization statistic"),
        ("fractional_iterations", edit(LOG, 22, Some("  Iterations, force evaluations = 5 7.5")), Some(22), "expected two integers after `Iterations, force evaluations =`, found `5 7.5`"),
        ("missing_statistic", edit(LOG, 19, None), Some(21), "expected `Force two-norm initial, final =` in the minimization stats of line 15"),
        ("empty_log", String::new(), None, "no thermo block found"),
    ];
    for (name, text, line, msg) in &cases {
        log_case(name, text, *line, msg);
    }
}

/// A log cut inside a block keeps the complete blocks; `check` reports the truncation.
#[test]
fn truncated_log_keeps_complete_blocks() {
    // Cut in the middle of the second row of the second block (no final newline).
    let mut text = head(LOG, 11);
    text.push_str("        10   300           -0.0476");
    let p = write("truncated.log", text.as_bytes());
    let log = read_log(&p).unwrap();
    assert_eq!(log.runs.len(), 2);
    assert!(log.runs[0].is_complete());
    assert_eq!(log.runs[0].column("Press").unwrap(), [3109.8734, 3109.8734]);
    assert!(!log.runs[1].is_complete());
    assert_eq!(log.runs[1].column("Step").unwrap(), [5.0]);
    assert!(log
        .notes
        .iter()
        .any(|n| n.contains("line 12: incomplete last thermo row dropped")));
    let report = check_file(&p).unwrap();
    assert!(report
        .problems
        .iter()
        .any(|m| m == "run 2 (line 10): thermo block truncated (no `Loop time` line)"));
}

/// NaN thermo values and an ERROR inside a block are accepted and reported by `check`.
#[test]
fn nan_thermo_values_and_errors_are_problems() {
    let text = edit(
        LOG,
        12,
        Some("        10   300           -nan           0              inf            2333.102"),
    );
    let p = write("nan.log", text.as_bytes());
    let log = read_log(&p).unwrap();
    assert!(log.runs[1].column("E_pair").unwrap()[1].is_nan());
    let report = check_file(&p).unwrap();
    assert!(report
        .problems
        .contains(&"run 2 (line 10): 1 non-finite values of E_pair".to_string()));
    assert!(report
        .problems
        .contains(&"run 2 (line 10): 1 non-finite values of TotEng".to_string()));

    let text = head(
        &edit(LOG, 12, Some("ERROR: Lost atoms: original 10 current 9")),
        12,
    );
    let p = write("error.log", text.as_bytes());
    let log = read_log(&p).unwrap();
    assert!(!log.runs[1].is_complete());
    assert!(log
        .notes
        .iter()
        .any(|n| n.contains("line 12: LAMMPS stopped inside the thermo block of line 10")));
}

/// `check` lists every suspect value of a data file instead of stopping at the first.
#[test]
fn check_lists_data_problems() {
    let text = edit(
        &edit(
            &edit(DATA, 18, Some("2 2 2.0 nan 2.0 0 0 0")),
            19,
            Some("2 3 13.0 3.0 3.0 0 0 0"),
        ),
        20,
        Some("4 2 -4.0 4.0 4.0 0 0 0"),
    );
    let p = write("problems.data", text.as_bytes());
    let report = check_file(&p).unwrap();
    let expected = [
        "line 18: expected a finite y coordinate, found `nan`",
        "line 19: atom type 3 of atom 2 is out of range: the header declares 2 atom types",
        "line 19: duplicate atom id 2 (first on line 18); LAMMPS refuses duplicate atom IDs",
        // Atom 3 was renamed 2 above: its velocity line now names no atom.
        "line 26: expected the id of an atom in the Atoms section, found velocity for atom id 3",
        "2 atoms lie outside the box (ids 2, 4); LAMMPS read_data would wrap them into the box",
    ];
    assert_eq!(report.problems, expected);
    let y = report.columns.iter().find(|c| c.name == "y").unwrap();
    assert!(y.mean.is_nan(), "a NaN value must show in the statistics");
}
