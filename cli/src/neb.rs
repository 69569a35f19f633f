//! `pelkit neb`: climbing-image NEB between two minima (as LAMMPS `neb` + `fix neb`), the
//! path's C, L and C/L, an energy-profile plot; and the path re-rendered under shear strains
//! (ΔE_A per strain), for one pair of end points or every event saved by `pelkit art`.

use pelkit::units::Units;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use super::common::{load, progress_bar, RelaxArgs};
use super::pair_args::PairArgs;
use super::plot::{render, SeriesStyle, XyPlot, XySeries};

use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::saddle::fire_flat::FlatFireSettings;
use pelkit::engine::saddle::neb::{neb, NebSettings};
use pelkit::engine::saddle::SaddleError;
use pelkit::protocol::strained_barriers::{barriers_under_shear, StrainedBarrier};

#[derive(Args)]
#[command(after_help = "\
Conventions (LAMMPS neb with `fix neb KSPRING parallel neigh`): --images counts all replicas
including both end points; the band starts as a linear interpolation (minimum image per atom);
the end points are not relaxed (give minima). Ordinary images feel the true force without its
tangent component plus K(|R+ − R| − |R − R−|) along the improved tangent; the highest image
climbs (F − 2(F·τ)τ) after the plain band converged or --climb-after iterations. Converged when
the largest per-image force 2-norm is ≤ --ftol. Energies are totals; EBF = max E − E_first,
EBR = max E − E_last. C = Σ|R_{i+1} − R_i| and L = |R_last − R_first| in configuration space.

Safeguard: the band counts as diverged when an energy or force is not finite, the largest image
spacing grows 10× past its start, the largest image force 100×, or the highest image rises 10×
past the start's energy scale; it then restarts from the initial band with the FIRE step halved
(3 times at most, each noted on stderr) and otherwise stops with an error naming what grew.

--strains 0.02,0.04: shear both end points affinely (xy, engineering strain), relax them with CG
(--relax-ftol) and rerun the NEB at each strain; prints E_A(γ) and ΔE_A = E_A(γ) − E_A(0).
--events-dir DIR (from `pelkit art --save-dir`): B is every final_K.data there, A is
DIR/initial.data; with --strains this is seed 001's Fig. 3a protocol, table to -o.

Examples:
  pelkit neb initial.data final.data --pair-style eam/alloy --pair-coeff '* * Cu.eam.alloy Cu' \\
    --images 9 -o path.csv --plot profile.png
  pelkit neb --events-dir events/ --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    --strains 0.02,0.04,0.06 -o strained.csv")]
pub struct NebArgs {
    /// Initial minimum (data or dump).
    pub a: Option<PathBuf>,
    /// Final minimum; same atoms (ids, in the same order) as A.
    pub b: Option<PathBuf>,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Replicas including both end points (≥ 3).
    #[arg(long, default_value_t = 9)]
    pub images: usize,
    /// Spring constant (force/distance units).
    #[arg(long, default_value_t = 1.0)]
    pub kspring: f64,
    /// No climbing image (plain NEB).
    #[arg(long)]
    pub no_climb: bool,
    /// Convergence: largest per-image force 2-norm (force units).
    #[arg(long, default_value_t = 1e-3)]
    pub ftol: f64,
    #[arg(long, default_value_t = 20_000)]
    pub max_iter: usize,
    #[arg(long, default_value_t = 2000)]
    pub climb_after: usize,
    /// FIRE timestep of the band (unit masses: distance = force·time²) and step limit.
    #[arg(long)]
    pub dt: Option<f64>,
    /// Re-render under these xy shear strains (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub strains: Vec<f64>,
    // --relax-ftol: the end points at each strain.
    #[command(flatten)]
    pub relax: RelaxArgs,
    /// Directory written by `pelkit art --save-dir`.
    #[arg(long)]
    pub events_dir: Option<PathBuf>,
    /// Path table (image, reaction coordinate, energy) or, with --strains, the strain table.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Write image_K.data of the converged band here.
    #[arg(long)]
    pub save_dir: Option<PathBuf>,
    /// Energy profile E − E_first vs reaction coordinate (.png or .svg).
    #[arg(long)]
    pub plot: Option<PathBuf>,
    #[arg(long)]
    pub skin: Option<f64>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

fn neb_settings(args: &NebArgs, units: Units) -> NebSettings {
    let mut s = NebSettings::for_units(args.images, units);
    s.kspring = args.kspring;
    s.climb = !args.no_climb;
    s.force_tol = args.ftol;
    s.max_iter = args.max_iter;
    s.climb_after = args.climb_after;
    if let Some(dt) = args.dt {
        s.fire = FlatFireSettings::new(dt, s.fire.max_step);
    }
    s
}

fn event_finals(dir: &Path) -> Result<Vec<(usize, PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let p = e?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(k) = name
            .strip_prefix("final_")
            .and_then(|r| r.strip_suffix(".data"))
        {
            if let Ok(k) = k.parse::<usize>() {
                out.push((k, p));
            }
        }
    }
    out.sort();
    if out.is_empty() {
        bail!(
            "{}: no final_K.data files (written by `pelkit art --save-dir`)",
            dir.display()
        );
    }
    Ok(out)
}

