//! Single-atom probes of a LAMMPS rank's owned atoms through the C ABI
//! (`pelkit::analysis::probe`): per owned atom Ω(dE_atom < 0)/4π over a (θ, φ) grid and the
//! minimum of dE_atom over the grid, at one dr.

use pelkit_core::analysis::probe::per_atom::ScanOptions;
use pelkit_core::analysis::probe::{scan_atoms, Directions, LocalProbe};

use crate::potential::{pelkit_potential_t, potential_and_atoms};
use crate::slices::{expect_len, lammps_types, output, padded_system, positive_finite};
use crate::status::{guard, pelkit_status_t, Error};

/// Values returned per atom by `pelkit_potential_local_probes`: Ω/4π, min dE_atom.
pub const PELKIT_PROBE_WIDTH: usize = 2;

/// Probe each of the first `nlocal` of `nall` atoms given without a box (a LAMMPS rank's owned
/// atoms followed by its ghost atoms): move it by `dr` along each direction of the
/// `ntheta × nphi` (θ, φ) grid at cell centres with every other atom fixed; `probes` receives per
/// owned atom Ω(dE_atom < 0)/4π (solid-angle weights of the grid cells) and the smallest
/// dE_atom (energy units; dE_atom is the change of the atom's LAMMPS `pe/atom`).
///
/// Exact when every atom within cutoff + dr of an owned atom is among the `nall`. `types`: nall
/// values ≥ 1, `positions`: 3·nall, `probes`: 2·nlocal. `dr` must be positive and finite.
///
/// Ownership: all buffers are borrowed; `probes` is written only on success.
///
/// # Safety
/// `potential` must be a live handle; each pointer valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_potential_local_probes(
    potential: *const pelkit_potential_t,
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    nlocal: usize,
    dr: f64,
    ntheta: usize,
    nphi: usize,
    probes: *mut f64,
    probes_len: usize,
) -> pelkit_status_t {
    guard(|| {
        let atoms = (types, types_len, positions, positions_len, nlocal);
        let (p, t, x) = potential_and_atoms(potential, atoms)?;
        let nall = t.len();
        positive_finite("dr", dr)?;
        let dirs =
            Directions::grid(ntheta, nphi).map_err(|e| Error::InvalidParameter(e.to_string()))?;
        expect_len(
            "probes",
            probes_len,
            PELKIT_PROBE_WIDTH * nlocal,
            "2 per owned atom",
        )?;
        let out = output(probes, probes_len, "probes")?;
        if nall == 0 || nlocal == 0 {
            return Ok(());
        }
        lammps_types(t)?;
        // Periodic box padded by cutoff + dr on each side: periodic images never interact.
        let padded = padded_system(t, x, p.cutoff() + 2.0 * dr)?;
        let owned: Vec<usize> = (0..nlocal).collect();
        let scan = crate::threads::run(|| {
            let probe = LocalProbe::new(&padded, p, dr)
                .map_err(|e| Error::Analysis(format!("probe: {e}")))?;
            scan_atoms(
                &probe,
                &owned,
                &dirs,
                &[dr],
                ScanOptions { with_system: false },
                &|_| {},
            )
            .map_err(|e| Error::Analysis(format!("probe: {e}")))
        })?;
        for (row, a) in out.chunks_exact_mut(PELKIT_PROBE_WIDTH).zip(&scan.atoms) {
            row[0] = a.omega[0];
            row[1] = a.de_atom_min[0];
        }
        Ok(())
    })
}
