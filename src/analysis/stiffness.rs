//! Atomic stiffness of seed 003: `K_i = k_B T / ⟨|Δr_i|²⟩`, with `⟨|Δr_i|²⟩` the vibrational
//! mean-squared displacement of atom i about its time-averaged position.
//!
//! [`VibrationalMsd`] accumulates frames of unwrapped positions (one pass, no frame kept): each
//! frame is shifted by the drift of the centre of mass since the first frame (mass-weighted when
//! masses are given, else the plain mean), and the displacement `d_i(t) = r_i(t) − r_i(0)` is
//! summed as `Σd` and `Σ|d|²`; then `⟨|Δr_i|²⟩ = ⟨|d|²⟩ − |⟨d⟩|²` (population variance over the
//! frames). Accumulating displacements from the first frame rather than positions keeps the
//! cancellation at the size of the displacements, not of the box. The MD loop that produces the
//! frames is [`crate::protocol::stiffness`].

use thiserror::Error;

/// Problems accumulating a trajectory.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum StiffnessError {
    #[error("frame {frame} has {got} atoms, the first frame had {expected}")]
    AtomCount {
        frame: usize,
        got: usize,
        expected: usize,
    },
    #[error("{0} masses for {1} atoms")]
    MassCount(usize, usize),
    #[error("need at least 2 frames for a mean-squared displacement, got {0}")]
    TooFewFrames(usize),
    #[error("temperature must be positive and finite, got {0}")]
    BadTemperature(f64),
    #[error("frame {frame}, atom {atom}: non-finite position")]
    NonFinite { frame: usize, atom: usize },
}

/// One-pass accumulator of the per-atom vibrational MSD.
#[derive(Debug, Clone)]
pub struct VibrationalMsd {
    masses: Option<Vec<f64>>,
    first: Vec<[f64; 3]>,
    first_centre: [f64; 3],
    sum: Vec<[f64; 3]>,
    sum_sq: Vec<f64>,
    frames: usize,
}

fn centre(x: &[[f64; 3]], masses: Option<&[f64]>) -> [f64; 3] {
    let mut c = [0.0; 3];
    let mut w_total = 0.0;
    for (i, p) in x.iter().enumerate() {
        let w = masses.map_or(1.0, |m| m[i]);
        for d in 0..3 {
            c[d] += w * p[d];
        }
        w_total += w;
    }
    c.map(|v| v / w_total)
}

impl VibrationalMsd {
    /// An empty accumulator; `masses` (per atom) weight the centre of mass, `None` = equal.
    pub fn new(masses: Option<Vec<f64>>) -> Self {
        VibrationalMsd {
            masses,
            first: Vec::new(),
            first_centre: [0.0; 3],
            sum: Vec::new(),
            sum_sq: Vec::new(),
            frames: 0,
        }
    }

    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Add a frame of unwrapped positions (same atom order every frame).
    pub fn add(&mut self, unwrapped: &[[f64; 3]]) -> Result<(), StiffnessError> {
        if let Some(atom) = unwrapped
            .iter()
            .position(|p| !p.iter().all(|v| v.is_finite()))
        {
            return Err(StiffnessError::NonFinite {
                frame: self.frames,
                atom,
            });
        }
        if let Some(m) = &self.masses {
            if m.len() != unwrapped.len() {
                return Err(StiffnessError::MassCount(m.len(), unwrapped.len()));
            }
        }
        let c = centre(unwrapped, self.masses.as_deref());
        if self.frames == 0 {
            self.first = unwrapped.to_vec();
            self.first_centre = c;
            self.sum = vec![[0.0; 3]; unwrapped.len()];
            self.sum_sq = vec![0.0; unwrapped.len()];
        } else if unwrapped.len() != self.first.len() {
            return Err(StiffnessError::AtomCount {
                frame: self.frames,
                got: unwrapped.len(),
                expected: self.first.len(),
            });
        }
        let drift = [
            c[0] - self.first_centre[0],
            c[1] - self.first_centre[1],
            c[2] - self.first_centre[2],
        ];
        for ((p, x0), (s, s2)) in unwrapped
            .iter()
            .zip(&self.first)
            .zip(self.sum.iter_mut().zip(self.sum_sq.iter_mut()))
        {
            let mut q = 0.0;
            for d in 0..3 {
                let v = p[d] - x0[d] - drift[d];
                s[d] += v;
                q += v * v;
            }
            *s2 += q;
        }
        self.frames += 1;
        Ok(())
    }

    /// Per-atom `⟨|r_i − ⟨r_i⟩|²⟩` over the frames added (distance² units).
    pub fn msd(&self) -> Result<Vec<f64>, StiffnessError> {
        if self.frames < 2 {
            return Err(StiffnessError::TooFewFrames(self.frames));
        }
        let inv = 1.0 / self.frames as f64;
        Ok(self
            .sum
            .iter()
            .zip(&self.sum_sq)
            .map(|(s, &s2)| {
                let m = [s[0] * inv, s[1] * inv, s[2] * inv];
                (s2 * inv - (m[0] * m[0] + m[1] * m[1] + m[2] * m[2])).max(0.0)
            })
            .collect())
    }
}

/// `K_i = k_B T / msd_i` (energy / distance² units; `boltz` = k_B in energy/temperature).
pub fn stiffness_from_msd(
    msd: &[f64],
    temperature: f64,
    boltz: f64,
) -> Result<Vec<f64>, StiffnessError> {
    if !(temperature > 0.0 && temperature.is_finite()) {
        return Err(StiffnessError::BadTemperature(temperature));
    }
    let kt = boltz * temperature;
    Ok(msd
        .iter()
        .map(|&m| if m > 0.0 { kt / m } else { f64::INFINITY })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two atoms oscillating ±a along x (and a common drift): MSD = a² exactly, drift removed.
    #[test]
    fn square_wave_msd() {
        let mut acc = VibrationalMsd::new(None);
        for t in 0..10 {
            let s = if t % 2 == 0 { 0.1 } else { -0.1 };
            let drift = 0.37 * t as f64;
            acc.add(&[[1.0 + s + drift, 2.0, 3.0], [5.0 - s + drift, 0.0, 0.0]])
                .unwrap();
        }
        for m in acc.msd().unwrap() {
            assert!((m - 0.01).abs() < 1e-14);
        }
        assert!(acc.add(&[[0.0; 3]]).is_err());
    }
}
