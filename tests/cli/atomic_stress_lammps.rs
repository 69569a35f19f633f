//! Atomic-level stress from LAMMPS' own per-atom virials and Voronoi volumes: the volume-weighted
//! sum of atomic stresses is minus LAMMPS' pressure tensor (virial part) to round-off, and the
//! `pelkit stress` command reproduces LAMMPS' `stress/atom` and `voronoi/atom` per atom.
#[path = "../common/mod.rs"]
mod common;

use common::glass::{self, Shape};
use pelkit::analysis::atomic_stress::{atomic_stresses, pressure_tensor_from_virials};

/// LAMMPS computes stress/atom (virial only: the fixture glass still has velocities), the
/// virial pressure tensor and Voronoi volumes; returns rows id s1..s6 vol, the pressure tensor
/// and the box volume.
fn lammps_stress(
    lmp: &common::Lammps,
    dir: &std::path::Path,
    units: &str,
    pair: &str,
) -> (Vec<Vec<f64>>, [f64; 6], f64) {
    // pair_style before read_data (the data file may hold Pair Coeffs), pair_coeff after.
    let (style, coeffs) = pair.split_once('\n').unwrap_or((pair, ""));
    let out = lmp.run(
        dir,
        &format!(
            "units {units}\natom_style atomic\n{style}\nread_data glass.data\n{coeffs}\n\
             comm_modify cutoff 12.0\n\
             compute s all stress/atom NULL virial\ncompute v all voronoi/atom\n\
             compute p all pressure NULL virial\n\
             variable V equal vol\n\
             thermo_style custom step c_p[1] c_p[2] c_p[3] c_p[4] c_p[5] c_p[6] v_V\n\
             thermo_modify format float %.17g\n\
             dump d all custom 1 st.dump id c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6] c_v[1]\n\
             dump_modify d sort id format float %.17g\nrun 0\n"
        ),
    );
    let lines: Vec<&str> = out.lines().collect();
    let h = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Step"))
        .unwrap();
    let v: Vec<f64> = lines[h + 1]
        .split_whitespace()
        .map(|t| t.parse().unwrap())
        .collect();
    (
        common::read_dump_table(&dir.join("st.dump")),
        [v[1], v[2], v[3], v[4], v[5], v[6]],
        v[7],
    )
}

#[test]
fn volume_weighted_atomic_stress_is_minus_lammps_pressure() {
    let lmp = require_lammps!();
    let dir = common::scratch("atomic_stress_ka");
    glass::kob_andersen(&lmp, &dir, 500, 3, Shape::Triclinic(0.1, -0.05, 0.08), 1000);
    let pair = "pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\n\
                pair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes";
    let (rows, p, volume) = lammps_stress(&lmp, &dir, "lj", pair);
    let virials: Vec<[f64; 6]> = rows
        .iter()
        .map(|r| [r[1], r[2], r[3], r[4], r[5], r[6]])
        .collect();
    let volumes: Vec<f64> = rows.iter().map(|r| r[7]).collect();
    let stresses = atomic_stresses(&virials, &volumes).unwrap();
    // Σ Ω_i σ_i / V = −P. Tolerance 1e-11 relative to the largest component: LAMMPS sums the
    // virial as fdotr (lammps-facts §3.1), the per-atom route sums pair by pair — equal
    // mathematically, different round-off (~1e-14 per term over ~10⁴ pairs, with cancellation).
    let scale = p.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let mut sum = [0.0; 6];
    for (s, &v) in stresses.iter().zip(&volumes) {
        for (acc, sk) in sum.iter_mut().zip(&s.sigma) {
            *acc += sk * v;
        }
    }
    for k in 0..6 {
        let ours = -sum[k] / volume;
        assert!(
            (ours - p[k]).abs() < 1e-11 * scale,
            "component {k}: −ΣΩσ/V = {ours} vs LAMMPS {}",
            p[k]
        );
    }
    let direct = pressure_tensor_from_virials(&virials, volume);
    for k in 0..6 {
        assert!((direct[k] - p[k]).abs() < 1e-11 * scale);
    }
    // Hydrostatic: Σ Ω_i p_i / V = (pxx + pyy + pzz)/3.
    let pbar: f64 = stresses
        .iter()
        .zip(&volumes)
        .map(|(s, &v)| s.pressure * v)
        .sum::<f64>()
        / volume;
    assert!((pbar - (p[0] + p[1] + p[2]) / 3.0).abs() < 1e-11 * scale);
}

/// `pelkit stress` on a Cu–Zr glass: per-atom stress/atom, Voronoi volume and σ = S/Ω equal
/// LAMMPS' to 1e-9 relative (per-atom virials: EAM sums in a different order, ~1e-13; volumes
/// 1e-10; the ratio inherits both), pe to 1e-9 relative.
#[test]
fn stress_command_matches_lammps_per_atom() {
    let lmp = require_lammps!();
    let dir = common::scratch("atomic_stress_cli");
    let Some(_) = glass::cuzr(&lmp, &dir, 400, 5, Shape::Triclinic(0.05, -0.1, 0.07), 600) else {
        return;
    };
    let pot = common::mendelev_cuzr().unwrap();
    let pair = format!("pair_style eam/fs\npair_coeff * * {} Cu Zr", pot.display());
    let (rows, _, _) = lammps_stress(&lmp, &dir, "metal", &pair);
    let out = common::cli::pelkit()
        .args([
            "stress",
            "glass.data",
            "--pair-style",
            "eam/fs",
            "--pair-coeff",
        ])
        .arg(format!("* * {} Cu Zr", pot.display()))
        .args(["--virial-only", "-o", "ours.dump", "--json"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["natoms"], 400);
    let ours = common::read_dump_table(&dir.join("ours.dump"));
    // columns: id type x y z pe sxx syy szz sxy sxz syz volume pxx pyy pzz pxy pxz pyz p vm
    assert_eq!(ours.len(), rows.len());
    for (a, r) in ours.iter().zip(&rows) {
        assert_eq!(a[0], r[0]);
        let vol = r[7];
        assert!(
            common::rel_diff(a[12], vol, 0.0) < 1e-10,
            "volume {} vs {vol}",
            a[12]
        );
        let smax = r[1..7].iter().fold(0.0f64, |m, x| m.max(x.abs()));
        for k in 0..6 {
            assert!(
                (a[6 + k] - r[1 + k]).abs() < 1e-9 * smax,
                "atom {} s{k}: {} vs {}",
                r[0],
                a[6 + k],
                r[1 + k]
            );
            // per-atom pressure tensor = −S/Ω (pressure units)
            assert!((a[13 + k] + r[1 + k] / vol).abs() < 1e-9 * smax / vol);
        }
        let p = -(r[1] + r[2] + r[3]) / (3.0 * vol);
        assert!((a[19] - p).abs() < 1e-9 * smax / vol);
    }
}
