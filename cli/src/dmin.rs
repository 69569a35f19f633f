//! `pelkit dmin`: exact inherent-structure minimal displacement D_min between two configurations,
//! or along a trajectory (`--series`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use pelkit::analysis::dmin::{is_dmin, series_pairs, DminOptions, DminResult, SeriesMode};
use pelkit::io::dump::{write_dump_system, DumpFile};
use pelkit::System;

use pelkit::io::read_configuration;

/// Inherent-structure minimal displacement D_min (Yu et al.): the RMS displacement between two
/// configurations after the best relabelling of identical atoms,
/// D_min = [ (1/N) min_σ Σ_i |r_σ(i)(CUR) − r_i(REF)|² ]^½, in the length unit of the files.
///
/// Distances use the minimum image of the (shared) periodic box, orthogonal or triclinic. Atoms
/// are paired by id for the labelled RMSD; by default only atoms of the same type may be
/// relabelled (--all-types lets all atoms swap). The assignment is solved exactly: a sparse
/// shortest-augmenting-path solver on near neighbours plus a dual certificate that no farther
/// pair can improve the result (candidate radii grow until the proof holds). REF and CUR are data
/// files or dumps (last frame), with the same atom ids, type counts and box.
///
/// --json prints {"dmin","rmsd","natoms","reassigned","optimality_certified"} (plus
/// "gap_bound", the floating-point bound on the optimality gap in squared length).
/// -o writes a dump of REF's atoms sorted by id with columns `partner dx dy dz d2`: the id of the
/// CUR atom assigned to each atom, its minimal displacement vector and its square.
///
/// --series TRAJ: D_min of frames of a dump: frame k against frame k−1 (default), frame k−lag
/// (--lag), or frame 0 (--to-first); one line "ref_frame cur_frame ref_step cur_step dmin rmsd
/// reassigned" per pair, or with --json one object with arrays.
#[derive(Args)]
pub struct DminArgs {
    /// Reference configuration (data file or dump).
    #[arg(required_unless_present = "series")]
    pub reference: Option<PathBuf>,
    /// Current configuration (data file or dump).
    #[arg(required_unless_present = "series")]
    pub current: Option<PathBuf>,
    /// Multi-frame dump of inherent structures for a D_min series.
    #[arg(long, conflicts_with_all = ["reference", "current", "output"])]
    pub series: Option<PathBuf>,
    /// Series: compare frame k with frame k − LAG (default 1: the previous frame).
    #[arg(long, requires = "series", conflicts_with = "to_first")]
    pub lag: Option<usize>,
    /// Series: compare every frame with the first.
    #[arg(long, requires = "series")]
    pub to_first: bool,
    /// Let atoms of different types be relabelled into each other.
    #[arg(long)]
    pub all_types: bool,
    /// Per-atom output dump (sorted by id): partner dx dy dz d2.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: DminArgs) -> Result<()> {
    let opts = DminOptions {
        all_types: args.all_types,
        ..DminOptions::default()
    };
    if let Some(traj) = &args.series {
        let mode = if args.to_first {
            SeriesMode::ToFirst
        } else {
            SeriesMode::Lag(args.lag.unwrap_or(1))
        };
        return run_series(traj, mode, &opts, args.json);
    }
    let (Some(rp), Some(cp)) = (&args.reference, &args.current) else {
        bail!("give REF and CUR, or --series TRAJ");
    };
    let reference = read_configuration(rp, None)?;
    let current = read_configuration(cp, None)?;
    let r = is_dmin(&reference, &current, &opts)
        .with_context(|| format!("D_min of {} against {}", cp.display(), rp.display()))?;
    if let Some(out) = &args.output {
        write_per_atom(out, &reference, &r)?;
    }
    if args.json {
        println!(
            "{}",
            json!({
                "dmin": r.dmin,
                "rmsd": r.rmsd,
                "natoms": r.natoms,
                "reassigned": r.reassigned,
                "optimality_certified": r.optimality_certified,
                "gap_bound": r.gap_bound,
            })
        );
    } else {
        println!("D_min      {:.10e}", r.dmin);
        println!("RMSD       {:.10e}  (labelled, same atom ids)", r.rmsd);
        println!("atoms      {}", r.natoms);
        println!("reassigned {}", r.reassigned);
        println!(
            "optimality {}",
            if r.optimality_certified {
                "certified"
            } else {
                "NOT certified"
            }
        );
    }
    if !r.optimality_certified {
        bail!(
            "the optimality certificate failed (gap bound {:e})",
            r.gap_bound
        );
    }
    Ok(())
}

