//! Limited-memory BFGS (Nocedal 1980; two-loop recursion, Nocedal & Wright Alg. 7.4) on a flat
//! coordinate vector driven by a "force" that need not be the gradient of any energy: ART's
//! activation on the min-mode-modified force G = F − 2(F·v)v, as the dimer method's L-BFGS
//! translation (Kästner & Sherwood 2008; EON). No line search: every step is capped so that
//! no atom moves more than `max_step`, and the memory is cleared when a step has no positive
//! curvature (s·y ≤ 0) or the recursion's direction does not follow the force.

use std::collections::VecDeque;

use crate::engine::saddle::{axpy, dot, max_atom_norm, scale};

/// A curvature pair: the step s, the change y of the gradient −f, and 1/(s·y).
#[derive(Debug, Clone)]
struct Pair {
    s: Vec<[f64; 3]>,
    y: Vec<[f64; 3]>,
    rho: f64,
}

/// The last step and the force before it.
#[derive(Debug, Clone)]
struct LastStep {
    dx: Vec<[f64; 3]>,
    force: Vec<[f64; 3]>,
}

/// The L-BFGS memory and step limits (distance units; `h0` in distance²/energy).
#[derive(Debug, Clone)]
pub struct FlatLbfgs {
    /// Pairs kept.
    memory: usize,
    /// Largest distance any atom may move in one step.
    max_step: f64,
    /// Inverse curvature of the first step after a reset (steepest descent x += h0·f).
    h0: f64,
    pairs: VecDeque<Pair>,
    last: Option<LastStep>,
}

impl FlatLbfgs {
    pub fn new(memory: usize, max_step: f64, h0: f64) -> Self {
        FlatLbfgs {
            memory: memory.max(1),
            max_step,
            h0,
            pairs: VecDeque::new(),
            last: None,
        }
    }

    /// Forget the curvature pairs and the last step (after a move not made by [`Self::step`]).
    pub fn reset(&mut self) {
        self.pairs.clear();
        self.last = None;
    }

    /// The displacement to add to the coordinates given the force `f` at the current point.
    pub fn step(&mut self, f: &[[f64; 3]]) -> Vec<[f64; 3]> {
        if let Some(LastStep { dx: s, force }) = self.last.take() {
            // y = ∇(new) − ∇(old) = f_prev − f.
            let mut y = force;
            axpy(&mut y, -1.0, f);
            let sy = dot(&s, &y);
            if sy > 0.0 {
                if self.pairs.len() == self.memory {
                    self.pairs.pop_front();
                }
                self.pairs.push_back(Pair {
                    s,
                    y,
                    rho: 1.0 / sy,
                });
            } else {
                self.pairs.clear();
            }
        }
        let mut d = self.direction(f);
        if dot(&d, f) <= 0.0 {
            self.pairs.clear();
            d = f.to_vec();
            scale(&mut d, self.h0);
        }
        let m = max_atom_norm(&d);
        if m > self.max_step {
            scale(&mut d, self.max_step / m);
        }
        self.last = Some(LastStep {
            dx: d.clone(),
            force: f.to_vec(),
        });
        d
    }

    /// −H·∇ = H·f by the two-loop recursion, H₀ = (s·y)/(y·y) of the newest pair (h0 if none).
    fn direction(&self, f: &[[f64; 3]]) -> Vec<[f64; 3]> {
        let mut q = f.to_vec();
        let mut a = Vec::with_capacity(self.pairs.len());
        for p in self.pairs.iter().rev() {
            let ai = p.rho * dot(&p.s, &q);
            axpy(&mut q, -ai, &p.y);
            a.push(ai);
        }
        let gamma = match self.pairs.back() {
            Some(p) => 1.0 / (p.rho * dot(&p.y, &p.y)),
            None => self.h0,
        };
        scale(&mut q, gamma);
        for (p, ai) in self.pairs.iter().zip(a.iter().rev()) {
            let b = p.rho * dot(&p.y, &q);
            axpy(&mut q, ai - b, &p.s);
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On the 6-D quadratic E = ½ Σ k_i x_i² (force −k x, curvatures 0.5–10, condition number
    /// 20) L-BFGS without a line search reaches |x| ≤ 1e-10 within 30 steps; steepest descent at
    /// its best fixed step would need ≈ κ·ln(1e10)/2 ≈ 230.
    #[test]
    fn minimizes_an_anisotropic_quadratic() {
        let k = [[1.0, 3.0, 10.0], [0.5, 7.0, 2.0]];
        let mut x = vec![[1.0, -0.7, 0.3], [0.2, 0.4, -0.9]];
        let force = |x: &[[f64; 3]]| -> Vec<[f64; 3]> {
            x.iter()
                .zip(&k)
                .map(|(xi, ki)| [-ki[0] * xi[0], -ki[1] * xi[1], -ki[2] * xi[2]])
                .collect()
        };
        let mut opt = FlatLbfgs::new(10, 0.5, 0.05);
        let mut steps = 0;
        while dot(&x, &x).sqrt() > 1e-10 && steps < 30 {
            let dx = opt.step(&force(&x));
            axpy(&mut x, 1.0, &dx);
            steps += 1;
        }
        assert!(
            dot(&x, &x).sqrt() <= 1e-10,
            "|x| = {:e} after {steps} steps",
            dot(&x, &x).sqrt()
        );
    }
}
