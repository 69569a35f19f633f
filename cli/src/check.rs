//! `pelkit check FILE`: validate a whole data or log file and report what it holds.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use pelkit::io::{check_file, FileReport};

/// What `pelkit check --help` explains after the options.
const CHECK_HELP: &str =
    "The format is detected from the content: a data file (`read_data` format, `.gz` accepted),\n\
or a log file (first line `LAMMPS (`). Reported: format, atoms, box (LAMMPS lo/hi and tilts\n\
xy xz yz, in the file's length units), per-column count/min/max/mean (data: id type [q] x y z\n\
[ix iy iz] [vx vy vz]; logs: `run<K>:<thermo keyword>` for each run K from 1), and problems:\n\
atoms outside the box (LAMMPS read_data would wrap them), duplicate ids, types above the\n\
declared `atom types`, NaN/inf values, truncated thermo blocks.\n\
\n\
Exit status: 0 when no problem is found, 2 when problems are found (after printing the\n\
report), 1 when the file cannot be parsed at all (message with file and line on stderr).";

/// Arguments of `pelkit check` (the long help is [`CHECK_HELP`]).
#[derive(Args)]
#[command(after_help = CHECK_HELP)]
pub struct CheckArgs {
    /// The file to validate.
    pub file: PathBuf,
    /// Print one JSON object (format, frames, atoms, columns, box, details, problems).
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CheckArgs) -> Result<()> {
    let report =
        check_file(&args.file).with_context(|| format!("checking {}", args.file.display()))?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_human(&args.file, &report);
    }
    if !report.problems.is_empty() {
        std::process::exit(2);
    }
    Ok(())
}

fn print_human(path: &std::path::Path, r: &FileReport) {
    println!("file:    {}", path.display());
    println!("format:  {}", r.format);
    if let Some(f) = r.frames {
        let what = if r.format == "lammps-log" {
            "runs"
        } else {
            "frames"
        };
        println!("{what:<8} {f}");
    }
    if let Some(n) = r.atoms {
        println!("atoms:   {n}");
    }
    if let Some(b) = &r.simbox {
        println!(
            "box:     lo {:?} hi {:?}{} volume {}",
            b.lo,
            b.hi,
            b.tilt
                .map_or(String::new(), |t| format!(" tilt xy xz yz {t:?}")),
            b.volume
        );
    }
    for (k, v) in &r.details {
        if k != "runs" {
            println!("{k}: {v}");
        }
    }
    if !r.columns.is_empty() {
        println!(
            "{:<24} {:>10} {:>16} {:>16} {:>16}",
            "column", "count", "min", "max", "mean"
        );
        for c in &r.columns {
            println!(
                "{:<24} {:>10} {:>16.8e} {:>16.8e} {:>16.8e}",
                c.name, c.count, c.min, c.max, c.mean
            );
        }
    }
    if r.problems.is_empty() {
        println!("problems: none");
    } else {
        println!("problems ({}):", r.problems.len());
        for p in &r.problems {
            println!("  - {p}");
        }
    }
}
