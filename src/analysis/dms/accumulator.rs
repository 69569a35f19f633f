//! Streaming form of the MD-DMS sine fit: the least-squares sums of σ(t) on (1, sin ωt, cos ωt)
//! accumulated one sample at a time, kept per whole cycle, so that the fit over the completed
//! cycles after the transient ones is available at any time without storing the record (the
//! LAMMPS `fix pelkit/dms` keeps one of these). [`fit_oscillation`](super::fit_oscillation) is
//! this accumulator fed with the whole record, so both give the same numbers on the same samples.
//!
//! Cycle c holds the samples with c·t_w ≤ t < (c+1)·t_w (to 1e-9·t_w). A cycle counts as complete
//! once a sample of a later cycle has arrived (so a record ending exactly on a cycle boundary
//! includes the cycle before it, as the half-open window of the batch fit). The stress is
//! accumulated relative to the first sample (σ − σ_first; the constant is added back to σ0) so
//! that a large static stress does not cancel digits in the residual sum SSR = Σy² − cᵀXᵀy.

use crate::analysis::dms::sine_fit::{OscillationFit, OscillationFitOptions};
use crate::analysis::dms::DmsError;
use crate::analysis::fit::small_matrix::invert;

/// Sums of one set of samples: XᵀX, Xᵀy, yᵀy, Σy and n with rows X = (1, sin ωt, cos ωt).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    xtx: [[f64; 3]; 3],
    xty: [f64; 3],
    yy: f64,
    y: f64,
    n: usize,
}

impl Sums {
    fn add(&mut self, row: [f64; 3], y: f64) {
        for i in 0..3 {
            self.xty[i] += row[i] * y;
            for j in 0..3 {
                self.xtx[i][j] += row[i] * row[j];
            }
        }
        self.yy += y * y;
        self.y += y;
        self.n += 1;
    }

    fn merge(&mut self, other: &Sums) {
        for i in 0..3 {
            self.xty[i] += other.xty[i];
            for j in 0..3 {
                self.xtx[i][j] += other.xtx[i][j];
            }
        }
        self.yy += other.yy;
        self.y += other.y;
        self.n += other.n;
    }
}

/// The fit sums of a growing record σ(t), t = 0 at the start of the oscillation.
#[derive(Debug, Clone, PartialEq)]
pub struct OscillationAccumulator {
    opts: OscillationFitOptions,
    omega: f64,
    /// Stress of the first sample, subtracted from every sample before summing.
    offset: Option<f64>,
    first_time: Option<f64>,
    last_time: Option<f64>,
    /// Samples added (all cycles).
    total: usize,
    /// Cycle index of the last sample.
    current_cycle: usize,
    /// Completed cycles after the transient ones.
    fitted: Sums,
    /// Samples of the current (incomplete) cycle, if it is past the transient.
    pending: Sums,
}

impl OscillationAccumulator {
    /// An empty accumulator; refuses a period or strain amplitude that is not > 0.
    pub fn new(opts: OscillationFitOptions) -> Result<Self, DmsError> {
        if !(opts.period.is_finite() && opts.period > 0.0) {
            return Err(DmsError::InvalidInput(format!(
                "the period must be > 0, got {}",
                opts.period
            )));
        }
        if !(opts.strain_amplitude.is_finite() && opts.strain_amplitude > 0.0) {
            return Err(DmsError::InvalidInput(format!(
                "the strain amplitude must be > 0, got {}",
                opts.strain_amplitude
            )));
        }
        Ok(Self {
            opts,
            omega: std::f64::consts::TAU / opts.period,
            offset: None,
            first_time: None,
            last_time: None,
            total: 0,
            current_cycle: 0,
            fitted: Sums::default(),
            pending: Sums::default(),
        })
    }

    /// The options it was made with.
    pub fn options(&self) -> &OscillationFitOptions {
        &self.opts
    }

    /// Samples added so far (all cycles, transient included).
    pub fn samples_seen(&self) -> usize {
        self.total
    }

    /// Whole cycles recorded so far (the cycle of the last sample is not complete yet).
    pub fn cycles_complete(&self) -> usize {
        self.current_cycle
    }

