//! `pelkit learn fit|predict`: per-atom regression of a dump column (e.g. stiffness K) from
//! per-atom feature columns (e.g. the g_i(r) descriptors of `pelkit rdf --per-atom`), with the
//! one-hidden-layer network of seed 003 and a ridge baseline (`pelkit::analysis::learn`).

mod plot;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use pelkit::analysis::learn::metrics::{mse, pearson, r2};
use pelkit::analysis::learn::mlp::{Activation, Mlp, TrainSettings};
use pelkit::analysis::learn::ridge::Ridge;
use pelkit::analysis::learn::{kfold, Matrix, Model};
use pelkit::io::dump::write_dump_system;

use super::table::{last_frame, read_column, read_columns, require_same_ids};

#[derive(Args)]
pub struct LearnArgs {
    #[command(subcommand)]
    pub command: LearnCommand,
}

#[derive(Subcommand)]
pub enum LearnCommand {
    /// Train a network (and the ridge baseline) on FEATURES LABELS pairs; report k-fold CV and
    /// the held-out sample's scores.
    Fit(FitArgs),
    /// Apply a model.json to a features dump.
    Predict(PredictArgs),
}

#[derive(Args)]
#[command(after_help = "\
Samples are given as pairs FEATURES LABELS: FEATURES a dump whose feature columns start with
--prefix (default g, as written by `pelkit rdf --per-atom`), LABELS a dump column FILE:COL (default
column K, as written by `pelkit stiffness`). Atoms are matched by id within a pair. With two or
more pairs the LAST pair is the test sample (split by sample, as seed 003); with one pair, a
random 20 % of its atoms (seeded) is the test set.
Network: features → hidden (activation) → 1, MSE loss, Adam (β 0.9/0.999), mini-batches,
Glorot-uniform (normalized) initialisation; features and label standardised on the training set.
Ridge: closed form on the raw features, intercept unpenalised.
Overfitting: --weight-decay λ (L2), --validation FRAC --patience N (early stopping on a random
FRAC of the training atoms; also inside every k-fold round).
Example:
  pelkit learn fit g1.dump K1.dump g2.dump K2.dump g3.dump K3.dump --hidden 200 \\
    --activation relu --epochs 200 -o model.json --plot pred.png")]
pub struct FitArgs {
    /// FEATURES LABELS [FEATURES LABELS …]
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<String>,
    /// Prefix of the feature columns.
    #[arg(long, default_value = "g")]
    pub prefix: String,
    #[arg(long, default_value_t = 200)]
    pub hidden: usize,
    /// relu, tanh or sigmoid.
    #[arg(long, default_value = "relu")]
    pub activation: String,
    #[arg(long, default_value_t = 200)]
    pub epochs: usize,
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// L2 weight decay λ: λ·w added to the gradient of every weight (standardised units).
    #[arg(long, default_value_t = 0.0)]
    pub weight_decay: f64,
    /// Early stopping: hold out this fraction of the training atoms (seeded, random) as a
    /// validation set and keep the weights of the epoch with the lowest validation MSE.
    /// 0 = no validation set (train all epochs, keep the last weights).
    #[arg(long, default_value_t = 0.0)]
    pub validation: f64,
    /// With --validation: stop after this many epochs without a new validation minimum
    /// (0 = run all --epochs).
    #[arg(long, default_value_t = 20)]
    pub patience: usize,
    /// Seed of the initial weights, shuffles and splits.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// k-fold cross-validation on the training set (0 = none).
    #[arg(long, default_value_t = 0)]
    pub kfold: usize,
    /// Ridge penalty λ of the baseline (on raw features).
    #[arg(long, default_value_t = 1e-3)]
    pub ridge: f64,
    /// Write the network as JSON.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Write the ridge baseline as JSON.
    #[arg(long)]
    pub ridge_output: Option<PathBuf>,
    /// Predicted vs real plot (100-atom coarse grains), PNG or SVG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Print one JSON object with the scores.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub progress: crate::common::QuietArg,
}

#[derive(Args)]
pub struct PredictArgs {
    /// model.json from `pelkit learn fit`.
    pub model: PathBuf,
    /// Features dump.
    pub features: PathBuf,
    /// Prefix of the feature columns.
    #[arg(long, default_value = "g")]
    pub prefix: String,
    /// Labels FILE:COL to score the prediction against (optional).
    #[arg(long)]
    pub labels: Option<String>,
    /// Per-atom output: dump with id type x y z ix iy iz pred.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: LearnArgs) -> Result<()> {
    match args.command {
        LearnCommand::Fit(a) => fit(a),
        LearnCommand::Predict(a) => predict(a),
    }
}

