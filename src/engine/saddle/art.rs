//! ART nouveau (Barkema & Mousseau 1996; Malek & Mousseau 2000; Marinica et al. 2011):
//! 1. from a relaxed minimum, displace one atom and its neighbours within `local_radius` by a
//!    random vector (norm `init_displacement`, its mean over the displaced atoms removed so that
//!    the push does not translate the system);
//! 2. leave the basin: push along that direction by `push_step`, relax the perpendicular force
//!    with a few FIRE steps, compute the lowest Hessian eigenpair with Lanczos
//!    ([`super::lanczos`]); repeat until the eigenvalue drops below `eigen_threshold` (ARTn's
//!    EIGENVALUE_THRESHOLD: leave the harmonic basin only once the curvature is clearly negative);
//! 3. activation: follow the lowest mode uphill and relax all other directions ([`Activation`]:
//!    by default L-BFGS on the modified force G = F − 2(F·v)v, v refreshed by Lanczos every
//!    step) until the force norm
//!    (Euclidean norm of the 3N vector) is ≤ `force_tol` with the eigenvalue below
//!    `saddle_eigen_max` (if the curvature turns positive, push on along v away from the start);
//! 4. relax from the saddle pushed by ±`side_push` along v with the engine's CG minimizer, giving
//!    the final minimum (away from the start) and checking the other side returns to the start
//!    (`connected`; states compared up to a rigid translation, [`super::state_distance`]).
//!
//! Events run in parallel over starting atoms (rayon), each with its own force provider and a
//! random stream seeded by (seed, event index): results do not depend on the thread count.
//! [`deduplicate`] labels saddles that are the same (energy and configuration distance).

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::min_cg::minimize_cg;
use crate::engine::minimize::wrap_all;
use crate::engine::saddle::fire_flat::{FlatFire, FlatFireSettings};
use crate::engine::saddle::lanczos::{lowest_mode, LanczosSettings};
use crate::engine::saddle::lbfgs_flat::FlatLbfgs;
use crate::engine::saddle::{
    axpy, displacement, dot, max_atom_norm, norm, state_displacement, state_distance, SaddleError,
};
use crate::engine::{ForceProvider, ForceResult, MinimizeSettings};
use crate::random::Rng;
use crate::System;

/// ART settings; distances in distance units, energies in energy units.
#[derive(Debug, Clone, PartialEq)]
pub struct ArtSettings {
    /// Neighbours of the chosen atom within this distance are displaced too.
    pub local_radius: f64,
    /// Norm of the initial random displacement (whole 3N vector).
    pub init_displacement: f64,
    /// Push along the initial direction per basin-leaving step.
    pub push_step: f64,
    /// Basin-leaving steps before giving up (the event is counted as `NoExit`).
    pub max_basin_steps: usize,
    /// FIRE steps of perpendicular relaxation after each push.
    pub perp_relax_steps: usize,
    /// Lowest eigenvalue (energy/distance²) below which activation starts (ARTn's
    /// EIGENVALUE_THRESHOLD).
    pub eigen_threshold: f64,
    /// A converged saddle must have its lowest eigenvalue below this (energy/distance², ≤ 0):
    /// excludes the near-flat inflection points (λ ≈ 0⁻, small force) of soft modes.
    pub saddle_eigen_max: f64,
    /// Lanczos (basin exit and activation) acts on the atoms within this distance of the
    /// event's atom in the initial minimum (`None`: the whole system). The lowest mode of the
    /// whole system is the glass's softest spot wherever the event started; restricted to a
    /// region, the curvature followed is the event's own and, by Cauchy interlacing, a negative
    /// local eigenvalue is a negative curvature of the full Hessian too.
    pub mode_radius: Option<f64>,
    /// Saddle convergence: Euclidean norm of the 3N force vector.
    pub force_tol: f64,
    /// Activation iterations (one Lanczos each) before giving up (`SaddleNotConverged`).
    pub max_activation_steps: usize,
    /// How activation converges onto the saddle.
    pub activation: Activation,
    /// FIRE on the modified force (timestep, step limit).
    pub fire: FlatFireSettings,
    pub lanczos: LanczosSettings,
    /// Displacement along ±v from the saddle before relaxing to the minima.
    pub side_push: f64,
    /// Minimizer settings for the relaxations (normalize_energy is ignored: totals are used).
    pub minimize: MinimizeSettings,
    /// Two configurations closer than this (configuration distance) are the same state.
    pub same_distance: f64,
    /// … and whose energies differ by less than this.
    pub same_energy: f64,
}

