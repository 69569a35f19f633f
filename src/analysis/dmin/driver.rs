//! The D_min driver: checks and pairs the two configurations by atom id, builds candidates, runs
//! the sparse solver, certifies optimality and grows candidate radii until the proof holds.

use std::collections::HashMap;

use serde::Serialize;

use super::candidates::{candidate_lists, ColumnGrid, MinimumImage};
use super::certificate;
use super::solver::{AssignmentState, Augment, CandidateEdges, FREE};
use super::DminError;
use crate::analysis::id_pairing;
use crate::geometry::SimBox;
use crate::system::System;

/// Options of [`is_dmin`].
#[derive(Debug, Clone, Copy)]
pub struct DminOptions {
    /// Let atoms of different types swap (default: relabel only within a type).
    pub all_types: bool,
    /// Expected number of same-class candidates per atom that sets the initial radius from the
    /// number density (default 12). Only speed depends on it, never the answer.
    pub initial_candidates: f64,
    /// Relative tolerance on box differences between the two configurations (default 1e-9).
    pub box_tolerance: f64,
}

impl Default for DminOptions {
    fn default() -> Self {
        DminOptions {
            all_types: false,
            initial_candidates: 12.0,
            box_tolerance: 1e-9,
        }
    }
}

/// The optimal relabelling and what follows from it. Per-atom vectors are in ascending
/// reference-id order (`ids`).
#[derive(Debug, Clone, Serialize)]
pub struct DminResult {
    /// D_min = sqrt(Σ minimal squared displacements / N), length units of the input.
    pub dmin: f64,
    /// Labelled RMSD (identity relabelling: same atom id in both configurations).
    pub rmsd: f64,
    pub natoms: usize,
    /// Number of atoms whose optimal partner is not the atom with the same id.
    pub reassigned: usize,
    /// True when the certificate proved optimality for the full dense problem.
    pub optimality_certified: bool,
    /// Upper bound on Σ cost − optimum from floating-point residues of the duals (squared length).
    pub gap_bound: f64,
    /// Candidate edges in the final sparse problem, and the number of radius-growth rounds.
    pub candidate_edges: usize,
    pub growth_rounds: usize,
    #[serde(skip)]
    pub ids: Vec<u64>,
    /// Id of the current-configuration atom assigned to each reference atom.
    #[serde(skip)]
    pub partner_ids: Vec<u64>,
    /// Minimal displacement (minimum image, partner − reference) of each reference atom.
    #[serde(skip)]
    pub displacements: Vec<[f64; 3]>,
}

