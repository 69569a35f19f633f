//! Interatomic potentials (one file per family), evaluated exactly as LAMMPS evaluates them.
//!
//! * [`LjCut`] (`lj/cut`), [`Eam`] (`eam`, `eam/alloy`, `eam/fs`);
//! * [`Potential`]: any of them, built from LAMMPS-style `pair_style`/`pair_coeff`/`pair_modify`
//!   arguments by [`Potential::from_lammps_args`];
//! * [`Evaluation`]: energy, per-atom energy, forces and per-atom virial of one evaluation.
//!
//! Kernels run over a [`crate::geometry::NeighborList`] of kind
//! [`crate::geometry::ListKind::HalfBinned`] (the fast one: each pair once, atoms in bin order)
//! or [`crate::geometry::ListKind::Full`] (its pair index, or its rows when that is removed).
//! Per-atom sums go to fixed row ranges in a fixed order, so results are the same for any
//! number of threads.

pub mod eam;

pub(crate) mod accumulate;
pub mod evaluation;
pub mod johnson1964;
pub mod lj_cut;
pub(crate) mod pair_kernel;
pub mod pair_style;
pub mod table;

use thiserror::Error;

use crate::geometry::{ListKind, NeighborError, NeighborList};
use crate::io::FormatError;
use crate::system::System;

pub use eam::Eam;
pub use evaluation::Evaluation;
pub use lj_cut::{LjCut, LjParams, MixRule};
pub use table::{PairTable, TableStyle};

/// Everything that can go wrong building or evaluating a potential.
#[derive(Debug, Error)]
pub enum PotentialError {
    #[error("unknown pair style '{0}' (known: lj/cut, table, eam, eam/alloy, eam/fs)")]
    UnknownStyle(String),
    #[error("{command} '{args}': {message}")]
    BadArguments {
        command: &'static str,
        args: String,
        message: String,
    },
    #[error(
        "pair_coeff gives {given} element names but the system has {ntypes} atom types \
         (one name per type is needed, in type order)"
    )]
    WrongElementCount { given: usize, ntypes: usize },
    #[error("element '{element}' is not in the potential file (it has: {available})")]
    UnknownElement { element: String, available: String },
    #[error("no pair coefficients for atom types {type_i} {type_j}")]
    MissingCoefficients { type_i: usize, type_j: usize },
    #[error("invalid potential table: {0}")]
    BadTable(String),
    #[error(
        "pair table {table}: cutoff {cutoff} is outside the table range ({rlo}, {rhi}] \
         (the table must reach the cutoff)"
    )]
    TableRange {
        table: String,
        cutoff: f64,
        rlo: f64,
        rhi: f64,
    },
    #[error("atom {atom_id} has a pair distance outside its pair table (below the inner radius)")]
    OutsideTable { atom_id: u64 },
    #[error(transparent)]
    File(#[from] FormatError),
    #[error("atom {atom_id} has type {atom_type}, outside 1..={ntypes} of the potential")]
    TypeOutOfRange {
        atom_id: u64,
        atom_type: u32,
        ntypes: usize,
    },
    #[error("neighbor list has {list_atoms} atoms, system has {system_atoms}")]
    ListMismatch {
        list_atoms: usize,
        system_atoms: usize,
    },
    #[error("potential kernels need a full or half-binned neighbor list, not a half list")]
    NeedFullList,
    #[error("neighbor list cutoff {list_cutoff} is below the potential cutoff {cutoff}")]
    ListTooShort { list_cutoff: f64, cutoff: f64 },
    #[error("atoms {id_i} and {id_j} overlap (distance 0)")]
    Overlap { id_i: u64, id_j: u64 },
    #[error("non-finite energy, force or virial at atom {atom_id}")]
    NonFinite { atom_id: u64 },
    #[error(transparent)]
    Neighbor(#[from] NeighborError),
}

/// Any potential pelkit evaluates. Dispatch happens once per evaluation, never per pair.
#[derive(Debug, Clone, PartialEq)]
pub enum Potential {
    LjCut(LjCut),
    Table(PairTable),
    Eam(Eam),
}

impl Potential {
    /// Largest interaction cutoff.
    pub fn cutoff(&self) -> f64 {
        match self {
            Potential::LjCut(p) => p.cutoff(),
            Potential::Table(p) => p.cutoff(),
            Potential::Eam(p) => p.cutoff(),
        }
    }

    /// Number of atom types the potential was set up for.
    pub fn ntypes(&self) -> usize {
        match self {
            Potential::LjCut(p) => p.ntypes(),
            Potential::Table(p) => p.ntypes(),
            Potential::Eam(p) => p.ntypes(),
        }
    }

    /// Masses the potential file sets per type (EAM), as LAMMPS `pair_coeff` does.
    pub fn masses(&self) -> Option<&[f64]> {
        match self {
            Potential::LjCut(_) | Potential::Table(_) => None,
            Potential::Eam(p) => Some(p.masses()),
        }
    }

    /// Give `sys` the masses of the potential file when it sets them (EAM, as LAMMPS
    /// `pair_coeff` does); other styles leave the masses as they are.
    pub fn set_masses(&self, sys: &mut System) {
        if let Some(m) = self.masses() {
            sys.masses = m.iter().map(|&v| Some(v)).collect();
        }
    }

    /// Evaluate with a prebuilt `HalfBinned` or `Full` neighbor list (cutoff ≥
    /// [`Potential::cutoff`]; a `Half` list is refused). Results are in the caller's atom order.
    pub fn evaluate(
        &self,
        sys: &System,
        list: &NeighborList,
    ) -> Result<Evaluation, PotentialError> {
        match self {
            Potential::LjCut(p) => p.evaluate(sys, list),
            Potential::Table(p) => p.evaluate(sys, list),
            Potential::Eam(p) => p.evaluate(sys, list),
        }
    }

    /// Build a `HalfBinned` list (no skin) and evaluate.
    pub fn evaluate_system(&self, sys: &System) -> Result<Evaluation, PotentialError> {
        let list = NeighborList::build(
            &sys.simbox,
            &sys.positions,
            self.cutoff(),
            0.0,
            ListKind::HalfBinned,
        )?;
        self.evaluate(sys, &list)
    }
}

pub mod zhou2004;
