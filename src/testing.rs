//! Builders of small test inputs shared by the unit tests, the integration tests, the `ffi/` and
//! `lammps_plugin/` tests and the benches: the fcc basis and its fractional sites, a seeded
//! 64-bit LCG (the generator the existing fixtures were written with, kept so their inputs stay
//! bit-identical; new code may use [`crate::random::Rng`]) and the perturbed fcc Cu–Zr alloy.
//!
//! It is `#[doc(hidden)] pub` rather than behind a cargo feature so every crate of the workspace
//! (and `#[cfg(test)]` code of this one) reaches it without feature plumbing; it is not part of
//! the documented API and holds no physics.

use crate::geometry::SimBox;
use crate::system::System;

/// Knuth's MMIX linear congruential generator; [`Lcg::uniform`] is `state >> 11` scaled to
/// [0, 1) (53 bits).
#[derive(Debug, Clone)]
pub struct Lcg(pub u64);

impl Lcg {
    /// Advances the state and returns a uniform number in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// [`Lcg::uniform`] on a bare state the caller keeps (`let mut seed = 5u64;`).
    pub fn advance(state: &mut u64) -> f64 {
        let mut g = Lcg(*state);
        let u = g.uniform();
        *state = g.0;
        u
    }
}

/// The four atoms of the conventional fcc cell, fractional.
pub const FCC_BASIS: [[f64; 3]; 4] = [
    [0.0, 0.0, 0.0],
    [0.5, 0.5, 0.0],
    [0.5, 0.0, 0.5],
    [0.0, 0.5, 0.5],
];

/// Fractional coordinates of an `n`×`n`×`n` fcc supercell, `(i + b) / n` per axis, in the order
/// cell i, j, k (k fastest), then basis atom.
pub fn fcc_fractional_sites(n: usize) -> Vec<[f64; 3]> {
    let mut out = Vec::with_capacity(4 * n * n * n);
    for i in 0..n {
        for j in 0..n {
            for k in 0..n {
                for b in FCC_BASIS {
                    out.push([
                        (i as f64 + b[0]) / n as f64,
                        (j as f64 + b[1]) / n as f64,
                        (k as f64 + b[2]) / n as f64,
                    ]);
                }
            }
        }
    }
    out
}

/// How a coordinate is displaced by `amplitude` from a uniform number u in [0, 1); the two
/// roundings of the same distribution, kept apart so older fixtures stay bit-identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// `c + amplitude·(2u − 1)`.
    Scaled,
    /// `c + 2·amplitude·u − amplitude`.
    Shifted,
}

impl Jitter {
    fn apply(self, c: f64, amplitude: f64, u: f64) -> f64 {
        match self {
            Jitter::Scaled => c + amplitude * (2.0 * u - 1.0),
            Jitter::Shifted => c + 2.0 * amplitude * u - amplitude,
        }
    }
}

/// Random fcc Cu–Zr alloy of `n`³ cells filling `simbox` (which sets the lattice and tilt):
/// per atom, in site order, three uniform numbers displace x, y, z by up to ±`amplitude`, then
/// one more makes it type 2 (Zr) with probability `zr_fraction`, else type 1. Ids 1..=N, two
/// types, no masses.
pub fn perturbed_fcc_alloy(
    simbox: SimBox,
    n: usize,
    amplitude: f64,
    jitter: Jitter,
    zr_fraction: f64,
    seed: u64,
) -> System {
    let mut rng = Lcg(seed);
    let (mut x, mut types) = (Vec::new(), Vec::new());
    for s in fcc_fractional_sites(n) {
        let r = simbox.to_cartesian(s);
        x.push(r.map(|c| jitter.apply(c, amplitude, rng.uniform())));
        types.push(if rng.uniform() < zr_fraction { 2 } else { 1 });
    }
    let natoms = x.len();
    let mut sys = System::new(simbox, (1..=natoms as u64).collect(), types, x);
    sys.ntypes = 2;
    sys
}