impl ArtSettings {
    /// Defaults for metal units (Å, eV), from the ARTn code (Mousseau et al.) and its ports;
    /// "ARTn example" is the documented a-Si input of ARTn (`Radius_Initial_Deformation 3.5`,
    /// `Initial_Step_Size 0.05`, `Increment_Size 0.09`, `Basin_Factor 2.1`,
    /// `Eigenvalue_Threshold −0.5`, `Exit_Force_Threshold 0.10`), "ARTn Cu" an ARTn/LAMMPS
    /// input for EAM Cu (radius 3.0, initial step 0.5, basin step 2.4 × 0.06, threshold −1,
    /// exit force 0.05), pARTn the ARTn plugin (eigval_thr −0.01 Ry/bohr² = −0.49 eV/Å²):
    /// - `local_radius` 3.5 Å: ARTn example (ARTn Cu 3.0; LAMMPS min_artn 5.0);
    /// - `init_displacement` 0.3 Å (norm of the whole displacement vector): inside ARTn's range
    ///   0.05 (example) – 0.5 (ARTn Cu);
    /// - `push_step` 0.1 Å × up to `max_basin_steps` 40: ARTn pushes 0.14–0.19 Å for 12–20
    ///   steps; the smaller step with more steps reaches as far (4 Å) and resolves the exit;
    /// - `eigen_threshold` −1 eV/Å²: ARTn Cu (−1), ARTn example −0.5, pARTn −0.49. With
    ///   −0.05 (the value before session 5) every event on a 2,000-atom Cu–Zr glass left the
    ///   basin into one of the glass's softest global modes (λ ≈ −0.1 eV/Å², wherever the push
    ///   was) and 9 of 10 found one of the same two meV saddles (docs/saddle.md);
    /// - `saddle_eigen_max` −0.01 eV/Å²: pARTn's eigval_thr order in LAMMPS min_artn
    ///   (eigen_th_well −0.01); a saddle with λ between it and 0 counts as not converged;
    /// - `mode_radius` None (the whole system, as the Lanczos of ARTn and pARTn; we found no
    ///   documented ARTn default for a local mode to cite): on the 2,000-atom Cu–Zr glass the
    ///   whole-system mode gave 14 of 20 saddles at soft spots 10–25 Å from the event's atom,
    ///   and one 6-event trial with 8 Å gave 3 local eV-scale saddles (docs/saddle.md), too few
    ///   events to make it the default: pass it (`pelkit art --mode-radius 8`) for glasses;
    /// - `activation` [`Activation::Lbfgs`] with 10 pairs (since session 7; sessions 1–6 used
    ///   [`Activation::ModifiedForce`]). On the 255-atom Cu vacancy crystal with the 4 Å mode
    ///   (`saddle_neb_lammps`) it finds the same 0.550929 eV hop, joined to the start, in 480–590
    ///   evaluations against 970–1,100 for FIRE on G; on chunks 0–1 of the 2,000-atom Cu–Zr
    ///   glass (`mode_radius` 8 Å, force_tol 0.05) it converged 9 of 12 events in 1,300–6,900
    ///   evaluations, where FIRE on G converged 3 of 12 and the Newton activation 5 of 12 (it
    ///   creeps less: |F·v| ≲ 1e-3 eV/Å, but one FIRE step per Lanczos relaxes the
    ///   perpendicular force slowly; more steps relaxed the glass back into the basin). On the
    ///   same glass most saddles of every activation are not joined to the start
    ///   (docs/saddle.md, "Session 7");
    /// - `force_tol` 0.01 eV/Å (2-norm of the 3N vector): tighter than ARTn's exit force
    ///   0.05–0.1 (a maximum-component or 2-norm criterion there) so that E_A is accurate to
    ///   ≈ F²/(2|λ|) ≲ 1e-4 eV.
    pub fn metal() -> Self {
        ArtSettings {
            local_radius: 3.5,
            init_displacement: 0.3,
            push_step: 0.1,
            max_basin_steps: 40,
            perp_relax_steps: 4,
            eigen_threshold: -1.0,
            saddle_eigen_max: -0.01,
            mode_radius: None,
            force_tol: 0.01,
            max_activation_steps: 400,
            activation: Activation::Lbfgs {
                memory: Activation::DEFAULT_LBFGS_MEMORY,
            },
            fire: FlatFireSettings::new(0.03, 0.1),
            lanczos: LanczosSettings::default(),
            side_push: 0.15,
            minimize: MinimizeSettings::new(0.0, 1e-6, 20_000, 200_000, false),
            same_distance: 0.1,
            same_energy: 1e-3,
        }
    }

