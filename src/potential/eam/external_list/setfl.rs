//! The EAM potential of `pair_coeff * * file El1 … ElN` for a setfl or Finnis–Sinclair file,
//! with the file layout given or detected (used by the LAMMPS plugin and the C ABI).

use std::path::Path;

use crate::io::eam_file::{read_any, read_fs, read_setfl, EamFile, Setfl};
use crate::potential::eam::Eam;
use crate::potential::PotentialError;

/// Which file layout [`eam_from_setfl_file`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetflLayout {
    /// Detect from the content (then the file name), as `pelkit check` does.
    Detect,
    /// `eam/alloy` (setfl).
    Alloy,
    /// `eam/fs` (Finnis–Sinclair).
    FinnisSinclair,
}

/// The EAM potential of `pair_coeff * * path El1 … ElN` for a setfl (`eam/alloy`) or
/// Finnis–Sinclair (`eam/fs`) file: one element name per atom type, in type order. Returns the
/// potential and the LAMMPS style whose tables it reproduces (`"eam/alloy"` or `"eam/fs"`).
pub fn eam_from_setfl_file(
    path: &Path,
    elements: &[&str],
    layout: SetflLayout,
) -> Result<(Eam, &'static str), PotentialError> {
    let file: Setfl = match layout {
        SetflLayout::Alloy => read_setfl(path)?,
        SetflLayout::FinnisSinclair => read_fs(path)?,
        SetflLayout::Detect => match read_any(path)? {
            EamFile::Setfl(s) => s,
            EamFile::Funcfl(_) => {
                return Err(PotentialError::BadArguments {
                    command: "pair_coeff",
                    args: path.display().to_string(),
                    message: "this is a funcfl (pair_style eam) file; setfl (eam/alloy) and \
                              Finnis-Sinclair (eam/fs) files are supported"
                        .into(),
                })
            }
        },
    };
    let mut map = Vec::with_capacity(elements.len());
    for name in elements {
        if *name == "NULL" {
            return Err(PotentialError::BadArguments {
                command: "pair_coeff",
                args: elements.join(" "),
                message: "NULL (pair_style hybrid) is not supported: every type needs an element"
                    .into(),
            });
        }
        match file.elements.iter().position(|e| e.name == *name) {
            Some(k) => map.push(k),
            None => {
                return Err(PotentialError::UnknownElement {
                    element: name.to_string(),
                    available: file
                        .elements
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                })
            }
        }
    }
    let style = if file.finnis_sinclair {
        "eam/fs"
    } else {
        "eam/alloy"
    };
    Ok((Eam::from_setfl(&file, &map)?, style))
}
