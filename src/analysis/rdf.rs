//! Radial distribution functions: the per-atom g_i(r) descriptor of seed 003 (Eq. 2, optionally
//! partial by neighbour type), the sample's total and partial g(r) with OVITO's
//! `CoordinationAnalysisModifier` conventions, and the static structure factor S(q) from g(r).
//!
//! Conventions (all shells are `[r_k, r_k + Δr)`, counted over every periodic image, so a range
//! beyond half the box is handled exactly, as OVITO does):
//! * total: `g(r_k) = n_k / (N ρ V_k)`, `n_k` = ordered pairs (i ≠ j, or an atom and its own
//!   image) in shell k, `ρ = N/V`, `V_k = 4π/3 (r_{k+1}³ − r_k³)`; OVITO's bins start at 0 and
//!   are reported at their centres;
//! * partial: `g_ab(r_k) = n_k^{ab} / (N_a N_b / V · V_k)` with ordered pairs (i of type a,
//!   j of type b), so `g_ab = g_ba` and `Σ_ab c_a c_b g_ab = g`;
//! * per atom (Eq. 2 with the exact shell volume instead of `4πr²Δr`):
//!   `g_i(r_k) = n_i,k / (ρ V_k)`, partial `g_i^b(r_k) = n_i,k^b / (ρ_b V_k)`, hence the exact
//!   identities `(1/N) Σ_i g_i = g` and `(1/N_a) Σ_{i∈a} g_i^b = g_ab`.
//!
//! Shell counts are integers accumulated per atom from a full neighbor list, in parallel over
//! atoms: the result does not depend on the number of threads.

use rayon::prelude::*;
use thiserror::Error;

use crate::geometry::neighbor::{ListKind, NeighborError, NeighborList};
use crate::System;

/// Problems computing a distribution function.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum RdfError {
    #[error(
        "bad shells: need 0 <= r_min < r_max (finite) and 0 < dr, got r_min {r_min}, r_max \
         {r_max}, dr {dr}"
    )]
    BadRange { r_min: f64, r_max: f64, dr: f64 },
    #[error(
        "(r_max − r_min)/dr = {ratio} is not a whole number of shells (r_min {r_min}, r_max \
         {r_max}, dr {dr})"
    )]
    NotWholeShells {
        r_min: f64,
        r_max: f64,
        dr: f64,
        ratio: f64,
    },
    #[error("number of bins must be at least 1")]
    NoBins,
    #[error("the configuration has no atoms")]
    NoAtoms,
    #[error("atom {index} has type {atom_type}, outside 1..={ntypes}")]
    BadType {
        index: usize,
        atom_type: u32,
        ntypes: usize,
    },
    #[error(transparent)]
    Neighbor(#[from] NeighborError),
}

/// Shells `[r_min + kΔr, r_min + (k+1)Δr)`, `k = 0..nbins`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shells {
    pub r_min: f64,
    pub dr: f64,
    pub nbins: usize,
}

impl Shells {
    /// The seed's descriptor: 0.2 Å shells from 2 to 10 Å (40 features).
    pub const SEED: Shells = Shells {
        r_min: 2.0,
        dr: 0.2,
        nbins: 40,
    };

    /// Shells of width `dr` from `r_min` to `r_max`; `(r_max − r_min)/dr` must be a whole
    /// number (within 1e-9).
    pub fn from_range(r_min: f64, r_max: f64, dr: f64) -> Result<Self, RdfError> {
        if !(r_min >= 0.0 && r_max > r_min && r_max.is_finite() && dr > 0.0 && dr.is_finite()) {
            return Err(RdfError::BadRange { r_min, r_max, dr });
        }
        let ratio = (r_max - r_min) / dr;
        let nbins = ratio.round();
        if (ratio - nbins).abs() > 1e-9 * ratio.max(1.0) || nbins < 1.0 {
            return Err(RdfError::NotWholeShells {
                r_min,
                r_max,
                dr,
                ratio,
            });
        }
        Ok(Shells {
            r_min,
            dr,
            nbins: nbins as usize,
        })
    }

    pub fn r_max(&self) -> f64 {
        self.r_min + self.dr * self.nbins as f64
    }

    /// Inner radius of shell `k`.
    pub fn inner(&self, k: usize) -> f64 {
        self.r_min + self.dr * k as f64
    }

    /// Shell centres.
    pub fn centres(&self) -> Vec<f64> {
        (0..self.nbins)
            .map(|k| self.inner(k) + 0.5 * self.dr)
            .collect()
    }