/// Features of one dump: (ids sorted, matrix, column names).
fn read_features(path: &std::path::Path, prefix: &str) -> Result<(Vec<u64>, Matrix, Vec<String>)> {
    let frame = last_frame(path)?;
    let names: Vec<String> = frame
        .columns
        .iter()
        .filter(|c| c.starts_with(prefix) && c.as_str() != "id" && c.as_str() != "type")
        .cloned()
        .collect();
    if names.is_empty() {
        bail!(
            "{}: no feature columns starting with '{prefix}' (columns: {})",
            path.display(),
            frame.columns.join(" ")
        );
    }
    let (ids, data) = read_columns(&frame, &names);
    Ok((
        ids.clone(),
        Matrix::new(ids.len(), names.len(), data),
        names,
    ))
}

struct Sample {
    x: Matrix,
    y: Vec<f64>,
}

fn stack(samples: &[&Sample]) -> Sample {
    let cols = samples[0].x.cols;
    let mut data = Vec::new();
    let mut y = Vec::new();
    for s in samples {
        data.extend_from_slice(&s.x.data);
        y.extend_from_slice(&s.y);
    }
    Sample {
        x: Matrix::new(y.len(), cols, data),
        y,
    }
}

fn scores(pred: &[f64], truth: &[f64]) -> serde_json::Value {
    serde_json::json!({"n": truth.len(), "mse": mse(pred, truth), "r2": r2(pred, truth),
        "pearson": pearson(pred, truth)})
}

/// The network on `x`, `y`; with `validation` > 0 a seeded random fraction of the rows is held
/// out for early stopping.
fn train_network(x: &Matrix, y: &[f64], settings: &TrainSettings, validation: f64) -> Result<Mlp> {
    if validation <= 0.0 {
        return Ok(Mlp::fit(x, y, settings)?);
    }
    let n = y.len();
    let nval = ((validation * n as f64).round() as usize).clamp(1, n.saturating_sub(2).max(1));
    let mut idx: Vec<usize> = (0..n).collect();
    pelkit::random::Rng::new(settings.seed ^ 0x7a11d).shuffle(&mut idx);
    let (val, tr) = idx.split_at_mut(nval);
    val.sort_unstable();
    tr.sort_unstable();
    let pick = |rows: &[usize]| rows.iter().map(|&i| y[i]).collect::<Vec<f64>>();
    let (yv, ytr) = (pick(val), pick(tr));
    Ok(Mlp::fit_validated(
        &x.select(tr),
        &ytr,
        Some((&x.select(val), &yv)),
        settings,
    )?)
}

