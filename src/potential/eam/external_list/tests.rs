//! Tests of the external-list EAM kernel: a periodic Cu–Zr system is cut into owned atoms plus
//! ghost images, a half list is built by brute force the way LAMMPS stores pairs (newton on and
//! off), the host's communication is done by hand, and everything is compared with the
//! library's periodic evaluation ([`Eam::evaluate`], itself checked against LAMMPS).

use super::*;
use crate::io::eam_file::Setfl;
use crate::potential::zhou2004::{zhou_setfl, ZhouGrid};
use crate::potential::Potential;
use crate::{SimBox, System};

/// Zhou Cu–Zr tables (eam/alloy) or the same with distinct, asymmetric Finnis–Sinclair
/// densities (ρ of element b at an a site scaled by 1 + 0.3a + 0.15b), so that swapping the
/// two density directions changes every result.
fn cuzr(finnis_sinclair: bool) -> Eam {
    Eam::from_setfl(&cuzr_setfl(finnis_sinclair), &[0, 1]).unwrap()
}

/// The setfl of [`cuzr`], for other type-to-element maps.
fn cuzr_setfl(finnis_sinclair: bool) -> Setfl {
    let grid = ZhouGrid {
        nr: 800,
        nrho: 800,
        cutoff: None,
    };
    let mut setfl = zhou_setfl(&["Cu", "Zr"], &grid).unwrap();
    if finnis_sinclair {
        setfl.finnis_sinclair = true;
        for (b, el) in setfl.elements.iter_mut().enumerate() {
            let base = el.rhor[0].clone();
            el.rhor = (0..2)
                .map(|a| {
                    let s = 1.0 + 0.3 * a as f64 + 0.15 * b as f64;
                    base.iter().map(|v| v * s).collect()
                })
                .collect();
        }
    }
    setfl
}

/// Perturbed fcc Cu64Zr36 (3×3×3 cells, a = 3.75 Å) in a tilted periodic box.
fn crystal(seed: u64) -> System {
    let (a, n) = (3.75, 3usize);
    let l = a * n as f64;
    let simbox = SimBox::triclinic(
        [0.5, -0.2, 0.1],
        [0.5 + l, l - 0.2, l + 0.1],
        [1.1, -0.7, 0.4],
    )
    .unwrap();
    let mut state = seed;
    let mut uniform = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let basis = [
        [0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0],
        [0.5, 0.0, 0.5],
        [0.0, 0.5, 0.5],
    ];
    let (mut x, mut types) = (Vec::new(), Vec::new());
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                for b in basis {
                    let s = [
                        (i as f64 + b[0]) / n as f64,
                        (j as f64 + b[1]) / n as f64,
                        (k as f64 + b[2]) / n as f64,
                    ];
                    let r = simbox.to_cartesian(s);
                    x.push(r.map(|c| c + 0.3 * (2.0 * uniform() - 1.0)));
                    types.push(if uniform() < 0.36 { 2 } else { 1 });
                }
            }
        }
    }
    let natoms = x.len();
    let mut sys = System::new(simbox, (1..=natoms as u64).collect(), types, x);
    sys.ntypes = 2;
    sys
}

/// Owned atoms + ghost images within `reach` of an owned atom, LAMMPS-style.
struct Host {
    x: Vec<[f64; 3]>,
    types: Vec<i32>,
    nlocal: usize,
    /// Owner (owned index) of each ghost, in ghost order.
    owner: Vec<usize>,
    /// Image shift of each ghost.
    shift: Vec<[i32; 3]>,
}