    /// Shell volumes `4π/3 (r_{k+1}³ − r_k³)`.
    pub fn volumes(&self) -> Vec<f64> {
        (0..self.nbins)
            .map(|k| {
                let (a, b) = (self.inner(k), self.inner(k + 1));
                4.0 / 3.0 * std::f64::consts::PI * (b * b * b - a * a * a)
            })
            .collect()
    }

    /// Shell of distance `r`, if inside `[r_min, r_max)`.
    #[inline]
    fn bin(&self, r: f64) -> Option<usize> {
        if r < self.r_min {
            return None;
        }
        let k = ((r - self.r_min) / self.dr) as usize;
        (k < self.nbins).then_some(k)
    }
}

/// Per-atom shell counts: `counts[(i * ncols + c) * nbins + k]`, column `c` = neighbour type
/// `c + 1` (partial) or all neighbours (`ncols == 1`).
struct ShellCounts {
    counts: Vec<u32>,
    ncols: usize,
}

fn check_types(sys: &System) -> Result<usize, RdfError> {
    if sys.natoms() == 0 {
        return Err(RdfError::NoAtoms);
    }
    let ntypes = sys
        .ntypes
        .max(sys.types.iter().copied().max().unwrap_or(0) as usize);
    for (index, &t) in sys.types.iter().enumerate() {
        if t == 0 || t as usize > ntypes {
            return Err(RdfError::BadType {
                index,
                atom_type: t,
                ntypes,
            });
        }
    }
    Ok(ntypes)
}

fn count_shells(
    sys: &System,
    shells: &Shells,
    partial: bool,
    ntypes: usize,
) -> Result<ShellCounts, RdfError> {
    let n = sys.natoms();
    let list = NeighborList::build(
        &sys.simbox,
        &sys.positions,
        shells.r_max(),
        0.0,
        ListKind::Full,
    )?;
    let shift = list.shift_vectors(&sys.simbox);
    let ncols = if partial { ntypes } else { 1 };
    let stride = ncols * shells.nbins;
    let mut counts = vec![0u32; n * stride];
    counts
        .par_chunks_mut(stride)
        .enumerate()
        .for_each(|(i, row)| {
            let xi = sys.positions[i];
            for k in list.row(i) {
                let j = list.neighbors[k] as usize;
                let s = shift[list.shift_index[k] as usize];
                let xj = sys.positions[j];
                let d = [
                    xj[0] + s[0] - xi[0],
                    xj[1] + s[1] - xi[1],
                    xj[2] + s[2] - xi[2],
                ];
                let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                if let Some(b) = shells.bin(r) {
                    let c = if partial {
                        sys.types[j] as usize - 1
                    } else {
                        0
                    };
                    row[c * shells.nbins + b] += 1;
                }
            }
        });
    Ok(ShellCounts { counts, ncols })
}

/// Per-atom g_i(r) (seed Eq. 2): one row per atom (in the system's order) of `ncols × nbins`
/// values, column block `c` = neighbours of type `c + 1` when partial.
#[derive(Debug, Clone, PartialEq)]
pub struct PerAtomRdf {
    pub shells: Shells,
    /// 1 (all neighbours) or the number of types (partial).
    pub ncols: usize,
    /// `values[i * ncols * nbins + c * nbins + k]`.
    pub values: Vec<f64>,
}

impl PerAtomRdf {
    pub fn features(&self) -> usize {
        self.ncols * self.shells.nbins
    }

    /// Row of atom `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        let f = self.features();
        &self.values[i * f..(i + 1) * f]
    }

    /// Column names: `g_<centre>` or `g<type>_<centre>` (partial), centre in Å with 2 decimals.
    pub fn column_names(&self) -> Vec<String> {
        let centres = self.shells.centres();
        let mut names = Vec::with_capacity(self.features());
        for c in 0..self.ncols {
            for r in &centres {
                if self.ncols == 1 {
                    names.push(format!("g_{r:.2}"));
                } else {
                    names.push(format!("g{}_{r:.2}", c + 1));
                }
            }
        }
        names
    }
}

