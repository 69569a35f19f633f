//! The O(neighbours) probe kernel. Moving atom i by d changes only the pair terms (i, j) and,
//! for EAM, the densities of i and of its neighbours j:
//!
//! * dE_atom = ½ Σ_j Δφ_ij + F_i(ρ_i + Δρ_i) − F_i(ρ_i)   (LAMMPS `pe/atom` of atom i),
//! * dE_sys  = Σ_j Δφ_ij + ΔF_i + Σ_j [F_j(ρ_j + Δρ_j) − F_j(ρ_j)].
//!
//! A [`LocalProbe`] builds one full neighbour list with a skin of at least the largest dr (a
//! pair can only come within the cutoff if it was within cutoff + dr) and the unperturbed
//! densities once; a [`Site`] holds atom i's neighbourhood with its unperturbed pair terms; each
//! probe then re-evaluates only those pairs with the potential's own per-pair functions (the
//! same tables and operation order as the whole-system kernels). Periodic images of one atom j
//! are merged (their density changes add up before F_j is evaluated); images of i itself keep
//! their distance and are skipped.

use crate::geometry::neighbor::separation;
use crate::geometry::{ListKind, NeighborList};
use crate::potential::pair_kernel::PairFunction;
use crate::potential::{Eam, Potential};
use crate::system::System;

use super::ProbeError;

/// Energy changes of one probe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProbeEnergy {
    /// Change of atom i's own energy (`pe/atom` split).
    pub de_atom: f64,
    /// Change of the total energy (NaN when only dE_atom was asked for).
    pub de_sys: f64,
    /// Atoms whose energy the probe changed or could change: i and its distinct neighbours
    /// that interact with it before or after the move.
    pub touched: usize,
}

/// One neighbour entry of a site (a pair (i, j) through one image).
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// x_i − (x_j + image shift), unperturbed.
    del: [f64; 3],
    tj: usize,
    /// Index of j in [`Site::neighbors`].
    unique: usize,
    /// Unperturbed φ_ij, density at i due to j, density at j due to i (0 beyond the cutoff).
    phi0: f64,
    rho_i0: f64,
    rho_j0: f64,
}

/// Atom i's neighbourhood with its unperturbed terms (built by [`LocalProbe::site`]).
#[derive(Debug, Clone)]
pub struct Site {
    /// 0-based index of the probed atom.
    pub atom: usize,
    ti: usize,
    entries: Vec<Entry>,
    /// Distinct neighbour atoms (indices), sorted.
    pub neighbors: Vec<usize>,
    /// EAM: unperturbed ρ_j and F_j(ρ_j) of each distinct neighbour; ρ_i and F_i(ρ_i).
    rho_j0: Vec<f64>,
    f_j0: Vec<f64>,
    /// 0-based type of each distinct neighbour.
    t_j: Vec<usize>,
    rho_i0: f64,
    f_i0: f64,
}

/// A configuration and potential set up for probes of displacements up to `max_dr`.
pub struct LocalProbe<'a> {
    pub sys: &'a System,
    pub potential: &'a Potential,
    list: NeighborList,
    shifts: Vec<[f64; 3]>,
    /// EAM: ρ of every atom and F(ρ).
    rho: Vec<f64>,
    embedding: Vec<f64>,
    max_dr: f64,
}

impl<'a> LocalProbe<'a> {
    /// Build the full neighbour list (cutoff + skin, skin = 1.01·max_dr) and, for EAM, every
    /// atom's density and embedding energy. `max_dr` must be positive and finite.
    pub fn new(sys: &'a System, potential: &'a Potential, max_dr: f64) -> Result<Self, ProbeError> {
        if !(max_dr > 0.0 && max_dr.is_finite()) {
            return Err(ProbeError::BadDr(max_dr));
        }
        let list = NeighborList::build(
            &sys.simbox,
            &sys.positions,
            potential.cutoff(),
            1.01 * max_dr,
            ListKind::Full,
        )?;
        let shifts = list.shift_vectors(&sys.simbox);
        let (rho, embedding) = match potential {
            Potential::Eam(eam) => {
                let rho = eam.densities(sys, &list)?;
                let embedding = rho
                    .iter()
                    .zip(&sys.types)
                    .map(|(&r, &t)| eam.embedding_energy(t as usize - 1, r))
                    .collect();
                (rho, embedding)
            }
            _ => {
                // Type checks the EAM path gets from `densities`.
                check_types(sys, potential.ntypes())?;
                (Vec::new(), Vec::new())
            }
        };
        Ok(LocalProbe {
            sys,
            potential,
            list,
            shifts,
            rho,
            embedding,
            max_dr,
        })
    }

