//! Building a [`Potential`] from LAMMPS-style command arguments: the text after `pair_style`,
//! each `pair_coeff` and each `pair_modify`, with LAMMPS' type ranges (`*`, `2*`, `*3`, `1*2`)
//! and element mapping for EAM files.

use crate::io::potential_path::resolve_potential_file;

use crate::io::eam_file::{read_fs, read_funcfl, read_setfl, Funcfl};
use crate::io::table_file::read_table_section;
use crate::potential::{
    Eam, LjCut, LjParams, MixRule, PairTable, Potential, PotentialError, TableStyle,
};

fn bad(command: &'static str, args: &str, message: impl Into<String>) -> PotentialError {
    PotentialError::BadArguments {
        command,
        args: args.to_string(),
        message: message.into(),
    }
}

/// LAMMPS `utils::bounds`: a type range `N`, `*`, `N*`, `*N` or `M*N` within 1..=ntypes,
/// returned 0-based inclusive.
pub fn type_range(text: &str, ntypes: usize, args: &str) -> Result<(usize, usize), PotentialError> {
    let num = |s: &str, default: usize| -> Result<usize, PotentialError> {
        if s.is_empty() {
            return Ok(default);
        }
        s.parse::<usize>().map_err(|_| {
            bad(
                "pair_coeff",
                args,
                format!("'{text}' is not an atom type range"),
            )
        })
    };
    let (lo, hi) = match text.split_once('*') {
        None => {
            let v = num(text, 0)?;
            (v, v)
        }
        Some((a, b)) => (num(a, 1)?, num(b, ntypes)?),
    };
    if lo < 1 || hi > ntypes || lo > hi {
        return Err(bad(
            "pair_coeff",
            args,
            format!("type range '{text}' is outside 1..={ntypes} or empty"),
        ));
    }
    Ok((lo - 1, hi - 1))
}

fn number(
    word: &str,
    command: &'static str,
    args: &str,
    what: &str,
) -> Result<f64, PotentialError> {
    word.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            bad(
                command,
                args,
                format!("{what} '{word}' is not a finite number"),
            )
        })
}

impl Potential {
    /// Build a potential for `ntypes` atom types from the argument text of `pair_style`,
    /// every `pair_coeff` and every `pair_modify` command, e.g.
    /// `("lj/cut 2.5", ["1 1 1.0 1.0", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"], ["shift yes"])` or
    /// `("eam/fs", ["* * CuZr_mm.eam.fs Cu Zr"], [])`.
    pub fn from_lammps_args(
        pair_style: &str,
        pair_coeffs: &[String],
        pair_modify: &[String],
        ntypes: usize,
    ) -> Result<Self, PotentialError> {
        let words: Vec<&str> = pair_style.split_whitespace().collect();
        let Some((&style, style_args)) = words.split_first() else {
            return Err(PotentialError::UnknownStyle(String::new()));
        };
        let mut shift = false;
        let mut mix = MixRule::Geometric;
        for m in pair_modify {
            let w: Vec<&str> = m.split_whitespace().collect();
            let mut k = 0;
            while k < w.len() {
                match (w[k], w.get(k + 1).copied()) {
                    ("shift", Some("yes")) => shift = true,
                    ("shift", Some("no")) => shift = false,
                    ("mix", Some("geometric")) => mix = MixRule::Geometric,
                    ("mix", Some("arithmetic")) => mix = MixRule::Arithmetic,
                    ("mix", Some("sixthpower")) => mix = MixRule::SixthPower,
                    _ => {
                        return Err(bad(
                            "pair_modify",
                            m,
                            "expected 'shift yes|no' or 'mix geometric|arithmetic|sixthpower'",
                        ))
                    }
                }
                k += 2;
            }
        }
        if ntypes == 0 {
            return Err(bad(
                "pair_style",
                pair_style,
                "the system has no atom types",
            ));
        }
        match style {
            "lj/cut" => lj_cut(style_args, pair_style, pair_coeffs, ntypes, mix, shift),
            "table" => table(style_args, pair_style, pair_coeffs, ntypes),
            "eam" => {
                if !style_args.is_empty() {
                    return Err(bad("pair_style", pair_style, "eam takes no arguments"));
                }
                eam_funcfl(pair_coeffs, ntypes)
            }
            "eam/alloy" | "eam/fs" => {
                if !style_args.is_empty() {
                    return Err(bad("pair_style", pair_style, "takes no arguments"));
                }
                eam_setfl(style == "eam/fs", pair_coeffs, ntypes)
            }
            other => Err(PotentialError::UnknownStyle(other.to_string())),
        }
    }
}

