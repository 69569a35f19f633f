//! MD-DMS through the C ABI: an opaque streaming accumulator of the sine fit σ(t) = σ0 +
//! σA·sin(2πt/t_w + δ) (`pelkit::analysis::dms::OscillationAccumulator`, the code of `pelkit dms
//! fit`), fed one stress sample at a time and fitted over the completed cycles at any time.

use pelkit_core::analysis::dms::{
    DmsError, OscillationAccumulator, OscillationFit, OscillationFitOptions,
};

use crate::status::{check_pointer, guard, pelkit_status_t, Error};

impl From<DmsError> for Error {
    fn from(e: DmsError) -> Self {
        match e {
            DmsError::InvalidInput(m) => Error::InvalidParameter(m),
            other => Error::Analysis(other.to_string()),
        }
    }
}

/// A growing oscillatory-shear stress record. Create with `pelkit_dms_accumulator_new`, release
/// with `pelkit_dms_accumulator_free`.
#[allow(non_camel_case_types)]
pub struct pelkit_dms_accumulator_t {
    accumulator: OscillationAccumulator,
}

/// The sine fit over the completed cycles (stress units of the samples; δ in radians).
/// `cycles_fitted` = 0 means that no whole cycle after the transient ones is complete yet; every
/// other field is then 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
#[allow(non_camel_case_types)]
pub struct pelkit_dms_fit_t {
    /// Storage modulus G′ = σA cos δ / γA, and its standard error.
    pub storage_modulus: f64,
    pub storage_modulus_error: f64,
    /// Loss modulus G″ = σA sin δ / γA, and its standard error.
    pub loss_modulus: f64,
    pub loss_modulus_error: f64,
    /// Phase angle δ (rad, in (−π, π]), and its standard error.
    pub delta: f64,
    pub delta_error: f64,
    /// Stress amplitude σA, and its standard error.
    pub sigma_amplitude: f64,
    pub sigma_amplitude_error: f64,
    /// Static stress σ0, and its standard error.
    pub sigma0: f64,
    pub sigma0_error: f64,
    /// Coefficient of determination of the sine fit.
    pub r_squared: f64,
    /// √(SSR/n): the stress noise around the fitted sine.
    pub rms_residual: f64,
    /// Whole cycles in the fit, cycles dropped as transient, samples in the fit.
    pub cycles_fitted: usize,
    pub cycles_dropped: usize,
    pub samples: usize,
}

impl From<&OscillationFit> for pelkit_dms_fit_t {
    fn from(f: &OscillationFit) -> Self {
        Self {
            storage_modulus: f.storage_modulus,
            storage_modulus_error: f.storage_modulus_error,
            loss_modulus: f.loss_modulus,
            loss_modulus_error: f.loss_modulus_error,
            delta: f.delta,
            delta_error: f.delta_error,
            sigma_amplitude: f.sigma_amplitude,
            sigma_amplitude_error: f.sigma_amplitude_error,
            sigma0: f.sigma0,
            sigma0_error: f.sigma0_error,
            r_squared: f.r_squared,
            rms_residual: f.rms_residual,
            cycles_fitted: f.cycles_fitted,
            cycles_dropped: f.cycles_dropped,
            samples: f.samples,
        }
    }
}

/// A new, empty accumulator for the period `period` (time units, > 0), the strain amplitude
/// `strain_amplitude` (γA > 0, dimensionless) and `transient_cycles` whole cycles dropped at the
/// start. Time t = 0 is the start of the oscillation (γ(t) = γA·sin(2πt/t_w)).
///
/// Ownership: on success `*accumulator` receives a new handle owned by the caller, to be
/// released with `pelkit_dms_accumulator_free`; on failure it is not written.
///
/// # Safety
/// `accumulator` must be writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_dms_accumulator_new(
    period: f64,
    strain_amplitude: f64,
    transient_cycles: usize,
    accumulator: *mut *mut pelkit_dms_accumulator_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(accumulator);
        let acc = OscillationAccumulator::new(OscillationFitOptions {
            period,
            strain_amplitude,
            transient_cycles,
        })?;
        *accumulator = Box::into_raw(Box::new(pelkit_dms_accumulator_t { accumulator: acc }));
        Ok(())
    })
}

