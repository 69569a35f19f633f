//! Inherent-structure minimal displacement D_min through the C ABI (exact assignment with an
//! optimality certificate, as the `pelkit dmin` CLI).

use pelkit_core::analysis::dmin::{is_dmin, DminError, DminOptions};

use crate::slices::{as_rows_mut, expect_len, output};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};
use crate::system::{pelkit_system_t, system_ref};

impl From<DminError> for Error {
    fn from(e: DminError) -> Self {
        Error::Analysis(e.to_string())
    }
}

/// The global results of a D_min call (the `pelkit dmin --json` fields).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
#[allow(non_camel_case_types)]
pub struct pelkit_dmin_summary_t {
    /// D_min = sqrt(Σ minimal squared displacements / N) (distance units).
    pub dmin: f64,
    /// Labelled RMSD: the same with every atom paired with the atom of the same id.
    pub rmsd: f64,
    /// Number of atoms N.
    pub natoms: usize,
    /// Number of atoms whose optimal partner is not the atom with the same id.
    pub reassigned: usize,
    /// True when the dual certificate proved the assignment optimal for the full dense problem.
    /// When false the numbers are an upper bound only (the CLI then fails).
    pub optimality_certified: bool,
    /// Floating-point bound on (Σ cost − optimum) from the duals (distance² units).
    pub gap_bound: f64,
}

