//! `pelkit demo`: the main job on the embedded default. Generates the Zhou–Johnson–Wadley Cu–Zr
//! potential, makes a small Cu50Zr50 glass with pelkit's own engine (random start, melt, quench,
//! minimize), runs the analyses (Voronoi indices, atomic-level stress, an athermal 1 % shear with
//! D²min and IS D_min) and writes a short report plus dump files OVITO opens.

use pelkit::units::Units;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::analysis::atomic_stress::atomic_stresses;
use pelkit::analysis::d2min::{d2min, D2minOptions};
use pelkit::analysis::dmin::{is_dmin, DminOptions};
use pelkit::analysis::voronoi::{tessellate, IndexThresholds, VoronoiOptions};
use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::quench::{melt_quench_minimize, random_start, QuenchProtocol};
use pelkit::engine::MinimizeSettings;
use pelkit::geometry::simbox::XY;
use pelkit::io::data::write_data;
use pelkit::io::dump::write_dump_system;
use pelkit::io::eam_file::write_setfl;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouGrid};
use pelkit::potential::{Eam, Potential};
use pelkit::{SimBox, System};

use super::common::progress;

/// Make a small Cu–Zr glass with the generated Zhou (2004) EAM and analyse it.
///
/// Steps: generate the eam/alloy tables from the published analytic form in memory (and write
/// them as `CuZr_zhou2004.eam.alloy` unless --no-potential-file);
/// place N atoms (50:50) at random at number density 0.0600 Å⁻³ (near zero pressure for this potential; no pair
/// closer than 2 Å); NVT
/// melt at 2000 K, linear quench to 300 K (Nosé–Hoover, 1 fs steps, metal units), CG minimize
/// (ftol 1e-8 eV/Å) to the inherent structure; Voronoi indices (edge threshold 0.1 Å, relative
/// face threshold 0.01, as commonly used for metallic glasses); atomic-level stress σ_i = S_i/Ω_i
/// (LAMMPS stress/atom S_i over the Voronoi volume Ω_i; GPa; positive = tension); an affine 1 %
/// xy shear with remap followed by CG minimization and Falk–Langer D²min (cutoff 4.0 Å, OVITO's
/// convention) between the two inherent structures; a 2 ps NVT excursion at 700 K followed by CG
/// and the IS D_min (exact optimal relabelling, seed 004) between the glass and that inherent
/// structure.
///
/// Output in --out (default `pelkit-demo/`): `report.md`, `glass.data`, `glass.dump`
/// (`id type x y z ix iy iz pe volume coordination n3 n4 n5 n6 sxx … syz p vm`), `sheared.data`,
/// `d2min.dump` (`… d2min shear_strain`), `aged.data`, the potential file (unless
/// --no-potential-file). Open the dumps in OVITO.
#[derive(Args)]
pub struct DemoArgs {
    /// Output folder (created if missing).
    #[arg(long, default_value = "pelkit-demo")]
    pub out: PathBuf,
    /// Number of atoms (half Cu, half Zr).
    #[arg(long, default_value_t = 1000)]
    pub atoms: usize,
    /// MD steps at 2000 K before the quench (1 fs each).
    #[arg(long, default_value_t = 2000)]
    pub melt_steps: u64,
    /// MD steps of the linear 2000 K → 300 K quench (1 fs each; 8,500 steps = 2e14 K/s).
    #[arg(long, default_value_t = 8500)]
    pub quench_steps: u64,
    /// Random seed of the start positions and velocities.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    #[command(flatten)]
    pub progress: crate::common::QuietArg,
    /// Do not write the generated potential file (the run always uses the tables in memory;
    /// the file is for LAMMPS or other tools).
    #[arg(long)]
    pub no_potential_file: bool,
}

const ELEMENTS: [&str; 2] = ["Cu", "Zr"];
const DENSITY: f64 = 0.0600;

