//! Malformed dumps: each case names the file, the line and what was expected. A truncated last
//! frame is reported while the earlier frames stay usable.
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use pelkit::io::dump::{self, DumpFile};

/// One frame whose header takes lines 1–9 (+ offset); atoms start on line 10.
fn frame(timestep: &str, natoms: &str, bounds: &str, columns: &str, atoms: &[&str]) -> String {
    let mut s = format!(
        "ITEM: TIMESTEP\n{timestep}\nITEM: NUMBER OF ATOMS\n{natoms}\nITEM: BOX BOUNDS {bounds}\n"
    );
    if bounds.starts_with("xy") {
        s.push_str("-1.5 10 -1.0\n0 10 -0.5\n0 10 0\n");
    } else {
        s.push_str("0 10\n0 10\n0 10\n");
    }
    s.push_str(&format!("ITEM: ATOMS {columns}\n"));
    for a in atoms {
        s.push_str(a);
        s.push('\n');
    }
    s
}

fn good(timestep: &str) -> String {
    frame(
        timestep,
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1.5 2.5 3.5"],
    )
}

fn write(name: &str, content: &[u8]) -> PathBuf {
    let dir = common::scratch(&format!("malformed_dump/{name}"));
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The first error opening or reading every frame of `path`.
fn first_error(path: &Path) -> String {
    let file = match DumpFile::open(path) {
        Err(e) => return e.to_string(),
        Ok(f) => f,
    };
    for item in file.iter() {
        if let Err(e) = item {
            return e.to_string();
        }
    }
    for n in 0..file.frames() {
        if let Err(e) = file.frame(n).and_then(|f| f.to_system()) {
            return e.to_string();
        }
    }
    panic!("{}: no error reported", path.display());
}

/// Assert the error names the file, the line (when given) and contains `expected`.
fn expect(name: &str, content: &str, line: Option<usize>, expected: &str) {
    let path = write(name, content.as_bytes());
    let message = first_error(&path);
    let prefix = match line {
        Some(l) => format!("{}:{l}: ", path.display()),
        None => format!("{}: ", path.display()),
    };
    assert!(
        message.starts_with(&prefix),
        "{name}: `{message}` should start with `{prefix}`"
    );
    assert!(
        message.contains(expected),
        "{name}: `{message}` should say `{expected}`"
    );
}

#[test]
fn empty_file() {
    expect("empty.dump", "", Some(1), "empty file (0 bytes)");
}

#[test]
fn whitespace_only_file() {
    expect(
        "blank.dump",
        "\n  \n",
        Some(1),
        "no frame found: expected `ITEM: TIMESTEP`",
    );
}

#[test]
fn zero_byte_gz() {
    expect(
        "empty.dump.gz",
        "",
        Some(1),
        "a .gz dump must be a gzip stream",
    );
}

#[test]
fn corrupt_gz() {
    let path = write(
        "corrupt.dump.gz",
        b"\x1f\x8b\x08\x00garbage that is not deflate data",
    );
    let message = first_error(&path);
    assert!(
        message.starts_with(&format!("{}: ", path.display())),
        "{message}"
    );
    assert!(
        message.contains("corrupt or truncated gzip stream"),
        "{message}"
    );
}

#[test]
fn gz_name_on_plain_text() {
    expect(
        "plain.dump.gz",
        &good("0"),
        None,
        "not gzip (expected magic bytes 1f 8b)",
    );
}

#[test]
fn truncated_last_frame_keeps_earlier_frames() {
    // Frame 2 starts on line 12; its atoms on line 21; only one of two atom lines is there.
    let mut text = good("0") + &good("100");
    text.truncate(text.len() - "2 2 1.5 2.5 3.5\n".len());
    for gz in [false, true] {
        let (name, bytes) = if gz {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(text.as_bytes()).unwrap();
            ("trunc.dump.gz", e.finish().unwrap())
        } else {
            ("trunc.dump", text.clone().into_bytes())
        };
        let path = write(name, &bytes);
        let file = DumpFile::open(&path).unwrap();
        assert_eq!(file.frames(), 1);
        let e = file.truncated().unwrap().to_string();
        assert!(e.starts_with(&format!("{}:22: ", path.display())), "{e}");
        assert!(e.contains("expected 2 atom lines"), "{e}");
        assert!(e.contains("1 complete frame before it"), "{e}");
        // The earlier frame loads, with its values.
        let f0 = file.frame(0).unwrap();
        assert_eq!(f0.column("z").unwrap(), &[0.5, 3.5]);
        // Streaming yields it, then the truncation error; check reports it as a problem.
        let items: Vec<_> = file.iter().collect();
        assert_eq!(items.len(), 2);
        assert!(items[0].is_ok() && items[1].is_err());
        let report = dump::check(&path).unwrap();
        assert_eq!(report.frames, Some(1));
        assert!(report
            .problems
            .iter()
            .any(|p| p.contains("last frame is truncated")));
        assert_eq!(report.columns[2].max, 1.5);
    }
}

#[test]
fn truncated_inside_last_line() {
    let mut text = good("0") + &good("100");
    text.truncate(text.len() - "5 3.5\n".len()); // "2 2 1.5 2." remains
    let path = write("midline.dump", text.as_bytes());
    let file = DumpFile::open(&path).unwrap();
    assert_eq!(file.frames(), 1);
    let e = file.truncated().unwrap().to_string();
    assert!(e.starts_with(&format!("{}:22: ", path.display())), "{e}");
    assert!(e.contains("the last atom line has 4 of 5 values"), "{e}");
}

#[test]
fn truncated_inside_header() {
    let text = good("0") + "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n";
    let path = write("header.dump", text.as_bytes());
    let file = DumpFile::open(&path).unwrap();
    assert_eq!(file.frames(), 1);
    let e = file.truncated().unwrap().to_string();
    assert!(e.starts_with(&format!("{}:14: ", path.display())), "{e}");
    assert!(e.contains("expected the number of atoms"), "{e}");
}

#[test]
fn too_few_values_on_a_line() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1.5 2.5"],
    );
    expect(
        "few.dump",
        &t,
        Some(11),
        "expected 5 values (id type x y z), found 4",
    );
}

