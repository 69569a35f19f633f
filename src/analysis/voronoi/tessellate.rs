//! The tessellation driver: validates input, bins the atoms, computes each atom's cell in
//! parallel (rayon, one reusable cell per worker; results independent of thread count) and
//! collects volumes, faces and Voronoi indices.

use rayon::prelude::*;

use super::bins::BinGrid;
use super::cell::{ConvexCell, CutOutcome, FaceLabel, FaceStat};
use super::error::VoronoiError;
use super::graph::{GraphCell, GraphCut};
use super::indices::{IndexThresholds, MAX_FACE_ORDER};
use crate::system::System;

/// Monodisperse (bisector planes) or radical (power diagram) tessellation.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Radii {
    /// Plain Voronoi: bisector planes.
    #[default]
    Monodisperse,
    /// Radius per atom type, index `type − 1`.
    PerType(Vec<f64>),
    /// Radius per atom, in the system's atom order.
    PerAtom(Vec<f64>),
}

/// What to compute.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoronoiOptions {
    pub radii: Radii,
    pub thresholds: IndexThresholds,
    /// Keep every face (neighbour, area, edge count) of every cell in [`Tessellation::faces`].
    pub keep_faces: bool,
}

/// One face of a cell (all faces, before thresholds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoronoiFace {
    /// The neighbour atom (index into the system and periodic image relative to the atom, both
    /// wrapped into the box) or the box wall that made the face.
    pub neighbour: FaceLabel,
    pub area: f64,
    /// Number of edges (all of them, no edge threshold).
    pub edges: u32,
}

/// Per-atom results, in the system's atom order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tessellation {
    /// Cell volumes (distance³). 0 for an atom whose radical cell is empty.
    pub volumes: Vec<f64>,
    /// Cell surface areas (sum of all face areas).
    pub surface_areas: Vec<f64>,
    /// All faces, no thresholds: LAMMPS `compute voronoi/atom` column 2.
    pub face_counts: Vec<u32>,
    /// Faces kept by the thresholds (OVITO's coordination).
    pub coordination: Vec<u32>,
    /// Entries per atom in `indices`; entry k counts kept faces with k edges (≥ 7, so n3…n6
    /// always exist).
    pub index_width: usize,
    /// Voronoi indices, flat with stride `index_width`.
    pub indices: Vec<u32>,
    /// CSR face lists when requested: faces of atom i are `faces[face_offsets[i]..face_offsets[i+1]]`.
    pub face_offsets: Vec<usize>,
    pub faces: Vec<VoronoiFace>,
}

impl Tessellation {
    /// The Voronoi index of atom i (entry k = faces with k edges); empty if i is out of range.
    pub fn voronoi_index(&self, i: usize) -> &[u32] {
        self.indices
            .get(i * self.index_width..(i + 1) * self.index_width)
            .unwrap_or(&[])
    }

    /// Five-fold fraction f5 = n5 / Σ_k n_k of atom i: the share of its kept faces that are
    /// pentagons (Σ_k n_k is OVITO's `Coordination`, n5 its `Voronoi Index` entry 5; OVITO
    /// has no f5 property). 0 for a cell without kept faces or i out of range.
    pub fn five_fold_fraction(&self, i: usize) -> f64 {
        let index = self.voronoi_index(i);
        let total: u32 = index.iter().sum();
        if total == 0 {
            0.0
        } else {
            index[5] as f64 / total as f64
        }
    }
}

struct AtomCell {
    volume: f64,
    surface: f64,
    face_count: u32,
    coordination: u32,
    orders: [u16; MAX_FACE_ORDER + 1],
    faces: Vec<VoronoiFace>,
}

/// Shared, read-only data of one tessellation.
struct Context<'a> {
    sys: &'a System,
    grid: BinGrid,
    radii: Option<Vec<f64>>,
    max_radius: f64,
    start_radius: f64,
    cube_half: f64,
    opts: &'a VoronoiOptions,
    wall_normals: [[f64; 3]; 3],
}

/// A neighbour candidate: squared distance, vector from the atom, atom index, image.
#[derive(Clone, Copy)]
struct Candidate {
    r2: f64,
    p: [f64; 3],
    j: u32,
    image: [i32; 3],
}

/// A worker's cell: the vertex–edge graph until a cut is degenerate, then (for the rest of
/// that atom) the face-loop cell, which also serves the final face/area/volume pass.
#[derive(Default)]
struct CellBuilder {
    graph: GraphCell,
    loops: ConvexCell,
    in_loops: bool,
}

