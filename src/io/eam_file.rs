//! EAM potential files: funcfl (`pair_style eam`), setfl (`eam/alloy`) and Finnis–Sinclair
//! (`eam/fs`). These types hold every number of the file unchanged; the potential built from
//! them lives in `crate::potential`.
//!
//! File layouts are in `shared/reference/lammps-facts.md` §1.1. Readers accept exactly what
//! LAMMPS accepts (`#` comments, blank lines, arrays over any number of lines, values past an
//! array's count on its last line ignored, no `nan`/`inf`/Fortran `D` numbers); errors name the
//! file, the line and what was expected. The element line `Z mass a0 lattice` needs only `Z` and
//! the mass, as in LAMMPS: a missing lattice constant reads as 0 and a missing lattice type as "".
//! Writers print the shortest round-trip decimal of every value, so read → write → read is
//! bit-identical.
//!
//! ```
//! use pelkit::io::eam_file::{parse_setfl, setfl_text};
//! use std::path::Path;
//! // A one-element setfl file with 5-point tables; `#` comments are allowed after line 3.
//! let text = "c1\nc2\nc3\n1 Cu\n5 0.1 5 0.5 2.0\n29 63.546 3.615 fcc\n\
//!             0 -1 -2 -1.5 -1\n0.4 0.3 0.2 0.1 0 # rho(r)\n4 3 2 1 0\n";
//! let setfl = parse_setfl(text.as_bytes(), Path::new("Cu.eam.alloy"), false)?;
//! assert_eq!(setfl.elements[0].rhor[0], [0.4, 0.3, 0.2, 0.1, 0.0]);
//! let again = parse_setfl(setfl_text(&setfl).unwrap().as_bytes(), Path::new("x"), false)?;
//! assert_eq!(again, setfl);
//! # Ok::<(), pelkit::io::FormatError>(())
//! ```

mod check;
mod read;
mod tokens;
mod write;

pub use check::{check, check_bytes};
pub use read::{
    parse_any, parse_funcfl, parse_setfl, read_any, read_fs, read_funcfl, read_setfl, EamFile,
};
pub use write::{funcfl_text, setfl_text, write_funcfl, write_setfl, EamWriteError};

/// A funcfl file (`pair_style eam`): one element, tabulated F(ρ), Z(r) and ρ(r).
#[derive(Debug, Clone, PartialEq)]
pub struct Funcfl {
    /// First line of the file (free text).
    pub comment: String,
    pub atomic_number: u32,
    pub mass: f64,
    pub lattice_constant: f64,
    pub lattice: String,
    pub nrho: usize,
    pub drho: f64,
    pub nr: usize,
    pub dr: f64,
    pub cutoff: f64,
    /// F(ρ) at ρ = k·drho, k = 0..nrho.
    pub frho: Vec<f64>,
    /// Effective charge Z(r) at r = k·dr, k = 0..nr.
    pub zr: Vec<f64>,
    /// Density ρ(r) at r = k·dr, k = 0..nr.
    pub rhor: Vec<f64>,
}

/// One element block of a setfl / Finnis–Sinclair file.
#[derive(Debug, Clone, PartialEq)]
pub struct SetflElement {
    pub name: String,
    pub atomic_number: u32,
    pub mass: f64,
    pub lattice_constant: f64,
    pub lattice: String,
    /// F(ρ), `nrho` values.
    pub frho: Vec<f64>,
    /// ρ(r) tables, `nr` values each: one table for setfl (`eam/alloy`); for Finnis–Sinclair
    /// (`eam/fs`) one per element `j`, the density that an atom of element `j` receives from
    /// this element (LAMMPS `rhor[i][j]` order as written in the file).
    pub rhor: Vec<Vec<f64>>,
}

/// A setfl (`eam/alloy`) or Finnis–Sinclair (`eam/fs`) file.
#[derive(Debug, Clone, PartialEq)]
pub struct Setfl {
    /// The three comment lines at the top of the file.
    pub comments: [String; 3],
    pub finnis_sinclair: bool,
    pub elements: Vec<SetflElement>,
    pub nrho: usize,
    pub drho: f64,
    pub nr: usize,
    pub dr: f64,
    pub cutoff: f64,
    /// r·φ(r) tables for element pairs i ≥ j in file order (0,0), (1,0), (1,1), (2,0)…,
    /// `nr` values each.
    pub z2r: Vec<Vec<f64>>,
}

impl Setfl {
    /// Index of pair (i, j) in `z2r` (order-independent).
    pub fn pair_index(i: usize, j: usize) -> usize {
        let (a, b) = if i >= j { (i, j) } else { (j, i) };
        a * (a + 1) / 2 + b
    }
}