    /// Add the sample σ(t). Times must be finite and increase; σ finite.
    pub fn push(&mut self, time: f64, stress: f64) -> Result<(), DmsError> {
        if !(time.is_finite() && stress.is_finite()) {
            return Err(DmsError::InvalidInput(format!(
                "sample {} (t = {time}, stress = {stress}) is not finite",
                self.total + 1
            )));
        }
        if let Some(last) = self.last_time {
            if time <= last {
                return Err(DmsError::InvalidInput(format!(
                    "times must increase: sample {} has t = {time} after t = {last}",
                    self.total + 1
                )));
            }
        }
        let t_w = self.opts.period;
        let eps = 1e-9 * t_w;
        // Cycle of this sample (negative times belong to cycle 0, before any fitted cycle).
        let cycle = ((time + eps) / t_w).floor().max(0.0) as usize;
        if cycle > self.current_cycle {
            if self.current_cycle >= self.opts.transient_cycles {
                let done = std::mem::take(&mut self.pending);
                self.fitted.merge(&done);
            } else {
                self.pending = Sums::default();
            }
            self.current_cycle = cycle;
        }
        let offset = *self.offset.get_or_insert(stress);
        if self.first_time.is_none() {
            self.first_time = Some(time);
        }
        self.last_time = Some(time);
        self.total += 1;
        if cycle >= self.opts.transient_cycles {
            let row = [1.0, (self.omega * time).sin(), (self.omega * time).cos()];
            self.pending.add(row, stress - offset);
        }
        Ok(())
    }

