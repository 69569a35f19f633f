//! A fully connected network with one hidden layer (`features → hidden → 1`, seed 003's
//! 40–200–1), trained on the mean squared error with Adam on shuffled mini-batches.
//!
//! Features and the label are standardised with the training set's mean and standard deviation
//! (stored in the model); weights start from Glorot & Bengio's normalized initialization
//! `U(±√(6/(n_in + n_out)))`, biases at zero. Training is single-threaded and uses only the
//! seeded [`Rng`], so a fixed seed gives bit-identical models.
//!
//! Against overfitting: an L2 penalty `(λ/2)·Σw²` on the weights (not the biases), added to the
//! batch gradient before Adam (`weight_decay` = λ, in standardised units), and early stopping
//! ([`Mlp::fit_validated`]): the validation MSE is computed after every epoch, training stops
//! after `patience` epochs without a new minimum, and the weights of the best epoch are returned.

use serde::{Deserialize, Serialize};

use super::{check_xy, LearnError, Matrix, Rng, Scaler};

/// Hidden-layer activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
}

impl Activation {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "relu" => Some(Activation::Relu),
            "tanh" => Some(Activation::Tanh),
            "sigmoid" => Some(Activation::Sigmoid),
            _ => None,
        }
    }

    #[inline]
    fn apply(self, z: f64) -> f64 {
        match self {
            Activation::Relu => z.max(0.0),
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        }
    }

    /// Derivative from the activation's output `a`.
    #[inline]
    fn derivative(self, a: f64) -> f64 {
        match self {
            Activation::Relu => {
                if a > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - a * a,
            Activation::Sigmoid => a * (1.0 - a),
        }
    }
}

/// Training settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    pub hidden: usize,
    pub activation: Activation,
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    /// L2 penalty λ: `λ·w` is added to the gradient of every weight (0 = none).
    pub weight_decay: f64,
    pub seed: u64,
    /// Early stopping (with a validation set): stop after this many epochs without a lower
    /// validation MSE; 0 = run all epochs (the best epoch's weights are still returned).
    pub patience: usize,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            hidden: 200,
            activation: Activation::Relu,
            epochs: 200,
            batch: 64,
            learning_rate: 1e-3,
            weight_decay: 0.0,
            seed: 1,
            patience: 0,
        }
    }
}

/// A trained network (JSON-serialisable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mlp {
    pub activation: Activation,
    pub hidden: usize,
    pub x_scaler: Scaler,
    pub y_mean: f64,
    pub y_std: f64,
    /// `w1[h * features + f]`.
    pub w1: Vec<f64>,
    pub b1: Vec<f64>,
    pub w2: Vec<f64>,
    pub b2: f64,
    /// Training MSE (standardised label units) after each epoch.
    pub loss_history: Vec<f64>,
    /// Validation MSE (standardised label units) after each epoch; empty without validation.
    #[serde(default)]
    pub validation_history: Vec<f64>,
    /// Epoch (0-based) whose weights were kept: the validation minimum; None without validation.
    #[serde(default)]
    pub best_epoch: Option<usize>,
}

/// Weights and biases of the two layers.
#[derive(Clone)]
struct Params {
    w1: Vec<f64>,
    b1: Vec<f64>,
    w2: Vec<f64>,
    b2: [f64; 1],
}

impl Params {
    /// Network output for the standardised row `xi`; the hidden activations go to `a`.
    #[inline]
    fn forward(&self, act: Activation, xi: &[f64], a: &mut [f64]) -> f64 {
        let d = xi.len();
        let mut out = self.b2[0];
        for (k, ak) in a.iter_mut().enumerate() {
            let wk = &self.w1[k * d..(k + 1) * d];
            let z = self.b1[k] + wk.iter().zip(xi).map(|(w, v)| w * v).sum::<f64>();
            *ak = act.apply(z);
            out += self.w2[k] * *ak;
        }
        out
    }
}

struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Adam {
    fn new(n: usize) -> Self {
        Adam {
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
        }
    }

    /// One Adam step (β1 0.9, β2 0.999, ε 1e-8) on `params` with gradient `g`.
    fn step(&mut self, params: &mut [&mut [f64]], grads: &[&[f64]], lr: f64) {
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        self.t += 1;
        let c1 = 1.0 - B1.powi(self.t);
        let c2 = 1.0 - B2.powi(self.t);
        let mut k = 0;
        for (p, g) in params.iter_mut().zip(grads) {
            for (pi, gi) in p.iter_mut().zip(g.iter()) {
                self.m[k] = B1 * self.m[k] + (1.0 - B1) * gi;
                self.v[k] = B2 * self.v[k] + (1.0 - B2) * gi * gi;
                *pi -= lr * (self.m[k] / c1) / ((self.v[k] / c2).sqrt() + 1e-8);
                k += 1;
            }
        }
    }
}

impl Mlp {
    pub fn features(&self) -> usize {
        self.x_scaler.mean.len()
    }

    /// Train on `x` (rows = samples) and `y` for `s.epochs` epochs.
    pub fn fit(x: &Matrix, y: &[f64], s: &TrainSettings) -> Result<Mlp, LearnError> {
        Self::fit_validated(x, y, None, s)
    }

