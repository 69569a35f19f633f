//! `pelkit_system_t`: an opaque atomic configuration (box, ids, types, positions, images) built
//! from C arrays, and the calls that work on it.

use std::collections::HashSet;
use std::ffi::{c_char, CStr};
use std::path::Path;

use pelkit_core::System;

use crate::simbox::pelkit_box_t;
use crate::slices::{as_int_rows, as_rows, as_rows_mut, expect_len, input, output};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};

/// An atomic configuration owned by pelkit. Create with `pelkit_system_new`, release with
/// `pelkit_system_free`.
#[allow(non_camel_case_types)]
pub struct pelkit_system_t {
    system: System,
}

/// Borrow the system behind a handle.
///
/// # Safety
/// `system` must be NULL or a live handle from `pelkit_system_new`.
unsafe fn borrow<'a>(system: *const pelkit_system_t) -> Result<&'a System, Error> {
    check_pointer!(system);
    Ok(&(*system).system)
}

/// Mutable version of [`borrow`].
unsafe fn borrow_mut<'a>(system: *mut pelkit_system_t) -> Result<&'a mut System, Error> {
    check_pointer!(system);
    Ok(&mut (*system).system)
}

/// Create a system of `natoms` atoms from a box, LAMMPS atom types (`types`, `natoms` values,
/// each ≥ 1), positions (`positions`, `3·natoms` doubles x0 y0 z0 x1 …) and optional LAMMPS
/// atom ids (`ids`, `natoms` unique values ≥ 1; pass NULL and 0 for ids 1..natoms). Image flags
/// start at zero. Each length is passed after its buffer and must agree.
///
/// Ownership: the arrays are copied, the caller keeps them. On success `*system` receives a new
/// handle owned by the caller, to be released with `pelkit_system_free`; on failure `*system` is
/// not written.
///
/// # Safety
/// Each pointer must be valid for the number of elements given after it; `system` must be
/// writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_new(
    simbox: *const pelkit_box_t,
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    ids: *const i64,
    ids_len: usize,
    system: *mut *mut pelkit_system_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(simbox);
        check_pointer!(system);
        let b = (*simbox).to_simbox()?;
        let t = input(types, types_len, "types")?;
        let x = as_rows(input(positions, positions_len, "positions")?, "positions")?;
        let natoms = t.len();
        expect_len("positions", positions_len, 3 * natoms, "3 per atom")?;
        if let Some(i) = t.iter().position(|&ty| ty < 1) {
            return Err(Error::InvalidParameter(format!(
                "types[{i}] = {} (LAMMPS types start at 1)",
                t[i]
            )));
        }
        if let Some(i) = x.iter().position(|r| r.iter().any(|v| !v.is_finite())) {
            return Err(Error::InvalidParameter(format!(
                "position {i} is not finite: {:?}",
                x[i]
            )));
        }
        let id_values: Vec<u64> = if ids.is_null() && ids_len == 0 {
            (1..=natoms as u64).collect()
        } else {
            let given = input(ids, ids_len, "ids")?;
            expect_len("ids", ids_len, natoms, "one per atom")?;
            let mut seen = HashSet::with_capacity(natoms);
            let mut out = Vec::with_capacity(natoms);
            for (i, &id) in given.iter().enumerate() {
                if id < 1 || !seen.insert(id) {
                    return Err(Error::InvalidParameter(format!(
                        "ids[{i}] = {id} (ids must be unique and ≥ 1)"
                    )));
                }
                out.push(id as u64);
            }
            out
        };
        let sys = System::new(
            b,
            id_values,
            t.iter().map(|&ty| ty as u32).collect(),
            x.to_vec(),
        );
        *system = Box::into_raw(Box::new(pelkit_system_t { system: sys }));
        Ok(())
    })
}

/// Release a system. NULL is accepted and ignored.
///
/// Ownership: takes back the handle from `pelkit_system_new`; it must not be used afterwards.
///
/// # Safety
/// `system` must be NULL or a live handle not freed before.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_free(system: *mut pelkit_system_t) {
    let _ = guard(|| {
        if !system.is_null() {
            drop(Box::from_raw(system));
        }
        Ok(())
    });
}

/// Number of atoms in `*natoms`.
///
/// Ownership: `system` is borrowed; `*natoms` is written only on success.
///
/// # Safety
/// `system` must be a live handle and `natoms` writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_natoms(
    system: *const pelkit_system_t,
    natoms: *mut usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        check_pointer!(natoms);
        *natoms = s.natoms();
        Ok(())
    })
}

/// The system's box in `*simbox`.
///
/// Ownership: `system` is borrowed; `*simbox` is written only on success.
///
/// # Safety
/// `system` must be a live handle and `simbox` writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_box(
    system: *const pelkit_system_t,
    simbox: *mut pelkit_box_t,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        check_pointer!(simbox);
        *simbox = pelkit_box_t::from_simbox(&s.simbox);
        Ok(())
    })
}

/// Replace all positions (`3·natoms` doubles) without reallocating, e.g. each step of a run.
/// Image flags are kept.
///
/// Ownership: `positions` is copied; on failure the system is unchanged.
///
/// # Safety
/// `system` must be a live handle, `positions` valid for `positions_len` doubles.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_set_positions(
    system: *mut pelkit_system_t,
    positions: *const f64,
    positions_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow_mut(system)?;
        expect_len("positions", positions_len, 3 * s.natoms(), "3 per atom")?;
        let x = as_rows(input(positions, positions_len, "positions")?, "positions")?;
        if let Some(i) = x.iter().position(|r| r.iter().any(|v| !v.is_finite())) {
            return Err(Error::InvalidParameter(format!(
                "position {i} is not finite: {:?}",
                x[i]
            )));
        }
        s.positions.copy_from_slice(x);
        Ok(())
    })
}

