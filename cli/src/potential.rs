//! `pelkit potential`: inspect EAM potential files and generate Zhou–Johnson–Wadley alloy files.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use pelkit::io::eam_file;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouGrid};

#[derive(Args)]
pub struct PotentialArgs {
    #[command(subcommand)]
    what: PotentialWhat,
}

#[derive(Subcommand)]
enum PotentialWhat {
    /// Describe an EAM file (funcfl `eam`, setfl `eam/alloy`, Finnis–Sinclair `eam/fs`; the
    /// format is found from the content, the extension only breaks ties): elements, masses
    /// (g/mol), grids (Nrho, drho; Nr, dr in Å; cutoff in Å), rhomax = (Nrho−1)·drho, per-table
    /// min/max/mean and problems. Exit status 1 when problems are found.
    Info(InfoArgs),
    /// Write the Zhou–Johnson–Wadley (2004, Phys. Rev. B 69, 144113) analytic alloy EAM as an
    /// eam/alloy (setfl) file for the given elements, in the given order (the order of
    /// `pair_coeff * * FILE El…`). Metal units (eV, Å). Known elements: Cu Ag Au Ni Pd Pt Al Pb Fe
    /// Mo Ta W Mg Co Ti Zr (2004 table) and Cr (Lin et al. 2008). Cross pairs use
    /// φ_ab = ½(f_b/f_a φ_aa + f_a/f_b φ_bb). Grids as LAMMPS tools/eam_database: r_k = k·dr,
    /// dr = cutoff/(Nr−1), r < 0.5 Å tabulated at 0.5 Å; ρ_k = k·dρ up to
    /// max(largest density, 2 max ρ_e, 100).
    WriteZhou(WriteZhouArgs),
}

#[derive(Args)]
struct WriteZhouArgs {
    /// Element symbols, e.g. `Cu Zr`.
    #[arg(required = true)]
    elements: Vec<String>,
    /// Output file [default: the element symbols joined + `.eam.alloy`, e.g. CuZr.eam.alloy].
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Number of r knots.
    #[arg(long, default_value_t = 2000)]
    nr: usize,
    /// Number of ρ knots.
    #[arg(long, default_value_t = 2000)]
    nrho: usize,
    /// Cutoff in Å (also the last r knot) [default: √10/2 · max √2·r_e over the elements,
    /// e.g. 7.1557 Å for Cu Zr].
    #[arg(long)]
    cutoff: Option<f64>,
    /// Print one JSON object describing the written file.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct InfoArgs {
    /// The potential file.
    file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: PotentialArgs) -> Result<()> {
    match args.what {
        PotentialWhat::Info(a) => info(a),
        PotentialWhat::WriteZhou(a) => write_zhou(a),
    }
}

fn info(args: InfoArgs) -> Result<()> {
    let start = Instant::now();
    let report =
        eam_file::check(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let elapsed = start.elapsed();
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("{}: {}", args.file.display(), report.format);
        for (k, v) in &report.details {
            println!("  {k}: {v}");
        }
        println!("  tables (min / max / mean):");
        for c in &report.columns {
            println!(
                "    {:<28} {:>14.6e} {:>14.6e} {:>14.6e}  ({} values)",
                c.name, c.min, c.max, c.mean, c.count
            );
        }
        println!("  parsed in {:.2} ms", elapsed.as_secs_f64() * 1e3);
        for p in &report.problems {
            println!("  PROBLEM: {p}");
        }
    }
    if !report.problems.is_empty() {
        bail!("{} problem(s) found", report.problems.len());
    }
    Ok(())
}

fn write_zhou(args: WriteZhouArgs) -> Result<()> {
    let names: Vec<&str> = args.elements.iter().map(String::as_str).collect();
    let grid = ZhouGrid {
        nr: args.nr,
        nrho: args.nrho,
        cutoff: args.cutoff,
    };
    let setfl = zhou_setfl(&names, &grid)?;
    let output = args
        .output
        .unwrap_or_else(|| PathBuf::from(format!("{}.eam.alloy", names.concat())));
    eam_file::write_setfl(&output, &setfl)?;
    let summary = serde_json::json!({
        "file": output.display().to_string(),
        "pair_style": "eam/alloy",
        "pair_coeff": format!("* * {} {}", output.display(), names.join(" ")),
        "elements": names,
        "nrho": setfl.nrho,
        "drho": setfl.drho,
        "nr": setfl.nr,
        "dr": setfl.dr,
        "cutoff": setfl.cutoff,
        "rhomax": (setfl.nrho as f64 - 1.0) * setfl.drho,
    });
    if args.json {
        println!("{summary}");
    } else {
        println!(
            "wrote {} (eam/alloy, Nr = {}, Nrho = {}, cutoff = {} Å)\nuse: pair_style eam/alloy\n     pair_coeff * * {} {}",
            output.display(),
            setfl.nr,
            setfl.nrho,
            setfl.cutoff,
            output.display(),
            names.join(" ")
        );
    }
    Ok(())
}