fn lj_cut(
    style_args: &[&str],
    pair_style: &str,
    pair_coeffs: &[String],
    ntypes: usize,
    mix: MixRule,
    shift: bool,
) -> Result<Potential, PotentialError> {
    let [global] = style_args else {
        return Err(bad(
            "pair_style",
            pair_style,
            "lj/cut takes exactly one argument, the global cutoff",
        ));
    };
    let global_cut = number(global, "pair_style", pair_style, "cutoff")?;
    let mut explicit = vec![vec![None; ntypes]; ntypes];
    for c in pair_coeffs {
        let w: Vec<&str> = c.split_whitespace().collect();
        if !(4..=5).contains(&w.len()) {
            return Err(bad(
                "pair_coeff",
                c,
                "lj/cut needs 'I J epsilon sigma [cutoff]'",
            ));
        }
        let (ilo, ihi) = type_range(w[0], ntypes, c)?;
        let (jlo, jhi) = type_range(w[1], ntypes, c)?;
        let epsilon = number(w[2], "pair_coeff", c, "epsilon")?;
        let sigma = number(w[3], "pair_coeff", c, "sigma")?;
        let cutoff = match w.get(4) {
            Some(v) => number(v, "pair_coeff", c, "cutoff")?,
            None => global_cut,
        };
        let mut count = 0;
        for (i, row) in explicit.iter_mut().enumerate().take(ihi + 1).skip(ilo) {
            for cell in row.iter_mut().take(jhi + 1).skip(jlo.max(i)) {
                *cell = Some(LjParams {
                    epsilon,
                    sigma,
                    cutoff,
                });
                count += 1;
            }
        }
        if count == 0 {
            return Err(bad(
                "pair_coeff",
                c,
                "the type ranges select no pair with I <= J",
            ));
        }
    }
    Ok(Potential::LjCut(LjCut::new(ntypes, &explicit, mix, shift)?))
}

fn table(
    style_args: &[&str],
    pair_style: &str,
    pair_coeffs: &[String],
    ntypes: usize,
) -> Result<Potential, PotentialError> {
    let [kind, n] = style_args else {
        return Err(bad(
            "pair_style",
            pair_style,
            "table needs 'linear|spline|lookup N'",
        ));
    };
    let style = match *kind {
        "linear" => TableStyle::Linear,
        "spline" => TableStyle::Spline,
        "lookup" => TableStyle::Lookup,
        other => {
            return Err(bad(
                "pair_style",
                pair_style,
                format!("unknown table style '{other}' (linear, spline, lookup)"),
            ))
        }
    };
    let tablength: usize = n.parse().map_err(|_| {
        bad(
            "pair_style",
            pair_style,
            "table length N must be an integer",
        )
    })?;
    let mut coeffs = Vec::with_capacity(pair_coeffs.len());
    for c in pair_coeffs {
        let w: Vec<&str> = c.split_whitespace().collect();
        if !(4..=5).contains(&w.len()) {
            return Err(bad(
                "pair_coeff",
                c,
                "table needs 'I J file KEYWORD [cutoff]'",
            ));
        }
        let i = type_range(w[0], ntypes, c)?;
        let j = type_range(w[1], ntypes, c)?;
        if (i.0..=i.1).all(|a| a > j.1) {
            return Err(bad(
                "pair_coeff",
                c,
                "the type ranges select no pair with I <= J",
            ));
        }
        let section = read_table_section(&resolve_potential_file(w[2]), w[3])?;
        let cut = match w.get(4) {
            Some(v) => Some(number(v, "pair_coeff", c, "cutoff")?),
            None => None,
        };
        coeffs.push((i, j, section, cut, format!("{} {}", w[2], w[3])));
    }
    Ok(Potential::Table(PairTable::new(
        ntypes, style, tablength, &coeffs,
    )?))
}