impl CellBuilder {
    fn reset_cube(&mut self, h: f64) {
        self.graph.reset_cube(h);
        self.in_loops = false;
    }

    #[inline]
    fn cut(&mut self, p: [f64; 3], c: f64, label: FaceLabel) -> CutOutcome {
        if !self.in_loops {
            match self.graph.cut(p, c, label) {
                GraphCut::Done(outcome) => return outcome,
                GraphCut::Degenerate => {
                    self.graph.to_faces(&mut self.loops);
                    self.in_loops = true;
                }
            }
        }
        self.loops.cut(p, c, label)
    }

    #[inline]
    fn max_radius_sq(&self) -> f64 {
        if self.in_loops {
            self.loops.max_radius_sq()
        } else {
            self.graph.max_radius_sq()
        }
    }

    /// Every face's label, area and edge counts (edges longer than `min_len_sq`^½ counted
    /// apart) into `out`; returns the volume.
    fn face_stats(&mut self, min_len_sq: f64, out: &mut Vec<FaceStat>) -> f64 {
        if self.in_loops {
            self.loops.face_stats(min_len_sq, out)
        } else {
            self.graph.face_stats(min_len_sq, out)
        }
    }
}

#[derive(Default)]
struct Worker {
    cell: CellBuilder,
    batch: Vec<Candidate>,
    /// Bins (flat index, periodic image) of the current search shell.
    bins: Vec<(usize, [i32; 3])>,
    /// Faces of the finished cell.
    stats: Vec<FaceStat>,
}

