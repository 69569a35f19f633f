//! Sparse linear assignment by shortest augmenting paths (Jonker–Volgenant style): Dijkstra on
//! reduced costs with column potentials, a partial matching that stays optimal for the rows it
//! covers, and rows that can be re-opened when their candidate lists grow.
//!
//! Duals: `v[j]` per column; the row dual of an assigned row is implied,
//! `u[i] = c(i, col(i)) − v[col(i)]`. Invariant: every candidate edge has reduced cost
//! `c(i,j) − u[i] − v[j] ≥ 0` (up to rounding) for assigned rows, and assigned edges are tight.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Candidate edges in CSR form: row i has `cols/costs[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Clone, Default)]
pub struct CandidateEdges {
    pub offsets: Vec<usize>,
    pub cols: Vec<u32>,
    pub costs: Vec<f64>,
}

impl CandidateEdges {
    pub fn from_lists(lists: Vec<Vec<(u32, f64)>>) -> Self {
        let mut e = CandidateEdges {
            offsets: Vec::with_capacity(lists.len() + 1),
            cols: Vec::with_capacity(lists.iter().map(Vec::len).sum()),
            costs: Vec::new(),
        };
        e.offsets.push(0);
        for l in lists {
            for (j, c) in l {
                e.cols.push(j);
                e.costs.push(c);
            }
            e.offsets.push(e.cols.len());
        }
        e.costs.shrink_to_fit();
        e
    }

    /// Replace the lists of some rows (ascending `rows`, one list each); rebuilds the CSR once.
    pub fn replace_rows(&mut self, rows: &[usize], lists: Vec<Vec<(u32, f64)>>) {
        let n = self.offsets.len() - 1;
        let extra: usize = lists.iter().map(Vec::len).sum();
        let mut out = CandidateEdges {
            offsets: Vec::with_capacity(n + 1),
            cols: Vec::with_capacity(self.cols.len() + extra),
            costs: Vec::with_capacity(self.cols.len() + extra),
        };
        out.offsets.push(0);
        let mut next = rows.iter().zip(lists).peekable();
        for i in 0..n {
            match next.peek() {
                Some((&r, _)) if r == i => {
                    if let Some((_, l)) = next.next() {
                        for (j, c) in l {
                            out.cols.push(j);
                            out.costs.push(c);
                        }
                    }
                }
                _ => {
                    let (a, b) = (self.offsets[i], self.offsets[i + 1]);
                    out.cols.extend_from_slice(&self.cols[a..b]);
                    out.costs.extend_from_slice(&self.costs[a..b]);
                }
            }
            out.offsets.push(out.cols.len());
        }
        *self = out;
    }

    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.offsets[i], self.offsets[i + 1]);
        (&self.cols[a..b], &self.costs[a..b])
    }

    pub fn nrows(&self) -> usize {
        self.offsets.len() - 1
    }
}

pub const FREE: u32 = u32::MAX;

/// The state of the assignment: matching and column potentials, plus Dijkstra work arrays that
/// are reset sparsely (only the entries a search touched), so one search costs what it explores.
pub struct AssignmentState {
    pub col_of_row: Vec<u32>,
    pub row_of_col: Vec<u32>,
    pub v: Vec<f64>,
    dist: Vec<f64>,
    pred: Vec<u32>,
    scanned: Vec<bool>,
    touched: Vec<u32>,
    scanned_list: Vec<u32>,
    heap: BinaryHeap<HeapEntry>,
}

#[derive(Clone, Copy, PartialEq)]
struct HeapEntry {
    dist: f64,
    col: u32,
}
impl Eq for HeapEntry {}
impl Ord for HeapEntry {
    // Min-heap on distance, ties by column index (deterministic).
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .dist
            .total_cmp(&self.dist)
            .then_with(|| other.col.cmp(&self.col))
    }
}
impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Outcome of one augmentation attempt from a free row.
pub enum Augment {
    Done,
    /// No free column reachable: the listed rows (the search tree) need more candidates.
    Stuck(Vec<usize>),
}

