//! Re-rendering a minimum energy path under shear (seed 001, Fig. 3a): both end points are
//! sheared affinely (`change_box all xy delta γ·ly remap`), relaxed again with CG in the
//! sheared box, and joined by a new climbing-image NEB. The barrier change ΔE_A(γ) = E_A(γ) −
//! E_A(0) is reported with the path's contour and end-to-end lengths. A path whose end points
//! relax into the same state under shear has no correspondence and is reported as such.

use serde::Serialize;

use crate::engine::deform::{change_box, make_triclinic, BoxOp};
use crate::engine::min_cg::minimize_cg;
use crate::engine::saddle::neb::{neb, NebSettings};
use crate::engine::saddle::{distance, SaddleError};
use crate::engine::{ForceProvider, MinimizeSettings};
use crate::geometry::simbox::XY;
use crate::System;

/// One path at one shear strain.
#[derive(Debug, Clone, Serialize)]
pub struct StrainedBarrier {
    /// Engineering shear strain γ_xy added to the end points.
    pub gamma: f64,
    /// Forward barrier (E_max − E_initial) at this strain; NaN when the path vanished.
    pub e_a: f64,
    /// E_A(γ) − E_A(0).
    pub delta_e_a: f64,
    pub contour_length: f64,
    pub end_to_end: f64,
    pub tortuosity: f64,
    pub converged: bool,
    /// The relaxed sheared end points are still distinct states.
    pub path_persists: bool,
}

impl StrainedBarrier {
    /// A strain without a barrier (NaN numbers, not converged): the relaxed end points merged
    /// (`path_persists` false) or the band diverged (true).
    fn without_barrier(gamma: f64, path_persists: bool) -> Self {
        StrainedBarrier {
            gamma,
            e_a: f64::NAN,
            delta_e_a: f64::NAN,
            contour_length: f64::NAN,
            end_to_end: f64::NAN,
            tortuosity: f64::NAN,
            converged: false,
            path_persists,
        }
    }
}

/// Shear a copy of `sys` by γ in xy (affine remap) and relax it.
pub fn shear_and_relax<P: ForceProvider + ?Sized>(
    sys: &System,
    gamma: f64,
    provider: &mut P,
    min: &MinimizeSettings,
) -> Result<System, SaddleError> {
    let mut s = sys.clone();
    if gamma != 0.0 {
        if !s.simbox.triclinic {
            make_triclinic(&mut s);
        }
        let ly = s.simbox.lengths()[1];
        change_box(
            &mut s,
            &[BoxOp::TiltDelta {
                tilt: XY,
                delta: gamma * ly,
            }],
            true,
        )?;
    }
    let mut m = min.clone();
    m.normalize_energy = false;
    minimize_cg(&mut s, provider, &m)?;
    Ok(s)
}

/// E_A of the path `initial → final` at each strain of `gammas` (γ = 0 is always computed
/// first as the reference and is the first entry).
pub fn barriers_under_shear<P, F>(
    initial: &System,
    final_state: &System,
    gammas: &[f64],
    make_provider: F,
    neb_settings: &NebSettings,
    min: &MinimizeSettings,
    same_distance: f64,
) -> Result<Vec<StrainedBarrier>, SaddleError>
where
    P: ForceProvider + Send,
    F: Fn() -> Result<P, SaddleError> + Copy,
{
    let mut list = vec![0.0];
    list.extend(gammas.iter().copied().filter(|&g| g != 0.0));
    let mut out: Vec<StrainedBarrier> = Vec::new();
    let mut e_a0 = f64::NAN;
    for &gamma in &list {
        let mut p = make_provider()?;
        let a = shear_and_relax(initial, gamma, &mut p, min)?;
        let b = shear_and_relax(final_state, gamma, &mut p, min)?;
        if distance(&a, &b) < same_distance {
            out.push(StrainedBarrier::without_barrier(gamma, false));
            continue;
        }
        let r = match neb(&a, &b, make_provider, neb_settings) {
            Ok(r) => r,
            // A band that ran away (after the safeguard's restarts): no barrier at this strain.
            Err(SaddleError::NebDiverged(_)) => {
                out.push(StrainedBarrier::without_barrier(gamma, true));
                continue;
            }
            Err(e) => return Err(e),
        };
        if gamma == 0.0 {
            e_a0 = r.barrier_forward;
        }
        out.push(StrainedBarrier {
            gamma,
            e_a: r.barrier_forward,
            delta_e_a: r.barrier_forward - e_a0,
            contour_length: r.path.contour_length,
            end_to_end: r.path.end_to_end,
            tortuosity: r.path.tortuosity,
            converged: r.converged,
            path_persists: true,
        });
    }
    Ok(out)
}
