//! `pelkit probe`: single-atom probes of the constraining force field (seed 000 §2.3–2.4,
//! §4.2–4.4) on chosen atoms or the whole sample: per-atom Ω(dE_atom < 0)/4π, min dE_atom and
//! dr(δE_atom^min), a JSON summary, explicit probe lists, and the seed's figures.

mod plot;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use super::common::in_pool;
use serde_json::{json, Value};

use super::pair_args::PairArgs;

use pelkit::analysis::probe::directions::DirectionSet;
use pelkit::analysis::probe::per_atom::ScanOptions;
use pelkit::analysis::probe::{
    input_checks, scan_atoms, Directions, LocalProbe, OmegaStats, ScanResult,
};
use pelkit::io::dump::{write_dump, DumpFrame};
use pelkit::io::read_configuration;
use pelkit::System;

#[derive(Args)]
#[command(after_help = "\
Conventions: theta is the polar angle from +z, phi the azimuth from +x; the probe moves one
atom by dr*(sin(theta)cos(phi), sin(theta)sin(phi), cos(theta)) with every other atom fixed.
dE_atom is the change of that atom's LAMMPS pe/atom (half of each pair energy plus its whole
embedding energy), dE_sys the change of the total energy; energy and length units are those
of the potential (eV and Angstrom for metal, LJ units for lj). Omega/4pi is the solid-angle
fraction with dE_atom < 0: sum over directions of weight*H(-dE_atom)/4pi, the weight being the
exact solid angle of each (theta, phi) grid cell (seed 4.3) or 4pi/n for Fibonacci and user
sets. dr_min is the dr of the smallest dE_atom over every dr and direction (seed Fig 8).

Examples:
  Whole sample, 36x72 grid, three dr, per-atom dump and figures:
    pelkit probe cuzr.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
      --all --dr 0.002,0.01,0.03 -o probe.dump --json --plot-hist omega.png
  Explicit probes of two atoms along listed directions:
    pelkit probe ka.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5' \\
      --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes' \\
      --atom-ids 1,5 --directions dirs.txt --dr 0.01 --json
  A dr scan for the dr_min histogram (seed Fig 8): --dr 0.001:0.03:30")]
