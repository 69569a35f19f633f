//! Polak–Ribière conjugate-gradient minimization (`min_style cg`), following `MinCG::iterate`:
//! PR+ β with a restart every 3N iterations and whenever the new direction is not downhill,
//! the `quadratic` or `backtrack` line search, and LAMMPS' maxeval/etol/ftol checks in order.

use crate::engine::min_linesearch::{LineOutcome, LineSearchState};
use crate::engine::minimize::{
    check_system, energy_converged, fnorm_sqr, ftol_norm_sqr, Evaluator, LineSearch, SetupNumbers,
};
use crate::engine::{EngineError, ForceProvider, MinimizeSettings, MinimizeSummary, StopReason};
use crate::System;

/// Minimize the potential energy of `sys` in place with CG, as LAMMPS `minimize` with
/// `min_style cg`. On success the system holds the final configuration (wrapped into the box)
/// and the summary mirrors LAMMPS' "Minimization stats". On a non-finite energy the system
/// holds the last configuration whose energy was finite.
pub fn minimize_cg<P: ForceProvider + ?Sized>(
    sys: &mut System,
    provider: &mut P,
    settings: &MinimizeSettings,
) -> Result<MinimizeSummary, EngineError> {
    settings.validate()?;
    check_system(sys)?;
    let n = sys.natoms();
    let mut ev = Evaluator::new(provider, n, settings.normalize_energy);
    let mut e_current = ev.energy_force(sys, false, "setup")?;
    let setup = SetupNumbers::new(e_current, &ev.result.forces);

    let mut ls = LineSearchState::new(n);
    let mut g = ev.result.forces.clone();
    ls.h.copy_from_slice(&g);
    let mut gg = fnorm_sqr(&g);
    let nlimit = 3 * n;
    let mut e_previous = e_current;
    let mut iterations = 0;
    let mut stop = StopReason::MaxIterations;

    for _ in 0..settings.maxiter {
        iterations += 1;
        e_previous = e_current;
        let outcome = match settings.line_search {
            LineSearch::Quadratic => ls.quadratic(sys, &mut ev, e_current, settings.dmax)?,
            LineSearch::Backtrack => ls.backtrack(sys, &mut ev, e_current, settings.dmax)?,
        };
        match outcome {
            LineOutcome::Moved { energy } => e_current = energy,
            LineOutcome::Failed { reason, energy } => {
                e_current = energy;
                stop = reason;
                break;
            }
        }
        if ev.evaluations >= settings.maxeval {
            stop = StopReason::MaxForceEvaluations;
            break;
        }
        if energy_converged(settings.etol, e_current, e_previous) {
            stop = StopReason::EnergyTolerance;
            break;
        }
        let f = &ev.result.forces;
        let (mut ff, mut fg) = (0.0, 0.0);
        for (fi, gi) in f.iter().zip(&g) {
            for d in 0..3 {
                ff += fi[d] * fi[d];
                fg += fi[d] * gi[d];
            }
        }
        if settings.ftol > 0.0 {
            let fdotf = match settings.norm {
                crate::engine::NormStyle::Two => ff,
                other => ftol_norm_sqr(other, f),
            };
            if fdotf < settings.ftol * settings.ftol {
                stop = StopReason::ForceTolerance;
                break;
            }
        }
        let mut beta = ((ff - fg) / gg).max(0.0);
        if (iterations + 1) % nlimit == 0 {
            beta = 0.0;
        }
        gg = ff;
        let mut gh = 0.0;
        for ((gi, hi), fi) in g.iter_mut().zip(ls.h.iter_mut()).zip(f) {
            for d in 0..3 {
                gi[d] = fi[d];
                hi[d] = gi[d] + beta * hi[d];
                gh += gi[d] * hi[d];
            }
        }
        if gh <= 0.0 {
            ls.h.copy_from_slice(&g);
        }
    }

    Ok(ev.finish(
        sys,
        settings,
        setup,
        stop,
        iterations,
        [e_previous, e_current],
    ))
}
