//! Probe directions and their solid-angle weights.
//!
//! * [`Directions::grid`]: the uniform (θ, φ) grid of seed §4.2–4.3 at cell centres,
//!   θ_k = (k + ½)·π/n_θ, φ_l = (l + ½)·2π/n_φ, each with the exact solid angle of its cell,
//!   ∫∫ sinθ dθ dφ = δφ·(cos(θ_k − δθ/2) − cos(θ_k + δθ/2)) (the weights sum to 4π);
//! * [`Directions::fibonacci`]: n near-equal-area points of a Fibonacci spiral, 4π/n each;
//! * [`Directions::from_vectors`] / [`Directions::parse`]: a user list (normalised), 4π/n each,
//!   so Ω/4π is then the fraction of the listed directions.

use std::f64::consts::PI;

use super::ProbeError;

/// How a direction set was made (the Mollweide map uses the grid structure when present).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectionSet {
    Grid { ntheta: usize, nphi: usize },
    Fibonacci,
    User,
}

/// Unit vectors with solid-angle weights (summing to 4π).
#[derive(Debug, Clone, PartialEq)]
pub struct Directions {
    pub kind: DirectionSet,
    pub vectors: Vec<[f64; 3]>,
    /// Solid angle (sr) each direction stands for.
    pub weights: Vec<f64>,
    /// Polar angle θ and azimuth φ of each vector.
    pub angles: Vec<(f64, f64)>,
}

/// Unit vector of polar angle θ and azimuth φ.
pub fn unit_vector(theta: f64, phi: f64) -> [f64; 3] {
    let (st, ct) = theta.sin_cos();
    let (sp, cp) = phi.sin_cos();
    [st * cp, st * sp, ct]
}

/// Polar angle θ ∈ [0, π] and azimuth φ ∈ [0, 2π) of a unit vector.
pub fn angles_of(v: [f64; 3]) -> (f64, f64) {
    let theta = v[2].clamp(-1.0, 1.0).acos();
    let mut phi = v[1].atan2(v[0]);
    if phi < 0.0 {
        phi += 2.0 * PI;
    }
    (theta, phi)
}

impl Directions {
    /// The `ntheta × nphi` (θ, φ) grid, θ-major (index k·nphi + l).
    pub fn grid(ntheta: usize, nphi: usize) -> Result<Self, ProbeError> {
        if ntheta == 0 || nphi == 0 {
            return Err(ProbeError::BadGrid { ntheta, nphi });
        }
        let dtheta = PI / ntheta as f64;
        let dphi = 2.0 * PI / nphi as f64;
        let mut d = Directions {
            kind: DirectionSet::Grid { ntheta, nphi },
            vectors: Vec::with_capacity(ntheta * nphi),
            weights: Vec::with_capacity(ntheta * nphi),
            angles: Vec::with_capacity(ntheta * nphi),
        };
        for k in 0..ntheta {
            let theta = (k as f64 + 0.5) * dtheta;
            let w = dphi * ((theta - 0.5 * dtheta).cos() - (theta + 0.5 * dtheta).cos());
            for l in 0..nphi {
                let phi = (l as f64 + 0.5) * dphi;
                d.vectors.push(unit_vector(theta, phi));
                d.weights.push(w);
                d.angles.push((theta, phi));
            }
        }
        Ok(d)
    }

    /// `n` points of the Fibonacci (golden-angle) spiral, z_k = 1 − (2k + 1)/n.
    pub fn fibonacci(n: usize) -> Result<Self, ProbeError> {
        if n == 0 {
            return Err(ProbeError::NoDirections);
        }
        let golden = PI * (3.0 - 5f64.sqrt());
        let vectors: Vec<[f64; 3]> = (0..n)
            .map(|k| {
                let z = 1.0 - (2 * k + 1) as f64 / n as f64;
                let rho = (1.0 - z * z).max(0.0).sqrt();
                let a = golden * k as f64;
                [rho * a.cos(), rho * a.sin(), z]
            })
            .collect();
        Ok(Self::equal_weights(DirectionSet::Fibonacci, vectors))
    }

    /// A user list; each vector is normalised (a zero or non-finite vector is an error naming
    /// its 1-based position).
    pub fn from_vectors(vectors: &[[f64; 3]], source_name: &str) -> Result<Self, ProbeError> {
        if vectors.is_empty() {
            return Err(ProbeError::NoDirections);
        }
        let mut out = Vec::with_capacity(vectors.len());
        for (k, v) in vectors.iter().enumerate() {
            out.push(normalised(*v).map_err(|message| ProbeError::BadDirection {
                source_name: source_name.to_string(),
                line: k + 1,
                message,
            })?);
        }
        Ok(Self::equal_weights(DirectionSet::User, out))
    }

