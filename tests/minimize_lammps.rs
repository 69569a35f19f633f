//! CG and FIRE minimization cross-validated against LAMMPS `minimize` on the same start:
//! a LAMMPS-made Kob–Andersen glass (orthogonal and triclinic) and a perturbed fcc crystal,
//! strained with `change_box … remap`, minimized with `minimize 0 1e-10 …`.
//!
//! Tolerances: initial energies agree to 1e-12 relative (same pair terms, summed in a different
//! order: round-off only). Final energies to 1e-8 relative (the acceptance criterion: both codes
//! follow the same algorithm, round-off differences only move the end point within the flat
//! bottom of the same minimum). The stopping criterion must be the same string.
mod common;
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{parse_minimize, set_masses, KobAndersen, KA_PAIR};
use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::min_fire::{minimize_fire, FireSettings};
use pelkit::engine::MinimizeSettings;
use pelkit::geometry::simbox::XY;
use pelkit::units::Units;
use std::path::Path;

#[derive(Clone, Copy)]
enum Strain {
    /// `change_box all x scale 1.01 z scale 0.995 remap` (box stays orthogonal).
    Normal,
    /// `change_box all [triclinic] xy delta 0.01*ly remap units box`.
    ShearXy,
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Cg,
    Fire,
}

fn lammps_strain_lines(strain: Strain, triclinic: bool, ly: f64) -> String {
    match strain {
        Strain::Normal => "change_box all x scale 1.01 z scale 0.995 remap units box\n".into(),
        Strain::ShearXy => format!(
            "{}change_box all xy delta {:.17e} remap units box\n",
            if triclinic {
                ""
            } else {
                "change_box all triclinic\n"
            },
            0.01 * ly
        ),
    }
}

fn apply_strain(sys: &mut pelkit::System, strain: Strain) {
    match strain {
        Strain::Normal => change_box(
            sys,
            &[
                BoxOp::Scale {
                    axis: 0,
                    factor: 1.01,
                },
                BoxOp::Scale {
                    axis: 2,
                    factor: 0.995,
                },
            ],
            true,
        )
        .unwrap(),
        Strain::ShearXy => {
            if !sys.simbox.triclinic {
                make_triclinic(sys);
            }
            let ly = sys.simbox.lengths()[1];
            // The same decimal string LAMMPS reads, parsed back.
            let delta: f64 = format!("{:.17e}", 0.01 * ly).parse().unwrap();
            change_box(sys, &[BoxOp::TiltDelta { tilt: XY, delta }], true).unwrap();
        }
    }
}

