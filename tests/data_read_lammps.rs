//! pelkit reads the numbers LAMMPS wrote in its data files, and LAMMPS reads pelkit's data
//! files back to the same coordinates.
//!
//! LAMMPS creates each configuration (`create_atoms random`, `displace_atoms random` across the
//! boundaries so image flags are non-zero, `velocity create`), writes it with `write_data`, and
//! writes the same state with `write_dump … format float %.17g` (round-trip exact). The dump is
//! read by the tests' own tiny parser (`common::read_dump_table`), never by pelkit.
mod common;

use std::path::Path;

use pelkit::io::data::{read_data, read_data_with_notes, write_data, AtomStyle};
use pelkit::System;

/// Box numbers as LAMMPS holds them, printed with `%.17g` by the script: xlo xhi ylo yhi zlo zhi
/// xy xz yz.
fn box_line(screen: &str) -> Vec<f64> {
    let line = screen
        .lines()
        .find(|l| l.starts_with("BOX "))
        .expect("no BOX line in LAMMPS output");
    line.split_whitespace()
        .skip(1)
        .map(|t| t.parse().unwrap())
        .collect()
}

const PRINT_BOX: &str = "print \"BOX $(xlo:%.17g) $(xhi:%.17g) $(ylo:%.17g) $(yhi:%.17g) \
$(zlo:%.17g) $(zhi:%.17g) $(xy:%.17g) $(xz:%.17g) $(yz:%.17g)\"\n";

/// LAMMPS script creating 300 atoms of 2 types in `region` and writing `lmp.data` and `lmp.dump`
/// (columns of `dump_cols`).
fn make_script(style: &str, region: &str, dump_cols: &str, extra: &str) -> String {
    format!(
        "units metal\natom_style {style}\nboundary p p p\n{region}\ncreate_box 2 b\n\
         create_atoms 1 random 200 4711 NULL\ncreate_atoms 2 random 100 815 NULL\n\
         mass 1 63.546\nmass 2 91.224\n{extra}\
         displace_atoms all random 3.0 3.0 3.0 2024\n\
         velocity all create 1500 12345 dist gaussian\n\
         write_data lmp.data\n\
         write_dump all custom lmp.dump {dump_cols} modify sort id format float %.17g\n{PRINT_BOX}"
    )
}

/// Assert that `sys` holds exactly the dump's numbers: columns id type [q] x y z ix iy iz vx vy vz.
/// Returns the number of non-zero image flags.
fn assert_same_as_dump(sys: &System, table: &[Vec<f64>], charge: bool) -> usize {
    assert_eq!(sys.natoms(), table.len());
    let order = sys.order_by_id();
    let off = usize::from(charge);
    let mut nonzero_images = 0;
    for (row, &i) in table.iter().zip(&order) {
        assert_eq!(sys.ids[i], row[0] as u64);
        assert_eq!(sys.types[i], row[1] as u32);
        if charge {
            // write_data prints q with `{:.16}` (16 significant digits, lammps-facts §5.1):
            // not always round-trip, so compare at 1e-15 relative (one digit beyond 16 sig).
            let q = sys.charges.as_ref().unwrap()[i];
            assert!(
                common::rel_diff(q, row[2], 1e-300) <= 1e-15,
                "q of {}",
                row[0]
            );
        }
        for d in 0..3 {
            // Coordinates and velocities: write_data uses `{}` (round-trip) → bit for bit.
            assert_eq!(
                sys.positions[i][d].to_bits(),
                row[2 + off + d].to_bits(),
                "x of {}",
                row[0]
            );
            let im = row[5 + off + d] as i32;
            assert_eq!(sys.images[i][d], im, "image of {}", row[0]);
            nonzero_images += usize::from(im != 0);
            let v = sys.velocities.as_ref().unwrap()[i][d];
            assert_eq!(v.to_bits(), row[8 + off + d].to_bits(), "v of {}", row[0]);
        }
    }
    nonzero_images
}

fn assert_box(sys: &System, lmp_box: &[f64], triclinic: bool) {
    let b = &sys.simbox;
    for d in 0..3 {
        assert_eq!(b.lo[d].to_bits(), lmp_box[2 * d].to_bits());
        assert_eq!(b.hi[d].to_bits(), lmp_box[2 * d + 1].to_bits());
        assert_eq!(b.tilt[d].to_bits(), lmp_box[6 + d].to_bits());
    }
    assert_eq!(b.triclinic, triclinic);
}

