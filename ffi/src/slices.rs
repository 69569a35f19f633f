//! Turning (pointer, length) pairs from C into checked Rust slices.

use pelkit_core::{SimBox, System};

use crate::status::Error;

/// A C input buffer of `len` elements as a slice (`len == 0` accepts a NULL pointer).
///
/// # Safety
/// `ptr` must point to `len` readable, initialised elements that stay unaliased by writers for
/// the duration of the call.
pub(crate) unsafe fn input<'a, T>(
    ptr: *const T,
    len: usize,
    name: &'static str,
) -> Result<&'a [T], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::NullPointer(name));
    }
    Ok(std::slice::from_raw_parts(ptr, len))
}

/// A C output buffer of `len` elements as a mutable slice (`len == 0` accepts NULL).
///
/// # Safety
/// `ptr` must point to `len` writable elements not aliased elsewhere during the call.
pub(crate) unsafe fn output<'a, T>(
    ptr: *mut T,
    len: usize,
    name: &'static str,
) -> Result<&'a mut [T], Error> {
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Error::NullPointer(name));
    }
    Ok(std::slice::from_raw_parts_mut(ptr, len))
}

/// Require `len == expected`, naming the buffer and what the length should be.
pub(crate) fn expect_len(
    name: &'static str,
    len: usize,
    expected: usize,
    why: &str,
) -> Result<(), Error> {
    if len != expected {
        return Err(Error::InvalidParameter(format!(
            "`{name}` has length {len}, expected {expected} ({why})"
        )));
    }
    Ok(())
}

/// A flat `[x0, y0, z0, x1, …]` buffer as `[f64; 3]` rows (its length must be a multiple of 3).
pub(crate) fn as_rows<'a>(flat: &'a [f64], name: &'static str) -> Result<&'a [[f64; 3]], Error> {
    if !flat.len().is_multiple_of(3) {
        return Err(Error::InvalidParameter(format!(
            "`{name}` has length {}, not a multiple of 3",
            flat.len()
        )));
    }
    let (rows, rest) = flat.as_chunks::<3>();
    debug_assert!(rest.is_empty());
    Ok(rows)
}

/// Mutable version of [`as_rows`].
pub(crate) fn as_rows_mut<'a>(
    flat: &'a mut [f64],
    name: &'static str,
) -> Result<&'a mut [[f64; 3]], Error> {
    if !flat.len().is_multiple_of(3) {
        return Err(Error::InvalidParameter(format!(
            "`{name}` has length {}, not a multiple of 3",
            flat.len()
        )));
    }
    let (rows, _) = flat.as_chunks_mut::<3>();
    Ok(rows)
}

/// A flat int buffer as `[i32; 3]` rows.
pub(crate) fn as_int_rows<'a>(
    flat: &'a [i32],
    name: &'static str,
) -> Result<&'a [[i32; 3]], Error> {
    if !flat.len().is_multiple_of(3) {
        return Err(Error::InvalidParameter(format!(
            "`{name}` has length {}, not a multiple of 3",
            flat.len()
        )));
    }
    let (rows, _) = flat.as_chunks::<3>();
    Ok(rows)
}

/// The owned-then-ghost atoms a LAMMPS style hands over: `types` (one per atom) and the flat
/// `positions` (3 per atom) as rows, checked to have the same atom count `nall ≥ nlocal`.
///
/// # Safety
/// As [`input`] for both buffers.
pub(crate) unsafe fn local_and_ghost_atoms<'a>(
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    nlocal: usize,
) -> Result<(&'a [i32], &'a [[f64; 3]]), Error> {
    let t = input(types, types_len, "types")?;
    let nall = t.len();
    expect_len("positions", positions_len, 3 * nall, "3 per atom")?;
    let x = as_rows(input(positions, positions_len, "positions")?, "positions")?;
    if nlocal > nall {
        return Err(Error::InvalidParameter(format!(
            "nlocal = {nlocal} exceeds the {nall} atoms given"
        )));
    }
    Ok((t, x))
}

/// Rejects a scalar parameter that is not positive and finite, naming it.
pub(crate) fn positive_finite(name: &str, value: f64) -> Result<(), Error> {
    if !(value.is_finite() && value > 0.0) {
        return Err(Error::InvalidParameter(format!(
            "{name} = {value} (must be positive and finite)"
        )));
    }
    Ok(())
}

/// Rejects a LAMMPS atom type below 1, naming the first one.
pub(crate) fn lammps_types(types: &[i32]) -> Result<(), Error> {
    match types.iter().position(|&ty| ty < 1) {
        Some(i) => Err(Error::InvalidParameter(format!(
            "types[{i}] = {} (LAMMPS types start at 1)",
            types[i]
        ))),
        None => Ok(()),
    }
}

/// Boxless atoms (ids 1..=n in the given order) in an orthogonal periodic box that extends `pad`
/// beyond their bounding box on each side, so that with `pad` ≥ the interaction reach no atom sees
/// a periodic image. An error names the first atom with a non-finite coordinate.
pub(crate) fn padded_system(types: &[i32], x: &[[f64; 3]], pad: f64) -> Result<System, Error> {
    let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
    for (i, r) in x.iter().enumerate() {
        if !r.iter().all(|v| v.is_finite()) {
            return Err(Error::InvalidParameter(format!(
                "position {i} is not finite: {r:?}"
            )));
        }
        for d in 0..3 {
            lo[d] = lo[d].min(r[d]);
            hi[d] = hi[d].max(r[d]);
        }
    }
    Ok(System::new(
        SimBox::orthogonal(lo.map(|v| v - pad), hi.map(|v| v + pad))?,
        (1..=x.len() as u64).collect(),
        types.iter().map(|&ty| ty as u32).collect(),
        x.to_vec(),
    ))
}
