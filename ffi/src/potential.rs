//! `pelkit_potential_t`: an interatomic potential (lj/cut, eam, eam/alloy, eam/fs) built from
//! LAMMPS `pair_style` / `pair_coeff` / `pair_modify` argument text, and its evaluation on a
//! system (energy, per-atom energy, forces, virial, per-atom virial) exactly as LAMMPS computes.

use std::ffi::{c_char, CStr};

use pelkit_core::potential::Potential;

use crate::slices::{
    expect_len, input, lammps_types, local_and_ghost_atoms, output, padded_system,
};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};
use crate::system::{pelkit_system_t, system_ref};

/// An interatomic potential owned by pelkit. Create with `pelkit_potential_new`, release with
/// `pelkit_potential_free`.
#[allow(non_camel_case_types)]
pub struct pelkit_potential_t {
    pub(crate) potential: Potential,
}

/// The C arguments `types, types_len, positions, positions_len, nlocal` of a
/// `pelkit_potential_local_*` call.
pub(crate) type LocalAtomArgs = (*const i32, usize, *const f64, usize, usize);

/// The potential, the types and the positions (owned atoms first) of a local call.
pub(crate) type LocalInputs<'a> = (&'a Potential, &'a [i32], &'a [[f64; 3]]);

/// The potential behind a handle and the owned + ghost atoms of a `pelkit_potential_local_*`
/// call (`nlocal` owned atoms first).
///
/// # Safety
/// `potential` NULL or a live handle; the buffers as [`local_and_ghost_atoms`].
pub(crate) unsafe fn potential_and_atoms<'a>(
    potential: *const pelkit_potential_t,
    (types, types_len, positions, positions_len, nlocal): LocalAtomArgs,
) -> Result<LocalInputs<'a>, Error> {
    check_pointer!(potential);
    let (t, x) = local_and_ghost_atoms(types, types_len, positions, positions_len, nlocal)?;
    Ok((&(*potential).potential, t, x))
}

/// A C string argument as UTF-8.
unsafe fn text<'a>(ptr: *const c_char, name: &'static str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::NullPointer(name));
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map_err(|e| Error::InvalidParameter(format!("`{name}` is not UTF-8: {e}")))
}

/// An array of C strings as owned Rust strings.
unsafe fn texts(
    ptr: *const *const c_char,
    len: usize,
    name: &'static str,
) -> Result<Vec<String>, Error> {
    input(ptr, len, name)?
        .iter()
        .map(|&p| text(p, name).map(str::to_owned))
        .collect()
}

/// Build a potential for `ntypes` atom types from the argument text of LAMMPS commands, without
/// the command names: `pair_style` (e.g. "eam/fs" or "lj/cut 2.5"), each `pair_coeff` line
/// (e.g. "* * CuZr_mm.eam.fs Cu Zr", or "1 1 1.0 1.0") and each `pair_modify` line (e.g.
/// "shift yes"; pass NULL and 0 for none). Potential files are read relative to the current
/// directory. Units are those of the file / coefficients (LAMMPS metal for EAM files).
///
/// Ownership: the strings are borrowed. On success `*potential` receives a new handle owned by
/// the caller (release with `pelkit_potential_free`); on failure it is not written.
///
/// # Safety
/// Strings must be NUL-terminated; each array valid for the length after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_potential_new(
    pair_style: *const c_char,
    pair_coeffs: *const *const c_char,
    pair_coeffs_len: usize,
    pair_modify: *const *const c_char,
    pair_modify_len: usize,
    ntypes: usize,
    potential: *mut *mut pelkit_potential_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(potential);
        let style = text(pair_style, "pair_style")?;
        let coeffs = texts(pair_coeffs, pair_coeffs_len, "pair_coeffs")?;
        let modify = texts(pair_modify, pair_modify_len, "pair_modify")?;
        let p = Potential::from_lammps_args(style, &coeffs, &modify, ntypes)?;
        *potential = Box::into_raw(Box::new(pelkit_potential_t { potential: p }));
        Ok(())
    })
}

/// Release a potential. NULL is accepted and ignored.
///
/// Ownership: takes back the handle from `pelkit_potential_new`.
///
/// # Safety
/// `potential` must be NULL or a live handle not freed before.
#[no_mangle]
pub unsafe extern "C" fn pelkit_potential_free(potential: *mut pelkit_potential_t) {
    let _ = guard(|| {
        if !potential.is_null() {
            drop(Box::from_raw(potential));
        }
        Ok(())
    });
}

/// The largest interaction cutoff (length units) in `*cutoff`.
///
/// Ownership: `potential` is borrowed; `*cutoff` is written only on success.
///
/// # Safety
/// `potential` must be a live handle, `cutoff` writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_potential_cutoff(
    potential: *const pelkit_potential_t,
    cutoff: *mut f64,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(potential);
        check_pointer!(cutoff);
        *cutoff = (*potential).potential.cutoff();
        Ok(())
    })
}

