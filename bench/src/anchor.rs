//! Running the anchors of a benchmark (LAMMPS `lmp`, the venv's Python) and printing the
//! side-by-side report line.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The venv holding the anchors: `$PELKIT_VENV`, else `./.venv`.
/// Made absolute, because anchors run with their scratch directory as working directory.
pub fn venv() -> PathBuf {
    let v = std::env::var_os("PELKIT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(".venv"));
    std::path::absolute(&v).unwrap_or(v)
}

/// Run LAMMPS on `script` (input-file text) in `dir` with `np` MPI ranks (1 = plain `lmp`);
/// returns the wall time of the whole process and its screen output.
pub fn run_lammps(dir: &Path, script: &str, np: usize) -> Result<(Duration, String)> {
    let v = venv();
    let lmp = v.join("bin/lmp");
    if !lmp.exists() {
        bail!(
            "LAMMPS not found at {} (run tests/run.sh or set PELKIT_VENV)",
            lmp.display()
        );
    }
    std::fs::write(dir.join("in.bench"), script)?;
    let mut cmd = if np > 1 {
        let mut c = Command::new(v.join("bin/mpirun"));
        c.arg("-np").arg(np.to_string()).arg(&lmp);
        c
    } else {
        Command::new(&lmp)
    };
    cmd.args([
        "-in",
        "in.bench",
        "-log",
        "log.bench",
        "-nocite",
        "-screen",
        "screen.bench",
    ])
    .current_dir(dir)
    .env("LD_LIBRARY_PATH", v.join("lib"))
    .env("OMP_NUM_THREADS", "1");
    let t = Instant::now();
    let out = cmd.output().context("starting lmp")?;
    let dt = t.elapsed();
    let screen = std::fs::read_to_string(dir.join("screen.bench")).unwrap_or_default();
    if !out.status.success() || screen.contains("ERROR") {
        bail!(
            "LAMMPS failed:\n{screen}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok((dt, screen))
}

/// Run a Python script with the venv's interpreter in `dir`; returns its stdout.
/// Scripts time their own work and print it, so interpreter start-up is not counted.
pub fn run_python(dir: &Path, script: &str) -> Result<String> {
    let py = venv().join("bin/python");
    if !py.exists() {
        bail!(
            "Python venv not found at {} (run tests/run.sh or set PELKIT_VENV)",
            py.display()
        );
    }
    let file = dir.join("anchor.py");
    std::fs::write(&file, script)?;
    let out = Command::new(&py)
        .arg(&file)
        .current_dir(dir)
        .env("LD_LIBRARY_PATH", venv().join("lib"))
        .env("OVITO_GUI_MODE", "0")
        .output()
        .context("starting python")?;
    if !out.status.success() {
        bail!(
            "anchor script failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One line of a benchmark report: our time, the anchor's time and anchor/ours.
pub fn report(task: &str, ours: Duration, anchor_name: &str, anchor: Duration) {
    let ratio = anchor.as_secs_f64() / ours.as_secs_f64();
    println!(
        "{task:<44} pelkit {:>9.3} s   {anchor_name:<18} {:>9.3} s   speed-up {ratio:>6.2}x",
        ours.as_secs_f64(),
        anchor.as_secs_f64()
    );
}
