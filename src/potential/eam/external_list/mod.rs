//! EAM evaluated over a neighbor list owned by a host MD code (LAMMPS `pair_style pelkit/eam`):
//! the three passes of LAMMPS `PairEAM::compute` on the host's raw owned + ghost arrays and its
//! half neighbor list, without copying them, bit-faithful to `eam/alloy` / `eam/fs`.
//!
//! The host runs the passes and the communication between them, exactly as `PairEAM` does:
//!
//! 1. [`EamListKernel::densities`]: ρ over the half list, for owned and (newton on) ghost atoms;
//!    the host then sums ghost densities into their owners (reverse communication);
//! 2. [`EamListKernel::embedding`]: F(ρ) and F′(ρ) of the owned atoms in the list; the host then
//!    copies F′ to the ghosts (forward communication);
//! 3. [`EamListKernel::forces`]: pair forces, and on request energy, pairwise virial, per-atom
//!    energy and per-atom virial, accumulated as LAMMPS `ev_tally` does; the host then sums ghost
//!    forces into their owners and may take the global virial from Σ f·r.
//!
//! Every per-pair number and every accumulation order is LAMMPS' (same spline coefficients,
//! same expressions, neighbor-list order), so a host giving the same list gets the same bits.
//! For speed the spline tables are regrouped per type pair: the density pass reads one 64-byte
//! record per pair (ρ seen by i and by j), the force pass one 128-byte record (both density
//! derivatives, r·φ and its derivative), where LAMMPS reads two and three separate rows.
//! Single-threaded: inside LAMMPS the MPI ranks are the parallelism. No allocation per call.

mod host;
mod setfl;

use std::collections::HashMap;

use crate::potential::eam::{Eam, Knot};

pub use host::{
    CsrHalfList, EamListError, EamTally, EmbeddingSummary, HalfNeighborList, HostAtoms, NEIGHMASK,
};
pub use setfl::{eam_from_setfl_file, SetflLayout};

/// Density record of one knot of one type pair (i, j): value coefficients (c3..c6) of the
/// density at i due to j (`rhor[type2rhor[tj][ti]]`) and at j due to i.
#[repr(C, align(64))]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct DensityKnot {
    at_i: [f64; 4],
    at_j: [f64; 4],
}

/// Force record of one knot of one type pair (i, j): derivative coefficients (c0..c2) of the
/// density at j due to i (LAMMPS `rhoip`) and at i due to j (`rhojp`), of r·φ, and r·φ's value
/// coefficients.
#[repr(C, align(64))]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ForceKnot {
    rho_ip: [f64; 3],
    rho_jp: [f64; 3],
    z2p: [f64; 3],
    z2: [f64; 4],
}

/// Neighbors handled per batch of a row (a few KB of stack).
const CHUNK: usize = 128;

/// A neighbor inside the cutoff, between the filtering and the computing sweep of a batch.
#[derive(Debug, Clone, Copy, Default)]
struct NearPair {
    del: [f64; 3],
    rsq: f64,
    r: f64,
    p: f64,
    j: usize,
    /// Index of the pair's table record.
    knot: usize,
}

