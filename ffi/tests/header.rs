//! The committed `include/pelkit.h` must be exactly what cbindgen generates from the current
//! sources: regenerating it here proves that the header and the Rust exports agree.
//! `PELKIT_UPDATE_HEADER=1` rewrites the committed file instead of failing.

use std::path::PathBuf;

#[test]
fn committed_header_matches_cbindgen_output() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ffi/cbindgen.toml is readable");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen parses ffi/src");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");
    let path = crate_dir.join("include/pelkit.h");
    if std::env::var("PELKIT_UPDATE_HEADER").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).expect("write include/pelkit.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/include/pelkit.h is out of date with ffi/src; regenerate it with \
         PELKIT_UPDATE_HEADER=1 cargo test -p pelkit-ffi --test header\n--- generated ---\n{generated}"
    );
    // The exported function names in the header are the ones the library defines (cbindgen only
    // emits `#[no_mangle] extern "C"` items, so every declared function must be in lib.rs' tree).
    for name in [
        "pelkit_version",
        "pelkit_abi_version",
        "pelkit_last_error",
        "pelkit_system_new",
        "pelkit_system_free",
        "pelkit_system_set_positions",
        "pelkit_box_unwrap",
    ] {
        assert!(generated.contains(&format!("{name}(")), "{name} missing");
    }
}