/// LAMMPS reads `file` (written by pelkit) and dumps it; coordinates must be the same bits
/// (triclinic: after LAMMPS' x → λ → x remap, lammps-facts §0.4, reproduced by our SimBox).
fn lammps_reads_back(lmp: &common::Lammps, dir: &Path, sys: &System, style: &str) {
    write_data(&dir.join("pelkit.data"), sys).unwrap();
    lmp.run(
        dir,
        &format!(
            "units metal\natom_style {style}\nread_data pelkit.data\n\
             write_dump all custom back.dump id type x y z vx vy vz modify sort id format float %.17g\n"
        ),
    );
    let table = common::read_dump_table(&dir.join("back.dump"));
    let order = sys.order_by_id();
    assert_eq!(table.len(), order.len());
    let b = &sys.simbox;
    for (row, &i) in table.iter().zip(&order) {
        let expected = if b.triclinic {
            b.to_cartesian(b.to_fractional(sys.positions[i]))
        } else {
            sys.positions[i]
        };
        for d in 0..3 {
            assert_eq!(
                row[2 + d].to_bits(),
                expected[d].to_bits(),
                "atom {} dim {d}",
                row[0]
            );
            let v = sys.velocities.as_ref().unwrap()[i][d];
            assert_eq!(row[5 + d].to_bits(), v.to_bits());
        }
    }
}

#[test]
fn orthogonal_atomic_with_images_and_velocities() {
    let lmp = require_lammps!();
    let dir = common::scratch("data_read_ortho_atomic");
    let screen = lmp.run(
        &dir,
        &make_script(
            "atomic",
            "region b block -1.5 12.25 0 10.5 0.25 9.75",
            "id type x y z ix iy iz vx vy vz",
            "",
        ),
    );
    let file = read_data_with_notes(&dir.join("lmp.data")).unwrap();
    assert_eq!(file.atom_style, AtomStyle::Atomic);
    assert!(file.has_image_flags);
    assert_eq!(file.units.as_deref(), Some("metal"));
    let sys = &file.system;
    let table = common::read_dump_table(&dir.join("lmp.dump"));
    assert!(
        assert_same_as_dump(sys, &table, false) > 0,
        "setup must create image flags"
    );
    assert_box(sys, &box_line(&screen), false);
    assert_eq!(sys.masses, vec![Some(63.546), Some(91.224)]);
    assert_eq!(sys.ntypes, 2);
    lammps_reads_back(&lmp, &dir, sys, "atomic");
}

#[test]
fn triclinic_negative_tilts_charge_style_with_pair_coeffs() {
    let lmp = require_lammps!();
    let dir = common::scratch("data_read_tri_charge");
    let screen = lmp.run(
        &dir,
        &make_script(
            "charge",
            "region b prism -1.5 12.25 0 10.5 0.25 9.75 -2.75 1.25 -3.5",
            "id type q x y z ix iy iz vx vy vz",
            "set type 1 charge 0.73\nset type 2 charge -1.4599999999999999\n\
             pair_style lj/cut 4.0\npair_coeff * * 0.01 2.5\n",
        ),
    );
    let file = read_data_with_notes(&dir.join("lmp.data")).unwrap();
    assert_eq!(file.atom_style, AtomStyle::Charge);
    assert!(
        file.notes
            .iter()
            .any(|n| n.contains("skipped section `Pair Coeffs # lj/cut`")),
        "notes: {:?}",
        file.notes
    );
    let sys = &file.system;
    let table = common::read_dump_table(&dir.join("lmp.dump"));
    assert!(
        assert_same_as_dump(sys, &table, true) > 0,
        "setup must create image flags"
    );
    assert_box(sys, &box_line(&screen), true);
    assert!(
        sys.simbox.tilt[0] < 0.0 && sys.simbox.tilt[2] < 0.0,
        "negative tilts"
    );
    lammps_reads_back(&lmp, &dir, sys, "charge");
}