/// Exact IS D_min between a reference and a current configuration (same box, same atom ids).
pub fn is_dmin(
    reference: &System,
    current: &System,
    opts: &DminOptions,
) -> Result<DminResult, DminError> {
    let pair = PairedAtoms::new(reference, current, opts)?;
    let n = pair.ids.len();
    let simbox = &reference.simbox;
    let metric = MinimumImage::new(simbox);
    let identity: Vec<u32> = (0..n as u32).collect();

    // Initial radius per class from its number density.
    let nclass = pair
        .class
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut count = vec![0usize; nclass];
    pair.class.iter().for_each(|&c| count[c as usize] += 1);
    let volume = simbox.volume();
    let r0: Vec<f64> = count
        .iter()
        .map(|&c| {
            let rho = c.max(1) as f64 / volume;
            (opts.initial_candidates / (4.0 / 3.0 * std::f64::consts::PI * rho)).cbrt()
        })
        .collect();
    let members = pair.class_members(nclass);
    let grids: Vec<Option<ColumnGrid>> = (0..nclass)
        .map(|c| ColumnGrid::with_subset(simbox, &pair.current, &members[c], r0[c]))
        .collect();
    let mut radius: Vec<Option<f64>> = pair
        .class
        .iter()
        .map(|&c| grids[c as usize].as_ref().map(|_| r0[c as usize]))
        .collect();
    let rows: Vec<usize> = (0..n).collect();
    let lists = candidate_lists(
        &metric,
        &pair.reference,
        &pair.current,
        &pair.class,
        &rows,
        &radius,
        &grids,
    );
    drop(grids);
    let mut edges = CandidateEdges::from_lists(lists);
    let mut state = AssignmentState::new(n);
    state.greedy_start(&edges, &identity);
    let mut free: Vec<usize> = (0..n).filter(|&i| state.col_of_row[i] == FREE).collect();
    let mut growth_rounds = 0;
    let fixed = Fixed {
        pair: &pair,
        members: &members,
        metric: &metric,
    };
    let cert = loop {
        // Augment every free row; rows whose search gets stuck get more candidates.
        while let Some(s) = free.pop() {
            if state.col_of_row[s] != FREE {
                continue;
            }
            if let Augment::Stuck(tree) = state.augment(&edges, s) {
                let mut grow: Vec<(usize, f64)> = tree
                    .into_iter()
                    .filter_map(|i| radius[i].map(|r| (i, 2.0 * r)))
                    .collect();
                if grow.is_empty() {
                    // Every row of the tree already sees all allowed columns: impossible when
                    // type counts match (checked), kept as a guard against an endless loop.
                    break;
                }
                grow.sort_unstable_by_key(|g| g.0);
                grow.dedup_by_key(|g| g.0);
                growth_rounds += 1;
                let released = grow_rows(fixed, &mut edges, &mut state, &mut radius, &grow);
                free.push(s);
                free.extend(released);
            }
        }
        let cert = certificate::check(&edges, &state, &radius, &pair.class, &pair.class);
        // Rows that already see every allowed column cannot grow (only reachable if no perfect
        // matching exists, which matching class counts exclude): stop, reported below.
        if cert.failed.is_empty() || cert.failed.iter().all(|&(i, _)| radius[i].is_none()) {
            break cert;
        }
        growth_rounds += 1;
        let grow: Vec<(usize, f64)> = cert
            .failed
            .iter()
            .filter(|&&(i, _)| radius[i].is_some())
            .map(|&(i, need)| {
                let r = radius[i].unwrap_or(f64::INFINITY);
                (i, (1.5 * r).max(need * (1.0 + 1e-9) + 1e-12))
            })
            .collect();
        let released = grow_rows(fixed, &mut edges, &mut state, &mut radius, &grow);
        free.extend(released);
        free.extend(
            cert.failed
                .iter()
                .map(|f| f.0)
                .filter(|&i| state.col_of_row[i] == FREE),
        );
        free.sort_unstable_by(|a, b| b.cmp(a));
        free.dedup();
    };

    if let Some(i) = (0..n).find(|&i| state.col_of_row[i] == FREE) {
        return Err(DminError::Unsolvable { id: pair.ids[i] });
    }
    let mut labelled = 0.0;
    let mut reassigned = 0;
    let mut partner_ids = Vec::with_capacity(n);
    let mut displacements = Vec::with_capacity(n);
    let mut assigned_total = 0.0;
    for i in 0..n {
        let j = state.col_of_row[i] as usize;
        let d = metric.vector(sub(pair.current[j], pair.reference[i]));
        assigned_total += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        let e = metric.vector(sub(pair.current[i], pair.reference[i]));
        labelled += e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
        if j != i {
            reassigned += 1;
        }
        partner_ids.push(pair.ids[j]);
        displacements.push(d);
    }
    let certified =
        cert.failed.is_empty() && cert.gap_bound <= 1e-12 * assigned_total.max(f64::MIN_POSITIVE);
    Ok(DminResult {
        dmin: (assigned_total / n as f64).sqrt(),
        rmsd: (labelled / n as f64).sqrt(),
        natoms: n,
        reassigned,
        optimality_certified: certified,
        gap_bound: cert.gap_bound,
        candidate_edges: edges.cols.len(),
        growth_rounds,
        ids: pair.ids,
        partner_ids,
        displacements,
    })
}

