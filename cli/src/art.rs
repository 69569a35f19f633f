//! `pelkit art`: ART nouveau events from a relaxed configuration (optionally sheared first),
//! with an optional climbing-image NEB per distinct saddle for the path's C, L and C/L.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use super::common::{in_pool, load, progress_bar, RelaxArgs};
use super::minimize::strain_ops;
use super::pair_args::PairArgs;

use pelkit::engine::deform::change_box;
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::saddle::art::{art_events, Activation, ArtEvent, ArtSettings, ArtStatus};
use pelkit::engine::saddle::neb::{interpolate, interpolate_via, neb_from_images, NebSettings};
use pelkit::engine::saddle::SaddleError;

#[derive(Args)]
#[command(after_help = "\
Conventions: energies are totals in the potential's units (eV in metal); E_A = E_saddle −
E_initial, E_back = E_saddle − E_final. A saddle is converged when the Euclidean norm of the 3N
force vector is ≤ --force-tol and the lowest Hessian eigenvalue (Lanczos, rigid translations
projected out) is negative. Events that never reach negative curvature are counted as no_exit,
not errors. Event k starts from atom (k mod #atoms) of --atoms (ids), with a random local
displacement seeded by (--seed, k): results do not depend on the thread count.

events.csv columns: event, atom_id, status (found|no_exit|saddle_not_converged), e_initial,
e_saddle, e_final, e_a, e_back, lambda_saddle (eV/Å²), saddle_fnorm, saddle_distance,
final_distance (configuration-space distances, Å), connected (the other side returns to the
start), final_is_initial, same_as (first event with the same saddle, -1 if new),
force_evaluations, neb_e_a, contour_length, end_to_end, tortuosity (NEB columns when
--neb-images > 0 and the band converged to --neb-ftol, else empty), neb_converged (0 also when
the band diverged: it restarted with a halved FIRE step up to 3 times and still ran away; the
reason is printed on stderr), back_distance, back_de, back_max_move (the minimum the other side
relaxed to against the start: configuration distance, energy difference, largest single-atom
move).

Example (a Cu–Zr glass, 200 events, NEB per distinct saddle, γ = 0.06 pre-shear):
  pelkit art glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
    --events 200 --neb-images 9 --shear xy=0.06 -o events.csv --save-dir events/")]
pub struct ArtArgs {
    /// Configuration (LAMMPS data or dump); relaxed with CG (--relax-ftol) before the events.
    pub input: PathBuf,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Number of events.
    #[arg(long, default_value_t = 100)]
    pub events: usize,
    /// Starting atoms as ids: `1,5,10-20` (default: all atoms, in id order).
    #[arg(long)]
    pub atoms: Option<String>,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Saddle convergence: Euclidean norm of the 3N force (force units). Default 0.01 (metal
    /// eV/Å), 0.01 (lj).
    #[arg(long)]
    pub force_tol: Option<f64>,
    /// Radius of the initial local displacement (distance units). Default 3.5 Å / 1.5 σ.
    #[arg(long)]
    pub local_radius: Option<f64>,
    /// Lowest eigenvalue that starts activation (energy/distance², ARTn's
    /// EIGENVALUE_THRESHOLD). Default −1 eV/Å² (metal) / −0.5 ε/σ² (lj).
    #[arg(long)]
    pub eigen_threshold: Option<f64>,
    /// A saddle is accepted only with its lowest eigenvalue below this (energy/distance², ≤ 0).
    /// Default −0.01 eV/Å² (metal) / −0.5 ε/σ² (lj).
    #[arg(long)]
    pub saddle_eigen_max: Option<f64>,
    /// Lanczos (basin exit and activation) acts only on the atoms within this distance of the
    /// event's atom in the initial minimum (distance units; must be ≥ the displaced region's
    /// radius, 3.5 Å metal / 1.5 σ lj). Default/0: the whole system. On a Cu–Zr glass the
    /// whole-system mode follows the glass's softest spots far from the event (meV saddles);
    /// 8 Å gave local eV-scale saddles in a first trial (docs/saddle.md).
    #[arg(long)]
    pub mode_radius: Option<f64>,
    /// Activation scheme: `lbfgs` (L-BFGS on the min-mode force F − 2(F·v)v, as the dimer
    /// method), `newton` (per Lanczos one step along the lowest mode to the maximum of its
    /// quadratic model, capped at the push step, then --perp-steps FIRE steps on the
    /// perpendicular force; ARTn) or `fire` (one FIRE step on F − 2(F·v)v per Lanczos, sessions
    /// 1–6). Default `lbfgs` (metal and lj): on a Cu–Zr glass with --mode-radius 8 it converged
    /// 9 of 12 events where `fire` converged 3 and `newton` 5 (docs/saddle.md, session 7).
    #[arg(long, value_parser = ["newton", "fire", "lbfgs"])]
    pub activation: Option<String>,
    /// FIRE steps of perpendicular relaxation per Lanczos in `--activation newton` (default 1;
    /// more relaxed the glass back into the basin before the saddle).
    #[arg(long)]
    pub perp_steps: Option<usize>,
    /// Activation iterations (one Lanczos each) before the event counts as not converged.
    #[arg(long)]
    pub max_activation_steps: Option<usize>,
    /// Lanczos convergence: relative change of the lowest Ritz value (default 1e-4; pARTn 1e-2).
    #[arg(long)]
    pub lanczos_tol: Option<f64>,
    /// Smallest Lanczos Krylov dimension (default 2; pARTn 3).
    #[arg(long)]
    pub lanczos_min: Option<usize>,
    // --relax-ftol: the initial and side relaxations.
    #[command(flatten)]
    pub relax: RelaxArgs,
    /// Affine strain before relaxing, as `pelkit minimize --shear` (e.g. `xy=0.06`).
    #[arg(long)]
    pub shear: Vec<String>,
    /// Images (incl. end points) of a climbing-image NEB run per distinct found saddle joined
    /// to the start (`connected`) from the initial to the final minimum; 0 = no NEB. An odd
    /// number starts the band through the event's saddle (the middle image; linear on each
    /// side) so that it relaxes onto this event's path; an even number starts from the straight
    /// line.
    #[arg(long, default_value_t = 0)]
    pub neb_images: usize,
    /// NEB spring constant (force/distance) and convergence (largest per-image force 2-norm).
    #[arg(long, default_value_t = 1.0)]
    pub kspring: f64,
    #[arg(long, default_value_t = 0.005)]
    pub neb_ftol: f64,
    /// Events table (CSV).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Write initial.data and saddle_K.data / final_K.data of each distinct saddle here.
    #[arg(long)]
    pub save_dir: Option<PathBuf>,
    #[arg(long)]
    pub skin: Option<f64>,
    /// Print one JSON object (counts, E_A statistics, wall time, events/s).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

/// Parse `1,5,10-20` into atom indices of `ids`.
pub fn parse_atoms(text: &str, ids: &[u64]) -> Result<Vec<usize>> {
    let index: std::collections::HashMap<u64, usize> =
        ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let lo: u64 = lo
            .parse()
            .with_context(|| format!("--atoms: '{part}' is not an id or id range"))?;
        let hi: u64 = hi
            .parse()
            .with_context(|| format!("--atoms: '{part}' is not an id or id range"))?;
        if hi < lo {
            bail!("--atoms: range '{part}' is empty");
        }
        for id in lo..=hi {
            match index.get(&id) {
                Some(&i) => out.push(i),
                None => bail!("--atoms: atom id {id} is not in the configuration"),
            }
        }
    }
    if out.is_empty() {
        bail!("--atoms '{text}' selects no atoms");
    }
    Ok(out)
}

fn csv_f(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.10}")
    } else {
        String::new()
    }
}