    /// Defaults for a unit system: [`ArtSettings::metal`] for metal units; for LJ units
    /// (σ, ε) distances and steps scaled to the Kob–Andersen glass (the values `pelkit art`
    /// and `pelkit bench art` use; the saddle must have λ below the exit threshold, −0.5 ε/σ²).
    pub fn for_units(units: crate::units::Units) -> Self {
        let mut s = ArtSettings::metal();
        if units == crate::units::Units::Lj {
            s.local_radius = 1.5;
            s.init_displacement = 0.15;
            s.push_step = 0.05;
            s.eigen_threshold = -0.5;
            s.saddle_eigen_max = -0.5;
            s.fire = FlatFireSettings::new(0.01, 0.05);
            s.lanczos.fd_step = 1e-4;
            s.side_push = 0.1;
            s.same_distance = 0.05;
            s.same_energy = 1e-4;
        }
        s
    }

    pub fn validate(&self) -> Result<(), SaddleError> {
        let pos = |v: f64| v.is_finite() && v > 0.0;
        if !(pos(self.init_displacement)
            && pos(self.push_step)
            && pos(self.force_tol)
            && pos(self.side_push)
            && self.local_radius.is_finite()
            && self.local_radius >= 0.0
            && self.eigen_threshold.is_finite()
            && self.saddle_eigen_max.is_finite()
            && self.saddle_eigen_max <= 0.0
            && self
                .mode_radius
                .is_none_or(|r| r.is_finite() && r >= self.local_radius)
            && self.lanczos.tol >= 0.0
            && self.lanczos.tol.is_finite())
        {
            return Err(SaddleError::InvalidInput(
                "art: init_displacement, push_step, force_tol, side_push must be > 0, local_radius ≥ 0, eigen_threshold finite, saddle_eigen_max ≤ 0, mode_radius ≥ local_radius, Lanczos tol ≥ 0".into(),
            ));
        }
        self.fire.validate()
    }
}

/// How ART's activation moves from the basin exit to the saddle. Both stop when ‖F‖₂ ≤
/// `force_tol` with λ_min < `saddle_eigen_max`, and refresh the lowest mode v by Lanczos
/// (started from the previous v) once per iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// One FIRE step on the modified force G = F − 2(F·v)v per Lanczos (sessions 1–5).
    ModifiedForce,
    /// ARTn's scheme: per Lanczos, one step along v to the maximum of the quadratic model,
    /// c = (F·v)/λ capped at `push_step`, then up to `perp_steps` FIRE steps on the
    /// perpendicular force F − (F·v)v (ARTn's Max_Perp_Moves_Activ, 8–12 in its inputs;
    /// LAMMPS min_artn 15 + iteration).
    NewtonPerp { perp_steps: usize },
    /// L-BFGS on the modified force G = F − 2(F·v)v (the dimer method's translation; Kästner &
    /// Sherwood 2008, EON), steps capped at the FIRE `max_step`, `memory` pairs; with λ ≥ 0 the
    /// push on along v of the other schemes, after which the memory is cleared.
    Lbfgs { memory: usize },
}

impl Activation {
    /// Perpendicular FIRE steps per Lanczos of [`Activation::NewtonPerp`] when none is given.
    pub const DEFAULT_PERP_STEPS: usize = 1;
    /// Curvature pairs of [`Activation::Lbfgs`] when none is given (the value every session-7
    /// measurement used).
    pub const DEFAULT_LBFGS_MEMORY: usize = 10;
}

/// How an event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArtStatus {
    /// A saddle was converged and both sides relaxed.
    Found,
    /// The lowest eigenvalue never fell below the threshold: the push never left the basin.
    NoExit,
    /// Negative curvature was reached but the force did not converge.
    SaddleNotConverged,
}