/// Run the same strained minimization in LAMMPS and in pelkit and compare.
fn compare(dir: &Path, strain: Strain, style: Style) {
    let lmp = require_lammps!();
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    set_masses(&mut sys, 1.0);
    let ly = sys.simbox.lengths()[1];
    let min_style = match style {
        Style::Cg => "cg",
        Style::Fire => "fire",
    };
    let script = format!(
        "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\nmass * 1.0\n{KA_PAIR}{}\
         thermo_style custom step pe fnorm\nrun 0\nprint \"PE_INITIAL $(pe:%.17g)\"\n\
         timestep 0.005\nmin_style {min_style}\nminimize 0 1e-10 20000 200000\n\
         print \"PE_FINAL $(pe:%.17g)\"\n",
        lammps_strain_lines(strain, sys.simbox.triclinic, ly)
    );
    let out = lmp.run(dir, &script);
    let reference = parse_minimize(&out);

    apply_strain(&mut sys, strain);
    let mut ka = KobAndersen::new();
    let settings = MinimizeSettings::new(0.0, 1e-10, 20000, 200000, true);
    let summary = match style {
        Style::Cg => minimize_cg(&mut sys, &mut ka, &settings).unwrap(),
        Style::Fire => minimize_fire(
            &mut sys,
            &mut ka,
            &settings,
            &FireSettings::for_units(Units::Lj),
            Units::Lj,
        )
        .unwrap(),
    };
    eprintln!(
        "pelkit: {} it {} eval {} E {:.17e} | LAMMPS: {} it {} eval {} E {:.17e}",
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
    assert!(d0 < 1e-12, "initial energy differs by {d0:e} relative");
    // Acceptance criterion of issue 4.
    let d = common::rel_diff(summary.energy_final, reference.e_final, 1e-300);
    assert!(d < 1e-8, "final energy differs by {d:e} relative");
    if style == Style::Cg {
        assert_eq!(summary.stop.as_str(), reference.stop, "stopping criterion");
    }
    // The minimizer must have lowered the energy of the strained start.
    assert!(summary.energy_final < summary.energy_initial);
}

fn ka_glass(name: &str, shape: Shape) -> std::path::PathBuf {
    let lmp = common::lammps().expect("LAMMPS");
    let dir = common::scratch(name);
    glass::kob_andersen(&lmp, &dir, 300, 1234, shape, 1000);
    dir
}

#[test]
fn cg_matches_lammps_on_orthogonal_glass_under_normal_strain() {
    let _ = require_lammps!();
    let dir = ka_glass("min_cg_ortho", Shape::Orthogonal);
    compare(&dir, Strain::Normal, Style::Cg);
}

#[test]
fn cg_matches_lammps_on_orthogonal_glass_made_triclinic_and_sheared() {
    let _ = require_lammps!();
    let dir = ka_glass("min_cg_ortho_shear", Shape::Orthogonal);
    compare(&dir, Strain::ShearXy, Style::Cg);
}

#[test]
fn cg_matches_lammps_on_triclinic_glass_under_shear() {
    let _ = require_lammps!();
    let dir = ka_glass("min_cg_tri", Shape::Triclinic(0.1, -0.05, 0.08));
    compare(&dir, Strain::ShearXy, Style::Cg);
}

#[test]
fn fire_reaches_the_lammps_minimum_on_triclinic_glass() {
    let _ = require_lammps!();
    let dir = ka_glass("min_fire_tri", Shape::Triclinic(0.1, -0.05, 0.08));
    compare(&dir, Strain::ShearXy, Style::Fire);
}

/// A perturbed fcc crystal of A particles made by LAMMPS (written as glass.data/glass.dump so
/// `compare` can use it).
fn crystal(name: &str) -> std::path::PathBuf {
    let lmp = common::lammps().expect("LAMMPS");
    let dir = common::scratch(name);
    lmp.run(
        &dir,
        "units lj\natom_style atomic\nlattice fcc 1.2\nregion box block 0 4 0 4 0 4\n\
         create_box 2 box\ncreate_atoms 1 box\nset type 1 type/fraction 2 0.2 77\nmass * 1.0\n\
         displace_atoms all random 0.05 0.05 0.05 4321 units box\n\
         write_data glass.data\n\
         write_dump all custom glass.dump id type x y z ix iy iz modify sort id format float %.17g\n",
    );
    dir
}

#[test]
fn cg_matches_lammps_on_perturbed_crystal_under_shear() {
    let _ = require_lammps!();
    let dir = crystal("min_cg_crystal");
    compare(&dir, Strain::ShearXy, Style::Cg);
}

#[test]
fn fire_reaches_the_lammps_minimum_on_orthogonal_crystal() {
    let _ = require_lammps!();
    let dir = crystal("min_fire_crystal");
    compare(&dir, Strain::Normal, Style::Fire);
}

/// Mendelev Cu–Zr (eam/fs) through the library potential and its neighbor list.
fn cuzr_compare(name: &str, shape: Shape) {
    let lmp = require_lammps!();
    let Some(pot_file) = common::mendelev_cuzr() else {
        return;
    };
    let dir = common::scratch(name);
    if glass::cuzr(&lmp, &dir, 300, 555, shape, 2000).is_none() {
        return;
    }
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    let ly = sys.simbox.lengths()[1];
    let script = format!(
        "units metal\natom_style atomic\nread_data glass.data\npair_style eam/fs\n\
         pair_coeff * * {} Cu Zr\nneighbor 2.0 bin\n{}\
         thermo_style custom step pe fnorm\nrun 0\nprint \"PE_INITIAL $(pe:%.17g)\"\n\
         minimize 0 1e-10 20000 200000\nprint \"PE_FINAL $(pe:%.17g)\"\n",
        pot_file.display(),
        lammps_strain_lines(Strain::ShearXy, sys.simbox.triclinic, ly)
    );
    let out = lmp.run(&dir, &script);
    let reference = parse_minimize(&out);
    apply_strain(&mut sys, Strain::ShearXy);
    let potential = pelkit::potential::Potential::from_lammps_args(
        "eam/fs",
        &[format!("* * {} Cu Zr", pot_file.display())],
        &[],
        2,
    )
    .unwrap();
    let mut provider =
        pelkit::engine::potential_provider::PotentialProvider::new(potential, 2.0).unwrap();
    let settings = MinimizeSettings::new(0.0, 1e-10, 20000, 200000, false);
    let summary = minimize_cg(&mut sys, &mut provider, &settings).unwrap();
    eprintln!(
        "pelkit: {} it {} eval {} E {:.17e} | LAMMPS: {} it {} eval {} E {:.17e}",
        summary.stop,
        summary.iterations,
        summary.force_evaluations,
        summary.energy_final,
        reference.stop,
        reference.iterations,
        reference.evaluations,
        reference.e_final
    );
    // Same pair terms, different summation order: round-off only (eV totals of ~-1500 eV).
    let d0 = common::rel_diff(summary.energy_initial, reference.e_initial, 1e-300);
    assert!(d0 < 1e-12, "initial energy differs by {d0:e} relative");
    // Acceptance criterion of issue 4.
    let d = common::rel_diff(summary.energy_final, reference.e_final, 1e-300);
    assert!(d < 1e-8, "final energy differs by {d:e} relative");
    assert_eq!(summary.stop.as_str(), reference.stop, "stopping criterion");
}

#[test]
fn cg_matches_lammps_on_cuzr_eam_glass_orthogonal_made_triclinic() {
    cuzr_compare("min_cg_cuzr_ortho", Shape::Orthogonal);
}

#[test]
fn cg_matches_lammps_on_cuzr_eam_glass_triclinic() {
    cuzr_compare("min_cg_cuzr_tri", Shape::Triclinic(0.1, -0.05, 0.08));
}
