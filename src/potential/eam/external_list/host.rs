//! What a host MD code hands the external-list EAM kernel: its atom arrays, its half neighbor
//! list (LAMMPS layout, special-bond bits masked), the tallies it wants back, and the typed
//! errors of bad host input.

use thiserror::Error;

/// Bits of a LAMMPS neighbor index below the special-bond flags (`NEIGHMASK` in `lmptype.h`).
pub const NEIGHMASK: i32 = 0x1FFF_FFFF;

/// A half neighbor list in the layout LAMMPS gives pair styles: the atoms that have a row
/// (`ilist[0..inum]`) and the row of each (`firstneigh[i][0..numneigh[i]]`). Neighbor indices
/// may carry special-bond bits above [`NEIGHMASK`]; they are masked off.
pub trait HalfNeighborList {
    /// Local indices of the atoms with a row, in list order.
    fn atoms(&self) -> &[i32];
    /// Neighbor indices of local atom `i`; `None` when the list has no valid row for `i`.
    fn row(&self, i: usize) -> Option<&[i32]>;
}

/// A [`HalfNeighborList`] stored in CSR form (rows indexed by local atom index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsrHalfList {
    /// Atoms with a row, in list order (LAMMPS `ilist`).
    pub atoms: Vec<i32>,
    /// Row `i` is `neighbors[offsets[i]..offsets[i + 1]]`.
    pub offsets: Vec<usize>,
    pub neighbors: Vec<i32>,
}

impl HalfNeighborList for CsrHalfList {
    fn atoms(&self) -> &[i32] {
        &self.atoms
    }

    fn row(&self, i: usize) -> Option<&[i32]> {
        let (start, end) = (*self.offsets.get(i)?, *self.offsets.get(i + 1)?);
        self.neighbors.get(start..end)
    }
}

/// The host's atoms: owned atoms `0..nlocal` followed by ghost atoms, LAMMPS memory layout.
#[derive(Debug, Clone, Copy)]
pub struct HostAtoms<'a> {
    /// Positions of owned + ghost atoms (LAMMPS `atom->x`, `nall` rows).
    pub positions: &'a [[f64; 3]],
    /// LAMMPS types (1-based) of owned + ghost atoms.
    pub types: &'a [i32],
    /// Number of owned atoms.
    pub nlocal: usize,
    /// LAMMPS `newton_pair`: pairs with a ghost are stored once and ghost contributions are
    /// reverse-communicated (on), or stored on both ranks and only owned atoms updated (off).
    pub newton: bool,
}

impl HostAtoms<'_> {
    /// Owned + ghost atom count.
    pub fn nall(&self) -> usize {
        self.positions.len()
    }
}

/// Optional outputs of [`EamListKernel::forces`], accumulated as LAMMPS `Pair::ev_tally` does
/// (`None` skips one). Per-atom buffers have one row per owned + ghost atom.
#[derive(Debug, Default)]
pub struct EamTally<'a> {
    /// Pair energy added to the global energy (LAMMPS `eng_vdwl`, eV).
    pub energy: Option<&'a mut f64>,
    /// Pairwise global virial xx yy zz xy xz yz (eV), for hosts not using Σ f·r.
    pub virial: Option<&'a mut [f64; 6]>,
    /// Per-atom energy (LAMMPS `eatom`): half of each pair energy to each atom.
    pub per_atom_energy: Option<&'a mut [f64]>,
    /// Per-atom virial (LAMMPS `vatom`): half of each pair virial to each atom.
    pub per_atom_virial: Option<&'a mut [[f64; 6]]>,
}

impl EamTally<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.energy.is_none()
            && self.virial.is_none()
            && self.per_atom_energy.is_none()
            && self.per_atom_virial.is_none()
    }
}

/// What [`EamListKernel::embedding`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EmbeddingSummary {
    /// Owned atoms whose density exceeded the table end `rhomax` (F extrapolated linearly, as
    /// LAMMPS does; LAMMPS warns once when this happens).
    pub above_rhomax: usize,
}

/// Errors of the external-list kernels: inconsistent host arrays or an unusable configuration.
#[derive(Debug, Error)]
pub enum EamListError {
    #[error("`{what}` has {len} entries, expected {expected} ({why})")]
    Length {
        what: &'static str,
        len: usize,
        expected: usize,
        why: &'static str,
    },
    #[error("nlocal = {nlocal} exceeds the {nall} owned + ghost atoms given")]
    TooManyLocal { nlocal: usize, nall: usize },
    #[error(
        "atom {index} (local index) has type {atom_type}, outside 1..={ntypes} of the potential"
    )]
    TypeOutOfRange {
        index: usize,
        atom_type: i32,
        ntypes: usize,
    },
    #[error("atom {index} (local index) has a non-finite position {position:?}")]
    NonFinitePosition { index: usize, position: [f64; 3] },
    #[error("neighbor list: {0}")]
    BadList(String),
    #[error("atoms {i} and {j} (local indices) are at the same position (distance 0)")]
    Overlap { i: usize, j: usize },
    #[error("atom {index} (local index): electron density {rho} is not finite")]
    NonFiniteDensity { index: usize, rho: f64 },
}
