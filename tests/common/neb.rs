//! Driving LAMMPS `neb` for the NEB comparisons (`saddle_neb_lammps`, `saddle_neb_ka_lammps`):
//! coordinate files of replicas, the multi-partition MPI run, and its universe log.

use std::path::Path;
use std::process::Command;

use super::Lammps;

/// A `neb … final/each FILE` coordinate file of `sys`: the atom count, then `id x y z` lines
/// with 17 significant digits.
pub fn write_coords(path: &Path, sys: &pelkit::System) {
    let mut text = format!("{}\n", sys.natoms());
    for (id, x) in sys.ids.iter().zip(&sys.positions) {
        text += &format!("{id} {:.17e} {:.17e} {:.17e}\n", x[0], x[1], x[2]);
    }
    std::fs::write(path, text).unwrap();
}

/// Run `in.neb` of `dir` with `replicas` MPI ranks, one partition each; return the universe log
/// (`log.lammps`) and the wall time in seconds. Fails the test when LAMMPS fails.
pub fn run_neb(lmp: &Lammps, dir: &Path, replicas: usize) -> (String, f64) {
    let t0 = std::time::Instant::now();
    let out = Command::new(&lmp.mpirun)
        .args(["-np", &replicas.to_string()])
        .arg(&lmp.lmp)
        .args(["-partition", &format!("{replicas}x1"), "-in", "in.neb"])
        .args(["-log", "log.lammps", "-screen", "none", "-nocite"])
        .current_dir(dir)
        .env("LD_LIBRARY_PATH", &lmp.lib_dir)
        .env("OMP_NUM_THREADS", "1")
        .output()
        .unwrap();
    let wall = t0.elapsed().as_secs_f64();
    let log = std::fs::read_to_string(dir.join("log.lammps")).unwrap_or_default();
    assert!(
        out.status.success() && !log.contains("ERROR"),
        "LAMMPS neb failed:\n{}\n{}\n{log}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (log, wall)
}

/// Last thermo line of LAMMPS' NEB universe log: Step MaxReplicaForce MaxAtomForce GradV0
/// GradV1 GradVc EBF EBR RDT RD1 PE1 … RDn PEn.
pub fn last_neb_line(log: &str) -> Vec<f64> {
    log.lines()
        .filter_map(|l| {
            let v: Result<Vec<f64>, _> = l.split_whitespace().map(str::parse::<f64>).collect();
            v.ok().filter(|v| v.len() > 9)
        })
        .next_back()
        .expect("no NEB thermo line")
}
