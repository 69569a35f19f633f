//! γ lists (log-spaced ranges, user lists) and the sweep over them, parallel over γ.

use rayon::prelude::*;

use super::point::{run_point, CyclicPoint, InitialState};
use super::{CyclicError, CyclicSettings};
use crate::potential::Potential;

/// `n` strains log-spaced from `lo` to `hi` inclusive (n = 1 gives [lo]). Both must be > 0.
pub fn log_spaced(lo: f64, hi: f64, n: usize) -> Result<Vec<f64>, CyclicError> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > 0.0) {
        return Err(CyclicError::InvalidInput(format!(
            "strain range {lo}:{hi}: both ends must be finite and > 0 (a cycle needs γ > 0)"
        )));
    }
    if hi < lo {
        return Err(CyclicError::InvalidInput(format!(
            "strain range {lo}:{hi}: the upper end is below the lower"
        )));
    }
    if n == 0 {
        return Err(CyclicError::InvalidInput(
            "strain range needs at least one point".into(),
        ));
    }
    if n == 1 {
        return Ok(vec![lo]);
    }
    // In log10 so decade points of decade ranges come out as the exact powers of ten.
    let (a, b) = (lo.log10(), hi.log10());
    Ok((0..n)
        .map(|k| {
            if k == 0 {
                lo
            } else if k == n - 1 {
                hi
            } else {
                10f64.powf(a + (b - a) * k as f64 / (n - 1) as f64)
            }
        })
        .collect())
}

/// Parse `LO:HI:N` (log-spaced) or a comma-separated list `g1,g2,…`; every γ must be > 0 and
/// finite. The result is sorted ascending without duplicates.
pub fn parse_gamma_list(text: &str) -> Result<Vec<f64>, CyclicError> {
    let bad = |m: String| CyclicError::InvalidInput(format!("--gamma '{text}': {m}"));
    let num = |s: &str| -> Result<f64, CyclicError> {
        s.trim()
            .parse::<f64>()
            .map_err(|_| bad(format!("'{}' is not a number", s.trim())))
    };
    let mut gammas = if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() != 3 {
            return Err(bad("expected LO:HI:N, e.g. 1e-5:1e-1:25".into()));
        }
        let n: usize = parts[2]
            .trim()
            .parse()
            .map_err(|_| bad(format!("'{}' is not a point count", parts[2].trim())))?;
        log_spaced(num(parts[0])?, num(parts[1])?, n).map_err(|e| bad(e.to_string()))?
    } else {
        text.split(',').map(num).collect::<Result<Vec<_>, _>>()?
    };
    if let Some(g) = gammas.iter().find(|g| !(g.is_finite() && **g > 0.0)) {
        return Err(bad(format!(
            "strain {g} is not > 0 (the cycle loads by +γ and returns; γ ≤ 0 is not a cycle)"
        )));
    }
    gammas.sort_by(f64::total_cmp);
    gammas.dedup();
    Ok(gammas)
}

/// Run every γ from the same `initial` state, in parallel over γ (each point also parallel
/// inside, on the current rayon pool). `on_done` is called as each point finishes (any order,
/// possibly concurrently); the returned points are in the order of `gammas`. Results do not
/// depend on the thread count.
pub fn run_sweep(
    initial: &InitialState,
    potential: &Potential,
    gammas: &[f64],
    settings: &CyclicSettings,
    on_done: &(dyn Fn(&CyclicPoint) + Sync),
) -> Result<Vec<CyclicPoint>, CyclicError> {
    settings.validate()?;
    Ok(gammas
        .par_iter()
        .with_max_len(1)
        .map(|&g| {
            let p = run_point(initial, potential, g, settings);
            on_done(&p);
            p
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_lists() {
        let g = parse_gamma_list("1e-5:1e-1:5").unwrap();
        assert_eq!(g.len(), 5);
        assert_eq!(g[0], 1e-5);
        assert_eq!(g[4], 1e-1);
        // Log-spaced: each step multiplies by 10; decades are the exact powers of ten.
        assert_eq!(g[1..4], [1e-4, 1e-3, 1e-2]);
        assert_eq!(
            parse_gamma_list("1e-3, 1e-4,1e-3").unwrap(),
            vec![1e-4, 1e-3]
        );
        for bad in [
            "0",
            "-1e-3",
            "1e-3:0:4",
            "1e-1:1e-3:4",
            "1e-3:1e-1",
            "x",
            "1e-3:1e-1:0",
            "nan",
        ] {
            assert!(parse_gamma_list(bad).is_err(), "{bad}");
        }
    }
}
