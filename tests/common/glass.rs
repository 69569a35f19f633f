//! Small glasses made by LAMMPS itself for cross-validation tests: a Kob–Andersen 80:20 LJ glass
//! (always available) and a Mendelev Cu50Zr50 glass (when Debian's lammps-data is installed).
//! Each is melted, quenched, minimized and written as `glass.data` (write_data, round-trip exact)
//! and `glass.dump` (id type x y z ix iy iz, sorted, %.17g) in the given directory.

use std::path::{Path, PathBuf};

use super::Lammps;

/// Box shape of a test glass.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Orthogonal,
    /// Triclinic with tilt factors given as fractions of the box length (xy, xz, yz); negative
    /// values tilt the other way.
    Triclinic(f64, f64, f64),
}

fn region(shape: Shape, l: f64) -> String {
    match shape {
        Shape::Orthogonal => format!("region box block 0 {l} 0 {l} 0 {l}"),
        Shape::Triclinic(a, b, c) => {
            format!(
                "region box prism 0 {l} 0 {l} 0 {l} {} {} {}",
                a * l,
                b * l,
                c * l
            )
        }
    }
}

const OUTPUT: &str = "write_data glass.data\n\
write_dump all custom glass.dump id type x y z ix iy iz modify sort id format float %.17g\n";

/// Kob–Andersen 80:20 glass of `n` atoms at number density 1.2 (LJ units), quenched from T = 2.0
/// to 0.3 in `steps` steps and minimized. Returns the directory's `glass.data` path.
pub fn kob_andersen(
    lmp: &Lammps,
    dir: &Path,
    n: usize,
    seed: u32,
    shape: Shape,
    steps: usize,
) -> PathBuf {
    let l = (n as f64 / 1.2).cbrt();
    let na = n * 4 / 5;
    let script = format!(
        "units lj\natom_style atomic\n{}\ncreate_box 2 box\n\
         create_atoms 1 random {na} {seed} NULL overlap 0.75 maxtry 1000\n\
         create_atoms 2 random {} {} NULL overlap 0.75 maxtry 1000\n\
         mass * 1.0\npair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n\
         pair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\n\
         neighbor 0.3 bin\nminimize 0 1e-6 2000 20000\nreset_timestep 0\n\
         velocity all create 2.0 {seed} mom yes rot yes\ntimestep 0.005\n\
         fix q all nvt temp 2.0 0.3 0.5\nrun {steps}\nunfix q\n\
         minimize 0 1e-10 20000 200000\n{OUTPUT}",
        region(shape, l),
        n - na,
        seed + 1,
    );
    lmp.run(dir, &script);
    dir.join("glass.data")
}

/// Mendelev Cu50Zr50 glass of `n` atoms (density 0.0576 Å⁻³), melted at 2000 K, quenched to
/// 300 K in `steps` fs steps and minimized. `None` (with a SKIP line) without lammps-data.
pub fn cuzr(
    lmp: &Lammps,
    dir: &Path,
    n: usize,
    seed: u32,
    shape: Shape,
    steps: usize,
) -> Option<PathBuf> {
    let pot = super::mendelev_cuzr()?;
    let l = (n as f64 / 0.0576).cbrt();
    let script = format!(
        "units metal\natom_style atomic\n{}\ncreate_box 2 box\n\
         create_atoms 1 random {} {seed} NULL overlap 2.0 maxtry 1000\n\
         create_atoms 2 random {} {} NULL overlap 2.0 maxtry 1000\n\
         pair_style eam/fs\npair_coeff * * {} Cu Zr\nneighbor 1.0 bin\n\
         minimize 0 1e-6 2000 20000\nreset_timestep 0\n\
         velocity all create 2000 {seed} mom yes rot yes\ntimestep 0.002\n\
         fix q all nvt temp 2000 300 0.1\nrun {steps}\nunfix q\n\
         minimize 0 1e-10 20000 200000\n{OUTPUT}",
        region(shape, l),
        n / 2,
        n - n / 2,
        seed + 1,
        pot.display(),
    );
    lmp.run(dir, &script);
    Some(dir.join("glass.data"))
}