pub fn run(args: ArtArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let (mut sys, mut provider) = load(&args.input, &args.pair, units, args.skin)?;
    let ops = strain_ops(&mut sys, &args.shear)?;
    if !ops.is_empty() {
        change_box(&mut sys, &ops, true).context("applying --shear")?;
    }
    let mut s = ArtSettings::for_units(units);
    if let Some(v) = args.force_tol {
        s.force_tol = v;
    }
    if let Some(v) = args.local_radius {
        s.local_radius = v;
    }
    if let Some(v) = args.eigen_threshold {
        s.eigen_threshold = v;
    }
    if let Some(v) = args.saddle_eigen_max {
        s.saddle_eigen_max = v;
    }
    if let Some(r) = args.mode_radius {
        s.mode_radius = (r > 0.0).then_some(r);
    }
    let perp_default = match s.activation {
        Activation::NewtonPerp { perp_steps } => perp_steps,
        Activation::ModifiedForce | Activation::Lbfgs { .. } => Activation::DEFAULT_PERP_STEPS,
    };
    match args.activation.as_deref() {
        Some("fire") => s.activation = Activation::ModifiedForce,
        Some("lbfgs") => {
            s.activation = Activation::Lbfgs {
                memory: Activation::DEFAULT_LBFGS_MEMORY,
            }
        }
        Some(_) => {
            s.activation = Activation::NewtonPerp {
                perp_steps: args.perp_steps.unwrap_or(perp_default),
            }
        }
        None => {
            if let (Some(p), Activation::NewtonPerp { perp_steps }) =
                (args.perp_steps, &mut s.activation)
            {
                *perp_steps = p;
            }
        }
    }
    if let Some(v) = args.max_activation_steps {
        s.max_activation_steps = v;
    }
    if let Some(v) = args.lanczos_tol {
        s.lanczos.tol = v;
    }
    if let Some(v) = args.lanczos_min {
        s.lanczos.min_iter = v;
    }
    s.minimize = args.relax.settings();
    s.validate()?;
    let atoms = match &args.atoms {
        Some(t) => parse_atoms(t, &sys.ids)?,
        None => sys.order_by_id(),
    };
    let potential = provider.potential().clone();
    let skin = args.skin.unwrap_or(units.default_skin());
    let make = || PotentialProvider::new(potential.clone(), skin).map_err(SaddleError::from);
    let t0 = std::time::Instant::now();
    type Path = std::result::Result<pelkit::engine::saddle::neb::NebResult, String>;
    let job = || -> Result<(Vec<ArtEvent>, Vec<Option<Path>>)> {
        minimize_cg(&mut sys, &mut provider, &s.minimize).context("relaxing the input")?;
        let bar = progress_bar(
            args.run.quiet,
            args.events as u64,
            "ART events {bar:30} {pos}/{len} ({per_sec}, eta {eta})",
        );
        let events = art_events(&sys, make, &atoms, args.events, args.seed, &s, &|| {
            bar.inc(1)
        })?;
        bar.finish_and_clear();
        let mut nebs = vec![None; events.len()];
        if args.neb_images > 0 {
            let todo: Vec<usize> = (0..events.len())
                .filter(|&k| {
                    // Only a saddle joined to the start lies on a path between the initial and
                    // the final minimum (an unjoined one sits between two other minima).
                    events[k].status == ArtStatus::Found
                        && events[k].same_as.is_none()
                        && !events[k].final_is_initial
                        && events[k].connected
                })
                .collect();
            let bar = progress_bar(
                args.run.quiet,
                todo.len() as u64,
                "NEB paths {bar:30} {pos}/{len} ({eta})",
            );
            let mut ns = NebSettings::metal(args.neb_images);
            ns.kspring = args.kspring;
            ns.force_tol = args.neb_ftol;
            ns.fire = s.fire.clone();
            for k in todo {
                let fin = events[k]
                    .final_state
                    .as_ref()
                    .context("final state missing")?;
                // A band that runs away (after the safeguard's restarts) is one failed path,
                // recorded as neb_converged = 0, not the end of the campaign.
                let sad = events[k].saddle.as_ref().context("saddle missing")?;
                let band = if args.neb_images % 2 == 1 {
                    interpolate_via(&sys, sad, fin, args.neb_images)?
                } else {
                    interpolate(&sys, fin, args.neb_images)?
                };
                nebs[k] = Some(match neb_from_images(band, make, &ns) {
                    Ok(r) => Ok(r),
                    Err(SaddleError::NebDiverged(msg)) => {
                        bar.suspend(|| eprintln!("event {}: {msg}", events[k].event));
                        Err(msg)
                    }
                    Err(e) => return Err(e.into()),
                });
                bar.inc(1);
            }
            bar.finish_and_clear();
        }
        Ok((events, nebs))
    };
    let (events, nebs) = in_pool(args.run.threads, job)??;
    let wall = t0.elapsed().as_secs_f64();
    if let Some(dir) = &args.save_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        pelkit::io::data::write_data(&dir.join("initial.data"), &sys)?;
        for ev in events
            .iter()
            .filter(|e| e.status == ArtStatus::Found && e.same_as.is_none())
        {
            if let (Some(sd), Some(fi)) = (&ev.saddle, &ev.final_state) {
                pelkit::io::data::write_data(&dir.join(format!("saddle_{}.data", ev.event)), sd)?;
                pelkit::io::data::write_data(&dir.join(format!("final_{}.data", ev.event)), fi)?;
            }
        }
    }
    if let Some(path) = &args.output {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        writeln!(f, "event,atom_id,status,e_initial,e_saddle,e_final,e_a,e_back,lambda_saddle,saddle_fnorm,saddle_distance,final_distance,connected,final_is_initial,same_as,force_evaluations,neb_e_a,contour_length,end_to_end,tortuosity,neb_converged,back_distance,back_de,back_max_move")?;
        for (ev, nb) in events.iter().zip(&nebs) {
            // A band that did not converge to --neb-ftol gives no path geometry.
            let (ne, c, l, t) = match nb
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .filter(|r| r.converged)
            {
                Some(r) => (
                    r.barrier_forward,
                    r.path.contour_length,
                    r.path.end_to_end,
                    r.path.tortuosity,
                ),
                None => (f64::NAN, f64::NAN, f64::NAN, f64::NAN),
            };
            writeln!(
                f,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                ev.event,
                ev.atom_id,
                ev.status.as_str(),
                csv_f(ev.e_initial),
                csv_f(ev.e_saddle),
                csv_f(ev.e_final),
                csv_f(ev.e_a),
                csv_f(ev.e_back),
                csv_f(ev.lambda_saddle),
                csv_f(ev.saddle_fnorm),
                csv_f(ev.saddle_distance),
                csv_f(ev.final_distance),
                ev.connected as u8,
                ev.final_is_initial as u8,
                ev.same_as.map(|v| v as i64).unwrap_or(-1),
                ev.force_evaluations,
                csv_f(ne),
                csv_f(c),
                csv_f(l),
                csv_f(t),
                match nb {
                    Some(Ok(r)) => (r.converged as u8).to_string(),
                    Some(Err(_)) => "0".to_string(),
                    None => String::new(),
                },
                csv_f(ev.back_distance),
                csv_f(ev.back_de),
                csv_f(ev.back_max_move),
            )?;
        }
    }
    let count = |st: ArtStatus| events.iter().filter(|e| e.status == st).count();
    let found = count(ArtStatus::Found);
    let distinct = events
        .iter()
        .filter(|e| e.status == ArtStatus::Found && e.same_as.is_none())
        .count();
    let ea: Vec<f64> = events
        .iter()
        .filter(|e| e.status == ArtStatus::Found && e.same_as.is_none())
        .map(|e| e.e_a)
        .collect();
    let mean = ea.iter().sum::<f64>() / ea.len().max(1) as f64;
    let evals: usize = events.iter().map(|e| e.force_evaluations).sum();
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "natoms": sys.natoms(),
                "events": events.len(),
                "found": found,
                "distinct_saddles": distinct,
                "no_exit": count(ArtStatus::NoExit),
                "saddle_not_converged": count(ArtStatus::SaddleNotConverged),
                "connected": events.iter().filter(|e| e.connected).count(),
                "neb_paths": nebs.iter().filter(|n| n.is_some()).count(),
                "neb_converged": nebs.iter().filter(|n| matches!(n, Some(Ok(r)) if r.converged)).count(),
                "neb_diverged": nebs.iter().filter(|n| matches!(n, Some(Err(_)))).count(),
                "mean_e_a": if ea.is_empty() { serde_json::Value::Null } else { serde_json::json!(mean) },
                "force_evaluations": evals,
                "wall_seconds": wall,
                "events_per_second": events.len() as f64 / wall,
            })
        );
    } else {
        println!(
            "{} events on {} atoms in {:.1} s ({:.2} events/s): {} found ({} distinct saddles, mean E_A {:.4}), {} never left the basin, {} saddles not converged",
            events.len(), sys.natoms(), wall, events.len() as f64 / wall, found, distinct, mean,
            count(ArtStatus::NoExit), count(ArtStatus::SaddleNotConverged)
        );
    }
    Ok(())
}