fn fit(args: FitArgs) -> Result<()> {
    if !(0.0..1.0).contains(&args.validation) {
        bail!(
            "--validation {}: a fraction in [0, 1) of the training atoms",
            args.validation
        );
    }
    if !args.files.len().is_multiple_of(2) {
        bail!("give FEATURES LABELS pairs, got {} files", args.files.len());
    }
    let activation = Activation::from_name(&args.activation)
        .with_context(|| format!("--activation '{}': relu, tanh or sigmoid", args.activation))?;
    let mut samples = Vec::new();
    let mut feature_names: Option<Vec<String>> = None;
    for pair in args.files.chunks(2) {
        let path = PathBuf::from(&pair[0]);
        let (ids, x, names) = read_features(&path, &args.prefix)?;
        if let Some(f) = &feature_names {
            if *f != names {
                bail!(
                    "{} has {} feature columns that differ from the first file's {}",
                    path.display(),
                    names.len(),
                    f.len()
                );
            }
        } else {
            feature_names = Some(names);
        }
        let (lids, y) = read_column(&pair[1], Some("K"))?;
        require_same_ids(&ids, &pair[0], &lids, &pair[1])?;
        samples.push(Sample { x, y });
    }
    let (train, test) = if samples.len() >= 2 {
        let test = samples.pop().unwrap();
        (stack(&samples.iter().collect::<Vec<_>>()), test)
    } else {
        let s = samples.pop().unwrap();
        let folds = kfold(s.y.len(), 5, args.seed ^ 0x5eed)?;
        let test_idx = &folds[0];
        let mut train_idx: Vec<usize> = folds[1..].concat();
        train_idx.sort_unstable();
        let mut test_sorted = test_idx.clone();
        test_sorted.sort_unstable();
        (
            Sample {
                x: s.x.select(&train_idx),
                y: train_idx.iter().map(|&i| s.y[i]).collect(),
            },
            Sample {
                x: s.x.select(&test_sorted),
                y: test_sorted.iter().map(|&i| s.y[i]).collect(),
            },
        )
    };
    let settings = TrainSettings {
        hidden: args.hidden,
        activation,
        epochs: args.epochs,
        batch: args.batch,
        learning_rate: args.lr,
        weight_decay: args.weight_decay,
        seed: args.seed,
        patience: args.patience,
    };
    let bar = super::common::progress(args.progress.quiet || args.json, (args.kfold + 1) as u64);
    let mut cv = Vec::new();
    if args.kfold > 0 {
        let folds = kfold(train.y.len(), args.kfold, args.seed)?;
        for f in 0..folds.len() {
            let mut tr: Vec<usize> = folds
                .iter()
                .enumerate()
                .filter(|(g, _)| *g != f)
                .flat_map(|(_, v)| v.iter().copied())
                .collect();
            tr.sort_unstable();
            let te = &folds[f];
            let ytr: Vec<f64> = tr.iter().map(|&i| train.y[i]).collect();
            let yte: Vec<f64> = te.iter().map(|&i| train.y[i]).collect();
            let m = train_network(&train.x.select(&tr), &ytr, &settings, args.validation)?;
            let p = m.predict(&train.x.select(te))?;
            cv.push(scores(&p, &yte));
            bar.inc(1);
        }
    }
    let net = train_network(&train.x, &train.y, &settings, args.validation)?;
    bar.finish_and_clear();
    let ridge = Ridge::fit(&train.x, &train.y, args.ridge)?;
    let p_train = net.predict(&train.x)?;
    let p_test = net.predict(&test.x)?;
    let r_train = ridge.predict(&train.x)?;
    let r_test = ridge.predict(&test.x)?;
    let cv_mean = |key: &str| {
        if cv.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::json!(
                cv.iter()
                    .map(|c| c[key].as_f64().unwrap_or(f64::NAN))
                    .sum::<f64>()
                    / cv.len() as f64
            )
        }
    };
    let report = serde_json::json!({
        "features": train.x.cols, "train_atoms": train.y.len(), "test_atoms": test.y.len(),
        "network": {"train": scores(&p_train, &train.y), "test": scores(&p_test, &test.y),
            "final_loss": net.loss_history.last(), "epochs_run": net.loss_history.len(),
            "weight_decay": args.weight_decay, "validation_fraction": args.validation,
            "best_epoch": net.best_epoch,
            "validation_mse": net.best_epoch.map(|e| net.validation_history[e] * net.y_std * net.y_std)},
        "ridge": {"penalty": args.ridge, "train": scores(&r_train, &train.y), "test": scores(&r_test, &test.y)},
        "kfold": {"k": args.kfold, "folds": cv, "mean_mse": cv_mean("mse"), "mean_r2": cv_mean("r2")},
    });
    if let Some(path) = &args.output {
        std::fs::write(path, serde_json::to_string(&Model::Mlp(net))?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.ridge_output {
        std::fs::write(path, serde_json::to_string(&Model::Ridge(ridge))?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.plot {
        plot::predicted_vs_real(path, (&train.y, &p_train), (&test.y, &p_test))?;
    }
    if args.json {
        println!("{report}");
    } else {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}

fn predict(args: PredictArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.model)
        .with_context(|| format!("reading {}", args.model.display()))?;
    let model: Model = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a pelkit learn model", args.model.display()))?;
    let (ids, x, _) = read_features(&args.features, &args.prefix)?;
    let pred = model.predict(&x).with_context(|| {
        format!(
            "applying {} to {}",
            args.model.display(),
            args.features.display()
        )
    })?;
    let mut report = serde_json::json!({"natoms": pred.len(), "features": x.cols});
    if let Some(spec) = &args.labels {
        let (lids, y) = read_column(spec, Some("K"))?;
        require_same_ids(&ids, &args.features.display().to_string(), &lids, spec)?;
        report["scores"] = scores(&pred, &y);
    }
    if let Some(path) = &args.output {
        let mut sys = pelkit::io::read_configuration(&args.features, None)?;
        let order = sys.order_by_id();
        // pred is in id order; put it back in the system's order.
        let mut by_row = vec![0.0; pred.len()];
        for (k, &i) in order.iter().enumerate() {
            by_row[i] = pred[k];
        }
        sys.velocities = None;
        write_dump_system(path, &sys, 0, &[("pred", &by_row)])
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        println!("{report}");
    } else {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}
