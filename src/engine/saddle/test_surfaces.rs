//! Analytic test surfaces as force providers: the 2-D Müller–Brown potential (Müller & Brown
//! 1979) on the x, y of a single atom, with a stiff harmonic term k z² so that z adds a positive
//! curvature and no stationary point.

use crate::engine::{EngineError, ForceProvider, ForceResult};
use crate::{SimBox, System};

const A: [f64; 4] = [-200.0, -100.0, -170.0, 15.0];
const AA: [f64; 4] = [-1.0, -1.0, -6.5, 0.7];
const BB: [f64; 4] = [0.0, 0.0, 11.0, 0.6];
const CC: [f64; 4] = [-10.0, -10.0, -6.5, 0.7];
const X0: [f64; 4] = [1.0, 0.0, -0.5, -1.0];
const Y0: [f64; 4] = [0.0, 0.5, 1.5, 1.0];
pub const KZ: f64 = 500.0;

/// Energy, gradient and Hessian of Müller–Brown at (x, y).
pub fn muller_brown(x: f64, y: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
    let mut e = 0.0;
    let mut g = [0.0; 2];
    let mut h = [[0.0; 2]; 2];
    for k in 0..4 {
        let (dx, dy) = (x - X0[k], y - Y0[k]);
        let ex = A[k] * (AA[k] * dx * dx + BB[k] * dx * dy + CC[k] * dy * dy).exp();
        let px = 2.0 * AA[k] * dx + BB[k] * dy;
        let py = BB[k] * dx + 2.0 * CC[k] * dy;
        e += ex;
        g[0] += ex * px;
        g[1] += ex * py;
        h[0][0] += ex * (px * px + 2.0 * AA[k]);
        h[0][1] += ex * (px * py + BB[k]);
        h[1][1] += ex * (py * py + 2.0 * CC[k]);
    }
    h[1][0] = h[0][1];
    (e, g, h)
}

/// A one-atom System at (x, y, 0) in a large box (no periodic image interferes).
pub fn mb_system(x: f64, y: f64) -> System {
    let b = SimBox::orthogonal([-50.0; 3], [50.0; 3]).unwrap();
    System::new(b, vec![1], vec![1], vec![[x, y, 0.0]])
}

pub struct MullerBrown;

impl ForceProvider for MullerBrown {
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError> {
        let [x, y, z] = sys.positions[0];
        let (e, g, _) = muller_brown(x, y);
        out.energy = e + KZ * z * z;
        out.forces = vec![[-g[0], -g[1], -2.0 * KZ * z]];
        out.virial = [0.0; 6];
        Ok(())
    }
}

/// A stationary point of Müller–Brown by Newton's method on the analytic gradient and Hessian
/// (independent of the saddle searches).
pub fn newton(mut x: f64, mut y: f64) -> (f64, f64, f64) {
    for _ in 0..100 {
        let (_, g, h) = muller_brown(x, y);
        let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
        let dx = (h[1][1] * g[0] - h[0][1] * g[1]) / det;
        let dy = (-h[1][0] * g[0] + h[0][0] * g[1]) / det;
        x -= dx;
        y -= dy;
        if dx.abs() + dy.abs() < 1e-15 {
            break;
        }
    }
    (x, y, muller_brown(x, y).0)
}