impl AssignmentState {
    pub fn new(n: usize) -> Self {
        AssignmentState {
            col_of_row: vec![FREE; n],
            row_of_col: vec![FREE; n],
            v: vec![0.0; n],
            dist: vec![f64::INFINITY; n],
            pred: vec![FREE; n],
            scanned: vec![false; n],
            touched: Vec::new(),
            scanned_list: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// Row dual implied by the tight assigned edge (`None` for a free row).
    #[inline]
    pub fn row_dual(&self, edges: &CandidateEdges, i: usize) -> Option<f64> {
        let j = self.col_of_row[i];
        if j == FREE {
            return None;
        }
        let (cols, costs) = edges.row(i);
        let k = cols.binary_search(&j).ok()?;
        Some(costs[k] - self.v[j as usize])
    }

    /// Greedy start with zero column potentials: each row takes its cheapest candidate (the
    /// identity partner `identity[i]` on ties) when that column is still free. Every assigned edge
    /// is then tight and every candidate edge of an assigned row has non-negative reduced cost.
    pub fn greedy_start(&mut self, edges: &CandidateEdges, identity: &[u32]) {
        for i in 0..edges.nrows() {
            let (cols, costs) = edges.row(i);
            let mut best: Option<(f64, u32)> = None;
            for (&j, &c) in cols.iter().zip(costs) {
                let better = match best {
                    None => true,
                    Some((bc, bj)) => c < bc || (c == bc && j == identity[i] && bj != j),
                };
                if better {
                    best = Some((c, j));
                }
            }
            if let Some((_, j)) = best {
                if self.row_of_col[j as usize] == FREE {
                    self.row_of_col[j as usize] = i as u32;
                    self.col_of_row[i] = j;
                }
            }
        }
    }

    /// Free an assigned row (its column becomes free; potentials are kept).
    pub fn release_row(&mut self, i: usize) {
        let j = self.col_of_row[i];
        if j != FREE {
            self.row_of_col[j as usize] = FREE;
            self.col_of_row[i] = FREE;
        }
    }

    /// One shortest augmenting path from free row `s` (Dijkstra on reduced costs), then the
    /// potential update that keeps all reduced costs non-negative and the new matching tight.
    pub fn augment(&mut self, edges: &CandidateEdges, s: usize) -> Augment {
        debug_assert_eq!(self.col_of_row[s], FREE);
        // Row s has no dual constraint yet: distances are taken relative to an arbitrary u_s = 0.
        let (cols, costs) = edges.row(s);
        for (&j, &c) in cols.iter().zip(costs) {
            self.relax(j, c - self.v[j as usize], s as u32);
        }
        let mut target = None;
        while let Some(HeapEntry { dist, col }) = self.heap.pop() {
            let j = col as usize;
            if self.scanned[j] || dist > self.dist[j] {
                continue;
            }
            if self.row_of_col[j] == FREE {
                target = Some((j, dist));
                break;
            }
            self.scanned[j] = true;
            self.scanned_list.push(col);
            let i = self.row_of_col[j] as usize;
            let (cols, costs) = edges.row(i);
            // u_i from the tight edge (i, j).
            let ui = match cols.binary_search(&col) {
                Ok(k) => costs[k] - self.v[j],
                Err(_) => continue,
            };
            for (&k, &c) in cols.iter().zip(costs) {
                if !self.scanned[k as usize] {
                    self.relax(k, dist + (c - ui - self.v[k as usize]), i as u32);
                }
            }
        }
        let result = match target {
            Some((t, delta)) => {
                for &j in &self.scanned_list {
                    let j = j as usize;
                    self.v[j] -= delta - self.dist[j];
                }
                // Flip the alternating path back to s.
                let mut j = t;
                loop {
                    let i = self.pred[j] as usize;
                    let prev = self.col_of_row[i];
                    self.col_of_row[i] = j as u32;
                    self.row_of_col[j] = i as u32;
                    if i == s {
                        break;
                    }
                    j = prev as usize;
                }
                Augment::Done
            }
            None => {
                let mut rows = vec![s];
                rows.extend(
                    self.scanned_list
                        .iter()
                        .map(|&j| self.row_of_col[j as usize] as usize),
                );
                Augment::Stuck(rows)
            }
        };
        for &j in &self.touched {
            let j = j as usize;
            self.dist[j] = f64::INFINITY;
            self.pred[j] = FREE;
            self.scanned[j] = false;
        }
        self.touched.clear();
        self.scanned_list.clear();
        self.heap.clear();
        result
    }

    #[inline]
    fn relax(&mut self, j: u32, d: f64, from: u32) {
        let jj = j as usize;
        if d < self.dist[jj] {
            if self.dist[jj] == f64::INFINITY {
                self.touched.push(j);
            }
            self.dist[jj] = d;
            self.pred[jj] = from;
            self.heap.push(HeapEntry { dist: d, col: j });
        }
    }
}