/// What stays fixed while rows grow: the paired atoms, the atoms of each class and the metric.
#[derive(Clone, Copy)]
struct Fixed<'a> {
    pair: &'a PairedAtoms,
    members: &'a [Vec<u32>],
    metric: &'a MinimumImage,
}

/// Give rows larger radii (`grow` ascending by row), rebuild their candidate lists, and release
/// assigned rows whose new edges would break dual feasibility. Returns the released rows.
fn grow_rows(
    fixed: Fixed<'_>,
    edges: &mut CandidateEdges,
    state: &mut AssignmentState,
    radius: &mut [Option<f64>],
    grow: &[(usize, f64)],
) -> Vec<usize> {
    let Fixed {
        pair,
        members,
        metric,
    } = fixed;
    // One grid per class, as wide as the largest finite new radius of that class.
    let mut r_max = vec![0.0f64; members.len()];
    for &(i, r) in grow {
        let c = pair.class[i] as usize;
        if r.is_finite() {
            r_max[c] = r_max[c].max(r);
        }
    }
    let grids: Vec<Option<ColumnGrid>> = r_max
        .iter()
        .zip(members)
        .map(|(&r, m)| {
            (r > 0.0)
                .then(|| ColumnGrid::with_subset(&metric.simbox, &pair.current, m, r))
                .flatten()
        })
        .collect();
    let rows: Vec<usize> = grow.iter().map(|g| g.0).collect();
    for &(i, r) in grow {
        radius[i] = grids[pair.class[i] as usize]
            .as_ref()
            .filter(|g| r <= g.width)
            .map(|_| r);
    }
    let new_radius: Vec<Option<f64>> = rows.iter().map(|&i| radius[i]).collect();
    let lists = candidate_lists(
        metric,
        &pair.reference,
        &pair.current,
        &pair.class,
        &rows,
        &new_radius,
        &grids,
    );
    let mut released = Vec::new();
    for (&i, list) in rows.iter().zip(&lists) {
        if let Some(ui) = state.row_dual(edges, i) {
            if list
                .iter()
                .any(|&(j, c)| c - ui - state.v[j as usize] < 0.0)
            {
                released.push(i);
            }
        }
    }
    edges.replace_rows(&rows, lists);
    for &i in &released {
        state.release_row(i);
    }
    released
}

/// Both configurations in ascending id order (so the identity partner of row i is column i),
/// with the assignment class of each atom (its type, or 0 for all_types).
struct PairedAtoms {
    ids: Vec<u64>,
    reference: Vec<[f64; 3]>,
    current: Vec<[f64; 3]>,
    class: Vec<u32>,
}

impl PairedAtoms {
    /// Column indices of each class, ascending.
    fn class_members(&self, nclass: usize) -> Vec<Vec<u32>> {
        let mut m = vec![Vec::new(); nclass];
        for (j, &c) in self.class.iter().enumerate() {
            m[c as usize].push(j as u32);
        }
        m
    }

