//! The atomic configuration every part of pelkit works on: box, ids, types and per-atom arrays.
//!
//! Layout follows LAMMPS (structure of arrays, positions as `[f64; 3]`), so the C ABI and the
//! LAMMPS plugin can hand arrays over without reshaping them.

use crate::geometry::SimBox;

/// An atomic configuration. All per-atom vectors have the same length (`natoms()`), in the order
/// the atoms were read; `ids` are the LAMMPS atom ids (1-based, unique), `types` the LAMMPS atom
/// types (1..=ntypes).
#[derive(Debug, Clone, PartialEq)]
pub struct System {
    pub simbox: SimBox,
    pub ids: Vec<u64>,
    pub types: Vec<u32>,
    pub positions: Vec<[f64; 3]>,
    /// Image flags; all zero when the source had none.
    pub images: Vec<[i32; 3]>,
    pub velocities: Option<Vec<[f64; 3]>>,
    pub charges: Option<Vec<f64>>,
    /// Number of atom types declared by the source (may exceed the largest type present).
    pub ntypes: usize,
    /// Per-type masses, index `type - 1`; `None` where the source gave none.
    pub masses: Vec<Option<f64>>,
}

impl System {
    /// A system with positions only (no images, velocities or charges); masses unset.
    pub fn new(simbox: SimBox, ids: Vec<u64>, types: Vec<u32>, positions: Vec<[f64; 3]>) -> Self {
        let n = positions.len();
        let ntypes = types.iter().copied().max().unwrap_or(0) as usize;
        System {
            simbox,
            ids,
            types,
            positions,
            images: vec![[0; 3]; n],
            velocities: None,
            charges: None,
            ntypes,
            masses: vec![None; ntypes],
        }
    }

    pub fn natoms(&self) -> usize {
        self.positions.len()
    }

    /// Unwrapped positions (position + image · box edges).
    pub fn unwrapped_positions(&self) -> Vec<[f64; 3]> {
        self.positions
            .iter()
            .zip(&self.images)
            .map(|(&x, &im)| self.simbox.unwrap(x, im))
            .collect()
    }

    /// Permutation that orders atoms by id (used by writers that sort by id).
    pub fn order_by_id(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.natoms()).collect();
        order.sort_unstable_by_key(|&i| self.ids[i]);
        order
    }
}
