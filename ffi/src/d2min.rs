//! Falk–Langer D²min and atomic strains through the C ABI (OVITO's `AtomicStrainModifier`
//! conventions, as the `pelkit d2min` CLI).

use pelkit_core::analysis::d2min::{d2min, AffineMapping, D2minError, D2minOptions};

use crate::slices::{expect_len, output};
use crate::status::{guard, pelkit_status_t, Error};
use crate::system::{pelkit_system_t, system_ref};

impl From<D2minError> for Error {
    fn from(e: D2minError) -> Self {
        Error::Analysis(e.to_string())
    }
}

/// D²min of every atom of `current` relative to `reference` (atoms paired by id; the boxes may
/// differ), with neighbours within `cutoff` in the reference. `affine_mapping`: 0 off (OVITO
/// default), 1 to reference, 2 to current. `minimum_image`: use minimum-image displacements
/// (true for wrapped coordinates). Per atom, in ascending id order: `ids`, `d2min` (distance²),
/// `shear_strain` (von Mises), `volumetric_strain`, `invalid` (1 when the atom has too few
/// neighbours for a deformation gradient; its values are 0).
///
/// Ownership: both systems are borrowed; outputs are written only on success.
///
/// # Safety
/// Handles must be live; each output valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_system_d2min(
    reference: *const pelkit_system_t,
    current: *const pelkit_system_t,
    cutoff: f64,
    affine_mapping: i32,
    minimum_image: bool,
    ids: *mut i64,
    ids_len: usize,
    d2min_values: *mut f64,
    d2min_values_len: usize,
    shear_strain: *mut f64,
    shear_strain_len: usize,
    volumetric_strain: *mut f64,
    volumetric_strain_len: usize,
    invalid: *mut i32,
    invalid_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let r = system_ref(reference)?;
        let c = system_ref(current)?;
        let affine_mapping = match affine_mapping {
            0 => AffineMapping::Off,
            1 => AffineMapping::ToReference,
            2 => AffineMapping::ToCurrent,
            other => {
                return Err(Error::InvalidParameter(format!(
                    "affine_mapping = {other}: expected 0 (off), 1 (to reference) or 2 (to current)"
                )))
            }
        };
        let n = c.natoms();
        for (name, len) in [
            ("ids", ids_len),
            ("d2min_values", d2min_values_len),
            ("shear_strain", shear_strain_len),
            ("volumetric_strain", volumetric_strain_len),
            ("invalid", invalid_len),
        ] {
            expect_len(name, len, n, "one per atom of `current`")?;
        }
        let out_ids = output(ids, ids_len, "ids")?;
        let out_d2 = output(d2min_values, d2min_values_len, "d2min_values")?;
        let out_shear = output(shear_strain, shear_strain_len, "shear_strain")?;
        let out_vol = output(
            volumetric_strain,
            volumetric_strain_len,
            "volumetric_strain",
        )?;
        let out_invalid = output(invalid, invalid_len, "invalid")?;
        let opts = D2minOptions {
            cutoff,
            affine_mapping,
            minimum_image,
        };
        let result = crate::threads::run(|| d2min(r, c, &opts))?;
        if result.ids.len() != n {
            return Err(Error::Analysis(format!(
                "D²min returned {} atoms for {n}",
                result.ids.len()
            )));
        }
        for (o, &id) in out_ids.iter_mut().zip(&result.ids) {
            *o = id as i64;
        }
        out_d2.copy_from_slice(&result.d2min);
        out_shear.copy_from_slice(&result.shear_strain);
        out_vol.copy_from_slice(&result.volumetric_strain);
        for (o, &bad) in out_invalid.iter_mut().zip(&result.invalid) {
            *o = i32::from(bad);
        }
        Ok(())
    })
}
