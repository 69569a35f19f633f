//! Coordinates of a dump frame in one consistent representation, whatever columns the dump has
//! (`x y z`, `xs ys zs`, `xu yu zu`, `xsu ysu zsu`, with or without `ix iy iz`), and the
//! conversion of a frame to a [`System`].

use crate::geometry::SimBox;
use crate::io::FormatError;
use crate::system::System;

use super::{DumpFrame, FrameError};

/// Wrapped positions and their image flags, one entry per atom.
pub type PositionsAndImages = (Vec<[f64; 3]>, Vec<[i32; 3]>);

/// Which coordinate columns a frame's positions come from, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coordinates {
    /// `x y z`: Cartesian as LAMMPS stores them (wrapped at the last reneighboring).
    Wrapped,
    /// `xs ys zs`: fractional (lamda) coordinates of the wrapped positions.
    Scaled,
    /// `xu yu zu`: unwrapped Cartesian.
    Unwrapped,
    /// `xsu ysu zsu`: unwrapped fractional.
    ScaledUnwrapped,
}

impl Coordinates {
    pub const ALL: [Coordinates; 4] = [
        Coordinates::Wrapped,
        Coordinates::Scaled,
        Coordinates::Unwrapped,
        Coordinates::ScaledUnwrapped,
    ];

    /// Column names of this representation.
    pub fn columns(self) -> [&'static str; 3] {
        match self {
            Coordinates::Wrapped => ["x", "y", "z"],
            Coordinates::Scaled => ["xs", "ys", "zs"],
            Coordinates::Unwrapped => ["xu", "yu", "zu"],
            Coordinates::ScaledUnwrapped => ["xsu", "ysu", "zsu"],
        }
    }
}

fn zip3(a: &[f64], b: &[f64], c: &[f64]) -> Vec<[f64; 3]> {
    a.iter()
        .zip(b)
        .zip(c)
        .map(|((&x, &y), &z)| [x, y, z])
        .collect()
}

impl DumpFrame {
    /// The coordinate representations present in this frame (all three columns of each).
    pub fn coordinates(&self) -> Vec<Coordinates> {
        Coordinates::ALL
            .into_iter()
            .filter(|c| c.columns().iter().all(|n| self.column(n).is_some()))
            .collect()
    }

    /// The raw three columns of `rep`, or `None` if the frame lacks one of them.
    pub fn raw_coordinates(&self, rep: Coordinates) -> Option<Vec<[f64; 3]>> {
        let [a, b, c] = rep.columns();
        Some(zip3(self.column(a)?, self.column(b)?, self.column(c)?))
    }

    /// Image flags `ix iy iz`, if the frame has them.
    pub fn image_flags(&self) -> Option<Vec<[i32; 3]>> {
        let (a, b, c) = (self.column("ix")?, self.column("iy")?, self.column("iz")?);
        // Integrality and range were checked when the frame was parsed.
        Some(
            a.iter()
                .zip(b)
                .zip(c)
                .map(|((&x, &y), &z)| [x as i32, y as i32, z as i32])
                .collect(),
        )
    }

    fn no_coordinates(&self) -> FrameError {
        FrameError::NoCoordinates {
            timestep: self.timestep,
            found: self.columns.join(" "),
        }
    }

    /// Wrapped Cartesian positions with image flags, as LAMMPS stores them.
    ///
    /// * `x y z` are returned as written (atoms may sit slightly outside the box between
    ///   reneighborings, as in LAMMPS); `xs ys zs` are converted with `lamda2x`. Image flags come
    ///   from `ix iy iz`, or are zero when the dump has none.
    /// * `xu yu zu` and `xsu ysu zsu` are wrapped into the box along periodic dimensions with
    ///   `Domain::remap`, which yields the image flags.
    pub fn wrapped_positions(&self) -> Result<PositionsAndImages, FrameError> {
        let b = &self.simbox;
        let images = self.image_flags();
        let zero = || vec![[0; 3]; self.natoms()];
        if let Some(x) = self.raw_coordinates(Coordinates::Wrapped) {
            return Ok((x, images.unwrap_or_else(zero)));
        }
        if let Some(s) = self.raw_coordinates(Coordinates::Scaled) {
            let x = s.iter().map(|&s| b.to_cartesian(s)).collect();
            return Ok((x, images.unwrap_or_else(zero)));
        }
        let unwrapped = self.unwrapped_only().ok_or_else(|| self.no_coordinates())?;
        // Image flags are 32-bit integers (LAMMPS packs them in 10 or 21 bits): refuse
        // positions so far away that counting the periods would overflow.
        if let Some(i) = unwrapped
            .iter()
            .position(|&u| b.to_fractional(u).iter().any(|s| s.abs() > 1e9))
        {
            return Err(FrameError::ImageOverflow {
                id: self.ids.get(i).copied().unwrap_or(0),
                timestep: self.timestep,
            });
        }
        let mut images = zero();
        let x = unwrapped
            .iter()
            .zip(images.iter_mut())
            .map(|(&u, im)| b.wrap(u, im))
            .collect();
        Ok((x, images))
    }

