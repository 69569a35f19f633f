//! Whole-sample probe statistics (seed §2.4, §4.3, Figs 5 and 8): for each atom and each dr,
//! Ω(dE_atom < 0)/4π = Σ_dirs w·H(−dE_atom)/4π with the directions' solid-angle weights, the
//! minimum of dE_atom over directions, dr(δE_atom^min) (the dr of the smallest dE_atom over all
//! dr and directions), and per direction the number of atoms with dE_atom < 0 (Fig 5b).
//! Atoms run in parallel; every per-atom result depends only on its atom, and the direction
//! counts are integer sums, so results do not depend on the number of threads.

use std::f64::consts::PI;

use rayon::prelude::*;

use super::directions::Directions;
use super::local_energy::LocalProbe;
use super::ProbeError;

/// Per-atom results of a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomSummary {
    /// 0-based atom index.
    pub atom: usize,
    /// Per dr: Ω(dE_atom < 0)/4π.
    pub omega: Vec<f64>,
    /// Per dr: min over directions of dE_atom.
    pub de_atom_min: Vec<f64>,
    /// Per dr: min over directions of dE_sys (when the scan computed dE_sys).
    pub de_sys_min: Option<Vec<f64>>,
    /// dr of the smallest dE_atom over every dr and direction (seed Fig 8).
    pub dr_min: f64,
    /// That smallest dE_atom.
    pub de_atom_min_all: f64,
    /// Largest |dE_sys − 2 dE_atom| / max(|dE_sys|, tiny) over the probes (pair styles, with
    /// dE_sys): the identity of seed §4.4(a).
    pub pair_identity: Option<f64>,
    /// Most atoms one probe of this atom touched (with dE_sys only, else 0).
    pub touched_max: usize,
}

/// Result of [`scan_atoms`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScanResult {
    /// In the order of the requested atoms.
    pub atoms: Vec<AtomSummary>,
    /// `negative[k][n]`: number of scanned atoms with dE_atom < 0 along direction n at dr k.
    pub negative: Vec<Vec<u32>>,
}

/// Scan options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanOptions {
    /// Also compute dE_sys (neighbours' embedding energies; costs about twice as much for EAM).
    pub with_system: bool,
}

/// Probe every atom of `atoms` (0-based indices) along every direction at every dr.
/// `progress(n)` is called as atoms finish (from any thread).
pub fn scan_atoms(
    probe: &LocalProbe,
    atoms: &[usize],
    dirs: &Directions,
    drs: &[f64],
    options: ScanOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ScanResult, ProbeError> {
    check_drs(drs, probe.max_dr())?;
    if dirs.is_empty() {
        return Err(ProbeError::NoDirections);
    }
    let ndir = dirs.len();
    let pair_style = !matches!(probe.potential, crate::potential::Potential::Eam(_));
    let per_atom: Vec<(AtomSummary, Vec<Vec<u64>>)> = atoms
        .par_iter()
        .with_min_len(8)
        .map(|&i| {
            let site = probe.site(i);
            let mut scratch = Vec::new();
            let mut omega = Vec::with_capacity(drs.len());
            let mut emin = Vec::with_capacity(drs.len());
            let mut smin = Vec::with_capacity(drs.len());
            let mut negative_bits = Vec::with_capacity(drs.len());
            let (mut best, mut best_dr) = (f64::INFINITY, drs[0]);
            let mut identity: f64 = 0.0;
            let mut touched_max = 0;
            for &dr in drs {
                let mut w_neg = 0.0;
                let (mut e_lo, mut s_lo) = (f64::INFINITY, f64::INFINITY);
                let mut bits = vec![0u64; ndir.div_ceil(64)];
                for (n, v) in dirs.vectors.iter().enumerate() {
                    let d = [dr * v[0], dr * v[1], dr * v[2]];
                    let p = probe.probe(&site, d, options.with_system, &mut scratch)?;
                    if p.de_atom < 0.0 {
                        w_neg += dirs.weights[n];
                        bits[n / 64] |= 1 << (n % 64);
                    }
                    e_lo = e_lo.min(p.de_atom);
                    if options.with_system {
                        s_lo = s_lo.min(p.de_sys);
                        touched_max = touched_max.max(p.touched);
                        if pair_style {
                            let scale = p.de_sys.abs().max(f64::MIN_POSITIVE);
                            identity = identity.max((p.de_sys - 2.0 * p.de_atom).abs() / scale);
                        }
                    }
                }
                omega.push(w_neg / (4.0 * PI));
                if e_lo < best {
                    (best, best_dr) = (e_lo, dr);
                }
                emin.push(e_lo);
                smin.push(s_lo);
                negative_bits.push(bits);
            }
            progress(1);
            Ok((
                AtomSummary {
                    atom: i,
                    omega,
                    de_atom_min: emin,
                    de_sys_min: options.with_system.then_some(smin),
                    dr_min: best_dr,
                    de_atom_min_all: best,
                    pair_identity: (options.with_system && pair_style).then_some(identity),
                    touched_max,
                },
                negative_bits,
            ))
        })
        .collect::<Result<_, ProbeError>>()?;
    let mut negative = vec![vec![0u32; ndir]; drs.len()];
    for (_, bits) in &per_atom {
        for (k, b) in bits.iter().enumerate() {
            for (n, count) in negative[k].iter_mut().enumerate() {
                *count += ((b[n / 64] >> (n % 64)) & 1) as u32;
            }
        }
    }
    Ok(ScanResult {
        atoms: per_atom.into_iter().map(|(a, _)| a).collect(),
        negative,
    })
}

/// Every dr positive, finite and within what the probe's neighbour list was built for.
pub fn check_drs(drs: &[f64], max_dr: f64) -> Result<(), ProbeError> {
    if drs.is_empty() {
        return Err(ProbeError::NoDr);
    }
    match drs
        .iter()
        .find(|&&dr| !(dr > 0.0 && dr.is_finite() && dr <= max_dr))
    {
        Some(&dr) => Err(ProbeError::BadDr(dr)),
        None => Ok(()),
    }
}

/// Mean, median and histogram of per-atom Ω/4π values.
#[derive(Debug, Clone, PartialEq)]
pub struct OmegaStats {
    pub mean: f64,
    pub median: f64,
    /// Fraction of atoms with Ω > 0.
    pub fraction_nonzero: f64,
    /// `bins` equal bins over [0, 1] (the last one closed); counts of atoms.
    pub histogram: Vec<u64>,
}

impl OmegaStats {
    pub fn of(values: &[f64], bins: usize) -> Self {
        let n = values.len();
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]),
        };
        let mut histogram = vec![0u64; bins.max(1)];
        for &v in values {
            let b = ((v * histogram.len() as f64) as usize).min(histogram.len() - 1);
            histogram[b] += 1;
        }
        OmegaStats {
            mean: values.iter().sum::<f64>() / n as f64,
            median,
            fraction_nonzero: values.iter().filter(|&&v| v > 0.0).count() as f64 / n as f64,
            histogram,
        }
    }
}