/// Exact IS D_min between `reference` and `current` (same box within 1e-9 relative, same atom
/// ids; minimum-image distances, orthogonal or triclinic). `all_types`: let atoms of different
/// types be relabelled into each other (default false: relabel only within a type).
/// Outputs, per atom in ascending id order: `ids`, `partner_ids` (id of the `current` atom
/// assigned to each reference atom) and `displacements` (minimal displacement partner −
/// reference, minimum image, `3·natoms` doubles); `summary` receives D_min, the labelled RMSD,
/// the number of reassigned atoms and whether optimality was certified.
///
/// Ownership: both systems are borrowed; outputs are written only on success.
///
/// # Safety
/// Handles must be live; `summary` writable; each output valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_system_dmin(
    reference: *const pelkit_system_t,
    current: *const pelkit_system_t,
    all_types: bool,
    summary: *mut pelkit_dmin_summary_t,
    ids: *mut i64,
    ids_len: usize,
    partner_ids: *mut i64,
    partner_ids_len: usize,
    displacements: *mut f64,
    displacements_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let r = system_ref(reference)?;
        let c = system_ref(current)?;
        check_pointer!(summary);
        let n = r.natoms();
        expect_len("ids", ids_len, n, "one per atom of `reference`")?;
        expect_len(
            "partner_ids",
            partner_ids_len,
            n,
            "one per atom of `reference`",
        )?;
        expect_len(
            "displacements",
            displacements_len,
            3 * n,
            "3 per atom of `reference`",
        )?;
        let out_ids = output(ids, ids_len, "ids")?;
        let out_partners = output(partner_ids, partner_ids_len, "partner_ids")?;
        let out_disp = as_rows_mut(
            output(displacements, displacements_len, "displacements")?,
            "displacements",
        )?;
        let opts = DminOptions {
            all_types,
            ..DminOptions::default()
        };
        let result = crate::threads::run(|| is_dmin(r, c, &opts))?;
        if result.ids.len() != n {
            return Err(Error::Analysis(format!(
                "D_min returned {} atoms for {n}",
                result.ids.len()
            )));
        }
        for ((o, p), (&id, &partner)) in out_ids
            .iter_mut()
            .zip(out_partners.iter_mut())
            .zip(result.ids.iter().zip(&result.partner_ids))
        {
            *o = id as i64;
            *p = partner as i64;
        }
        out_disp.copy_from_slice(&result.displacements);
        *summary = pelkit_dmin_summary_t {
            dmin: result.dmin,
            rmsd: result.rmsd,
            natoms: result.natoms,
            reassigned: result.reassigned,
            optimality_certified: result.optimality_certified,
            gap_bound: result.gap_bound,
        };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simbox::pelkit_box_t;
    use crate::system::{pelkit_system_free, pelkit_system_new};
    use std::ffi::CStr;

    fn new_system(b: &pelkit_box_t, types: &[i32], x: &[f64], ids: &[i64]) -> *mut pelkit_system_t {
        let mut s = std::ptr::null_mut();
        // SAFETY: every buffer is valid for the length given after it.
        let status = unsafe {
            pelkit_system_new(
                b,
                types.as_ptr(),
                types.len(),
                x.as_ptr(),
                x.len(),
                ids.as_ptr(),
                ids.len(),
                &mut s,
            )
        };
        assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS);
        s
    }

    /// Four atoms on a line in a periodic cube of edge 10; in the current configuration the
    /// two type-1 atoms have swapped places (plus a small shift), so the optimal assignment
    /// exchanges them: an oracle small enough to enumerate by hand.
    #[test]
    fn swapped_pair_is_reassigned_and_outputs_follow_ids() {
        let b = pelkit_box_t {
            lo: [0.0; 3],
            hi: [10.0; 3],
            tilt: [0.0; 3],
            periodic: [true; 3],
            triclinic: false,
        };
        let ids = [4i64, 2, 9, 7];
        let types = [1, 1, 2, 2];
        let x_ref = [1.0, 5.0, 5.0, 3.0, 5.0, 5.0, 6.0, 5.0, 5.0, 8.0, 5.0, 5.0];
        // id 4 → near id 2's old place and vice versa; type-2 atoms move by +0.1 in y.
        let x_cur = [3.1, 5.0, 5.0, 1.1, 5.0, 5.0, 6.0, 5.1, 5.0, 8.0, 5.1, 5.0];
        let r = new_system(&b, &types, &x_ref, &ids);
        let c = new_system(&b, &types, &x_cur, &ids);
        let mut summary = pelkit_dmin_summary_t::default();
        let (mut out_ids, mut partners, mut disp) = ([0i64; 4], [0i64; 4], [0.0f64; 12]);
        // SAFETY: live handles, buffers of the given lengths.
        let status = unsafe {
            pelkit_system_dmin(
                r,
                c,
                false,
                &mut summary,
                out_ids.as_mut_ptr(),
                4,
                partners.as_mut_ptr(),
                4,
                disp.as_mut_ptr(),
                12,
            )
        };
        assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS);
        assert_eq!(out_ids, [2, 4, 7, 9]);
        assert_eq!(partners, [4, 2, 7, 9]);
        // Minimal displacements: id 2 (ref x 3) → id 4's current x 3.1: +0.1; id 4 (x 1) → 1.1.
        let expected = [
            [0.1, 0.0, 0.0],
            [0.1, 0.0, 0.0],
            [0.0, 0.1, 0.0],
            [0.0, 0.1, 0.0],
        ];
        for (row, e) in disp.chunks(3).zip(expected) {
            for k in 0..3 {
                // Differences of coordinates near 1–8: round-off of one subtraction.
                assert!((row[k] - e[k]).abs() < 1e-14, "{row:?} vs {e:?}");
            }
        }
        assert_eq!(summary.natoms, 4);
        assert_eq!(summary.reassigned, 2);
        assert!(summary.optimality_certified);
        assert!((summary.dmin - 0.1).abs() < 1e-14, "{}", summary.dmin);
        // Labelled (same ids): id 4 moved 1 → 3.1 (2.1), id 2 moved 3 → 1.1 (1.9), ids 7 and 9
        // by 0.1.
        let rmsd = ((2.1f64 * 2.1 + 1.9 * 1.9 + 0.01 + 0.01) / 4.0).sqrt();
        assert!((summary.rmsd - rmsd).abs() < 1e-14, "{}", summary.rmsd);

        // A wrong buffer length is an error that leaves the outputs untouched.
        let mut short = [-1i64; 3];
        // SAFETY: as above; `short` is valid for 3 values.
        let status = unsafe {
            pelkit_system_dmin(
                r,
                c,
                false,
                &mut summary,
                short.as_mut_ptr(),
                3,
                partners.as_mut_ptr(),
                4,
                disp.as_mut_ptr(),
                12,
            )
        };
        assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
        assert_eq!(short, [-1; 3]);
        // SAFETY: pelkit_last_error never returns NULL.
        let message = unsafe { CStr::from_ptr(crate::pelkit_last_error()) };
        assert!(message.to_str().unwrap().contains("`ids` has length 3"));
        // SAFETY: handles from pelkit_system_new, released once.
        unsafe {
            pelkit_system_free(r);
            pelkit_system_free(c);
        }
    }
}
