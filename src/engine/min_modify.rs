//! LAMMPS `min_modify` keyword/value text (e.g. `"integrator verlet tmax 20 abcfire yes"`)
//! applied to [`MinimizeSettings`] and [`FireSettings`], with LAMMPS' keyword names and values.

use crate::engine::min_fire::{FireIntegrator, FireSettings};
use crate::engine::minimize::LineSearch;
use crate::engine::{EngineError, MinimizeSettings, NormStyle};

/// The keywords [`apply_min_modify`] understands.
pub const KEYWORDS: &[&str] = &[
    "dmax",
    "line",
    "norm",
    "delaystep",
    "dtgrow",
    "dtshrink",
    "alpha0",
    "alphashrink",
    "tmax",
    "tmin",
    "halfstepback",
    "initialdelay",
    "vdfmax",
    "integrator",
    "abcfire",
];

fn invalid(text: &str, msg: String) -> EngineError {
    EngineError::InvalidInput(format!("min_modify '{text}': {msg}"))
}

/// LAMMPS `utils::logical`: yes/no, on/off, true/false.
fn logical(text: &str, key: &str, value: &str) -> Result<bool, EngineError> {
    match value {
        "yes" | "on" | "true" => Ok(true),
        "no" | "off" | "false" => Ok(false),
        other => Err(invalid(
            text,
            format!("{key} expects yes or no, got '{other}'"),
        )),
    }
}

fn real(text: &str, key: &str, value: &str) -> Result<f64, EngineError> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(invalid(
            text,
            format!("{key} expects a finite number, got '{value}'"),
        )),
    }
}

fn count(text: &str, key: &str, value: &str) -> Result<u64, EngineError> {
    value.parse::<u64>().map_err(|_| {
        invalid(
            text,
            format!("{key} expects a non-negative integer, got '{value}'"),
        )
    })
}

/// Apply `min_modify` keyword/value pairs, in order, to the settings. Unknown keywords, missing
/// or malformed values are errors naming the keyword; nothing is changed on error.
/// FIRE parameters are checked together by [`FireSettings::validate`] when minimizing.
pub fn apply_min_modify(
    text: &str,
    settings: &mut MinimizeSettings,
    fire: &mut FireSettings,
) -> Result<(), EngineError> {
    let mut s = settings.clone();
    let mut f = fire.clone();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return Err(invalid(text, "no keyword given".into()));
    }
    for pair in words.chunks(2) {
        let key = pair[0];
        let Some(&value) = pair.get(1) else {
            return Err(invalid(text, format!("{key} needs a value")));
        };
        match key {
            "dmax" => {
                s.dmax = real(text, key, value)?;
                if s.dmax <= 0.0 {
                    return Err(invalid(text, format!("dmax must be > 0, got {value}")));
                }
            }
            "line" => {
                s.line_search = match value {
                    "quadratic" => LineSearch::Quadratic,
                    "backtrack" => LineSearch::Backtrack,
                    other => {
                        return Err(invalid(
                            text,
                            format!("line '{other}' is not supported (quadratic, backtrack)"),
                        ))
                    }
                }
            }
            "norm" => {
                s.norm = match value {
                    "two" => NormStyle::Two,
                    "max" => NormStyle::Max,
                    "inf" => NormStyle::Inf,
                    other => {
                        return Err(invalid(
                            text,
                            format!("norm '{other}' is not one of two, max, inf"),
                        ))
                    }
                }
            }
            "delaystep" => f.delaystep = count(text, key, value)?,
            "dtgrow" => f.dtgrow = real(text, key, value)?,
            "dtshrink" => f.dtshrink = real(text, key, value)?,
            "alpha0" => f.alpha0 = real(text, key, value)?,
            "alphashrink" => f.alphashrink = real(text, key, value)?,
            "tmax" => f.tmax = real(text, key, value)?,
            "tmin" => f.tmin = real(text, key, value)?,
            "halfstepback" => f.halfstepback = logical(text, key, value)?,
            "initialdelay" => f.initialdelay = logical(text, key, value)?,
            "vdfmax" => f.vdfmax = count(text, key, value)?,
            "abcfire" => f.abcfire = logical(text, key, value)?,
            "integrator" => {
                f.integrator = FireIntegrator::from_name(value).ok_or_else(|| {
                    invalid(
                        text,
                        format!(
                            "integrator '{value}' is not one of eulerimplicit, verlet, \
                             leapfrog, eulerexplicit"
                        ),
                    )
                })?
            }
            other => {
                return Err(invalid(
                    text,
                    format!("unknown keyword '{other}' (known: {})", KEYWORDS.join(", ")),
                ))
            }
        }
    }
    *settings = s;
    *fire = f;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Units;

    fn defaults() -> (MinimizeSettings, FireSettings) {
        (
            MinimizeSettings::new(0.0, 1e-8, 100, 1000, false),
            FireSettings::for_units(Units::Metal),
        )
    }

    #[test]
    fn every_keyword_sets_its_field() {
        let (mut s, mut f) = defaults();
        apply_min_modify(
            "dmax 0.2 line backtrack norm max delaystep 5 dtgrow 1.2 dtshrink 0.4 alpha0 0.1 \
             alphashrink 0.9 tmax 20 tmin 0.01 halfstepback no initialdelay off vdfmax 7 \
             integrator leapfrog abcfire yes",
            &mut s,
            &mut f,
        )
        .unwrap();
        assert_eq!(s.dmax, 0.2);
        assert_eq!(s.line_search, LineSearch::Backtrack);
        assert_eq!(s.norm, NormStyle::Max);
        assert_eq!(f.delaystep, 5);
        assert_eq!((f.dtgrow, f.dtshrink, f.alpha0), (1.2, 0.4, 0.1));
        assert_eq!((f.alphashrink, f.tmax, f.tmin), (0.9, 20.0, 0.01));
        assert!(!f.halfstepback && !f.initialdelay && f.abcfire);
        assert_eq!(f.vdfmax, 7);
        assert_eq!(f.integrator, FireIntegrator::Leapfrog);
        // Every keyword in the list is understood.
        for key in KEYWORDS {
            let value = match *key {
                "line" => "quadratic",
                "norm" => "two",
                "halfstepback" | "initialdelay" | "abcfire" => "yes",
                "integrator" => "verlet",
                _ => "2",
            };
            apply_min_modify(&format!("{key} {value}"), &mut s, &mut f).unwrap();
        }
    }

    #[test]
    fn bad_input_is_an_error_that_names_the_keyword_and_changes_nothing() {
        let (s0, f0) = defaults();
        for (text, needle) in [
            ("integrator rk4", "integrator 'rk4'"),
            ("tmax", "tmax needs a value"),
            ("tmax nan", "tmax expects a finite number"),
            ("delaystep -1", "delaystep expects a non-negative integer"),
            ("abcfire maybe", "abcfire expects yes or no"),
            ("dmax 0", "dmax must be > 0"),
            ("line forcezero", "line 'forcezero' is not supported"),
            ("alpha0 0.1 bogus 3", "unknown keyword 'bogus'"),
            ("", "no keyword"),
        ] {
            let (mut s, mut f) = defaults();
            let err = apply_min_modify(text, &mut s, &mut f)
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "'{text}': {err}");
            assert_eq!(s, s0);
            assert_eq!(f, f0);
        }
    }
}
