//! Shared support for the potential tests: configurations (random dense packings, crystals),
//! analytic EAM files, and the LAMMPS `run 0` comparison of pe/atom, forces, stress/atom and
//! totals.
#![allow(dead_code)]

use pelkit::units::Units;
use std::path::Path;

use crate::common;
use pelkit::geometry::{ListKind, NeighborList};
use pelkit::io::data::write_data;
use pelkit::potential::{Evaluation, Potential};
use pelkit::{SimBox, System};

pub use pelkit::testing::Lcg;

/// Random packing with a minimum distance (rejection sampling), types by fraction of type 1.
pub fn random_packing(b: SimBox, n: usize, dmin: f64, frac1: f64, seed: u64) -> System {
    let mut rng = Lcg(seed);
    let mut x: Vec<[f64; 3]> = Vec::with_capacity(n);
    let mut tries = 0;
    while x.len() < n {
        tries += 1;
        assert!(tries < 2_000_000, "packing too dense");
        let p = b.to_cartesian([rng.uniform(), rng.uniform(), rng.uniform()]);
        let ok = x.iter().all(|q| {
            let d = b.minimum_image([p[0] - q[0], p[1] - q[1], p[2] - q[2]]);
            d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= dmin * dmin
        });
        if ok {
            x.push(p);
        }
    }
    let n1 = (frac1 * n as f64).round() as usize;
    let types = (0..n).map(|i| if i < n1 { 1 } else { 2 }).collect();
    let mut sys = System::new(b, (1..=n as u64).collect(), types, x);
    sys.ntypes = 2;
    sys.masses = vec![None, None];
    sys
}

/// `n` atoms on a jittered simple-cubic grid filling box `b` (types 1/2 alternating, then
/// shuffled order): a dense, overlap-free configuration of any size, built in O(n).
pub fn fcc_like_packing(b: SimBox, n: usize, seed: u64) -> System {
    let mut rng = Lcg(seed);
    let side = (n as f64).cbrt().ceil() as usize;
    let mut x = Vec::with_capacity(n);
    'fill: for i in 0..side {
        for j in 0..side {
            for k in 0..side {
                if x.len() == n {
                    break 'fill;
                }
                let s =
                    [i, j, k].map(|v| (v as f64 + 0.5 + 0.3 * (rng.uniform() - 0.5)) / side as f64);
                x.push(b.to_cartesian(s));
            }
        }
    }
    // Shuffle so the caller's order is not spatial (the binned list must not rely on it).
    for i in (1..x.len()).rev() {
        let j = (rng.uniform() * (i + 1) as f64) as usize;
        x.swap(i, j.min(i));
    }
    let types = (0..n).map(|i| if i % 2 == 0 { 1 } else { 2 }).collect();
    let mut sys = System::new(b, (1..=n as u64).collect(), types, x);
    sys.ntypes = 2;
    sys.masses = vec![None, None];
    sys
}

/// fcc crystal of `cells³` unit cells with lattice constant `a`, randomly displaced by up to
/// `jitter`, alternating types 1/2 by atom index.
pub fn fcc(a: f64, cells: usize, jitter: f64, tilt: Option<[f64; 3]>, seed: u64) -> System {
    let l = a * cells as f64;
    let b = match tilt {
        Some(t) => SimBox::triclinic([0.0; 3], [l; 3], t).unwrap(),
        None => SimBox::orthogonal([0.0; 3], [l; 3]).unwrap(),
    };
    let mut rng = Lcg(seed);
    let mut x = Vec::new();
    for s in pelkit::testing::fcc_fractional_sites(cells) {
        let mut p = b.to_cartesian(s);
        for v in p.iter_mut() {
            *v += jitter * (2.0 * rng.uniform() - 1.0);
        }
        x.push(p);
    }
    let n = x.len();
    let types = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let mut sys = System::new(b, (1..=n as u64).collect(), types, x);
    sys.ntypes = 2;
    sys.masses = vec![None, None];
    sys
}

/// What LAMMPS computed in `run 0`.
pub struct LammpsResult {
    /// The configuration as LAMMPS holds it (positions as dumped with %.17g).
    pub system: System,
    pub pe_atom: Vec<f64>,
    pub forces: Vec<[f64; 3]>,
    pub stress_atom: Vec<[f64; 6]>,
    pub pe: f64,
    pub pressure: [f64; 6],
}

