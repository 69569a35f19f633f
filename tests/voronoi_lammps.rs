//! Voronoi volumes and face counts equal LAMMPS `compute voronoi/atom` (Voro++ 0.4.6) on glasses
//! and perfect crystals, orthogonal and tilted both ways, monodisperse and radical.
//!
//! LAMMPS builds each rank's Voro++ container from owned + ghost atoms only, so a cell is exact
//! only if every atom that can cut it lies within the ghost cutoff (lammps-facts §4). The scripts
//! set `comm_modify cutoff` to several times the largest cell diameter (checked below: the
//! cutoff exceeds 2·R_max, R_max bounded by the largest cell's circumradius ≤ its volume-based
//! estimate × 3), so LAMMPS' cells are the true ones. Tolerance 1e-10 relative: both sides
//! compute exact polyhedra; differences are round-off of ~30 cuts (≈1e-14), far below 1e-10.
mod common;

use std::path::Path;

use common::crystal::{crystal, Lattice};
use common::glass::{self, Shape};
use pelkit::analysis::voronoi::{tessellate, Radii, VoronoiOptions};
use pelkit::io::data::write_data;
use pelkit::System;

/// Run `compute voronoi/atom` on `data` in `dir`; returns (id, volume, faces) rows sorted by id.
/// `radius`: an atom-style variable expression for radical mode.
fn lammps_voronoi(
    lmp: &common::Lammps,
    dir: &Path,
    boundary: &str,
    units: &str,
    ghost_cutoff: f64,
    radius: Option<&str>,
) -> Vec<(u64, f64, u32)> {
    let (var, kw) = match radius {
        Some(expr) => (format!("variable r atom \"{expr}\"\n"), " radius v_r"),
        None => (String::new(), ""),
    };
    lmp.run(
        dir,
        &format!(
            "units {units}\natom_style atomic\nboundary {boundary}\nread_data in.data\nmass * 1.0\n\
             comm_modify cutoff {ghost_cutoff}\n{var}compute v all voronoi/atom{kw}\n\
             dump d all custom 1 vor.dump id c_v[1] c_v[2]\n\
             dump_modify d sort id format float %.17g\nrun 0\n"
        ),
    );
    common::read_dump_table(&dir.join("vor.dump"))
        .iter()
        .map(|r| (r[0] as u64, r[1], r[2] as u32))
        .collect()
}

/// Our tessellation vs LAMMPS' for `sys` (written to `dir/in.data`); also checks Σ volumes = V.
fn compare_with_lammps(
    name: &str,
    sys: &System,
    units: &str,
    cutoff: f64,
    radii: Option<(&str, Radii)>,
) {
    let lmp = require_lammps!();
    let dir = common::scratch(name);
    write_data(&dir.join("in.data"), sys).unwrap();
    let (expr, radii) = match radii {
        Some((e, r)) => (Some(e), r),
        None => (None, Radii::Monodisperse),
    };
    let boundary: Vec<&str> = sys
        .simbox
        .periodic
        .iter()
        .map(|&p| if p { "p" } else { "f" })
        .collect();
    let reference = lammps_voronoi(&lmp, &dir, &boundary.join(" "), units, cutoff, expr);
    let opts = VoronoiOptions {
        radii,
        ..Default::default()
    };
    let t = tessellate(sys, &opts).unwrap();
    // The ghost cutoff must cover every cell (see module doc): 2·(largest circumradius) < cutoff,
    // with the circumradius bounded by the cell's face distances — we check the weaker but
    // sufficient condition on our own cells' volumes-equivalent radius × 3.
    let vmax = t.volumes.iter().copied().fold(0.0, f64::max);
    let rmax_est = 3.0 * (3.0 * vmax / (4.0 * std::f64::consts::PI)).cbrt();
    assert!(
        2.0 * rmax_est < cutoff,
        "{name}: ghost cutoff {cutoff} too small"
    );
    assert_eq!(reference.len(), sys.natoms());
    let mut worst = 0.0f64;
    for (id, vol, faces) in &reference {
        let i = sys.ids.iter().position(|x| x == id).unwrap();
        let d = common::rel_diff(t.volumes[i], *vol, 1e-300);
        worst = worst.max(d);
        // 1e-10 relative: exact polyhedra on both sides (module doc).
        assert!(
            d < 1e-10,
            "{name}: atom {id} volume {} vs LAMMPS {vol}",
            t.volumes[i]
        );
        assert_eq!(t.face_counts[i], *faces, "{name}: atom {id} face count");
    }
    // Cells tile the box: Σ volumes = box volume to 1e-12 relative (round-off of N additions
    // of ~1e-16 relative each, N ≤ 2000).
    let total: f64 = t.volumes.iter().sum();
    let v = sys.simbox.volume();
    assert!(
        common::rel_diff(total, v, 0.0) < 1e-12,
        "{name}: Σ volumes {total} vs box {v}"
    );
    eprintln!("{name}: worst volume difference {worst:e} relative");
}

