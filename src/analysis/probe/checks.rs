//! Warnings about a probe set-up that still runs: a dr that is not small against the nearest
//! neighbour distance (the probe is then no longer intra-cage, seed §2.3), and an input that is
//! not at a minimum (then dE is dominated by the linear term −F·dr, not by the cage).

use std::fmt;

use crate::potential::Potential;
use crate::system::System;

use super::local_energy::LocalProbe;
use super::ProbeError;

/// Largest force component norm above which the input counts as not minimized (force units of
/// the potential; a LAMMPS minimize to ftol 1e-8 leaves ≈ 1e-8).
pub const MINIMIZED_FORCE: f64 = 1e-4;

/// Something the user should know before trusting the probes.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeWarning {
    /// `dr` is at least half the smallest pair distance.
    LargeDr { dr: f64, min_distance: f64 },
    /// The largest force |F| of atom `atom_id` exceeds [`MINIMIZED_FORCE`].
    NotMinimized { max_force: f64, atom_id: u64 },
}

impl fmt::Display for ProbeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeWarning::LargeDr { dr, min_distance } => write!(
                f,
                "dr = {dr} is not small against the smallest neighbour distance {min_distance:.6} \
                 (dr >= half of it): probes leave the cage"
            ),
            ProbeWarning::NotMinimized { max_force, atom_id } => write!(
                f,
                "the input is not minimized: max |F| = {max_force:.3e} (atom {atom_id}) > \
                 {MINIMIZED_FORCE:e}; dE then carries a linear term -F.dr"
            ),
        }
    }
}

/// Warnings for probing `sys` at `drs` (one whole-system evaluation for the forces).
pub fn input_checks(
    sys: &System,
    potential: &Potential,
    probe: &LocalProbe,
    drs: &[f64],
) -> Result<Vec<ProbeWarning>, ProbeError> {
    let mut out = Vec::new();
    let min_distance = probe.min_pair_distance();
    for &dr in drs {
        if dr >= 0.5 * min_distance {
            out.push(ProbeWarning::LargeDr { dr, min_distance });
        }
    }
    let ev = potential.evaluate_system(sys)?;
    let (mut max_force, mut atom) = (0.0f64, 0);
    for (i, f) in ev.forces.iter().enumerate() {
        let n = (f[0] * f[0] + f[1] * f[1] + f[2] * f[2]).sqrt();
        if n > max_force {
            (max_force, atom) = (n, i);
        }
    }
    if max_force > MINIMIZED_FORCE {
        out.push(ProbeWarning::NotMinimized {
            max_force,
            atom_id: sys.ids[atom],
        });
    }
    Ok(out)
}
