//! One Voronoi cell as a vertex–edge graph (voro++'s representation): a plane cut creates one
//! vertex per crossed edge, links them around the new face and removes only the vertices beyond
//! the plane; the rest of the cell is not rebuilt.
//!
//! Every vertex has exactly 3 edges ("spokes"), stored counter-clockwise as seen from outside
//! the cell. Spoke k of vertex v knows its target t, the index of the reverse spoke in t (the
//! back-pointer) and the face to its left, which is the wedge between spokes k and k+1. Walking
//! a face counter-clockwise (seen from outside) from spoke (v, k) continues with spoke
//! (t, back − 1 mod 3) of the target.
//!
//! The plane-side test is the one of [`ConvexCell::cut`] (same tolerance). A cut with a vertex
//! *on* the plane while others are beyond it would create a vertex with more than 3 edges (the
//! degenerate vertices of perfect crystals); the graph reports [`GraphCut::Degenerate`] without
//! changing anything and the caller continues this cell with the face-loop [`ConvexCell`],
//! which handles such cuts, after [`GraphCell::to_faces`].

use super::cell::{ConvexCell, CutOutcome, FaceLabel, FaceStat, SIDE_TOLERANCE};

/// Outcome of [`GraphCell::cut`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphCut {
    /// The cut was applied (or the plane missed the cell, or emptied it).
    Done(CutOutcome),
    /// The plane passes through a vertex (within the tolerance) and cuts the cell: not handled
    /// here; the cell is unchanged.
    Degenerate,
}

/// Vertex status relative to the cutting plane: `INSIDE`, on it (`INSIDE + 1`), or `GONE`
/// (beyond it, to be removed).
const INSIDE: u8 = 1;
const GONE: u8 = 3;
const NONE: u32 = u32::MAX;

/// The spoke before `k` in counter-clockwise order.
#[inline]
fn prev(k: u8) -> u8 {
    [2, 0, 1][k as usize % 3]
}

/// A vertex made by the current cut, before it is stored.
#[derive(Debug, Clone, Copy)]
struct Fresh {
    pos: [f64; 3],
    target: [u32; 3],
    back: [u8; 3],
    face: [u32; 3],
}

/// A convex polyhedron with only degree-3 vertices, reusable across atoms (one per worker).
#[derive(Debug, Default, Clone)]
pub struct GraphCell {
    /// Vertex positions relative to the atom.
    pos: Vec<[f64; 3]>,
    /// Per vertex, per spoke: target vertex.
    target: Vec<[u32; 3]>,
    /// Per vertex, per spoke: index of the reverse spoke in the target.
    back: Vec<[u8; 3]>,
    /// Per vertex, per spoke: face to its left (index into `labels`).
    face: Vec<[u32; 3]>,
    /// What made each face (faces that lost all vertices stay listed, unreferenced).
    labels: Vec<FaceLabel>,
    max_radius_sq: f64,
    // scratch, reused by every cut
    side: Vec<f64>,
    status: Vec<u8>,
    outside: Vec<u32>,
    /// Per crossed edge: the outside end (vertex, spoke) and the spoke of the outside walk that
    /// ends at the next crossed edge along the face to the left of the inside → outside edge.
    crossings: Vec<(u32, u8, u32, u8)>,
    /// Per vertex, per spoke (outside vertices only): the new vertex on that edge.
    new_at: Vec<[u32; 3]>,
    /// The new vertices of the current cut.
    fresh: Vec<Fresh>,
    seen: Vec<[bool; 3]>,
    loop_buf: Vec<u32>,
}

#[inline]
fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

#[inline]
fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

#[inline]
fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

