//! `pelkit potential`: inspect EAM potential files, generate Zhou–Johnson–Wadley alloy files and
//! the Johnson (1964) α-Fe pair table.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use pelkit::io::eam_file;
use pelkit::potential::johnson1964::{self, JohnsonTable, TableSpacing};
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
    /// Write Johnson's (1964, Phys. Rev. 134, A1329) α-Fe pair potential as a LAMMPS
    /// `pair_style table` file (metal units: r in Å, E in eV, F = −dE/dr in eV/Å): his three
    /// cubic pieces on [1.9, 2.4), [2.4, 3.0), [3.0, 3.44] Å and, below 1.9 Å, the core
    /// 8752.934·exp(−4.572488 r) eV of Morris, Aga, Levashov & Egami (PRB 77, 174201, 2008).
    /// The form is C¹ (φ'' jumps at 1.9, 2.4 and 3.44 Å); it is NOT the C²-smoothed
    /// "modified Johnson" of Srolovitz et al. (1981), whose coefficients we could not find.
    /// Use: `pair_style table linear N` (same N as here: LAMMPS then uses the RSQ file as is)
    /// and `pair_coeff * * FILE FE_JOHNSON`; give `--masses 55.845` to `pelkit quench`.
    WriteJohnson(WriteJohnsonArgs),
}

#[derive(Args)]
struct WriteJohnsonArgs {
    /// Output table file.
    #[arg(short, long, default_value = "fe_johnson.table")]
    output: PathBuf,
    /// Number of table points N.
    #[arg(long, default_value_t = 5000)]
    n: usize,
    /// First distance of the table in Å (the last is the cutoff 3.44 Å); pairs closer than this
    /// stop LAMMPS and pelkit with an error.
    #[arg(long, default_value_t = 1.0)]
    rlo: f64,
    /// Spacing of the points: `rsq` (uniform in r², keyword RSQ) or `r` (keyword R).
    #[arg(long, default_value = "rsq", value_parser = ["rsq", "r"])]
    spacing: String,
    /// Section keyword.
    #[arg(long, default_value = "FE_JOHNSON")]
    keyword: String,
    /// Print one JSON object describing the written file.
    #[arg(long)]
    json: bool,
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
        PotentialWhat::WriteJohnson(a) => write_johnson(a),
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

fn write_johnson(args: WriteJohnsonArgs) -> Result<()> {
    let table = JohnsonTable {
        keyword: args.keyword.clone(),
        n: args.n,
        rlo: args.rlo,
        spacing: if args.spacing == "r" {
            TableSpacing::R
        } else {
            TableSpacing::Rsq
        },
    };
    let text = table.file_text()?;
    std::fs::write(&args.output, text)
        .with_context(|| format!("writing {}", args.output.display()))?;
    let pair_style = format!("table linear {}", args.n);
    let pair_coeff = format!("* * {} {}", args.output.display(), args.keyword);
    if args.json {
        let summary = serde_json::json!({
            "file": args.output.display().to_string(),
            "keyword": args.keyword,
            "n": args.n,
            "rlo": args.rlo,
            "cutoff": johnson1964::CUTOFF,
            "spacing": args.spacing.to_uppercase(),
            "pair_style": pair_style,
            "pair_coeff": pair_coeff,
            "mass": johnson1964::FE_MASS,
            "units": "metal",
        });
        println!("{summary}");
    } else {
        println!(
            "wrote {} (Johnson 1964 Fe, {} points {} from {} to {} Å)\nuse: pair_style {}\n     pair_coeff {}\n     mass * {}",
            args.output.display(),
            args.n,
            args.spacing.to_uppercase(),
            args.rlo,
            johnson1964::CUTOFF,
            pair_style,
            pair_coeff,
            johnson1964::FE_MASS
        );
    }
    Ok(())
}
