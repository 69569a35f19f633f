//! A tessellation as a LAMMPS dump frame: the per-atom columns `pelkit voronoi -o` writes.

use super::error::VoronoiError;
use super::tessellate::Tessellation;
use crate::io::dump::DumpFrame;
use crate::system::System;

impl Tessellation {
    /// One output frame of `sys` (the system this tessellation was computed for): columns
    /// `id type x y z volume nfaces n3 … n{width−1} f5` (f5 = [`Tessellation::five_fold_fraction`])
    /// in the system's atom order, boundary `pp`
    /// along periodic and `ff` along non-periodic dimensions. `width` is the index width (at
    /// least [`Tessellation::index_width`]); `pelkit voronoi --all-frames` streams frames and
    /// gives each its own width, so columns `n…` may differ between frames. Also timed by
    /// `pelkit bench voronoi`.
    pub fn dump_frame(
        &self,
        sys: &System,
        timestep: u64,
        width: usize,
    ) -> Result<DumpFrame, VoronoiError> {
        let natoms = sys.natoms();
        if sys.ids.len() != natoms || sys.types.len() != natoms {
            return Err(VoronoiError::InconsistentSystem {
                natoms,
                nids: sys.ids.len(),
                ntypes: sys.types.len(),
            });
        }
        if self.volumes.len() != natoms || self.coordination.len() != natoms {
            return Err(VoronoiError::TessellationMismatch {
                cells: self.volumes.len(),
                natoms,
            });
        }
        let mut columns: Vec<(String, Vec<f64>)> = vec![
            ("id".into(), sys.ids.iter().map(|&i| i as f64).collect()),
            ("type".into(), sys.types.iter().map(|&v| v as f64).collect()),
        ];
        for (d, name) in ["x", "y", "z"].iter().enumerate() {
            columns.push((
                name.to_string(),
                sys.positions.iter().map(|p| p[d]).collect(),
            ));
        }
        columns.push(("volume".into(), self.volumes.clone()));
        columns.push((
            "nfaces".into(),
            self.coordination.iter().map(|&c| c as f64).collect(),
        ));
        for k in 3..width {
            columns.push((
                format!("n{k}"),
                (0..natoms)
                    .map(|i| self.voronoi_index(i).get(k).copied().unwrap_or(0) as f64)
                    .collect(),
            ));
        }
        columns.push((
            "f5".into(),
            (0..natoms).map(|i| self.five_fold_fraction(i)).collect(),
        ));
        // Every column has `natoms` values (checked above), so this cannot fail.
        let mut frame = DumpFrame::from_columns(timestep, sys.simbox, columns).map_err(|_| {
            VoronoiError::TessellationMismatch {
                cells: self.volumes.len(),
                natoms,
            }
        })?;
        frame.boundary = sys.simbox.periodic.map(|p| {
            if p {
                "pp".to_string()
            } else {
                "ff".to_string()
            }
        });
        Ok(frame)
    }
}