    /// Parse a directions file: one vector `x y z` a line; blank lines and `#` comments are
    /// skipped. Errors name `source_name` and the line.
    pub fn parse(text: &str, source_name: &str) -> Result<Self, ProbeError> {
        let mut vectors = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |message: String| ProbeError::BadDirection {
                source_name: source_name.to_string(),
                line: n + 1,
                message,
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() != 3 {
                return Err(bad(format!(
                    "expected 3 numbers 'x y z', found {} fields in '{line}'",
                    fields.len()
                )));
            }
            let mut v = [0.0; 3];
            for (c, f) in fields.iter().enumerate() {
                v[c] = f
                    .parse()
                    .map_err(|_| bad(format!("'{f}' is not a number")))?;
            }
            vectors.push(normalised(v).map_err(bad)?);
        }
        if vectors.is_empty() {
            return Err(ProbeError::NoDirections);
        }
        Ok(Self::equal_weights(DirectionSet::User, vectors))
    }

    fn equal_weights(kind: DirectionSet, vectors: Vec<[f64; 3]>) -> Self {
        let w = 4.0 * PI / vectors.len() as f64;
        Directions {
            kind,
            weights: vec![w; vectors.len()],
            angles: vectors.iter().map(|&v| angles_of(v)).collect(),
            vectors,
        }
    }

    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// Index of the direction whose cell (grid) or nearest point (other sets) holds (θ, φ).
    pub fn nearest(&self, theta: f64, phi: f64) -> usize {
        match self.kind {
            DirectionSet::Grid { ntheta, nphi } => {
                let k = ((theta / PI * ntheta as f64) as usize).min(ntheta - 1);
                let p = phi.rem_euclid(2.0 * PI);
                let l = ((p / (2.0 * PI) * nphi as f64) as usize).min(nphi - 1);
                k * nphi + l
            }
            _ => {
                let u = unit_vector(theta, phi);
                let mut best = (f64::NEG_INFINITY, 0);
                for (k, v) in self.vectors.iter().enumerate() {
                    let dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
                    if dot > best.0 {
                        best = (dot, k);
                    }
                }
                best.1
            }
        }
    }
}

fn normalised(v: [f64; 3]) -> Result<[f64; 3], String> {
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    if !n.is_finite() {
        return Err(format!("vector {v:?} is not finite"));
    }
    if n < 1e-12 {
        return Err(format!("zero vector {v:?} has no direction"));
    }
    Ok([v[0] / n, v[1] / n, v[2] / n])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid's cell solid angles sum to 4π (exact telescoping of the cosines), and the
    /// vectors are unit length.
    #[test]
    fn grid_weights_cover_the_sphere() {
        for (nt, np) in [(1, 1), (36, 72), (7, 5)] {
            let d = Directions::grid(nt, np).unwrap();
            let total: f64 = d.weights.iter().sum();
            assert!((total - 4.0 * PI).abs() < 1e-12, "{nt}x{np}: {total}");
            for v in &d.vectors {
                let n = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                assert!((n - 1.0).abs() < 1e-15);
            }
            // The cell of each grid point is the point's own index.
            for (k, &(t, p)) in d.angles.iter().enumerate() {
                assert_eq!(d.nearest(t, p), k);
            }
        }
    }

    /// Fibonacci points: the mean vector of an equal-area set vanishes (to O(1/n)).
    #[test]
    fn fibonacci_is_balanced() {
        let d = Directions::fibonacci(2000).unwrap();
        let mut m = [0.0; 3];
        for v in &d.vectors {
            for c in 0..3 {
                m[c] += v[c] / 2000.0;
            }
        }
        assert!(m.iter().all(|c| c.abs() < 2e-3), "{m:?}");
    }

    /// A zero vector in a directions file is an error naming its line.
    #[test]
    fn zero_vector_is_rejected_with_its_line() {
        let e = Directions::parse("# comment\n1 0 0\n\n0 0 0\n", "dirs.txt").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("dirs.txt line 4") && msg.contains("zero vector"),
            "{msg}"
        );
        let e = Directions::parse("1 0\n", "d").unwrap_err().to_string();
        assert!(e.contains("expected 3 numbers"), "{e}");
        let d = Directions::parse("0 0 2\n", "d").unwrap();
        assert_eq!(d.vectors[0], [0.0, 0.0, 1.0]);
    }
}
