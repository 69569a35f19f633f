//! `pelkit eval`: one energy/force/virial evaluation of a configuration with a LAMMPS-style
//! potential, printing totals and writing per-atom energies, forces and stresses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::geometry::{ListKind, NeighborList};
use pelkit::potential::{Evaluation, Potential, Units};
use pelkit::{SimBox, System};

#[derive(Args)]
#[command(after_help = "\
Examples (one command line each):
  Kob-Andersen 80:20, truncated and shifted (units lj):
    pelkit eval ka.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0 2.5' \\
      --pair-coeff '1 2 1.5 0.8 2.0' --pair-coeff '2 2 0.5 0.88 2.2' --pair-modify 'shift yes'
  50:50 binary LJ (Wahnstrom: sigma_BB = 5/6, sigma_AB = 11/12 by arithmetic mixing;
  cutoff 2.5 for every pair here):
    pelkit eval w.data --pair-style 'lj/cut 2.5' --pair-coeff '1 1 1.0 1.0' \\
      --pair-coeff '2 2 1.0 0.8333333333333334' --pair-modify 'mix arithmetic' --pair-modify 'shift yes'
  WCA (purely repulsive LJ, rc = 2^(1/6) sigma):
    pelkit eval x.data --pair-style 'lj/cut 1.122462048309373' --pair-coeff '* * 1.0 1.0' \\
      --pair-modify 'shift yes'
  Mendelev Cu-Zr (units metal):
    pelkit eval cuzr.data --pair-style eam/fs --pair-coeff '* * CuZr_mm.eam.fs Cu Zr'")]
pub struct EvalArgs {
    /// Configuration: a LAMMPS data file (atom_style atomic or charge; `Velocities` are used
    /// for the kinetic part of the pressure).
    pub input: PathBuf,
    /// LAMMPS `pair_style` arguments: `lj/cut RC`, `table linear|spline|lookup N` (tables
    /// in r², LAMMPS' default), `eam`, `eam/alloy` or `eam/fs`.
    #[arg(long)]
    pub pair_style: String,
    /// LAMMPS `pair_coeff` arguments, repeatable, with type ranges (`* *`, `1*2`).
    /// lj/cut: `I J epsilon sigma [cutoff]` (unset I≠J pairs are mixed, default geometric);
    /// table: `I J file KEYWORD [cutoff]` (cutoff default: the table's last r; it must lie
    /// inside the table); eam: `I I file.eam`; eam/alloy, eam/fs: `* * file El1 … ElN` (one
    /// element per type).
    #[arg(long)]
    pub pair_coeff: Vec<String>,
    /// LAMMPS `pair_modify` arguments, repeatable: `shift yes|no` (default no),
    /// `mix geometric|arithmetic|sixthpower` (default geometric).
    #[arg(long)]
    pub pair_modify: Vec<String>,
    /// LAMMPS unit system of the potential and the output: lj, metal or real.
    /// Default: metal for eam styles, lj otherwise.
    #[arg(long)]
    pub units: Option<String>,
    /// Write per-atom results as a LAMMPS text dump sorted by id, columns
    /// `id type x y z fx fy fz pe sxx syy szz sxy sxz syz` (pe as compute pe/atom; s** as
    /// compute stress/atom NULL: pressure·volume units, e.g. bar·Å³, sign of LAMMPS, kinetic
    /// part included when velocities are given).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object {"natoms","pe","pressure":[xx,yy,zz,xy,xz,yz],"volume"}
    /// (energy and pressure units of the unit system, e.g. eV and bar for metal).
    #[arg(long)]
    pub json: bool,
    /// Number of threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

pub fn run(args: EvalArgs) -> Result<()> {
    // TODO(lead): switch to pelkit::io::read_configuration once it is on main.
    let mut sys = read_data_file(&args.input)?;
    let pot = Potential::from_lammps_args(
        &args.pair_style,
        &args.pair_coeff,
        &args.pair_modify,
        sys.ntypes,
    )
    .context("setting up the potential")?;
    let units = match &args.units {
        Some(u) => {
            Units::from_name(u).with_context(|| format!("unknown units '{u}' (lj, metal, real)"))?
        }
        None if args.pair_style.trim_start().starts_with("eam") => Units::Metal,
        None => Units::Lj,
    };
    if let Some(m) = pot.masses() {
        // pair_coeff sets the masses of EAM types, as in LAMMPS.
        sys.masses = m.iter().map(|&v| Some(v)).collect();
    }
    let evaluate = || -> Result<Evaluation> {
        let list = NeighborList::build(
            &sys.simbox,
            &sys.positions,
            pot.cutoff(),
            0.0,
            ListKind::Full,
        )?;
        Ok(pot.evaluate(&sys, &list)?)
    };
    let ev = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(evaluate)?,
        None => evaluate()?,
    };
    let pressure = ev.pressure_tensor(&sys, units);
    if let Some(path) = &args.output {
        write_dump(path, &sys, &ev, units)?;
    }
    if args.json {
        let obj = serde_json::json!({
            "natoms": sys.natoms(),
            "pe": ev.energy,
            "pressure": pressure,
            "volume": sys.simbox.volume(),
        });
        println!("{obj}");
    } else {
        println!("atoms           {}", sys.natoms());
        println!("potential energy {:.10e}", ev.energy);
        println!(
            "pressure        {:.10e} (xx {:.6e} yy {:.6e} zz {:.6e} xy {:.6e} xz {:.6e} yz {:.6e})",
            (pressure[0] + pressure[1] + pressure[2]) / 3.0,
            pressure[0],
            pressure[1],
            pressure[2],
            pressure[3],
            pressure[4],
            pressure[5]
        );
        println!("volume          {:.10e}", sys.simbox.volume());
    }
    Ok(())
}

