//! Potentials against LAMMPS `run 0`: pe/atom, forces, stress/atom, pe and the pressure tensor
//! for lj/cut (Kob–Andersen with shift, WCA, mixing), eam (funcfl, funcfl mixture), eam/alloy
//! and eam/fs (analytic files and the real Mendelev Cu–Zr file), glasses and crystals,
//! orthogonal and triclinic. Tolerances are explained in `potential::compare`.
mod common;
mod potential;

use pelkit::potential::Potential;
use pelkit::units::Units;
use pelkit::SimBox;
use potential::{compare, fcc, lammps_run0, random_packing, strings};

const KA_COEFFS: [&str; 3] = ["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"];

fn ka_box(n: usize, tilt: Option<[f64; 3]>) -> SimBox {
    let l = (n as f64 / 1.2).cbrt();
    match tilt {
        Some(t) => SimBox::triclinic([0.0; 3], [l; 3], t).unwrap(),
        None => SimBox::orthogonal([0.0; 3], [l; 3]).unwrap(),
    }
}

fn lj_case(name: &str, b: SimBox, coeffs: &[&str], modify: &[&str], style: &str, extra: &str) {
    let sys = random_packing(b, 400, 0.75, 0.8, 11);
    let mut lines = format!("pair_style {style}\n");
    for c in coeffs {
        lines += &format!("pair_coeff {c}\n");
    }
    for m in modify {
        lines += &format!("pair_modify {m}\n");
    }
    let Some(lmp) = lammps_run0(name, &sys, "lj", &lines, extra) else {
        return;
    };
    let pot = Potential::from_lammps_args(style, &strings(coeffs), &strings(modify), 2).unwrap();
    compare(&lmp, &pot, Units::Lj);
}

#[test]
fn kob_andersen_shifted_glass_orthogonal() {
    lj_case(
        "ka_ortho",
        ka_box(400, None),
        &KA_COEFFS,
        &["shift yes"],
        "lj/cut 2.5",
        "minimize 0 0 20 40\nreset_timestep 0",
    );
}

#[test]
fn kob_andersen_shifted_glass_triclinic_with_velocities() {
    lj_case(
        "ka_tri",
        ka_box(400, Some([1.1, -0.7, 0.9])),
        &KA_COEFFS,
        &["shift yes"],
        "lj/cut 2.5",
        "minimize 0 0 20 40\nreset_timestep 0\nvelocity all create 0.8 4928 dist gaussian",
    );
}

#[test]
fn wca_and_mixing_rules() {
    let wca = 2f64.powf(1.0 / 6.0);
    let c = format!("* * 1.0 1.0 {wca:.17}");
    lj_case(
        "wca",
        ka_box(400, None),
        &[&c],
        &["shift yes"],
        "lj/cut 1.2",
        "",
    );
    for mix in ["geometric", "arithmetic", "sixthpower"] {
        lj_case(
            &format!("mix_{mix}"),
            ka_box(400, Some([0.5, 0.3, -0.4])),
            &["1 1 1.0 1.0", "2 2 0.6 0.8 2.1"],
            &[&format!("mix {mix}"), "shift yes"],
            "lj/cut 2.4",
            "",
        );
    }
}

fn eam_case(
    name: &str,
    sys: pelkit::System,
    style: &str,
    coeffs: &[String],
    extra: &str,
) -> Option<pelkit::System> {
    let mut lines = format!("pair_style {style}\n");
    for c in coeffs {
        lines += &format!("pair_coeff {c}\n");
    }
    let lmp = lammps_run0(name, &sys, "metal", &lines, extra)?;
    let pot = Potential::from_lammps_args(style, coeffs, &[], 2).unwrap();
    compare(&lmp, &pot, Units::Metal);
    Some(lmp.system)
}

fn metal_glass(n: usize, tilt: Option<[f64; 3]>, seed: u64) -> pelkit::System {
    let l = (n as f64 / 0.06).cbrt();
    let b = match tilt {
        Some(t) => SimBox::triclinic([0.0; 3], [l; 3], t).unwrap(),
        None => SimBox::orthogonal([0.0; 3], [l; 3]).unwrap(),
    };
    random_packing(b, n, 2.2, 0.5, seed)
}

