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

/// NEB from a given initial band (end points fixed; `s.images` is ignored).
pub fn neb_from_images<P, F>(
    mut images: Vec<System>,
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
    let natoms = images[0].natoms();
    let mut providers: Vec<P> = (0..m).map(|_| make_provider()).collect::<Result<_, _>>()?;
    let mut results: Vec<ForceResult> = (0..m).map(|_| ForceResult::with_atoms(natoms)).collect();
    // End points once, then intermediate images every iteration.
    let mut evals = 0usize;
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
    eval_range(&images, &mut providers, &mut results, 0, 1)?;
    eval_range(&images, &mut providers, &mut results, m - 1, m)?;
    evals += 2;
    let inner = m - 2;
    let mut fire = FlatFire::new(inner * natoms, &s.fire);
    let mut climbing: Option<usize> = None;
    let mut converged = false;
    let mut iterations = 0;
    let mut max_force = f64::INFINITY;
    let mut climbing_started = !s.climb;
    for it in 0..=s.max_iter {
        eval_range(&images, &mut providers, &mut results, 1, m - 1)?;
        evals += inner;
        let energies: Vec<f64> = results.iter().map(|r| r.energy).collect();
        if let Some((k, e)) = energies.iter().enumerate().find(|(_, e)| !e.is_finite()) {
            return Err(SaddleError::InvalidInput(format!(
                "neb: image {k} has a non-finite energy {e}"
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
        for i in 1..m - 1 {
            let dp = displacement(&images[i - 1], &images[i]);
            let dn = displacement(&images[i], &images[i + 1]);
            let tau = improved_tangent(&dp, &dn, energies[i - 1], energies[i], energies[i + 1]);
            let f = &results[i].forces;
            let ft = dot(f, &tau);
            let mut g = f.clone();
            if Some(i) == climbing {
                axpy(&mut g, -2.0 * ft, &tau);
            } else {
                let spring = s.kspring * (norm(&dn) - norm(&dp));
                axpy(&mut g, spring - ft, &tau);
            }
            max_force = max_force.max(norm(&g));
            nudged.extend_from_slice(&g);
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
    Ok(NebResult {
        barrier_forward: emax - energies[0],
        barrier_reverse: emax - energies[m - 1],
        reaction_coordinate: path.reaction_coordinate.clone(),
        energies,
        climbing_image: climbing,
        iterations,
        force_evaluations: evals,
        converged,
        max_image_force: max_force,
        path,
        images,
    })
}