/// Tessellate `sys` on the current rayon pool. Fails with the first (lowest-index) atom whose
/// cell cannot be built.
pub fn tessellate(sys: &System, opts: &VoronoiOptions) -> Result<Tessellation, VoronoiError> {
    let n = sys.natoms();
    if sys.ids.len() != n || sys.types.len() != n {
        return Err(VoronoiError::InconsistentSystem {
            natoms: n,
            nids: sys.ids.len(),
            ntypes: sys.types.len(),
        });
    }
    opts.thresholds.validate()?;
    let radii = resolve_radii(sys, &opts.radii)?;
    let b = &sys.simbox;
    let mut fractional = Vec::with_capacity(n);
    for (i, x) in sys.positions.iter().enumerate() {
        if !x.iter().all(|v| v.is_finite()) {
            return Err(VoronoiError::NonFinitePosition {
                id: sys.ids[i],
                position: *x,
            });
        }
        let s = b.to_fractional(*x);
        for d in 0..3 {
            if !b.periodic[d] && !(0.0..=1.0).contains(&s[d]) {
                return Err(VoronoiError::AtomOutsideBox {
                    id: sys.ids[i],
                    axis: ['x', 'y', 'z'][d],
                    fractional: s[d],
                });
            }
        }
        fractional.push(s);
    }
    // Typical cell radius: Wigner–Seitz radius of the mean volume per atom. Nearly all cells of
    // dense liquids/glasses close within 2·R_max ≤ 3 r_ws (measured on a Cu–Zr-like packing:
    // 95% in one round), so that is the first search radius.
    let r_ws = (3.0 * b.volume() / (4.0 * std::f64::consts::PI * n.max(1) as f64)).cbrt();
    let start_radius = 3.0 * r_ws;
    let grid = BinGrid::new(b, &fractional, 2.0);
    let edges = b.edge_vectors();
    let norm = |v: [f64; 3]| (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    let cube_half = 1.01 * (norm(edges[0]) + norm(edges[1]) + norm(edges[2]));
    let hi = b.h_inv();
    let wall_normals = [
        [hi[0], hi[5], hi[4]],
        [0.0, hi[1], hi[3]],
        [0.0, 0.0, hi[2]],
    ];
    let max_radius = radii
        .as_ref()
        .map(|r| r.iter().copied().fold(0.0, f64::max))
        .unwrap_or(0.0);
    let ctx = Context {
        sys,
        grid,
        radii,
        max_radius,
        start_radius,
        cube_half,
        opts,
        wall_normals,
    };
    // Cells are computed in bin order, so consecutive atoms share neighbourhoods (cache), then
    // reported in the system's order.
    let cells: Vec<Result<AtomCell, VoronoiError>> = ctx
        .grid
        .atoms
        .par_iter()
        .map_init(Worker::default, |w, &i| {
            w.compute(&ctx, i as usize, &fractional[i as usize])
        })
        .collect();
    let mut slot_of = vec![0usize; n];
    for (slot, &i) in ctx.grid.atoms.iter().enumerate() {
        slot_of[i as usize] = slot;
    }
    let mut out = Tessellation {
        volumes: Vec::with_capacity(n),
        surface_areas: Vec::with_capacity(n),
        face_counts: Vec::with_capacity(n),
        coordination: Vec::with_capacity(n),
        ..Default::default()
    };
    let mut width = 7usize;
    for &slot in &slot_of {
        match &cells[slot] {
            Err(e) => return Err(e.clone()),
            Ok(c) => {
                if let Some(k) = c.orders.iter().rposition(|&x| x > 0) {
                    width = width.max(k + 1);
                }
            }
        }
    }
    out.index_width = width;
    out.indices.reserve(n * width);
    if opts.keep_faces {
        out.face_offsets.reserve(n + 1);
        out.face_offsets.push(0);
    }
    for c in slot_of.iter().filter_map(|&slot| cells[slot].as_ref().ok()) {
        out.volumes.push(c.volume);
        out.surface_areas.push(c.surface);
        out.face_counts.push(c.face_count);
        out.coordination.push(c.coordination);
        out.indices
            .extend(c.orders[..width].iter().map(|&x| u32::from(x)));
        if opts.keep_faces {
            out.faces.extend_from_slice(&c.faces);
            out.face_offsets.push(out.faces.len());
        }
    }
    Ok(out)
}

fn resolve_radii(sys: &System, radii: &Radii) -> Result<Option<Vec<f64>>, VoronoiError> {
    let check = |what: String, v: f64| {
        if v.is_finite() && v >= 0.0 {
            Ok(v)
        } else {
            Err(VoronoiError::BadRadius { what, value: v })
        }
    };
    match radii {
        Radii::Monodisperse => Ok(None),
        Radii::PerType(r) => {
            let mut out = Vec::with_capacity(sys.natoms());
            for (i, &t) in sys.types.iter().enumerate() {
                let v = t.checked_sub(1).and_then(|k| r.get(k as usize)).ok_or(
                    VoronoiError::MissingTypeRadius {
                        atom_type: t,
                        id: sys.ids[i],
                    },
                )?;
                out.push(check(format!("atom type {t}"), *v)?);
            }
            Ok(Some(out))
        }
        Radii::PerAtom(r) => {
            if r.len() != sys.natoms() {
                return Err(VoronoiError::RadiusCount {
                    given: r.len(),
                    natoms: sys.natoms(),
                });
            }
            for (i, &v) in r.iter().enumerate() {
                check(format!("atom {}", sys.ids[i]), v)?;
            }
            Ok(Some(r.clone()))
        }
    }
}

impl Worker {
    fn compute(&mut self, ctx: &Context, i: usize, s: &[f64; 3]) -> Result<AtomCell, VoronoiError> {
        let id = ctx.sys.ids[i];
        let b = &ctx.sys.simbox;
        let grid = &ctx.grid;
        let ri2 = ctx.radii.as_ref().map_or(0.0, |r| r[i] * r[i]);
        let rmax2 = ctx.max_radius * ctx.max_radius;
        self.cell.reset_cube(ctx.cube_half);
        let mut emptied = false;
        for (d, &sd) in s.iter().enumerate() {
            if !b.periodic[d] {
                let nrm = ctx.wall_normals[d];
                let neg = [-nrm[0], -nrm[1], -nrm[2]];
                let (lo, hi) = (
                    FaceLabel::Wall {
                        dim: d as u8,
                        upper: false,
                    },
                    FaceLabel::Wall {
                        dim: d as u8,
                        upper: true,
                    },
                );
                emptied |= self.cell.cut(neg, sd, lo) == CutOutcome::Emptied;
                emptied |= self.cell.cut(nrm, 1.0 - sd, hi) == CutOutcome::Emptied;
            }
        }
        if emptied {
            return Err(VoronoiError::CellNotClosed { id });
        }
        let x = grid.wrapped[i];
        let bin = grid.atom_bin[i];
        let f = grid.atom_in_bin[i];
        // Neighbours closer than `done` have all been cut; this round cuts those in
        // [done, radius), nearest first. Usually one round suffices (start_radius ≈ 2·R_max).
        let mut done = 0.0f64;
        let mut radius = ctx.start_radius;
        loop {
            self.batch.clear();
            let shell = (done * done, radius * radius);
            grid.bins_within(bin, f, radius, &mut self.bins);
            for slot in 0..self.bins.len() {
                let (k, image) = self.bins[slot];
                self.collect(ctx, i, x, k, image, shell)?;
            }
            self.batch.sort_unstable_by(|a, b| {
                a.r2.total_cmp(&b.r2)
                    .then(a.j.cmp(&b.j))
                    .then(a.image.cmp(&b.image))
            });
            for c in &self.batch {
                let rj2 = ctx.radii.as_ref().map_or(0.0, |r| r[c.j as usize].powi(2));
                let label = FaceLabel::Atom {
                    index: c.j,
                    image: c.image,
                };
                if self.cell.cut(c.p, 0.5 * (c.r2 + ri2 - rj2), label) == CutOutcome::Emptied {
                    emptied = true;
                    break;
                }
            }
            if emptied {
                break;
            }
            let m2 = self.cell.max_radius_sq();
            let need = if ctx.radii.is_some() {
                let m = m2.sqrt();
                m + (m2 + rmax2 - ri2).max(0.0).sqrt()
            } else {
                2.0 * m2.sqrt()
            };
            if need <= radius {
                break;
            }
            done = radius;
            // At most double the shell per round: a cell still open to the initial cube (an
            // atom beside a void) reports a `need` of the cube's size, and jumping straight to
            // it would collect and sort thousands of periodic images per atom; nearer shells
            // close the cell first. Cuts stay nearest-first across rounds, so the cell is
            // the same.
            radius = (need * (1.0 + 1e-12)).min(2.0 * radius);
        }
        if emptied {
            // Only possible in radical mode: the atom's power cell is empty (volume 0).
            return Ok(AtomCell {
                volume: 0.0,
                surface: 0.0,
                face_count: 0,
                coordination: 0,
                orders: [0; MAX_FACE_ORDER + 1],
                faces: Vec::new(),
            });
        }
        self.finish(ctx, id)
    }

    /// Add the atoms of flat bin `k` seen through periodic `image` with squared distance in
    /// `[shell.0, shell.1)` to the batch.
    #[inline]
    fn collect(
        &mut self,
        ctx: &Context,
        i: usize,
        x: [f64; 3],
        k: usize,
        image: [i32; 3],
        shell: (f64, f64),
    ) -> Result<(), VoronoiError> {
        let grid = &ctx.grid;
        let shift = if image == [0; 3] {
            [0.0; 3]
        } else {
            ctx.sys.simbox.image_shift(image)
        };
        for slot in grid.bin_range(k) {
            let j = grid.atoms[slot];
            let y = grid.positions[slot];
            let p = [
                y[0] + shift[0] - x[0],
                y[1] + shift[1] - x[1],
                y[2] + shift[2] - x[2],
            ];
            let r2 = p[0] * p[0] + p[1] * p[1] + p[2] * p[2];
            if r2 >= shell.1 || r2 < shell.0 || (j as usize == i && image == [0; 3]) {
                continue;
            }
            if r2 == 0.0 {
                return Err(VoronoiError::CoincidentAtoms {
                    id: ctx.sys.ids[i],
                    other_id: ctx.sys.ids[j as usize],
                });
            }
            self.batch.push(Candidate { r2, p, j, image });
        }
        Ok(())
    }

    /// Volume, areas and indices of the finished cell; an error if the cell still has a face
    /// of the initial cube.
    fn finish(&mut self, ctx: &Context, id: u64) -> Result<AtomCell, VoronoiError> {
        let t = &ctx.opts.thresholds;
        let edge2 = t.edge_length * t.edge_length;
        let volume = self.cell.face_stats(edge2, &mut self.stats);
        if self.stats.iter().any(|f| f.label == FaceLabel::Initial) {
            return Err(VoronoiError::CellNotClosed { id });
        }
        let surface: f64 = self.stats.iter().map(|f| f.area).sum();
        let thr = t.area_threshold(surface);
        let mut orders = [0u16; MAX_FACE_ORDER + 1];
        let mut coordination = 0u32;
        let mut faces = Vec::new();
        if ctx.opts.keep_faces {
            faces.reserve(self.stats.len());
        }
        for f in &self.stats {
            let order = f.long_edges as usize;
            if t.keeps(thr, f.area, order) {
                coordination += 1;
                orders[order.min(MAX_FACE_ORDER)] += 1;
            }
            if ctx.opts.keep_faces {
                faces.push(VoronoiFace {
                    neighbour: f.label,
                    area: f.area,
                    edges: f.edges,
                });
            }
        }
        Ok(AtomCell {
            volume,
            surface,
            face_count: self.stats.len() as u32,
            coordination,
            orders,
            faces,
        })
    }
}