/// Evaluate the potential on a periodic system, as LAMMPS `run 0` does. Every output is optional
/// (NULL and length 0 skip it); given ones must have the stated length:
/// `energy` (1 value, total potential energy), `per_atom_energy` (natoms, LAMMPS `pe/atom`),
/// `forces` (3·natoms), `virial` (6: xx yy zz xy xz yz, energy units, LAMMPS' pair virial),
/// `per_atom_virial` (6·natoms, LAMMPS `vatom`; `compute stress/atom` is −nktv2p times it).
///
/// Ownership: `potential` and `system` are borrowed; outputs are written only on success.
///
/// # Safety
/// Handles must be live; each output pointer NULL or valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_potential_evaluate(
    potential: *const pelkit_potential_t,
    system: *const pelkit_system_t,
    energy: *mut f64,
    per_atom_energy: *mut f64,
    per_atom_energy_len: usize,
    forces: *mut f64,
    forces_len: usize,
    virial: *mut f64,
    virial_len: usize,
    per_atom_virial: *mut f64,
    per_atom_virial_len: usize,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(potential);
        let s = system_ref(system)?;
        let n = s.natoms();
        let optional = |name, len, expected, why| {
            if len == 0 {
                Ok(())
            } else {
                expect_len(name, len, expected, why)
            }
        };
        optional(
            "per_atom_energy",
            per_atom_energy_len,
            n,
            "one per atom or 0",
        )?;
        optional("forces", forces_len, 3 * n, "3 per atom or 0")?;
        optional("virial", virial_len, 6, "xx yy zz xy xz yz or 0")?;
        optional(
            "per_atom_virial",
            per_atom_virial_len,
            6 * n,
            "6 per atom or 0",
        )?;
        let out_pe = output(per_atom_energy, per_atom_energy_len, "per_atom_energy")?;
        let out_f = output(forces, forces_len, "forces")?;
        let out_w = output(virial, virial_len, "virial")?;
        let out_wa = output(per_atom_virial, per_atom_virial_len, "per_atom_virial")?;
        let p = &(*potential).potential;
        let result = crate::threads::run(|| p.evaluate_system(s))?;
        if !energy.is_null() {
            *energy = result.energy;
        }
        out_pe.copy_from_slice(if out_pe.is_empty() {
            &[]
        } else {
            &result.per_atom_energy
        });
        for (o, f) in out_f.chunks_exact_mut(3).zip(&result.forces) {
            o.copy_from_slice(f);
        }
        if !out_w.is_empty() {
            out_w.copy_from_slice(&result.virial);
        }
        for (o, w) in out_wa.chunks_exact_mut(6).zip(&result.per_atom_virial) {
            o.copy_from_slice(w);
        }
        Ok(())
    })
}

/// Per-atom potential energies (LAMMPS `pe/atom`) of the first `nlocal` of `nall` atoms given
/// without a periodic box: the owned atoms of a LAMMPS rank followed by its ghost atoms.
/// Each owned atom's energy depends only on atoms within the cutoff, so the result is exact when
/// every atom within the potential cutoff of an owned atom is among the `nall` (LAMMPS' ghost
/// cutoff ≥ potential cutoff); energies of the other atoms are not returned.
///
/// `types` has `nall` values, `positions` `3·nall`, `per_atom_energy` receives `nlocal` values.
/// The atoms are placed in an isolated periodic box padded by the cutoff on every side, so no
/// atom sees another's periodic image.
///
/// Ownership: all buffers are borrowed; `per_atom_energy` is written only on success.
///
/// # Safety
/// `potential` must be a live handle; each pointer valid for the length after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_potential_local_energies(
    potential: *const pelkit_potential_t,
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    nlocal: usize,
    per_atom_energy: *mut f64,
    per_atom_energy_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let atoms = (types, types_len, positions, positions_len, nlocal);
        let (p, t, x) = potential_and_atoms(potential, atoms)?;
        let nall = t.len();
        expect_len("per_atom_energy", per_atom_energy_len, nlocal, "nlocal")?;
        let out = output(per_atom_energy, per_atom_energy_len, "per_atom_energy")?;
        if nall == 0 {
            return Ok(());
        }
        lammps_types(t)?;
        // Box length = extent + 2·cutoff > extent + cutoff: periodic images never interact.
        let sys = padded_system(t, x, p.cutoff())?;
        let result = crate::threads::run(|| p.evaluate_system(&sys))?;
        out.copy_from_slice(&result.per_atom_energy[..nlocal]);
        Ok(())
    })
}
