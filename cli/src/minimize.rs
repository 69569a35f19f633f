//! `pelkit minimize`: energy minimization of a configuration (LAMMPS `minimize` with
//! `min_style cg` or `fire`), optionally after an affine strain (`change_box … remap`).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use super::common::{fire_and_min_modify, in_pool, load, spinner, MinStyle, MinimizeArgs};
use super::pair_args::PairArgs;

use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::min_fire::minimize_fire;
use pelkit::engine::minimize::LineSearch;
use pelkit::engine::{EngineError, ForceProvider, ForceResult, NormStyle};
use pelkit::System;

#[derive(Clone, Copy, ValueEnum)]
pub enum LineStyle {
    Quadratic,
    Backtrack,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum NormArg {
    Two,
    Max,
    Inf,
}

#[derive(Args)]
#[command(after_help = "\
Conventions: as LAMMPS `minimize etol ftol maxiter maxeval`. In lj units energies are per atom
(LAMMPS' default `thermo_modify norm yes`), in metal units totals (eV). ftol applies to the
Euclidean norm of the whole 3N force vector (min_modify norm two) unless --norm says otherwise.
The stop reason is LAMMPS' \"Stopping criterion\" text.

Examples:
  Mendelev Cu-Zr glass sheared by 1 % in xy, then relaxed:
    pelkit minimize glass.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr' \\
      --shear xy=0.01 --ftol 1e-10 -o sheared.data --json
  Kob-Andersen (units lj) with FIRE:
    pelkit minimize ka.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5' \\
      --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes' \\
      --min-style fire -o min.data")]
pub struct MinimizeCmdArgs {
    /// Configuration: a LAMMPS data file or dump (last frame).
    pub input: PathBuf,
    #[command(flatten)]
    pub pair: PairArgs,
    #[command(flatten)]
    pub min: MinimizeArgs,
    /// Largest move of any coordinate per line search / FIRE step (distance units).
    #[arg(long, default_value_t = 0.1)]
    pub dmax: f64,
    /// CG line search (LAMMPS min_modify line).
    #[arg(long, value_enum, default_value = "quadratic")]
    pub line: LineStyle,
    /// Force norm for ftol (LAMMPS min_modify norm).
    #[arg(long, value_enum, default_value = "two")]
    pub norm: NormArg,
    /// FIRE initial timestep (time units: ps in metal, τ in lj). Default: 0.001 metal, 0.005 lj.
    #[arg(long)]
    pub timestep: Option<f64>,
    /// Affine strain before minimizing, repeatable: `xy=G`, `xz=G`, `yz=G` add G·ly (xy) or
    /// G·lz (xz, yz) to the tilt (engineering shear strain; an orthogonal box is made
    /// triclinic first); `x=E`, `y=E`, `z=E` scale that length by 1+E about the box centre.
    /// Atoms are mapped affinely (`change_box all … remap units box`).
    #[arg(long)]
    pub shear: Vec<String>,
    /// LAMMPS `min_modify` keyword/value pairs, repeatable, applied after the flags above, e.g.
    /// `--min-modify "integrator verlet" --min-modify "tmax 20 abcfire yes"`. FIRE keywords
    /// (defaults): integrator eulerimplicit|verlet|leapfrog|eulerexplicit (eulerimplicit),
    /// delaystep N (20), dtgrow (1.1), dtshrink (0.5), alpha0 (0.25), alphashrink (0.99),
    /// tmax (10, × timestep), tmin (0.02, × timestep), halfstepback yes|no (yes),
    /// initialdelay yes|no (yes), vdfmax N (2000 steps with v·f ≤ 0; 0 = never),
    /// abcfire yes|no (no). Also dmax D, line quadratic|backtrack, norm two|max|inf.
    #[arg(long, value_name = "KEYWORD VALUE ...")]
    pub min_modify: Vec<String>,
    /// Neighbor skin (distance units). Default: 2.0 metal, 0.3 lj (LAMMPS defaults).
    #[arg(long)]
    pub skin: Option<f64>,
    /// Write the minimized configuration as a LAMMPS data file. On a failed minimization the
    /// last configuration with a finite energy is written.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object: pe_initial, pe_next_to_last, pe_final (as LAMMPS thermo pe),
    /// pe_per_atom, iterations, force_evaluations, fnorm_initial, fnorm_final, fnorm_inf_final,
    /// stop.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub run: crate::common::RunArgs,
}

/// Parse `--shear` items into change_box operations (needs the box for lengths).
pub fn strain_ops(sys: &mut System, items: &[String]) -> Result<Vec<BoxOp>> {
    let mut ops = Vec::new();
    for item in items {
        let (what, value) = item.split_once('=').with_context(|| {
            format!("--shear '{item}': expected COMPONENT=STRAIN, e.g. xy=0.01")
        })?;
        let g: f64 = value
            .trim()
            .parse()
            .with_context(|| format!("--shear '{item}': '{value}' is not a number"))?;
        if !g.is_finite() {
            bail!("--shear '{item}': strain must be finite");
        }
        let l = sys.simbox.lengths();
        let op = match what.trim() {
            "xy" | "xz" | "yz" => {
                if !sys.simbox.triclinic {
                    make_triclinic(sys);
                }
                let (tilt, len) = match what.trim() {
                    "xy" => (0, l[1]),
                    "xz" => (1, l[2]),
                    _ => (2, l[2]),
                };
                BoxOp::TiltDelta {
                    tilt,
                    delta: g * len,
                }
            }
            "x" | "y" | "z" => BoxOp::Scale {
                axis: "xyz".find(what.trim()).unwrap_or(0),
                factor: 1.0 + g,
            },
            other => bail!("--shear '{item}': unknown component '{other}' (x y z xy xz yz)"),
        };
        ops.push(op);
    }
    Ok(ops)
}

/// A provider that ticks a progress spinner once per force evaluation.
pub struct Ticking<'a, P: ForceProvider> {
    pub inner: &'a mut P,
    pub bar: indicatif::ProgressBar,
}

impl<P: ForceProvider> ForceProvider for Ticking<'_, P> {
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError> {
        self.bar.inc(1);
        self.inner.compute(sys, out)
    }
}