fn host(sys: &System, reach: f64) -> Host {
    let n = sys.natoms();
    let mut h = Host {
        x: sys.positions.clone(),
        types: sys.types.iter().map(|&t| t as i32).collect(),
        nlocal: n,
        owner: Vec::new(),
        shift: Vec::new(),
    };
    for sa in -2..=2 {
        for sb in -2..=2 {
            for sc in -2..=2 {
                let s = [sa, sb, sc];
                if s == [0, 0, 0] {
                    continue;
                }
                let t = sys.simbox.image_shift(s);
                for k in 0..n {
                    let g = [0, 1, 2].map(|d| sys.positions[k][d] + t[d]);
                    let near = sys.positions.iter().any(|o| dist2(*o, g) < reach * reach);
                    if near {
                        h.x.push(g);
                        h.types.push(sys.types[k] as i32);
                        h.owner.push(k);
                        h.shift.push(s);
                    }
                }
            }
        }
    }
    h
}

fn dist2(a: [f64; 3], b: [f64; 3]) -> f64 {
    (0..3).map(|d| (a[d] - b[d]) * (a[d] - b[d])).sum()
}

/// Half list of pairs closer than `reach`: owned–owned pairs once (j > i); an owned–ghost pair
/// once (image shift lexicographically positive) with `newton`, on both sides without.
/// Neighbors are stored in descending index order and every third carries special-bond bits.
fn half_list(h: &Host, reach: f64, newton: bool) -> CsrHalfList {
    let nall = h.x.len();
    let mut list = CsrHalfList {
        atoms: (0..h.nlocal as i32).rev().collect(),
        offsets: vec![0],
        neighbors: Vec::new(),
    };
    for i in 0..nall {
        if i < h.nlocal {
            let mut row: Vec<usize> = (0..nall)
                .filter(|&j| {
                    let keep = if j < h.nlocal {
                        j > i
                    } else {
                        !newton || h.shift[j - h.nlocal] > [0, 0, 0]
                    };
                    keep && dist2(h.x[i], h.x[j]) < reach * reach
                })
                .collect();
            row.reverse();
            for (k, j) in row.into_iter().enumerate() {
                let bits = if k % 3 == 0 { 1 << 30 } else { 0 };
                list.neighbors.push(j as i32 | bits);
            }
        }
        list.offsets.push(list.neighbors.len());
    }
    list
}

/// Everything a LAMMPS rank would hold after one force evaluation, after the reverse
/// communication of forces and per-atom tallies (owned rows only).
struct HostResult {
    energy: f64,
    virial_pairwise: [f64; 6],
    virial_fdotr: [f64; 6],
    forces: Vec<[f64; 3]>,
    per_atom_energy: Vec<f64>,
    per_atom_virial: Vec<[f64; 6]>,
}