impl GraphCell {
    /// Reset to the axis-aligned cube `[-h, h]³` around the atom (all faces `Initial`).
    pub fn reset_cube(&mut self, h: f64) {
        self.pos.clear();
        self.target.clear();
        self.back.clear();
        self.face.clear();
        self.labels.clear();
        self.labels.push(FaceLabel::Initial);
        for k in 0..8u32 {
            let s = |bit: u32| if k & bit != 0 { h } else { -h };
            self.pos.push([s(1), s(2), s(4)]);
            // Neighbours differ in one coordinate. Seen from outside, (x-, y-, z-flip) is
            // counter-clockwise at (+,+,+); each reflection (a minus sign) reverses it.
            let minus = 3 - k.count_ones();
            if minus % 2 == 0 {
                self.target.push([k ^ 1, k ^ 2, k ^ 4]);
            } else {
                self.target.push([k ^ 1, k ^ 4, k ^ 2]);
            }
            self.face.push([0; 3]);
        }
        // Back-pointers: spoke of the target leading back.
        for v in 0..8usize {
            let b = self.target[v].map(|t| {
                self.target[t as usize]
                    .iter()
                    .position(|&x| x as usize == v)
                    .unwrap_or(0) as u8
            });
            self.back.push(b);
        }
        self.max_radius_sq = 3.0 * h * h;
    }

    /// Largest squared distance of a vertex from the atom.
    #[inline]
    pub fn max_radius_sq(&self) -> f64 {
        self.max_radius_sq
    }