/// Per-atom radial distribution functions of every atom (see the module doc).
pub fn per_atom_rdf(sys: &System, shells: &Shells, partial: bool) -> Result<PerAtomRdf, RdfError> {
    let ntypes = check_types(sys)?;
    let counts = count_shells(sys, shells, partial, ntypes)?;
    let volume = sys.simbox.volume();
    let vols = shells.volumes();
    // Per column: 1 / (ρ_c V_k).
    let mut norm = vec![0.0; counts.ncols * shells.nbins];
    for c in 0..counts.ncols {
        let count_c = if partial {
            sys.types.iter().filter(|&&t| t as usize == c + 1).count()
        } else {
            sys.natoms()
        };
        let rho = count_c as f64 / volume;
        for k in 0..shells.nbins {
            norm[c * shells.nbins + k] = if rho > 0.0 {
                1.0 / (rho * vols[k])
            } else {
                0.0
            };
        }
    }
    let stride = norm.len();
    let mut values = vec![0.0; counts.counts.len()];
    values
        .par_chunks_mut(stride)
        .zip(counts.counts.par_chunks(stride))
        .for_each(|(out, cnt)| {
            for ((o, &c), w) in out.iter_mut().zip(cnt).zip(&norm) {
                *o = c as f64 * w;
            }
        });
    Ok(PerAtomRdf {
        shells: *shells,
        ncols: counts.ncols,
        values,
    })
}

/// The sample's g(r) on OVITO's bins (`nbins` bins from 0 to `cutoff`, reported at centres).
#[derive(Debug, Clone, PartialEq)]
pub struct Rdf {
    pub r: Vec<f64>,
    pub total: Vec<f64>,
    /// `(a, b, g_ab)` for every type pair `a <= b` (1-based types), types present only.
    pub partial: Vec<(u32, u32, Vec<f64>)>,
    /// Number density N/V.
    pub density: f64,
}

/// Total and partial g(r) with OVITO's `CoordinationAnalysisModifier(cutoff, number_of_bins)`
/// normalisation (module doc).
pub fn rdf(sys: &System, cutoff: f64, nbins: usize) -> Result<Rdf, RdfError> {
    if nbins == 0 {
        return Err(RdfError::NoBins);
    }
    if !(cutoff > 0.0 && cutoff.is_finite()) {
        return Err(RdfError::BadRange {
            r_min: 0.0,
            r_max: cutoff,
            dr: cutoff / nbins as f64,
        });
    }
    let shells = Shells {
        r_min: 0.0,
        dr: cutoff / nbins as f64,
        nbins,
    };
    let ntypes = check_types(sys)?;
    let counts = count_shells(sys, &shells, true, ntypes)?;
    let n = sys.natoms();
    let mut type_count = vec![0usize; ntypes];
    for &t in &sys.types {
        type_count[t as usize - 1] += 1;
    }
    // Ordered-pair counts per (type of i, type of j, shell), summed in atom order.
    let mut pair = vec![0u64; ntypes * ntypes * nbins];
    let stride = ntypes * nbins;
    for i in 0..n {
        let a = sys.types[i] as usize - 1;
        let row = &counts.counts[i * stride..(i + 1) * stride];
        for (p, &c) in pair[a * stride..(a + 1) * stride].iter_mut().zip(row) {
            *p += c as u64;
        }
    }
    let volume = sys.simbox.volume();
    let vols = shells.volumes();
    let density = n as f64 / volume;
    let mut total = vec![0.0; nbins];
    for (k, g) in total.iter_mut().enumerate() {
        let nk: u64 = (0..ntypes * ntypes).map(|ab| pair[ab * nbins + k]).sum();
        *g = nk as f64 / (n as f64 * density * vols[k]);
    }
    let mut partial = Vec::new();
    for a in 0..ntypes {
        for b in a..ntypes {
            if type_count[a] == 0 || type_count[b] == 0 {
                continue;
            }
            let pre = type_count[a] as f64 * type_count[b] as f64 / volume;
            let g = (0..nbins)
                .map(|k| pair[(a * ntypes + b) * nbins + k] as f64 / (pre * vols[k]))
                .collect();
            partial.push((a as u32 + 1, b as u32 + 1, g));
        }
    }
    Ok(Rdf {
        r: shells.centres(),
        total,
        partial,
        density,
    })
}