fn run_host(kernel: &EamListKernel, h: &Host, list: &CsrHalfList, newton: bool) -> HostResult {
    let nall = h.x.len();
    let atoms = HostAtoms {
        positions: &h.x,
        types: &h.types,
        nlocal: h.nlocal,
        newton,
    };
    let mut rho = vec![f64::NAN; nall];
    kernel.densities(&atoms, list, &mut rho).unwrap();
    if newton {
        for (g, &k) in h.owner.iter().enumerate() {
            rho[k] += rho[h.nlocal + g];
        }
    }
    let mut fp = vec![0.0; nall];
    let mut energy = 0.0;
    let mut eatom = vec![0.0; nall];
    kernel
        .embedding(
            &atoms,
            list,
            &rho,
            &mut fp,
            Some(&mut energy),
            Some(&mut eatom),
        )
        .unwrap();
    for (g, &k) in h.owner.iter().enumerate() {
        fp[h.nlocal + g] = fp[k];
    }
    // One forces-only pass (the MD hot path) and one tallying pass must give the same forces.
    let mut plain = vec![[0.0; 3]; nall];
    kernel
        .forces(&atoms, list, &fp, &mut plain, EamTally::default())
        .unwrap();
    let mut f = vec![[0.0; 3]; nall];
    let mut virial = [0.0; 6];
    let mut vatom = vec![[0.0; 6]; nall];
    let tally = EamTally {
        energy: Some(&mut energy),
        virial: Some(&mut virial),
        per_atom_energy: Some(&mut eatom),
        per_atom_virial: Some(&mut vatom),
    };
    kernel.forces(&atoms, list, &fp, &mut f, tally).unwrap();
    assert_eq!(plain, f, "forces-only and tallying passes differ");
    // LAMMPS virial_fdotr_compute: Σ over owned + ghost of f ⊗ x before the reverse comm.
    let mut fdotr = [0.0; 6];
    for (fi, xi) in f.iter().zip(&h.x) {
        fdotr[0] += fi[0] * xi[0];
        fdotr[1] += fi[1] * xi[1];
        fdotr[2] += fi[2] * xi[2];
        fdotr[3] += fi[1] * xi[0];
        fdotr[4] += fi[2] * xi[0];
        fdotr[5] += fi[2] * xi[1];
    }
    if newton {
        for (g, &k) in h.owner.iter().enumerate() {
            let gi = h.nlocal + g;
            let (fg, wg) = (f[gi], vatom[gi]);
            for (a, b) in f[k].iter_mut().zip(fg) {
                *a += b;
            }
            eatom[k] += eatom[gi];
            for (a, b) in vatom[k].iter_mut().zip(wg) {
                *a += b;
            }
        }
    }
    f.truncate(h.nlocal);
    eatom.truncate(h.nlocal);
    vatom.truncate(h.nlocal);
    HostResult {
        energy,
        virial_pairwise: virial,
        virial_fdotr: fdotr,
        forces: f,
        per_atom_energy: eatom,
        per_atom_virial: vatom,
    }
}