fn write_per_atom(path: &Path, reference: &System, r: &DminResult) -> Result<()> {
    // Results are in ascending id order; the dump writer takes the system's atom order.
    let order = reference.order_by_id();
    let n = reference.natoms();
    let mut cols = vec![vec![0.0; n]; 5];
    for (k, &i) in order.iter().enumerate() {
        let d = r.displacements[k];
        cols[0][i] = r.partner_ids[k] as f64;
        cols[1][i] = d[0];
        cols[2][i] = d[1];
        cols[3][i] = d[2];
        cols[4][i] = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }
    let extra: Vec<(&str, &[f64])> = ["partner", "dx", "dy", "dz", "d2"]
        .iter()
        .zip(&cols)
        .map(|(name, c)| (*name, c.as_slice()))
        .collect();
    write_dump_system(path, reference, 0, &extra)?;
    Ok(())
}

/// One line of a series: ref frame, cur frame, their timesteps, D_min, RMSD, reassigned.
type SeriesRow = (usize, usize, u64, u64, f64, f64, usize);

fn run_series(traj: &Path, mode: SeriesMode, opts: &DminOptions, json: bool) -> Result<()> {
    let dump = DumpFile::open(traj)?;
    if let Some(e) = dump.truncated() {
        eprintln!("warning: {e} (the cut-off last frame is skipped)");
    }
    let pairs = series_pairs(dump.frames(), mode);
    if pairs.is_empty() {
        bail!(
            "{}: {} frames give no pair for this series",
            traj.display(),
            dump.frames()
        );
    }
    let bar = ProgressBar::new(pairs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pairs  {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Frames are read when first needed and dropped when no later pair uses them.
    let mut cache: std::collections::BTreeMap<usize, (u64, System)> = Default::default();
    let mut rows: Vec<SeriesRow> = Vec::with_capacity(pairs.len());
    for (p, &(a, b)) in pairs.iter().enumerate() {
        for k in [a, b] {
            if let std::collections::btree_map::Entry::Vacant(e) = cache.entry(k) {
                let frame = dump.frame(k)?;
                let step = frame.timestep;
                let sys = frame
                    .to_system()
                    .with_context(|| format!("{}: frame {k}", traj.display()))?;
                e.insert((step, sys));
            }
        }
        let (ra, rb) = (&cache[&a], &cache[&b]);
        let r = is_dmin(&ra.1, &rb.1, opts)
            .with_context(|| format!("{}: frame {b} against frame {a}", traj.display()))?;
        if !r.optimality_certified {
            bail!("frame {b} against {a}: the optimality certificate failed");
        }
        rows.push((a, b, ra.0, rb.0, r.dmin, r.rmsd, r.reassigned));
        let still_needed: Vec<usize> = pairs[p + 1..].iter().flat_map(|&(x, y)| [x, y]).collect();
        cache.retain(|k, _| still_needed.contains(k));
        bar.inc(1);
    }
    bar.finish_and_clear();
    if json {
        let col =
            |f: &dyn Fn(&SeriesRow) -> serde_json::Value| rows.iter().map(f).collect::<Vec<_>>();
        println!(
            "{}",
            json!({
                "ref_frame": col(&|r| json!(r.0)),
                "cur_frame": col(&|r| json!(r.1)),
                "ref_step": col(&|r| json!(r.2)),
                "cur_step": col(&|r| json!(r.3)),
                "dmin": col(&|r| json!(r.4)),
                "rmsd": col(&|r| json!(r.5)),
                "reassigned": col(&|r| json!(r.6)),
                "optimality_certified": true,
            })
        );
    } else {
        println!("# ref_frame cur_frame ref_step cur_step dmin rmsd reassigned");
        for r in rows {
            println!(
                "{} {} {} {} {:.10e} {:.10e} {}",
                r.0, r.1, r.2, r.3, r.4, r.5, r.6
            );
        }
    }
    Ok(())
}