#[test]
fn too_many_values_on_a_line() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5 9", "2 2 1 2 3"],
    );
    expect(
        "many.dump",
        &t,
        Some(10),
        "expected 5 values (id type x y z), found more: `9`",
    );
}

#[test]
fn missing_timestep_item() {
    let t = good("0").replacen("ITEM: TIMESTEP\n0\n", "", 1);
    expect(
        "no_ts.dump",
        &t,
        Some(7),
        "reached without `ITEM: TIMESTEP`",
    );
}

#[test]
fn missing_box_bounds_item() {
    let t = good("0").replacen("ITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n", "", 1);
    expect(
        "no_box.dump",
        &t,
        Some(5),
        "reached without `ITEM: BOX BOUNDS`",
    );
}

#[test]
fn more_atom_lines_than_number_of_atoms() {
    let t = frame(
        "0",
        "1",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1.5 2.5 3.5"],
    );
    expect(
        "count.dump",
        &t,
        Some(11),
        "more lines than NUMBER OF ATOMS = 1",
    );
}

#[test]
fn fewer_atom_lines_than_number_of_atoms_before_next_frame() {
    let t = frame(
        "0",
        "3",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1.5 2.5 3.5"],
    ) + &good("100");
    expect("short.dump", &t, Some(12), "expected 3 atom lines");
}

#[test]
fn atom_count_not_a_number() {
    let t = frame(
        "0",
        "two",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5"],
    );
    expect(
        "natoms.dump",
        &t,
        Some(4),
        "expected the number of atoms (an integer >= 0), found `two`",
    );
}

#[test]
fn timestep_not_an_integer() {
    expect(
        "ts.dump",
        &good("1.5"),
        Some(2),
        "expected the timestep (an integer), found `1.5`",
    );
}

#[test]
fn nan_value() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 nan 2.5 3.5"],
    );
    expect(
        "nan.dump",
        &t,
        Some(11),
        "non-finite value (nan or inf) in column `x`",
    );
    let report = dump::check(&write("nan2.dump", t.as_bytes())).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains(":11: 1 non-finite")),
        "{:?}",
        report.problems
    );
}

#[test]
fn inf_value() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 -inf 0.5", "2 2 1 2.5 3.5"],
    );
    expect(
        "inf.dump",
        &t,
        Some(10),
        "non-finite value (nan or inf) in column `y`",
    );
}

#[test]
fn non_numeric_token() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1.5 abc 3.5"],
    );
    expect(
        "token.dump",
        &t,
        Some(11),
        "expected a number in column `y`, found `abc`",
    );
}

#[test]
fn bounds_line_with_one_number() {
    let t = good("0").replacen("0 10\n0 10\n0 10\n", "0 10\n0\n0 10\n", 1);
    expect(
        "bounds.dump",
        &t,
        Some(7),
        "expected 2 finite numbers `ylo yhi`, found `0`",
    );
}

#[test]
fn inverted_box() {
    let t = good("0").replacen("0 10\n0 10\n0 10\n", "0 10\n10 0\n0 10\n", 1);
    expect(
        "inverted.dump",
        &t,
        Some(5),
        "invalid box: box is degenerate: y length",
    );
}

#[test]
fn bad_boundary_flag() {
    let t = frame("0", "1", "pp px pp", "id type x y z", &["1 1 0.5 0.5 0.5"]);
    expect("flag.dump", &t, Some(5), "bad boundary flag `px`");
}

