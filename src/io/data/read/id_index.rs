//! Atom id → index in file order, for the sections that refer to atoms by id (Velocities).

use std::collections::HashMap;

/// Atom id → index in file order: a dense table when ids are compact (the usual 1..=N), else a
/// hash map.
pub(super) enum IdIndex {
    Dense(Vec<usize>),
    Sparse(HashMap<u64, usize>),
}

impl IdIndex {
    const ABSENT: usize = usize::MAX;

    pub(super) fn new(ids: &[u64]) -> Self {
        let max = ids.iter().copied().max().unwrap_or(0);
        if max <= 2 * ids.len() as u64 + 1024 {
            IdIndex::Dense(vec![Self::ABSENT; max as usize + 1])
        } else {
            IdIndex::Sparse(HashMap::with_capacity(ids.len()))
        }
    }

    /// Record `id` at `i`; returns the earlier index when the id was already there (kept).
    pub(super) fn insert(&mut self, id: u64, i: usize) -> Option<usize> {
        match self {
            IdIndex::Dense(v) => {
                let slot = v.get_mut(id as usize)?;
                if *slot == Self::ABSENT {
                    *slot = i;
                    None
                } else {
                    Some(*slot)
                }
            }
            IdIndex::Sparse(m) => match m.entry(id) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                    None
                }
            },
        }
    }

    pub(super) fn get(&self, id: u64) -> Option<usize> {
        match self {
            IdIndex::Dense(v) => v.get(id as usize).copied().filter(|&i| i != Self::ABSENT),
            IdIndex::Sparse(m) => m.get(&id).copied(),
        }
    }
}