/// Release an accumulator. NULL is accepted and ignored.
///
/// # Safety
/// `accumulator` must be NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn pelkit_dms_accumulator_free(accumulator: *mut pelkit_dms_accumulator_t) {
    if !accumulator.is_null() {
        drop(Box::from_raw(accumulator));
    }
}

/// Add the shear-stress sample σ(`time`) = `stress` (a stress, tension positive: from a LAMMPS
/// pressure component pass −p_xy). Times must increase; both values must be finite.
///
/// Ownership: the handle is borrowed.
///
/// # Safety
/// `accumulator` must be a live handle.
#[no_mangle]
pub unsafe extern "C" fn pelkit_dms_accumulator_push(
    accumulator: *mut pelkit_dms_accumulator_t,
    time: f64,
    stress: f64,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(accumulator);
        (*accumulator).accumulator.push(time, stress)?;
        Ok(())
    })
}

/// The fit over the whole cycles completed so far after the transient ones (a cycle is complete
/// once a sample of a later cycle was pushed). While none is complete, `*fit` is all zeros with
/// `cycles_fitted` = 0 and the call succeeds; a fit that cannot be made (fewer than 4 samples,
/// sin and cos not separable, a zero amplitude) is an error and leaves `*fit` unwritten.
///
/// Ownership: the handle is borrowed; `*fit` is written on success.
///
/// # Safety
/// `accumulator` must be a live handle and `fit` writable.
#[no_mangle]
pub unsafe extern "C" fn pelkit_dms_accumulator_fit(
    accumulator: *const pelkit_dms_accumulator_t,
    fit: *mut pelkit_dms_fit_t,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(accumulator);
        check_pointer!(fit);
        match (*accumulator).accumulator.fit() {
            Ok(f) => *fit = pelkit_dms_fit_t::from(&f),
            Err(DmsError::TooFewCycles { .. } | DmsError::NoCycleLeft { .. }) => {
                *fit = pelkit_dms_fit_t::default();
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pelkit_core::analysis::dms::fit_oscillation;

    #[test]
    fn pushed_samples_fit_like_the_library_and_errors_are_reported() {
        let mut acc = std::ptr::null_mut();
        // SAFETY: `acc` is writable; the handle is live until freed below.
        unsafe {
            assert_eq!(
                pelkit_dms_accumulator_new(1.0, 0.0, 1, &mut acc),
                pelkit_status_t::PELKIT_INVALID_PARAMETER
            );
            assert!(acc.is_null());
            assert_eq!(
                pelkit_dms_accumulator_new(1.0, 0.02, 1, &mut acc),
                pelkit_status_t::PELKIT_SUCCESS
            );
            let mut fit = pelkit_dms_fit_t {
                delta: 9.0,
                ..Default::default()
            };
            let (mut t, mut s) = (Vec::new(), Vec::new());
            for i in 0..=60 {
                let ti = i as f64 * 0.05;
                let si =
                    0.1 + 0.5 * (std::f64::consts::TAU * ti + 0.7).sin() + 0.01 * (i % 3) as f64;
                assert_eq!(
                    pelkit_dms_accumulator_push(acc, ti, si),
                    pelkit_status_t::PELKIT_SUCCESS
                );
                t.push(ti);
                s.push(si);
                if i == 30 {
                    // 1.5 cycles: nothing to fit yet, all zeros.
                    assert_eq!(
                        pelkit_dms_accumulator_fit(acc, &mut fit),
                        pelkit_status_t::PELKIT_SUCCESS
                    );
                    assert_eq!((fit.cycles_fitted, fit.delta), (0, 0.0));
                }
            }
            assert_eq!(
                pelkit_dms_accumulator_fit(acc, &mut fit),
                pelkit_status_t::PELKIT_SUCCESS
            );
            let f = fit_oscillation(
                &t,
                &s,
                &OscillationFitOptions {
                    period: 1.0,
                    strain_amplitude: 0.02,
                    transient_cycles: 1,
                },
            )
            .unwrap();
            assert_eq!(fit.delta, f.delta);
            assert_eq!(fit.loss_modulus_error, f.loss_modulus_error);
            assert_eq!((fit.cycles_fitted, fit.samples), (2, 40));
            assert_eq!(
                pelkit_dms_accumulator_push(acc, 1.0, 0.0),
                pelkit_status_t::PELKIT_INVALID_PARAMETER
            );
            pelkit_dms_accumulator_free(acc);
            pelkit_dms_accumulator_free(std::ptr::null_mut());
        }
    }
}
