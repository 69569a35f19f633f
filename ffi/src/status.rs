//! Status codes, the thread-local last error, the panic guard and the NULL-check macro that every
//! exported function goes through.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pelkit_core::analysis::voronoi::VoronoiError;
use pelkit_core::geometry::BoxError;
use pelkit_core::io::FormatError;
use pelkit_core::potential::eam::external_list::EamListError;
use pelkit_core::potential::PotentialError;

/// Outcome of a pelkit C function. `PELKIT_SUCCESS` is zero; on any other value
/// `pelkit_last_error()` describes what went wrong.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub enum pelkit_status_t {
    /// The call succeeded; out-parameters were written.
    PELKIT_SUCCESS = 0,
    /// A NULL pointer, a buffer of the wrong length, an index out of range or another argument
    /// the caller can fix.
    PELKIT_INVALID_PARAMETER = 1,
    /// The simulation box is degenerate or has non-finite values.
    PELKIT_BOX_ERROR = 2,
    /// A file could not be read or written, or its content is invalid.
    PELKIT_FORMAT_ERROR = 3,
    /// A potential could not be set up from its arguments or evaluated on the system.
    PELKIT_POTENTIAL_ERROR = 4,
    /// An analysis (e.g. a Voronoi tessellation) failed on this configuration.
    PELKIT_ANALYSIS_ERROR = 5,
    /// A bug inside pelkit (a caught Rust panic). Please report it with the message.
    PELKIT_INTERNAL_ERROR = 255,
}

/// Everything that can go wrong inside an exported function.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("argument `{0}` is NULL")]
    NullPointer(&'static str),
    #[error("invalid argument: {0}")]
    InvalidParameter(String),
    #[error("invalid box: {0}")]
    Box(#[from] BoxError),
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error(transparent)]
    Potential(#[from] PotentialError),
    #[error(transparent)]
    Voronoi(#[from] VoronoiError),
    #[error(transparent)]
    EamList(#[from] EamListError),
    #[error("{0}")]
    Analysis(String),
    #[error("internal error (Rust panic): {0}")]
    Panic(String),
}

impl Error {
    fn status(&self) -> pelkit_status_t {
        match self {
            Error::NullPointer(_) | Error::InvalidParameter(_) => {
                pelkit_status_t::PELKIT_INVALID_PARAMETER
            }
            Error::Box(_) => pelkit_status_t::PELKIT_BOX_ERROR,
            Error::Format(_) => pelkit_status_t::PELKIT_FORMAT_ERROR,
            Error::Potential(_) => pelkit_status_t::PELKIT_POTENTIAL_ERROR,
            Error::EamList(
                EamListError::Length { .. }
                | EamListError::TooManyLocal { .. }
                | EamListError::BadList(_),
            ) => pelkit_status_t::PELKIT_INVALID_PARAMETER,
            Error::EamList(_) => pelkit_status_t::PELKIT_POTENTIAL_ERROR,
            Error::Voronoi(_) | Error::Analysis(_) => pelkit_status_t::PELKIT_ANALYSIS_ERROR,
            Error::Panic(_) => pelkit_status_t::PELKIT_INTERNAL_ERROR,
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: String) {
    // Interior NULs cannot be represented in a C string: replace them.
    let text = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = text);
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// Run the body of an exported function: converts errors and panics into a status code and
/// records the message as the thread's last error.
pub(crate) fn guard<F>(body: F) -> pelkit_status_t
where
    F: FnOnce() -> Result<(), Error>,
{
    let error = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return pelkit_status_t::PELKIT_SUCCESS,
        Ok(Err(e)) => e,
        Err(payload) => Error::Panic(panic_message(payload.as_ref())),
    };
    set_last_error(error.to_string());
    error.status()
}

/// Return `Err(Error::NullPointer("name"))` from the enclosing closure when a pointer is NULL.
macro_rules! check_pointer {
    ($pointer:ident) => {
        if $pointer.is_null() {
            return Err($crate::status::Error::NullPointer(stringify!($pointer)));
        }
    };
}
pub(crate) use check_pointer;

/// The message of the last failed call on this thread (empty if none failed yet). Never NULL.
/// The pointer is owned by pelkit and stays valid until the next pelkit call on the same thread;
/// copy the text if you need it longer.
#[no_mangle]
pub extern "C" fn pelkit_last_error() -> *const c_char {
    catch_unwind(|| LAST_ERROR.with(|e| e.borrow().as_ptr()))
        .unwrap_or(c"pelkit_last_error failed".as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn last_error() -> String {
        // SAFETY: pelkit_last_error never returns NULL and the string lives until the next call.
        unsafe { CStr::from_ptr(pelkit_last_error()) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn a_panic_becomes_internal_error_with_its_message() {
        let status = guard(|| panic!("boom at atom 7"));
        assert_eq!(status, pelkit_status_t::PELKIT_INTERNAL_ERROR);
        assert_eq!(last_error(), "internal error (Rust panic): boom at atom 7");
    }

    #[test]
    fn null_pointer_names_the_argument_and_success_keeps_the_last_error() {
        let positions: *const f64 = std::ptr::null();
        let status = guard(|| {
            check_pointer!(positions);
            Ok(())
        });
        assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
        assert_eq!(last_error(), "argument `positions` is NULL");
        assert_eq!(guard(|| Ok(())), pelkit_status_t::PELKIT_SUCCESS);
        assert_eq!(last_error(), "argument `positions` is NULL");
    }

    #[test]
    fn interior_nul_in_a_message_is_escaped() {
        let status = guard(|| Err(Error::InvalidParameter("a\0b".into())));
        assert_eq!(status, pelkit_status_t::PELKIT_INVALID_PARAMETER);
        assert_eq!(last_error(), "invalid argument: a\\0b");
    }

    #[test]
    fn last_error_is_per_thread() {
        let _ = guard(|| Err(Error::InvalidParameter("main thread".into())));
        let other = std::thread::spawn(last_error).join().unwrap();
        assert_eq!(other, "");
        assert_eq!(last_error(), "invalid argument: main thread");
    }
}