#[test]
fn kob_andersen_triclinic_glass_matches_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("vor_ka_glass");
    glass::kob_andersen(
        &lmp,
        &dir,
        600,
        11,
        Shape::Triclinic(0.1, -0.05, 0.08),
        2000,
    );
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    compare_with_lammps("vor_ka_tri", &sys, "lj", 4.0, None);
}

#[test]
fn kob_andersen_glass_tilted_the_other_way_matches_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("vor_ka_glass_neg");
    glass::kob_andersen(
        &lmp,
        &dir,
        500,
        5,
        Shape::Triclinic(-0.12, 0.07, -0.09),
        1000,
    );
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    compare_with_lammps("vor_ka_tri_neg", &sys, "lj", 4.0, None);
}

#[test]
fn cuzr_glass_matches_lammps_monodisperse_and_radical() {
    let lmp = require_lammps!();
    let dir = common::scratch("vor_cuzr_glass");
    if glass::cuzr(&lmp, &dir, 500, 21, Shape::Orthogonal, 1000).is_none() {
        return;
    }
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    compare_with_lammps("vor_cuzr", &sys, "metal", 12.0, None);
    compare_with_lammps(
        "vor_cuzr_radical",
        &sys,
        "metal",
        12.0,
        Some((
            "1.28*(type==1)+1.60*(type==2)",
            Radii::PerType(vec![1.28, 1.60]),
        )),
    );
}

#[test]
fn cuzr_triclinic_glass_radical_per_atom_radii_match_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("vor_cuzr_tri_glass");
    if glass::cuzr(&lmp, &dir, 400, 8, Shape::Triclinic(-0.1, 0.1, 0.05), 600).is_none() {
        return;
    }
    let sys = common::read_dump_system(&dir.join("glass.dump"));
    // A per-atom radius depending on the id, given to LAMMPS as the same formula.
    let radii: Vec<f64> = sys
        .ids
        .iter()
        .map(|&id| 1.2 + 0.1 * (id % 5) as f64)
        .collect();
    compare_with_lammps(
        "vor_cuzr_tri_peratom",
        &sys,
        "metal",
        12.0,
        Some(("1.2+0.1*(id%5)", Radii::PerAtom(radii))),
    );
}

#[test]
fn perfect_crystals_match_lammps() {
    for (name, lat, a, tilt) in [
        ("vor_fcc", Lattice::Fcc, 3.61, [0, 0, 0]),
        ("vor_bcc", Lattice::Bcc, 2.87, [0, 0, 0]),
        ("vor_b2", Lattice::B2, 3.26, [0, 0, 0]),
        ("vor_fcc_tilt", Lattice::Fcc, 3.61, [1, -1, 1]),
        ("vor_bcc_tilt", Lattice::Bcc, 2.87, [-1, 1, -1]),
        ("vor_b2_tilt", Lattice::B2, 3.26, [1, 1, -1]),
    ] {
        let sys = crystal(lat, a, 4, tilt);
        compare_with_lammps(name, &sys, "metal", 10.0, None);
    }
}

#[test]
fn b2_crystal_radical_matches_lammps() {
    let sys = crystal(Lattice::B2, 3.26, 4, [0, 0, 0]);
    compare_with_lammps(
        "vor_b2_radical",
        &sys,
        "metal",
        14.0,
        Some((
            "1.28*(type==1)+1.60*(type==2)",
            Radii::PerType(vec![1.28, 1.60]),
        )),
    );
}

/// A non-periodic z dimension: cells are bounded by the box walls z = lo, hi, as LAMMPS clamps
/// its Voro++ container to the box along non-periodic dimensions.
#[test]
fn glass_with_walls_in_z_matches_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("vor_ka_walls");
    glass::kob_andersen(&lmp, &dir, 500, 23, Shape::Orthogonal, 1000);
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    sys.simbox.periodic[2] = false;
    compare_with_lammps("vor_ka_walls", &sys, "lj", 4.0, None);
}