    fn new(reference: &System, current: &System, opts: &DminOptions) -> Result<Self, DminError> {
        let nr = id_pairing::same_count(reference, current)?;
        if nr == 0 {
            return Err(DminError::Empty);
        }
        check_boxes(&reference.simbox, &current.simbox, opts.box_tolerance)?;
        let ref_order = id_pairing::sorted_unique(reference, "reference")?;
        let cur_order = id_pairing::sorted_unique(current, "current")?;
        id_pairing::same_ids(reference, &ref_order, current, &cur_order)?;
        if !opts.all_types {
            let mut counts: HashMap<u32, (usize, usize)> = HashMap::new();
            reference
                .types
                .iter()
                .for_each(|&t| counts.entry(t).or_default().0 += 1);
            current
                .types
                .iter()
                .for_each(|&t| counts.entry(t).or_default().1 += 1);
            let mut bad: Vec<_> = counts.into_iter().filter(|(_, (a, b))| a != b).collect();
            bad.sort_unstable_by_key(|b| b.0);
            if let Some(&(atom_type, (r, c))) = bad.first() {
                return Err(DminError::TypeCount {
                    atom_type,
                    reference: r,
                    current: c,
                });
            }
        }
        // Classes are dense indices so per-class arrays stay small whatever the type numbers are.
        let mut class_of_type: HashMap<u32, u32> = HashMap::new();
        let mut class = Vec::with_capacity(nr);
        for &k in &ref_order {
            let t = if opts.all_types {
                0
            } else {
                reference.types[k]
            };
            let next = class_of_type.len() as u32;
            class.push(*class_of_type.entry(t).or_insert(next));
        }
        // Columns carry their own type; with matching type counts the classes agree per column
        // index only if the types agree, so columns are classed from the current configuration.
        let col_class: Vec<u32> = cur_order
            .iter()
            .map(|&k| {
                let t = if opts.all_types { 0 } else { current.types[k] };
                class_of_type.get(&t).copied().unwrap_or(u32::MAX)
            })
            .collect();
        if col_class != class {
            // Same ids with changed types: assignment classes are defined per configuration.
            return Err(DminError::TypeChanged {
                id: ref_order
                    .iter()
                    .zip(&col_class)
                    .zip(&class)
                    .find(|((_, a), b)| a != b)
                    .map_or(0, |((&k, _), _)| reference.ids[k]),
            });
        }
        Ok(PairedAtoms {
            ids: ref_order.iter().map(|&k| reference.ids[k]).collect(),
            reference: id_pairing::finite_positions(reference, &ref_order, "reference")?,
            current: id_pairing::finite_positions(current, &cur_order, "current")?,
            class,
        })
    }
}

#[allow(clippy::needless_range_loop)]
fn check_boxes(a: &SimBox, b: &SimBox, tol: f64) -> Result<(), DminError> {
    let scale = a.lengths().iter().copied().fold(0.0, f64::max);
    let axes = ['x', 'y', 'z'];
    let tilts = ["xy", "xz", "yz"];
    let mut items: Vec<(String, f64, f64)> = Vec::new();
    for d in 0..3 {
        items.push((format!("{}lo", axes[d]), a.lo[d], b.lo[d]));
        items.push((format!("{}hi", axes[d]), a.hi[d], b.hi[d]));
        items.push((format!("tilt {}", tilts[d]), a.tilt[d], b.tilt[d]));
    }
    for (what, r, c) in items {
        if (r - c).abs() > tol * scale {
            return Err(DminError::BoxMismatch {
                what,
                reference: r,
                current: c,
            });
        }
    }
    for d in 0..3 {
        if a.periodic[d] != b.periodic[d] {
            return Err(DminError::BoxMismatch {
                what: format!("periodicity along {}", axes[d]),
                reference: a.periodic[d] as u8 as f64,
                current: b.periodic[d] as u8 as f64,
            });
        }
    }
    Ok(())
}

