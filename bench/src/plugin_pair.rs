//! `pelkit bench plugin-pair`: LAMMPS NVE steps/s with `pair_style pelkit/eam` (the plugin)
//! next to LAMMPS' own `eam/fs` in the same run, same input, on 1 and 2 MPI ranks.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::anchor::{report, run_lammps};

#[derive(Args)]
pub struct PluginPairBenchArgs {
    /// fcc unit cells per box edge of the Cu50Zr50 crystal LAMMPS builds (4·n³ atoms):
    /// 23 → 48,668 atoms.
    #[arg(long, default_value_t = 23)]
    pub cells: usize,
    /// NVE steps timed per run (1 fs, from 600 K, default neighbor settings: skin 2 Å, every
    /// step with check).
    #[arg(long, default_value_t = 100)]
    pub steps: usize,
    /// Runs of each style per rank count, alternating; the fastest of each is reported.
    #[arg(long, default_value_t = 2)]
    pub repeat: usize,
    /// MPI rank counts, comma separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2])]
    pub ranks: Vec<usize>,
    /// The eam/fs file both styles read.
    #[arg(long, default_value_os_t = super::cuzr_glass::default_mendelev())]
    pub potential: PathBuf,
    /// The plugin (default: libpelkitplugin.so next to this pelkit executable, as
    /// `cargo build --release --workspace` puts it).
    #[arg(long)]
    pub plugin: Option<PathBuf>,
    /// Scratch directory for the LAMMPS inputs and logs.
    #[arg(long, default_value = "target/bench-plugin-pair")]
    pub dir: PathBuf,
}

/// One LAMMPS run: loop seconds, Pair seconds (timing breakdown, average over ranks) and the
/// "% CPU use" LAMMPS reports.
struct Timing {
    loop_time: Duration,
    pair_time: Duration,
    cpu_share: f64,
}

fn parse_timing(screen: &str) -> Result<Timing> {
    let line = screen
        .lines()
        .rev()
        .find(|l| l.starts_with("Loop time of"))
        .context("no 'Loop time of' line in the LAMMPS output")?;
    let loop_s: f64 = line
        .split_whitespace()
        .nth(3)
        .and_then(|t| t.parse().ok())
        .context("unreadable loop time")?;
    let pair_s = screen
        .lines()
        .rev()
        .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>())
        .find(|w| w.len() >= 3 && w[0] == "Pair")
        .and_then(|w| w[2].parse::<f64>().ok())
        .context("no Pair line in the LAMMPS timing breakdown")?;
    let cpu_share = screen
        .lines()
        .rev()
        .find(|l| l.contains("% CPU use"))
        .and_then(|l| l.split('%').next()?.trim().parse::<f64>().ok())
        .map_or(1.0, |p| p / 100.0);
    Ok(Timing {
        loop_time: Duration::from_secs_f64(loop_s),
        pair_time: Duration::from_secs_f64(pair_s),
        cpu_share,
    })
}

/// The plugin next to the running executable (target/release), or in its `deps/`.
fn default_plugin() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("locating the pelkit executable")?;
    let dir = exe.parent().context("executable has no directory")?;
    for candidate in [
        dir.join("libpelkitplugin.so"),
        dir.join("deps/libpelkitplugin.so"),
    ] {
        if candidate.exists() {
            return Ok(candidate);
        }
    }
    bail!(
        "libpelkitplugin.so not found next to {} (run `cargo build --release --workspace`, or \
         give --plugin)",
        exe.display()
    )
}

fn script(args: &PluginPairBenchArgs, plugin: &str, potential: &str, pair: &str) -> String {
    let n = args.cells;
    format!(
        "plugin load {plugin}\nunits metal\natom_style atomic\nlattice fcc 3.9\n\
         region box block 0 {n} 0 {n} 0 {n}\ncreate_box 2 box\ncreate_atoms 1 box\n\
         set type 1 type/fraction 2 0.5 8821\n\
         displace_atoms all random 0.1 0.1 0.1 4412 units box\n\
         pair_style {pair}\npair_coeff * * {potential} Cu Zr\n\
         velocity all create 600.0 4928459 mom yes rot no dist gaussian loop geom\n\
         fix nve all nve\ntimestep 0.001\nthermo {steps}\n\
         thermo_style custom step pe ke etotal press\nrun {steps}\n",
        steps = args.steps
    )
}

pub fn run(args: PluginPairBenchArgs) -> Result<()> {
    if !args.potential.exists() {
        bail!(
            "{} not found (apt-get install lammps-data, or give --potential)",
            args.potential.display()
        );
    }
    let plugin = match &args.plugin {
        Some(p) => p.clone(),
        None => default_plugin()?,
    };
    let plugin = std::path::absolute(&plugin)?;
    let potential = std::path::absolute(&args.potential)?;
    std::fs::create_dir_all(&args.dir)?;
    let natoms = 4 * args.cells.pow(3);
    println!(
        "LAMMPS NVE, Cu50Zr50 (Mendelev eam/fs), {natoms} atoms, {} steps; plugin {}",
        args.steps,
        plugin.display()
    );
    println!("(the machine may be shared: compare the two styles only within one run)");
    for &np in &args.ranks {
        let np = np.max(1);
        let mut best: [Option<Timing>; 2] = [None, None];
        for _ in 0..args.repeat.max(1) {
            for (k, pair) in ["eam/fs", "pelkit/eam"].iter().enumerate() {
                let dir = args.dir.join(format!("np{np}_{}", pair.replace('/', "_")));
                std::fs::create_dir_all(&dir)?;
                let input = script(
                    &args,
                    &plugin.display().to_string(),
                    &potential.display().to_string(),
                    pair,
                );
                let (_, screen) = run_lammps(&dir, &input, np)
                    .with_context(|| format!("LAMMPS with pair_style {pair} on {np} rank(s)"))?;
                let t = parse_timing(&screen)?;
                if best[k].as_ref().is_none_or(|b| t.loop_time < b.loop_time) {
                    best[k] = Some(t);
                }
            }
        }
        let [Some(lammps), Some(ours)] = best else {
            bail!("no timing");
        };
        let rate = |t: &Timing| args.steps as f64 / t.loop_time.as_secs_f64();
        println!(
            "  {np} rank(s): pelkit/eam {:.2} steps/s (Pair {:.2} s, {:.0}% CPU), LAMMPS eam/fs \
             {:.2} steps/s (Pair {:.2} s, {:.0}% CPU)",
            rate(&ours),
            ours.pair_time.as_secs_f64(),
            100.0 * ours.cpu_share,
            rate(&lammps),
            lammps.pair_time.as_secs_f64(),
            100.0 * lammps.cpu_share
        );
        report(
            &format!("NVE {natoms} atoms, {np} rank(s), loop time"),
            ours.loop_time,
            "LAMMPS eam/fs",
            lammps.loop_time,
        );
        // On a loaded machine wall time mostly measures the load; CPU time (wall × LAMMPS'
        // "% CPU use") much less so (with 2 ranks it includes MPI's busy waiting).
        let cpu = |t: &Timing| t.loop_time.mul_f64(t.cpu_share);
        report(
            &format!("NVE {natoms} atoms, {np} rank(s), loop CPU time"),
            cpu(&ours),
            "LAMMPS eam/fs",
            cpu(&lammps),
        );
        report(
            &format!("NVE {natoms} atoms, {np} rank(s), Pair time"),
            ours.pair_time,
            "LAMMPS eam/fs",
            lammps.pair_time,
        );
    }
    Ok(())
}
