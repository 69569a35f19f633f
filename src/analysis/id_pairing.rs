//! Pairing atoms by id between a reference and a current configuration, shared by D_min
//! ([`crate::analysis::dmin`]) and D²min ([`crate::analysis::d2min`]): equal atom counts, unique
//! ids in each configuration, the same id set in both, finite positions. Each check is its own
//! function so a caller keeps its own order of checks (and so its error for a given input); the
//! callers map [`PairingError`] into their own error enums with unchanged messages.

use thiserror::Error;

use crate::system::System;

/// Why two configurations cannot be paired by atom id.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PairingError {
    #[error("the configurations have different numbers of atoms: reference {reference}, current {current}")]
    AtomCount { reference: usize, current: usize },
    #[error("atom id {id} is in the {present} configuration but missing from the {missing} one")]
    MissingAtom {
        id: u64,
        present: &'static str,
        missing: &'static str,
    },
    #[error("atom id {id} appears more than once in the {which} configuration")]
    DuplicateId { id: u64, which: &'static str },
    #[error("atom id {id} has a non-finite position in the {which} configuration")]
    NonFinite { id: u64, which: &'static str },
}

/// Both configurations in ascending id order: row k of `reference`/`current` is atom `ids[k]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedPositions {
    pub ids: Vec<u64>,
    pub reference: Vec<[f64; 3]>,
    pub current: Vec<[f64; 3]>,
}

/// The common atom count of both configurations.
pub fn same_count(reference: &System, current: &System) -> Result<usize, PairingError> {
    let (nr, nc) = (reference.natoms(), current.natoms());
    if nr != nc {
        return Err(PairingError::AtomCount {
            reference: nr,
            current: nc,
        });
    }
    Ok(nr)
}

/// Atom indices of `sys` in ascending id order; an error names the first repeated id.
pub fn sorted_unique(sys: &System, which: &'static str) -> Result<Vec<usize>, PairingError> {
    let order = sys.order_by_id();
    for w in order.windows(2) {
        if sys.ids[w[0]] == sys.ids[w[1]] {
            return Err(PairingError::DuplicateId {
                id: sys.ids[w[0]],
                which,
            });
        }
    }
    Ok(order)
}

/// Checks that two id-sorted, duplicate-free orders hold the same ids; an error names the
/// smallest id present in only one of them.
pub fn same_ids(
    reference: &System,
    ref_order: &[usize],
    current: &System,
    cur_order: &[usize],
) -> Result<(), PairingError> {
    for (&a, &b) in ref_order.iter().zip(cur_order) {
        let (ia, ib) = (reference.ids[a], current.ids[b]);
        if ia != ib {
            let (id, present, missing) = if ia < ib {
                (ia, "reference", "current")
            } else {
                (ib, "current", "reference")
            };
            return Err(PairingError::MissingAtom {
                id,
                present,
                missing,
            });
        }
    }
    Ok(())
}

/// Positions of `sys` in `order`; an error names the first atom (in `order`) with a non-finite
/// coordinate.
pub fn finite_positions(
    sys: &System,
    order: &[usize],
    which: &'static str,
) -> Result<Vec<[f64; 3]>, PairingError> {
    order
        .iter()
        .map(|&k| {
            let x = sys.positions[k];
            if x.iter().all(|v| v.is_finite()) {
                Ok(x)
            } else {
                Err(PairingError::NonFinite {
                    id: sys.ids[k],
                    which,
                })
            }
        })
        .collect()
}

/// All checks in one call, in this order: atom count; per configuration (reference first)
/// duplicate ids then non-finite positions; then the id sets.
pub fn pair_positions(
    reference: &System,
    current: &System,
) -> Result<PairedPositions, PairingError> {
    same_count(reference, current)?;
    let or = sorted_unique(reference, "reference")?;
    let x0 = finite_positions(reference, &or, "reference")?;
    let oc = sorted_unique(current, "current")?;
    let x1 = finite_positions(current, &oc, "current")?;
    same_ids(reference, &or, current, &oc)?;
    Ok(PairedPositions {
        ids: or.iter().map(|&k| reference.ids[k]).collect(),
        reference: x0,
        current: x1,
    })
}