pub struct ProbeArgs {
    /// Configuration (data file or text dump, optionally .gz); should be minimized.
    pub input: PathBuf,
    /// Frame of a dump, 0-based (default: the last frame).
    #[arg(long)]
    pub frame: Option<usize>,
    #[command(flatten)]
    pub pair: PairArgs,
    /// Probe only these atom ids (comma separated).
    #[arg(long, value_delimiter = ',', conflicts_with = "all")]
    pub atom_ids: Vec<u64>,
    /// Probe every atom (the default when --atom-ids is not given).
    #[arg(long)]
    pub all: bool,
    /// Directions file: one vector 'x y z' a line (normalised; '#' comments). Ω/4π is then
    /// the fraction of listed directions.
    #[arg(long, conflicts_with_all = ["grid", "fibonacci"])]
    pub directions: Option<PathBuf>,
    /// Uniform (theta, phi) grid NTHETAxNPHI at cell centres, solid-angle weights.
    #[arg(long, default_value = "36x72")]
    pub grid: String,
    /// N near-equal-area directions of a Fibonacci spiral instead of the grid.
    #[arg(long, conflicts_with = "grid")]
    pub fibonacci: Option<usize>,
    /// Displacement magnitudes (length units), comma separated; `A:B:N` adds N values evenly
    /// spaced from A to B.
    #[arg(long, required = true, value_delimiter = ',')]
    pub dr: Vec<String>,
    /// dr of the `omega` dump column and the summary's headline numbers (default: the dr
    /// closest to 0.01; the JSON has every dr).
    #[arg(long)]
    pub omega_dr: Option<f64>,
    /// Also compute dE_sys in the whole-sample scan (its minimum per dr goes to the JSON;
    /// about twice the cost for EAM).
    #[arg(long)]
    pub system: bool,
    /// Per-atom dump sorted by id: `id type omega dEatom_min dr_min` (omega at --omega-dr;
    /// dEatom_min and dr_min over every dr and direction).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Per-direction table: theta phi x y z, then per dr the fraction of probed atoms with
    /// dE_atom < 0 along that direction (seed Fig 5b).
    #[arg(long)]
    pub direction_table: Option<PathBuf>,
    /// Print one JSON object (summary; explicit probes with --atom-ids and --directions).
    #[arg(long)]
    pub json: bool,
    /// Mollweide maps of dE_atom of one atom (--map-atom), one panel per dr (.png or .svg).
    #[arg(long)]
    pub plot_map: Option<PathBuf>,
    /// Cluster curves dE_atom(dr) and dE_sys(dr) of the --map-atom along up to 40 directions,
    /// 40 dr values up to the largest --dr (.png or .svg).
    #[arg(long)]
    pub plot_curves: Option<PathBuf>,
    /// Histogram of Omega/4pi over the probed atoms, one outline per dr (.png or .svg).
    #[arg(long)]
    pub plot_hist: Option<PathBuf>,
    /// Histogram of dr_min over the atoms whose smallest dE_atom is negative (.png or .svg).
    #[arg(long)]
    pub plot_drmin: Option<PathBuf>,
    /// Atom of the map and curve plots (default: the first --atom-ids, else the lowest id).
    #[arg(long)]
    pub map_atom: Option<u64>,
    /// Bins of the Omega histograms over [0, 1].
    #[arg(long, default_value_t = 20)]
    pub bins: usize,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

pub fn run(args: ProbeArgs) -> Result<()> {
    in_pool(args.run.threads, || run_inner(&args))?
}

/// Parse the --dr list (values and A:B:N ranges).
fn parse_drs(items: &[String]) -> Result<Vec<f64>> {
    let mut out = Vec::new();
    for item in items {
        let parts: Vec<&str> = item.trim().split(':').collect();
        let num = |s: &str| -> Result<f64> {
            s.trim()
                .parse::<f64>()
                .with_context(|| format!("--dr '{item}': '{s}' is not a number"))
        };
        match parts.len() {
            1 => out.push(num(parts[0])?),
            3 => {
                let (a, b) = (num(parts[0])?, num(parts[1])?);
                let n: usize = parts[2]
                    .trim()
                    .parse()
                    .with_context(|| format!("--dr '{item}': N must be a whole number"))?;
                if n < 2 {
                    bail!("--dr '{item}': a range needs N >= 2");
                }
                out.extend((0..n).map(|k| a + (b - a) * k as f64 / (n - 1) as f64));
            }
            _ => bail!("--dr '{item}': expected a number or A:B:N"),
        }
    }
    for &dr in &out {
        if !(dr > 0.0 && dr.is_finite()) {
            bail!("--dr {dr}: every displacement must be positive and finite");
        }
    }
    Ok(out)
}

fn directions(args: &ProbeArgs) -> Result<Directions> {
    if let Some(path) = &args.directions {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return Ok(Directions::parse(&text, &path.display().to_string())?);
    }
    if let Some(n) = args.fibonacci {
        return Ok(Directions::fibonacci(n)?);
    }
    let (a, b) = args
        .grid
        .split_once(['x', 'X'])
        .with_context(|| format!("--grid '{}': expected NTHETAxNPHI, e.g. 36x72", args.grid))?;
    let parse = |s: &str| {
        s.trim()
            .parse::<usize>()
            .with_context(|| format!("--grid '{}': '{s}' is not a whole number", args.grid))
    };
    Ok(Directions::grid(parse(a)?, parse(b)?)?)
}

fn run_inner(args: &ProbeArgs) -> Result<()> {
    let sys = read_configuration(&args.input, args.frame)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let pot = args.pair.potential(sys.ntypes)?;
    let drs = parse_drs(&args.dr)?;
    let dirs = directions(args)?;
    let max_dr = drs.iter().copied().fold(0.0, f64::max);
    let probe = LocalProbe::new(&sys, &pot, max_dr)?;
    let atoms: Vec<usize> = if args.atom_ids.is_empty() {
        sys.order_by_id()
    } else {
        args.atom_ids
            .iter()
            .map(|&id| probe.index_of(id))
            .collect::<Result<_, _>>()?
    };
    let warnings = input_checks(&sys, &pot, &probe, &drs)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let reference = reference_dr(&drs, args.omega_dr)?;
    let bar = super::common::progress(args.run.quiet || atoms.len() < 2, atoms.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} atoms ({per_sec}, ETA {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let options = ScanOptions {
        with_system: args.system,
    };
    let scan = scan_atoms(&probe, &atoms, &dirs, &drs, options, &|n| bar.inc(n))?;
    bar.finish_and_clear();

    if let Some(path) = &args.output {
        write_per_atom(path, &sys, &scan, reference)?;
    }
    if let Some(path) = &args.direction_table {
        write_direction_table(path, &dirs, &drs, &scan)?;
    }
    let map_atom = match args.map_atom {
        Some(id) => probe.index_of(id)?,
        None => atoms[0],
    };
    if let Some(path) = &args.plot_map {
        plot::map(path, &probe, map_atom, &dirs, &drs)?;
    }
    if let Some(path) = &args.plot_curves {
        plot::curves(path, &probe, map_atom, &dirs, max_dr)?;
    }
    if let Some(path) = &args.plot_hist {
        plot::omega_histogram(path, &scan, &drs, args.bins)?;
    }
    if let Some(path) = &args.plot_drmin {
        plot::dr_min_histogram(path, &scan, &drs)?;
    }

    let summary = summary_json(&sys, &scan, &dirs, &drs, reference, args.bins);
    if args.json {
        let mut obj = summary;
        obj["warnings"] = json!(warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        if !args.atom_ids.is_empty() && args.directions.is_some() {
            obj["probes"] = explicit_probes(&probe, &atoms, &dirs, &drs)?;
        }
        println!("{obj}");
    } else {
        print_summary(&summary);
    }
    Ok(())
}

/// Index in `drs` of `--omega-dr` (must be one of them) or of the dr closest to 0.01.
fn reference_dr(drs: &[f64], given: Option<f64>) -> Result<usize> {
    match given {
        Some(d) => drs
            .iter()
            .position(|&x| (x - d).abs() <= 1e-12 * d.abs().max(1.0))
            .with_context(|| format!("--omega-dr {d} is not one of the --dr values {drs:?}")),
        None => Ok(drs
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - 0.01).abs().total_cmp(&(b.1 - 0.01).abs()))
            .map_or(0, |(k, _)| k)),
    }
}

fn explicit_probes(
    probe: &LocalProbe,
    atoms: &[usize],
    dirs: &Directions,
    drs: &[f64],
) -> Result<Value> {
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    for &i in atoms {
        let site = probe.site(i);
        for v in &dirs.vectors {
            for &dr in drs {
                let p =
                    probe.probe(&site, [dr * v[0], dr * v[1], dr * v[2]], true, &mut scratch)?;
                out.push(json!({
                    "id": probe.sys.ids[i], "dir": v, "dr": dr,
                    "dE_atom": p.de_atom, "dE_sys": p.de_sys,
                }));
            }
        }
    }
    Ok(Value::Array(out))
}

fn summary_json(
    sys: &System,
    scan: &ScanResult,
    dirs: &Directions,
    drs: &[f64],
    reference: usize,
    bins: usize,
) -> Value {
    let n = scan.atoms.len().max(1) as f64;
    let edges: Vec<f64> = (0..=bins.max(1))
        .map(|k| k as f64 / bins.max(1) as f64)
        .collect();
    let per_dr: Vec<Value> = drs
        .iter()
        .enumerate()
        .map(|(k, &dr)| {
            let omega: Vec<f64> = scan.atoms.iter().map(|a| a.omega[k]).collect();
            let st = OmegaStats::of(&omega, bins);
            let mins: Vec<f64> = scan.atoms.iter().map(|a| a.de_atom_min[k]).collect();
            let frac: Vec<f64> = scan.negative[k].iter().map(|&c| c as f64 / n).collect();
            let mut o = json!({
                "dr": dr,
                "omega_mean": st.mean,
                "omega_median": st.median,
                "omega_fraction_nonzero": st.fraction_nonzero,
                "omega_histogram": {"edges": edges, "counts": st.histogram},
                "dEatom_min_mean": mins.iter().sum::<f64>() / n,
                "dEatom_min_min": mins.iter().copied().fold(f64::INFINITY, f64::min),
                "negative_fraction_by_direction": {
                    "mean": frac.iter().sum::<f64>() / frac.len().max(1) as f64,
                    "min": frac.iter().copied().fold(f64::INFINITY, f64::min),
                    "max": frac.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                },
            });
            if scan.atoms.iter().all(|a| a.de_sys_min.is_some()) {
                o["dEsys_min_min"] = json!(scan
                    .atoms
                    .iter()
                    .map(|a| a.de_sys_min.as_ref().map_or(f64::NAN, |s| s[k]))
                    .fold(f64::INFINITY, f64::min));
            }
            o
        })
        .collect();
    let omega: Vec<f64> = scan.atoms.iter().map(|a| a.omega[reference]).collect();
    let st = OmegaStats::of(&omega, bins);
    let (dr_counts, negative_atoms) = dr_min_counts(scan, drs);
    let mut obj = json!({
        "natoms": sys.natoms(),
        "atoms_probed": scan.atoms.len(),
        "directions": directions_json(dirs),
        "dr": drs,
        "omega_dr": drs[reference],
        "summary": {
            "omega_mean": st.mean,
            "omega_median": st.median,
            "omega_fraction_nonzero": st.fraction_nonzero,
            "omega_histogram": {"edges": edges, "counts": st.histogram},
        },
        "per_dr": per_dr,
        "dr_min_histogram": {"dr": drs, "counts": dr_counts, "atoms": negative_atoms},
    });
    let identity: Vec<f64> = scan.atoms.iter().filter_map(|a| a.pair_identity).collect();
    if !identity.is_empty() {
        obj["pair_identity_max"] = json!(identity.iter().copied().fold(0.0, f64::max));
    }
    obj
}

/// Per dr: atoms whose smallest dE_atom (over every dr and direction) is negative and occurs
/// at that dr; and the number of such atoms.
pub(crate) fn dr_min_counts(scan: &ScanResult, drs: &[f64]) -> (Vec<u64>, u64) {
    let mut counts = vec![0u64; drs.len()];
    let mut total = 0;
    for a in &scan.atoms {
        if a.de_atom_min_all < 0.0 {
            if let Some(k) = drs.iter().position(|&d| d == a.dr_min) {
                counts[k] += 1;
                total += 1;
            }
        }
    }
    (counts, total)
}

fn directions_json(dirs: &Directions) -> Value {
    match dirs.kind {
        DirectionSet::Grid { ntheta, nphi } => {
            json!({"kind": "grid", "ntheta": ntheta, "nphi": nphi, "count": dirs.len()})
        }
        DirectionSet::Fibonacci => json!({"kind": "fibonacci", "count": dirs.len()}),
        DirectionSet::User => json!({"kind": "user", "count": dirs.len()}),
    }
}

fn print_summary(s: &Value) {
    println!("atoms probed    {}", s["atoms_probed"]);
    println!("directions      {}", s["directions"]["count"]);
    for d in s["per_dr"].as_array().into_iter().flatten() {
        println!(
            "dr {:<12} mean Omega/4pi {:.4}  median {:.4}  atoms with Omega>0 {:.4}  mean min dE_atom {:.6e}",
            d["dr"].as_f64().unwrap_or(f64::NAN),
            d["omega_mean"].as_f64().unwrap_or(f64::NAN),
            d["omega_median"].as_f64().unwrap_or(f64::NAN),
            d["omega_fraction_nonzero"].as_f64().unwrap_or(f64::NAN),
            d["dEatom_min_mean"].as_f64().unwrap_or(f64::NAN),
        );
    }
}

fn write_per_atom(path: &Path, sys: &System, scan: &ScanResult, reference: usize) -> Result<()> {
    let mut rows: Vec<_> = scan.atoms.iter().collect();
    rows.sort_by_key(|a| sys.ids[a.atom]);
    let col = |f: &dyn Fn(&pelkit::analysis::probe::AtomSummary) -> f64| -> Vec<f64> {
        rows.iter().map(|a| f(a)).collect()
    };
    let columns: Vec<(String, Vec<f64>)> = vec![
        ("id".into(), col(&|a| sys.ids[a.atom] as f64)),
        ("type".into(), col(&|a| sys.types[a.atom] as f64)),
        ("omega".into(), col(&|a| a.omega[reference])),
        ("dEatom_min".into(), col(&|a| a.de_atom_min_all)),
        ("dr_min".into(), col(&|a| a.dr_min)),
    ];
    let frame = DumpFrame::from_columns(0, sys.simbox, columns).map_err(anyhow::Error::msg)?;
    write_dump(path, &[frame])?;
    Ok(())
}

fn write_direction_table(
    path: &Path,
    dirs: &Directions,
    drs: &[f64],
    scan: &ScanResult,
) -> Result<()> {
    use std::fmt::Write as _;
    let n = scan.atoms.len().max(1) as f64;
    let mut s = String::from("# theta phi x y z");
    for dr in drs {
        write!(s, " frac_neg(dr={dr})")?;
    }
    s.push('\n');
    for (k, v) in dirs.vectors.iter().enumerate() {
        let (t, p) = dirs.angles[k];
        write!(s, "{t:.8} {p:.8} {:.8} {:.8} {:.8}", v[0], v[1], v[2])?;
        for counts in &scan.negative {
            write!(s, " {:.6}", counts[k] as f64 / n)?;
        }
        s.push('\n');
    }
    std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))
}