impl ArtStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtStatus::Found => "found",
            ArtStatus::NoExit => "no_exit",
            ArtStatus::SaddleNotConverged => "saddle_not_converged",
        }
    }
}

/// One ART event. Energies are totals; `e_a = e_saddle − e_initial`,
/// `e_back = e_saddle − e_final`.
#[derive(Debug, Clone, Serialize)]
pub struct ArtEvent {
    pub event: usize,
    pub atom_index: usize,
    pub atom_id: u64,
    pub status: ArtStatus,
    pub e_initial: f64,
    pub e_saddle: f64,
    pub e_final: f64,
    pub e_a: f64,
    pub e_back: f64,
    /// Lowest Hessian eigenvalue at the saddle (Lanczos).
    pub lambda_saddle: f64,
    /// Force norm at the saddle.
    pub saddle_fnorm: f64,
    /// Configuration distances initial→saddle and initial→final.
    pub saddle_distance: f64,
    pub final_distance: f64,
    /// The −v side relaxed back to the initial minimum.
    pub connected: bool,
    /// The minimum the −v side relaxed to, against the initial one: configuration distance,
    /// energy difference E_back_min − E_initial, and the largest single-atom displacement
    /// (distinguishes a far-off soft spot that flipped on the way, a small move, from a
    /// different local basin).
    pub back_distance: f64,
    pub back_de: f64,
    pub back_max_move: f64,
    /// The +v side relaxed back to the initial minimum too (no new minimum).
    pub final_is_initial: bool,
    pub force_evaluations: usize,
    /// Index of the first event with the same saddle (set by [`deduplicate`]).
    pub same_as: Option<usize>,
    #[serde(skip)]
    pub saddle: Option<System>,
    #[serde(skip)]
    pub final_state: Option<System>,
}

/// Counts a provider's evaluations.
struct Counting<'a, P: ForceProvider + ?Sized> {
    inner: &'a mut P,
    n: usize,
}

impl<P: ForceProvider + ?Sized> ForceProvider for Counting<'_, P> {
    fn compute(
        &mut self,
        sys: &System,
        out: &mut ForceResult,
    ) -> Result<(), crate::engine::EngineError> {
        self.n += 1;
        self.inner.compute(sys, out)
    }
}

fn project_out(f: &[[f64; 3]], d: &[[f64; 3]], factor: f64) -> Vec<[f64; 3]> {
    let c = dot(f, d) * factor;
    f.iter()
        .zip(d)
        .map(|(fi, di)| [fi[0] - c * di[0], fi[1] - c * di[1], fi[2] - c * di[2]])
        .collect()
}

fn move_by(sys: &mut System, dx: &[[f64; 3]]) {
    axpy(&mut sys.positions, 1.0, dx);
    wrap_all(sys);
}

/// Relax `start` to its minimum with CG; returns (state, energy).
fn relax<P: ForceProvider + ?Sized>(
    mut start: System,
    provider: &mut P,
    settings: &MinimizeSettings,
) -> Result<(System, f64), SaddleError> {
    let mut s = settings.clone();
    s.normalize_energy = false;
    let summary = minimize_cg(&mut start, provider, &s)?;
    Ok((start, summary.energy_total_final))
}

