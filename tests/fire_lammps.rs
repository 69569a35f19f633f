//! FIRE `min_modify` options cross-validated against LAMMPS `min_style fire` on the same start:
//! every integrator (eulerimplicit, verlet, leapfrog, eulerexplicit), ABC-FIRE, and the other
//! FIRE parameters changed from their defaults, on a LAMMPS-made triclinic Kob–Andersen glass
//! and a perturbed fcc crystal, both sheared 1 % in xy (`change_box … remap`) and minimized with
//! `minimize 0 1e-10 …`. pelkit reads the same `min_modify` text through `apply_min_modify` and
//! evaluates forces with the library's `lj/cut` and a Verlet list (skin 0.3 σ, as LAMMPS).
//!
//! Tolerances: initial energies agree to 1e-12 relative (same pair terms summed in another
//! order: round-off only); final energies to 1e-8 relative (issue 4's acceptance criterion: the
//! same damped dynamics, round-off only moves the end point within the flat bottom of the same
//! minimum); the stopping criterion must be the same string.
mod common;
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{parse_minimize, set_masses, KA_PAIR};
use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_fire::{minimize_fire, FireSettings};
use pelkit::engine::min_modify::apply_min_modify;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::geometry::simbox::XY;
use pelkit::units::Units;
use std::path::Path;

/// The `min_modify` lines tested, each against its own LAMMPS run.
const VARIANTS: &[&str] = &[
    "integrator eulerimplicit",
    "integrator verlet",
    "integrator leapfrog",
    "integrator eulerexplicit",
    "abcfire yes",
    "integrator verlet abcfire yes",
    "integrator leapfrog abcfire yes",
    "integrator eulerexplicit abcfire yes",
    "delaystep 5 dtgrow 1.2 dtshrink 0.6 alpha0 0.15 alphashrink 0.98 tmax 5 tmin 0.05 \
     halfstepback no initialdelay no vdfmax 500",
];

/// One variant on the configuration in `dir/glass.dump` (LJ units, KA pair style, masses 1).
fn compare(dir: &Path, variant: &str) {
    let lmp = require_lammps!();
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    set_masses(&mut sys, 1.0);
    let ly = sys.simbox.lengths()[1];
    let delta_text = format!("{:.17e}", 0.01 * ly);
    let script = format!(
        "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\nmass * 1.0\n\
         {KA_PAIR}{}change_box all xy delta {delta_text} remap units box\n\
         thermo_style custom step pe fnorm\nrun 0\nprint \"PE_INITIAL $(pe:%.17g)\"\n\
         timestep 0.005\nmin_style fire\nmin_modify {variant}\n\
         minimize 0 1e-10 20000 200000\nprint \"PE_FINAL $(pe:%.17g)\"\n",
        if sys.simbox.triclinic {
            ""
        } else {
            "change_box all triclinic\n"
        },
    );
    let reference = parse_minimize(&lmp.run(dir, &script));

    if !sys.simbox.triclinic {
        make_triclinic(&mut sys);
    }
    let delta: f64 = delta_text.parse().unwrap();
    change_box(&mut sys, &[BoxOp::TiltDelta { tilt: XY, delta }], true).unwrap();
    let mut settings = MinimizeSettings::new(0.0, 1e-10, 20000, 200000, true);
    let mut fire = FireSettings::for_units(Units::Lj);
    apply_min_modify(variant, &mut settings, &mut fire).unwrap();
    // The library's lj/cut with a 0.3 σ skin, as `pelkit minimize` uses it.
    let potential = pelkit::potential::Potential::from_lammps_args(
        "lj/cut 2.5",
        &[
            "1 1 1.0 1.0 2.5".to_string(),
            "1 2 1.5 0.8 2.0".to_string(),
            "2 2 0.5 0.88 2.2".to_string(),
        ],
        &["shift yes".to_string()],
        2,
    )
    .unwrap();
    let mut provider = PotentialProvider::new(potential, 0.3).unwrap();
    let summary = minimize_fire(&mut sys, &mut provider, &settings, &fire, Units::Lj).unwrap();
    eprintln!(
        "[{variant}] pelkit: {} it {} eval {} E {:.17e} | LAMMPS: {} it {} eval {} E {:.17e}",
        summary.stop,
        summary.iterations,
        summary.force_evaluations,
        summary.energy_final,
        reference.stop,
        reference.iterations,
        reference.evaluations,
        reference.e_final
    );
    // Same configuration and pair terms, different summation order: round-off only.
    let d0 = common::rel_diff(summary.energy_initial, reference.e_initial, 1e-300);
    assert!(d0 < 1e-12, "[{variant}] initial energy differs by {d0:e}");
    // Acceptance criterion of issue 4.
    let d = common::rel_diff(summary.energy_final, reference.e_final, 1e-300);
    assert!(
        d < 1e-8,
        "[{variant}] final energy differs by {d:e} relative"
    );
    assert_eq!(
        summary.stop.as_str(),
        reference.stop,
        "[{variant}] stopping criterion"
    );
    assert!(summary.energy_final < summary.energy_initial);
}

#[test]
fn every_fire_option_reaches_the_lammps_minimum_on_a_triclinic_glass() {
    let lmp = require_lammps!();
    let dir = common::scratch("fire_options_glass");
    glass::kob_andersen(
        &lmp,
        &dir,
        300,
        2468,
        Shape::Triclinic(0.1, -0.05, 0.08),
        1000,
    );
    for variant in VARIANTS {
        compare(&dir, variant);
    }
}

#[test]
fn every_fire_option_reaches_the_lammps_minimum_on_a_perturbed_crystal() {
    let lmp = require_lammps!();
    let dir = common::scratch("fire_options_crystal");
    // fcc crystal (20 % B atoms), orthogonal box made triclinic by the shear.
    lmp.run(
        &dir,
        "units lj\natom_style atomic\nlattice fcc 1.2\nregion box block 0 4 0 4 0 4\n\
         create_box 2 box\ncreate_atoms 1 box\nset type 1 type/fraction 2 0.2 77\nmass * 1.0\n\
         displace_atoms all random 0.05 0.05 0.05 4321 units box\n\
         write_data glass.data\n\
         write_dump all custom glass.dump id type x y z ix iy iz modify sort id format float %.17g\n",
    );
    for variant in VARIANTS {
        compare(&dir, variant);
    }
}
