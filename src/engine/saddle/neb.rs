//! The nudged elastic band with climbing image (Henkelman, Uberuaga & Jónsson 2000) and the
//! improved tangent (Henkelman & Jónsson 2000), as LAMMPS `neb` with `fix neb Kspring`
//! (`neb_modify parallel neigh`, no perpendicular spring, fixed end points):
//!
//! F_i = F_true − (F_true·τ̂)τ̂ + K(|R_{i+1} − R_i| − |R_i − R_{i−1}|) τ̂  for ordinary images,
//! F_c = F_true − 2(F_true·τ̂)τ̂                                       for the climbing image.
//!
//! As LAMMPS, a first stage relaxes the plain band (`climb_after` iterations at most, or until
//! converged), then the highest-energy intermediate image climbs (re-chosen every iteration).
//! The band moves by FIRE on the nudged forces of all intermediate images together
//! ([`super::fire_flat`]); convergence is max over intermediate images of the Euclidean norm of
//! the image's nudged force ≤ `force_tol` (LAMMPS prints this as `MaxReplicaForce`; the
//! two codes' stopping rules may differ in detail, the converged bands do not). Images are
//! evaluated in parallel.
//!
//! Safeguard ([`NebSafeguard`]): long glass paths with few images can run away (a climbing
//! image climbing a repulsive wall, FIRE steps too long for the band's stiffest curvature).
//! Every iteration the band is declared diverged when an energy or force is not finite, the
//! longest image spacing grows past `spacing_growth` × its initial value, the largest nudged
//! force past `force_growth` × its initial value, or the band's highest energy (above the
//! higher end point) past `energy_growth` × its initial scale. A diverged band restarts from
//! the initial images with the FIRE timestep and step limit halved, at most `max_restarts`
//! times; then [`SaddleError::NebDiverged`] says what grew, when and by how much.

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::minimize::wrap_all;
use crate::engine::saddle::fire_flat::{FlatFire, FlatFireSettings};
use crate::engine::saddle::path::PathMetrics;
use crate::engine::saddle::{axpy, check_same_atoms, displacement, dot, norm, SaddleError};
use crate::engine::{ForceProvider, ForceResult};
use crate::System;

/// NEB settings (energies, forces and distances in the potential's units).
#[derive(Debug, Clone, PartialEq)]
pub struct NebSettings {
    /// Number of images including both end points (LAMMPS: number of replicas), ≥ 3.
    pub images: usize,
    /// Spring constant (force/distance).
    pub kspring: f64,
    /// Climbing image in the second stage.
    pub climb: bool,
    /// Convergence on the largest per-image nudged-force 2-norm.
    pub force_tol: f64,
    /// Largest number of iterations in total.
    pub max_iter: usize,
    /// Iterations of the plain band before climbing starts (earlier if it converges).
    pub climb_after: usize,
    pub fire: FlatFireSettings,
    /// Divergence detection and restarts.
    pub safeguard: NebSafeguard,
}

/// When a band counts as diverged, and how often it restarts with a halved FIRE step.
#[derive(Debug, Clone, PartialEq)]
pub struct NebSafeguard {
    /// Largest image spacing |R_{i+1} − R_i| over its value in the initial band (default 10).
    pub spacing_growth: f64,
    /// Largest per-image nudged-force 2-norm over its value in the initial band (default 100).
    pub force_growth: f64,
    /// Highest intermediate energy above the higher end point, over the initial scale
    /// ΔE₀ + F₀·L₀/(N−1) (ΔE₀ of the initial band, F₀ its largest true-force norm of an image,
    /// L₀ its end-to-end length: the energy a force F₀ does over one image spacing) (default 10).
    pub energy_growth: f64,
    /// Restarts from the initial band with FIRE dt, dt_max and max_step halved (default 3).
    pub max_restarts: usize,
}

impl Default for NebSafeguard {
    fn default() -> Self {
        NebSafeguard {
            spacing_growth: 10.0,
            force_growth: 100.0,
            energy_growth: 10.0,
            max_restarts: 3,
        }
    }
}

/// One detected divergence of the band.
#[derive(Debug, Clone, Serialize)]
pub struct NebDivergence {
    /// Iteration of the attempt at which it was detected.
    pub iteration: usize,
    /// FIRE timestep and step limit of the attempt.
    pub dt: f64,
    pub max_step: f64,
    /// What grew (human-readable, with the numbers).
    pub reason: String,
}

impl NebSettings {
    /// Defaults for metal units.
    pub fn metal(images: usize) -> Self {
        NebSettings {
            images,
            kspring: 1.0,
            climb: true,
            force_tol: 1e-3,
            max_iter: 5000,
            climb_after: 1000,
            fire: FlatFireSettings::new(0.05, 0.1),
            safeguard: NebSafeguard::default(),
        }
    }

