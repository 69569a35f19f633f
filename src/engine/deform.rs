//! Box deformation: `change_box … remap` (affine strain of box and atoms), the tilt flip of
//! `fix deform … flip yes`, and the `wiggle` tilt target of `fix deform` (oscillatory shear).
//!
//! Operation orders follow `src/change_box.cpp` and `src/fix_deform.cpp` so that the resulting
//! boxes are bit-identical to LAMMPS' and positions agree to the last bits of x → λ → x.

use crate::engine::EngineError;
use crate::geometry::simbox::{XY, XZ, YZ};
use crate::{SimBox, System};

/// 2π as LAMMPS' `MY_2PI` (its literal 6.28318530717958647692 rounds to this same double).
pub const MY_2PI: f64 = std::f64::consts::TAU;

/// One `change_box` operation, in box units (`units box`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BoxOp {
    /// `x|y|z final lo hi`.
    BoundsFinal { axis: usize, lo: f64, hi: f64 },
    /// `x|y|z delta dlo dhi`.
    BoundsDelta { axis: usize, dlo: f64, dhi: f64 },
    /// `x|y|z scale factor` (about the box centre).
    Scale { axis: usize, factor: f64 },
    /// `xy|xz|yz final value`; `tilt` is [`XY`], [`XZ`] or [`YZ`].
    TiltFinal { tilt: usize, value: f64 },
    /// `xy|xz|yz delta d`.
    TiltDelta { tilt: usize, delta: f64 },
}

fn invalid_box(stage: &'static str) -> impl Fn(crate::geometry::simbox::BoxError) -> EngineError {
    move |source| EngineError::InvalidBox { stage, source }
}

/// The box after applying `ops` in order to `b` (no atoms touched). Tilt operations need a
/// triclinic box, as in LAMMPS.
pub fn box_after(b: &SimBox, ops: &[BoxOp]) -> Result<SimBox, EngineError> {
    let (mut lo, mut hi, mut tilt) = (b.lo, b.hi, b.tilt);
    for op in ops {
        match *op {
            BoxOp::BoundsFinal { axis, lo: l, hi: h } => {
                check_axis(axis)?;
                lo[axis] = l;
                hi[axis] = h;
            }
            BoxOp::BoundsDelta { axis, dlo, dhi } => {
                check_axis(axis)?;
                lo[axis] += dlo;
                hi[axis] += dhi;
            }
            BoxOp::Scale { axis, factor } => {
                check_axis(axis)?;
                let mid = 0.5 * (lo[axis] + hi[axis]);
                let delta = lo[axis] - mid;
                lo[axis] = mid + factor * delta;
                let delta = hi[axis] - mid;
                hi[axis] = mid + factor * delta;
            }
            BoxOp::TiltFinal { tilt: t, value } => {
                check_tilt(b, t)?;
                tilt[t] = value;
            }
            BoxOp::TiltDelta { tilt: t, delta } => {
                check_tilt(b, t)?;
                tilt[t] += delta;
            }
        }
    }
    SimBox::new(lo, hi, tilt, b.triclinic, b.periodic).map_err(invalid_box("change_box"))
}

fn check_axis(axis: usize) -> Result<(), EngineError> {
    if axis > 2 {
        return Err(EngineError::InvalidInput(format!(
            "box axis index {axis} (expected 0, 1 or 2)"
        )));
    }
    Ok(())
}

fn check_tilt(b: &SimBox, t: usize) -> Result<(), EngineError> {
    if t > 2 {
        return Err(EngineError::InvalidInput(format!(
            "tilt index {t} (expected 0 = xy, 1 = xz, 2 = yz)"
        )));
    }
    if !b.triclinic {
        return Err(EngineError::InvalidInput(
            "cannot change box tilt factors for an orthogonal box (make it triclinic first)".into(),
        ));
    }
    Ok(())
}

/// Make an orthogonal box triclinic with zero tilts (`change_box all triclinic`).
pub fn make_triclinic(sys: &mut System) {
    sys.simbox.triclinic = true;
}

/// `change_box all OPS… remap units box`: wrap atoms into the current box, change the box, map
/// every atom affinely (λ with the old box, x with the new one) and wrap again with image flags.
/// On an invalid target box the system is left unchanged.
pub fn change_box(sys: &mut System, ops: &[BoxOp], remap: bool) -> Result<(), EngineError> {
    let new_box = box_after(&sys.simbox, ops)?;
    let old_box = sys.simbox;
    for (x, im) in sys.positions.iter_mut().zip(sys.images.iter_mut()) {
        *x = old_box.wrap(*x, im);
    }
    sys.simbox = new_box;
    if remap {
        for x in sys.positions.iter_mut() {
            *x = new_box.to_cartesian(old_box.to_fractional(*x));
        }
    }
    for (x, im) in sys.positions.iter_mut().zip(sys.images.iter_mut()) {
        *x = new_box.wrap(*x, im);
    }
    Ok(())
}