    /// Keep the half-space `p·x ≤ c` (x relative to the atom); see [`ConvexCell::cut`] for the
    /// tolerance. On [`GraphCut::Degenerate`] the cell is unchanged.
    pub fn cut(&mut self, p: [f64; 3], c: f64, label: FaceLabel) -> GraphCut {
        let p2 = dot(p, p);
        if c > 0.0 && c * c >= self.max_radius_sq * p2 * (1.0 + 1e-9) {
            return GraphCut::Done(CutOutcome::Untouched);
        }
        let tol = 0.5 * SIDE_TOLERANCE * p2;
        let n = self.pos.len();
        self.side.resize(n, 0.0);
        self.status.resize(n, INSIDE);
        // Branch-free classification: INSIDE (d < −tol), ON, or GONE (d > tol).
        let (mut n_on, mut n_out) = (0usize, 0usize);
        for ((x, d), st) in self
            .pos
            .iter()
            .zip(self.side.iter_mut())
            .zip(self.status.iter_mut())
        {
            *d = dot(*x, p) - c;
            let on_or_out = u8::from(*d >= -tol);
            let out = u8::from(*d > tol);
            *st = INSIDE + on_or_out + out;
            n_out += usize::from(out);
            n_on += usize::from(on_or_out - out);
        }
        if n_out == 0 {
            return GraphCut::Done(CutOutcome::Untouched);
        }
        if n_on > 0 {
            return GraphCut::Degenerate;
        }
        if n_out == n {
            return GraphCut::Done(CutOutcome::Emptied);
        }
        self.outside.clear();
        self.outside.extend(
            self.status
                .iter()
                .enumerate()
                .filter(|(_, &st)| st == GONE)
                .map(|(v, _)| v as u32),
        );
        // Pass 1 (read only): every inside–outside edge (u outside, spoke j) gets a new vertex
        // slot — the slots of removed vertices first, then new ones at the end — and the walk
        // along the face to the left of inside → outside finds the next crossed edge.
        self.crossings.clear();
        if self.new_at.len() < n {
            self.new_at.resize(n, [NONE; 3]);
        }
        let holes = self.outside.len();
        for oi in 0..holes {
            let u = self.outside[oi];
            for j in 0..3u8 {
                let w = self.target[u as usize][j as usize];
                if self.status[w as usize] != INSIDE {
                    continue;
                }
                let m = self.crossings.len();
                self.new_at[u as usize][j as usize] = if m < holes {
                    self.outside[m]
                } else {
                    (n + m - holes) as u32
                };
                // Face left of (w → u) continues at u with spoke prev(j).
                let (mut q, mut k) = (u, prev(j));
                let mut steps = 0usize;
                loop {
                    let t = self.target[q as usize][k as usize];
                    if self.status[t as usize] == INSIDE {
                        break;
                    }
                    let b = self.back[q as usize][k as usize];
                    q = t;
                    k = prev(b);
                    steps += 1;
                    if steps > 3 * n {
                        // Not a valid polyhedron (cannot happen by construction): let the
                        // face-loop cell take over.
                        return GraphCut::Degenerate;
                    }
                }
                self.crossings.push((u, j, q, k));
            }
        }
        // Pass 2: the new vertices, from the old data only (their slots may still hold removed
        // vertices that later crossings read); their inside vertices now point to them.
        let cap = self.labels.len() as u32;
        self.labels.push(label);
        self.fresh.clear();
        for &(u, j, _, _) in &self.crossings {
            let (u, j) = (u as usize, j as usize);
            let w = self.target[u][j] as usize;
            let kw = self.back[u][j];
            let (di, dout) = (self.side[w], self.side[u]);
            let t = di / (di - dout);
            let (xi, xo) = (self.pos[w], self.pos[u]);
            let x = [
                xi[0] + t * (xo[0] - xi[0]),
                xi[1] + t * (xo[1] - xi[1]),
                xi[2] + t * (xo[2] - xi[2]),
            ];
            // Spoke 0 → w; spoke 1 → the next new vertex along the face right of w → u;
            // spoke 2 → the next along the face left of it. Faces: left of 0 = right of w → u,
            // left of 1 = the cap, left of 2 = left of w → u.
            self.fresh.push(Fresh {
                pos: x,
                target: [w as u32, NONE, NONE],
                back: [kw, 2, 1],
                face: [self.face[u][j], cap, self.face[w][kw as usize]],
            });
            let id = self.new_at[u][j];
            self.target[w][kw as usize] = id;
            self.back[w][kw as usize] = 0;
        }
        // Pass 3: store them.
        for (m, f) in self.fresh.iter().enumerate() {
            if m < holes {
                let h = self.outside[m] as usize;
                self.pos[h] = f.pos;
                self.target[h] = f.target;
                self.back[h] = f.back;
                self.face[h] = f.face;
                self.status[h] = INSIDE;
            } else {
                self.pos.push(f.pos);
                self.target.push(f.target);
                self.back.push(f.back);
                self.face.push(f.face);
                self.status.push(INSIDE);
            }
        }
        // Pass 4: link the cap: x's spoke 2 and its partner's spoke 1.
        for &(u, j, q, k) in &self.crossings {
            let x = self.new_at[u as usize][j as usize] as usize;
            let a = self.new_at[q as usize][k as usize] as usize;
            self.target[x][2] = a as u32;
            self.target[a][1] = x as u32;
        }
        // Pass 5 (rare: more vertices removed than created): fill the remaining holes with live
        // vertices from the end.
        if self.crossings.len() < holes {
            let mut end = self.pos.len();
            for oi in self.crossings.len()..holes {
                let h = self.outside[oi] as usize;
                while end > 0 && self.status[end - 1] == GONE {
                    end -= 1;
                }
                if h >= end {
                    break;
                }
                let s = end - 1;
                self.move_vertex(s, h);
                self.status[h] = INSIDE;
                end -= 1;
            }
            self.pos.truncate(end);
            self.target.truncate(end);
            self.back.truncate(end);
            self.face.truncate(end);
        }
        self.max_radius_sq = self.pos.iter().map(|x| dot(*x, *x)).fold(0.0, f64::max);
        GraphCut::Done(CutOutcome::Cut)
    }

    /// Move vertex `s` to slot `h` and redirect its neighbours' spokes.
    fn move_vertex(&mut self, s: usize, h: usize) {
        self.pos[h] = self.pos[s];
        self.target[h] = self.target[s];
        self.back[h] = self.back[s];
        self.face[h] = self.face[s];
        for k in 0..3 {
            let t = self.target[h][k] as usize;
            let b = self.back[h][k] as usize;
            self.target[t][b] = h as u32;
        }
    }

