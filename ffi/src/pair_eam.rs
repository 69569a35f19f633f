//! `pelkit_pair_eam_t`: an EAM potential (setfl / Finnis–Sinclair file) evaluated over a host's
//! owned + ghost atoms and half neighbor list, pass by pass, for LAMMPS `pair_style pelkit/eam`.
//! The host (the plugin's C++ shim) does the communication between the passes. This file only
//! turns C pointers into checked slices; the physics is `pelkit::potential::eam::external_list`.

use std::ffi::{c_char, CStr};
use std::path::Path;

use pelkit_core::potential::eam::external_list::{
    eam_from_setfl_file, EamListKernel, EamTally, HalfNeighborList, HostAtoms, SetflLayout,
};

use crate::slices::{as_rows, as_rows_mut, expect_len, input, output};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};

/// An EAM potential prepared for host neighbor lists. Create with `pelkit_pair_eam_new`,
/// release with `pelkit_pair_eam_free`.
#[allow(non_camel_case_types)]
pub struct pelkit_pair_eam_t {
    kernel: EamListKernel,
    /// NUL-terminated LAMMPS style name of the file read ("eam/alloy" or "eam/fs").
    style: &'static CStr,
}

/// The host's atoms: owned atoms first, then ghosts (LAMMPS `atom->x[0]`, `atom->type`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct pelkit_host_atoms_t {
    /// Positions `x0 y0 z0 x1 …` of owned + ghost atoms.
    pub positions: *const f64,
    /// 3 · (owned + ghost atoms).
    pub positions_len: usize,
    /// LAMMPS types (1-based) of owned + ghost atoms.
    pub types: *const i32,
    /// Owned + ghost atoms.
    pub types_len: usize,
    /// Owned atoms (LAMMPS `atom->nlocal`).
    pub nlocal: usize,
    /// LAMMPS `force->newton_pair`.
    pub newton: bool,
}

/// A LAMMPS half neighbor list (`NeighList`): `ilist[0..inum]`, and per local atom `i`
/// `numneigh[i]` neighbors at `firstneigh[i]` (indices may carry special-bond bits).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct pelkit_half_list_t {
    pub ilist: *const i32,
    /// `inum`.
    pub ilist_len: usize,
    pub numneigh: *const i32,
    /// Length of `numneigh` (LAMMPS `list->maxatom`).
    pub numneigh_len: usize,
    pub firstneigh: *const *const i32,
    /// Length of `firstneigh` (LAMMPS `list->maxatom`).
    pub firstneigh_len: usize,
}

/// A LAMMPS list read in place: rows are borrowed from the host's pages.
struct HostList<'a> {
    ilist: &'a [i32],
    numneigh: &'a [i32],
    firstneigh: &'a [*const i32],
}

impl HalfNeighborList for HostList<'_> {
    fn atoms(&self) -> &[i32] {
        self.ilist
    }

    #[inline]
    fn row(&self, i: usize) -> Option<&[i32]> {
        let n = *self.numneigh.get(i)?;
        let first = *self.firstneigh.get(i)?;
        if n == 0 {
            return Some(&[]);
        }
        if n < 0 || first.is_null() {
            return None;
        }
        // SAFETY: `host_list`'s caller guarantees that every non-NULL firstneigh[i] points to
        // numneigh[i] readable ints for the duration of the call.
        Some(unsafe { std::slice::from_raw_parts(first, n as usize) })
    }
}

/// # Safety
/// `list` must be valid, its arrays valid for their lengths, each `firstneigh[i]` valid for
/// `numneigh[i]` ints.
unsafe fn host_list<'a>(list: *const pelkit_half_list_t) -> Result<HostList<'a>, Error> {
    check_pointer!(list);
    let l = &*list;
    expect_len(
        "firstneigh_len",
        l.firstneigh_len,
        l.numneigh_len,
        "firstneigh and numneigh have one entry per atom slot",
    )?;
    Ok(HostList {
        ilist: input(l.ilist, l.ilist_len, "ilist")?,
        numneigh: input(l.numneigh, l.numneigh_len, "numneigh")?,
        firstneigh: input(l.firstneigh, l.firstneigh_len, "firstneigh")?,
    })
}

/// # Safety
/// `atoms` must be valid and its arrays valid for their lengths.
unsafe fn host_atoms<'a>(atoms: *const pelkit_host_atoms_t) -> Result<HostAtoms<'a>, Error> {
    check_pointer!(atoms);
    let a = &*atoms;
    expect_len(
        "positions_len",
        a.positions_len,
        3 * a.types_len,
        "3 per owned + ghost atom",
    )?;
    Ok(HostAtoms {
        positions: as_rows(
            input(a.positions, a.positions_len, "positions")?,
            "positions",
        )?,
        types: input(a.types, a.types_len, "types")?,
        nlocal: a.nlocal,
        newton: a.newton,
    })
}