    /// Defaults for `units`: [`NebSettings::metal`], with the band's FIRE timestep and step limit
    /// scaled to the unit system (unit masses: distance = force·time²): dt 0.05 and step limit
    /// 0.1 Å in metal, dt 0.05 and limit 0.05 in real, dt 0.01 and limit 0.05 σ in lj.
    pub fn for_units(images: usize, units: crate::units::Units) -> Self {
        use crate::units::Units;
        let mut s = NebSettings::metal(images);
        let dt = match units {
            Units::Metal | Units::Real => 0.05,
            Units::Lj => 0.01,
        };
        let max_step = if units == Units::Metal { 0.1 } else { 0.05 };
        s.fire = FlatFireSettings::new(dt, max_step);
        s
    }

    pub fn validate(&self) -> Result<(), SaddleError> {
        if self.images < 3 {
            return Err(SaddleError::InvalidInput(format!(
                "neb: need at least 3 images (2 end points + 1), got {}",
                self.images
            )));
        }
        if !(self.kspring.is_finite() && self.kspring >= 0.0) {
            return Err(SaddleError::InvalidInput(format!(
                "neb: kspring must be finite and ≥ 0, got {}",
                self.kspring
            )));
        }
        if !(self.force_tol.is_finite() && self.force_tol > 0.0) {
            return Err(SaddleError::InvalidInput(format!(
                "neb: force_tol must be > 0, got {}",
                self.force_tol
            )));
        }
        let g = &self.safeguard;
        if ![g.spacing_growth, g.force_growth, g.energy_growth]
            .iter()
            .all(|v| v.is_finite() && *v > 1.0)
        {
            return Err(SaddleError::InvalidInput(format!(
                "neb: safeguard growth factors must be finite and > 1 (spacing {}, force {}, energy {})",
                g.spacing_growth, g.force_growth, g.energy_growth
            )));
        }
        self.fire.validate()
    }
}

/// The converged (or last) band.
#[derive(Debug, Clone, Serialize)]
pub struct NebResult {
    /// Total energy of every image, end points included.
    pub energies: Vec<f64>,
    /// Cumulative configuration distance along the band (0 at the first end point).
    pub reaction_coordinate: Vec<f64>,
    /// max(E) − E_first and max(E) − E_last (LAMMPS EBF, EBR).
    pub barrier_forward: f64,
    pub barrier_reverse: f64,
    /// Index of the climbing image at the end (None without climbing).
    pub climbing_image: Option<usize>,
    pub iterations: usize,
    pub force_evaluations: usize,
    pub converged: bool,
    /// Largest per-image nudged-force 2-norm at the end.
    pub max_image_force: f64,
    pub path: PathMetrics,
    /// Divergences detected (each followed by a restart with a halved FIRE step).
    pub divergences: Vec<NebDivergence>,
    #[serde(skip)]
    pub images: Vec<System>,
}

/// Linear interpolation (minimum image per atom) of `n` images from `a` to `b`.
pub fn interpolate(a: &System, b: &System, n: usize) -> Result<Vec<System>, SaddleError> {
    check_same_atoms(a, b, "neb end points")?;
    let d = displacement(a, b);
    let dn = norm(&d);
    if dn < 1e-8 {
        return Err(SaddleError::InvalidInput(format!(
            "neb: the end points are identical (configuration distance {dn:.3e}); a path needs two different minima"
        )));
    }
    Ok((0..n)
        .map(|k| {
            let mut s = a.clone();
            axpy(&mut s.positions, k as f64 / (n - 1) as f64, &d);
            wrap_all(&mut s);
            s
        })
        .collect())
}

/// A band of `n` images (odd, ≥ 3) from `a` through `via` (the middle image) to `b`, each half
/// a linear interpolation (minimum image per atom): the start of a NEB through a known saddle,
/// e.g. an ART event's, so that the band relaxes onto that event's path.
pub fn interpolate_via(
    a: &System,
    via: &System,
    b: &System,
    n: usize,
) -> Result<Vec<System>, SaddleError> {
    if n < 3 || n.is_multiple_of(2) {
        return Err(SaddleError::InvalidInput(format!(
            "neb: a band through a middle image needs an odd number ≥ 3 of images, got {n}"
        )));
    }
    let half = n / 2 + 1;
    let mut band = interpolate(a, via, half)?;
    band.extend(interpolate(via, b, half)?.into_iter().skip(1));
    Ok(band)
}

