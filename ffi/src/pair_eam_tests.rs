//! The `pelkit_pair_eam_*` passes driven through the C ABI the way the LAMMPS shim drives them
//! (LAMMPS-style `ilist`/`numneigh`/`firstneigh` arrays, communication done by hand), compared
//! with the library's periodic evaluation; and the argument errors.

use super::*;
use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

use pelkit_core::io::eam_file::write_setfl;
use pelkit_core::potential::zhou2004::{zhou_setfl, ZhouGrid};
use pelkit_core::potential::Potential;
use pelkit_core::{SimBox, System};

fn last_error() -> String {
    // SAFETY: never NULL, valid until the next call on this thread.
    unsafe { CStr::from_ptr(crate::pelkit_last_error()) }
        .to_string_lossy()
        .into_owned()
}

fn zhou_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pelkit-ffi-pair-eam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let grid = ZhouGrid {
        nr: 600,
        nrho: 600,
        cutoff: None,
    };
    let path = dir.join(name);
    write_setfl(&path, &zhou_setfl(&["Cu", "Zr"], &grid).unwrap()).unwrap();
    path
}

fn new_pair(path: &std::path::Path, names: &[&str]) -> (pelkit_status_t, *mut pelkit_pair_eam_t) {
    let file = CString::new(path.to_str().unwrap()).unwrap();
    let names: Vec<CString> = names.iter().map(|n| CString::new(*n).unwrap()).collect();
    let ptrs: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
    let mut pair = null_mut();
    let status =
        unsafe { pelkit_pair_eam_new(file.as_ptr(), ptrs.as_ptr(), ptrs.len(), null(), &mut pair) };
    (status, pair)
}

/// Perturbed fcc Cu–Zr, 4×4×4 cells of 3.7 Å, orthogonal periodic box.
fn crystal() -> System {
    let (a, n) = (3.7, 4usize);
    let simbox = SimBox::orthogonal([0.0; 3], [a * n as f64; 3]).unwrap();
    let mut uniform = {
        let mut rng = pelkit_core::testing::Lcg(99u64);
        move || rng.uniform()
    };
    let (mut x, mut types) = (Vec::new(), Vec::new());
    for c in 0..n * n * n {
        for b in pelkit_core::testing::FCC_BASIS {
            let cell = [c % n, (c / n) % n, c / (n * n)];
            x.push([0, 1, 2].map(|d| a * (cell[d] as f64 + b[d]) + 0.25 * (uniform() - 0.5)));
            types.push(if uniform() < 0.4 { 2 } else { 1 });
        }
    }
    let natoms = x.len();
    let mut sys = System::new(simbox, (1..=natoms as u64).collect(), types, x);
    sys.ntypes = 2;
    sys
}