fn eam_funcfl(pair_coeffs: &[String], ntypes: usize) -> Result<Potential, PotentialError> {
    let mut files: Vec<(String, Funcfl)> = Vec::new();
    let mut map: Vec<Option<usize>> = vec![None; ntypes];
    for c in pair_coeffs {
        let w: Vec<&str> = c.split_whitespace().collect();
        if w.len() != 3 {
            return Err(bad("pair_coeff", c, "eam needs 'I J file.eam' (I = J)"));
        }
        let (ilo, ihi) = type_range(w[0], ntypes, c)?;
        let (jlo, jhi) = type_range(w[1], ntypes, c)?;
        let index = match files.iter().position(|(name, _)| name == w[2]) {
            Some(k) => k,
            None => {
                files.push((
                    w[2].to_string(),
                    read_funcfl(&resolve_potential_file(w[2]))?,
                ));
                files.len() - 1
            }
        };
        let mut count = 0;
        for (i, slot) in map.iter_mut().enumerate().take(ihi + 1).skip(ilo) {
            if (jlo..=jhi).contains(&i) {
                *slot = Some(index);
                count += 1;
            }
        }
        if count == 0 {
            return Err(bad(
                "pair_coeff",
                c,
                "eam sets only I = I pairs; none selected",
            ));
        }
    }
    let type_to_file = map
        .iter()
        .enumerate()
        .map(|(t, f)| {
            f.ok_or(PotentialError::MissingCoefficients {
                type_i: t + 1,
                type_j: t + 1,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let funcfl: Vec<Funcfl> = files.into_iter().map(|(_, f)| f).collect();
    Ok(Potential::Eam(Eam::from_funcfl(&funcfl, &type_to_file)?))
}

fn eam_setfl(fs: bool, pair_coeffs: &[String], ntypes: usize) -> Result<Potential, PotentialError> {
    let [c] = pair_coeffs else {
        return Err(bad(
            "pair_coeff",
            &pair_coeffs.join(" | "),
            "eam/alloy and eam/fs need exactly one 'pair_coeff * * file El1 … ElN'",
        ));
    };
    let w: Vec<&str> = c.split_whitespace().collect();
    if w.len() < 3 || w[0] != "*" || w[1] != "*" {
        return Err(bad("pair_coeff", c, "expected '* * file El1 … ElN'"));
    }
    let names = &w[3..];
    if names.len() != ntypes {
        return Err(PotentialError::WrongElementCount {
            given: names.len(),
            ntypes,
        });
    }
    let path = resolve_potential_file(w[2]);
    let file = if fs {
        read_fs(&path)?
    } else {
        read_setfl(&path)?
    };
    let available = || {
        file.elements
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut map = Vec::with_capacity(ntypes);
    for name in names {
        if *name == "NULL" {
            return Err(bad(
                "pair_coeff",
                c,
                "NULL (pair_style hybrid) is not supported: every type needs an element",
            ));
        }
        match file.elements.iter().position(|e| e.name == *name) {
            Some(k) => map.push(k),
            None => {
                return Err(PotentialError::UnknownElement {
                    element: name.to_string(),
                    available: available(),
                })
            }
        }
    }
    Ok(Potential::Eam(Eam::from_setfl(&file, &map)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_ranges_follow_lammps_bounds() {
        assert_eq!(type_range("*", 3, "").unwrap(), (0, 2));
        assert_eq!(type_range("2*", 3, "").unwrap(), (1, 2));
        assert_eq!(type_range("*2", 3, "").unwrap(), (0, 1));
        assert_eq!(type_range("1*2", 3, "").unwrap(), (0, 1));
        assert_eq!(type_range("3", 3, "").unwrap(), (2, 2));
        assert!(type_range("4", 3, "").is_err());
        assert!(type_range("0", 3, "").is_err());
        assert!(type_range("x", 3, "").is_err());
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn bad_inputs_give_typed_errors() {
        let e = Potential::from_lammps_args("lj/cutt 2.5", &[], &[], 1).unwrap_err();
        assert!(matches!(e, PotentialError::UnknownStyle(ref s) if s == "lj/cutt"));
        let e = Potential::from_lammps_args("lj/cut 2.5", &s(&["1 1 1 1"]), &[], 2).unwrap_err();
        assert!(matches!(
            e,
            PotentialError::MissingCoefficients { type_i: 2, .. }
        ));
        let e = Potential::from_lammps_args("lj/cut 2.5", &s(&["1 1 1 abc"]), &[], 1).unwrap_err();
        assert!(matches!(e, PotentialError::BadArguments { .. }));
        let e = Potential::from_lammps_args("lj/cut 2.5", &s(&["2 1 1 1"]), &[], 2).unwrap_err();
        assert!(matches!(e, PotentialError::BadArguments { .. }));
        let e =
            Potential::from_lammps_args("lj/cut 2.5", &s(&["* * 1 1"]), &s(&["shift maybe"]), 1)
                .unwrap_err();
        assert!(matches!(
            e,
            PotentialError::BadArguments {
                command: "pair_modify",
                ..
            }
        ));
        let e =
            Potential::from_lammps_args("eam/fs", &s(&["* * f.eam.fs Cu"]), &[], 2).unwrap_err();
        assert!(matches!(
            e,
            PotentialError::WrongElementCount {
                given: 1,
                ntypes: 2
            }
        ));
        let e = Potential::from_lammps_args("eam/alloy", &s(&["* * /nonexistent.set Cu"]), &[], 1)
            .unwrap_err();
        assert!(matches!(e, PotentialError::File(_)));
    }

    /// Kob–Andersen as a command line: the 1-2 pair is explicit (no mixing); a mixed pair uses
    /// the LAMMPS geometric rule.
    #[test]
    fn kob_andersen_and_mixing() {
        let p = Potential::from_lammps_args(
            "lj/cut 2.5",
            &s(&["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"]),
            &s(&["shift yes"]),
            2,
        )
        .unwrap();
        let Potential::LjCut(lj) = p else { panic!() };
        assert_eq!(lj.params(2, 1).unwrap().epsilon, 1.5);
        assert_eq!(lj.cutoff(), 2.5);
        let p = Potential::from_lammps_args(
            "lj/cut 2.5",
            &s(&["1 1 1.0 1.0", "2 2 0.5 0.88"]),
            &s(&["mix arithmetic"]),
            2,
        )
        .unwrap();
        let Potential::LjCut(lj) = p else { panic!() };
        let m = lj.params(1, 2).unwrap();
        assert_eq!(m.sigma, 0.5 * (1.0 + 0.88));
        assert_eq!(m.epsilon, (1.0f64 * 0.5).sqrt());
    }
}