/// Improved tangent at image i from its neighbours' displacements and energies.
fn improved_tangent(
    dp: &[[f64; 3]], // R_i − R_{i−1}
    dn: &[[f64; 3]], // R_{i+1} − R_i
    e_prev: f64,
    e: f64,
    e_next: f64,
) -> Vec<[f64; 3]> {
    let mut t = vec![[0.0; 3]; dp.len()];
    if e_next > e && e > e_prev {
        t.copy_from_slice(dn);
    } else if e_next < e && e < e_prev {
        t.copy_from_slice(dp);
    } else {
        let vmax = (e_next - e).abs().max((e_prev - e).abs());
        let vmin = (e_next - e).abs().min((e_prev - e).abs());
        let (cn, cp) = if e_next > e_prev {
            (vmax, vmin)
        } else {
            (vmin, vmax)
        };
        axpy(&mut t, cn, dn);
        axpy(&mut t, cp, dp);
    }
    let tn = norm(&t);
    if tn > 0.0 {
        t.iter_mut()
            .for_each(|v| v.iter_mut().for_each(|c| *c /= tn));
    }
    t
}

/// NEB between the minima `a` and `b` with a linearly interpolated start.
pub fn neb<P, F>(
    a: &System,
    b: &System,
    make_provider: F,
    s: &NebSettings,
) -> Result<NebResult, SaddleError>
where
    P: ForceProvider + Send,
    F: Fn() -> Result<P, SaddleError>,
{
    s.validate()?;
    let images = interpolate(a, b, s.images)?;
    neb_from_images(images, make_provider, s)
}

/// NEB from a given initial band (end points fixed; `s.images` is ignored). A band that
/// diverges restarts from `images` with a halved FIRE step (see [`NebSafeguard`]).
pub fn neb_from_images<P, F>(
    images: Vec<System>,
    make_provider: F,
    s: &NebSettings,
) -> Result<NebResult, SaddleError>
where
    P: ForceProvider + Send,
    F: Fn() -> Result<P, SaddleError>,
{
    let m = images.len();
    let mut s = s.clone();
    s.images = m;
    s.validate()?;
    for k in 1..m {
        check_same_atoms(&images[0], &images[k], "neb images")?;
    }
    let mut providers: Vec<P> = (0..m).map(|_| make_provider()).collect::<Result<_, _>>()?;
    let mut divergences: Vec<NebDivergence> = Vec::new();
    let mut evals = 0usize;
    for _attempt in 0..=s.safeguard.max_restarts {
        match relax_band(images.clone(), &mut providers, &s, &mut evals)? {
            Band::Done(mut r) => {
                r.force_evaluations = evals;
                r.divergences = divergences;
                return Ok(r);
            }
            Band::Diverged(d) => {
                divergences.push(d);
                s.fire.dt *= 0.5;
                s.fire.dt_max *= 0.5;
                s.fire.max_step *= 0.5;
            }
        }
    }
    let last = divergences.last().expect("at least one attempt");
    Err(SaddleError::NebDiverged(format!(
        "neb: the band diverged {} time(s); last at iteration {} with FIRE dt {:.3e}, max step {:.3e}: {}. \
         Try more images, a smaller FIRE step (--dt), a looser tolerance or a later start of climbing (--climb-after)",
        divergences.len(),
        last.iteration,
        last.dt,
        last.max_step,
        last.reason
    )))
}

enum Band {
    Done(NebResult),
    Diverged(NebDivergence),
}

/// The initial band's scales for the divergence test.
struct Scales {
    spacing: f64,
    force: f64,
    energy: f64,
}

/// Why the band at this iteration counts as diverged (None if it does not).
fn divergence(
    g: &NebSafeguard,
    init: &Scales,
    spacing: f64,
    force: f64,
    rise: f64,
    finite: bool,
) -> Option<String> {
    if !finite {
        return Some("an image force or energy is not finite".into());
    }
    if spacing > g.spacing_growth * init.spacing {
        return Some(format!(
            "the largest image spacing grew from {:.4e} to {spacing:.4e} (limit ×{})",
            init.spacing, g.spacing_growth
        ));
    }
    if force > g.force_growth * init.force {
        return Some(format!(
            "the largest image force grew from {:.4e} to {force:.4e} (limit ×{})",
            init.force, g.force_growth
        ));
    }
    if rise > g.energy_growth * init.energy {
        return Some(format!(
            "the highest image rose {rise:.4e} above the higher end point (initial scale {:.4e}, limit ×{})",
            init.energy, g.energy_growth
        ));
    }
    None
}