/// One ART event from the minimum `initial` (energy `e_initial`), centred on atom index `atom`.
pub fn art_event<P: ForceProvider + ?Sized>(
    initial: &System,
    e_initial: f64,
    provider: &mut P,
    event: usize,
    atom: usize,
    seed: u64,
    s: &ArtSettings,
) -> Result<ArtEvent, SaddleError> {
    s.validate()?;
    let n = initial.natoms();
    if atom >= n {
        return Err(SaddleError::InvalidInput(format!(
            "art: atom index {atom} out of range ({n} atoms)"
        )));
    }
    let mut prov = Counting {
        inner: provider,
        n: 0,
    };
    let mut rng = Rng::new(seed ^ (event as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    // 1. Local random displacement.
    let centre = initial.positions[atom];
    let within = |x: &[f64; 3], r: f64| {
        let d =
            initial
                .simbox
                .minimum_image([x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]]);
        (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt() <= r
    };
    let mask: Option<Vec<bool>> = s.mode_radius.map(|r| {
        initial
            .positions
            .iter()
            .enumerate()
            .map(|(i, x)| i == atom || within(x, r))
            .collect()
    });
    let mask = mask.as_deref();
    let mut dir = vec![[0.0; 3]; n];
    for (i, x) in initial.positions.iter().enumerate() {
        if i == atom || within(x, s.local_radius) {
            loop {
                let r = [
                    2.0 * rng.uniform() - 1.0,
                    2.0 * rng.uniform() - 1.0,
                    2.0 * rng.uniform() - 1.0,
                ];
                let r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
                if r2 <= 1.0 && r2 > 1e-6 {
                    dir[i] = r;
                    break;
                }
            }
        }
    }
    // Remove the mean over the displaced atoms: a net translation in the push direction is a
    // zero mode that no relaxation undoes, so the repeated basin pushes would shift the whole
    // system and the relaxed minima would no longer match the start (ARTn subtracts the
    // centre-of-mass drift likewise).
    let moved: Vec<usize> = (0..n).filter(|&i| dir[i] != [0.0; 3]).collect();
    if moved.len() > 1 {
        let mut mean = [0.0; 3];
        for &i in &moved {
            (0..3).for_each(|c| mean[c] += dir[i][c] / moved.len() as f64);
        }
        for &i in &moved {
            (0..3).for_each(|c| dir[i][c] -= mean[c]);
        }
    }
    let dn = norm(&dir);
    dir.iter_mut()
        .for_each(|d| d.iter_mut().for_each(|c| *c /= dn));
    let mut x = initial.clone();
    let mut step0: Vec<[f64; 3]> = dir
        .iter()
        .map(|d| d.map(|c| c * s.init_displacement))
        .collect();
    move_by(&mut x, &step0);
    step0.clear();

    let mut res = ForceResult::with_atoms(n);
    let mut event_out = ArtEvent {
        event,
        atom_index: atom,
        atom_id: initial.ids[atom],
        status: ArtStatus::NoExit,
        e_initial,
        e_saddle: f64::NAN,
        e_final: f64::NAN,
        e_a: f64::NAN,
        e_back: f64::NAN,
        lambda_saddle: f64::NAN,
        saddle_fnorm: f64::NAN,
        saddle_distance: f64::NAN,
        final_distance: f64::NAN,
        connected: false,
        back_distance: f64::NAN,
        back_de: f64::NAN,
        back_max_move: f64::NAN,
        final_is_initial: false,
        force_evaluations: 0,
        same_as: None,
        saddle: None,
        final_state: None,
    };

    // 2. Leave the basin.
    let mut v = dir.clone();
    let mut lambda = f64::INFINITY;
    let mut left = false;
    for _ in 0..s.max_basin_steps {
        prov.compute(&x, &mut res)?;
        let mode = lowest_mode(&x, &res.forces.clone(), &mut prov, mask, &v, &s.lanczos)?;
        lambda = mode.eigenvalue;
        v = mode.vector;
        if lambda < s.eigen_threshold {
            left = true;
            break;
        }
        let push: Vec<[f64; 3]> = dir.iter().map(|d| d.map(|c| c * s.push_step)).collect();
        move_by(&mut x, &push);
        let mut fire = FlatFire::new(n, &s.fire);
        for _ in 0..s.perp_relax_steps {
            prov.compute(&x, &mut res)?;
            let fp = project_out(&res.forces, &dir, 1.0);
            let dx = fire.step(&fp, &s.fire);
            move_by(&mut x, &dx);
        }
    }
    if !left {
        event_out.force_evaluations = prov.n;
        event_out.lambda_saddle = lambda;
        return Ok(event_out);
    }

    // 3. Activation (see [`Activation`]).
    event_out.status = ArtStatus::SaddleNotConverged;
    let mut fire = FlatFire::new(n, &s.fire);
    // L-BFGS's first step after a reset: x += h0·G with h0 = dt_max²/4 ≤ 1/k_max (dt_max is
    // chosen below FIRE's stability limit 2/√k_max).
    let memory = match s.activation {
        Activation::Lbfgs { memory } => memory,
        _ => 1,
    };
    let mut lbfgs = FlatLbfgs::new(
        memory,
        s.fire.max_step,
        0.25 * s.fire.dt_max * s.fire.dt_max,
    );
    let mut converged = false;
    prov.compute(&x, &mut res)?;
    let trace = std::env::var_os("PELKIT_ART_TRACE").is_some();
    for it in 0..s.max_activation_steps {
        let fnorm = norm(&res.forces);
        // A saddle needs a clearly negative curvature: near-flat inflection points of soft
        // glass modes (λ ≈ 0⁻) close to the minimum also have small forces.
        if fnorm <= s.force_tol && lambda < s.saddle_eigen_max {
            converged = true;
            break;
        }
        // Lost the negative curvature: push on along v, away from the start (ARTn).
        let push_on = |v: &[[f64; 3]], x: &mut System| {
            let sign = if dot(v, &displacement(initial, x)) < 0.0 {
                -1.0
            } else {
                1.0
            };
            let c = sign * s.push_step;
            move_by(x, &v.iter().map(|d| d.map(|e| c * e)).collect::<Vec<_>>());
        };
        match s.activation {
            Activation::ModifiedForce | Activation::Lbfgs { .. } => {
                if lambda >= 0.0 {
                    // The optimizer's state belongs to the point before the push.
                    push_on(&v, &mut x);
                    fire = FlatFire::new(n, &s.fire);
                    lbfgs.reset();
                } else {
                    let g = project_out(&res.forces, &v, 2.0);
                    let dx = match s.activation {
                        Activation::Lbfgs { .. } => lbfgs.step(&g),
                        _ => fire.step(&g, &s.fire),
                    };
                    move_by(&mut x, &dx);
                }
                prov.compute(&x, &mut res)?;
            }
            Activation::NewtonPerp { perp_steps } => {
                if lambda >= 0.0 {
                    // Lost the negative curvature: only push on along v, away from the start
                    // (ARTn), with a fresh FIRE. Relaxing the perpendicular force here dragged
                    // the Cu–Zr glass back into the initial basin or into a neighbouring
                    // minimum; going back to the last negative-curvature point with a smaller
                    // step (a trust region) lost the events whose curvature turns positive for
                    // a while during the approach (docs/saddle.md, "Session 6").
                    push_on(&v, &mut x);
                    fire = FlatFire::new(n, &s.fire);
                    prov.compute(&x, &mut res)?;
                } else {
                    // Along the mode: to the maximum of the quadratic model E(x + c v) =
                    // E − c F·v + ½ λ c², c = (F·v)/λ, capped at push_step (ARTn's activation
                    // push; Cancès et al., J. Chem. Phys. 130, 114711 (2009); LAMMPS
                    // min_artn), taken together with the first perpendicular FIRE step (one
                    // force evaluation). The FIRE velocity persists over the iterations
                    // without its component along the new mode, so soft perpendicular modes
                    // keep converging.
                    let c = (dot(&res.forces, &v) / lambda).clamp(-s.push_step, s.push_step);
                    let cv = dot(&fire.v, &v);
                    axpy(&mut fire.v, -cv, &v);
                    for k in 0..perp_steps.max(1) {
                        let fp = project_out(&res.forces, &v, 1.0);
                        if k > 0 && norm(&fp) <= 0.5 * s.force_tol {
                            break;
                        }
                        let mut dx = fire.step(&fp, &s.fire);
                        if k == 0 {
                            axpy(&mut dx, c, &v);
                        }
                        move_by(&mut x, &dx);
                        prov.compute(&x, &mut res)?;
                    }
                }
            }
        }
        // One Lanczos from the new point, started from the previous mode (both activations).
        let mode = lowest_mode(&x, &res.forces.clone(), &mut prov, mask, &v, &s.lanczos)?;
        lambda = mode.eigenvalue;
        v = mode.vector;
        let lz_evals = mode.force_evaluations;
        if trace {
            // PELKIT_ART_TRACE: one line per activation iteration on stderr (diagnostics).
            eprintln!(
                "ART-TRACE ev {event} it {it} E {:.5} lam {lambda:.4} |F| {:.4} F.v {:.4} dt {:.4} lz {lz_evals} evals {}",
                res.energy - e_initial,
                norm(&res.forces),
                dot(&res.forces, &v),
                fire.dt,
                prov.n
            );
        }
    }
    let e_saddle = res.energy;
    event_out.lambda_saddle = lambda;
    event_out.saddle_fnorm = norm(&res.forces);
    if !converged {
        event_out.force_evaluations = prov.n;
        return Ok(event_out);
    }
    // Orient v away from the initial minimum.
    let from_initial = displacement(initial, &x);
    if dot(&v, &from_initial) < 0.0 {
        v.iter_mut()
            .for_each(|d| d.iter_mut().for_each(|c| *c = -*c));
    }
    // 4. Relax both sides.
    let mut plus = x.clone();
    move_by(
        &mut plus,
        &v.iter()
            .map(|d| d.map(|c| c * s.side_push))
            .collect::<Vec<_>>(),
    );
    let mut minus = x.clone();
    move_by(
        &mut minus,
        &v.iter()
            .map(|d| d.map(|c| -c * s.side_push))
            .collect::<Vec<_>>(),
    );
    let (final_state, e_final) = relax(plus, &mut prov, &s.minimize)?;
    let (back_state, e_back_min) = relax(minus, &mut prov, &s.minimize)?;
    let same =
        |distance: f64, e: f64| distance < s.same_distance && (e - e_initial).abs() < s.same_energy;
    event_out.status = ArtStatus::Found;
    let back = state_displacement(initial, &back_state);
    event_out.back_distance = norm(&back);
    event_out.back_de = e_back_min - e_initial;
    event_out.back_max_move = max_atom_norm(&back);
    event_out.connected = same(event_out.back_distance, e_back_min);
    event_out.final_distance = state_distance(initial, &final_state);
    event_out.final_is_initial = same(event_out.final_distance, e_final);
    event_out.e_saddle = e_saddle;
    event_out.e_final = e_final;
    event_out.e_a = e_saddle - e_initial;
    event_out.e_back = e_saddle - e_final;
    event_out.saddle_distance = norm(&from_initial);
    event_out.saddle = Some(x);
    event_out.final_state = Some(final_state);
    event_out.force_evaluations = prov.n;
    Ok(event_out)
}

/// Run `atoms.len()` … events: event k starts from atom index `atoms[k % atoms.len()]`, in
/// parallel with one provider per rayon task from `make_provider`. `initial` must be a minimum
/// (it is not relaxed here); its energy is evaluated once. `tick` is called after each event.
pub fn art_events<P, F>(
    initial: &System,
    make_provider: F,
    atoms: &[usize],
    events: usize,
    seed: u64,
    s: &ArtSettings,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<ArtEvent>, SaddleError>
where
    P: ForceProvider,
    F: Fn() -> Result<P, SaddleError> + Sync,
{
    s.validate()?;
    if atoms.is_empty() {
        return Err(SaddleError::InvalidInput("art: no starting atoms".into()));
    }
    let mut p0 = make_provider()?;
    let mut r = ForceResult::with_atoms(initial.natoms());
    p0.compute(initial, &mut r)?;
    let e_initial = r.energy;
    let mut out: Vec<ArtEvent> = (0..events)
        .into_par_iter()
        .map_init(&make_provider, |prov, k| {
            let prov = prov
                .as_mut()
                .map_err(|e| SaddleError::InvalidInput(e.to_string()))?;
            let ev = art_event(initial, e_initial, prov, k, atoms[k % atoms.len()], seed, s);
            tick();
            ev
        })
        .collect::<Result<Vec<_>, _>>()?;
    deduplicate(&mut out, s.same_energy, s.same_distance);
    Ok(out)
}

/// Label duplicate saddles: an event whose saddle energy is within `e_tol` and configuration
/// distance within `d_tol` of an earlier event's saddle gets `same_as = Some(earlier)`.
pub fn deduplicate(events: &mut [ArtEvent], e_tol: f64, d_tol: f64) {
    let mut unique: Vec<usize> = Vec::new();
    for k in 0..events.len() {
        events[k].same_as = None;
        if events[k].status != ArtStatus::Found {
            continue;
        }
        let found = unique.iter().copied().find(|&u| {
            (events[u].e_saddle - events[k].e_saddle).abs() < e_tol
                && match (&events[u].saddle, &events[k].saddle) {
                    (Some(a), Some(b)) => state_distance(a, b) < d_tol,
                    _ => false,
                }
        });
        match found {
            Some(u) => events[k].same_as = Some(u),
            None => unique.push(k),
        }
    }
}
