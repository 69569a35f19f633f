//! Johnson's (1964) pair potential for α-Fe, with the exponential core of Morris et al. (2008),
//! and the generator of its LAMMPS `pair_style table` file (`pelkit potential write-johnson`).
//!
//! The form (r in Å, φ in eV):
//!
//! * φ(r) = A₀ exp(−B r) for r < 1.9, A₀ = 8752.934 eV, B = 4.572488 Å⁻¹;
//! * φ(r) = a_k (r − b_k)³ + c_k r + d_k on the three Johnson pieces [1.9, 2.4), [2.4, 3.0),
//!   [3.0, 3.44] (coefficients in [`JOHNSON_PIECES`]);
//! * φ(r) = 0 for r > 3.44 (the cutoff).
//!
//! Sources, and what is *not* here:
//!
//! * The three cubic pieces are R. A. Johnson, "Interstitials and vacancies in α iron",
//!   Phys. Rev. 134, A1329 (1964), with the coefficients as they are universally reproduced
//!   (six decimals; e.g. the "Johnson potential" of M. Kulesh's *Molecular Dynamics* app,
//!   `com.mkulesh.mmd.potentials.Johnson`). We could not open the 1964 paper itself.
//! * The core A₀ exp(−B r) below 1.9 Å is the one of J. R. Morris, R. S. Aga, V. Levashov and
//!   T. Egami, Phys. Rev. B 77, 174201 (2008), as quoted by the OpenKIM model page
//!   MO_857282754307 ("Pair_Johnson_Fe"): A₀ and B are chosen so that φ and φ' are continuous at
//!   1.9 Å. They join Johnson's first cubic to 8e-9 eV and 1e-6 eV/Å (tested), which is how we
//!   know that piece is unchanged near 1.9 Å in their form.
//! * Srolovitz, Maeda, Vitek & Egami, Phil. Mag. A 44, 847 (1981) modified Johnson's form so
//!   that φ'' is also continuous (it jumps at 2.4 Å and 3.44 Å in Johnson's form, and this core
//!   adds a jump at 1.9 Å). Their smoothed coefficients could not be found (neither the paper nor
//!   the OpenKIM driver source was available here), so **this module is Johnson's C¹ form, not
//!   Srolovitz's C² modification**. The cutoff is Johnson's own: his third cubic reaches zero
//!   value and slope at 3.44 Å up to the rounding of the printed coefficients (φ(3.44) =
//!   −1.7e-6 eV, φ'(3.44) = −8.8e-8 eV/Å), which we keep as printed (a step of 1.7e-6 eV at the
//!   cutoff, like an unshifted `lj/cut`).
//!
//! ```
//! use pelkit::potential::johnson1964::{johnson_fe, CUTOFF};
//! let (phi, force) = johnson_fe(2.4824); // bcc nearest-neighbour distance, a = 2.8665 Å
//! assert!(phi < -0.2 && force > 0.0); // in the well, on its repulsive side (minimum 2.617 Å)
//! assert_eq!(johnson_fe(CUTOFF + 1e-9), (0.0, 0.0));
//! ```

use std::fmt::Write as _;

use thiserror::Error;

/// One cubic piece φ = a (r − b)³ + c r + d, valid from `r_from` (inclusive) to the next piece.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CubicPiece {
    /// Å, start of the piece.
    pub r_from: f64,
    /// eV/Å³.
    pub a: f64,
    /// Å.
    pub b: f64,
    /// eV/Å.
    pub c: f64,
    /// eV.
    pub d: f64,
}

impl CubicPiece {
    /// (φ, −dφ/dr).
    fn eval(&self, r: f64) -> (f64, f64) {
        let x = r - self.b;
        (
            self.a * x * x * x + self.c * r + self.d,
            -(3.0 * self.a * x * x + self.c),
        )
    }
}

/// Johnson (1964), Phys. Rev. 134, A1329: the three cubic pieces, in eV and Å.
pub const JOHNSON_PIECES: [CubicPiece; 3] = [
    // 1.9 ≤ r < 2.4: −2.195976 (r − 3.097910)³ + 2.704060 r − 7.436448
    CubicPiece {
        r_from: 1.9,
        a: -2.195976,
        b: 3.097910,
        c: 2.704060,
        d: -7.436448,
    },
    // 2.4 ≤ r < 3.0: −0.639230 (r − 3.115829)³ + 0.477871 r − 1.581570
    CubicPiece {
        r_from: 2.4,
        a: -0.639230,
        b: 3.115829,
        c: 0.477871,
        d: -1.581570,
    },
    // 3.0 ≤ r ≤ 3.44: −1.115035 (r − 3.066403)³ + 0.466892 r − 1.547967
    CubicPiece {
        r_from: 3.0,
        a: -1.115035,
        b: 3.066403,
        c: 0.466892,
        d: -1.547967,
    },
];

/// Morris et al. (2008) core A₀ exp(−B r) below [`CORE_END`]: A₀ in eV (OpenKIM MO_857282754307).
pub const CORE_A0: f64 = 8752.934;
/// Morris et al. (2008) core decay B in Å⁻¹.
pub const CORE_B: f64 = 4.572488;
/// Å: the core is used below this distance, Johnson's first cubic from it on.
pub const CORE_END: f64 = 1.9;
/// Å: Johnson's cutoff (φ = 0 beyond).
pub const CUTOFF: f64 = 3.44;
/// g/mol: the mass of Fe, for `--masses` of `pelkit quench` (a table file carries no mass).
pub const FE_MASS: f64 = 55.845;

