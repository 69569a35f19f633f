//! Atomic-level stress of a LAMMPS rank's owned atoms through the C ABI: the potential's per-atom
//! virial divided by the atom's Voronoi volume (`pelkit::analysis::atomic_stress`).

use pelkit_core::analysis::atomic_stress::atomic_stresses;
use pelkit_core::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit_core::{SimBox, System};

use crate::potential::pelkit_potential_t;
use crate::slices::{as_rows, expect_len, input, output};
use crate::status::{check_pointer, guard, pelkit_status_t, Error};

/// Values returned per atom by `pelkit_potential_local_stresses`: σxx σyy σzz σxy σxz σyz, p, τ.
pub const PELKIT_STRESS_WIDTH: usize = 8;

/// Bounding box of finite positions, or the index of the first non-finite one.
fn bounds(x: &[[f64; 3]]) -> Result<([f64; 3], [f64; 3]), Error> {
    let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
    for (i, r) in x.iter().enumerate() {
        if !r.iter().all(|v| v.is_finite()) {
            return Err(Error::InvalidParameter(format!(
                "position {i} is not finite: {r:?}"
            )));
        }
        for d in 0..3 {
            lo[d] = lo[d].min(r[d]);
            hi[d] = hi[d].max(r[d]);
        }
    }
    Ok((lo, hi))
}

/// Atomic-level stress of the first `nlocal` of `nall` atoms given without a box (a LAMMPS rank's
/// owned atoms followed by its ghost atoms): per owned atom, `stresses` receives 8 values
/// σxx σyy σzz σxy σxz σyz (pressure units, positive = tension), the atomic pressure
/// p = −tr(σ)/3 and the von Mises shear stress τ = √J₂. σ = S/Ω with S = −`nktv2p`·W the
/// potential part of LAMMPS `compute stress/atom NULL virial` (W: the atom's share of the
/// virial of `potential`) and Ω the atom's Voronoi volume (as `pelkit_voronoi_local`, all faces).
///
/// Exact when every atom within twice the potential cutoff of an owned atom is among the `nall`
/// (the per-atom virial of an EAM atom involves the densities of its neighbours) and the ghost
/// shell bounds every owned Voronoi cell. `nktv2p` is LAMMPS' `force->nktv2p` (1.6021765e6 bar
/// per eV/Å³ in metal units). `types`: nall values ≥ 1, `positions`: 3·nall,
/// `stresses`: 8·nlocal.
///
/// Ownership: all buffers are borrowed; `stresses` is written only on success.
///
/// # Safety
/// `potential` must be a live handle; each pointer valid for the length after it.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn pelkit_potential_local_stresses(
    potential: *const pelkit_potential_t,
    types: *const i32,
    types_len: usize,
    positions: *const f64,
    positions_len: usize,
    nlocal: usize,
    nktv2p: f64,
    stresses: *mut f64,
    stresses_len: usize,
) -> pelkit_status_t {
    guard(|| {
        check_pointer!(potential);
        let p = &(*potential).potential;
        let t = input(types, types_len, "types")?;
        let nall = t.len();
        expect_len("positions", positions_len, 3 * nall, "3 per atom")?;
        let x = as_rows(input(positions, positions_len, "positions")?, "positions")?;
        if nlocal > nall {
            return Err(Error::InvalidParameter(format!(
                "nlocal = {nlocal} exceeds the {nall} atoms given"
            )));
        }
        if !(nktv2p.is_finite() && nktv2p > 0.0) {
            return Err(Error::InvalidParameter(format!(
                "nktv2p = {nktv2p} (must be positive)"
            )));
        }
        expect_len(
            "stresses",
            stresses_len,
            PELKIT_STRESS_WIDTH * nlocal,
            "8 per owned atom",
        )?;
        let out = output(stresses, stresses_len, "stresses")?;
        if nall == 0 || nlocal == 0 {
            return Ok(());
        }
        if let Some(i) = t.iter().position(|&ty| ty < 1) {
            return Err(Error::InvalidParameter(format!(
                "types[{i}] = {} (LAMMPS types start at 1)",
                t[i]
            )));
        }
        let (lo, hi) = bounds(x)?;
        let ids: Vec<u64> = (1..=nall as u64).collect();
        let atom_types: Vec<u32> = t.iter().map(|&ty| ty as u32).collect();
        // Potential: periodic box padded by the cutoff (length > extent + cutoff), so periodic
        // images never interact. Voronoi: walls 1 distance unit beyond the outermost atoms.
        let pad = p.cutoff();
        let padded = System::new(
            SimBox::orthogonal(lo.map(|v| v - pad), hi.map(|v| v + pad))?,
            ids.clone(),
            atom_types.clone(),
            x.to_vec(),
        );
        let walled = System::new(
            SimBox::new(
                lo.map(|v| v - 1.0),
                hi.map(|v| v + 1.0),
                [0.0; 3],
                false,
                [false; 3],
            )?,
            ids,
            atom_types,
            x.to_vec(),
        );
        let (evaluation, cells) = crate::threads::run(|| {
            let e = p.evaluate_system(&padded)?;
            let c = tessellate(&walled, &VoronoiOptions::default())?;
            Ok::<_, Error>((e, c))
        })?;
        let virials: Vec<[f64; 6]> = evaluation.per_atom_virial[..nlocal]
            .iter()
            .map(|w| w.map(|v| -nktv2p * v))
            .collect();
        let atoms = atomic_stresses(&virials, &cells.volumes[..nlocal])
            .map_err(|e| Error::Analysis(format!("atomic stress: {e}")))?;
        for (row, a) in out.chunks_exact_mut(PELKIT_STRESS_WIDTH).zip(&atoms) {
            row[..6].copy_from_slice(&a.sigma);
            row[6] = a.pressure;
            row[7] = a.von_mises;
        }
        Ok(())
    })
}
