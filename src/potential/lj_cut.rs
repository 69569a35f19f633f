//! `pair_style lj/cut`: per-pair ε, σ and cutoff, LAMMPS mixing rules and `pair_modify shift`,
//! with the coefficients and the kernel computed in LAMMPS' operation order
//! (`src/pair_lj_cut.cpp`, `Pair::mix_energy`/`mix_distance` in `src/pair.cpp`).

use crate::geometry::NeighborList;
use crate::potential::accumulate::check_inputs;
use crate::potential::evaluation::Evaluation;
use crate::potential::pair_kernel::{evaluate_pairwise, PairFunction};
use crate::potential::PotentialError;
use crate::system::System;

/// `pair_modify mix` rules for pairs without explicit coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixRule {
    Geometric,
    Arithmetic,
    SixthPower,
}

impl MixRule {
    /// `Pair::mix_energy`.
    pub fn energy(self, eps1: f64, eps2: f64, sig1: f64, sig2: f64) -> f64 {
        match self {
            MixRule::Geometric | MixRule::Arithmetic => (eps1 * eps2).sqrt(),
            MixRule::SixthPower => {
                2.0 * (eps1 * eps2).sqrt() * sig1.powf(3.0) * sig2.powf(3.0)
                    / (sig1.powf(6.0) + sig2.powf(6.0))
            }
        }
    }
    /// `Pair::mix_distance`.
    pub fn distance(self, sig1: f64, sig2: f64) -> f64 {
        match self {
            MixRule::Geometric => (sig1 * sig2).sqrt(),
            MixRule::Arithmetic => 0.5 * (sig1 + sig2),
            MixRule::SixthPower => (0.5 * (sig1.powf(6.0) + sig2.powf(6.0))).powf(1.0 / 6.0),
        }
    }
}

/// The coefficients LAMMPS' `init_one` derives for one type pair.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PairCoefficients {
    cutsq: f64,
    lj1: f64,
    lj2: f64,
    lj3: f64,
    lj4: f64,
    offset: f64,
}

/// Explicit `pair_coeff` values of one type pair: ε, σ, cutoff.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LjParams {
    pub epsilon: f64,
    pub sigma: f64,
    pub cutoff: f64,
}

/// A ready-to-evaluate `lj/cut` potential for `ntypes` atom types.
#[derive(Debug, Clone, PartialEq)]
pub struct LjCut {
    ntypes: usize,
    /// Row-major `ntypes × ntypes`.
    coefficients: Vec<PairCoefficients>,
    /// Resolved (explicit or mixed) ε, σ, cutoff, row-major.
    params: Vec<LjParams>,
    max_cutoff: f64,
}

impl LjCut {
    /// Build from explicit coefficients `explicit[i][j]` (0-based types, only `i <= j` read;
    /// `None` = not set, mixed from the diagonal), as `PairLJCut::init_one` does.
    pub fn new(
        ntypes: usize,
        explicit: &[Vec<Option<LjParams>>],
        mix: MixRule,
        shift: bool,
    ) -> Result<Self, PotentialError> {
        let get = |i: usize, j: usize| {
            let (a, b) = if i <= j { (i, j) } else { (j, i) };
            explicit.get(a).and_then(|r| r.get(b)).copied().flatten()
        };
        let mut params = Vec::with_capacity(ntypes * ntypes);
        let mut coefficients = Vec::with_capacity(ntypes * ntypes);
        let mut max_cutoff: f64 = 0.0;
        for i in 0..ntypes {
            for j in 0..ntypes {
                let p = match get(i, j) {
                    Some(p) => p,
                    None => {
                        let (Some(pi), Some(pj)) = (get(i, i), get(j, j)) else {
                            let missing = if get(i, i).is_none() { i } else { j };
                            return Err(PotentialError::MissingCoefficients {
                                type_i: missing + 1,
                                type_j: missing + 1,
                            });
                        };
                        LjParams {
                            epsilon: mix.energy(pi.epsilon, pj.epsilon, pi.sigma, pj.sigma),
                            sigma: mix.distance(pi.sigma, pj.sigma),
                            cutoff: mix.distance(pi.cutoff, pj.cutoff),
                        }
                    }
                };
                let (eps, sig, rc) = (p.epsilon, p.sigma, p.cutoff);
                let offset = if shift && rc > 0.0 {
                    let ratio = sig / rc;
                    4.0 * eps * (ratio.powf(12.0) - ratio.powf(6.0))
                } else {
                    0.0
                };
                coefficients.push(PairCoefficients {
                    cutsq: rc * rc,
                    lj1: 48.0 * eps * sig.powf(12.0),
                    lj2: 24.0 * eps * sig.powf(6.0),
                    lj3: 4.0 * eps * sig.powf(12.0),
                    lj4: 4.0 * eps * sig.powf(6.0),
                    offset,
                });
                params.push(p);
                max_cutoff = max_cutoff.max(rc);
            }
        }
        Ok(LjCut {
            ntypes,
            coefficients,
            params,
            max_cutoff,
        })
    }

    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    /// Largest pair cutoff (the neighbor list needs at least this).
    pub fn cutoff(&self) -> f64 {
        self.max_cutoff
    }

    /// Resolved ε, σ, cutoff of a pair of 1-based types.
    pub fn params(&self, type_i: usize, type_j: usize) -> Option<LjParams> {
        if type_i == 0 || type_j == 0 || type_i > self.ntypes || type_j > self.ntypes {
            return None;
        }
        self.params
            .get((type_i - 1) * self.ntypes + type_j - 1)
            .copied()
    }

    /// Energy, forces and virials (full neighbor list with cutoff ≥ [`LjCut::cutoff`]).
    pub fn evaluate(
        &self,
        sys: &System,
        list: &NeighborList,
    ) -> Result<Evaluation, PotentialError> {
        check_inputs(sys, list, self.ntypes, self.max_cutoff)?;
        evaluate_pairwise(self, sys, list)
    }
}

impl PairFunction for LjCut {
    #[inline(always)]
    fn max_cutoff(&self) -> f64 {
        self.max_cutoff
    }

    #[inline(always)]
    fn energy_fpair(&self, ti: usize, tj: usize, rsq: f64) -> Option<(f64, f64)> {
        let c = &self.coefficients[ti * self.ntypes + tj];
        if rsq >= c.cutsq {
            return None;
        }
        let r2inv = 1.0 / rsq;
        let r6inv = r2inv * r2inv * r2inv;
        let forcelj = r6inv * (c.lj1 * r6inv - c.lj2);
        let fpair = forcelj * r2inv;
        let evdwl = r6inv * (c.lj3 * r6inv - c.lj4) - c.offset;
        Some((evdwl, fpair))
    }
}
