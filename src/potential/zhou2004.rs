//! The Zhou–Johnson–Wadley (2004) analytic alloy EAM and the generator of its `eam/alloy`
//! (setfl) tables for any list of the elements it parametrises.
//!
//! X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004). With
//! x = r/r_e (r in Å, energies in eV):
//!
//! * density f(r) = f_e exp(−β₁(x−1)) / (1 + (x−λ₁)²⁰)
//! * pair φ(r) = A exp(−α(x−1)) / (1 + (x−κ)²⁰) − B exp(−β(x−1)) / (1 + (x−λ)²⁰)
//! * embedding, with ρ_n = ρ_l·ρ_e and ρ_o = ρ_h·ρ_e (ρ_l = 0.85, ρ_h = 1.15 except Pt):
//!   F = Σᵢ F_{n,i} (ρ/ρ_n − 1)ⁱ for ρ < ρ_n; F = Σᵢ F_i (ρ/ρ_e − 1)ⁱ for ρ_n ≤ ρ < ρ_o (the cubic
//!   coefficient switches to its ρ ≥ ρ_e value at ρ_e); F = F_e (1 − η ln(ρ/ρ_s)) (ρ/ρ_s)^η above.
//! * cross pairs φ_ab = ½ (f_b/f_a φ_aa + f_a/f_b φ_bb).
//!
//! The tables follow the conventions of LAMMPS `tools/eam_database` (`create.f`,
//! `create_eam.py`): cutoff r_c = √10/2 · max(√2 r_e), dr = r_c/(N_r − 1), every r below 0.5 Å
//! evaluated at 0.5 Å (the analytic forms diverge at r → 0), ρ_max = max(largest tabulated
//! density, 2 max ρ_e, 100), dρ = ρ_max/(N_ρ − 1), N_r = N_ρ = 2000 by default; the element line
//! carries the fcc lattice constant √2 r_e. F(0) is the analytic value (≈ 1e-16 eV, the
//! parameters make it vanish), where the Python tool writes exactly 0.
//!
//! ```
//! use pelkit::potential::zhou2004::{zhou_setfl, ZhouElement, ZhouGrid};
//! let setfl = zhou_setfl(&["Cu", "Zr"], &ZhouGrid::default()).unwrap();
//! assert_eq!((setfl.nr, setfl.nrho, setfl.z2r.len()), (2000, 2000, 3));
//! // r·φ for Cu–Cu at the knot nearest r_e, from the analytic form:
//! let cu = ZhouElement::get("Cu").unwrap();
//! let k = (cu.re / setfl.dr).round() as usize;
//! let r = k as f64 * setfl.dr;
//! assert_eq!(setfl.z2r[0][k], r * cu.pair(r));
//! // pelkit::io::eam_file::write_setfl(path, &setfl) writes the eam/alloy file.
//! ```

mod parameters;

pub use parameters::ZHOU_ELEMENTS;

use thiserror::Error;

use crate::io::eam_file::{Setfl, SetflElement};

/// Distances below this (Å) are tabulated with the value at this distance, as the reference tool.
pub const R_CLAMP: f64 = 0.5;

/// One element's parameters (names as in the paper; `f_low`, `f_mid`, `f_high` are F_{n,i}, F_i
/// and F_e).
#[derive(Debug, Clone, PartialEq)]
pub struct ZhouElement {
    pub name: &'static str,
    pub atomic_number: u32,
    /// g/mol.
    pub mass: f64,
    /// Equilibrium nearest-neighbour distance r_e (Å).
    pub re: f64,
    pub fe: f64,
    pub rhoe: f64,
    pub rhos: f64,
    pub alpha: f64,
    pub beta: f64,
    pub a: f64,
    pub b: f64,
    pub kappa: f64,
    pub lambda: f64,
    /// F_{n,0..3}: the embedding polynomial below ρ_n.
    pub f_low: [f64; 4],
    /// F_{0..3}: the embedding polynomial between ρ_n and ρ_o (F_3 used below ρ_e).
    pub f_mid: [f64; 4],
    pub eta: f64,
    /// F_e of the high-density branch.
    pub f_high: f64,
    /// F_3 used for ρ ≥ ρ_e (equal to F_3 for every published element).
    pub f_mid3_above_rhoe: f64,
    /// β and λ of the density function (equal to the pair β, λ for every published element).
    pub beta_density: f64,
    pub lambda_density: f64,
    /// ρ_n/ρ_e and ρ_o/ρ_e.
    pub rho_low_fraction: f64,
    pub rho_high_fraction: f64,
}