/// |a − b| ≤ 1e-12 · scale for every pair of values.
fn assert_close(what: &str, ours: &[f64], reference: &[f64], scale: f64) {
    assert_eq!(ours.len(), reference.len(), "{what}: lengths");
    for (k, (a, b)) in ours.iter().zip(reference).enumerate() {
        assert!(
            (a - b).abs() <= 1e-12 * scale,
            "{what}[{k}]: {a} vs reference {b} (scale {scale})"
        );
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn check_against_library(finnis_sinclair: bool, newton: bool) {
    let eam = cuzr(finnis_sinclair);
    let kernel = EamListKernel::new(&eam);
    let sys = crystal(7 + u64::from(finnis_sinclair));
    // A list reaching 1 Å beyond the cutoff, as LAMMPS' skin: pairs past the cutoff must be
    // skipped.
    let reach = eam.cutoff() + 1.0;
    let h = host(&sys, reach);
    assert!(h.x.len() > 4 * h.nlocal, "ghost shell too thin");
    let list = half_list(&h, reach, newton);
    if !newton {
        // Rows longer than a batch: the batching must not change the sums.
        let longest = list.offsets.windows(2).map(|w| w[1] - w[0]).max();
        assert!(longest > Some(CHUNK), "longest row {longest:?}");
    }
    let ours = run_host(&kernel, &h, &list, newton);
    let reference = Potential::Eam(eam).evaluate_system(&sys).unwrap();

    // Tolerance: the same spline values summed in another order (≈ 100 terms per atom, each
    // below the largest |value| of its kind); 1e-12 of that scale is far above the
    // accumulated rounding (≈ 1e-14) and far below any formula error.
    let e_scale = max_abs(&reference.per_atom_energy);
    assert_close(
        "per-atom energy",
        &ours.per_atom_energy,
        &reference.per_atom_energy,
        e_scale,
    );
    let n = sys.natoms() as f64;
    assert_close("energy", &[ours.energy], &[reference.energy], n * e_scale);
    let flat = |v: &[[f64; 3]]| v.iter().flatten().copied().collect::<Vec<_>>();
    let f_ref = flat(&reference.forces);
    // Forces: scale = the largest force component (single components can be ≈ 0).
    assert_close("forces", &flat(&ours.forces), &f_ref, max_abs(&f_ref));
    let w_ref: Vec<f64> = reference
        .per_atom_virial
        .iter()
        .flatten()
        .copied()
        .collect();
    let w_ours: Vec<f64> = ours.per_atom_virial.iter().flatten().copied().collect();
    let w_scale = max_abs(&w_ref);
    assert_close("per-atom virial", &w_ours, &w_ref, w_scale);
    assert_close(
        "pairwise virial",
        &ours.virial_pairwise,
        &reference.virial,
        n * w_scale,
    );
    if newton {
        // Σ f·x over owned + ghosts equals the pair virial only when ghost forces are kept
        // (newton on), as LAMMPS uses it.
        assert_close(
            "f·r virial",
            &ours.virial_fdotr,
            &reference.virial,
            n * w_scale,
        );
    }
}

#[test]
fn alloy_newton_on_matches_periodic_library_evaluation() {
    check_against_library(false, true);
}

#[test]
fn finnis_sinclair_newton_on_matches_periodic_library_evaluation() {
    check_against_library(true, true);
}

#[test]
fn finnis_sinclair_newton_off_matches_periodic_library_evaluation() {
    check_against_library(true, false);
}

#[test]
fn alloy_newton_off_matches_periodic_library_evaluation() {
    check_against_library(false, false);
}

/// Types that share their elements share table blocks; 3 types mapped to 2 elements give the
/// same numbers as 2 types.
#[test]
fn types_mapped_to_the_same_element_share_blocks_and_results() {
    let eam = cuzr(true);
    let kernel = EamListKernel::new(&eam);
    let three = EamListKernel::new(&Eam::from_setfl(&cuzr_setfl(true), &[0, 1, 1]).unwrap());
    assert_eq!(kernel.density.len(), 4 * kernel.nr);
    assert_eq!(
        three.density.len(),
        4 * three.nr,
        "types 2 and 3 share blocks"
    );
    let sys = crystal(3);
    let reach = eam.cutoff() + 1.0;
    let h = host(&sys, reach);
    let list = half_list(&h, reach, true);
    let mut h3 = Host {
        x: h.x.clone(),
        types: h.types.clone(),
        nlocal: h.nlocal,
        owner: h.owner.clone(),
        shift: h.shift.clone(),
    };
    // Relabel every other Zr atom (and its images) as type 3.
    for k in 0..h3.types.len() {
        let owner = if k < h.nlocal {
            k
        } else {
            h.owner[k - h.nlocal]
        };
        if h3.types[k] == 2 && owner % 2 == 0 {
            h3.types[k] = 3;
        }
    }
    let a = run_host(&kernel, &h, &list, true);
    let b = run_host(&three, &h3, &list, true);
    // Same tables, same list, same order: bit-identical.
    assert_eq!(a.forces, b.forces);
    assert_eq!(a.per_atom_energy, b.per_atom_energy);
    assert_eq!(a.energy, b.energy);
}

#[test]
fn bad_host_arrays_are_errors_not_panics() {
    let eam = cuzr(false);
    let kernel = EamListKernel::new(&eam);
    let sys = crystal(11);
    let reach = eam.cutoff() + 1.0;
    let h = host(&sys, reach);
    let list = half_list(&h, reach, true);
    let nall = h.x.len();
    let run = |x: &[[f64; 3]], types: &[i32], nlocal: usize, list: &CsrHalfList| {
        let atoms = HostAtoms {
            positions: x,
            types,
            nlocal,
            newton: true,
        };
        let mut rho = vec![0.0; x.len()];
        kernel.densities(&atoms, list, &mut rho).map(|_| ())
    };
    assert!(run(&h.x, &h.types, h.nlocal, &list).is_ok());

    let mut types = h.types.clone();
    types[nall - 1] = 3;
    let e = run(&h.x, &types, h.nlocal, &list).unwrap_err();
    assert!(
        matches!(e, EamListError::TypeOutOfRange { atom_type: 3, .. }),
        "{e}"
    );

    let e = run(&h.x, &h.types[1..], h.nlocal, &list).unwrap_err();
    assert!(
        matches!(e, EamListError::Length { what: "types", .. }),
        "{e}"
    );

    let e = run(&h.x, &h.types, nall + 1, &list).unwrap_err();
    assert!(matches!(e, EamListError::TooManyLocal { .. }), "{e}");

    let mut x = h.x.clone();
    x[5][1] = f64::NAN;
    let e = run(&x, &h.types, h.nlocal, &list).unwrap_err();
    assert!(
        matches!(e, EamListError::NonFinitePosition { index: 5, .. }),
        "{e}"
    );

    // A neighbor index past the atoms, and a list atom that is a ghost.
    let mut bad = list.clone();
    bad.neighbors[3] = nall as i32;
    let e = run(&h.x, &h.types, h.nlocal, &bad).unwrap_err();
    assert!(e.to_string().contains("beyond the"), "{e}");
    let mut bad = list.clone();
    bad.atoms[0] = h.nlocal as i32;
    let e = run(&h.x, &h.types, h.nlocal, &bad).unwrap_err();
    assert!(e.to_string().contains("is not an owned atom"), "{e}");
    bad.atoms[0] = -1;
    assert!(run(&h.x, &h.types, h.nlocal, &bad).is_err());

    // Two atoms at the same place.
    let mut x = h.x.clone();
    let j = (list.neighbors[list.offsets[0]] & NEIGHMASK) as usize;
    x[j] = x[0];
    let e = run(&x, &h.types, h.nlocal, &list).unwrap_err();
    assert!(matches!(e, EamListError::Overlap { .. }), "{e}");

    // Wrong buffer lengths in the other passes.
    let atoms = HostAtoms {
        positions: &h.x,
        types: &h.types,
        nlocal: h.nlocal,
        newton: true,
    };
    let rho = vec![f64::NAN; nall];
    let mut fp = vec![0.0; nall];
    let e = kernel
        .embedding(&atoms, &list, &rho, &mut fp, None, None)
        .unwrap_err();
    assert!(matches!(e, EamListError::NonFiniteDensity { .. }), "{e}");
    let mut f = vec![[0.0; 3]; nall - 1];
    let e = kernel
        .forces(&atoms, &list, &fp, &mut f, EamTally::default())
        .unwrap_err();
    assert!(
        matches!(e, EamListError::Length { what: "forces", .. }),
        "{e}"
    );
}

#[test]
fn setfl_files_are_detected_and_elements_mapped() {
    let dir = std::env::temp_dir().join(format!("pelkit-eam-list-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let grid = ZhouGrid {
        nr: 200,
        nrho: 200,
        cutoff: None,
    };
    let setfl = zhou_setfl(&["Cu", "Zr"], &grid).unwrap();
    // A name that hints nothing: the content decides.
    let path = dir.join("cuzr.table");
    crate::io::eam_file::write_setfl(&path, &setfl).unwrap();
    let (eam, style) = eam_from_setfl_file(&path, &["Zr", "Cu"], SetflLayout::Detect).unwrap();
    assert_eq!(style, "eam/alloy");
    assert_eq!(eam, Eam::from_setfl(&setfl, &[1, 0]).unwrap());
    assert_eq!(
        EamListKernel::new(&eam).masses(),
        &[setfl.elements[1].mass, setfl.elements[0].mass]
    );
    let e = eam_from_setfl_file(&path, &["Cu", "Xx"], SetflLayout::Detect).unwrap_err();
    assert!(
        e.to_string().contains("'Xx' is not in the potential file"),
        "{e}"
    );
    let e = eam_from_setfl_file(&path, &["Cu", "NULL"], SetflLayout::Detect).unwrap_err();
    assert!(e.to_string().contains("NULL"), "{e}");
    let e = eam_from_setfl_file(&dir.join("missing"), &["Cu"], SetflLayout::Detect).unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