pub fn run(args: MinimizeCmdArgs) -> Result<()> {
    let units = args.pair.engine_units()?;
    let (mut sys, mut provider) = load(&args.input, &args.pair, units, args.skin)?;
    let ops = strain_ops(&mut sys, &args.shear)?;
    if !ops.is_empty() {
        change_box(&mut sys, &ops, true).context("applying --shear")?;
    }
    let mut settings = args.min.settings(units);
    settings.dmax = args.dmax;
    settings.line_search = match args.line {
        LineStyle::Quadratic => LineSearch::Quadratic,
        LineStyle::Backtrack => LineSearch::Backtrack,
    };
    settings.norm = match args.norm {
        NormArg::Two => NormStyle::Two,
        NormArg::Max => NormStyle::Max,
        NormArg::Inf => NormStyle::Inf,
    };
    let fire = fire_and_min_modify(units, args.timestep, &args.min_modify, &mut settings)?;
    let bar = spinner(args.run.quiet || args.json, "minimize");
    let mut ticking = Ticking {
        inner: &mut provider,
        bar: bar.clone(),
    };
    let job = || match args.min.min_style {
        MinStyle::Cg => minimize_cg(&mut sys, &mut ticking, &settings),
        MinStyle::Fire => minimize_fire(&mut sys, &mut ticking, &settings, &fire, units),
    };
    let result = in_pool(args.run.threads, job)?;
    bar.finish_and_clear();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            if let Some(path) = &args.output {
                pelkit::io::data::write_data(path, &sys)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("last good configuration written to {}", path.display());
            }
            return Err(e).context("minimization failed");
        }
    };
    if let Some(path) = &args.output {
        pelkit::io::data::write_data(path, &sys)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        let obj = serde_json::json!({
            "natoms": sys.natoms(),
            "units": units.name(),
            "pe_initial": summary.energy_initial,
            "pe_next_to_last": summary.energy_next_to_last,
            "pe_final": summary.energy_final,
            "pe_per_atom": summary.energy_per_atom,
            "iterations": summary.iterations,
            "force_evaluations": summary.force_evaluations,
            "fnorm_initial": summary.fnorm2_initial,
            "fnorm_final": summary.fnorm2_final,
            "fnorm_inf_final": summary.fnorm_inf_final,
            "stop": summary.stop.as_str(),
        });
        println!("{obj}");
    } else {
        println!("Minimization stats:");
        println!("  Stopping criterion = {}", summary.stop);
        println!(
            "  Energy initial, next-to-last, final = {:.15e} {:.15e} {:.15e}{}",
            summary.energy_initial,
            summary.energy_next_to_last,
            summary.energy_final,
            if summary.energy_per_atom {
                " (per atom)"
            } else {
                ""
            }
        );
        println!(
            "  Iterations, force evaluations = {} {}",
            summary.iterations, summary.force_evaluations
        );
        println!(
            "  Force two-norm initial, final = {:.10e} {:.10e}",
            summary.fnorm2_initial, summary.fnorm2_final
        );
        println!(
            "  Force max component initial, final = {:.10e} {:.10e}",
            summary.fnorm_inf_initial, summary.fnorm_inf_final
        );
    }
    Ok(())
}