impl ZhouElement {
    /// The element of the table with this symbol (case-sensitive, e.g. "Cu").
    pub fn get(name: &str) -> Option<&'static ZhouElement> {
        ZHOU_ELEMENTS.iter().find(|e| e.name == name)
    }

    /// Lattice constant of the fcc crystal with nearest-neighbour distance r_e: √2·r_e (Å).
    pub fn fcc_lattice_constant(&self) -> f64 {
        std::f64::consts::SQRT_2 * self.re
    }

    /// Electron density f(r) contributed at distance r (Å); no clamping.
    pub fn density(&self, r: f64) -> f64 {
        let x = r / self.re;
        self.fe * (-self.beta_density * (x - 1.0)).exp()
            / (1.0 + (x - self.lambda_density).powi(20))
    }

    /// Pair energy φ(r) between two atoms of this element (eV); no clamping.
    pub fn pair(&self, r: f64) -> f64 {
        let x = r / self.re;
        let repulsive =
            self.a * (-self.alpha * (x - 1.0)).exp() / (1.0 + (x - self.kappa).powi(20));
        let attractive =
            self.b * (-self.beta * (x - 1.0)).exp() / (1.0 + (x - self.lambda).powi(20));
        repulsive - attractive
    }

    /// Embedding energy F(ρ) (eV).
    pub fn embedding(&self, rho: f64) -> f64 {
        let rho_n = self.rho_low_fraction * self.rhoe;
        let rho_o = self.rho_high_fraction * self.rhoe;
        let cubic = |c: [f64; 4], t: f64| c[0] + c[1] * t + c[2] * t * t + c[3] * t * t * t;
        if rho < rho_n {
            cubic(self.f_low, rho / rho_n - 1.0)
        } else if rho < rho_o {
            let mut c = self.f_mid;
            if rho >= self.rhoe {
                c[3] = self.f_mid3_above_rhoe;
            }
            cubic(c, rho / self.rhoe - 1.0)
        } else {
            let s = rho / self.rhos;
            self.f_high * (1.0 - self.eta * s.ln()) * s.powf(self.eta)
        }
    }
}

/// Cross pair φ_ab(r) = ½ (f_b/f_a φ_aa + f_a/f_b φ_bb); equals φ_aa when a = b.
pub fn alloy_pair(a: &ZhouElement, b: &ZhouElement, r: f64) -> f64 {
    if a == b {
        return a.pair(r);
    }
    let (fa, fb) = (a.density(r), b.density(r));
    0.5 * (fb / fa * a.pair(r) + fa / fb * b.pair(r))
}

/// Table sizes of the generated file.
#[derive(Debug, Clone, PartialEq)]
pub struct ZhouGrid {
    /// Number of r knots (default 2000).
    pub nr: usize,
    /// Number of ρ knots (default 2000).
    pub nrho: usize,
    /// Cutoff and last r knot (Å); default √10/2 · max over elements of √2 r_e.
    pub cutoff: Option<f64>,
}

impl Default for ZhouGrid {
    fn default() -> Self {
        ZhouGrid {
            nr: 2000,
            nrho: 2000,
            cutoff: None,
        }
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum ZhouError {
    #[error("element {name} is not in the Zhou-Johnson-Wadley table (known: {known})")]
    UnknownElement { name: String, known: String },
    #[error("element {0} is given twice")]
    DuplicateElement(String),
    #[error("no elements given")]
    NoElements,
    #[error("{0}")]
    BadGrid(String),
    #[error("{table} is not finite at {at}: choose a smaller cutoff")]
    NonFinite { table: String, at: String },
}

fn finite(v: f64, table: impl Fn() -> String, at: impl Fn() -> String) -> Result<f64, ZhouError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ZhouError::NonFinite {
            table: table(),
            at: at(),
        })
    }
}