    /// Unwrapped Cartesian positions: `xu yu zu` as written, `xsu` converted with `lamda2x`,
    /// else wrapped positions unwrapped with their image flags (LAMMPS' `xu` formula; image
    /// flags of zero when the dump has none).
    pub fn unwrapped_positions(&self) -> Result<Vec<[f64; 3]>, FrameError> {
        if let Some(u) = self.unwrapped_only() {
            return Ok(u);
        }
        let (x, images) = self.wrapped_positions()?;
        Ok(x.iter()
            .zip(&images)
            .map(|(&x, &im)| self.simbox.unwrap(x, im))
            .collect())
    }

    /// Unwrapped Cartesian positions computed from the columns of one representation only
    /// (`None` if the frame lacks them): `x + image·h`, `lamda2x(xs) + image·h`, `xu`, or
    /// `lamda2x(xsu)`, with LAMMPS' formulas; image flags are zero when the dump has none.
    pub fn unwrapped_positions_from(&self, rep: Coordinates) -> Option<Vec<[f64; 3]>> {
        let b = &self.simbox;
        let raw = self.raw_coordinates(rep)?;
        let images = self
            .image_flags()
            .unwrap_or_else(|| vec![[0; 3]; self.natoms()]);
        Some(match rep {
            Coordinates::Wrapped => raw
                .iter()
                .zip(&images)
                .map(|(&x, &im)| b.unwrap(x, im))
                .collect(),
            Coordinates::Scaled => raw
                .iter()
                .zip(&images)
                .map(|(&s, &im)| b.unwrap(b.to_cartesian(s), im))
                .collect(),
            Coordinates::Unwrapped => raw,
            Coordinates::ScaledUnwrapped => raw.iter().map(|&s| b.to_cartesian(s)).collect(),
        })
    }

    fn unwrapped_only(&self) -> Option<Vec<[f64; 3]>> {
        if let Some(u) = self.raw_coordinates(Coordinates::Unwrapped) {
            return Some(u);
        }
        let b: &SimBox = &self.simbox;
        self.raw_coordinates(Coordinates::ScaledUnwrapped)
            .map(|s| s.iter().map(|&s| b.to_cartesian(s)).collect())
    }

    /// The frame as a [`System`] in file order: wrapped positions with image flags (see
    /// [`DumpFrame::wrapped_positions`]), `type` (1 when absent), velocities from `vx vy vz`
    /// and charges from `q` when present. Atom ids must be unique.
    pub fn to_system(&self) -> Result<System, FormatError> {
        let invalid = |m: String| FormatError::Invalid {
            path: std::path::PathBuf::from(format!("<dump frame at timestep {}>", self.timestep)),
            message: m,
        };
        let (positions, images) = self
            .wrapped_positions()
            .map_err(|e| invalid(e.to_string()))?;
        let mut sorted = self.ids.clone();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(invalid(format!("atom id {} appears more than once", w[0])));
        }
        let types: Vec<u32> = match self.column("type") {
            Some(t) => t.iter().map(|&t| t as u32).collect(),
            None => vec![1; self.natoms()],
        };
        let mut sys = System::new(self.simbox, self.ids.clone(), types, positions);
        sys.images = images;
        if let (Some(a), Some(b), Some(c)) =
            (self.column("vx"), self.column("vy"), self.column("vz"))
        {
            sys.velocities = Some(zip3(a, b, c));
        }
        sys.charges = self.column("q").map(<[f64]>::to_vec);
        Ok(sys)
    }
}