    /// Train on `x`, `y`; with `validation = Some((xv, yv))`, early stopping on the validation
    /// MSE (see the module doc): the returned weights are those of the best epoch.
    pub fn fit_validated(
        x: &Matrix,
        y: &[f64],
        validation: Option<(&Matrix, &[f64])>,
        s: &TrainSettings,
    ) -> Result<Mlp, LearnError> {
        check_xy(x, y)?;
        if let Some((xv, yv)) = validation {
            check_xy(xv, yv)?;
            if xv.cols != x.cols {
                return Err(LearnError::FeatureCount {
                    expected: x.cols,
                    got: xv.cols,
                });
            }
            if xv.rows == 0 {
                return Err(LearnError::TooFewSamples { need: 1, got: 0 });
            }
        }
        if s.hidden == 0
            || s.batch == 0
            || s.learning_rate.is_nan()
            || s.learning_rate <= 0.0
            || s.weight_decay < 0.0
        {
            return Err(LearnError::BadSetting(
                "hidden, batch and learning rate must be positive, weight decay >= 0".into(),
            ));
        }
        if x.rows < 2 {
            return Err(LearnError::TooFewSamples {
                need: 2,
                got: x.rows,
            });
        }
        let (n, d, h) = (x.rows, x.cols, s.hidden);
        let x_scaler = Scaler::fit(x);
        let xs = x_scaler.apply(x);
        let y_mean = y.iter().sum::<f64>() / n as f64;
        let y_sd = (y.iter().map(|v| (v - y_mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let y_std = if y_sd > 1e-300 { y_sd } else { 1.0 };
        let ys: Vec<f64> = y.iter().map(|v| (v - y_mean) / y_std).collect();
        let val = validation.map(|(xv, yv)| {
            let ysv: Vec<f64> = yv.iter().map(|v| (v - y_mean) / y_std).collect();
            (x_scaler.apply(xv), ysv)
        });

        let mut rng = Rng::new(s.seed);
        let lim1 = (6.0 / (d + h) as f64).sqrt();
        let lim2 = (6.0 / (h + 1) as f64).sqrt();
        let w1: Vec<f64> = (0..h * d)
            .map(|_| (2.0 * rng.uniform() - 1.0) * lim1)
            .collect();
        let w2: Vec<f64> = (0..h).map(|_| (2.0 * rng.uniform() - 1.0) * lim2).collect();
        let mut p = Params {
            w1,
            b1: vec![0.0; h],
            w2,
            b2: [0.0],
        };
        let mut best: Option<(usize, f64, Params)> = None;
        let mut validation_history = Vec::new();
        let mut adam = Adam::new(h * d + h + h + 1);
        let mut order: Vec<usize> = (0..n).collect();
        let (mut gw1, mut gb1, mut gw2) = (vec![0.0; h * d], vec![0.0; h], vec![0.0; h]);
        let mut a = vec![0.0; h];
        let mut loss_history = Vec::with_capacity(s.epochs);
        for epoch in 0..s.epochs {
            rng.shuffle(&mut order);
            let mut epoch_loss = 0.0;
            for batch in order.chunks(s.batch) {
                gw1.fill(0.0);
                gb1.fill(0.0);
                gw2.fill(0.0);
                let mut gb2 = 0.0;
                let inv = 1.0 / batch.len() as f64;
                for &i in batch {
                    let xi = xs.row(i);
                    let out = p.forward(s.activation, xi, &mut a);
                    let err = out - ys[i];
                    epoch_loss += err * err;
                    // d(mean err²)/d out = 2 err / batch.
                    let g = 2.0 * err * inv;
                    gb2 += g;
                    for k in 0..h {
                        gw2[k] += g * a[k];
                        let gz = g * p.w2[k] * s.activation.derivative(a[k]);
                        if gz != 0.0 {
                            gb1[k] += gz;
                            for (gw, v) in gw1[k * d..(k + 1) * d].iter_mut().zip(xi) {
                                *gw += gz * v;
                            }
                        }
                    }
                }
                if s.weight_decay > 0.0 {
                    for (g, w) in gw1.iter_mut().zip(&p.w1) {
                        *g += s.weight_decay * w;
                    }
                    for (g, w) in gw2.iter_mut().zip(&p.w2) {
                        *g += s.weight_decay * w;
                    }
                }
                adam.step(
                    &mut [&mut p.w1, &mut p.b1, &mut p.w2, &mut p.b2],
                    &[&gw1, &gb1, &gw2, &[gb2]],
                    s.learning_rate,
                );
            }
            loss_history.push(epoch_loss / n as f64);
            if let Some((xv, yv)) = &val {
                let loss = (0..xv.rows)
                    .map(|i| (p.forward(s.activation, xv.row(i), &mut a) - yv[i]).powi(2))
                    .sum::<f64>()
                    / xv.rows as f64;
                validation_history.push(loss);
                match &best {
                    Some((_, b, _)) if loss >= *b => {}
                    _ => best = Some((epoch, loss, p.clone())),
                }
                let best_epoch = best.as_ref().map_or(epoch, |b| b.0);
                if s.patience > 0 && epoch - best_epoch >= s.patience {
                    break;
                }
            }
        }
        let best_epoch = best.as_ref().map(|b| b.0);
        if let Some((_, _, kept)) = best {
            p = kept;
        }
        Ok(Mlp {
            activation: s.activation,
            hidden: h,
            x_scaler,
            y_mean,
            y_std,
            w1: p.w1,
            b1: p.b1,
            w2: p.w2,
            b2: p.b2[0],
            loss_history,
            validation_history,
            best_epoch,
        })
    }

    /// Predictions (label units) for every row of `x`.
    pub fn predict(&self, x: &Matrix) -> Result<Vec<f64>, LearnError> {
        let d = self.features();
        if x.cols != d {
            return Err(LearnError::FeatureCount {
                expected: d,
                got: x.cols,
            });
        }
        let xs = self.x_scaler.apply(x);
        Ok((0..x.rows)
            .map(|i| {
                let xi = xs.row(i);
                let mut out = self.b2;
                for k in 0..self.hidden {
                    let wk = &self.w1[k * d..(k + 1) * d];
                    let z = self.b1[k] + wk.iter().zip(xi).map(|(w, v)| w * v).sum::<f64>();
                    out += self.w2[k] * self.activation.apply(z);
                }
                self.y_mean + self.y_std * out
            })
            .collect())
    }
}
