//! The `Minimization stats:` summary LAMMPS prints after a `minimize` (`Finish::end`):
//! stopping criterion, energies, force norms, line-search result and iteration counts.

use std::iter::Peekable;
use std::path::Path;

use serde::Serialize;

use crate::io::text::{parse_f64, parse_i64, show, trim, Fields, Line, Lines};
use crate::io::FormatError;

/// The minimization summary of one `minimize`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinimizationStats {
    /// Line of `Minimization stats:`.
    pub line: usize,
    /// e.g. `energy tolerance`, `max iterations`, `linesearch alpha is zero`.
    pub stopping_criterion: String,
    pub energy_initial: f64,
    pub energy_next_to_last: f64,
    pub energy_final: f64,
    /// Force two-norm `[initial, final]`.
    pub force_two_norm: [f64; 2],
    /// Force max component `[initial, final]`.
    pub force_max_component: [f64; 2],
    pub final_linesearch_alpha: f64,
    pub max_atom_move: f64,
    pub iterations: u64,
    pub force_evaluations: u64,
}

const STOPPING: &str = "Stopping criterion =";
const ENERGY: &str = "Energy initial, next-to-last, final =";
const FNORM: &str = "Force two-norm initial, final =";
const FMAX: &str = "Force max component initial, final =";
const ALPHA: &str = "Final line search alpha, max atom move =";
const ITER: &str = "Iterations, force evaluations =";

/// Parse the lines after `Minimization stats:` (`header`). Returns `Ok(None)` when the file ends
/// before the summary is complete.
pub(super) fn parse_stats(
    lines: &mut Peekable<Lines<'_>>,
    header: &Line,
    path: &Path,
) -> Result<Option<MinimizationStats>, FormatError> {
    let mut s = MinimizationStats {
        line: header.number,
        stopping_criterion: String::new(),
        energy_initial: f64::NAN,
        energy_next_to_last: f64::NAN,
        energy_final: f64::NAN,
        force_two_norm: [f64::NAN; 2],
        force_max_component: [f64::NAN; 2],
        final_linesearch_alpha: f64::NAN,
        max_atom_move: f64::NAN,
        iterations: 0,
        force_evaluations: 0,
    };
    let mut seen = [false; 6];
    while let Some(line) = lines.next() {
        let text = trim(line.text);
        let after = |prefix: &str| text.strip_prefix(prefix.as_bytes()).map(trim);
        if let Some(rest) = after(STOPPING) {
            s.stopping_criterion = String::from_utf8_lossy(rest).into_owned();
            seen[0] = true;
        } else if let Some(rest) = after(ENERGY) {
            // 2021 and 2025 print the three energies on the next line; accept them on this one.
            let (numbers, at) = if rest.is_empty() {
                match lines.next() {
                    Some(next) => (Fields::of(next.text), next.number),
                    None => return Ok(None),
                }
            } else {
                (Fields::of(rest), line.number)
            };
            let e = floats::<3>(&numbers, at, ENERGY, path)?;
            [s.energy_initial, s.energy_next_to_last, s.energy_final] = e;
            seen[1] = true;
        } else if let Some(rest) = after(FNORM) {
            s.force_two_norm = floats::<2>(&Fields::of(rest), line.number, FNORM, path)?;
            seen[2] = true;
        } else if let Some(rest) = after(FMAX) {
            s.force_max_component = floats::<2>(&Fields::of(rest), line.number, FMAX, path)?;
            seen[3] = true;
        } else if let Some(rest) = after(ALPHA) {
            [s.final_linesearch_alpha, s.max_atom_move] =
                floats::<2>(&Fields::of(rest), line.number, ALPHA, path)?;
            seen[4] = true;
        } else if let Some(rest) = after(ITER) {
            let f = Fields::of(rest);
            match (f.len(), parse_i64(f.get(0)), parse_i64(f.get(1))) {
                (2, Some(i), Some(e)) if i >= 0 && e >= 0 => {
                    s.iterations = i as u64;
                    s.force_evaluations = e as u64;
                }
                _ => {
                    return Err(FormatError::syntax(
                        path,
                        line.number,
                        format!("expected two integers after `{ITER}`, found {}", show(rest)),
                    ))
                }
            }
            seen[5] = true;
            if let Some(i) = seen.iter().position(|&x| !x) {
                let names = [STOPPING, ENERGY, FNORM, FMAX, ALPHA, ITER];
                return Err(FormatError::syntax(
                    path,
                    line.number,
                    format!(
                        "expected `{}` in the minimization stats of line {}, found none",
                        names[i], header.number
                    ),
                ));
            }
            return Ok(Some(s));
        } else {
            return Err(FormatError::syntax(
                path,
                line.number,
                format!(
                    "expected a minimization statistic (`{STOPPING}`, `{ENERGY}`, …), found {}",
                    show(text)
                ),
            ));
        }
    }
    Ok(None)
}

fn floats<const N: usize>(
    f: &Fields,
    line: usize,
    what: &str,
    path: &Path,
) -> Result<[f64; N], FormatError> {
    let mut out = [0.0; N];
    let ok = f.len() == N
        && f.iter()
            .zip(out.iter_mut())
            .all(|(t, o)| match parse_f64(t) {
                Some(v) => {
                    *o = v;
                    true
                }
                None => false,
            });
    if ok {
        Ok(out)
    } else {
        Err(FormatError::syntax(
            path,
            line,
            format!(
                "expected {N} numbers after `{what}`, found {}",
                show(trim(&f.iter().collect::<Vec<_>>().join(&b' ')))
            ),
        ))
    }
}
