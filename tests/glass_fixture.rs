//! The LAMMPS-made test glasses are what they claim: requested size, composition, density and box
//! shape, no overlapping atoms, and read back consistently from their dump.
mod common;

use common::glass::{self, Shape};

#[test]
fn kob_andersen_fixture_is_a_dense_triclinic_glass() {
    let lmp = require_lammps!();
    let dir = common::scratch("glass_fixture_ka");
    glass::kob_andersen(
        &lmp,
        &dir,
        500,
        4242,
        Shape::Triclinic(0.1, -0.05, 0.08),
        2000,
    );
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    assert_eq!(sys.natoms(), 500);
    assert_eq!(sys.types.iter().filter(|&&t| t == 2).count(), 100);
    assert!(sys.simbox.triclinic);
    // Density 1.2 by construction; the box does not change in NVT/minimize.
    assert!((sys.natoms() as f64 / sys.simbox.volume() - 1.2).abs() < 1e-9);
    // No two atoms closer than 0.6 σ after minimization (an LJ glass has none below ~0.7).
    let mut rmin = f64::INFINITY;
    for i in 0..sys.natoms() {
        for j in 0..i {
            let d = sys.positions[j]
                .iter()
                .zip(&sys.positions[i])
                .map(|(a, b)| a - b)
                .collect::<Vec<_>>();
            let m = sys.simbox.minimum_image([d[0], d[1], d[2]]);
            rmin = rmin.min((m[0] * m[0] + m[1] * m[1] + m[2] * m[2]).sqrt());
        }
    }
    assert!(rmin > 0.6, "closest pair {rmin}");
}

#[test]
fn cuzr_fixture_has_requested_composition_and_density() {
    let lmp = require_lammps!();
    let dir = common::scratch("glass_fixture_cuzr");
    if glass::cuzr(&lmp, &dir, 400, 99, Shape::Orthogonal, 1000).is_none() {
        return;
    }
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    assert_eq!(sys.natoms(), 400);
    assert_eq!(sys.types.iter().filter(|&&t| t == 1).count(), 200);
    assert!((sys.natoms() as f64 / sys.simbox.volume() - 0.0576).abs() < 1e-9);
}
