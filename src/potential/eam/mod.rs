//! `pair_style eam`, `eam/alloy` and `eam/fs` exactly as LAMMPS builds and evaluates them
//! (`src/MANYBODY/pair_eam*.cpp`): funcfl resampling onto a common grid (`file2array`) with the
//! cross term 27.2·0.529·Z_i·Z_j, the 7-coefficient cubic spline (`interpolate`), the clamped
//! table lookups, and the linear extrapolation of F above `rhomax` (lammps-facts §1).

pub mod external_list;
mod local_terms;
pub use local_terms::EamPairTerms;
mod pairs_once;

use rayon::prelude::*;

use crate::geometry::neighbor::separation;
use crate::geometry::{ListKind, NeighborList};
use crate::io::eam_file::{Funcfl, Setfl};
use crate::potential::accumulate::{
    check_inputs, finish, full_rows, overlap_error, tally_virial, PairRows,
};
use crate::potential::evaluation::Evaluation;
use crate::potential::PotentialError;
use crate::system::System;

/// Spline coefficients of one knot: `[0..3]` derivative, `[3..7]` value (lammps-facts §1.3).
pub(crate) type Knot = [f64; 7];

/// Borrowed view of an [`Eam`]'s spline tables and type maps, for kernels in other files
/// (`external_list`). Tables are 1-based as LAMMPS' (knot 0 unused); maps are 0-based.
pub(crate) struct EamTables<'a> {
    pub nrho: usize,
    pub nr: usize,
    pub rdr: f64,
    pub rdrho: f64,
    pub rhomax: f64,
    pub cutforcesq: f64,
    pub frho_spline: &'a [Vec<Knot>],
    pub type2frho: &'a [usize],
    r_knots: &'a [LineKnot],
    pair_knots: &'a [PairKnots],
    ntypes: usize,
}

impl EamTables<'_> {
    /// Where the r tables of 0-based types (i, j) start: (density at i due to j, density at j
    /// due to i, r·φ), as LAMMPS' `type2rhor[j][i]`, `type2rhor[i][j]`, `type2z2r[i][j]`. Equal
    /// starts mean the same table.
    pub fn pair_table_starts(&self, ti: usize, tj: usize) -> (usize, usize, usize) {
        let t = &self.pair_knots[ti * self.ntypes + tj];
        (t.rho_ba, t.rho_ab, t.z2r)
    }

    /// The 7 spline coefficients of r-table knot `index` (a table start plus the knot number).
    pub fn r_knot(&self, index: usize) -> Knot {
        let k = &self.r_knots[index];
        [
            k.deriv[0], k.deriv[1], k.deriv[2], k.value[0], k.value[1], k.value[2], k.value[3],
        ]
    }
}

/// Knot `m` and fraction `p` of distance `r` in tables of `nr` knots spaced 1/`rdr`, as LAMMPS'
/// `PairEAM::compute` (lammps-facts §1.4).
#[inline(always)]
fn r_knot(r: f64, rdr: f64, nr: usize) -> (usize, f64) {
    let mut p = r * rdr + 1.0;
    let m = (p as usize).min(nr - 1);
    p -= m as f64;
    (m, p.min(1.0))
}

/// Start (in [`Eam::r_knots`]) of the tables of a type pair (a, b), as LAMMPS' `type2rhor` and
/// `type2z2r` select them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PairKnots {
    /// ρ(r) that an atom of type a contributes to b's density (`type2rhor[a][b]`).
    rho_ab: usize,
    /// ρ(r) that an atom of type b contributes to a's density (`type2rhor[b][a]`).
    rho_ba: usize,
    /// r·φ(r) of the pair (`type2z2r[a][b]`).
    z2r: usize,
}

/// A ready-to-evaluate EAM potential for `ntypes` atom types.
#[derive(Debug, Clone, PartialEq)]
pub struct Eam {
    ntypes: usize,
    nrho: usize,
    nr: usize,
    rdr: f64,
    rdrho: f64,
    rhomax: f64,
    cutmax: f64,
    cutforcesq: f64,
    /// Tables of `n + 1` knots each (index 0 unused, as LAMMPS' 1-based arrays).
    frho_spline: Vec<Vec<Knot>>,
    /// Per 0-based type: row of `frho_spline`.
    type2frho: Vec<usize>,
    /// Every ρ(r) and r·φ(r) table back to back, `nr + 1` knots each (knot 0 unused).
    r_knots: Vec<LineKnot>,
    /// Row-major `ntypes × ntypes`: where the tables of each type pair start in `r_knots`.
    pair_knots: Vec<PairKnots>,
    /// Per type: the element mass from the file (LAMMPS sets it with `pair_coeff`).
    masses: Vec<f64>,
}