#[test]
fn abi_passes_with_lammps_style_list_match_the_library() {
    let path = zhou_file("CuZr.eam.alloy");
    let (status, pair) = new_pair(&path, &["Cu", "Zr"]);
    assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS, "{}", last_error());
    let (mut cutoff, mut masses, mut style) = (0.0, [0.0; 2], null());
    let status =
        unsafe { pelkit_pair_eam_info(pair, &mut cutoff, masses.as_mut_ptr(), 2, &mut style) };
    assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS);
    assert_eq!(
        unsafe { CStr::from_ptr(style) }.to_str().unwrap(),
        "eam/alloy"
    );
    let coeff = format!("* * {} Cu Zr", path.display());
    let potential = Potential::from_lammps_args("eam/alloy", &[coeff], &[], 2).unwrap();
    assert_eq!(cutoff, potential.cutoff());
    assert_eq!(masses.as_slice(), potential.masses().unwrap());

    // Owned atoms, then the periodic images within the list reach of the box as ghosts.
    let sys = crystal();
    let reach = cutoff + 1.0;
    let l = sys.simbox.lengths()[0];
    let n = sys.natoms();
    let (mut x, mut types, mut owner) = (sys.positions.clone(), Vec::new(), Vec::new());
    types.extend(sys.types.iter().map(|&t| t as i32));
    let mut positive = Vec::new();
    for s in 0..27i32 {
        let shift = [s % 3, (s / 3) % 3, s / 9].map(|v| v - 1);
        if shift == [0, 0, 0] {
            continue;
        }
        for k in 0..n {
            let g = [0, 1, 2].map(|d| sys.positions[k][d] + shift[d] as f64 * l);
            if (0..3).all(|d| g[d] > -reach && g[d] < l + reach) {
                x.push(g);
                types.push(sys.types[k] as i32);
                owner.push(k);
                positive.push(shift > [0, 0, 0]);
            }
        }
    }
    let nall = x.len();
    // Half list with newton on, LAMMPS memory layout: rows in one page, numneigh/firstneigh
    // sized larger than nall (LAMMPS' maxatom).
    let maxatom = nall + 17;
    let mut page: Vec<i32> = Vec::new();
    let mut starts = vec![0usize; maxatom];
    let mut numneigh = vec![0i32; maxatom];
    for i in 0..n {
        starts[i] = page.len();
        for j in i + 1..nall {
            let d2: f64 = (0..3).map(|d| (x[i][d] - x[j][d]).powi(2)).sum();
            if d2 < reach * reach && (j < n || positive[j - n]) {
                page.push(j as i32);
            }
        }
        numneigh[i] = (page.len() - starts[i]) as i32;
    }
    let firstneigh: Vec<*const i32> = (0..maxatom)
        .map(|i| {
            if i < n {
                page[starts[i]..].as_ptr()
            } else {
                null()
            }
        })
        .collect();
    let ilist: Vec<i32> = (0..n as i32).collect();
    let atoms = pelkit_host_atoms_t {
        positions: x.as_ptr().cast(),
        positions_len: 3 * nall,
        types: types.as_ptr(),
        types_len: nall,
        nlocal: n,
        newton: true,
    };
    let list = pelkit_half_list_t {
        ilist: ilist.as_ptr(),
        ilist_len: n,
        numneigh: numneigh.as_ptr(),
        numneigh_len: maxatom,
        firstneigh: firstneigh.as_ptr(),
        firstneigh_len: maxatom,
    };
    let ok = pelkit_status_t::PELKIT_SUCCESS;
    let mut rho = vec![0.0; nall];
    assert_eq!(
        unsafe { pelkit_pair_eam_densities(pair, &atoms, &list, rho.as_mut_ptr(), nall) },
        ok
    );
    for (g, &k) in owner.iter().enumerate() {
        rho[k] += rho[n + g];
    }
    let (mut fp, mut energy, mut eatom, mut above) = (vec![0.0; nall], 0.0, vec![0.0; nall], 7);
    let status = unsafe {
        pelkit_pair_eam_embedding(
            pair,
            &atoms,
            &list,
            rho.as_ptr(),
            nall,
            fp.as_mut_ptr(),
            nall,
            &mut energy,
            eatom.as_mut_ptr(),
            nall,
            &mut above,
        )
    };
    assert_eq!(status, ok, "{}", last_error());
    assert_eq!(above, 0);
    for (g, &k) in owner.iter().enumerate() {
        fp[n + g] = fp[k];
    }
    let (mut f, mut w, mut vatom) = (vec![0.0; 3 * nall], [0.0; 6], vec![0.0; 6 * nall]);
    let status = unsafe {
        pelkit_pair_eam_forces(
            pair,
            &atoms,
            &list,
            fp.as_ptr(),
            nall,
            f.as_mut_ptr(),
            3 * nall,
            &mut energy,
            w.as_mut_ptr(),
            6,
            eatom.as_mut_ptr(),
            nall,
            vatom.as_mut_ptr(),
            6 * nall,
        )
    };
    assert_eq!(status, ok, "{}", last_error());
    for (g, &k) in owner.iter().enumerate() {
        for d in 0..3 {
            f[3 * k + d] += f[3 * (n + g) + d];
        }
        eatom[k] += eatom[n + g];
        for d in 0..6 {
            vatom[6 * k + d] += vatom[6 * (n + g) + d];
        }
    }
    let reference = potential.evaluate_system(&sys).unwrap();
    // Same spline values summed in another order: 1e-12 of each quantity's scale.
    let fmax = reference
        .forces
        .iter()
        .flatten()
        .fold(0.0f64, |m, v| m.max(v.abs()));
    for i in 0..n {
        for d in 0..3 {
            assert!(
                (f[3 * i + d] - reference.forces[i][d]).abs() <= 1e-12 * fmax,
                "f {i} {d}"
            );
        }
        let e = reference.per_atom_energy[i];
        assert!((eatom[i] - e).abs() <= 1e-12 * e.abs(), "eatom {i}");
        let wmax = reference.per_atom_virial[i]
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for d in 0..6 {
            let r = reference.per_atom_virial[i][d];
            assert!(
                (vatom[6 * i + d] - r).abs() <= 1e-12 * wmax,
                "vatom {i} {d}"
            );
        }
    }
    assert!((energy - reference.energy).abs() <= 1e-12 * reference.energy.abs());
    let scale = reference.virial.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (d, (ours, r)) in w.iter().zip(&reference.virial).enumerate() {
        assert!((ours - r).abs() <= 1e-12 * scale, "virial {d}");
    }

    // Argument errors name the argument; nothing is written.
    let bad_atoms = pelkit_host_atoms_t {
        positions_len: 3 * nall - 3,
        ..atoms
    };
    let status =
        unsafe { pelkit_pair_eam_densities(pair, &bad_atoms, &list, rho.as_mut_ptr(), nall) };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(last_error().contains("positions_len"), "{}", last_error());
    let bad_list = pelkit_half_list_t {
        firstneigh_len: maxatom - 1,
        ..list
    };
    let status =
        unsafe { pelkit_pair_eam_densities(pair, &atoms, &bad_list, rho.as_mut_ptr(), nall) };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(last_error().contains("firstneigh_len"), "{}", last_error());
    let ilist_ghost: Vec<i32> = vec![n as i32];
    let ghost_list = pelkit_half_list_t {
        ilist: ilist_ghost.as_ptr(),
        ilist_len: 1,
        ..list
    };
    let status =
        unsafe { pelkit_pair_eam_densities(pair, &atoms, &ghost_list, rho.as_mut_ptr(), nall) };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(
        last_error().contains("not an owned atom"),
        "{}",
        last_error()
    );
    let mut firstneigh_null = firstneigh.clone();
    firstneigh_null[0] = null(); // atom 0 has neighbors but no row pointer
    let null_row = pelkit_half_list_t {
        firstneigh: firstneigh_null.as_ptr(),
        ..list
    };
    let status =
        unsafe { pelkit_pair_eam_densities(pair, &atoms, &null_row, rho.as_mut_ptr(), nall) };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(
        last_error().contains("no valid row for atom 0"),
        "{}",
        last_error()
    );
    let status =
        unsafe { pelkit_pair_eam_densities(null(), &atoms, &list, rho.as_mut_ptr(), nall) };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert_eq!(last_error(), "argument `pair` is NULL");
    let status = unsafe { pelkit_pair_eam_densities(pair, null(), &list, rho.as_mut_ptr(), nall) };
    assert_eq!(last_error(), "argument `atoms` is NULL", "{status:?}");
    let status = unsafe {
        pelkit_pair_eam_forces(
            pair,
            &atoms,
            &list,
            fp.as_ptr(),
            nall,
            f.as_mut_ptr(),
            3 * nall,
            null_mut(),
            w.as_mut_ptr(),
            5,
            null_mut(),
            0,
            null_mut(),
            0,
        )
    };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(
        last_error().contains("`virial` has length 5"),
        "{}",
        last_error()
    );
    unsafe { pelkit_pair_eam_free(pair) };
    unsafe { pelkit_pair_eam_free(null_mut()) };
}