    /// Every face's label, area and edge counts into `out` (cleared first); returns the volume.
    /// Same formulas, face order and vertex order as [`ConvexCell::face_stats`] of
    /// [`Self::to_faces`], without building the loops.
    pub fn face_stats(&mut self, min_len_sq: f64, out: &mut Vec<FaceStat>) -> f64 {
        out.clear();
        let n = self.pos.len();
        self.seen.clear();
        self.seen.resize(n, [false; 3]);
        let mut v6 = 0.0;
        for v0 in 0..n {
            for k0 in 0..3u8 {
                if self.seen[v0][k0 as usize] {
                    continue;
                }
                let label = self.labels[self.face[v0][k0 as usize] as usize];
                let x0 = self.pos[v0];
                // First edge (v0 → x1), then fan triangles (x0, a, b) for each later edge a → b.
                self.seen[v0][k0 as usize] = true;
                let t = self.target[v0][k0 as usize] as usize;
                let mut k = prev(self.back[v0][k0 as usize]);
                let mut v = t;
                let mut a = self.pos[t];
                let first = sub(a, x0);
                let mut edges = 1u32;
                let mut long_edges = u32::from(dot(first, first) > min_len_sq);
                let mut s = [0.0; 3];
                while (v, k) != (v0, k0) && (edges as usize) <= 3 * n {
                    self.seen[v][k as usize] = true;
                    let t = self.target[v][k as usize] as usize;
                    let b = self.pos[t];
                    let e = sub(b, a);
                    edges += 1;
                    long_edges += u32::from(dot(e, e) > min_len_sq);
                    if t != v0 {
                        let c = cross(sub(a, x0), sub(b, x0));
                        s = [s[0] + c[0], s[1] + c[1], s[2] + c[2]];
                        v6 += dot(x0, cross(a, b));
                    }
                    k = prev(self.back[v][k as usize]);
                    v = t;
                    a = b;
                }
                if min_len_sq <= 0.0 {
                    long_edges = edges;
                }
                out.push(FaceStat {
                    label,
                    area: 0.5 * dot(s, s).sqrt(),
                    edges,
                    long_edges,
                });
            }
        }
        v6 / 6.0
    }