/// `PairEAM::interpolate`: 7 spline coefficients per knot, `f` 1-based (`f[0]` unused).
fn interpolate(n: usize, delta: f64, f: &[f64]) -> Vec<Knot> {
    let mut s = vec![[0.0; 7]; n + 1];
    for m in 1..=n {
        s[m][6] = f[m];
    }
    if n >= 2 {
        s[1][5] = s[2][6] - s[1][6];
        s[n][5] = s[n][6] - s[n - 1][6];
    }
    if n >= 3 {
        s[2][5] = 0.5 * (s[3][6] - s[1][6]);
        s[n - 1][5] = 0.5 * (s[n][6] - s[n - 2][6]);
    }
    for m in 3..n.saturating_sub(1) {
        s[m][5] = ((s[m - 2][6] - s[m + 2][6]) + 8.0 * (s[m + 1][6] - s[m - 1][6])) / 12.0;
    }
    for m in 1..n {
        s[m][4] = 3.0 * (s[m + 1][6] - s[m][6]) - 2.0 * s[m][5] - s[m + 1][5];
        s[m][3] = s[m][5] + s[m + 1][5] - 2.0 * (s[m + 1][6] - s[m][6]);
    }
    s[n][4] = 0.0;
    s[n][3] = 0.0;
    for k in s.iter_mut().skip(1) {
        k[2] = k[5] / delta;
        k[1] = 2.0 * k[4] / delta;
        k[0] = 3.0 * k[3] / delta;
    }
    s
}

/// One knot of an r table in one aligned cache line (a lookup touches one line):
/// `deriv = [c0, c1, c2, 0]`, `value = [c3, c4, c5, c6]`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(64))]
struct LineKnot {
    deriv: [f64; 4],
    value: [f64; 4],
}

impl LineKnot {
    fn new(c: &Knot) -> Self {
        LineKnot {
            deriv: [c[0], c[1], c[2], 0.0],
            value: [c[3], c[4], c[5], c[6]],
        }
    }

    /// [`value`] with the same operation order.
    #[inline(always)]
    fn value(&self, p: f64) -> f64 {
        let c = &self.value;
        ((c[0] * p + c[1]) * p + c[2]) * p + c[3]
    }

    /// [`deriv`] with the same operation order.
    #[inline(always)]
    fn deriv(&self, p: f64) -> f64 {
        let c = &self.deriv;
        (c[0] * p + c[1]) * p + c[2]
    }
}

/// `((c3·p + c4)·p + c5)·p + c6`.
#[inline(always)]
fn value(c: &Knot, p: f64) -> f64 {
    ((c[3] * p + c[4]) * p + c[5]) * p + c[6]
}

/// `(c0·p + c1)·p + c2`.
#[inline(always)]
fn deriv(c: &Knot, p: f64) -> f64 {
    (c[0] * p + c[1]) * p + c[2]
}

/// 4-point Lagrange resampling of a 1-based funcfl array at `x` (`PairEAM::file2array`).
fn resample(x: f64, delta_file: f64, n_file: usize, f: &[f64]) -> f64 {
    let mut p = x / delta_file + 1.0;
    let mut k = p as i64;
    k = k.min(n_file as i64 - 2);
    k = k.max(2);
    p -= k as f64;
    p = p.min(2.0);
    let sixth = 1.0 / 6.0;
    let cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
    let cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
    let cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
    let cof4 = sixth * p * (p * p - 1.0);
    let k = k as usize;
    cof1 * f[k - 1] + cof2 * f[k] + cof3 * f[k + 1] + cof4 * f[k + 2]
}

/// A 1-based copy (`v[0]` unused) of a file array.
fn one_based(v: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len() + 1);
    out.push(0.0);
    out.extend_from_slice(v);
    out
}

