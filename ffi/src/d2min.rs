//! Falk–Langer D²min and atomic strains through the C ABI (OVITO's `AtomicStrainModifier`
//! conventions, as the `pelkit d2min` CLI).

use pelkit_core::analysis::d2min::{d2min, AffineMapping, D2minError, D2minOptions};
use pelkit_core::System;

use crate::slices::{expect_len, output};
use crate::status::{guard, pelkit_status_t, Error};
use crate::system::{pelkit_system_t, system_ref};

impl From<D2minError> for Error {
    fn from(e: D2minError) -> Self {
        Error::Analysis(e.to_string())
    }
}

/// The library options from the C arguments.
fn options(cutoff: f64, affine_mapping: i32, minimum_image: bool) -> Result<D2minOptions, Error> {
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
    Ok(D2minOptions {
        cutoff,
        affine_mapping,
        minimum_image,
    })
}

/// Per-atom output buffers (`None` = not requested by this entry point).
struct StrainOutputs<'a> {
    ids: &'a mut [i64],
    d2min: &'a mut [f64],
    d2min_mean: Option<&'a mut [f64]>,
    shear_strain: &'a mut [f64],
    volumetric_strain: &'a mut [f64],
    neighbors: Option<&'a mut [i32]>,
    invalid: &'a mut [i32],
}

/// Run the library and copy its result (ascending ids) into the outputs.
fn compute_into(
    r: &System,
    c: &System,
    opts: &D2minOptions,
    out: StrainOutputs<'_>,
) -> Result<(), Error> {
    let n = c.natoms();
    let result = crate::threads::run(|| d2min(r, c, opts))?;
    if result.ids.len() != n {
        return Err(Error::Analysis(format!(
            "D²min returned {} atoms for {n}",
            result.ids.len()
        )));
    }
    for (o, &id) in out.ids.iter_mut().zip(&result.ids) {
        *o = id as i64;
    }
    out.d2min.copy_from_slice(&result.d2min);
    if let Some(mean) = out.d2min_mean {
        mean.copy_from_slice(&result.d2min_mean);
    }
    out.shear_strain.copy_from_slice(&result.shear_strain);
    out.volumetric_strain
        .copy_from_slice(&result.volumetric_strain);
    if let Some(count) = out.neighbors {
        for (o, &k) in count.iter_mut().zip(&result.neighbors) {
            *o = i32::try_from(k).unwrap_or(i32::MAX);
        }
    }
    for (o, &bad) in out.invalid.iter_mut().zip(&result.invalid) {
        *o = i32::from(bad);
    }
    Ok(())
}

/// D²min of every atom of `current` relative to `reference` (atoms paired by id; the boxes may
/// differ), with neighbours within `cutoff` in the reference. `affine_mapping`: 0 off (OVITO
/// default), 1 to reference, 2 to current. `minimum_image`: use minimum-image displacements
/// (true for wrapped coordinates). Per atom, in ascending id order: `ids`, `d2min` (distance²),
/// `shear_strain` (von Mises), `volumetric_strain`, `invalid` (1 when the atom has too few
/// neighbours for a deformation gradient; its values are 0). `pelkit_system_atomic_strain`
/// also returns the per-neighbour mean and the neighbour counts.
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
        let opts = options(cutoff, affine_mapping, minimum_image)?;
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
        let out = StrainOutputs {
            ids: output(ids, ids_len, "ids")?,
            d2min: output(d2min_values, d2min_values_len, "d2min_values")?,
            d2min_mean: None,
            shear_strain: output(shear_strain, shear_strain_len, "shear_strain")?,
            volumetric_strain: output(
                volumetric_strain,
                volumetric_strain_len,
                "volumetric_strain",
            )?,
            neighbors: None,
            invalid: output(invalid, invalid_len, "invalid")?,
        };
        compute_into(r, c, &opts, out)
    })
}

/// Everything `pelkit d2min -o` writes, per atom in ascending id order: `ids`, `d2min_values`
/// (D²min, OVITO's sum over neighbours, distance²), `d2min_mean` (D²min / number of
/// neighbours), `shear_strain` (von Mises), `volumetric_strain`, `neighbors` (reference
/// neighbours within `cutoff`), `invalid` (1 when the deformation gradient could not be
/// computed; then all values but `neighbors` are 0). Arguments as `pelkit_system_d2min`.
///
/// Ownership: both systems are borrowed; outputs are written only on success.
///
/// # Safety
/// Handles must be live; each output valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_system_atomic_strain(
    reference: *const pelkit_system_t,
    current: *const pelkit_system_t,
    cutoff: f64,
    affine_mapping: i32,
    minimum_image: bool,
    ids: *mut i64,
    ids_len: usize,
    d2min_values: *mut f64,
    d2min_values_len: usize,
    d2min_mean: *mut f64,
    d2min_mean_len: usize,
    shear_strain: *mut f64,
    shear_strain_len: usize,
    volumetric_strain: *mut f64,
    volumetric_strain_len: usize,
    neighbors: *mut i32,
    neighbors_len: usize,
    invalid: *mut i32,
    invalid_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let r = system_ref(reference)?;
        let c = system_ref(current)?;
        let opts = options(cutoff, affine_mapping, minimum_image)?;
        let n = c.natoms();
        for (name, len) in [
            ("ids", ids_len),
            ("d2min_values", d2min_values_len),
            ("d2min_mean", d2min_mean_len),
            ("shear_strain", shear_strain_len),
            ("volumetric_strain", volumetric_strain_len),
            ("neighbors", neighbors_len),
            ("invalid", invalid_len),
        ] {
            expect_len(name, len, n, "one per atom of `current`")?;
        }
        let out = StrainOutputs {
            ids: output(ids, ids_len, "ids")?,
            d2min: output(d2min_values, d2min_values_len, "d2min_values")?,
            d2min_mean: Some(output(d2min_mean, d2min_mean_len, "d2min_mean")?),
            shear_strain: output(shear_strain, shear_strain_len, "shear_strain")?,
            volumetric_strain: output(
                volumetric_strain,
                volumetric_strain_len,
                "volumetric_strain",
            )?,
            neighbors: Some(output(neighbors, neighbors_len, "neighbors")?),
            invalid: output(invalid, invalid_len, "invalid")?,
        };
        compute_into(r, c, &opts, out)
    })
}