    /// Write this cell into `out` as face loops (counter-clockwise seen from outside).
    pub fn to_faces(&mut self, out: &mut ConvexCell) {
        let n = self.pos.len();
        out.start_load();
        for x in &self.pos {
            out.push_vertex(*x);
        }
        self.seen.clear();
        self.seen.resize(n, [false; 3]);
        for v0 in 0..n {
            for k0 in 0..3u8 {
                if self.seen[v0][k0 as usize] {
                    continue;
                }
                self.loop_buf.clear();
                let label = self.labels[self.face[v0][k0 as usize] as usize];
                let (mut v, mut k) = (v0, k0);
                loop {
                    self.seen[v][k as usize] = true;
                    self.loop_buf.push(v as u32);
                    let t = self.target[v][k as usize] as usize;
                    let b = self.back[v][k as usize];
                    v = t;
                    k = prev(b);
                    if (v, k) == (v0, k0) || self.loop_buf.len() > 3 * n {
                        break;
                    }
                }
                out.push_face(&self.loop_buf, label);
            }
        }
        out.end_load(self.max_radius_sq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::Lcg;

    /// Oracle: the face-loop cell, cut by the same planes, gives the same polyhedron (volume,
    /// face count, every face's area and edge count by label) as the graph cell.
    #[test]
    fn random_cuts_match_the_face_loop_cell() {
        let mut seed = 11u64;
        let mut graph = GraphCell::default();
        let mut faces = ConvexCell::default();
        let mut from_graph = ConvexCell::default();
        for trial in 0..200 {
            graph.reset_cube(5.0);
            faces.reset_cube(5.0);
            for j in 0..40u32 {
                // Bisector plane of a random neighbour at distance 1..3.
                let dir = [
                    Lcg::advance(&mut seed) - 0.5,
                    Lcg::advance(&mut seed) - 0.5,
                    Lcg::advance(&mut seed) - 0.5,
                ];
                let r = 1.0 + 2.0 * Lcg::advance(&mut seed);
                let nrm = dot(dir, dir).sqrt();
                let p = dir.map(|x| x * r / nrm);
                let label = FaceLabel::Atom {
                    index: j,
                    image: [0; 3],
                };
                let c = 0.5 * dot(p, p);
                let g = graph.cut(p, c, label);
                let f = faces.cut(p, c, label);
                assert_eq!(g, GraphCut::Done(f), "trial {trial} cut {j}");
                assert_eq!(graph.max_radius_sq(), faces.max_radius_sq());
            }
            graph.to_faces(&mut from_graph);
            // The direct face pass equals the face-loop pass on the converted cell, bit for bit
            // (same formulas, same order), with and without an edge threshold.
            for min_len_sq in [0.0, 0.04] {
                let (mut sg, mut sf) = (Vec::new(), Vec::new());
                let vg = graph.face_stats(min_len_sq, &mut sg);
                let vf = from_graph.face_stats(min_len_sq, &mut sf);
                assert_eq!(vg.to_bits(), vf.to_bits());
                assert_eq!(sg, sf);
                if min_len_sq == 0.0 {
                    assert!(sg.iter().all(|f| f.long_edges == f.edges));
                }
            }
            // Same vertices, different summation order: round-off only (1e-12 relative).
            let (vg, vf) = (from_graph.volume(), faces.volume());
            assert!((vg - vf).abs() <= 1e-12 * vf, "{vg} vs {vf}");
            assert_eq!(from_graph.face_count(), faces.face_count());
            let mut a: Vec<_> = (0..faces.face_count())
                .map(|f| (faces.face_label(f), faces.face_edge_count(f, 0.0)))
                .collect();
            let mut b: Vec<_> = (0..from_graph.face_count())
                .map(|f| (from_graph.face_label(f), from_graph.face_edge_count(f, 0.0)))
                .collect();
            let key = |x: &(FaceLabel, usize)| match x.0 {
                FaceLabel::Atom { index, .. } => index as usize,
                _ => usize::MAX,
            };
            a.sort_by_key(key);
            b.sort_by_key(key);
            assert_eq!(a, b);
        }
    }

    #[test]
    fn cube_graph_is_a_closed_cube() {
        let mut g = GraphCell::default();
        g.reset_cube(1.0);
        let mut c = ConvexCell::default();
        g.to_faces(&mut c);
        // exact: 6 square faces of area 4, volume 8
        assert_eq!(c.face_count(), 6);
        assert_eq!(c.volume(), 8.0);
        for f in 0..6 {
            assert_eq!(c.face_area(f), 4.0);
        }
    }

    #[test]
    fn plane_through_a_vertex_is_degenerate_and_leaves_the_cell() {
        let mut g = GraphCell::default();
        g.reset_cube(1.0);
        // x + y ≤ 0 passes through 4 vertices and cuts the others away
        assert_eq!(
            g.cut([1.0, 1.0, 0.0], 0.0, FaceLabel::Initial),
            GraphCut::Degenerate
        );
        let mut c = ConvexCell::default();
        g.to_faces(&mut c);
        assert_eq!(c.volume(), 8.0);
        // touching only a vertex: untouched
        assert_eq!(
            g.cut([1.0, 1.0, 1.0], 3.0, FaceLabel::Initial),
            GraphCut::Done(CutOutcome::Untouched)
        );
        assert_eq!(
            g.cut([1.0, 0.0, 0.0], -2.0, FaceLabel::Initial),
            GraphCut::Done(CutOutcome::Emptied)
        );
    }
}