/// One relaxation of the band from `images` with the settings' FIRE step.
fn relax_band<P: ForceProvider + Send>(
    mut images: Vec<System>,
    providers: &mut [P],
    s: &NebSettings,
    evals: &mut usize,
) -> Result<Band, SaddleError> {
    let m = images.len();
    let natoms = images[0].natoms();
    let mut results: Vec<ForceResult> = (0..m).map(|_| ForceResult::with_atoms(natoms)).collect();
    let eval_range = |images: &[System],
                      providers: &mut [P],
                      results: &mut [ForceResult],
                      lo: usize,
                      hi: usize|
     -> Result<(), SaddleError> {
        providers[lo..hi]
            .par_iter_mut()
            .zip(results[lo..hi].par_iter_mut())
            .zip(images[lo..hi].par_iter())
            .try_for_each(|((p, r), sys)| p.compute(sys, r))?;
        Ok(())
    };
    // End points once, then intermediate images every iteration.
    eval_range(&images, providers, &mut results, 0, 1)?;
    eval_range(&images, providers, &mut results, m - 1, m)?;
    *evals += 2;
    let e_end = results[0].energy.max(results[m - 1].energy);
    let inner = m - 2;
    let mut fire = FlatFire::new(inner * natoms, &s.fire);
    let mut climbing: Option<usize> = None;
    let mut converged = false;
    let mut iterations = 0;
    let mut max_force = f64::INFINITY;
    let mut climbing_started = !s.climb;
    let mut scales: Option<Scales> = None;
    for it in 0..=s.max_iter {
        eval_range(&images, providers, &mut results, 1, m - 1)?;
        *evals += inner;
        let energies: Vec<f64> = results.iter().map(|r| r.energy).collect();
        let mut finite = energies.iter().all(|e| e.is_finite());
        if it == 0 && !finite {
            let (k, e) = energies
                .iter()
                .enumerate()
                .find(|(_, e)| !e.is_finite())
                .expect("a non-finite energy");
            return Err(SaddleError::InvalidInput(format!(
                "neb: image {k} of the initial band has a non-finite energy {e}"
            )));
        }
        climbing = if climbing_started {
            (1..m - 1).max_by(|&i, &j| energies[i].total_cmp(&energies[j]))
        } else {
            None
        };
        // Nudged forces.
        let mut nudged: Vec<[f64; 3]> = Vec::with_capacity(inner * natoms);
        max_force = 0.0f64;
        let mut max_spacing = 0.0f64;
        let mut max_true_force = 0.0f64;
        for i in 1..m - 1 {
            let dp = displacement(&images[i - 1], &images[i]);
            let dn = displacement(&images[i], &images[i + 1]);
            let (ndp, ndn) = (norm(&dp), norm(&dn));
            max_spacing = max_spacing.max(ndp).max(ndn);
            let tau = improved_tangent(&dp, &dn, energies[i - 1], energies[i], energies[i + 1]);
            let f = &results[i].forces;
            let fnorm = norm(f);
            finite &= fnorm.is_finite();
            max_true_force = max_true_force.max(fnorm);
            let ft = dot(f, &tau);
            let mut g = f.clone();
            if Some(i) == climbing {
                axpy(&mut g, -2.0 * ft, &tau);
            } else {
                let spring = s.kspring * (ndn - ndp);
                axpy(&mut g, spring - ft, &tau);
            }
            max_force = max_force.max(norm(&g));
            nudged.extend_from_slice(&g);
        }
        let rise = energies[1..m - 1]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
            - e_end;
        let init = scales.get_or_insert_with(|| {
            let l0 = PathMetrics::of_images(&images).end_to_end;
            Scales {
                spacing: max_spacing,
                force: max_force.max(s.force_tol),
                energy: rise.max(0.0) + max_true_force * l0 / (m - 1) as f64,
            }
        });
        if let Some(reason) = divergence(&s.safeguard, init, max_spacing, max_force, rise, finite) {
            return Ok(Band::Diverged(NebDivergence {
                iteration: it,
                dt: s.fire.dt,
                max_step: s.fire.max_step,
                reason,
            }));
        }
        iterations = it;
        if max_force <= s.force_tol {
            if climbing_started {
                converged = true;
                break;
            }
            climbing_started = true;
            fire = FlatFire::new(inner * natoms, &s.fire);
            continue;
        }
        if !climbing_started && it >= s.climb_after {
            climbing_started = true;
            fire = FlatFire::new(inner * natoms, &s.fire);
            continue;
        }
        if it == s.max_iter {
            break;
        }
        let dx = fire.step(&nudged, &s.fire);
        for (k, img) in images[1..m - 1].iter_mut().enumerate() {
            axpy(&mut img.positions, 1.0, &dx[k * natoms..(k + 1) * natoms]);
            wrap_all(img);
        }
    }
    let energies: Vec<f64> = results.iter().map(|r| r.energy).collect();
    let path = PathMetrics::of_images(&images);
    let emax = energies.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(Band::Done(NebResult {
        barrier_forward: emax - energies[0],
        barrier_reverse: emax - energies[m - 1],
        reaction_coordinate: path.reaction_coordinate.clone(),
        energies,
        climbing_image: climbing,
        iterations,
        force_evaluations: 0,
        converged,
        max_image_force: max_force,
        path,
        divergences: Vec::new(),
        images,
    }))
}
