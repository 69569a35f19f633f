//! The optimality certificate of a sparse assignment against the full dense problem.
//!
//! With row duals u and column duals v, LP duality says the matching is optimal for the dense
//! problem when every edge has reduced cost c_ij − u_i − v_j ≥ 0. Candidate edges are checked
//! one by one (their small negative rounding residues are summed into a bound on the optimality
//! gap). Every edge of row i that is not a candidate has c_ij > R_i² (the candidate radius is an
//! exact minimum-image radius), so it suffices that R_i² ≥ u_i + max_j v_j, the maximum taken over
//! the columns row i may be assigned to. Rows whose candidates are all allowed columns have no
//! non-candidate edge and pass trivially.

use super::solver::{AssignmentState, CandidateEdges};

/// Result of checking an assignment.
pub struct Certificate {
    /// Rows whose non-candidate edges are not proven, with the radius that would prove them
    /// for the current duals.
    pub failed: Vec<(usize, f64)>,
    /// Σ_i max(0, −min_j reduced cost over row i's candidates): the assignment cost is within this
    /// of the dense optimum (rounding residue of the solver; zero in exact arithmetic).
    pub gap_bound: f64,
}

/// Check every row. `radius[i]` is `None` when row i's candidates are every allowed column;
/// `row_class`/`col_class` say which columns row i may take (equal class).
pub fn check(
    edges: &CandidateEdges,
    state: &AssignmentState,
    radius: &[Option<f64>],
    row_class: &[u32],
    col_class: &[u32],
) -> Certificate {
    let nclass = col_class
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut max_v = vec![f64::NEG_INFINITY; nclass];
    for (j, &c) in col_class.iter().enumerate() {
        let m = &mut max_v[c as usize];
        *m = m.max(state.v[j]);
    }
    let mut failed = Vec::new();
    let mut gap_bound = 0.0;
    for i in 0..edges.nrows() {
        let Some(ui) = state.row_dual(edges, i) else {
            // An unassigned row cannot be certified; give it a larger radius.
            failed.push((i, radius[i].map_or(f64::INFINITY, |r| 2.0 * r)));
            continue;
        };
        let (cols, costs) = edges.row(i);
        let mut worst = 0.0f64;
        for (&j, &c) in cols.iter().zip(costs) {
            worst = worst.min(c - ui - state.v[j as usize]);
        }
        gap_bound -= worst;
        if let Some(r) = radius[i] {
            let need = ui + max_v[row_class[i] as usize];
            if r * r < need {
                failed.push((i, need.sqrt()));
            }
        }
    }
    Certificate { failed, gap_bound }
}