fn write_dump(path: &Path, sys: &System, ev: &Evaluation, units: Units) -> Result<()> {
    let stress = ev.stress_atom(sys, units);
    let b = &sys.simbox;
    let mut s = String::with_capacity(sys.natoms() * 300 + 512);
    let bounds = b.bounds();
    let _ = writeln!(
        s,
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{}",
        sys.natoms()
    );
    let pbc: Vec<&str> = b
        .periodic
        .iter()
        .map(|&p| if p { "pp" } else { "ff" })
        .collect();
    if b.triclinic {
        let _ = writeln!(s, "ITEM: BOX BOUNDS xy xz yz {}", pbc.join(" "));
        for d in 0..3 {
            let _ = writeln!(s, "{:?} {:?} {:?}", bounds[d][0], bounds[d][1], b.tilt[d]);
        }
    } else {
        let _ = writeln!(s, "ITEM: BOX BOUNDS {}", pbc.join(" "));
        for bd in bounds {
            let _ = writeln!(s, "{:?} {:?}", bd[0], bd[1]);
        }
    }
    s.push_str("ITEM: ATOMS id type x y z fx fy fz pe sxx syy szz sxy sxz syz\n");
    for i in sys.order_by_id() {
        let x = sys.positions[i];
        let f = ev.forces[i];
        let st = stress[i];
        let _ = write!(
            s,
            "{} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            sys.ids[i], sys.types[i], x[0], x[1], x[2], f[0], f[1], f[2], ev.per_atom_energy[i]
        );
        for v in st {
            let _ = write!(s, " {v:?}");
        }
        s.push('\n');
    }
    std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))
}

