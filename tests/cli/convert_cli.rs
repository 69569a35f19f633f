//! `pelkit convert` through every format pair (data → dump.gz → data.gz → dump) keeps every
//! coordinate bit, image flag, id, type and the triclinic box: checked against LAMMPS' own dump of
//! the same state (written with %.17g, read by the independent test reader).
#[path = "../common/mod.rs"]
mod common;

use common::glass::{self, Shape};

fn pelkit(args: &[&std::path::Path]) {
    let out = common::cli::pelkit()
        .arg("convert")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pelkit convert failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn convert_chain_reproduces_lammps_dump_bitwise() {
    let lmp = require_lammps!();
    let dir = common::scratch("convert_cli_chain");
    let data = glass::kob_andersen(
        &lmp,
        &dir,
        300,
        77,
        Shape::Triclinic(0.12, -0.08, 0.05),
        500,
    );
    let (a, b, c) = (
        dir.join("a.dump.gz"),
        dir.join("b.data.gz"),
        dir.join("c.dump"),
    );
    pelkit(&[&data, &a]);
    pelkit(&[&a, &b]);
    pelkit(&[&b, &c]);
    let reference = common::read_dump_system(&dir.join("glass.dump"));
    let ours = common::read_dump_system(&c);
    assert_eq!(ours.ids, reference.ids);
    assert_eq!(ours.types, reference.types);
    assert_eq!(ours.images, reference.images);
    for (p, q) in ours.positions.iter().zip(&reference.positions) {
        for d in 0..3 {
            assert_eq!(p[d].to_bits(), q[d].to_bits());
        }
    }
    // Box: both go through the bound-box representation of a dump.
    for d in 0..3 {
        assert_eq!(
            ours.simbox.lo[d].to_bits(),
            reference.simbox.lo[d].to_bits()
        );
        assert_eq!(
            ours.simbox.hi[d].to_bits(),
            reference.simbox.hi[d].to_bits()
        );
        assert_eq!(
            ours.simbox.tilt[d].to_bits(),
            reference.simbox.tilt[d].to_bits()
        );
    }
}

#[test]
fn convert_reports_missing_frame_with_file_name() {
    let lmp = require_lammps!();
    let dir = common::scratch("convert_cli_frame");
    glass::kob_andersen(&lmp, &dir, 100, 5, Shape::Orthogonal, 10);
    let out = common::cli::pelkit()
        .args(["convert", "glass.dump", "x.data", "--frame", "3"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("glass.dump") && err.contains("frame 3 does not exist"),
        "{err}"
    );
}
