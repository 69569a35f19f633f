//! Malformed EAM files: each case names the file, the line and what was expected, the way
//! LAMMPS would refuse the file (or, for values LAMMPS accepts but that are wrong, `check`
//! reports the problem).

#[path = "../common/mod.rs"]
mod common;

use std::path::PathBuf;

use pelkit::io::eam_file::{check, read_fs, read_funcfl, read_setfl, setfl_text, write_setfl};

/// A small valid two-element file: Nrho = Nr = 10, five values per line, every table going
/// linearly to 0 at its last knot. Line numbers:
/// 1–3 comments, 4 elements, 5 grid, 6 Cu line, 7–8 F Cu, 9–10 ρ Cu (fs: 9–12),
/// then Zr, then the r·φ tables.
fn setfl_lines(fs: bool) -> Vec<String> {
    let mut l: Vec<String> = vec![
        "comment one".into(),
        "comment two".into(),
        "comment three".into(),
        "2 Cu Zr".into(),
        "10 0.1 10 0.5 4.5".into(),
    ];
    let table = |scale: f64| -> Vec<String> {
        (0..2)
            .map(|row| {
                (0..5)
                    .map(|k| format!("{}", scale * (4.5 - 0.5 * (row * 5 + k) as f64)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    for (z, m) in [("29", "63.546"), ("40", "91.224")] {
        l.push(format!("{z} {m} 3.6 fcc"));
        l.extend(table(-1.0));
        for _ in 0..(if fs { 2 } else { 1 }) {
            l.extend(table(0.01));
        }
    }
    for _ in 0..3 {
        l.extend(table(0.1));
    }
    l
}

fn write_case(name: &str, lines: &[String]) -> PathBuf {
    let dir = common::scratch(&format!("malformed_eam_{name}"));
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn error_text(r: Result<impl std::fmt::Debug, pelkit::io::FormatError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, parsed {v:?}"),
        Err(e) => e.to_string(),
    }
}

/// Assert `message` is `<path>:<line>: <expected>`.
fn assert_message(message: &str, path: &std::path::Path, line: usize, expected: &str) {
    let want = format!("{}:{line}: {expected}", path.display());
    assert_eq!(message, want);
}

#[test]
fn the_valid_base_files_parse() {
    // The corpus below is only meaningful if the unmodified files are accepted.
    let p = write_case("base.eam.alloy", &setfl_lines(false));
    let s = read_setfl(&p).unwrap();
    assert_eq!(s.elements.len(), 2);
    assert_eq!(s.z2r.len(), 3);
    let p = write_case("base.eam.fs", &setfl_lines(true));
    assert_eq!(read_fs(&p).unwrap().elements[1].rhor.len(), 2);
}

#[test]
fn empty_file() {
    let p = write_case("empty.eam.alloy", &[]);
    std::fs::write(&p, "").unwrap();
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        1,
        "expected comment line 1 of 3, file ended",
    );
    assert_message(
        &error_text(read_funcfl(&p)),
        &p,
        1,
        "expected a comment line, file ended",
    );
}

#[test]
fn fewer_element_names_than_announced() {
    let mut l = setfl_lines(false);
    l[3] = "3 Cu Zr".into();
    let p = write_case("count.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        4,
        "the header announces 3 elements but names 2: Cu Zr",
    );
}

#[test]
fn element_count_not_an_integer() {
    let mut l = setfl_lines(false);
    l[3] = "two Cu Zr".into();
    let p = write_case("nelem.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        4,
        "expected the number of elements (a positive integer), found 'two'",
    );
}

#[test]
fn grid_line_with_a_word() {
    let mut l = setfl_lines(false);
    l[4] = "10 0.1 ten 0.5 4.5".into();
    let p = write_case("grid.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        5,
        "expected Nr (an integer), found 'ten'",
    );
}

#[test]
fn grid_line_cut_short_at_end_of_file() {
    let l = setfl_lines(false)[..4]
        .iter()
        .cloned()
        .chain(["10 0.1".to_string()])
        .collect::<Vec<_>>();
    let p = write_case("shortgrid.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        5,
        "expected the grid line 'Nrho drho Nr dr cutoff', file ended after 2 of 5 values",
    );
}

#[test]
fn zero_nr_and_negative_dr() {
    let mut l = setfl_lines(false);
    l[4] = "10 0.1 0 0.5 4.5".into();
    let p = write_case("nr0.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        5,
        "Nr must be > 0, found 0",
    );
    l[4] = "10 0.1 10 -0.5 4.5".into();
    let p = write_case("drneg.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        5,
        "dr must be > 0, found -0.5",
    );
}

#[test]
fn truncated_embedding_table() {
    let mut l = setfl_lines(false);
    // Keep the Zr element line (line 11) and the first row of its F(ρ) (line 12) cut to 4 values.
    l.truncate(12);
    l[11] = "-1 -2 -3 -4".into();
    let p = write_case("truncF.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        12,
        "expected 10 values of F(rho) for element Zr, file ended after 4",
    );
}

#[test]
fn non_numeric_token_in_density_table() {
    let mut l = setfl_lines(false);
    l[8] = "0.04 0.035 abc 0.025 0.02".into();
    let p = write_case("word.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        9,
        "expected a number (value 3 of 10 of rho(r) for element Cu), found 'abc'",
    );
}

#[test]
fn nan_and_fortran_exponent_are_rejected_like_lammps() {
    let mut l = setfl_lines(false);
    l[6] = "nan -1 -2 -3 -4".into();
    let p = write_case("nan.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        7,
        "expected a number (value 1 of 10 of F(rho) for element Cu), found 'nan'",
    );
    let mut l = setfl_lines(false);
    l[7] = "-1 -2 -3 -4 -5.0D-01".into();
    let p = write_case("fortran.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        8,
        "expected a number (value 10 of 10 of F(rho) for element Cu), found '-5.0D-01' \
         (a Fortran D exponent: LAMMPS reads only E exponents)",
    );
}

#[test]
fn alloy_file_read_as_fs_runs_into_the_next_element_line() {
    // Read as eam/fs, the Cu block needs a second density table; LAMMPS would take the Zr
    // element line (line 11) as its first values and fail on the lattice word.
    let p = write_case("alloy_as_fs.eam.fs", &setfl_lines(false));
    assert_message(
        &error_text(read_fs(&p)),
        &p,
        11,
        "expected a number (value 4 of 10 of rho(r) of element Cu at Zr sites), found 'fcc'",
    );
}

#[test]
fn truncated_pair_table() {
    let mut l = setfl_lines(false);
    l.pop();
    let p = write_case("truncphi.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        20,
        "expected 10 values of r*phi(r) for pair Zr-Zr, file ended after 5",
    );
}

#[test]
fn bad_element_lines() {
    let mut l = setfl_lines(false);
    l[5] = "29 heavy 3.6 fcc".into();
    let p = write_case("mass.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        6,
        "expected the mass of Cu (a number), found 'heavy'",
    );
    l[5] = "-29 63.5 3.6 fcc".into();
    let p = write_case("z.eam.alloy", &l);
    assert_message(
        &error_text(read_setfl(&p)),
        &p,
        6,
        "expected the atomic number of Cu (a non-negative integer), found '-29'",
    );
}

#[test]
fn funcfl_with_setfl_layout() {
    // A setfl file read as funcfl: line 2 is a comment, not 'Z mass'.
    let p = write_case("setfl_as_funcfl.eam", &setfl_lines(false));
    assert_message(
        &error_text(read_funcfl(&p)),
        &p,
        2,
        "expected the atomic number of the element (a non-negative integer), found 'comment'",
    );
}

#[test]
fn missing_file() {
    let p = PathBuf::from("/nonexistent/pelkit/x.eam.fs");
    let m = error_text(read_fs(&p));
    assert!(m.starts_with("/nonexistent/pelkit/x.eam.fs: "), "{m}");
    assert!(m.contains("No such file"), "{m}");
}

#[test]
fn overflowing_value_is_read_and_reported_by_check() {
    // LAMMPS' strtod turns 1e999 into inf without complaint; check must flag it.
    let mut l = setfl_lines(false);
    l[6] = "-1 1e999 -2 -3 -4".into();
    let p = write_case("inf.eam.alloy", &l);
    let s = read_setfl(&p).unwrap();
    assert_eq!(s.elements[0].frho[1], f64::INFINITY);
    let report = check(&p).unwrap();
    assert_eq!(
        report.problems,
        vec!["F(rho) Cu: 1 non-finite values (first is value 2)".to_string()]
    );
    // And the writer refuses to write what LAMMPS could not read back.
    let out = p.with_file_name("out.eam.alloy");
    let m = error_text(write_setfl(&out, &s));
    assert_eq!(
        m,
        format!(
            "{}: cannot write: F(rho) of Cu value 2 is inf, which LAMMPS cannot read back",
            out.display()
        )
    );
    assert!(setfl_text(&s).is_err());
}

#[test]
fn check_reports_tables_short_of_the_cutoff_and_steps() {
    let mut l = setfl_lines(false);
    // Last knot at (10-1)*0.5 = 4.5; a cutoff of 6 leaves 1.5 Å held at the last value.
    l[4] = "10 0.1 10 0.5 6.0".into();
    let p = write_case("short.eam.alloy", &l);
    let report = check(&p).unwrap();
    assert_eq!(report.format, "eam/alloy");
    assert!(
        report.problems.iter().any(|m| m
            == "r tables end at r = 4.5 (Nr-1)*dr, more than one dr before the cutoff 6: \
                LAMMPS holds every r-table at its last value up to the cutoff"),
        "{:?}",
        report.problems
    );
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    // A density table that ends at its maximum: a step at the cutoff.
    l[9] = "0.5 0.5 0.5 0.5 0.5".into();
    let p = write_case("step.eam.alloy", &l);
    let report = check(&p).unwrap();
    assert!(
        report.problems.contains(
            &"rho(r) Cu: last value 5e-1 is not zero (largest |value| 5e-1): the potential \
              has a step at the cutoff"
                .to_string()
        ),
        "{:?}",
        report.problems
    );
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
}

fn funcfl_lines() -> Vec<String> {
    vec![
        "Cu test funcfl".into(),
        "29 63.55 3.615 FCC".into(),
        "5 0.1 5 0.5 2.0".into(),
        "0 -1 -2 -1.5 -1".into(),
        "1 0.5 0.2 0.1 0".into(),
        "0.4 0.3 0.2 0.1 0".into(),
    ]
}

#[test]
fn funcfl_valid_base_and_truncated_density() {
    let p = write_case("base.eam", &funcfl_lines());
    let f = read_funcfl(&p).unwrap();
    assert_eq!(
        (f.atomic_number, f.mass, f.lattice.as_str()),
        (29, 63.55, "FCC")
    );
    assert_eq!(f.rhor, vec![0.4, 0.3, 0.2, 0.1, 0.0]);
    let mut l = funcfl_lines();
    l[5] = "0.4 0.3".into();
    let p = write_case("trunc.eam", &l);
    assert_message(
        &error_text(read_funcfl(&p)),
        &p,
        6,
        "expected 5 values of rho(r), file ended after 2",
    );
}

#[test]
fn funcfl_zero_dr_and_non_integer_nrho() {
    let mut l = funcfl_lines();
    l[2] = "5 0.1 5 0 2.0".into();
    let p = write_case("dr0.eam", &l);
    assert_message(
        &error_text(read_funcfl(&p)),
        &p,
        3,
        "dr must be > 0, found 0",
    );
    l[2] = "5.5 0.1 5 0.5 2.0".into();
    let p = write_case("nrho.eam", &l);
    assert_message(
        &error_text(read_funcfl(&p)),
        &p,
        3,
        "expected Nrho (an integer), found '5.5'",
    );
}

#[test]
fn binary_garbage_is_a_clean_error() {
    // Lines 1–3 are free comments (any bytes); line 4 must start with the element count.
    let p = write_case("garbage.eam.fs", &[]);
    std::fs::write(
        &p,
        b"\x00\xff\xfe\n\x01\x02\n\n\x7fELF\x02\x01\n\xff 3 Cu\n",
    )
    .unwrap();
    assert_message(
        &error_text(read_fs(&p)),
        &p,
        4,
        "expected the number of elements (a positive integer), found '\\u{7f}ELF\\u{2}\\u{1}'",
    );
}

#[test]
fn potential_info_cli_exit_status_follows_problems() {
    let good = write_case("good_cli.eam.alloy", &setfl_lines(false));
    let out = common::cli::pelkit()
        .args(["potential", "info", "--json"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "eam/alloy");
    assert_eq!(json["details"]["elements"], serde_json::json!(["Cu", "Zr"]));
    let mut l = setfl_lines(false);
    l[4] = "10 0.1 10 0.5 6.0".into();
    let bad = write_case("bad_cli.eam.alloy", &l);
    let out = common::cli::pelkit()
        .args(["potential", "info"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("PROBLEM: r tables end at r = 4.5"));
}