    /// Largest dr the neighbour list was built for.
    pub fn max_dr(&self) -> f64 {
        self.max_dr
    }

    /// 0-based index of the atom with LAMMPS id `id`.
    pub fn index_of(&self, id: u64) -> Result<usize, ProbeError> {
        self.sys
            .ids
            .iter()
            .position(|&x| x == id)
            .ok_or(ProbeError::UnknownAtomId(id))
    }

    /// Smallest pair distance in the configuration (over the list, images included).
    pub fn min_pair_distance(&self) -> f64 {
        let mut best = f64::INFINITY;
        for i in 0..self.sys.natoms() {
            for k in self.list.row(i) {
                let j = self.list.neighbors[k] as usize;
                let del = self.delta(i, j, k);
                let rsq = del[0] * del[0] + del[1] * del[1] + del[2] * del[2];
                if rsq > 0.0 {
                    best = best.min(rsq);
                }
            }
        }
        best.sqrt()
    }

    fn delta(&self, i: usize, j: usize, k: usize) -> [f64; 3] {
        let s = self.shifts[self.list.shift_index[k] as usize];
        separation(self.sys.positions[i], self.sys.positions[j], s).0
    }

    /// Atom i's neighbourhood and unperturbed terms (O(neighbours)).
    pub fn site(&self, i: usize) -> Site {
        let ti = self.sys.types[i] as usize - 1;
        let mut neighbors: Vec<usize> = self
            .list
            .row(i)
            .map(|k| self.list.neighbors[k] as usize)
            .filter(|&j| j != i)
            .collect();
        neighbors.sort_unstable();
        neighbors.dedup();
        let mut entries = Vec::with_capacity(self.list.row(i).len());
        for k in self.list.row(i) {
            let j = self.list.neighbors[k] as usize;
            if j == i {
                continue; // an image of i moves with it: its distance is unchanged.
            }
            let del = self.delta(i, j, k);
            let tj = self.sys.types[j] as usize - 1;
            let rsq = del[0] * del[0] + del[1] * del[1] + del[2] * del[2];
            let (phi0, rho_i0, rho_j0) = match self.potential {
                Potential::Eam(e) => match e.pair_terms(ti, tj, rsq) {
                    Some(t) => (t.phi, t.rho_at_i, t.rho_at_j),
                    None => (0.0, 0.0, 0.0),
                },
                Potential::LjCut(p) => (pair_energy(p, ti, tj, rsq), 0.0, 0.0),
                Potential::Table(p) => (pair_energy(p, ti, tj, rsq), 0.0, 0.0),
            };
            entries.push(Entry {
                del,
                tj,
                unique: neighbors.binary_search(&j).unwrap_or(0),
                phi0,
                rho_i0,
                rho_j0,
            });
        }
        let eam = matches!(self.potential, Potential::Eam(_));
        let (rho_j0, f_j0) = if eam {
            (
                neighbors.iter().map(|&j| self.rho[j]).collect(),
                neighbors.iter().map(|&j| self.embedding[j]).collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Site {
            atom: i,
            ti,
            entries,
            rho_j0,
            f_j0,
            t_j: neighbors
                .iter()
                .map(|&j| self.sys.types[j] as usize - 1)
                .collect(),
            rho_i0: if eam { self.rho[i] } else { 0.0 },
            f_i0: if eam { self.embedding[i] } else { 0.0 },
            neighbors,
        }
    }

    /// Energy changes when the site's atom moves by `d` (|d| ≤ [`LocalProbe::max_dr`]).
    /// `with_system = false` skips the neighbours' embedding energies (dE_sys is then NaN).
    /// `scratch` is reused between calls (any contents).
    pub fn probe(
        &self,
        site: &Site,
        d: [f64; 3],
        with_system: bool,
        scratch: &mut Vec<f64>,
    ) -> Result<ProbeEnergy, ProbeError> {
        let out = match self.potential {
            Potential::Eam(e) => probe_eam(e, site, d, with_system, scratch),
            Potential::LjCut(p) => probe_pair(p, site, d, with_system),
            Potential::Table(p) => probe_pair(p, site, d, with_system),
        };
        if !out.de_atom.is_finite() || (with_system && !out.de_sys.is_finite()) {
            return Err(ProbeError::NonFinite {
                atom_id: self.sys.ids[site.atom],
            });
        }
        Ok(out)
    }
}

fn check_types(sys: &System, ntypes: usize) -> Result<(), ProbeError> {
    if let Some((i, &t)) = sys
        .types
        .iter()
        .enumerate()
        .find(|(_, &t)| t == 0 || t as usize > ntypes)
    {
        return Err(crate::potential::PotentialError::TypeOutOfRange {
            atom_id: sys.ids[i],
            atom_type: t,
            ntypes,
        }
        .into());
    }
    Ok(())
}

#[inline(always)]
fn pair_energy<P: PairFunction>(p: &P, ti: usize, tj: usize, rsq: f64) -> f64 {
    p.energy_fpair(ti, tj, rsq).map_or(0.0, |(e, _)| e)
}

#[inline(always)]
fn moved(del: [f64; 3], d: [f64; 3]) -> f64 {
    let x = del[0] + d[0];
    let y = del[1] + d[1];
    let z = del[2] + d[2];
    x * x + y * y + z * z
}

/// Pair styles: dE_sys = Σ Δφ, dE_atom = ½ Σ Δφ (each sum accumulated on its own, as LAMMPS
/// tallies ½φ per atom).
fn probe_pair<P: PairFunction>(p: &P, site: &Site, d: [f64; 3], with_system: bool) -> ProbeEnergy {
    let (mut half, mut whole) = (0.0, 0.0);
    let mut hit = if with_system {
        vec![false; site.neighbors.len()]
    } else {
        Vec::new()
    };
    for e in &site.entries {
        let phi = pair_energy(p, site.ti, e.tj, moved(e.del, d));
        if with_system && (phi != 0.0 || e.phi0 != 0.0) {
            hit[e.unique] = true;
        }
        half += 0.5 * phi - 0.5 * e.phi0;
        whole += phi - e.phi0;
    }
    ProbeEnergy {
        de_atom: half,
        de_sys: whole,
        touched: if with_system {
            1 + hit.iter().filter(|&&t| t).count()
        } else {
            0
        },
    }
}

fn probe_eam(
    eam: &Eam,
    site: &Site,
    d: [f64; 3],
    with_system: bool,
    drho_j: &mut Vec<f64>,
) -> ProbeEnergy {
    let ti = site.ti;
    let (mut dphi, mut drho_i) = (0.0, 0.0);
    let mut touched = 0;
    if with_system {
        drho_j.clear();
        drho_j.resize(site.neighbors.len(), 0.0);
        let mut hit = vec![false; site.neighbors.len()];
        for e in &site.entries {
            let (phi, ri, rj) = match eam.pair_terms(ti, e.tj, moved(e.del, d)) {
                Some(t) => (t.phi, t.rho_at_i, t.rho_at_j),
                None => (0.0, 0.0, 0.0),
            };
            if phi != 0.0 || e.phi0 != 0.0 || rj != 0.0 || e.rho_j0 != 0.0 {
                hit[e.unique] = true;
            }
            dphi += phi - e.phi0;
            drho_i += ri - e.rho_i0;
            drho_j[e.unique] += rj - e.rho_j0;
        }
        touched = 1 + hit.iter().filter(|&&h| h).count();
    } else {
        for e in &site.entries {
            let (ri, phi) = eam
                .pair_terms_own(ti, e.tj, moved(e.del, d))
                .unwrap_or((0.0, 0.0));
            dphi += phi - e.phi0;
            drho_i += ri - e.rho_i0;
        }
    }
    let df_i = eam.embedding_energy(ti, site.rho_i0 + drho_i) - site.f_i0;
    let de_atom = 0.5 * dphi + df_i;
    let de_sys = if with_system {
        let mut df_j = 0.0;
        for (u, &j_drho) in drho_j.iter().enumerate() {
            if j_drho != 0.0 {
                let tj = site.t_j[u];
                df_j += eam.embedding_energy(tj, site.rho_j0[u] + j_drho) - site.f_j0[u];
            }
        }
        dphi + df_i + df_j
    } else {
        f64::NAN
    };
    ProbeEnergy {
        de_atom,
        de_sys,
        touched,
    }
}

impl Site {
    /// Number of neighbour entries (pairs through images) the site re-evaluates per probe.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }
}