fn check_grid(
    what: &str,
    nrho: usize,
    drho: f64,
    nr: usize,
    dr: f64,
) -> Result<(), PotentialError> {
    let not_positive = |v: f64| v.is_nan() || v <= 0.0;
    if nrho < 5 || nr < 5 || not_positive(drho) || not_positive(dr) {
        return Err(PotentialError::BadTable(format!(
            "{what}: EAM grid needs at least 5 points and positive spacings \
             (Nrho {nrho}, drho {drho}, Nr {nr}, dr {dr})"
        )));
    }
    Ok(())
}

impl Eam {
    /// `pair_style eam`: `files` are the distinct funcfl files, `type_to_file[t]` the file of
    /// 0-based type `t` (`pair_coeff t t file`).
    pub fn from_funcfl(files: &[Funcfl], type_to_file: &[usize]) -> Result<Self, PotentialError> {
        let ntypes = type_to_file.len();
        for (t, &f) in type_to_file.iter().enumerate() {
            if f >= files.len() {
                return Err(PotentialError::MissingCoefficients {
                    type_i: t + 1,
                    type_j: t + 1,
                });
            }
        }
        let active = |i: usize| type_to_file.contains(&i);
        let (mut dr, mut drho, mut rmax, mut rhomax): (f64, f64, f64, f64) = (0.0, 0.0, 0.0, 0.0);
        for (i, f) in files.iter().enumerate() {
            check_grid("funcfl", f.nrho, f.drho, f.nr, f.dr)?;
            if f.frho.len() != f.nrho || f.zr.len() != f.nr || f.rhor.len() != f.nr {
                return Err(PotentialError::BadTable(
                    "funcfl array lengths differ from Nrho/Nr".into(),
                ));
            }
            if !active(i) {
                continue;
            }
            dr = dr.max(f.dr);
            drho = drho.max(f.drho);
            rmax = rmax.max((f.nr - 1) as f64 * f.dr);
            rhomax = rhomax.max((f.nrho - 1) as f64 * f.drho);
        }
        let nr = (rmax / dr + 0.5) as usize;
        let nrho = (rhomax / drho + 0.5) as usize;
        let nfuncfl = files.len();
        let mut frho = Vec::with_capacity(nfuncfl + 1);
        let mut rhor = Vec::with_capacity(nfuncfl);
        let mut zr = Vec::with_capacity(nfuncfl);
        for f in files {
            let (fr, rr, zz) = (one_based(&f.frho), one_based(&f.rhor), one_based(&f.zr));
            let mut a = vec![0.0; nrho + 1];
            for (m, v) in a.iter_mut().enumerate().skip(1) {
                *v = resample((m - 1) as f64 * drho, f.drho, f.nrho, &fr);
            }
            frho.push(a);
            let mut b = vec![0.0; nr + 1];
            let mut z = vec![0.0; nr + 1];
            for m in 1..=nr {
                let r = (m - 1) as f64 * dr;
                b[m] = resample(r, f.dr, f.nr, &rr);
                z[m] = resample(r, f.dr, f.nr, &zz);
            }
            rhor.push(b);
            zr.push(z);
        }
        frho.push(vec![0.0; nrho + 1]);
        let mut z2r = Vec::with_capacity(nfuncfl * (nfuncfl + 1) / 2);
        for i in 0..nfuncfl {
            for j in 0..=i {
                let mut row = vec![0.0; nr + 1];
                for m in 1..=nr {
                    row[m] = 27.2 * 0.529 * zr[i][m] * zr[j][m];
                }
                z2r.push(row);
            }
        }
        let type2frho = type_to_file.to_vec();
        let mut type2rhor = Vec::with_capacity(ntypes * ntypes);
        let mut type2z2r = Vec::with_capacity(ntypes * ntypes);
        for i in 0..ntypes {
            for j in 0..ntypes {
                type2rhor.push(type_to_file[i]);
                type2z2r.push(z2r_index(type_to_file[i], type_to_file[j]));
            }
        }
        let cutmax = files.iter().map(|f| f.cutoff).fold(0.0, f64::max);
        let masses = type_to_file.iter().map(|&f| files[f].mass).collect();
        Ok(Self::splined(
            ntypes, nrho, drho, nr, dr, rhomax, cutmax, &frho, &rhor, &z2r, type2frho, type2rhor,
            type2z2r, masses,
        ))
    }