#[test]
fn file_and_element_errors_leave_the_handle_unwritten() {
    let path = zhou_file("table.txt");
    let (status, pair) = new_pair(&path, &["Cu", "Xx"]);
    assert_eq!(status, pelkit_status_t::PELKIT_POTENTIAL_ERROR);
    assert!(pair.is_null());
    assert!(
        last_error().contains("element 'Xx' is not in the potential file"),
        "{}",
        last_error()
    );
    let (status, _) = new_pair(std::path::Path::new("/nonexistent/CuZr.eam.fs"), &["Cu"]);
    assert_eq!(status, pelkit_status_t::PELKIT_POTENTIAL_ERROR);
    assert!(
        last_error().contains("/nonexistent/CuZr.eam.fs"),
        "{}",
        last_error()
    );
    let (status, _) = new_pair(&path, &[]);
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    let file = CString::new(path.to_str().unwrap()).unwrap();
    let cu = CString::new("Cu").unwrap();
    let names = [cu.as_ptr()];
    let mut pair = null_mut();
    let status = unsafe {
        pelkit_pair_eam_new(file.as_ptr(), names.as_ptr(), 1, c"eam".as_ptr(), &mut pair)
    };
    assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
    assert!(
        last_error().contains("expected eam/alloy or eam/fs"),
        "{}",
        last_error()
    );
    assert!(pair.is_null());
    // Forcing the layout reads the file as that layout.
    let status = unsafe {
        pelkit_pair_eam_new(
            file.as_ptr(),
            names.as_ptr(),
            1,
            c"eam/alloy".as_ptr(),
            &mut pair,
        )
    };
    assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS, "{}", last_error());
    unsafe { pelkit_pair_eam_free(pair) };
}