/// Static structure factor `S(q) = 1 + 4πρ Σ_k r_k² (g(r_k) − 1) sin(q r_k)/(q r_k) Δr`
/// (midpoint rule on the bin centres `r` of width `dr`, truncated at the last bin; no window).
/// `q` in inverse distance units; `q = 0` gives the `sin(x)/x → 1` limit.
pub fn structure_factor(r: &[f64], g: &[f64], dr: f64, density: f64, q: &[f64]) -> Vec<f64> {
    q.iter()
        .map(|&qv| {
            let sum: f64 = r
                .iter()
                .zip(g)
                .map(|(&rk, &gk)| {
                    let x = qv * rk;
                    let sinc = if x.abs() < 1e-12 { 1.0 } else { x.sin() / x };
                    rk * rk * (gk - 1.0) * sinc
                })
                .sum();
            1.0 + 4.0 * std::f64::consts::PI * density * sum * dr
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimBox;

    fn random_system(n: usize, l: f64, seed: u64) -> System {
        let mut next = {
            let mut rng = crate::testing::Lcg(seed);
            move || rng.uniform()
        };
        let pos: Vec<[f64; 3]> = (0..n)
            .map(|_| [next() * l, next() * l, next() * l])
            .collect();
        let types = (0..n).map(|i| 1 + (i % 3 == 0) as u32).collect();
        let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
        System::new(b, (1..=n as u64).collect(), types, pos)
    }

    #[test]
    fn shells_from_range() {
        let s = Shells::from_range(2.0, 10.0, 0.2).unwrap();
        assert_eq!(s.nbins, 40);
        assert!(Shells::from_range(2.0, 10.0, 0.3).is_err());
        assert!(Shells::from_range(3.0, 2.0, 0.1).is_err());
    }

    /// Exact identities: mean over atoms of g_i = g, and of g_i^b over type a = g_ab; checked
    /// with a range beyond half the box (images). Tolerance 1e-12: the two sides only differ
    /// in the order of the floating-point sums.
    #[test]
    fn per_atom_sums_to_total() {
        let sys = random_system(200, 8.0, 7);
        let shells = Shells::from_range(0.0, 6.0, 0.25).unwrap();
        let g = rdf(&sys, 6.0, 24).unwrap();
        let per = per_atom_rdf(&sys, &shells, false).unwrap();
        let n = sys.natoms() as f64;
        for k in 0..shells.nbins {
            let mean: f64 = (0..sys.natoms()).map(|i| per.row(i)[k]).sum::<f64>() / n;
            assert!((mean - g.total[k]).abs() <= 1e-12 * g.total[k].max(1.0));
        }
        let part = per_atom_rdf(&sys, &shells, true).unwrap();
        for (a, b, gab) in &g.partial {
            let members: Vec<usize> = (0..sys.natoms()).filter(|&i| sys.types[i] == *a).collect();
            for (k, gk) in gab.iter().enumerate() {
                let mean: f64 = members
                    .iter()
                    .map(|&i| part.row(i)[(*b as usize - 1) * shells.nbins + k])
                    .sum::<f64>()
                    / members.len() as f64;
                assert!((mean - gk).abs() <= 1e-12 * gk.max(1.0));
            }
        }
    }

    /// S(q) from the binned g(r) against the direct pair sum it discretises:
    /// `1 + (1/N) Σ_{i≠j, r<R} sinc(q r_ij) − 4πρ ∫_0^R r² sinc(q r) dr` (closed form integral).
    /// The only difference is that each pair sits at its bin centre (0.005 Å bins): a per-pair
    /// error up to q·Δr/2 in the sinc's argument, random in sign over ~100 pairs per atom.
    /// Observed |ΔS| ≤ 7e-4 (q = 1…8 Å⁻¹); tolerance 5e-3 (a wrong prefactor or a missing
    /// background term changes S by O(0.1–1)).
    #[test]
    fn structure_factor_matches_direct_pair_sum() {
        let sys = random_system(300, 12.0, 3);
        let cutoff = 5.5;
        let g = rdf(&sys, cutoff, 1100).unwrap();
        let qs = [1.0, 2.5, 4.0, 8.0];
        let sq = structure_factor(&g.r, &g.total, cutoff / 1100.0, g.density, &qs);
        let l = 12.0;
        let n = sys.natoms();
        for (k, &q) in qs.iter().enumerate() {
            let mut pair_sum = 0.0;
            for i in 0..n {
                for j in 0..n {
                    if i == j {
                        continue;
                    }
                    let mut r2 = 0.0;
                    for d in 0..3 {
                        let mut e = sys.positions[j][d] - sys.positions[i][d];
                        e -= l * (e / l).round();
                        r2 += e * e;
                    }
                    let r = r2.sqrt();
                    if r < cutoff {
                        pair_sum += (q * r).sin() / (q * r);
                    }
                }
            }
            // ∫_0^R r sin(qr)/q dr = (sin(qR) − qR cos(qR)) / q³
            let big_r = cutoff;
            let integral = ((q * big_r).sin() - q * big_r * (q * big_r).cos()) / q.powi(3);
            let direct =
                1.0 + pair_sum / n as f64 - 4.0 * std::f64::consts::PI * g.density * integral;
            assert!(
                (sq[k] - direct).abs() < 5e-3,
                "q {q}: binned {} direct {direct}",
                sq[k]
            );
        }
    }
}
