//! `pelkit correlate A.dump:col B.dump:col`: Pearson and Spearman correlation of two per-atom
//! quantities (atoms matched by id), e.g. stiffness against Voronoi five-fold fraction, atomic
//! stress or atomic volume.

use anyhow::Result;
use clap::Args;

use pelkit::analysis::learn::metrics::{pearson, spearman};

use super::table::{read_column, require_same_ids};

#[derive(Args)]
#[command(after_help = "\
Both files are LAMMPS dumps (last frame); atoms are matched by id and must be the same set.
Spearman uses average ranks for ties (as scipy.stats.spearmanr).
Example:
  pelkit correlate K.dump:K voro.dump:f5 --json")]
pub struct CorrelateArgs {
    /// First quantity: FILE:COLUMN.
    pub a: String,
    /// Second quantity: FILE:COLUMN.
    pub b: String,
    /// Print one JSON object {n, pearson, spearman}.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CorrelateArgs) -> Result<()> {
    let (ia, va) = read_column(&args.a, None)?;
    let (ib, vb) = read_column(&args.b, None)?;
    require_same_ids(&ia, &args.a, &ib, &args.b)?;
    let p = pearson(&va, &vb);
    let s = spearman(&va, &vb);
    if args.json {
        println!(
            "{}",
            serde_json::json!({"n": va.len(), "pearson": p, "spearman": s, "a": args.a, "b": args.b})
        );
    } else {
        println!("atoms     {}", va.len());
        println!("pearson   {p:.6}");
        println!("spearman  {s:.6}");
    }
    Ok(())
}
