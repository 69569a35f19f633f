//! Atomic-level stress of a LAMMPS rank's owned atoms through the C ABI: the potential's per-atom
//! virial divided by the atom's Voronoi volume (`pelkit::analysis::atomic_stress`); this file
//! only converts the C arrays, calls the library and reports the status.

use pelkit_core::analysis::atomic_stress::{unboxed_atomic_stresses, UnboxedStressError};

use crate::potential::{pelkit_potential_t, potential_and_atoms};
use crate::slices::{expect_len, lammps_types, output, positive_finite};
use crate::status::{guard, pelkit_status_t, Error};

/// Values returned per atom by `pelkit_potential_local_stresses`: σxx σyy σzz σxy σxz σyz, p, τ.
pub const PELKIT_STRESS_WIDTH: usize = 8;

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
        let atoms = (types, types_len, positions, positions_len, nlocal);
        let (p, t, x) = potential_and_atoms(potential, atoms)?;
        let nall = t.len();
        positive_finite("nktv2p", nktv2p)?;
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
        lammps_types(t)?;
        let atom_types: Vec<u32> = t.iter().map(|&ty| ty as u32).collect();
        let atoms =
            crate::threads::run(|| unboxed_atomic_stresses(p, &atom_types, x, nlocal, nktv2p))
                .map_err(|e| match e {
                    UnboxedStressError::NonFinite(e) => Error::InvalidParameter(e.to_string()),
                    UnboxedStressError::TooManyLocal { .. } => {
                        Error::InvalidParameter(e.to_string())
                    }
                    UnboxedStressError::Box(e) => Error::Box(e),
                    UnboxedStressError::Potential(e) => Error::Potential(e),
                    UnboxedStressError::Voronoi(e) => Error::Voronoi(e),
                    UnboxedStressError::Stress(e) => Error::Analysis(format!("atomic stress: {e}")),
                })?;
        for (row, a) in out.chunks_exact_mut(PELKIT_STRESS_WIDTH).zip(&atoms) {
            row[..6].copy_from_slice(&a.sigma);
            row[6] = a.pressure;
            row[7] = a.von_mises;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pelkit_core::analysis::atomic_stress::atomic_stresses;
    use pelkit_core::analysis::voronoi::{tessellate, VoronoiOptions};
    use pelkit_core::potential::Potential;
    use pelkit_core::{SimBox, System};

    /// A perturbed LJ fcc crystal (4×4×4 cells, a = 1.6σ, L = 6.4σ > 2·r_c = 5σ) in a periodic
    /// box, and the same atoms followed by their 26 periodic images as ghosts.
    fn crystal_and_images() -> (System, Vec<i32>, Vec<f64>) {
        let (n, a) = (4usize, 1.6);
        let l = n as f64 * a;
        let simbox = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
        let mut uniform = {
            let mut rng = pelkit_core::testing::Lcg(11u64);
            move || rng.uniform()
        };
        let basis = pelkit_core::testing::FCC_BASIS;
        let mut x = Vec::new();
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    for b in basis {
                        let r = [i as f64 + b[0], j as f64 + b[1], k as f64 + b[2]];
                        x.push(r.map(|c| (a * c + 0.2 * uniform() - 0.1).rem_euclid(l)));
                    }
                }
            }
        }
        let natoms = x.len();
        let sys = System::new(simbox, (1..=natoms as u64).collect(), vec![1; natoms], x);
        let mut positions: Vec<f64> = sys.positions.iter().flatten().copied().collect();
        for (i, j, k) in (-1i32..=1)
            .flat_map(|i| (-1i32..=1).flat_map(move |j| (-1i32..=1).map(move |k| (i, j, k))))
            .filter(|&shift| shift != (0, 0, 0))
        {
            let s = [i, j, k].map(|v| v as f64 * l);
            for r in &sys.positions {
                positions.extend([r[0] + s[0], r[1] + s[1], r[2] + s[2]]);
            }
        }
        let types = vec![1; positions.len() / 3];
        (sys, types, positions)
    }

    fn lj() -> *mut pelkit_potential_t {
        let p = Potential::from_lammps_args("lj/cut 2.5", &["1 1 1.0 1.0".into()], &[], 1).unwrap();
        Box::into_raw(Box::new(pelkit_potential_t { potential: p }))
    }

    /// Owned atoms + all 26 image shells as ghosts (shell L > 2·r_c) must give the library's
    /// periodic result: per-atom virial of the periodic evaluation, periodic Voronoi volume,
    /// `atomic_stresses`. Only summation order and image-vs-shift round-off differ: 1e-11 of
    /// the row's largest value.
    #[test]
    fn owned_plus_image_ghosts_equal_the_periodic_library_result() {
        let (sys, types, positions) = crystal_and_images();
        let n = sys.natoms();
        let potential = lj();
        let nktv2p = 2.5; // any positive factor: it scales S linearly
        let mut out = vec![0.0; PELKIT_STRESS_WIDTH * n];
        let status = unsafe {
            pelkit_potential_local_stresses(
                potential,
                types.as_ptr(),
                types.len(),
                positions.as_ptr(),
                positions.len(),
                n,
                nktv2p,
                out.as_mut_ptr(),
                out.len(),
            )
        };
        assert_eq!(status, pelkit_status_t::PELKIT_SUCCESS);
        let p = unsafe { &(*potential).potential };
        let ev = p.evaluate_system(&sys).unwrap();
        let cells = tessellate(&sys, &VoronoiOptions::default()).unwrap();
        let virials: Vec<[f64; 6]> = ev
            .per_atom_virial
            .iter()
            .map(|w| w.map(|v| -nktv2p * v))
            .collect();
        let expected = atomic_stresses(&virials, &cells.volumes).unwrap();
        for (i, (row, e)) in out
            .chunks_exact(PELKIT_STRESS_WIDTH)
            .zip(&expected)
            .enumerate()
        {
            let mut want = e.sigma.to_vec();
            want.extend([e.pressure, e.von_mises]);
            let tol = 1e-11 * want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for c in 0..PELKIT_STRESS_WIDTH {
                assert!(
                    (row[c] - want[c]).abs() <= tol,
                    "atom {i} column {c}: {} vs library {}",
                    row[c],
                    want[c]
                );
            }
        }
        // Σ Ω_i σ_i / V = −P (virial part) — an exact identity checked independently: the
        // library's global virial, 1e-10 relative (500-term sums).
        let volume = sys.simbox.volume();
        for k in 0..6 {
            let sum: f64 = out
                .chunks_exact(PELKIT_STRESS_WIDTH)
                .zip(&cells.volumes)
                .map(|(row, v)| row[k] * v)
                .sum::<f64>()
                / volume;
            let pressure = nktv2p * ev.virial[k] / volume;
            assert!(
                (sum + pressure).abs() <= 1e-10 * pressure.abs().max(1e-3),
                "component {k}: {sum} vs −P {pressure}"
            );
        }
        unsafe { crate::potential::pelkit_potential_free(potential) };
    }

    /// Bad sizes and factors are INVALID_PARAMETER and leave the output untouched.
    #[test]
    fn bad_arguments_are_invalid_parameter() {
        let potential = lj();
        let types = [1i32, 1];
        let x = [0.0, 0.0, 0.0, 1.1, 0.0, 0.0];
        let mut out = [7.0; 16];
        for (nlocal, nktv2p, out_len) in
            [(3, 1.0, 16), (2, 0.0, 16), (2, f64::NAN, 16), (2, 1.0, 8)]
        {
            let status = unsafe {
                pelkit_potential_local_stresses(
                    potential,
                    types.as_ptr(),
                    2,
                    x.as_ptr(),
                    6,
                    nlocal,
                    nktv2p,
                    out.as_mut_ptr(),
                    out_len,
                )
            };
            assert_eq!(
                status,
                pelkit_status_t::PELKIT_INVALID_PARAMETER,
                "nlocal {nlocal} nktv2p {nktv2p} len {out_len}"
            );
        }
        assert!(out.iter().all(|&v| v == 7.0));
        unsafe { crate::potential::pelkit_potential_free(potential) };
    }
}