/// The `eam/alloy` tables of the Zhou–Johnson–Wadley EAM for `names` (in this order, which is
/// the order of `pair_coeff * * file El…`), on the grid `grid`.
pub fn zhou_setfl(names: &[&str], grid: &ZhouGrid) -> Result<Setfl, ZhouError> {
    if names.is_empty() {
        return Err(ZhouError::NoElements);
    }
    let mut elements: Vec<&ZhouElement> = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(ZhouError::DuplicateElement(name.to_string()));
        }
        let e = ZhouElement::get(name).ok_or_else(|| ZhouError::UnknownElement {
            name: name.to_string(),
            known: ZHOU_ELEMENTS
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(" "),
        })?;
        elements.push(e);
    }
    if grid.nr < 5 || grid.nrho < 5 {
        return Err(ZhouError::BadGrid(format!(
            "Nr = {} and Nrho = {} must be at least 5 (LAMMPS' splines need 5 knots)",
            grid.nr, grid.nrho
        )));
    }
    let default_cutoff = 10f64.sqrt() / 2.0
        * elements
            .iter()
            .map(|e| e.fcc_lattice_constant())
            .fold(f64::NEG_INFINITY, f64::max);
    let cutoff = grid.cutoff.unwrap_or(default_cutoff);
    if !(cutoff > R_CLAMP && cutoff.is_finite()) {
        return Err(ZhouError::BadGrid(format!(
            "cutoff {cutoff} Å must be a number above {R_CLAMP} Å"
        )));
    }
    let dr = cutoff / (grid.nr as f64 - 1.0);
    let r_at = |k: usize| (k as f64 * dr).max(R_CLAMP);

    let mut densities = Vec::with_capacity(elements.len());
    for e in &elements {
        let table = (0..grid.nr)
            .map(|k| {
                finite(
                    e.density(r_at(k)),
                    || format!("rho(r) of {}", e.name),
                    || format!("r = {} Å", r_at(k)),
                )
            })
            .collect::<Result<Vec<f64>, _>>()?;
        densities.push(table);
    }
    let mut z2r = Vec::with_capacity(elements.len() * (elements.len() + 1) / 2);
    for (i, a) in elements.iter().enumerate() {
        for b in elements.iter().take(i + 1) {
            let table = (0..grid.nr)
                .map(|k| {
                    let r = r_at(k);
                    finite(
                        r * alloy_pair(a, b, r),
                        || format!("r*phi(r) of {}-{}", a.name, b.name),
                        || format!("r = {r} Å"),
                    )
                })
                .collect::<Result<Vec<f64>, _>>()?;
            z2r.push(table);
        }
    }
    let largest_density = densities
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let largest_rhoe = elements
        .iter()
        .map(|e| e.rhoe)
        .fold(f64::NEG_INFINITY, f64::max);
    let rhomax = largest_density.max(2.0 * largest_rhoe).max(100.0);
    let drho = rhomax / (grid.nrho as f64 - 1.0);

    let mut setfl_elements = Vec::with_capacity(elements.len());
    for (e, rhor) in elements.iter().zip(densities) {
        let frho = (0..grid.nrho)
            .map(|k| {
                let rho = k as f64 * drho;
                finite(
                    e.embedding(rho),
                    || format!("F(rho) of {}", e.name),
                    || format!("rho = {rho}"),
                )
            })
            .collect::<Result<Vec<f64>, _>>()?;
        setfl_elements.push(SetflElement {
            name: e.name.to_string(),
            atomic_number: e.atomic_number,
            mass: e.mass,
            lattice_constant: e.fcc_lattice_constant(),
            lattice: "fcc".to_string(),
            frho,
            rhor: vec![rhor],
        });
    }
    let list = names.join(" ");
    Ok(Setfl {
        comments: [
            "UNITS: metal CONTRIBUTOR: pelkit potential write-zhou CITATION: X. W. Zhou, \
             R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004)"
                .to_string(),
            format!(
                "Zhou-Johnson-Wadley 2004 analytic EAM for {list}; cross pairs \
                 phi_ab = (f_b/f_a phi_aa + f_a/f_b phi_bb)/2"
            ),
            format!(
                "pelkit {}: Nrho={} Nr={} cutoff={cutoff} A; r < {R_CLAMP} A tabulated at {R_CLAMP} A",
                env!("CARGO_PKG_VERSION"),
                grid.nrho,
                grid.nr
            ),
        ],
        finnis_sinclair: false,
        elements: setfl_elements,
        nrho: grid.nrho,
        drho,
        nr: grid.nr,
        dr,
        cutoff,
        z2r,
    })
}