    /// `pair_style eam/alloy` or `eam/fs` (from `file.finnis_sinclair`): `type_to_element[t]`
    /// is the element index of 0-based type `t` (`pair_coeff * * file El…`).
    pub fn from_setfl(file: &Setfl, type_to_element: &[usize]) -> Result<Self, PotentialError> {
        let ntypes = type_to_element.len();
        let nel = file.elements.len();
        check_grid("setfl", file.nrho, file.drho, file.nr, file.dr)?;
        if let Some(&e) = type_to_element.iter().find(|&&e| e >= nel) {
            return Err(PotentialError::BadTable(format!(
                "element index {e} beyond the {nel} elements of the file"
            )));
        }
        let nrhor_per = if file.finnis_sinclair { nel } else { 1 };
        for el in &file.elements {
            if el.frho.len() != file.nrho
                || el.rhor.len() != nrhor_per
                || el.rhor.iter().any(|r| r.len() != file.nr)
            {
                return Err(PotentialError::BadTable(format!(
                    "element {}: array lengths differ from Nrho/Nr",
                    el.name
                )));
            }
        }
        if file.z2r.len() != nel * (nel + 1) / 2 || file.z2r.iter().any(|r| r.len() != file.nr) {
            return Err(PotentialError::BadTable(
                "r·φ arrays do not match the element count or Nr".into(),
            ));
        }
        let mut frho: Vec<Vec<f64>> = file.elements.iter().map(|e| one_based(&e.frho)).collect();
        frho.push(vec![0.0; file.nrho + 1]);
        let rhor: Vec<Vec<f64>> = file
            .elements
            .iter()
            .flat_map(|e| e.rhor.iter().map(|r| one_based(r)))
            .collect();
        let z2r: Vec<Vec<f64>> = file.z2r.iter().map(|r| one_based(r)).collect();
        let mut type2rhor = Vec::with_capacity(ntypes * ntypes);
        let mut type2z2r = Vec::with_capacity(ntypes * ntypes);
        for i in 0..ntypes {
            for j in 0..ntypes {
                let (a, b) = (type_to_element[i], type_to_element[j]);
                type2rhor.push(if file.finnis_sinclair { a * nel + b } else { a });
                type2z2r.push(z2r_index(a, b));
            }
        }
        let rhomax = (file.nrho - 1) as f64 * file.drho;
        let masses = type_to_element
            .iter()
            .map(|&e| file.elements[e].mass)
            .collect();
        Ok(Self::splined(
            ntypes,
            file.nrho,
            file.drho,
            file.nr,
            file.dr,
            rhomax,
            file.cutoff,
            &frho,
            &rhor,
            &z2r,
            type_to_element.to_vec(),
            type2rhor,
            type2z2r,
            masses,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn splined(
        ntypes: usize,
        nrho: usize,
        drho: f64,
        nr: usize,
        dr: f64,
        rhomax: f64,
        cutmax: f64,
        frho: &[Vec<f64>],
        rhor: &[Vec<f64>],
        z2r: &[Vec<f64>],
        type2frho: Vec<usize>,
        type2rhor: Vec<usize>,
        type2z2r: Vec<usize>,
        masses: Vec<f64>,
    ) -> Self {
        // ρ tables first, then r·φ, each nr + 1 knots.
        let stride = nr + 1;
        let r_knots: Vec<LineKnot> = rhor
            .iter()
            .chain(z2r)
            .flat_map(|f| interpolate(nr, dr, f))
            .map(|c| LineKnot::new(&c))
            .collect();
        let z2r_start = rhor.len() * stride;
        let pair_knots = (0..ntypes * ntypes)
            .map(|ab| {
                let (a, b) = (ab / ntypes, ab % ntypes);
                PairKnots {
                    rho_ab: type2rhor[ab] * stride,
                    rho_ba: type2rhor[b * ntypes + a] * stride,
                    z2r: z2r_start + type2z2r[ab] * stride,
                }
            })
            .collect();
        Eam {
            ntypes,
            nrho,
            nr,
            rdr: 1.0 / dr,
            rdrho: 1.0 / drho,
            rhomax,
            cutmax,
            cutforcesq: cutmax * cutmax,
            frho_spline: frho.iter().map(|f| interpolate(nrho, drho, f)).collect(),
            type2frho,
            r_knots,
            pair_knots,
            masses,
        }
    }

    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    /// The cutoff LAMMPS uses for every type pair (`cutmax`).
    pub fn cutoff(&self) -> f64 {
        self.cutmax
    }

    /// Upper end of the embedding table; F is extrapolated linearly above it.
    pub fn rhomax(&self) -> f64 {
        self.rhomax
    }

    /// Element masses per 1-based type, as `pair_coeff` sets them in LAMMPS.
    pub fn masses(&self) -> &[f64] {
        &self.masses
    }

    /// The spline tables and type maps, borrowed.
    pub(crate) fn tables(&self) -> EamTables<'_> {
        EamTables {
            nrho: self.nrho,
            nr: self.nr,
            rdr: self.rdr,
            rdrho: self.rdrho,
            rhomax: self.rhomax,
            cutforcesq: self.cutforcesq,
            frho_spline: &self.frho_spline,
            type2frho: &self.type2frho,
            r_knots: &self.r_knots,
            pair_knots: &self.pair_knots,
            ntypes: self.ntypes,
        }
    }

    /// Knot and fractional position of a distance lookup (lammps-facts §1.4).
    #[inline(always)]
    fn r_lookup(&self, r: f64) -> (usize, f64) {
        r_knot(r, self.rdr, self.nr)
    }

    /// F(ρ_i) and F′(ρ_i) of every atom (embedding energies and their derivatives), in parallel
    /// chunks of at least `min_len` atoms; `type_of(i)` is atom i's 0-based type.
    fn embed_all(
        &self,
        rho: &[f64],
        type_of: impl Fn(usize) -> usize + Sync,
        min_len: usize,
    ) -> (Vec<f64>, Vec<f64>) {
        let mut embedding = vec![0.0; rho.len()];
        let mut fp = vec![0.0; rho.len()];
        embedding
            .par_iter_mut()
            .zip(fp.par_iter_mut())
            .enumerate()
            .with_min_len(min_len)
            .for_each(|(i, (e, d))| (*e, *d) = self.embed(type_of(i), rho[i]));
        (embedding, fp)
    }

    /// F(ρ) (with the extrapolation above rhomax, energy only) and F′(ρ) of 0-based type `t`.
    #[inline]
    fn embed(&self, t: usize, rho: f64) -> (f64, f64) {
        let mut p = rho * self.rdrho + 1.0;
        let m = (p as i64).min(self.nrho as i64 - 1).max(1);
        p -= m as f64;
        p = p.min(1.0);
        let c = &self.frho_spline[self.type2frho[t]][m as usize];
        let fp = deriv(c, p);
        let mut phi = value(c, p);
        if rho > self.rhomax {
            phi += fp * (rho - self.rhomax);
        }
        (phi, fp)
    }

    /// Per-atom electron densities ρ_i (full or half-binned list), in the caller's atom order.
    pub fn densities(&self, sys: &System, list: &NeighborList) -> Result<Vec<f64>, PotentialError> {
        check_inputs(sys, list, self.ntypes, self.cutmax)?;
        if list.kind == ListKind::HalfBinned {
            if let Some(pairs) = PairRows::of(list) {
                return self.densities_pairs_once(sys, list, &pairs);
            }
        }
        let shifts = list.shift_vectors(&sys.simbox);
        let mut rho = vec![0.0; sys.natoms()];
        let overlap = std::sync::atomic::AtomicBool::new(false);
        rho.par_iter_mut()
            .enumerate()
            .with_min_len(64)
            .for_each(|(i, rho_i)| {
                let xi = sys.positions[i];
                let ti = sys.types[i] as usize - 1;
                let mut sum = 0.0;
                for k in list.row(i) {
                    let j = list.neighbors[k] as usize;
                    let s = shifts[list.shift_index[k] as usize];
                    let (_, rsq) = separation(xi, sys.positions[j], s);
                    if rsq < self.cutforcesq {
                        if rsq == 0.0 {
                            overlap.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        let tj = sys.types[j] as usize - 1;
                        let (m, p) = self.r_lookup(rsq.sqrt());
                        let t = &self.pair_knots[ti * self.ntypes + tj];
                        sum += self.r_knots[t.rho_ba + m].value(p);
                    }
                }
                *rho_i = sum;
            });
        if overlap.into_inner() {
            return Err(overlap_error(sys, list));
        }
        Ok(rho)
    }

    /// Energy, forces and virials (full neighbor list with cutoff ≥ [`Eam::cutoff`]).
    pub fn evaluate(
        &self,
        sys: &System,
        list: &NeighborList,
    ) -> Result<Evaluation, PotentialError> {
        check_inputs(sys, list, self.ntypes, self.cutmax)?;
        match PairRows::of(list) {
            Some(pairs) => self.evaluate_pairs_once(sys, list, &pairs),
            None => self.evaluate_full_rows(sys, list),
        }
    }

    /// Energy, forces and virials by walking every full row (each pair's maths done twice);
    /// used for full lists without a pair index.
    fn evaluate_full_rows(
        &self,
        sys: &System,
        list: &NeighborList,
    ) -> Result<Evaluation, PotentialError> {
        let rho = self.densities(sys, list)?;
        let (embedding, fp) = self.embed_all(&rho, |i| sys.types[i] as usize - 1, 256);
        let shifts = list.shift_vectors(&sys.simbox);
        let nt = self.ntypes;
        let (embedding, forces, per_atom_virial) = full_rows(embedding, 64, |i, e_i| {
            let xi = sys.positions[i];
            let ti = sys.types[i] as usize - 1;
            let fp_i = fp[i];
            let (mut e, mut f, mut w) = (e_i, [0.0; 3], [0.0; 6]);
            for k in list.row(i) {
                let j = list.neighbors[k] as usize;
                let s = shifts[list.shift_index[k] as usize];
                let ([delx, dely, delz], rsq) = separation(xi, sys.positions[j], s);
                if rsq >= self.cutforcesq {
                    continue;
                }
                let tj = sys.types[j] as usize - 1;
                let r = rsq.sqrt();
                let (m, p) = self.r_lookup(r);
                let t = &self.pair_knots[ti * nt + tj];
                let rhoip = self.r_knots[t.rho_ab + m].deriv(p);
                let rhojp = self.r_knots[t.rho_ba + m].deriv(p);
                let c = &self.r_knots[t.z2r + m];
                let z2p = c.deriv(p);
                let z2 = c.value(p);
                let recip = 1.0 / r;
                let phi = z2 * recip;
                let phip = z2p * recip - phi * recip;
                let psip = fp_i * rhojp + fp[j] * rhoip + phip;
                let fpair = -psip * recip;
                f[0] += delx * fpair;
                f[1] += dely * fpair;
                f[2] += delz * fpair;
                e += 0.5 * phi;
                tally_virial(&mut w, delx, dely, delz, fpair);
            }
            (e, f, w)
        });
        finish(sys, embedding, forces, per_atom_virial)
    }
}

/// `type2z2r` index of two element/file rows.
fn z2r_index(a: usize, b: usize) -> usize {
    let (irow, icol) = if a < b { (b, a) } else { (a, b) };
    irow * (irow + 1) / 2 + icol
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spline passes through its knots and its derivative coefficients are the value
    /// coefficients' derivative divided by the spacing (exact identities of §1.3).
    #[test]
    fn spline_interpolates_knots_and_derivative_is_consistent() {
        let n = 50;
        let delta = 0.1;
        let f: Vec<f64> = (0..=n).map(|m| ((m as f64) * 0.37).sin()).collect();
        let s = interpolate(n, delta, &f);
        for m in 1..n {
            let v1 = value(&s[m], 1.0);
            assert!((v1 - f[m + 1]).abs() < 1e-14, "knot {m}");
            assert_eq!(value(&s[m], 0.0), f[m]);
            // d/dr of value(p) with p = (r - r_m)/delta.
            for p in [0.0, 0.3, 0.9] {
                let dv = (3.0 * s[m][3] * p + 2.0 * s[m][4]) * p + s[m][5];
                assert!((dv / delta - deriv(&s[m], p)).abs() < 1e-12);
            }
        }
    }

    /// 4-point Lagrange resampling is exact for cubic polynomials.
    #[test]
    fn resampling_is_exact_for_cubics() {
        let g = |x: f64| 1.0 + 2.0 * x - 0.5 * x * x + 0.1 * x * x * x;
        let n = 40;
        let d = 0.25;
        let f: Vec<f64> = std::iter::once(0.0)
            .chain((1..=n).map(|k| g((k - 1) as f64 * d)))
            .collect();
        for x in [0.0, 0.13, 1.7, 5.55, 9.6] {
            assert!((resample(x, d, n, &f) - g(x)).abs() < 1e-11, "x {x}");
        }
    }
}