/// φ(r) in eV and the pair force −dφ/dr in eV/Å (positive = repulsive), the LAMMPS table
/// convention. Zero beyond [`CUTOFF`].
pub fn johnson_fe(r: f64) -> (f64, f64) {
    if r > CUTOFF {
        (0.0, 0.0)
    } else if r < CORE_END {
        let e = CORE_A0 * (-CORE_B * r).exp();
        (e, CORE_B * e)
    } else if r < JOHNSON_PIECES[1].r_from {
        JOHNSON_PIECES[0].eval(r)
    } else if r < JOHNSON_PIECES[2].r_from {
        JOHNSON_PIECES[1].eval(r)
    } else {
        JOHNSON_PIECES[2].eval(r)
    }
}

/// How the table's distances are spaced (the LAMMPS `R` / `RSQ` keyword).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableSpacing {
    /// Uniform in r.
    R,
    /// Uniform in r² (what `pair_style table linear N` uses: with the same N the file is used
    /// as it is, without LAMMPS' spline resampling).
    Rsq,
}

/// The table file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct JohnsonTable {
    /// Section keyword (`pair_coeff * * FILE KEYWORD`).
    pub keyword: String,
    /// Number of points (≥ 2).
    pub n: usize,
    /// Å, first distance (0 < rlo < [`CUTOFF`]); the last is [`CUTOFF`].
    pub rlo: f64,
    pub spacing: TableSpacing,
}

impl Default for JohnsonTable {
    fn default() -> Self {
        JohnsonTable {
            keyword: "FE_JOHNSON".to_string(),
            n: 5000,
            rlo: 1.0,
            spacing: TableSpacing::Rsq,
        }
    }
}

/// Bad table settings.
#[derive(Debug, Error, PartialEq)]
pub enum JohnsonError {
    #[error("a table needs at least 2 points (got N = {0})")]
    TooFewPoints(usize),
    #[error("the first table distance must lie in (0, {CUTOFF}) Å (got {0})")]
    BadInnerRadius(f64),
    #[error("the section keyword must be one word without '#' (got '{0}')")]
    BadKeyword(String),
}

impl JohnsonTable {
    fn check(&self) -> Result<(), JohnsonError> {
        if self.n < 2 {
            return Err(JohnsonError::TooFewPoints(self.n));
        }
        if !(self.rlo > 0.0 && self.rlo < CUTOFF) {
            return Err(JohnsonError::BadInnerRadius(self.rlo));
        }
        if self.keyword.is_empty()
            || self.keyword.contains('#')
            || self.keyword.split_whitespace().count() != 1
        {
            return Err(JohnsonError::BadKeyword(self.keyword.clone()));
        }
        Ok(())
    }

    /// The tabulated (r, φ, −dφ/dr). The distances are computed with LAMMPS' own expressions
    /// for `R` / `RSQ` tables (`PairTable::read_table`), so LAMMPS replaces none of them.
    pub fn points(&self) -> Result<Vec<(f64, f64, f64)>, JohnsonError> {
        self.check()?;
        let (lo, hi, m) = (self.rlo, CUTOFF, (self.n - 1) as f64);
        Ok((0..self.n)
            .map(|i| {
                let r = match self.spacing {
                    TableSpacing::R => lo + (hi - lo) * i as f64 / m,
                    TableSpacing::Rsq => (lo * lo + (hi * hi - lo * lo) * i as f64 / m).sqrt(),
                };
                let (e, f) = johnson_fe(r);
                (r, e, f)
            })
            .collect())
    }

    /// The whole table file (one section), values with round-trip precision.
    pub fn file_text(&self) -> Result<String, JohnsonError> {
        let points = self.points()?;
        let kw = match self.spacing {
            TableSpacing::R => "R",
            TableSpacing::Rsq => "RSQ",
        };
        let mut s = String::with_capacity(64 * self.n + 1024);
        s.push_str(
            "# Johnson (1964) alpha-Fe pair potential, Phys. Rev. 134, A1329 (cubic pieces on\n\
             # [1.9,2.4) [2.4,3.0) [3.0,3.44] A), core 8752.934*exp(-4.572488 r) eV below 1.9 A\n\
             # (Morris, Aga, Levashov & Egami, PRB 77, 174201 (2008)). NOT the C2-smoothed form of\n\
             # Srolovitz et al. (1981). Metal units: r in A, energy in eV, force -dE/dr in eV/A.\n\
             # Written by pelkit potential write-johnson.\n\n",
        );
        let _ = writeln!(
            s,
            "{}\nN {} {} {:?} {:?}\n",
            self.keyword, self.n, kw, self.rlo, CUTOFF
        );
        for (i, (r, e, f)) in points.iter().enumerate() {
            let _ = writeln!(s, "{} {r:?} {e:?} {f:?}", i + 1);
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused() {
        let t = |n, rlo, kw: &str| JohnsonTable {
            keyword: kw.to_string(),
            n,
            rlo,
            spacing: TableSpacing::R,
        };
        assert_eq!(t(1, 1.0, "A").points(), Err(JohnsonError::TooFewPoints(1)));
        assert_eq!(
            t(10, 3.44, "A").points(),
            Err(JohnsonError::BadInnerRadius(3.44))
        );
        assert_eq!(
            t(10, 0.0, "A").points(),
            Err(JohnsonError::BadInnerRadius(0.0))
        );
        assert!(matches!(
            t(10, 1.0, "A B").points(),
            Err(JohnsonError::BadKeyword(_))
        ));
    }

    #[test]
    fn end_points_are_exact() {
        for spacing in [TableSpacing::R, TableSpacing::Rsq] {
            let p = JohnsonTable {
                spacing,
                ..JohnsonTable::default()
            }
            .points()
            .unwrap();
            assert_eq!(p[0].0, 1.0);
            assert_eq!(p[p.len() - 1].0, CUTOFF);
        }
    }
}
