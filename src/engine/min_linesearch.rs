//! Line searches of the CG minimizer, following `src/min_linesearch.cpp` step by step:
//! `quadratic` (the LAMMPS default) and `backtrack`.

use crate::engine::minimize::Evaluator;
use crate::engine::{EngineError, ForceProvider, StopReason};
use crate::System;

const ALPHA_MAX: f64 = 1.0;
const ALPHA_REDUCE: f64 = 0.5;
const BACKTRACK_SLOPE: f64 = 0.4;
const QUADRATIC_TOL: f64 = 0.1;
const EMACH: f64 = 1.0e-8;
const EPS_QUAD: f64 = 1.0e-28;

/// Outcome of one line search. In both cases the system and the evaluator's forces hold the
/// configuration the search ended on, whose (normalized) energy is `energy`.
pub(crate) enum LineOutcome {
    Moved { energy: f64 },
    Failed { reason: StopReason, energy: f64 },
}

/// Working state shared by the line searches: the search direction and the saved start.
pub(crate) struct LineSearchState {
    pub h: Vec<[f64; 3]>,
    pub x0: Vec<[f64; 3]>,
}

impl LineSearchState {
    pub fn new(natoms: usize) -> Self {
        LineSearchState {
            h: vec![[0.0; 3]; natoms],
            x0: vec![[0.0; 3]; natoms],
        }
    }

    /// x = x0 + α·h (x = x0 for α ≤ 0) and a counted force evaluation (`alpha_step`).
    /// On a non-finite energy the start x0 is restored before the error is returned.
    fn alpha_step<P: ForceProvider + ?Sized>(
        &self,
        sys: &mut System,
        ev: &mut Evaluator<P>,
        alpha: f64,
    ) -> Result<f64, EngineError> {
        sys.positions.copy_from_slice(&self.x0);
        if alpha > 0.0 {
            for (x, h) in sys.positions.iter_mut().zip(&self.h) {
                x[0] += alpha * h[0];
                x[1] += alpha * h[1];
                x[2] += alpha * h[2];
            }
        }
        match ev.energy_force(sys, true, "line search") {
            Ok(e) => Ok(e),
            Err(err) => {
                sys.positions.copy_from_slice(&self.x0);
                Err(err)
            }
        }
    }

    /// Common start: f·h (normalized), the largest |h| component, and the saved x0.
    /// Returns `Err(outcome)` for the DOWNHILL and ZEROFORCE exits.
    fn start<P: ForceProvider + ?Sized>(
        &mut self,
        sys: &System,
        ev: &Evaluator<P>,
        e_original: f64,
        dmax: f64,
    ) -> Result<(f64, f64), LineOutcome> {
        let mut fh = 0.0;
        for (f, h) in ev.result.forces.iter().zip(&self.h) {
            for d in 0..3 {
                fh += f[d] * h[d];
            }
        }
        if ev.norm_factor != 1.0 {
            fh /= sys.natoms() as f64;
        }
        if fh <= 0.0 {
            return Err(LineOutcome::Failed {
                reason: StopReason::SearchDirectionNotDownhill,
                energy: e_original,
            });
        }
        let mut hmax: f64 = 0.0;
        for h in &self.h {
            for c in h {
                hmax = hmax.max(c.abs());
            }
        }
        if hmax == 0.0 {
            return Err(LineOutcome::Failed {
                reason: StopReason::ForcesZero,
                energy: e_original,
            });
        }
        let alpha_max = ALPHA_MAX.min(dmax / hmax);
        self.x0.copy_from_slice(&sys.positions);
        Ok((fh, alpha_max))
    }

    /// f·h at the current configuration (normalized like the energy).
    fn current_fh<P: ForceProvider + ?Sized>(&self, sys: &System, ev: &Evaluator<P>) -> f64 {
        let mut fh = 0.0;
        for (f, h) in ev.result.forces.iter().zip(&self.h) {
            for d in 0..3 {
                fh += f[d] * h[d];
            }
        }
        if ev.norm_factor != 1.0 {
            fh /= sys.natoms() as f64;
        }
        fh
    }

    /// `MinLineSearch::linemin_quadratic`.
    pub fn quadratic<P: ForceProvider + ?Sized>(
        &mut self,
        sys: &mut System,
        ev: &mut Evaluator<P>,
        e_original: f64,
        dmax: f64,
    ) -> Result<LineOutcome, EngineError> {
        let (fh0, alpha_max) = match self.start(sys, ev, e_original, dmax) {
            Ok(v) => v,
            Err(outcome) => return Ok(outcome),
        };
        let mut alpha = alpha_max;
        let mut fh_prev = fh0;
        let mut e_prev = e_original;
        let mut alpha_prev = 0.0;
        loop {
            let mut e = self.alpha_step(sys, ev, alpha)?;
            let fh = self.current_fh(sys, ev);
            let del_fh = fh - fh_prev;
            if fh.abs() < EPS_QUAD || del_fh.abs() < EPS_QUAD {
                let e0 = self.alpha_step(sys, ev, 0.0)?;
                return Ok(LineOutcome::Failed {
                    reason: StopReason::QuadraticFactorsZero,
                    energy: e0,
                });
            }
            let relerr = (1.0 - (0.5 * (alpha - alpha_prev) * (fh + fh_prev) + e) / e_prev).abs();
            let alpha0 = alpha - (alpha - alpha_prev) * fh / del_fh;
            if relerr <= QUADRATIC_TOL && alpha0 > 0.0 && alpha0 < alpha_max {
                e = self.alpha_step(sys, ev, alpha0)?;
                if e - e_original < EMACH {
                    return Ok(LineOutcome::Moved { energy: e });
                }
            }
            let de_ideal = -BACKTRACK_SLOPE * alpha * fh0;
            let de = e - e_original;
            if de <= de_ideal {
                return Ok(LineOutcome::Moved { energy: e });
            }
            fh_prev = fh;
            e_prev = e;
            alpha_prev = alpha;
            alpha *= ALPHA_REDUCE;
            if alpha <= 0.0 || de_ideal >= -EMACH {
                let e0 = self.alpha_step(sys, ev, 0.0)?;
                return Ok(LineOutcome::Failed {
                    reason: StopReason::LinesearchAlphaZero,
                    energy: e0,
                });
            }
        }
    }

    /// `MinLineSearch::linemin_backtrack`.
    pub fn backtrack<P: ForceProvider + ?Sized>(
        &mut self,
        sys: &mut System,
        ev: &mut Evaluator<P>,
        e_original: f64,
        dmax: f64,
    ) -> Result<LineOutcome, EngineError> {
        let (fh0, alpha_max) = match self.start(sys, ev, e_original, dmax) {
            Ok(v) => v,
            Err(outcome) => return Ok(outcome),
        };
        let mut alpha = alpha_max;
        loop {
            let e = self.alpha_step(sys, ev, alpha)?;
            let de_ideal = -BACKTRACK_SLOPE * alpha * fh0;
            let de = e - e_original;
            if de <= de_ideal {
                return Ok(LineOutcome::Moved { energy: e });
            }
            alpha *= ALPHA_REDUCE;
            if alpha <= 0.0 || de_ideal >= -EMACH {
                let e0 = self.alpha_step(sys, ev, 0.0)?;
                let reason = if de < 0.0 {
                    StopReason::EnergyTolerance
                } else {
                    StopReason::LinesearchAlphaZero
                };
                return Ok(LineOutcome::Failed { reason, energy: e0 });
            }
        }
    }
}