/// Ask the CPU to start loading the cache line of `record` (a hint: never faults).
#[inline(always)]
fn prefetch<T>(record: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching has no architectural effect and accepts any address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((record as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = record;
}

/// [`prefetch`] of both cache lines of a 128-byte record.
#[inline(always)]
fn prefetch_two_lines(record: &ForceKnot) {
    prefetch(record);
    #[cfg(target_arch = "x86_64")]
    // SAFETY: as in `prefetch`; the address is the record's second line (inside the record).
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((record as *const ForceKnot).cast::<i8>().wrapping_add(64));
    }
}

/// `((c3·p + c4)·p + c5)·p + c6` with `c = [c3, c4, c5, c6]`.
#[inline(always)]
fn value4(c: &[f64; 4], p: f64) -> f64 {
    ((c[0] * p + c[1]) * p + c[2]) * p + c[3]
}

/// `(c0·p + c1)·p + c2`.
#[inline(always)]
fn deriv3(c: &[f64; 3], p: f64) -> f64 {
    (c[0] * p + c[1]) * p + c[2]
}

fn value_part(k: &Knot) -> [f64; 4] {
    [k[3], k[4], k[5], k[6]]
}

fn deriv_part(k: &Knot) -> [f64; 3] {
    [k[0], k[1], k[2]]
}

/// An [`Eam`]'s tables regrouped for evaluation over a host's half neighbor list.
#[derive(Debug, Clone, PartialEq)]
pub struct EamListKernel {
    ntypes: usize,
    nr: usize,
    nrho: usize,
    rdr: f64,
    rdrho: f64,
    rhomax: f64,
    cutoff: f64,
    cutforcesq: f64,
    /// `nblocks × nr` records (knot `m` of block `b` at `b·nr + m`; knot 0 unused).
    density: Vec<DensityKnot>,
    force: Vec<ForceKnot>,
    /// Row-major `ntypes × ntypes`: first record of the block of 0-based types (i, j).
    pair_base: Vec<usize>,
    /// Embedding splines, `nrho` knots per type (knot 0 unused): knot `m` of 0-based type `t`
    /// at `t·nrho + m`.
    embed: Vec<Knot>,
    masses: Vec<f64>,
}

impl EamListKernel {
    /// Regroup the tables of `eam`. Type pairs with the same three splines share one block.
    pub fn new(eam: &Eam) -> Self {
        let t = eam.tables();
        let nt = eam.ntypes();
        let nr = t.nr;
        let mut blocks: HashMap<(usize, usize, usize), usize> = HashMap::new();
        let mut pair_base = Vec::with_capacity(nt * nt);
        let mut density = Vec::new();
        let mut force = Vec::new();
        for ti in 0..nt {
            for tj in 0..nt {
                // (density at i due to j, density at j due to i, r·φ) rows.
                let key = t.pair_table_starts(ti, tj);
                let next = blocks.len();
                let block = *blocks.entry(key).or_insert(next);
                if block == next {
                    for m in 0..nr {
                        let (at_i, at_j, z2r) = (
                            t.r_knot(key.0 + m),
                            t.r_knot(key.1 + m),
                            t.r_knot(key.2 + m),
                        );
                        density.push(DensityKnot {
                            at_i: value_part(&at_i),
                            at_j: value_part(&at_j),
                        });
                        force.push(ForceKnot {
                            rho_ip: deriv_part(&at_j),
                            rho_jp: deriv_part(&at_i),
                            z2p: deriv_part(&z2r),
                            z2: value_part(&z2r),
                        });
                    }
                }
                pair_base.push(block * nr);
            }
        }
        let mut embed = Vec::with_capacity(nt * t.nrho);
        for &row in &t.type2frho[..nt] {
            embed.extend_from_slice(&t.frho_spline[row][..t.nrho]);
        }
        EamListKernel {
            ntypes: nt,
            nr,
            nrho: t.nrho,
            rdr: t.rdr,
            rdrho: t.rdrho,
            rhomax: t.rhomax,
            cutoff: eam.cutoff(),
            cutforcesq: t.cutforcesq,
            density,
            force,
            pair_base,
            embed,
            masses: eam.masses().to_vec(),
        }
    }

    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    /// Interaction cutoff (Å), the same for every type pair, as LAMMPS' `cutmax`.
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// Element mass of each 1-based type (g/mol), as LAMMPS `pair_coeff` sets it.
    pub fn masses(&self) -> &[f64] {
        &self.masses
    }

    /// Knot and fractional position of a distance lookup (lammps-facts §1.4).
    #[inline(always)]
    fn r_lookup(&self, r: f64) -> (usize, f64) {
        super::r_knot(r, self.rdr, self.nr)
    }

    /// Check the host arrays once per pass: lengths, types in range, finite positions.
    fn check_atoms(&self, atoms: &HostAtoms) -> Result<(), EamListError> {
        let nall = atoms.nall();
        if atoms.types.len() != nall {
            return Err(EamListError::Length {
                what: "types",
                len: atoms.types.len(),
                expected: nall,
                why: "one per owned + ghost atom",
            });
        }
        if atoms.nlocal > nall {
            return Err(EamListError::TooManyLocal {
                nlocal: atoms.nlocal,
                nall,
            });
        }
        for (index, (&ty, x)) in atoms.types.iter().zip(atoms.positions).enumerate() {
            if ty < 1 || ty as usize > self.ntypes {
                return Err(EamListError::TypeOutOfRange {
                    index,
                    atom_type: ty,
                    ntypes: self.ntypes,
                });
            }
            if !(x[0].is_finite() && x[1].is_finite() && x[2].is_finite()) {
                return Err(EamListError::NonFinitePosition {
                    index,
                    position: *x,
                });
            }
        }
        Ok(())
    }

    /// The owned atom `i` of a list entry and its row, checked.
    #[inline]
    fn row_of<L: HalfNeighborList>(
        list: &L,
        entry: i32,
        nlocal: usize,
    ) -> Result<(usize, &[i32]), EamListError> {
        let i = entry as usize;
        if entry < 0 || i >= nlocal {
            return Err(EamListError::BadList(format!(
                "list atom {entry} is not an owned atom (nlocal = {nlocal})"
            )));
        }
        let row = list
            .row(i)
            .ok_or_else(|| EamListError::BadList(format!("no valid row for atom {i}")))?;
        Ok((i, row))
    }

    fn bad_neighbor(i: usize, j: usize, nall: usize) -> EamListError {
        EamListError::BadList(format!(
            "atom {i} has neighbor {j}, beyond the {nall} owned + ghost atoms"
        ))
    }

    fn expect_len(
        what: &'static str,
        len: usize,
        expected: usize,
        why: &'static str,
    ) -> Result<(), EamListError> {
        if len != expected {
            return Err(EamListError::Length {
                what,
                len,
                expected,
                why,
            });
        }
        Ok(())
    }

    /// Pass 1: electron densities. `rho` (one per owned + ghost atom) is zeroed for the owned
    /// atoms, and the ghosts too when `newton`, then summed over the half list as LAMMPS does.
    /// With `newton` the host must then add the ghost entries into their owners.
    pub fn densities<L: HalfNeighborList>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        rho: &mut [f64],
    ) -> Result<(), EamListError> {
        self.check_atoms(atoms)?;
        let nall = atoms.nall();
        Self::expect_len("rho", rho.len(), nall, "one per owned + ghost atom")?;
        if atoms.newton {
            self.densities_impl::<L, true>(atoms, list, rho)
        } else {
            self.densities_impl::<L, false>(atoms, list, rho)
        }
    }

    fn densities_impl<L: HalfNeighborList, const NEWTON: bool>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        rho: &mut [f64],
    ) -> Result<(), EamListError> {
        let (x, types, nlocal) = (atoms.positions, atoms.types, atoms.nlocal);
        let nt = self.ntypes;
        let zeroed = if NEWTON { x.len() } else { nlocal };
        rho[..zeroed].fill(0.0);
        let mut near = [NearPair::default(); CHUNK];
        for &entry in list.atoms() {
            let (i, row) = Self::row_of(list, entry, nlocal)?;
            let xi = x[i];
            let ti = types[i] as usize - 1;
            let base_i = &self.pair_base[ti * nt..(ti + 1) * nt];
            // rho[i] accumulates in a register in the same order as LAMMPS' `rho[i] +=` (a
            // row never holds i itself: a zero distance is an error below).
            let mut rho_i = rho[i];
            for chunk in row.chunks(CHUNK) {
                let n = self.near_pairs(i, xi, chunk, x, &mut near)?;
                for pair in &mut near[..n] {
                    if pair.rsq == 0.0 {
                        return Err(EamListError::Overlap { i, j: pair.j });
                    }
                    let tj = types[pair.j] as usize - 1;
                    let (m, p) = self.r_lookup(pair.rsq.sqrt());
                    pair.p = p;
                    pair.knot = base_i[tj] + m;
                    prefetch(&self.density[pair.knot]);
                }
                for pair in &near[..n] {
                    let knot = &self.density[pair.knot];
                    rho_i += value4(&knot.at_i, pair.p);
                    if NEWTON || pair.j < nlocal {
                        rho[pair.j] += value4(&knot.at_j, pair.p);
                    }
                }
            }
            rho[i] = rho_i;
        }
        Ok(())
    }

    /// The pairs of `chunk` (neighbors of atom `i` at `xi`) closer than the cutoff, in list
    /// order, into `near[..n]` (`del`, `rsq`, `j`); returns `n`. Branch-free filtering: the
    /// in/out-of-cutoff test is unpredictable, so every candidate is written and the count
    /// advances only for those inside.
    #[inline(always)]
    fn near_pairs(
        &self,
        i: usize,
        xi: [f64; 3],
        chunk: &[i32],
        x: &[[f64; 3]],
        near: &mut [NearPair; CHUNK],
    ) -> Result<usize, EamListError> {
        let mut n = 0;
        for &jraw in chunk {
            let j = (jraw & NEIGHMASK) as usize;
            let Some(xj) = x.get(j) else {
                return Err(Self::bad_neighbor(i, j, x.len()));
            };
            let del = [xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]];
            let rsq = del[0] * del[0] + del[1] * del[1] + del[2] * del[2];
            // n < chunk.len() ≤ CHUNK here.
            let slot = &mut near[n % CHUNK];
            slot.del = del;
            slot.rsq = rsq;
            slot.j = j;
            n += usize::from(rsq < self.cutforcesq);
        }
        Ok(n)
    }

    /// r, the spline fraction and the force-table record of each near pair of an atom whose
    /// pair tables start at `base_i` (per type of j), prefetching the records.
    #[inline(always)]
    fn locate_force_knots(&self, types: &[i32], base_i: &[usize], near: &mut [NearPair]) {
        for pair in near {
            let tj = types[pair.j] as usize - 1;
            pair.r = pair.rsq.sqrt();
            let (m, p) = self.r_lookup(pair.r);
            pair.p = p;
            pair.knot = base_i[tj] + m;
            prefetch_two_lines(&self.force[pair.knot]);
        }
    }

    /// Pass 2: for each owned atom of the list (in list order), F′(ρ) into `fp` and, when asked,
    /// F(ρ) (linearly extrapolated above `rhomax`, as LAMMPS) added to `energy` and to
    /// `per_atom_energy`. `rho` must hold the complete (reverse-communicated) densities of the
    /// owned atoms; `fp` and `per_atom_energy` have one entry per owned + ghost atom.
    pub fn embedding<L: HalfNeighborList>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        rho: &[f64],
        fp: &mut [f64],
        mut energy: Option<&mut f64>,
        mut per_atom_energy: Option<&mut [f64]>,
    ) -> Result<EmbeddingSummary, EamListError> {
        let nall = atoms.nall();
        let nlocal = atoms.nlocal;
        Self::expect_len("types", atoms.types.len(), nall, "one per atom")?;
        if nlocal > nall {
            return Err(EamListError::TooManyLocal { nlocal, nall });
        }
        Self::expect_len("rho", rho.len(), nall, "one per owned + ghost atom")?;
        Self::expect_len("fp", fp.len(), nall, "one per owned + ghost atom")?;
        if let Some(e) = per_atom_energy.as_deref() {
            Self::expect_len("per_atom_energy", e.len(), nall, "one per atom")?;
        }
        let mut summary = EmbeddingSummary::default();
        let want_energy = energy.is_some() || per_atom_energy.is_some();
        for &entry in list.atoms() {
            let i = entry as usize;
            if entry < 0 || i >= nlocal {
                return Err(EamListError::BadList(format!(
                    "list atom {entry} is not an owned atom (nlocal = {nlocal})"
                )));
            }
            let ty = atoms.types[i];
            if ty < 1 || ty as usize > self.ntypes {
                return Err(EamListError::TypeOutOfRange {
                    index: i,
                    atom_type: ty,
                    ntypes: self.ntypes,
                });
            }
            let rho_i = rho[i];
            if !rho_i.is_finite() {
                return Err(EamListError::NonFiniteDensity {
                    index: i,
                    rho: rho_i,
                });
            }
            let mut p = rho_i * self.rdrho + 1.0;
            let m = (p as i64).min(self.nrho as i64 - 1).max(1) as usize;
            p -= m as f64;
            p = p.min(1.0);
            let c = &self.embed[(ty as usize - 1) * self.nrho + m];
            let fp_i = (c[0] * p + c[1]) * p + c[2];
            fp[i] = fp_i;
            if rho_i > self.rhomax {
                summary.above_rhomax += 1;
            }
            if want_energy {
                let mut phi = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
                if rho_i > self.rhomax {
                    phi += fp_i * (rho_i - self.rhomax);
                }
                if let Some(e) = energy.as_deref_mut() {
                    *e += phi;
                }
                if let Some(e) = per_atom_energy.as_deref_mut() {
                    e[i] += phi;
                }
            }
        }
        Ok(summary)
    }

    /// Pass 3: forces added to `forces` (one row per owned + ghost atom; ghost rows only with
    /// `newton`, then reverse-communicated by the host), and the requested `tally` outputs.
    /// `fp` must hold F′ of owned and ghost atoms (forward-communicated).
    pub fn forces<L: HalfNeighborList>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        fp: &[f64],
        forces: &mut [[f64; 3]],
        tally: EamTally,
    ) -> Result<(), EamListError> {
        self.check_atoms(atoms)?;
        let nall = atoms.nall();
        Self::expect_len("fp", fp.len(), nall, "one per owned + ghost atom")?;
        Self::expect_len("forces", forces.len(), nall, "one per owned + ghost atom")?;
        if let Some(e) = tally.per_atom_energy.as_deref() {
            Self::expect_len("per_atom_energy", e.len(), nall, "one per atom")?;
        }
        if let Some(w) = tally.per_atom_virial.as_deref() {
            Self::expect_len("per_atom_virial", w.len(), nall, "one per atom")?;
        }
        match (atoms.newton, tally.is_empty()) {
            (true, true) => self.forces_only::<L, true>(atoms, list, fp, forces),
            (false, true) => self.forces_only::<L, false>(atoms, list, fp, forces),
            (true, false) => self.forces_tally::<L, true>(atoms, list, fp, forces, tally),
            (false, false) => self.forces_tally::<L, false>(atoms, list, fp, forces, tally),
        }
    }

    /// The pair force of LAMMPS' force pass: `fpair` and, for the tally, φ.
    #[inline(always)]
    fn pair_force(&self, knot: &ForceKnot, p: f64, r: f64, fp_i: f64, fp_j: f64) -> (f64, f64) {
        let rhoip = deriv3(&knot.rho_ip, p);
        let rhojp = deriv3(&knot.rho_jp, p);
        let z2p = deriv3(&knot.z2p, p);
        let z2 = value4(&knot.z2, p);
        let recip = 1.0 / r;
        let phi = z2 * recip;
        let phip = z2p * recip - phi * recip;
        let psip = fp_i * rhojp + fp_j * rhoip + phip;
        (-psip * recip, phi)
    }

    /// The hot loop of ordinary MD steps: forces only. Per chunk of a row: the pairs inside
    /// the cutoff are collected, their table records prefetched, then computed in list order.
    fn forces_only<L: HalfNeighborList, const NEWTON: bool>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        fp: &[f64],
        f: &mut [[f64; 3]],
    ) -> Result<(), EamListError> {
        let (x, types, nlocal) = (atoms.positions, atoms.types, atoms.nlocal);
        let nt = self.ntypes;
        let mut near = [NearPair::default(); CHUNK];
        for &entry in list.atoms() {
            let (i, row) = Self::row_of(list, entry, nlocal)?;
            let xi = x[i];
            let ti = types[i] as usize - 1;
            let base_i = &self.pair_base[ti * nt..(ti + 1) * nt];
            let fp_i = fp[i];
            // f[i] accumulates in registers in LAMMPS' order (rows never hold i itself).
            let mut fi = f[i];
            for chunk in row.chunks(CHUNK) {
                let n = self.near_pairs(i, xi, chunk, x, &mut near)?;
                self.locate_force_knots(types, base_i, &mut near[..n]);
                for pair in &near[..n] {
                    let knot = &self.force[pair.knot];
                    let (fpair, _) = self.pair_force(knot, pair.p, pair.r, fp_i, fp[pair.j]);
                    let [delx, dely, delz] = pair.del;
                    fi[0] += delx * fpair;
                    fi[1] += dely * fpair;
                    fi[2] += delz * fpair;
                    if NEWTON || pair.j < nlocal {
                        let fj = &mut f[pair.j];
                        fj[0] -= delx * fpair;
                        fj[1] -= dely * fpair;
                        fj[2] -= delz * fpair;
                    }
                }
            }
            f[i] = fi;
        }
        Ok(())
    }

    /// Forces plus the `ev_tally` outputs (energy and virial steps).
    fn forces_tally<L: HalfNeighborList, const NEWTON: bool>(
        &self,
        atoms: &HostAtoms,
        list: &L,
        fp: &[f64],
        f: &mut [[f64; 3]],
        mut tally: EamTally,
    ) -> Result<(), EamListError> {
        let (x, types, nlocal) = (atoms.positions, atoms.types, atoms.nlocal);
        let nt = self.ntypes;
        let mut near = [NearPair::default(); CHUNK];
        for &entry in list.atoms() {
            let (i, row) = Self::row_of(list, entry, nlocal)?;
            let xi = x[i];
            let ti = types[i] as usize - 1;
            let base_i = &self.pair_base[ti * nt..(ti + 1) * nt];
            let fp_i = fp[i];
            for chunk in row.chunks(CHUNK) {
                let n = self.near_pairs(i, xi, chunk, x, &mut near)?;
                self.locate_force_knots(types, base_i, &mut near[..n]);
                for pair in &near[..n] {
                    let (j, [delx, dely, delz]) = (pair.j, pair.del);
                    let knot = &self.force[pair.knot];
                    let (p, r) = (pair.p, pair.r);
                    let (fpair, phi) = self.pair_force(knot, p, r, fp_i, fp[j]);
                    f[i][0] += delx * fpair;
                    f[i][1] += dely * fpair;
                    f[i][2] += delz * fpair;
                    let j_counts = NEWTON || j < nlocal;
                    if j_counts {
                        f[j][0] -= delx * fpair;
                        f[j][1] -= dely * fpair;
                        f[j][2] -= delz * fpair;
                    }
                    // Pair::ev_tally(i, j, nlocal, newton_pair, phi, 0, fpair, delx, dely, delz).
                    if let Some(e) = tally.energy.as_deref_mut() {
                        if NEWTON {
                            *e += phi;
                        } else {
                            *e += 0.5 * phi;
                            if j < nlocal {
                                *e += 0.5 * phi;
                            }
                        }
                    }
                    if let Some(e) = tally.per_atom_energy.as_deref_mut() {
                        let half = 0.5 * phi;
                        e[i] += half;
                        if j_counts {
                            e[j] += half;
                        }
                    }
                    let want_virial = tally.virial.is_some() || tally.per_atom_virial.is_some();
                    if want_virial {
                        let v = [
                            delx * delx * fpair,
                            dely * dely * fpair,
                            delz * delz * fpair,
                            delx * dely * fpair,
                            delx * delz * fpair,
                            dely * delz * fpair,
                        ];
                        if let Some(w) = tally.virial.as_deref_mut() {
                            for k in 0..6 {
                                if NEWTON {
                                    w[k] += v[k];
                                } else {
                                    w[k] += 0.5 * v[k];
                                }
                            }
                            if !NEWTON && j < nlocal {
                                for k in 0..6 {
                                    w[k] += 0.5 * v[k];
                                }
                            }
                        }
                        if let Some(w) = tally.per_atom_virial.as_deref_mut() {
                            for k in 0..6 {
                                w[i][k] += 0.5 * v[k];
                            }
                            if j_counts {
                                for k in 0..6 {
                                    w[j][k] += 0.5 * v[k];
                                }
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
