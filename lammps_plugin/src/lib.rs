//! `pelkitplugin`: the LAMMPS plugin. This crate is the shared library LAMMPS `plugin load`s; it
//! links the pelkit C ABI (`pelkit-ffi`) with the C++ style shims of `src/shim/` (compiled by
//! `build.rs` against the host LAMMPS headers) and exports the `lammpsplugin_init` entry point.
//! No physics here or in the shims: each style converts LAMMPS arrays and calls one `pelkit_*`.

#[cfg(pelkit_lammps_shim)]
use std::ffi::c_void;

/// Keep the C ABI in the link: the shims call these functions.
pub use pelkit_ffi::*;

#[cfg(pelkit_lammps_shim)]
extern "C" {
    /// Registers every pelkit style with LAMMPS (`src/shim/pelkit_plugin.cpp`).
    fn pelkit_lammps_register_styles(lmp: *mut c_void, handle: *mut c_void, regfunc: *mut c_void);
}

/// The entry point LAMMPS looks up after `dlopen` (`plugin load`): registers the pelkit styles.
///
/// # Safety
/// Called by LAMMPS with its instance pointer, the DSO handle and its registration callback.
#[cfg(pelkit_lammps_shim)]
#[no_mangle]
pub unsafe extern "C" fn lammpsplugin_init(
    lmp: *mut c_void,
    handle: *mut c_void,
    regfunc: *mut c_void,
) {
    // C++ exceptions must not unwind into Rust: the shim catches everything itself.
    pelkit_lammps_register_styles(lmp, handle, regfunc);
}

/// Whether this build contains the LAMMPS styles (false when no LAMMPS headers were found).
pub const HAS_LAMMPS_STYLES: bool = cfg!(pelkit_lammps_shim);