    /// The fit over the completed cycles after the transient ones. Errors (no NaN): fewer than 2
    /// whole cycles, none left after the transient, a record starting after the first fitted
    /// cycle, fewer than 4 samples, sin and cos not separable, or a zero amplitude.
    pub fn fit(&self) -> Result<OscillationFit, DmsError> {
        let t_w = self.opts.period;
        let eps = 1e-9 * t_w;
        let (Some(t_first), Some(t_last)) = (self.first_time, self.last_time) else {
            return Err(DmsError::InvalidInput("no samples".into()));
        };
        let cycles = self.current_cycle;
        if cycles < 2 {
            return Err(DmsError::TooFewCycles {
                cycles,
                period: t_w,
                t_first,
                t_last,
            });
        }
        let k = self.opts.transient_cycles;
        if k >= cycles {
            return Err(DmsError::NoCycleLeft {
                cycles,
                transient: k,
            });
        }
        if t_first > k as f64 * t_w + eps {
            return Err(DmsError::InvalidInput(format!(
                "the record starts at t = {t_first}, after the start of the first fitted cycle \
                 (t = {}); drop more transient cycles",
                k as f64 * t_w
            )));
        }
        let s = &self.fitted;
        let n = s.n;
        if n < 4 {
            return Err(DmsError::Singular(format!(
                "{n} samples in the fitted cycles; at least 4 are needed (3 coefficients and \
                 their errors)"
            )));
        }
        let xtx: Vec<Vec<f64>> = s.xtx.iter().map(|r| r.to_vec()).collect();
        let inv = invert(&xtx).ok_or_else(|| {
            DmsError::Singular(format!(
                "{n} samples do not separate sin and cos (sample more often than twice per \
                 period)"
            ))
        })?;
        let coef: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|j| inv[i][j] * s.xty[j]).sum())
            .collect();
        // At the least-squares solution cᵀXᵀXc = cᵀXᵀy, so SSR = yᵀy − cᵀXᵀy.
        let ssr = (s.yy - (0..3).map(|i| coef[i] * s.xty[i]).sum::<f64>()).max(0.0);
        let sst = (s.yy - s.y * s.y / n as f64).max(0.0);
        let s2 = ssr / (n - 3) as f64;
        let cov = |i: usize, j: usize| inv[i][j] * s2;
        let (a, b) = (coef[1], coef[2]);
        let sigma0 = coef[0] + self.offset.unwrap_or(0.0);
        let amp = a.hypot(b);
        if amp <= 0.0 {
            return Err(DmsError::Singular(
                "the fitted stress amplitude is exactly 0: the phase is undefined".into(),
            ));
        }
        let va = (a * a * cov(1, 1) + 2.0 * a * b * cov(1, 2) + b * b * cov(2, 2)) / (amp * amp);
        let vd = (b * b * cov(1, 1) - 2.0 * a * b * cov(1, 2) + a * a * cov(2, 2)) / amp.powi(4);
        let g = self.opts.strain_amplitude;
        Ok(OscillationFit {
            period: t_w,
            strain_amplitude: g,
            sigma0,
            sigma0_error: cov(0, 0).max(0.0).sqrt(),
            sigma_amplitude: amp,
            sigma_amplitude_error: va.max(0.0).sqrt(),
            delta: b.atan2(a),
            delta_error: vd.max(0.0).sqrt(),
            storage_modulus: a / g,
            storage_modulus_error: cov(1, 1).max(0.0).sqrt() / g,
            loss_modulus: b / g,
            loss_modulus_error: cov(2, 2).max(0.0).sqrt() / g,
            loss_tangent: b / a,
            cycles_fitted: cycles - k,
            cycles_dropped: k,
            samples: n,
            r_squared: if sst > 0.0 { 1.0 - ssr / sst } else { 1.0 },
            rms_residual: (ssr / n as f64).sqrt(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> OscillationFitOptions {
        OscillationFitOptions {
            period: 2.0,
            strain_amplitude: 0.01,
            transient_cycles: 1,
        }
    }

    /// Deterministic noise in [−0.5, 0.5).
    fn noise(i: usize) -> f64 {
        let x = (i as u64)
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    /// Least squares by Cramer's rule on the normal equations and a two-pass residual: an
    /// independent oracle for (σ0, a, b) and SSR of the samples with t in [lo, hi).
    fn oracle(samples: &[(f64, f64)], lo: f64, hi: f64, omega: f64) -> ([f64; 3], f64, usize) {
        let rows: Vec<([f64; 3], f64)> = samples
            .iter()
            .filter(|(t, _)| *t >= lo && *t < hi)
            .map(|&(t, s)| ([1.0, (omega * t).sin(), (omega * t).cos()], s))
            .collect();
        let mut m = [[0.0; 3]; 3];
        let mut v = [0.0; 3];
        for (r, s) in &rows {
            for i in 0..3 {
                v[i] += r[i] * s;
                for j in 0..3 {
                    m[i][j] += r[i] * r[j];
                }
            }
        }
        let det = |m: &[[f64; 3]; 3]| {
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        };
        let d = det(&m);
        let mut c = [0.0; 3];
        for k in 0..3 {
            let mut mk = m;
            for i in 0..3 {
                mk[i][k] = v[i];
            }
            c[k] = det(&mk) / d;
        }
        let ssr = rows
            .iter()
            .map(|(r, s)| (s - r[0] * c[0] - r[1] * c[1] - r[2] * c[2]).powi(2))
            .sum();
        (c, ssr, rows.len())
    }

    #[test]
    fn fit_at_any_time_is_least_squares_over_the_completed_cycles() {
        let o = opts();
        let omega = std::f64::consts::TAU / o.period;
        let mut acc = OscillationAccumulator::new(o).unwrap();
        let mut samples = Vec::new();
        // 41 samples per period (not commensurate with it), a large static stress (1e3) and
        // noise 0.2: the offset subtraction must keep SSR accurate.
        for i in 0..260 {
            let t = i as f64 * o.period / 41.0;
            let s = 1000.0 + 0.7 * (omega * t + 0.3).sin() + 0.2 * noise(i);
            acc.push(t, s).unwrap();
            samples.push((t, s));
            if i == 50 {
                // 50/41 periods: one cycle recorded, the transient one.
                assert!(matches!(
                    acc.fit(),
                    Err(DmsError::TooFewCycles { cycles: 1, .. })
                ));
            }
            if i == 150 || i == 259 {
                let f = acc.fit().unwrap();
                let cycles = acc.cycles_complete();
                assert_eq!(cycles, (t / o.period).floor() as usize);
                let (c, ssr, n) = oracle(&samples, o.period, cycles as f64 * o.period, omega);
                assert_eq!(f.samples, n);
                assert_eq!(f.cycles_fitted, cycles - 1);
                // Sums of ~100–200 terms of size 1e3 (σ0) or 1 (a, b): round-off ≤ 1e-12
                // relative to σ0, ≤ 1e-10 relative in a, b and SSR.
                assert!(
                    (f.sigma0 - c[0]).abs() <= 1e-12 * c[0].abs(),
                    "{} {}",
                    f.sigma0,
                    c[0]
                );
                assert!(
                    (f.storage_modulus * o.strain_amplitude - c[1]).abs() <= 1e-10 * c[1].abs()
                );
                assert!((f.loss_modulus * o.strain_amplitude - c[2]).abs() <= 1e-10 * c[2].abs());
                let rms = (ssr / n as f64).sqrt();
                assert!(
                    (f.rms_residual - rms).abs() <= 1e-10 * rms,
                    "{} {rms}",
                    f.rms_residual
                );
            }
        }
        assert_eq!(acc.samples_seen(), 260);
    }

    #[test]
    fn bad_samples_and_options_are_refused() {
        let mut o = opts();
        o.strain_amplitude = -1.0;
        assert!(OscillationAccumulator::new(o).is_err());
        let mut acc = OscillationAccumulator::new(opts()).unwrap();
        acc.push(0.0, 1.0).unwrap();
        assert!(matches!(acc.push(0.0, 1.0), Err(DmsError::InvalidInput(_))));
        assert!(matches!(
            acc.push(1.0, f64::NAN),
            Err(DmsError::InvalidInput(_))
        ));
        assert!(matches!(acc.fit(), Err(DmsError::TooFewCycles { .. })));
    }
}