/// Change the box to `new_box` mapping atoms affinely (the `remap x` of `fix deform`): no
/// wrapping, positions only. Used every N steps by oscillatory shear.
pub fn remap_affine(sys: &mut System, new_box: SimBox) {
    let old_box = sys.simbox;
    for x in sys.positions.iter_mut() {
        *x = new_box.to_cartesian(old_box.to_fractional(*x));
    }
    sys.simbox = new_box;
}

/// The tilt `target` moved by whole box lengths until it is the periodic image closest to the
/// current tilt, exactly as `FixDeform::end_of_step` does (bit-relevant: it may subtract and add
/// the denominator back). `denom` is the new xprd (xy, xz) or yprd (yz); `current` is the
/// current tilt divided by the current xprd or yprd.
pub fn nearest_tilt_image(mut target: f64, denom: f64, current: f64) -> f64 {
    if !(target.is_finite() && denom.is_finite() && denom > 0.0 && current.is_finite()) {
        return target;
    }
    while target / denom - current > 0.0 {
        target -= denom;
    }
    while target / denom - current < 0.0 {
        target += denom;
    }
    if (target / denom - 1.0 - current).abs() < (target / denom - current).abs() {
        target -= denom;
    }
    target
}

/// `fix deform … xy|xz|yz wiggle A Tp` tilt target at elapsed time `t` since the run start:
/// start + A·sin(2π·t/Tp).
pub fn wiggle_target(start: f64, amplitude: f64, period: f64, t: f64) -> f64 {
    start + amplitude * (MY_2PI * t / period).sin()
}

/// The box `fix deform` sets when tilt `tilt` is driven to `target` (nearest-image adjusted
/// against the current box), before any flip.
pub fn deform_tilt_box(b: &SimBox, tilt: usize, target: f64) -> Result<SimBox, EngineError> {
    check_tilt(b, tilt)?;
    let l = b.lengths();
    let (den, cur) = match tilt {
        YZ => (l[1], b.tilt[YZ] / l[1]),
        XZ => (l[0], b.tilt[XZ] / l[0]),
        _ => (l[0], b.tilt[XY] / l[0]),
    };
    let mut t = b.tilt;
    t[tilt] = nearest_tilt_image(target, den, cur);
    SimBox::new(b.lo, b.hi, t, true, b.periodic).map_err(invalid_box("fix deform"))
}

/// `fix deform … flip yes`: when a tilt exceeds half the box length in a periodic dimension,
/// replace it by the equivalent tilt one box length away (yz first; a yz flip shifts xz by xy),
/// rewrite image flags so unwrapped coordinates stay continuous (`Domain::image_flip`) and wrap
/// atoms into the flipped box. Returns whether a flip happened.
pub fn flip_if_needed(sys: &mut System) -> Result<bool, EngineError> {
    let b = sys.simbox;
    if !b.triclinic {
        return Ok(false);
    }
    let l = b.lengths();
    let (xprdinv, yprdinv) = (1.0 / l[0], 1.0 / l[1]);
    let [xy, xz, yz] = b.tilt;
    let out = |v: f64| !(-0.5..=0.5).contains(&v);
    if !(out(yz * yprdinv) || out(xz * xprdinv) || out(xy * xprdinv)) {
        return Ok(false);
    }
    let (mut fyz, mut fxz, mut fxy) = (yz, xz, xy);
    let (mut flipxy, mut flipxz, mut flipyz) = (0i32, 0i32, 0i32);
    if b.periodic[1] {
        if fyz * yprdinv < -0.5 {
            fyz += l[1];
            fxz += fxy;
            flipyz = 1;
        } else if fyz * yprdinv > 0.5 {
            fyz -= l[1];
            fxz -= fxy;
            flipyz = -1;
        }
    }
    if b.periodic[0] {
        if fxz * xprdinv < -0.5 {
            fxz += l[0];
            flipxz = 1;
        }
        if fxz * xprdinv > 0.5 {
            fxz -= l[0];
            flipxz = -1;
        }
        if fxy * xprdinv < -0.5 {
            fxy += l[0];
            flipxy = 1;
        }
        if fxy * xprdinv > 0.5 {
            fxy -= l[0];
            flipxy = -1;
        }
    }
    if flipxy == 0 && flipxz == 0 && flipyz == 0 {
        return Ok(false);
    }
    let mut t = b.tilt;
    t[XY] = fxy;
    t[XZ] = fxz;
    t[YZ] = fyz;
    let nb = SimBox::new(b.lo, b.hi, t, true, b.periodic).map_err(invalid_box("tilt flip"))?;
    sys.simbox = nb;
    for (x, im) in sys.positions.iter_mut().zip(sys.images.iter_mut()) {
        im[1] -= flipyz * im[2];
        im[0] -= flipxy * im[1] + flipxz * im[2];
        *x = nb.wrap(*x, im);
    }
    Ok(true)
}