/// A data file without image flags (LAMMPS' own file with the three image columns removed, and
/// no `# style` hint, so the style is inferred from 5 columns): LAMMPS reads it to the dump
/// written from that file; pelkit must read the same numbers with zero image flags.
#[test]
fn orthogonal_without_image_flags_or_style_hint() {
    let lmp = require_lammps!();
    let dir = common::scratch("data_read_no_images");
    lmp.run(
        &dir,
        &make_script(
            "atomic",
            "region b block 0 11 0 12 0 13",
            "id type x y z",
            "",
        ),
    );
    let text = std::fs::read_to_string(dir.join("lmp.data")).unwrap();
    let mut out = String::new();
    let mut in_atoms = false;
    for line in text.lines() {
        if line.starts_with("Atoms") {
            in_atoms = true;
            out.push_str("Atoms\n");
            continue;
        }
        if line.starts_with("Velocities") {
            in_atoms = false;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        if in_atoms && f.len() == 8 {
            out.push_str(&f[..5].join(" "));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    std::fs::write(dir.join("noimg.data"), out).unwrap();
    lmp.run(
        &dir,
        "units metal\natom_style atomic\nread_data noimg.data\n\
         write_dump all custom ref.dump id type x y z ix iy iz vx vy vz modify sort id format float %.17g\n",
    );
    let file = read_data_with_notes(&dir.join("noimg.data")).unwrap();
    assert!(!file.has_image_flags);
    assert_eq!(file.atom_style, AtomStyle::Atomic);
    // LAMMPS gives zero image flags to atoms read without them (all inside the box): so must we.
    let table = common::read_dump_table(&dir.join("ref.dump"));
    assert_eq!(assert_same_as_dump(&file.system, &table, false), 0);
}

/// `read_configuration` and `read_data` agree, and a gzip-compressed copy reads the same.
#[test]
fn gzip_data_file_reads_like_the_plain_one() {
    let lmp = require_lammps!();
    let dir = common::scratch("data_read_gz");
    lmp.run(
        &dir,
        &make_script("atomic", "region b block 0 9 0 9 0 9", "id type x y z", ""),
    );
    let plain = read_data(&dir.join("lmp.data")).unwrap();
    let bytes = std::fs::read(dir.join("lmp.data")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &bytes).unwrap();
    std::fs::write(dir.join("lmp.data.gz"), gz.finish().unwrap()).unwrap();
    let zipped = pelkit::io::read_configuration(&dir.join("lmp.data.gz"), None).unwrap();
    assert_eq!(plain, zipped);
    assert_eq!(
        plain,
        pelkit::io::read_configuration(&dir.join("lmp.data"), Some(0)).unwrap()
    );
}

/// `check` flags exactly the atoms that LAMMPS `read_data` moves into the box (image flags
/// changed from 0), on the box edges and just outside, orthogonal and triclinic.
#[test]
fn atoms_outside_the_box_are_those_lammps_remaps() {
    let lmp = require_lammps!();
    let dir = common::scratch("data_read_outside");
    let atoms: [[f64; 3]; 6] = [
        [0.0, 0.0, 0.0],
        [10.0, 5.0, 5.0],
        [9.999999999999998, 5.0, 5.0],
        [-1e-12, 5.0, 5.0],
        [-2.9, 9.9, 5.0],
        [-0.5, 0.1, 9.999999999999],
    ];
    for (name, tilt) in [("ortho", None), ("tri", Some("-3.0 0.0 0.0 xy xz yz\n"))] {
        let mut text = format!(
            "title\n\n6 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n{}\nAtoms # atomic\n\n",
            tilt.unwrap_or("")
        );
        for (i, x) in atoms.iter().enumerate() {
            text.push_str(&format!("{} 1 {:?} {:?} {:?}\n", i + 1, x[0], x[1], x[2]));
        }
        let file = dir.join(format!("{name}.data"));
        std::fs::write(&file, text).unwrap();
        lmp.run(
            &dir,
            &format!(
                "units metal\natom_style atomic\nread_data {name}.data\n\
                 write_dump all custom {name}.dump id x y z ix iy iz modify sort id format float %.17g\n"
            ),
        );
        let remapped: Vec<String> = common::read_dump_table(&dir.join(format!("{name}.dump")))
            .iter()
            .filter(|r| r[4..7].iter().any(|&v| v != 0.0))
            .map(|r| (r[0] as u64).to_string())
            .collect();
        assert!(!remapped.is_empty() && remapped.len() < 6, "{name}: setup");
        let report = pelkit::io::check_file(&file).unwrap();
        let expected = format!(
            "{} atoms lie outside the box (ids {}); LAMMPS read_data would wrap them into the box",
            remapped.len(),
            remapped.join(", ")
        );
        assert_eq!(report.problems, [expected], "{name}");
        // Coordinates are kept as written, not remapped.
        let sys = read_data(&file).unwrap();
        assert_eq!(sys.positions, atoms);
    }
}