/// Minimal LAMMPS data file reader (atom_style atomic or charge, Masses, Velocities).
fn read_data_file(path: &Path) -> Result<System> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut natoms = None;
    let mut ntypes = None;
    let (mut lo, mut hi, mut tilt) = ([0.0; 3], [0.0; 3], None);
    let mut masses: Vec<Option<f64>> = Vec::new();
    let mut atoms: Vec<(u64, u32, [f64; 3], [i32; 3])> = Vec::new();
    let mut velocities: Vec<(u64, [f64; 3])> = Vec::new();
    let mut section = "";
    let mut atom_style = String::new();
    let num = |w: &str, line: usize| -> Result<f64> {
        w.parse::<f64>()
            .with_context(|| format!("{}:{line}: '{w}' is not a number", path.display()))
    };
    for (ln, raw) in text.lines().enumerate().skip(1) {
        let line_no = ln + 1;
        let (body, comment) = match raw.split_once('#') {
            Some((b, c)) => (b.trim(), c.trim()),
            None => (raw.trim(), ""),
        };
        if body.is_empty() {
            continue;
        }
        let w: Vec<&str> = body.split_whitespace().collect();
        if w[0].chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            section = match body {
                "Masses" => "masses",
                "Atoms" => {
                    atom_style = comment.to_string();
                    "atoms"
                }
                "Velocities" => "velocities",
                _ => "other",
            };
            continue;
        }
        match section {
            "" => match &w[..] {
                [n, "atoms"] => natoms = Some(n.parse::<usize>()?),
                [n, "atom", "types"] => ntypes = Some(n.parse::<usize>()?),
                [a, b, "xlo", "xhi"] => (lo[0], hi[0]) = (num(a, line_no)?, num(b, line_no)?),
                [a, b, "ylo", "yhi"] => (lo[1], hi[1]) = (num(a, line_no)?, num(b, line_no)?),
                [a, b, "zlo", "zhi"] => (lo[2], hi[2]) = (num(a, line_no)?, num(b, line_no)?),
                [a, b, c, "xy", "xz", "yz"] => {
                    tilt = Some([num(a, line_no)?, num(b, line_no)?, num(c, line_no)?])
                }
                _ => {}
            },
            "masses" => {
                let t: usize = w[0].parse()?;
                if masses.len() < t {
                    masses.resize(t, None);
                }
                masses[t - 1] = Some(num(w.get(1).copied().unwrap_or(""), line_no)?);
            }
            "atoms" => {
                let charge =
                    atom_style == "charge" || (atom_style.is_empty() && matches!(w.len(), 6 | 9));
                let first = if charge { 3 } else { 2 };
                if w.len() < first + 3 {
                    bail!("{}:{line_no}: too few columns in Atoms", path.display());
                }
                let x = [
                    num(w[first], line_no)?,
                    num(w[first + 1], line_no)?,
                    num(w[first + 2], line_no)?,
                ];
                let mut image = [0; 3];
                if w.len() >= first + 6 {
                    for d in 0..3 {
                        image[d] = w[first + 3 + d].parse()?;
                    }
                }
                atoms.push((w[0].parse()?, w[1].parse()?, x, image));
            }
            "velocities" if w.len() >= 4 => {
                velocities.push((
                    w[0].parse()?,
                    [
                        num(w[1], line_no)?,
                        num(w[2], line_no)?,
                        num(w[3], line_no)?,
                    ],
                ));
            }
            _ => {}
        }
    }
    let natoms = natoms.context("data file has no 'atoms' count")?;
    let ntypes = ntypes.context("data file has no 'atom types' count")?;
    if atoms.len() != natoms {
        bail!(
            "{}: header says {natoms} atoms, Atoms section has {}",
            path.display(),
            atoms.len()
        );
    }
    let simbox = match tilt {
        Some(t) => SimBox::triclinic(lo, hi, t)?,
        None => SimBox::orthogonal(lo, hi)?,
    };
    let mut sys = System::new(
        simbox,
        atoms.iter().map(|a| a.0).collect(),
        atoms.iter().map(|a| a.1).collect(),
        atoms.iter().map(|a| a.2).collect(),
    );
    sys.images = atoms.iter().map(|a| a.3).collect();
    sys.ntypes = ntypes;
    masses.resize(ntypes, None);
    sys.masses = masses;
    if !velocities.is_empty() {
        let index: std::collections::HashMap<u64, usize> =
            sys.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut v = vec![[0.0; 3]; natoms];
        for (id, vel) in velocities {
            let i = *index
                .get(&id)
                .with_context(|| format!("velocity for unknown atom id {id}"))?;
            v[i] = vel;
        }
        sys.velocities = Some(v);
    }
    Ok(sys)
}