pub fn run(args: DemoArgs) -> Result<()> {
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let out = |name: &str| args.out.join(name);

    // 1. The embedded default potential: generated, never downloaded; the run uses the tables in
    // memory (the file holds the same numbers, round-trip, for LAMMPS or a rerun).
    let pot_name = "CuZr_zhou2004.eam.alloy";
    let setfl = zhou_setfl(&ELEMENTS, &ZhouGrid::default())?;
    if !args.no_potential_file {
        write_setfl(&out(pot_name), &setfl)?;
    }
    // Types 1, 2 = the setfl's elements 0, 1 (Cu, Zr): `pair_coeff * * FILE Cu Zr`.
    let pot = Potential::Eam(Eam::from_setfl(&setfl, &[0, 1])?);
    let masses = pot
        .masses()
        .context("eam/alloy potentials carry masses")?
        .to_vec();

    // 2. Glass by melt–quench–minimize with pelkit's engine.
    let counts = [args.atoms / 2, args.atoms - args.atoms / 2];
    let l = (args.atoms as f64 / DENSITY).cbrt();
    let start = random_start(
        SimBox::orthogonal([0.0; 3], [l; 3])?,
        &counts,
        &masses,
        2.0,
        args.seed,
    )?;
    let mut glass = start;
    let mut provider = PotentialProvider::new(pot.clone(), 2.0)?;
    let protocol = QuenchProtocol {
        units: Units::Metal,
        dt: 0.001,
        t_melt: 2000.0,
        melt_steps: args.melt_steps,
        t_final: 300.0,
        quench_steps: args.quench_steps,
        t_damp: 0.1,
        seed: args.seed,
        minimize: minimize_settings(),
        sample_every: 100,
    };
    let bar = progress(args.progress.quiet, args.melt_steps + args.quench_steps);
    bar.set_message("melt-quench");
    let melt_steps = args.melt_steps;
    let mut on_sample = |stage: &str, _: &System, m: &pelkit::engine::md::MdSample| {
        bar.set_position(if stage == "quench" { melt_steps } else { 0 } + m.step);
    };
    let quench = melt_quench_minimize(&mut glass, &mut provider, &protocol, &mut on_sample);
    bar.finish_and_clear();
    // An inherent structure is a T = 0 state: drop the MD velocities so no kinetic term enters.
    glass.velocities = None;
    write_data(&out("glass.data"), &glass)?;
    let quench = quench.context("melt-quench (the last good configuration is in glass.data)")?;

    // 3. Analyses of the inherent structure.
    let ev = pot.evaluate_system(&glass)?;
    let units = pelkit::units::Units::Metal;
    let pressure = ev.pressure_tensor(&glass, units);
    let thresholds = IndexThresholds {
        edge_length: 0.1,
        face_area: 0.0,
        relative_face_area: 0.01,
    };
    let vor = tessellate(
        &glass,
        &VoronoiOptions {
            thresholds,
            ..Default::default()
        },
    )?;
    let stress_atom = ev.stress_atom(&glass, units);
    let atomic = atomic_stresses(&stress_atom, &vor.volumes)?;
    const BAR_TO_GPA: f64 = 1e-4;

    let n = glass.natoms();
    let index = |i: usize, k: usize| vor.voronoi_index(i).get(k).copied().unwrap_or(0) as f64;
    let mut cols: Vec<(String, Vec<f64>)> = vec![
        ("pe".into(), ev.per_atom_energy.clone()),
        ("volume".into(), vor.volumes.clone()),
        (
            "coordination".into(),
            vor.coordination.iter().map(|&c| c as f64).collect(),
        ),
    ];
    for k in 3..=6 {
        cols.push((format!("n{k}"), (0..n).map(|i| index(i, k)).collect()));
    }
    for (k, name) in ["sxx", "syy", "szz", "sxy", "sxz", "syz"]
        .iter()
        .enumerate()
    {
        cols.push((
            name.to_string(),
            atomic.iter().map(|a| a.sigma[k] * BAR_TO_GPA).collect(),
        ));
    }
    cols.push((
        "p".into(),
        atomic.iter().map(|a| a.pressure * BAR_TO_GPA).collect(),
    ));
    cols.push((
        "vm".into(),
        atomic.iter().map(|a| a.von_mises * BAR_TO_GPA).collect(),
    ));
    write_columns(&out("glass.dump"), &glass, &cols)?;

    // 4. Athermal 1 % shear: affine xy strain with remap, then CG to the new inherent structure.
    let mut sheared = glass.clone();
    make_triclinic(&mut sheared);
    let ly = sheared.simbox.lengths()[1];
    change_box(
        &mut sheared,
        &[BoxOp::TiltDelta {
            tilt: XY,
            delta: 0.01 * ly,
        }],
        true,
    )?;
    let mut provider = PotentialProvider::new(pot.clone(), 2.0)?;
    let shear_min = minimize_cg(&mut sheared, &mut provider, &minimize_settings())?;
    write_data(&out("sheared.data"), &sheared)?;
    let d2 = d2min(
        &glass,
        &sheared,
        &D2minOptions {
            cutoff: 4.0,
            ..Default::default()
        },
    )?;
    // 5. IS D_min (seed 004): the inherent structure after a 2 ps NVT excursion at 700 K vs the glass.
    let mut aged = glass.clone();
    let excursion = QuenchProtocol {
        t_melt: 700.0,
        melt_steps: 2000,
        t_final: 700.0,
        quench_steps: 1,
        seed: args.seed + 1,
        ..protocol.clone()
    };
    let mut provider = PotentialProvider::new(pot.clone(), 2.0)?;
    melt_quench_minimize(&mut aged, &mut provider, &excursion, &mut |_, _, _| {})?;
    aged.velocities = None;
    write_data(&out("aged.data"), &aged)?;
    let dmin = is_dmin(&glass, &aged, &DminOptions::default())?;
    write_d2min_dump(
        &out("d2min.dump"),
        &sheared,
        &d2.ids,
        &d2.d2min,
        &d2.shear_strain,
    )?;

    // 6. Report.
    let mut r = String::new();
    let _ = writeln!(
        r,
        "# pelkit demo: a Cu50Zr50 glass made and analysed by pelkit\n"
    );
    let _ = writeln!(
        r,
        "* {} atoms, box {:.4} Å (density {DENSITY} Å⁻³), potential {} (Zhou, Johnson & Wadley 2004, generated)",
        n,
        l,
        pot_name
    );
    let _ = writeln!(
        r,
        "* melt {} steps at 2000 K, quench to 300 K in {} steps (cooling rate {:.3e} K/s), CG minimize: {} after {} iterations",
        args.melt_steps,
        args.quench_steps,
        quench.cooling_rate * 1e12,
        quench.minimize.stop,
        quench.minimize.iterations
    );
    let _ = writeln!(
        r,
        "* inherent-structure energy {:.6} eV/atom",
        ev.energy / n as f64
    );
    let p = (pressure[0] + pressure[1] + pressure[2]) / 3.0;
    let _ = writeln!(
        r,
        "* pressure {:.4} GPa (virial only, T = 0)\n",
        p * BAR_TO_GPA
    );
    r.push_str(&voronoi_section(&glass, &vor));
    r.push_str(&stress_section(&glass, &atomic, BAR_TO_GPA));
    let total_d2: f64 = d2.d2min.iter().sum::<f64>() / n as f64;
    let max_d2 = d2.d2min.iter().cloned().fold(0.0, f64::max);
    let _ = writeln!(r, "## Athermal 1 % xy shear\n");
    let _ = writeln!(
        r,
        "* CG after the affine step: {} after {} iterations; ΔE = {:.6} eV",
        shear_min.stop,
        shear_min.iterations,
        shear_min.energy_final - ev.energy
    );
    let _ = writeln!(
        r,
        "* D²min (cutoff 4.0 Å): mean {total_d2:.4e} Å², max {max_d2:.4e} Å²"
    );
    let _ = writeln!(
        r,
        "\n## IS D_min after a 2 ps NVT excursion at 700 K (then CG)\n"
    );
    let _ = writeln!(
        r,
        "* IS D_min {:.6e} Å (labelled RMSD {:.6e} Å, {} atoms relabelled, optimality certified: {})",
        dmin.dmin, dmin.rmsd, dmin.reassigned, dmin.optimality_certified
    );
    let _ = writeln!(
        r,
        "\nFiles: glass.data, glass.dump (Voronoi + atomic stress), sheared.data, d2min.dump, aged.data; open the dumps in OVITO."
    );
    std::fs::write(out("report.md"), &r)
        .with_context(|| format!("writing {}", out("report.md").display()))?;
    println!("{r}");
    println!("written to {}", args.out.display());
    Ok(())
}