pub fn run(args: NebArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let (a_path, finals): (PathBuf, Vec<(usize, PathBuf)>) =
        match (&args.events_dir, &args.a, &args.b) {
            (Some(d), None, None) => (d.join("initial.data"), event_finals(d)?),
            (None, Some(a), Some(b)) => (a.clone(), vec![(0, b.clone())]),
            _ => bail!("give either two end points A B or --events-dir DIR"),
        };
    let (a, provider) = load(&a_path, &args.pair, units, args.skin)?;
    let potential = provider.potential().clone();
    let skin = args.skin.unwrap_or(units.default_skin());
    let make = || PotentialProvider::new(potential.clone(), skin).map_err(SaddleError::from);
    let s = neb_settings(&args, units);
    let t0 = std::time::Instant::now();
    let pool = match args.run.threads {
        Some(n) => rayon::ThreadPoolBuilder::new().num_threads(n).build()?,
        None => rayon::ThreadPoolBuilder::new().build()?,
    };
    if !args.strains.is_empty() || args.events_dir.is_some() {
        let min = args.relax.settings();
        let bar = progress_bar(
            args.run.quiet,
            finals.len() as u64,
            "paths under shear {bar:30} {pos}/{len} ({eta})",
        );
        let mut rows: Vec<(usize, StrainedBarrier)> = Vec::new();
        for (k, bp) in &finals {
            let (b, _) = load(bp, &args.pair, units, args.skin)?;
            let list =
                pool.install(|| barriers_under_shear(&a, &b, &args.strains, make, &s, &min, 1e-3))?;
            rows.extend(list.into_iter().map(|r| (*k, r)));
            bar.inc(1);
        }
        bar.finish_and_clear();
        if let Some(path) = &args.output {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("creating {}", path.display()))?,
            );
            writeln!(f, "event,gamma,e_a,delta_e_a,contour_length,end_to_end,tortuosity,converged,path_persists")?;
            for (k, r) in &rows {
                writeln!(
                    f,
                    "{k},{},{},{},{},{},{},{},{}",
                    r.gamma,
                    r.e_a,
                    r.delta_e_a,
                    r.contour_length,
                    r.end_to_end,
                    r.tortuosity,
                    r.converged as u8,
                    r.path_persists as u8
                )?;
            }
        }
        let wall = t0.elapsed().as_secs_f64();
        if args.json {
            println!(
                "{}",
                serde_json::json!({
                    "paths": finals.len(),
                    "rows": rows.iter().map(|(k, r)| serde_json::json!({"event": k, "result": r})).collect::<Vec<_>>(),
                    "wall_seconds": wall,
                })
            );
        } else {
            for (k, r) in &rows {
                println!(
                    "event {k} γ = {:.4}: E_A = {:.6}, ΔE_A = {:+.6}, C/L = {:.3}{}",
                    r.gamma,
                    r.e_a,
                    r.delta_e_a,
                    r.tortuosity,
                    if r.path_persists {
                        ""
                    } else {
                        " (path vanished)"
                    }
                );
            }
            println!("{} paths in {wall:.1} s", finals.len());
        }
        return Ok(());
    }
    let (b, _) = load(&finals[0].1, &args.pair, units, args.skin)?;
    let r = pool.install(|| neb(&a, &b, make, &s))?;
    let wall = t0.elapsed().as_secs_f64();
    if let Some(path) = &args.output {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        writeln!(f, "image,reaction_coordinate,energy,energy_minus_first")?;
        for (k, (x, e)) in r.reaction_coordinate.iter().zip(&r.energies).enumerate() {
            writeln!(f, "{k},{x},{e},{}", e - r.energies[0])?;
        }
    }
    if let Some(dir) = &args.save_dir {
        std::fs::create_dir_all(dir)?;
        for (k, img) in r.images.iter().enumerate() {
            pelkit::io::data::write_data(&dir.join(format!("image_{k}.data")), img)?;
        }
    }
    if let Some(p) = &args.plot {
        let pts: Vec<(f64, f64)> = r
            .reaction_coordinate
            .iter()
            .zip(&r.energies)
            .map(|(x, e)| (*x, e - r.energies[0]))
            .collect();
        let mut plot = XyPlot::new(
            format!(
                "MEP: E_A = {:.4}, C/L = {:.3}",
                r.barrier_forward, r.path.tortuosity
            ),
            "reaction coordinate (configuration-space distance)",
            "E − E_initial",
        );
        plot.series
            .push(XySeries::new("NEB images", pts, SeriesStyle::LinePoints));
        plot.h_lines.push(0.0);
        render(p, (800, 560), &plot)?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "natoms": a.natoms(),
                "images": r.energies.len(),
                "barrier_forward": r.barrier_forward,
                "barrier_reverse": r.barrier_reverse,
                "energies": r.energies,
                "reaction_coordinate": r.reaction_coordinate,
                "climbing_image": r.climbing_image,
                "converged": r.converged,
                "max_image_force": r.max_image_force,
                "iterations": r.iterations,
                "restarts": r.divergences.len(),
                "divergences": r.divergences,
                "contour_length": r.path.contour_length,
                "end_to_end": r.path.end_to_end,
                "tortuosity": r.path.tortuosity,
                "wall_seconds": wall,
            })
        );
    } else {
        println!(
            "EBF {:.6} EBR {:.6}  C {:.4} L {:.4} C/L {:.4}  {} iterations{} in {wall:.2} s",
            r.barrier_forward,
            r.barrier_reverse,
            r.path.contour_length,
            r.path.end_to_end,
            r.path.tortuosity,
            r.iterations,
            if r.converged { "" } else { " (NOT converged)" }
        );
    }
    for d in &r.divergences {
        eprintln!(
            "note: the band diverged at iteration {} (FIRE dt {:.3e}): {}; restarted with half the step",
            d.iteration, d.dt, d.reason
        );
    }
    if !r.converged {
        eprintln!(
            "warning: the band did not converge to --ftol {} (largest image force {:.3e})",
            args.ftol, r.max_image_force
        );
    }
    Ok(())
}
