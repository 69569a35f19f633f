//! `pelkit_box_t` (a LAMMPS box as plain C data) and the box operations: wrapping with image
//! flags, unwrapping, exact minimum image.

use pelkit_core::SimBox;

use crate::slices::{as_int_rows, as_rows, as_rows_mut, expect_len, input, output};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};

/// A LAMMPS simulation box, exactly as `domain->boxlo`, `boxhi`, `xy xz yz`, `periodicity` and
/// `triclinic`. Edge vectors are a = (hi₀−lo₀, 0, 0), b = (xy, hi₁−lo₁, 0),
/// c = (xz, yz, hi₂−lo₂); `tilt` is `{xy, xz, yz}` and is ignored when `triclinic` is false.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct pelkit_box_t {
    /// `boxlo` (not the dump bound box), length units of the caller.
    pub lo: [f64; 3],
    /// `boxhi`.
    pub hi: [f64; 3],
    /// Tilt factors `{xy, xz, yz}`.
    pub tilt: [f64; 3],
    /// Periodicity along x, y, z.
    pub periodic: [bool; 3],
    /// Whether the box is a LAMMPS triclinic box.
    pub triclinic: bool,
}

impl pelkit_box_t {
    /// The validated library box.
    pub(crate) fn to_simbox(self) -> Result<SimBox, Error> {
        Ok(SimBox::new(
            self.lo,
            self.hi,
            self.tilt,
            self.triclinic,
            self.periodic,
        )?)
    }

    pub(crate) fn from_simbox(b: &SimBox) -> Self {
        pelkit_box_t {
            lo: b.lo,
            hi: b.hi,
            tilt: b.tilt,
            periodic: b.periodic,
            triclinic: b.triclinic,
        }
    }
}

/// Read and validate a box argument.
///
/// # Safety
/// `simbox` must be NULL or point to a valid `pelkit_box_t`.
unsafe fn read_box(simbox: *const pelkit_box_t) -> Result<SimBox, Error> {
    check_pointer!(simbox);
    (*simbox).to_simbox()
}

/// Unwrapped positions `x + ix·a + iy·b + iz·c` (the LAMMPS `xu yu zu` formula) of `natoms`
/// atoms. `positions` and `unwrapped` hold `3·natoms` doubles (x0 y0 z0 x1 …), `images` holds
/// `3·natoms` image flags; each length is passed after its buffer and must agree.
///
/// Ownership: all buffers are borrowed for the duration of the call; `unwrapped` is written only
/// on success.
///
/// # Safety
/// Each pointer must be valid for the number of elements given after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_box_unwrap(
    simbox: *const pelkit_box_t,
    positions: *const f64,
    positions_len: usize,
    images: *const i32,
    images_len: usize,
    unwrapped: *mut f64,
    unwrapped_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let b = read_box(simbox)?;
        let x = as_rows(input(positions, positions_len, "positions")?, "positions")?;
        let im = as_int_rows(input(images, images_len, "images")?, "images")?;
        expect_len("images", images_len, positions_len, "3 flags per atom")?;
        expect_len("unwrapped", unwrapped_len, positions_len, "3 per atom")?;
        let out = as_rows_mut(output(unwrapped, unwrapped_len, "unwrapped")?, "unwrapped")?;
        for ((o, &xi), &ii) in out.iter_mut().zip(x).zip(im) {
            *o = b.unwrap(xi, ii);
        }
        Ok(())
    })
}

/// Wrap `positions` into the box along periodic dimensions in place, updating `images`
/// (`Domain::remap` of LAMMPS, same operation order). Both hold `3·natoms` values; each length is
/// passed after its buffer and must agree. Non-finite coordinates are an error.
///
/// Ownership: both buffers are borrowed and modified in place, only on success (on failure they
/// are left untouched).
///
/// # Safety
/// Each pointer must be valid for the number of elements given after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_box_wrap(
    simbox: *const pelkit_box_t,
    positions: *mut f64,
    positions_len: usize,
    images: *mut i32,
    images_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let b = read_box(simbox)?;
        expect_len("images", images_len, positions_len, "3 flags per atom")?;
        let x = as_rows_mut(output(positions, positions_len, "positions")?, "positions")?;
        let im = output(images, images_len, "images")?;
        if let Some(bad) = x.iter().position(|r| r.iter().any(|v| !v.is_finite())) {
            return Err(Error::InvalidParameter(format!(
                "position {bad} is not finite: {:?}",
                x[bad]
            )));
        }
        for (row, flags) in x.iter_mut().zip(im.chunks_exact_mut(3)) {
            let mut image = [flags[0], flags[1], flags[2]];
            *row = b.wrap(*row, &mut image);
            flags.copy_from_slice(&image);
        }
        Ok(())
    })
}

/// The shortest periodic image of each displacement vector, exact for any tilt.
/// `displacements` and `shortest` hold `3·n` doubles; each length is passed after its buffer.
///
/// Ownership: buffers are borrowed; `shortest` is written only on success. The two may not
/// overlap.
///
/// # Safety
/// Each pointer must be valid for the number of elements given after it.
#[no_mangle]
pub unsafe extern "C" fn pelkit_box_minimum_image(
    simbox: *const pelkit_box_t,
    displacements: *const f64,
    displacements_len: usize,
    shortest: *mut f64,
    shortest_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let b = read_box(simbox)?;
        let d = as_rows(
            input(displacements, displacements_len, "displacements")?,
            "displacements",
        )?;
        expect_len("shortest", shortest_len, displacements_len, "3 per vector")?;
        let out = as_rows_mut(output(shortest, shortest_len, "shortest")?, "shortest")?;
        for (o, &di) in out.iter_mut().zip(d) {
            *o = b.minimum_image(di);
        }
        Ok(())
    })
}

/// Box volume `lx·ly·lz` in `*volume`.
///
/// Ownership: `*volume` is written only on success.
///
/// # Safety
/// `simbox` and `volume` must be valid pointers.
#[no_mangle]
pub unsafe extern "C" fn pelkit_box_volume(
    simbox: *const pelkit_box_t,
    volume: *mut f64,
) -> pelkit_status_t {
    guard(|| {
        let b = read_box(simbox)?;
        check_pointer!(volume);
        *volume = b.volume();
        Ok(())
    })
}