fn minimize_settings() -> MinimizeSettings {
    MinimizeSettings::new(0.0, 1e-8, 20_000, 200_000, false)
}

fn write_columns(path: &Path, sys: &System, cols: &[(String, Vec<f64>)]) -> Result<()> {
    let extra: Vec<(&str, &[f64])> = cols
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    write_dump_system(path, sys, 0, &extra)?;
    Ok(())
}

/// D²min results come in ascending id order; put them back in the system's atom order.
fn write_d2min_dump(
    path: &Path,
    sys: &System,
    ids: &[u64],
    d2: &[f64],
    shear: &[f64],
) -> Result<()> {
    let pos: std::collections::HashMap<u64, usize> =
        ids.iter().enumerate().map(|(k, &id)| (id, k)).collect();
    let pick = |v: &[f64]| -> Vec<f64> {
        sys.ids
            .iter()
            .map(|id| pos.get(id).map_or(f64::NAN, |&k| v[k]))
            .collect()
    };
    write_columns(
        path,
        sys,
        &[
            ("d2min".into(), pick(d2)),
            ("shear_strain".into(), pick(shear)),
        ],
    )
}

fn voronoi_section(sys: &System, vor: &pelkit::analysis::voronoi::Tessellation) -> String {
    let n = sys.natoms();
    let key = |i: usize| -> [u32; 4] {
        let v = vor.voronoi_index(i);
        [3, 4, 5, 6].map(|k| v.get(k).copied().unwrap_or(0))
    };
    let mut counts: std::collections::BTreeMap<[u32; 4], usize> = Default::default();
    for i in 0..n {
        *counts.entry(key(i)).or_default() += 1;
    }
    let mut top: Vec<_> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut s = String::from("## Voronoi indices ⟨n3,n4,n5,n6⟩ (edge 0.1 Å, relative face 0.01)\n\n| index | atoms | fraction |\n|---|---|---|\n");
    for (idx, c) in top.iter().take(8) {
        let _ = writeln!(
            s,
            "| ⟨{},{},{},{}⟩ | {c} | {:.3} |",
            idx[0],
            idx[1],
            idx[2],
            idx[3],
            *c as f64 / n as f64
        );
    }
    for (t, el) in ELEMENTS.iter().enumerate() {
        let of_type: Vec<usize> = (0..n).filter(|&i| sys.types[i] as usize == t + 1).collect();
        let ico = of_type.iter().filter(|&&i| key(i) == [0, 0, 12, 0]).count();
        let cn: f64 = of_type
            .iter()
            .map(|&i| vor.coordination[i] as f64)
            .sum::<f64>()
            / of_type.len().max(1) as f64;
        let _ = writeln!(
            s,
            "\n* {el}: mean coordination {cn:.2}, icosahedral ⟨0,0,12,0⟩ fraction {:.3}",
            ico as f64 / of_type.len().max(1) as f64
        );
    }
    s.push('\n');
    s
}

fn stress_section(
    sys: &System,
    atomic: &[pelkit::analysis::atomic_stress::AtomicStress],
    k: f64,
) -> String {
    let mut s = String::from("## Atomic-level stress (σ = stress/atom ÷ Voronoi volume, GPa)\n\n| type | ⟨p⟩ | std p | ⟨von Mises⟩ |\n|---|---|---|---|\n");
    for (t, el) in ELEMENTS.iter().enumerate() {
        let p: Vec<f64> = (0..sys.natoms())
            .filter(|&i| sys.types[i] as usize == t + 1)
            .map(|i| atomic[i].pressure * k)
            .collect();
        let vm: Vec<f64> = (0..sys.natoms())
            .filter(|&i| sys.types[i] as usize == t + 1)
            .map(|i| atomic[i].von_mises * k)
            .collect();
        let m = p.iter().sum::<f64>() / p.len().max(1) as f64;
        let sd = (p.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / p.len().max(1) as f64).sqrt();
        let mv = vm.iter().sum::<f64>() / vm.len().max(1) as f64;
        let _ = writeln!(s, "| {el} | {m:.3} | {sd:.3} | {mv:.3} |");
    }
    s.push('\n');
    s
}