/// Run LAMMPS on `sys` with the given pair commands (`extra` inserted before the computes, e.g. a
/// short minimization or `velocity`), and read back everything to compare.
pub fn lammps_run0(
    name: &str,
    sys: &System,
    units: &str,
    pair_lines: &str,
    extra: &str,
) -> Option<LammpsResult> {
    let lmp = common::lammps()?;
    let dir = common::scratch(name);
    let mut s = sys.clone();
    if s.masses.iter().any(|m| m.is_none()) {
        s.masses = vec![Some(1.0); s.ntypes];
    }
    write_data(&dir.join("in.data"), &s).unwrap();
    let script = format!(
        "units {units}\natom_style atomic\nboundary p p p\nread_data in.data\n{pair_lines}\n\
         neighbor 0.3 bin\n{extra}\n\
         compute pe all pe/atom\ncompute s all stress/atom NULL\n\
         thermo_style custom step pe pxx pyy pzz pxy pxz pyz\nthermo_modify norm no\nrun 0\n\
         write_dump all custom out.dump id type x y z vx vy vz fx fy fz c_pe c_s[1] c_s[2] c_s[3] \
         c_s[4] c_s[5] c_s[6] modify sort id format float %.17g\n\
         print \"TOTALS $(pe:%.17g) $(pxx:%.17g) $(pyy:%.17g) $(pzz:%.17g) $(pxy:%.17g) \
         $(pxz:%.17g) $(pyz:%.17g)\"\n"
    );
    let out = lmp.run(&dir, &script);
    let line = out
        .lines()
        .find(|l| l.starts_with("TOTALS"))
        .expect("no TOTALS line");
    let t: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|v| v.parse().unwrap())
        .collect();
    let table = common::read_dump_table(&dir.join("out.dump"));
    let mut system = sys.clone();
    system.ids = table.iter().map(|r| r[0] as u64).collect();
    system.types = table.iter().map(|r| r[1] as u32).collect();
    system.positions = table.iter().map(|r| [r[2], r[3], r[4]]).collect();
    system.images = vec![[0; 3]; table.len()];
    if sys.velocities.is_some() || extra.contains("velocity") {
        system.velocities = Some(table.iter().map(|r| [r[5], r[6], r[7]]).collect());
    }
    system.masses = s.masses.clone();
    Some(LammpsResult {
        system,
        pe_atom: table.iter().map(|r| r[11]).collect(),
        forces: table.iter().map(|r| [r[8], r[9], r[10]]).collect(),
        stress_atom: table
            .iter()
            .map(|r| [r[12], r[13], r[14], r[15], r[16], r[17]])
            .collect(),
        pe: t[0],
        pressure: [t[1], t[2], t[3], t[4], t[5], t[6]],
    })
}

/// Evaluate `pot` on LAMMPS' own configuration and compare everything.
///
/// Tolerances: per-atom energies 1e-12 relative; per-atom forces and stresses 1e-12 relative to
/// the RMS magnitude of that quantity over the system (a component summed from ~50 pair terms
/// of size |f| that nearly cancel carries an absolute round-off of ~1e-16·Σ|f|, so a relative
/// error of a near-zero component is meaningless); totals 1e-12 relative (pressure to the RMS of
/// its components, same reason). pelkit sums in its list order, LAMMPS in half-list order:
/// only the summation order differs.
///
/// Both list kinds the kernels accept are checked: `Full` (its pair index) and `HalfBinned`
/// (atoms renumbered in bin order, results mapped back to the caller's order).
pub fn compare(lmp: &LammpsResult, pot: &Potential, units: Units) -> Evaluation {
    let mut last = None;
    for kind in [ListKind::HalfBinned, ListKind::Full] {
        let list = NeighborList::build(
            &lmp.system.simbox,
            &lmp.system.positions,
            pot.cutoff(),
            0.0,
            kind,
        )
        .unwrap();
        let ev = pot.evaluate(&lmp.system, &list).unwrap();
        compare_evaluation(lmp, &ev, units, kind);
        last = Some(ev);
    }
    last.unwrap()
}

/// The per-atom and total comparisons of [`compare`] for one evaluation.
// Per-atom, per-component comparisons index several parallel arrays (ours, LAMMPS', the RMS)
// with the same i/d/c; iterator chains would hide which arrays are compared.
#[allow(clippy::needless_range_loop)]
fn compare_evaluation(lmp: &LammpsResult, ev: &Evaluation, units: Units, kind: ListKind) {
    let sys = &lmp.system;
    let n = sys.natoms();
    let rms = |v: &mut dyn Iterator<Item = f64>| {
        let (s, c) = v.fold((0.0, 0usize), |(s, c), x| (s + x * x, c + 1));
        (s / c.max(1) as f64).sqrt()
    };
    let f_rms = rms(&mut lmp.forces.iter().flatten().copied());
    let stress = ev.stress_atom(sys, units);
    let s_rms = rms(&mut lmp.stress_atom.iter().flatten().copied());
    for i in 0..n {
        let de = common::rel_diff(ev.per_atom_energy[i], lmp.pe_atom[i], 1e-300);
        assert!(
            de <= 1e-12,
            "{kind:?} list: pe/atom of atom {} differs by {de:e}",
            sys.ids[i]
        );
        for d in 0..3 {
            let df = (ev.forces[i][d] - lmp.forces[i][d]).abs() / f_rms;
            assert!(
                df <= 1e-12,
                "{kind:?} list: force {d} of atom {} differs by {df:e}",
                sys.ids[i]
            );
        }
        for c in 0..6 {
            let ds = (stress[i][c] - lmp.stress_atom[i][c]).abs() / s_rms;
            assert!(
                ds <= 1e-12,
                "{kind:?} list: stress {c} of atom {} differs by {ds:e}",
                sys.ids[i]
            );
        }
    }
    let de = common::rel_diff(ev.energy, lmp.pe, 1e-300);
    assert!(
        de <= 1e-12,
        "{kind:?} list: total pe {} vs {} ({de:e})",
        ev.energy,
        lmp.pe
    );
    let p = ev.pressure_tensor(sys, units);
    let p_rms = rms(&mut lmp.pressure.iter().copied());
    for c in 0..6 {
        let dp = (p[c] - lmp.pressure[c]).abs() / p_rms;
        assert!(
            dp <= 1e-12,
            "{kind:?} list: pressure {c}: {} vs {} ({dp:e})",
            p[c],
            lmp.pressure[c]
        );
    }
}