/// A C string argument as a `&str`.
unsafe fn text<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Error> {
    check_pointer!(ptr);
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|e| Error::InvalidParameter(format!("`{name}` is not UTF-8: {e}")))
}

/// Read the EAM file `file` for `pair_coeff * * file El1 … ElN`: `elements` holds one element
/// name per atom type, in type order. `format` is NULL (detect setfl or Finnis–Sinclair from
/// the content, then the file name), "eam/alloy" or "eam/fs". Energies in eV, distances in Å
/// (LAMMPS metal units).
///
/// Ownership: strings are borrowed. On success `*pair` receives a new handle owned by the caller
/// (release with `pelkit_pair_eam_free`); on failure it is not written.
///
/// # Safety
/// Strings NUL-terminated; `elements` valid for `elements_len` pointers.
#[no_mangle]
pub unsafe extern "C" fn pelkit_pair_eam_new(
    file: *const c_char,
    elements: *const *const c_char,
    elements_len: usize,
    format: *const c_char,
    pair: *mut *mut pelkit_pair_eam_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(pair);
        let path = text(file, "file")?;
        let names = input(elements, elements_len, "elements")?
            .iter()
            .map(|&p| text(p, "elements"))
            .collect::<Result<Vec<_>, _>>()?;
        if names.is_empty() {
            return Err(Error::InvalidParameter(
                "no element names (one per atom type is needed)".into(),
            ));
        }
        let layout = if format.is_null() {
            SetflLayout::Detect
        } else {
            match text(format, "format")? {
                "eam/alloy" => SetflLayout::Alloy,
                "eam/fs" => SetflLayout::FinnisSinclair,
                other => {
                    return Err(Error::InvalidParameter(format!(
                        "format '{other}': expected eam/alloy or eam/fs"
                    )))
                }
            }
        };
        let (eam, style) = eam_from_setfl_file(Path::new(path), &names, layout)?;
        let style: &'static CStr = if style == "eam/fs" {
            c"eam/fs"
        } else {
            c"eam/alloy"
        };
        let kernel = EamListKernel::new(&eam);
        *pair = Box::into_raw(Box::new(pelkit_pair_eam_t { kernel, style }));
        Ok(())
    })
}

/// Release a handle. NULL is accepted and ignored.
///
/// Ownership: takes back the handle from `pelkit_pair_eam_new`.
///
/// # Safety
/// `pair` must be NULL or a live handle not freed before.
#[no_mangle]
pub unsafe extern "C" fn pelkit_pair_eam_free(pair: *mut pelkit_pair_eam_t) {
    let _ = guard(|| {
        if !pair.is_null() {
            drop(Box::from_raw(pair));
        }
        Ok(())
    });
}

/// The cutoff (Å, the same for every type pair, LAMMPS' `cutmax`) in `*cutoff`, the masses of
/// the types' elements (g/mol, `masses_len` = number of types) in `masses`, and the LAMMPS
/// style whose tables the file gives ("eam/alloy" or "eam/fs") in `*style`.
///
/// Ownership: the handle is borrowed; `*style` points to a static string owned by pelkit.
/// Outputs are written only on success.
///
/// # Safety
/// `pair` live; `cutoff` and `style` writable; `masses` valid for `masses_len` doubles.
#[no_mangle]
pub unsafe extern "C" fn pelkit_pair_eam_info(
    pair: *const pelkit_pair_eam_t,
    cutoff: *mut f64,
    masses: *mut f64,
    masses_len: usize,
    style: *mut *const c_char,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(pair);
        check_pointer!(cutoff);
        check_pointer!(style);
        let p = &*pair;
        let m = p.kernel.masses();
        expect_len("masses", masses_len, m.len(), "one per atom type")?;
        output(masses, masses_len, "masses")?.copy_from_slice(m);
        *cutoff = p.kernel.cutoff();
        *style = p.style.as_ptr();
        Ok(())
    })
}

/// Pass 1 of LAMMPS' EAM compute: electron densities over the half list. `rho` (one per owned +
/// ghost atom) is zeroed for owned atoms, and for ghosts when `atoms->newton`, then summed.
/// With newton on, the host must then add the ghost entries into their owners.
///
/// Ownership: everything is borrowed; `rho` is overwritten (on failure its content is
/// unspecified: the host stops).
///
/// # Safety
/// Handles and structs valid, every array valid for its length, each `firstneigh[i]` for
/// `numneigh[i]` ints.
#[no_mangle]
pub unsafe extern "C" fn pelkit_pair_eam_densities(
    pair: *const pelkit_pair_eam_t,
    atoms: *const pelkit_host_atoms_t,
    list: *const pelkit_half_list_t,
    rho: *mut f64,
    rho_len: usize,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(pair);
        let a = host_atoms(atoms)?;
        let l = host_list(list)?;
        let rho = output(rho, rho_len, "rho")?;
        (*pair).kernel.densities(&a, &l, rho)?;
        Ok(())
    })
}