/// Replace all image flags (`3·natoms` values ix iy iz per atom) without reallocating.
///
/// Ownership: `images` is copied; on failure the system is unchanged.
///
/// # Safety
/// `system` must be a live handle, `images` valid for `images_len` values.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_set_images(
    system: *mut pelkit_system_t,
    images: *const i32,
    images_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow_mut(system)?;
        expect_len("images", images_len, 3 * s.natoms(), "3 flags per atom")?;
        let im = as_int_rows(input(images, images_len, "images")?, "images")?;
        s.images.copy_from_slice(im);
        Ok(())
    })
}

/// Unwrapped positions (position + image flags · box edges, LAMMPS `xu yu zu`) into
/// `unwrapped` (`3·natoms` doubles, atom order of the system).
///
/// Ownership: `system` is borrowed; `unwrapped` is written only on success.
///
/// # Safety
/// `system` must be a live handle, `unwrapped` valid for `unwrapped_len` doubles.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_unwrapped_positions(
    system: *const pelkit_system_t,
    unwrapped: *mut f64,
    unwrapped_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        expect_len("unwrapped", unwrapped_len, 3 * s.natoms(), "3 per atom")?;
        let out = as_rows_mut(output(unwrapped, unwrapped_len, "unwrapped")?, "unwrapped")?;
        for ((o, &x), &im) in out.iter_mut().zip(&s.positions).zip(&s.images) {
            *o = s.simbox.unwrap(x, im);
        }
        Ok(())
    })
}

/// Minimum-image distances between atom pairs. `pairs` holds `2·npairs` zero-based atom indices
/// (i0 j0 i1 j1 …, positions in the system's order); `distances` receives `npairs` values.
///
/// Ownership: buffers are borrowed; `distances` is written only on success.
///
/// # Safety
/// `system` must be a live handle; each pointer valid for the number of elements after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_distances(
    system: *const pelkit_system_t,
    pairs: *const usize,
    pairs_len: usize,
    distances: *mut f64,
    distances_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        let p = input(pairs, pairs_len, "pairs")?;
        if !p.len().is_multiple_of(2) {
            return Err(Error::InvalidParameter(format!(
                "`pairs` has odd length {}",
                p.len()
            )));
        }
        expect_len("distances", distances_len, p.len() / 2, "one per pair")?;
        let n = s.natoms();
        if let Some(bad) = p.iter().find(|&&i| i >= n) {
            return Err(Error::InvalidParameter(format!(
                "atom index {bad} in `pairs` is out of range (system has {n} atoms)"
            )));
        }
        let out = output(distances, distances_len, "distances")?;
        for (o, ij) in out.iter_mut().zip(p.chunks_exact(2)) {
            *o = s.simbox.distance(s.positions[ij[0]], s.positions[ij[1]]);
        }
        Ok(())
    })
}

/// Write the system as a LAMMPS data file (`atom_style atomic`, atoms sorted by id, floats in
/// shortest round-trip form so `read_data` gets the same bits) to the UTF-8 path `path`.
///
/// Ownership: `system` and `path` are borrowed.
///
/// # Safety
/// `system` must be a live handle, `path` a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_write_data(
    system: *const pelkit_system_t,
    path: *const c_char,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        check_pointer!(path);
        let text = CStr::from_ptr(path)
            .to_str()
            .map_err(|e| Error::InvalidParameter(format!("`path` is not UTF-8: {e}")))?;
        pelkit_core::io::data::write_data(Path::new(text), s)?;
        Ok(())
    })
}

/// Read a configuration from a LAMMPS data file or text dump (`.gz` recognised), as
/// `pelkit convert` does. `frame` is the 0-based dump frame, or −1 for the last one (a data file
/// holds frame 0 only). Image flags and masses are kept when the file has them.
///
/// Ownership: `path` is borrowed. On success `*system` receives a new handle owned by the caller
/// (release with `pelkit_system_free`); on failure it is not written.
///
/// # Safety
/// `path` must be a NUL-terminated string and `system` writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_read(
    path: *const c_char,
    frame: i64,
    system: *mut *mut pelkit_system_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(path);
        check_pointer!(system);
        let text = CStr::from_ptr(path)
            .to_str()
            .map_err(|e| Error::InvalidParameter(format!("`path` is not UTF-8: {e}")))?;
        let frame = match frame {
            -1 => None,
            f if f >= 0 => Some(f as usize),
            f => {
                return Err(Error::InvalidParameter(format!(
                    "frame {f}: expected a 0-based frame or -1 for the last"
                )))
            }
        };
        let sys = pelkit_core::io::read_configuration(Path::new(text), frame)?;
        *system = Box::into_raw(Box::new(pelkit_system_t { system: sys }));
        Ok(())
    })
}

/// The LAMMPS atom ids (`natoms` values) into `ids`.
///
/// Ownership: `system` is borrowed; `ids` is written only on success.
///
/// # Safety
/// `system` must be a live handle, `ids` valid for `ids_len` values.
#[no_mangle]
pub unsafe extern "C" fn pelkit_system_ids(
    system: *const pelkit_system_t,
    ids: *mut i64,
    ids_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = borrow(system)?;
        expect_len("ids", ids_len, s.natoms(), "one per atom")?;
        let out = output(ids, ids_len, "ids")?;
        for (o, &id) in out.iter_mut().zip(&s.ids) {
            *o = id as i64;
        }
        Ok(())
    })
}

/// The library system behind a handle (for other modules of this crate).
///
/// # Safety
/// `system` must be NULL or a live handle.
pub(crate) unsafe fn system_ref<'a>(system: *const pelkit_system_t) -> Result<&'a System, Error> {
    borrow(system)
}