#[test]
fn triclinic_bounds_without_tilt() {
    let t = frame(
        "0",
        "1",
        "xy xz yz pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5"],
    )
    .replacen("0 10 -0.5\n", "0 10\n", 1);
    expect(
        "tilt.dump",
        &t,
        Some(7),
        "expected 3 finite numbers `ylo_bound yhi_bound xz`",
    );
}

#[test]
fn general_triclinic_is_refused() {
    let t = frame(
        "0",
        "1",
        "abc origin pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5"],
    );
    expect("abc.dump", &t, Some(5), "general triclinic boxes");
}

#[test]
fn unknown_item() {
    let t = good("0").replacen("ITEM: NUMBER OF ATOMS", "ITEM: NUMBER OF ATOMZ", 1);
    expect(
        "item.dump",
        &t,
        Some(3),
        "unknown item `ITEM: NUMBER OF ATOMZ`",
    );
}

#[test]
fn garbage_before_first_frame() {
    let t = format!("hello\n{}", good("0"));
    expect(
        "garbage.dump",
        &t,
        Some(1),
        "expected an `ITEM:` line, found `hello`",
    );
}

#[test]
fn atom_id_not_a_positive_integer() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2.5 2 1 2 3"],
    );
    expect(
        "id.dump",
        &t,
        Some(11),
        "expected an atom id (an integer >= 1)",
    );
}

#[test]
fn atom_type_zero() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 0 0.5 0.5 0.5", "2 2 1 2 3"],
    );
    expect(
        "type.dump",
        &t,
        Some(10),
        "expected an atom type (an integer >= 1) in column `type`",
    );
}

#[test]
fn image_flag_not_an_integer() {
    let t = frame(
        "0",
        "1",
        "pp pp pp",
        "id type x y z ix iy iz",
        &["1 1 0.5 0.5 0.5 0 0.5 0"],
    );
    expect(
        "image.dump",
        &t,
        Some(10),
        "expected an image flag (an integer) in column `iy`",
    );
}

#[test]
fn duplicate_column() {
    let t = frame("0", "1", "pp pp pp", "id type x x z", &["1 1 0.5 0.5 0.5"]);
    expect("dupcol.dump", &t, Some(9), "column `x` appears twice");
}

#[test]
fn duplicate_atom_ids() {
    let t = frame(
        "0",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "1 2 1 2 3"],
    );
    let path = write("dupid.dump", t.as_bytes());
    let report = dump::check(&path).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("atom id 1 appears more than once")),
        "{:?}",
        report.problems
    );
    let e = DumpFile::open(&path)
        .unwrap()
        .frame(0)
        .unwrap()
        .to_system()
        .unwrap_err();
    assert!(e.to_string().contains("atom id 1 appears more than once"));
}

#[test]
fn no_coordinates_for_system() {
    let t = frame(
        "0",
        "1",
        "pp pp pp",
        "id type vx vy vz",
        &["1 1 0.5 0.5 0.5"],
    );
    let path = write("nocoord.dump", t.as_bytes());
    let e = DumpFile::open(&path)
        .unwrap()
        .frame(0)
        .unwrap()
        .to_system()
        .unwrap_err();
    assert!(
        e.to_string().contains("no complete coordinate columns"),
        "{e}"
    );
}

#[test]
fn atom_count_changes_between_frames_is_a_problem() {
    let t = good("0")
        + &frame(
            "100",
            "1",
            "pp pp pp",
            "id type x y z",
            &["1 1 0.5 0.5 0.5"],
        );
    let report = dump::check(&write("changes.dump", t.as_bytes())).unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("has 1 atoms, the first frame has 2")),
        "{:?}",
        report.problems
    );
}

#[test]
fn bad_middle_frame_is_reported_with_its_line_and_others_load() {
    // Frame 2 (lines 12–22) has a bad token on line 22; frames 1 and 3 load.
    let bad = frame(
        "100",
        "2",
        "pp pp pp",
        "id type x y z",
        &["1 1 0.5 0.5 0.5", "2 2 1 2 x"],
    );
    let t = good("0") + &bad + &good("200");
    let path = write("middle.dump", t.as_bytes());
    let file = DumpFile::open(&path).unwrap();
    assert_eq!(file.frames(), 3);
    assert!(file.frame(0).is_ok() && file.frame(2).is_ok());
    let e = file.frame(1).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}:22: ", path.display())), "{e}");
    let report = dump::check(&path).unwrap();
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].contains(":22: expected a number in column `z`, found `x`"));
}

#[test]
fn unwrapped_position_too_far_for_image_flags() {
    let t = frame(
        "0",
        "1",
        "pp pp pp",
        "id type xu yu zu",
        &["1 1 1e300 0.5 0.5"],
    );
    let path = write("far.dump", t.as_bytes());
    let e = DumpFile::open(&path)
        .unwrap()
        .frame(0)
        .unwrap()
        .to_system()
        .unwrap_err();
    assert!(e.to_string().contains("more than 1e9 box lengths"), "{e}");
}
