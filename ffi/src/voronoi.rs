//! Voronoi tessellation through the C ABI: per-atom cell volume, number of faces and Voronoi
//! index ⟨n3 n4 n5 n6 n7⟩, for a periodic system or for a LAMMPS rank's owned + ghost atoms.

use pelkit_core::analysis::voronoi::{
    tessellate, tessellate_unboxed, IndexThresholds, Tessellation, UnboxedError, VoronoiOptions,
};

use crate::slices::{expect_len, local_and_ghost_atoms, output};
use crate::status::{guard, pelkit_status_t, Error};
use crate::system::{pelkit_system_t, system_ref};

/// Index entries returned per atom: n3, n4, n5, n6, n7.
pub const PELKIT_VORONOI_INDEX_WIDTH: usize = 5;

/// Thresholds for counting faces in the Voronoi index (OVITO's rules; 0 keeps every face):
/// an edge counts toward its face's order only if longer than `edge_length`; a face is kept if
/// its area exceeds max(`face_area`, `relative_face_area` × cell surface area).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct pelkit_voronoi_thresholds_t {
    /// Minimum edge length (distance units).
    pub edge_length: f64,
    /// Minimum face area (distance² units).
    pub face_area: f64,
    /// Minimum face area as a fraction of the cell surface, in [0, 1].
    pub relative_face_area: f64,
}

unsafe fn options(thresholds: *const pelkit_voronoi_thresholds_t) -> Result<VoronoiOptions, Error> {
    let mut opts = VoronoiOptions::default();
    if !thresholds.is_null() {
        let t = *thresholds;
        opts.thresholds = IndexThresholds {
            edge_length: t.edge_length,
            face_area: t.face_area,
            relative_face_area: t.relative_face_area,
        };
        opts.thresholds.validate()?;
    }
    Ok(opts)
}

/// Output buffers of a Voronoi call, for the first `n` atoms.
struct Outputs<'a> {
    volumes: &'a mut [f64],
    face_counts: &'a mut [i32],
    indices: &'a mut [i32],
}

impl<'a> Outputs<'a> {
    #[allow(clippy::too_many_arguments)]
    unsafe fn new(
        n: usize,
        volumes: *mut f64,
        volumes_len: usize,
        face_counts: *mut i32,
        face_counts_len: usize,
        indices: *mut i32,
        indices_len: usize,
    ) -> Result<Self, Error> {
        expect_len("volumes", volumes_len, n, "one per atom")?;
        expect_len("face_counts", face_counts_len, n, "one per atom")?;
        expect_len(
            "indices",
            indices_len,
            PELKIT_VORONOI_INDEX_WIDTH * n,
            "n3 n4 n5 n6 n7 per atom",
        )?;
        Ok(Outputs {
            volumes: output(volumes, volumes_len, "volumes")?,
            face_counts: output(face_counts, face_counts_len, "face_counts")?,
            indices: output(indices, indices_len, "indices")?,
        })
    }

    fn fill(self, t: &Tessellation) {
        let n = self.volumes.len();
        self.volumes.copy_from_slice(&t.volumes[..n]);
        for (o, &c) in self.face_counts.iter_mut().zip(&t.face_counts) {
            *o = c as i32;
        }
        for (i, row) in self
            .indices
            .chunks_exact_mut(PELKIT_VORONOI_INDEX_WIDTH)
            .enumerate()
        {
            let index = t.voronoi_index(i);
            for (k, o) in row.iter_mut().enumerate() {
                *o = index.get(k + 3).copied().unwrap_or(0) as i32;
            }
        }
    }
}

/// Voronoi tessellation of a system (periodic where its box is, box walls elsewhere, as LAMMPS
/// `compute voronoi/atom`). Per atom, in the system's order: `volumes` (distance³),
/// `face_counts` (all faces, no thresholds: `voronoi/atom` column 2) and `indices`
/// (n3 n4 n5 n6 n7 with `thresholds`; NULL thresholds keep every face).
///
/// Ownership: `system` and `thresholds` are borrowed; outputs are written only on success.
///
/// # Safety
/// `system` must be a live handle; each output valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_system_voronoi(
    system: *const pelkit_system_t,
    thresholds: *const pelkit_voronoi_thresholds_t,
    volumes: *mut f64,
    volumes_len: usize,
    face_counts: *mut i32,
    face_counts_len: usize,
    indices: *mut i32,
    indices_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let s = system_ref(system)?;
        let opts = options(thresholds)?;
        let out = Outputs::new(
            s.natoms(),
            volumes,
            volumes_len,
            face_counts,
            face_counts_len,
            indices,
            indices_len,
        )?;
        let t = crate::threads::run(|| tessellate(s, &opts))?;
        out.fill(&t);
        Ok(())
    })
}

/// Voronoi cells of the first `nlocal` of `nall` atoms given without a box: a LAMMPS rank's owned
/// atoms followed by its ghost atoms (`types`: nall values, `positions`: 3·nall). The atoms are
/// tessellated inside their bounding box (walls 1 distance unit beyond the outermost atoms);
/// owned cells are exact when the ghost shell is thicker than the cells' reach (as for LAMMPS
/// `compute voronoi/atom`). Outputs as `pelkit_system_voronoi`, for `nlocal` atoms.
///
/// Ownership: all buffers are borrowed; outputs are written only on success.
///
/// # Safety
/// Each pointer must be valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_voronoi_local(
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    nlocal: usize,
    thresholds: *const pelkit_voronoi_thresholds_t,
    volumes: *mut f64,
    volumes_len: usize,
    face_counts: *mut i32,
    face_counts_len: usize,
    indices: *mut i32,
    indices_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let (t, x) = local_and_ghost_atoms(types, types_len, positions, positions_len, nlocal)?;
        let nall = t.len();
        let opts = options(thresholds)?;
        let out = Outputs::new(
            nlocal,
            volumes,
            volumes_len,
            face_counts,
            face_counts_len,
            indices,
            indices_len,
        )?;
        if nall == 0 {
            return Ok(());
        }
        let types: Vec<u32> = t.iter().map(|&ty| ty.max(1) as u32).collect();
        let tess =
            crate::threads::run(|| tessellate_unboxed(types, x, &opts)).map_err(|e| match e {
                UnboxedError::NonFinite(e) => Error::InvalidParameter(e.to_string()),
                UnboxedError::Box(e) => Error::Box(e),
                UnboxedError::Voronoi(e) => Error::Voronoi(e),
            })?;
        out.fill(&tess);
        Ok(())
    })
}