/// Pass 2: for each owned atom of the list, F′(ρ) into `fp` (one per owned + ghost atom);
/// F(ρ) is added to `*energy` (if not NULL) and to `per_atom_energy` (NULL and 0 skip it, else
/// one per owned + ghost atom). `rho` must hold the complete densities of the owned atoms.
/// `*above_rhomax` (if not NULL) receives the number of owned atoms whose density exceeded the
/// table end (F extrapolated linearly, as LAMMPS does).
///
/// Ownership: borrowed; accumulating outputs have unspecified content on failure.
///
/// # Safety
/// As `pelkit_pair_eam_densities`; `energy` and `above_rhomax` NULL or writable.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_pair_eam_embedding(
    pair: *const pelkit_pair_eam_t,
    atoms: *const pelkit_host_atoms_t,
    list: *const pelkit_half_list_t,
    rho: *const f64,
    rho_len: usize,
    fp: *mut f64,
    fp_len: usize,
    energy: *mut f64,
    per_atom_energy: *mut f64,
    per_atom_energy_len: usize,
    above_rhomax: *mut usize,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(pair);
        let a = host_atoms(atoms)?;
        let l = host_list(list)?;
        let rho = input(rho, rho_len, "rho")?;
        let fp = output(fp, fp_len, "fp")?;
        let eatom = optional_output(per_atom_energy, per_atom_energy_len, "per_atom_energy")?;
        let summary = (*pair)
            .kernel
            .embedding(&a, &l, rho, fp, energy.as_mut(), eatom)?;
        if let Some(n) = above_rhomax.as_mut() {
            *n = summary.above_rhomax;
        }
        Ok(())
    })
}

/// Pass 3: forces added to `forces` (3 per owned + ghost atom; ghost rows with newton on, to be
/// reverse-communicated by the host), as LAMMPS' EAM force loop. Optional tallies, exactly as
/// LAMMPS `Pair::ev_tally` (NULL and 0 skip one): `*energy` += pair energy (eV); `virial`
/// (6: xx yy zz xy xz yz, eV) += pairwise virial, for hosts not using Σ f·r;
/// `per_atom_energy` (one per owned + ghost atom) and `per_atom_virial` (6 per owned + ghost
/// atom) += half of each pair's energy / virial to each of its atoms. `fp` must hold F′ of
/// owned and ghost atoms.
///
/// Ownership: borrowed; accumulating outputs have unspecified content on failure.
///
/// # Safety
/// As `pelkit_pair_eam_densities`; each output NULL or valid for its length.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_pair_eam_forces(
    pair: *const pelkit_pair_eam_t,
    atoms: *const pelkit_host_atoms_t,
    list: *const pelkit_half_list_t,
    fp: *const f64,
    fp_len: usize,
    forces: *mut f64,
    forces_len: usize,
    energy: *mut f64,
    virial: *mut f64,
    virial_len: usize,
    per_atom_energy: *mut f64,
    per_atom_energy_len: usize,
    per_atom_virial: *mut f64,
    per_atom_virial_len: usize,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(pair);
        let a = host_atoms(atoms)?;
        let l = host_list(list)?;
        let fp = input(fp, fp_len, "fp")?;
        let forces = as_rows_mut(output(forces, forces_len, "forces")?, "forces")?;
        let virial = match optional_output(virial, virial_len, "virial")? {
            None => None,
            Some(v) => Some(<&mut [f64; 6]>::try_from(v).map_err(|_| {
                Error::InvalidParameter(format!(
                    "`virial` has length {virial_len}, expected 6 (xx yy zz xy xz yz) or 0"
                ))
            })?),
        };
        let per_atom_virial =
            match optional_output(per_atom_virial, per_atom_virial_len, "per_atom_virial")? {
                None => None,
                Some(v) => {
                    if !v.len().is_multiple_of(6) {
                        return Err(Error::InvalidParameter(format!(
                            "`per_atom_virial` has length {}, not 6 per atom",
                            v.len()
                        )));
                    }
                    Some(v.as_chunks_mut::<6>().0)
                }
            };
        let tally = EamTally {
            energy: energy.as_mut(),
            virial,
            per_atom_energy: optional_output(
                per_atom_energy,
                per_atom_energy_len,
                "per_atom_energy",
            )?,
            per_atom_virial,
        };
        (*pair).kernel.forces(&a, &l, fp, forces, tally)?;
        Ok(())
    })
}

/// An optional output buffer: NULL with length 0 is `None`.
unsafe fn optional_output<'a>(
    ptr: *mut f64,
    len: usize,
    name: &'static str,
) -> Result<Option<&'a mut [f64]>, Error> {
    if ptr.is_null() && len == 0 {
        return Ok(None);
    }
    output(ptr, len, name).map(Some)
}

#[cfg(test)]
#[path = "pair_eam_tests.rs"]
mod tests;
