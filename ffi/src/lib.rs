//! C ABI of pelkit. This crate only converts C types and reports errors; all physics is in the
//! `pelkit` library crate.

use std::ffi::c_char;

/// Version of the C ABI; bumped on every incompatible change of `pelkit.h`.
pub const PELKIT_ABI_VERSION: u32 = 1;

/// The pelkit version as a NUL-terminated static string. Never NULL; owned by the library.
#[no_mangle]
pub extern "C" fn pelkit_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

/// The C ABI version (`PELKIT_ABI_VERSION`).
#[no_mangle]
pub extern "C" fn pelkit_abi_version() -> u32 {
    PELKIT_ABI_VERSION
}