#[inline]
fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::id_pairing::PairingError;

    /// Brute force over all N! relabellings (N = 8, two types and all types) is the oracle; the
    /// box is tilted and small so that minimum images and ties matter.
    #[test]
    fn matches_exhaustive_search_on_small_systems() {
        let b = SimBox::triclinic([0.0; 3], [3.0, 2.5, 2.8], [1.2, -0.9, 0.7]).unwrap();
        let mut rnd = {
            let mut rng = crate::testing::Lcg(5u64);
            move || rng.uniform()
        };
        let n = 8;
        for trial in 0..20 {
            let p: Vec<[f64; 3]> = (0..n)
                .map(|_| b.to_cartesian([rnd(), rnd(), rnd()]))
                .collect();
            let q: Vec<[f64; 3]> = (0..n)
                .map(|_| b.to_cartesian([rnd(), rnd(), rnd()]))
                .collect();
            let types: Vec<u32> = (0..n).map(|i| 1 + (i % 3 == 0) as u32).collect();
            let a = System::new(b, (1..=n as u64).collect(), types.clone(), p.clone());
            let c = System::new(b, (1..=n as u64).collect(), types.clone(), q.clone());
            for all_types in [false, true] {
                let opts = DminOptions {
                    all_types,
                    initial_candidates: if trial % 2 == 0 { 12.0 } else { 0.01 },
                    ..DminOptions::default()
                };
                let r = is_dmin(&a, &c, &opts).unwrap();
                let mut best = f64::INFINITY;
                let mut perm: Vec<usize> = (0..n).collect();
                permutations(&mut perm, 0, &mut |s| {
                    if !all_types && (0..n).any(|i| types[i] != types[s[i]]) {
                        return;
                    }
                    let t: f64 = (0..n)
                        .map(|i| {
                            let d = b.minimum_image(sub(q[s[i]], p[i]));
                            d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
                        })
                        .sum();
                    best = best.min(t);
                });
                let brute = (best / n as f64).sqrt();
                assert!(r.optimality_certified);
                assert!(
                    (r.dmin - brute).abs() <= 1e-13 * brute,
                    "{} vs {brute}",
                    r.dmin
                );
            }
        }
    }

    fn permutations(v: &mut Vec<usize>, k: usize, f: &mut impl FnMut(&[usize])) {
        if k == v.len() {
            f(v);
            return;
        }
        for i in k..v.len() {
            v.swap(k, i);
            permutations(v, k + 1, f);
            v.swap(k, i);
        }
    }

    /// Same permutation and bits with 1 and 3 threads (candidate lists are built in parallel).
    #[test]
    fn result_does_not_depend_on_thread_count() {
        let b = SimBox::orthogonal([0.0; 3], [12.0; 3]).unwrap();
        let mut rnd = {
            let mut rng = crate::testing::Lcg(9u64);
            move || rng.uniform()
        };
        let n = 1500;
        let p: Vec<[f64; 3]> = (0..n)
            .map(|_| [12.0 * rnd(), 12.0 * rnd(), 12.0 * rnd()])
            .collect();
        let q: Vec<[f64; 3]> = p
            .iter()
            .map(|x| [x[0] + 0.6 * rnd(), x[1] + 0.6 * rnd(), x[2] - 0.6 * rnd()])
            .collect();
        let types: Vec<u32> = (0..n).map(|i| 1 + (i % 5 == 0) as u32).collect();
        let a = System::new(b, (1..=n as u64).collect(), types.clone(), p);
        let c = System::new(b, (1..=n as u64).collect(), types, q);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| is_dmin(&a, &c, &DminOptions::default()).unwrap())
        };
        let (one, three) = (run(1), run(3));
        assert!(one.reassigned > 0);
        assert_eq!(one.dmin.to_bits(), three.dmin.to_bits());
        assert_eq!(one.partner_ids, three.partner_ids);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let b = SimBox::orthogonal([0.0; 3], [4.0; 3]).unwrap();
        let pos = vec![[0.5, 0.5, 0.5], [1.5, 1.5, 1.5], [2.5, 2.5, 2.5]];
        let a = System::new(b, vec![1, 2, 3], vec![1, 1, 2], pos.clone());
        let o = DminOptions::default();
        let mut dup = a.clone();
        dup.ids[2] = 2;
        assert_eq!(
            is_dmin(&a, &dup, &o).unwrap_err(),
            DminError::Pairing(PairingError::DuplicateId {
                id: 2,
                which: "current"
            })
        );
        let mut swapped = a.clone();
        swapped.types = vec![1, 2, 1];
        assert_eq!(
            is_dmin(&a, &swapped, &o).unwrap_err(),
            DminError::TypeChanged { id: 2 }
        );
        let mut nan = a.clone();
        nan.positions[1][0] = f64::NAN;
        assert_eq!(
            is_dmin(&a, &nan, &o).unwrap_err(),
            DminError::Pairing(PairingError::NonFinite {
                id: 2,
                which: "current"
            })
        );
        let empty = System::new(b, vec![], vec![], vec![]);
        assert_eq!(is_dmin(&empty, &empty, &o).unwrap_err(), DminError::Empty);
    }
}