/// Smooth cutoff (rc − r)⁴ that makes analytic functions vanish with 3 derivatives at rc.
fn cut4(r: f64, rc: f64) -> f64 {
    if r >= rc {
        0.0
    } else {
        let x = (rc - r) / rc;
        x * x * x * x
    }
}

/// Analytic Cu-like EAM functions of one "element" (scaled by `s`).
pub fn rho_fn(r: f64, s: f64, rc: f64) -> f64 {
    s * 3.0 * (-2.5 * (r / 2.55 - 1.0)).exp() * cut4(r, rc)
}
pub fn f_fn(rho: f64, s: f64) -> f64 {
    -s * 2.8 * (rho / 12.0).sqrt() + 0.01 * s * rho
}
pub fn z_fn(r: f64, s: f64, rc: f64) -> f64 {
    s * 0.9 * (-1.2 * (r - 1.0)).exp() * cut4(r, rc)
}
pub fn rphi_fn(r: f64, s: f64, rc: f64) -> f64 {
    let a = (-1.6 * (r - 2.55)).exp();
    r * s * 0.4 * (a * a - 2.0 * a) * cut4(r, rc)
}

/// Write an analytic funcfl file; returns its path.
pub fn write_funcfl(dir: &Path, name: &str, s: f64, nrho: usize, drho: f64) -> std::path::PathBuf {
    let (nr, dr, rc) = (2000, 0.0028, 5.5);
    let f = pelkit::io::eam_file::Funcfl {
        comment: format!("analytic test element {name}"),
        atomic_number: 29,
        mass: 63.546 * s,
        lattice_constant: 3.615,
        lattice: "fcc".into(),
        nrho,
        drho,
        nr,
        dr,
        cutoff: rc,
        frho: (0..nrho).map(|k| f_fn(k as f64 * drho, s)).collect(),
        zr: (0..nr).map(|k| z_fn(k as f64 * dr, s, rc)).collect(),
        rhor: (0..nr).map(|k| rho_fn(k as f64 * dr, s, rc)).collect(),
    };
    let path = dir.join(format!("{name}.eam"));
    pelkit::io::eam_file::write_funcfl(&path, &f).unwrap();
    path
}

/// Write an analytic two-element setfl (`fs = false`) or Finnis–Sinclair file.
pub fn write_setfl(dir: &Path, fs: bool, nrho: usize, drho: f64) -> std::path::PathBuf {
    use pelkit::io::eam_file::{Setfl, SetflElement};
    let (nr, dr, rc) = (3000, 0.002, 5.8);
    let scales = [1.0, 1.3];
    let elements = ["Aa", "Bb"]
        .iter()
        .enumerate()
        .map(|(e, name)| SetflElement {
            name: name.to_string(),
            atomic_number: 29 + e as u32,
            mass: 60.0 + 20.0 * e as f64,
            lattice_constant: 3.6,
            lattice: "fcc".into(),
            frho: (0..nrho)
                .map(|k| f_fn(k as f64 * drho, scales[e]))
                .collect(),
            rhor: if fs {
                (0..2)
                    .map(|a| {
                        (0..nr)
                            .map(|k| rho_fn(k as f64 * dr, scales[e] * (1.0 + 0.2 * a as f64), rc))
                            .collect()
                    })
                    .collect()
            } else {
                vec![(0..nr)
                    .map(|k| rho_fn(k as f64 * dr, scales[e], rc))
                    .collect()]
            },
        })
        .collect();
    let z2r = vec![
        (0..nr).map(|k| rphi_fn(k as f64 * dr, 1.0, rc)).collect(),
        (0..nr).map(|k| rphi_fn(k as f64 * dr, 1.1, rc)).collect(),
        (0..nr).map(|k| rphi_fn(k as f64 * dr, 1.25, rc)).collect(),
    ];
    let file = Setfl {
        comments: ["analytic".into(), "test".into(), "file".into()],
        finnis_sinclair: fs,
        elements,
        nrho,
        drho,
        nr,
        dr,
        cutoff: rc,
        z2r,
    };
    let path = dir.join(if fs { "test.eam.fs" } else { "test.eam.alloy" });
    pelkit::io::eam_file::write_setfl(&path, &file).unwrap();
    path
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