#[test]
fn eam_funcfl_single_element_crystal_and_glass() {
    let dir = common::scratch("eam_funcfl_files");
    let f = potential::write_funcfl(&dir, "A", 1.0, 500, 0.05);
    let c = vec![format!("* * {}", f.display())];
    let mut crystal = fcc(3.615, 4, 0.05, None, 3);
    crystal.types.iter_mut().for_each(|t| *t = 1);
    eam_case("eam_funcfl_fcc", crystal, "eam", &c, "");
    eam_case(
        "eam_funcfl_glass_tri",
        metal_glass(400, Some([1.5, -2.0, 0.8]), 5),
        "eam",
        &c,
        "minimize 0 0 10 20\nreset_timestep 0",
    );
}

/// Two funcfl files with different grids: resampling to the common grid and the
/// 27.2·0.529·Z_i·Z_j cross term.
#[test]
fn eam_funcfl_mixture() {
    let dir = common::scratch("eam_funcfl_mix_files");
    let a = potential::write_funcfl(&dir, "A", 1.0, 500, 0.05);
    let b = potential::write_funcfl(&dir, "B", 1.2, 400, 0.07);
    let c = vec![
        format!("1 1 {}", a.display()),
        format!("2 2 {}", b.display()),
    ];
    eam_case(
        "eam_funcfl_mix",
        metal_glass(400, None, 7),
        "eam",
        &c,
        "minimize 0 0 10 20\nreset_timestep 0",
    );
}

#[test]
fn eam_alloy_and_fs_analytic_crystal_and_glass() {
    let dir = common::scratch("eam_setfl_files");
    for fs in [false, true] {
        let f = potential::write_setfl(&dir, fs, 600, 0.05);
        let style = if fs { "eam/fs" } else { "eam/alloy" };
        let c = vec![format!("* * {} Aa Bb", f.display())];
        eam_case(
            &format!("{}_fcc_tri", if fs { "fs" } else { "alloy" }),
            fcc(3.6, 4, 0.08, Some([0.9, -0.6, 0.4]), 9),
            style,
            &c,
            "",
        );
        eam_case(
            &format!("{}_glass", if fs { "fs" } else { "alloy" }),
            metal_glass(400, None, 13),
            style,
            &c,
            "minimize 0 0 10 20\nreset_timestep 0",
        );
    }
}

/// F extrapolated linearly above rhomax: a table that ends inside the density distribution.
#[test]
fn eam_density_above_rhomax() {
    let dir = common::scratch("eam_rhomax_files");
    let f = potential::write_setfl(&dir, true, 100, 0.08);
    let c = vec![format!("* * {} Aa Bb", f.display())];
    let sys = fcc(3.3, 4, 0.1, None, 21);
    let lines = format!("pair_style eam/fs\npair_coeff {}", c[0]);
    let Some(lmp) = lammps_run0("eam_rhomax", &sys, "metal", &lines, "") else {
        return;
    };
    let pot = Potential::from_lammps_args("eam/fs", &c, &[], 2).unwrap();
    let Potential::Eam(eam) = &pot else {
        unreachable!()
    };
    let list = pelkit::geometry::NeighborList::build(
        &lmp.system.simbox,
        &lmp.system.positions,
        eam.cutoff(),
        0.0,
        pelkit::geometry::ListKind::Full,
    )
    .unwrap();
    let rho = eam.densities(&lmp.system, &list).unwrap();
    let above = rho.iter().filter(|&&r| r > eam.rhomax()).count();
    assert!(
        above > 0 && above < rho.len(),
        "{above} of {} above rhomax {}",
        rho.len(),
        eam.rhomax()
    );
    compare(&lmp, &pot, Units::Metal);
}

/// The real Mendelev Cu–Zr eam/fs file (Nr = 10000 knots ending at 7.5992 < cutoff 7.6, so pairs
/// in the last interval use the clamped lookup).
#[test]
fn eam_fs_mendelev_cuzr_glass_and_crystal() {
    let Some(path) = common::mendelev_cuzr() else {
        return;
    };
    let c = vec![format!("* * {} Cu Zr", path.display())];
    let glass = metal_glass(500, Some([2.0, 1.0, -1.5]), 17);
    eam_case(
        "mendelev_glass",
        glass,
        "eam/fs",
        &c,
        "minimize 0 0 10 20\nreset_timestep 0",
    );
    eam_case("mendelev_fcc", fcc(3.8, 4, 0.1, None, 19), "eam/fs", &c, "");
}
