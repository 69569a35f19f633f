//! The Mollweide projection of seed §4.2: x = (2√2/π)·λ·cos α, y = √2·sin α with
//! 2α + sin 2α = π·sin β (solved by Newton's method), for longitude λ = φ − π ∈ [−π, π) and
//! latitude β = π/2 − θ (θ the polar angle, φ the azimuth of the probe direction). The map is
//! the ellipse x²/8 + y²/2 ≤ 1.

use std::f64::consts::{FRAC_PI_2, PI, SQRT_2};

/// The auxiliary angle α of latitude β.
pub fn auxiliary_angle(beta: f64) -> f64 {
    if (FRAC_PI_2 - beta.abs()) < 1e-12 {
        return beta.signum() * FRAC_PI_2;
    }
    let target = PI * beta.sin();
    let mut a = beta;
    for _ in 0..100 {
        let f = 2.0 * a + (2.0 * a).sin() - target;
        let fp = 2.0 + 2.0 * (2.0 * a).cos();
        if fp.abs() < 1e-300 {
            break;
        }
        let step = f / fp;
        a -= step;
        if step.abs() < 1e-15 {
            break;
        }
    }
    a
}

/// Map coordinates (x, y) of the direction with polar angle θ and azimuth φ.
pub fn project(theta: f64, phi: f64) -> (f64, f64) {
    let lambda = (phi - PI).clamp(-PI, PI);
    let beta = FRAC_PI_2 - theta;
    let a = auxiliary_angle(beta);
    (2.0 * SQRT_2 / PI * lambda * a.cos(), SQRT_2 * a.sin())
}

/// Inverse: (θ, φ) of map point (x, y), or `None` outside the ellipse.
pub fn inverse(x: f64, y: f64) -> Option<(f64, f64)> {
    if x * x / 8.0 + y * y / 2.0 > 1.0 {
        return None;
    }
    let a = (y / SQRT_2).clamp(-1.0, 1.0).asin();
    let beta = ((2.0 * a + (2.0 * a).sin()) / PI).clamp(-1.0, 1.0).asin();
    let c = a.cos();
    let lambda = if c < 1e-12 {
        0.0
    } else {
        PI * x / (2.0 * SQRT_2 * c)
    };
    if lambda.abs() > PI {
        return None;
    }
    Some((FRAC_PI_2 - beta, lambda + PI))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// α solves its defining equation, and inverse ∘ project is the identity.
    #[test]
    fn projection_round_trips() {
        for k in 0..=20 {
            let beta = -FRAC_PI_2 + PI * k as f64 / 20.0;
            let a = auxiliary_angle(beta);
            assert!((2.0 * a + (2.0 * a).sin() - PI * beta.sin()).abs() < 1e-12);
        }
        for &(t, p) in &[(0.3, 0.2), (1.5, 3.0), (2.9, 6.1), (PI / 2.0, PI)] {
            let (x, y) = project(t, p);
            let (t2, p2) = inverse(x, y).unwrap();
            assert!(
                (t - t2).abs() < 1e-9 && (p - p2).abs() < 1e-9,
                "{t} {p} {t2} {p2}"
            );
        }
        // Equator edges and poles.
        let (x, y) = project(PI / 2.0, 2.0 * PI);
        assert!((x - 2.0 * SQRT_2).abs() < 1e-12 && y.abs() < 1e-12);
        assert!((project(0.0, 1.0).1 - SQRT_2).abs() < 1e-12);
        assert!(inverse(2.9, 0.0).is_none());
    }
}
