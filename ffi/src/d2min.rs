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

/// The C output buffers of an entry point as (pointer, length) pairs, in the order their
/// lengths are checked (`None` = not an argument of this entry point).
struct RawOutputs {
    ids: (*mut i64, usize),
    d2min: (*mut f64, usize),
    d2min_mean: Option<(*mut f64, usize)>,
    shear_strain: (*mut f64, usize),
    volumetric_strain: (*mut f64, usize),
    neighbors: Option<(*mut i32, usize)>,
    invalid: (*mut i32, usize),
}

impl RawOutputs {
    /// Check every length against the `n` atoms of `current` (in argument order), then borrow
    /// the buffers.
    ///
    /// # Safety
    /// Each pointer valid for its length.
    unsafe fn borrow<'a>(self, n: usize) -> Result<StrainOutputs<'a>, Error> {
        let lens = [
            Some(("ids", self.ids.1)),
            Some(("d2min_values", self.d2min.1)),
            self.d2min_mean.map(|m| ("d2min_mean", m.1)),
            Some(("shear_strain", self.shear_strain.1)),
            Some(("volumetric_strain", self.volumetric_strain.1)),
            self.neighbors.map(|m| ("neighbors", m.1)),
            Some(("invalid", self.invalid.1)),
        ];
        for (name, len) in lens.into_iter().flatten() {
            expect_len(name, len, n, "one per atom of `current`")?;
        }
        Ok(StrainOutputs {
            ids: output(self.ids.0, self.ids.1, "ids")?,
            d2min: output(self.d2min.0, self.d2min.1, "d2min_values")?,
            d2min_mean: match self.d2min_mean {
                Some((p, len)) => Some(output(p, len, "d2min_mean")?),
                None => None,
            },
            shear_strain: output(self.shear_strain.0, self.shear_strain.1, "shear_strain")?,
            volumetric_strain: output(
                self.volumetric_strain.0,
                self.volumetric_strain.1,
                "volumetric_strain",
            )?,
            neighbors: match self.neighbors {
                Some((p, len)) => Some(output(p, len, "neighbors")?),
                None => None,
            },
            invalid: output(self.invalid.0, self.invalid.1, "invalid")?,
        })
    }
}

/// The body of both entry points: handles, options `(cutoff, affine_mapping,
/// minimum_image)`, output lengths and buffers, then [`compute_into`] under the status guard.
///
/// # Safety
/// As the entry points.
unsafe fn compute_c(
    reference: *const pelkit_system_t,
    current: *const pelkit_system_t,
    (cutoff, affine_mapping, minimum_image): (f64, i32, bool),
    raw: RawOutputs,
) -> pelkit_status_t {
    guard(|| {
        let r = system_ref(reference)?;
        let c = system_ref(current)?;
        let opts = options(cutoff, affine_mapping, minimum_image)?;
        let out = raw.borrow(c.natoms())?;
        compute_into(r, c, &opts, out)
    })
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
    let raw = RawOutputs {
        ids: (ids, ids_len),
        d2min: (d2min_values, d2min_values_len),
        d2min_mean: None,
        shear_strain: (shear_strain, shear_strain_len),
        volumetric_strain: (volumetric_strain, volumetric_strain_len),
        neighbors: None,
        invalid: (invalid, invalid_len),
    };
    let opts = (cutoff, affine_mapping, minimum_image);
    compute_c(reference, current, opts, raw)
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
    let raw = RawOutputs {
        ids: (ids, ids_len),
        d2min: (d2min_values, d2min_values_len),
        d2min_mean: Some((d2min_mean, d2min_mean_len)),
        shear_strain: (shear_strain, shear_strain_len),
        volumetric_strain: (volumetric_strain, volumetric_strain_len),
        neighbors: Some((neighbors, neighbors_len)),
        invalid: (invalid, invalid_len),
    };
    let opts = (cutoff, affine_mapping, minimum_image);
    compute_c(reference, current, opts, raw)
}
