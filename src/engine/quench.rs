//! Glass preparation: a random start (or a given configuration), melt at high temperature in
//! NVT, a linear NVT quench to the final temperature, and a CG minimization to the inherent
//! structure — the protocol of a LAMMPS script `velocity create` / `fix nvt temp Tm Tm` / `fix
//! nvt temp Tm Tf` / `minimize`.

use crate::units::Units;
use serde::Serialize;

use crate::engine::md::{run_md, MdSample, MdSettings};
use crate::engine::min_cg::minimize_cg;
use crate::engine::velocity::create_velocities;
use crate::engine::{EngineError, ForceProvider, MinimizeSettings, MinimizeSummary};
use crate::{SimBox, System};

/// Parameters of melt–quench–minimize. Temperatures in K (metal) or ε/k_B (lj), times in ps or τ.
#[derive(Debug, Clone, PartialEq)]
pub struct QuenchProtocol {
    pub units: Units,
    pub dt: f64,
    pub t_melt: f64,
    pub melt_steps: u64,
    pub t_final: f64,
    pub quench_steps: u64,
    /// Nosé–Hoover damping time.
    pub t_damp: f64,
    pub seed: u64,
    /// Final minimization (`minimize etol ftol maxiter maxeval`).
    pub minimize: MinimizeSettings,
    /// Record an MD sample every this many steps.
    pub sample_every: u64,
}

/// What the protocol did: MD samples of both stages and the final minimization summary.
#[derive(Debug, Clone, Serialize)]
pub struct QuenchReport {
    pub melt: Vec<MdSample>,
    pub quench: Vec<MdSample>,
    pub pre_minimize: MinimizeSummary,
    pub minimize: MinimizeSummary,
    /// Cooling rate (temperature per time unit).
    pub cooling_rate: f64,
}

/// Default `min_distance` of [`random_start`]: 2.0 Å (metal, real), 0.75 σ (lj) — below the
/// repulsive core of the usual glass formers (Cu–Zr EAM, Kob–Andersen), so the loose
/// pre-minimization of [`melt_quench_minimize`] only has to remove mild overlaps.
pub fn default_min_distance(units: Units) -> f64 {
    match units {
        Units::Metal | Units::Real => 2.0,
        Units::Lj => 0.75,
    }
}

/// Random positions in `simbox`: `counts[t]` atoms of type t+1, no two closer than
/// `min_distance` (rejection sampling with a seeded generator; at most 1000 tries per atom).
pub fn random_start(
    simbox: SimBox,
    counts: &[usize],
    masses: &[f64],
    min_distance: f64,
    seed: u64,
) -> Result<System, EngineError> {
    if counts.len() != masses.len() || counts.is_empty() {
        return Err(EngineError::InvalidInput(
            "random start: one count and one mass per atom type".into(),
        ));
    }
    let mut s = seed ^ 0x5DEE_CE66_D1CE_5EED;
    let mut rnd = move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let n: usize = counts.iter().sum();
    let min_sq = min_distance * min_distance;
    let mut positions: Vec<[f64; 3]> = Vec::with_capacity(n);
    let mut types = Vec::with_capacity(n);
    for (t, &count) in counts.iter().enumerate() {
        for _ in 0..count {
            let mut placed = false;
            for _ in 0..1000 {
                let x = simbox.to_cartesian([rnd(), rnd(), rnd()]);
                let ok = positions.iter().all(|p| {
                    let d = simbox.minimum_image([x[0] - p[0], x[1] - p[1], x[2] - p[2]]);
                    d[0] * d[0] + d[1] * d[1] + d[2] * d[2] >= min_sq
                });
                if ok {
                    positions.push(x);
                    types.push(t as u32 + 1);
                    placed = true;
                    break;
                }
            }
            if !placed {
                return Err(EngineError::InvalidInput(format!(
                    "random start: could not place atom {} with minimum distance {min_distance} \
                     after 1000 tries (box too dense)",
                    positions.len() + 1
                )));
            }
        }
    }
    let mut sys = System::new(simbox, (1..=n as u64).collect(), types, positions);
    sys.ntypes = counts.len();
    sys.masses = masses.iter().map(|&m| Some(m)).collect();
    Ok(sys)
}

/// Run the protocol on `sys` in place: a loose minimization of the start (removes overlaps,
/// as `minimize 0 1e-6 2000 20000`), velocities at `t_melt`, NVT melt, NVT linear quench, CG.
pub fn melt_quench_minimize<P: ForceProvider + ?Sized>(
    sys: &mut System,
    provider: &mut P,
    p: &QuenchProtocol,
    on_sample: &mut dyn FnMut(&str, &System, &MdSample),
) -> Result<QuenchReport, EngineError> {
    let norm = p.minimize.normalize_energy;
    let loose = MinimizeSettings::new(0.0, 1e-6, 2000, 20000, norm);
    let pre_minimize = minimize_cg(sys, provider, &loose)?;
    create_velocities(sys, p.t_melt, p.seed, p.units)?;
    // One NVT stage ramping t_start → t_stop, its samples labelled `stage`.
    let mut nvt = |sys: &mut System, stage: &str, steps: u64, t_start: f64, t_stop: f64| {
        let settings = MdSettings {
            sample_every: p.sample_every,
            ..MdSettings::nvt(p.units, p.dt, steps, t_start, t_stop, p.t_damp)
        };
        run_md(sys, &mut *provider, &settings, &mut |s, m| {
            on_sample(stage, s, m)
        })
    };
    let melt = nvt(sys, "melt", p.melt_steps, p.t_melt, p.t_melt)?;
    let quench = nvt(sys, "quench", p.quench_steps, p.t_melt, p.t_final)?;
    let minimize = minimize_cg(sys, provider, &p.minimize)?;
    let duration = p.quench_steps as f64 * p.dt;
    Ok(QuenchReport {
        melt,
        quench,
        pre_minimize,
        minimize,
        cooling_rate: if duration > 0.0 {
            (p.t_melt - p.t_final) / duration
        } else {
            f64::INFINITY
        },
    })
}
