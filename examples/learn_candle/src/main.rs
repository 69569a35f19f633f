//! Trains seed 003's 40–200–1 ReLU network (MSE, Adam, batch 64, lr 1e-3) twice on the same
//! standardised features and labels — with pelkit's hand-written trainer
//! (`pelkit::analysis::learn::mlp`) and with candle — and prints the CPU and wall time of each
//! and their final train/test scores as one JSON object.
//!
//! Both runs start from the same Glorot-uniform weights and visit the same mini-batches (the same
//! seeded `pelkit::random::Rng` draws, in the same order as `Mlp::fit`), so in f64 the two must
//! end at the same losses up to rounding: a cross-check of the hand-written backward pass too.
//!
//! Usage (threads of candle's matmuls from RAYON_NUM_THREADS; pelkit's trainer is one thread):
//!   RAYON_NUM_THREADS=1 learn_candle g1.dump K1.dump g2.dump K2.dump g3.dump K3.dump \
//!     [--epochs 200] [--dtype f64|f32] [--seed 1]
//! The last pair is the test sample, the others the training set (as `pelkit learn fit`).

use std::time::Instant;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{AdamW, Module, Optimizer, ParamsAdamW};
use pelkit::analysis::learn::metrics::{mse, r2};
use pelkit::analysis::learn::mlp::{Activation, Mlp, TrainSettings};
use pelkit::analysis::learn::{Matrix, Scaler};
use pelkit::random::Rng;

/// `(feature columns g_*, column K)` of the last frame of a LAMMPS dump, rows sorted by id.
fn read_dump(path: &str, col: &str, prefix: &str) -> (Vec<Vec<f64>>, Vec<f64>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let head = lines
        .iter()
        .rposition(|l| l.starts_with("ITEM: ATOMS"))
        .expect("no ITEM: ATOMS");
    let natoms: usize = lines[..head]
        .iter()
        .rposition(|l| l.starts_with("ITEM: NUMBER OF ATOMS"))
        .map(|k| lines[k + 1].trim().parse().unwrap())
        .unwrap();
    let names: Vec<&str> = lines[head].split_whitespace().skip(2).collect();
    let id = names.iter().position(|n| *n == "id").unwrap();
    let feat: Vec<usize> = (0..names.len())
        .filter(|&k| names[k].starts_with(prefix))
        .collect();
    let label = names.iter().position(|n| *n == col);
    let mut rows: Vec<(u64, Vec<f64>, f64)> = lines[head + 1..head + 1 + natoms]
        .iter()
        .map(|l| {
            let v: Vec<&str> = l.split_whitespace().collect();
            (
                v[id].parse().unwrap(),
                feat.iter().map(|&k| v[k].parse().unwrap()).collect(),
                label.map_or(f64::NAN, |k| v[k].parse().unwrap()),
            )
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    (
        rows.iter().map(|r| r.1.clone()).collect(),
        rows.iter().map(|r| r.2).collect(),
    )
}

fn load(pairs: &[String]) -> (Matrix, Vec<f64>) {
    let (mut data, mut y, mut cols) = (Vec::new(), Vec::new(), 0);
    for p in pairs.chunks(2) {
        let (x, _) = read_dump(&p[0], "K", "g_");
        let (_, k) = read_dump(&p[1], "K", "\u{0}");
        cols = x[0].len();
        x.iter().for_each(|r| data.extend_from_slice(r));
        y.extend(k);
    }
    (Matrix::new(y.len(), cols, data), y)
}

/// CPU seconds of the process (all threads).
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + 1e-9 * ts.tv_nsec as f64
}

/// The same network trained by candle: returns predictions (label units) on `x_train`, `x_test`.
fn candle_fit(
    x: &Matrix,
    y: &[f64],
    tests: &[&Matrix],
    s: &TrainSettings,
    dtype: DType,
) -> candle_core::Result<Vec<Vec<f64>>> {
    let dev = Device::Cpu;
    let (n, d, h) = (x.rows, x.cols, s.hidden);
    // Standardisation and initial weights exactly as `Mlp::fit` (same statistics, same draws).
    let scaler = Scaler::fit(x);
    let y_mean = y.iter().sum::<f64>() / n as f64;
    let y_std = (y.iter().map(|v| (v - y_mean).powi(2)).sum::<f64>() / n as f64).sqrt();
    let tensor = |m: &Matrix| -> candle_core::Result<Tensor> {
        Tensor::from_vec(scaler.apply(m).data, (m.rows, m.cols), &dev)?.to_dtype(dtype)
    };
    let xs = tensor(x)?;
    let ys = Tensor::from_vec(
        y.iter().map(|v| (v - y_mean) / y_std).collect::<Vec<_>>(),
        (n, 1),
        &dev,
    )?
    .to_dtype(dtype)?;
    let mut rng = Rng::new(s.seed);
    let mut glorot = |rows: usize, cols: usize, fan: usize| {
        let lim = (6.0 / fan as f64).sqrt();
        let w: Vec<f64> = (0..rows * cols)
            .map(|_| (2.0 * rng.uniform() - 1.0) * lim)
            .collect();
        Var::from_tensor(&Tensor::from_vec(w, (rows, cols), &dev)?.to_dtype(dtype)?)
    };
    let w1 = glorot(h, d, d + h)?;
    let w2 = glorot(1, h, h + 1)?;
    let b1 = Var::zeros(h, dtype, &dev)?;
    let b2 = Var::zeros(1, dtype, &dev)?;
    let hidden = candle_nn::Linear::new(w1.as_tensor().clone(), Some(b1.as_tensor().clone()));
    let output = candle_nn::Linear::new(w2.as_tensor().clone(), Some(b2.as_tensor().clone()));
    let forward = |x: &Tensor| output.forward(&hidden.forward(x)?.relu()?);
    let params = ParamsAdamW {
        lr: s.learning_rate,
        weight_decay: 0.0,
        ..Default::default()
    };
    let mut opt = AdamW::new(vec![w1, b1, w2, b2], params)?;
    let mut order: Vec<u32> = (0..n as u32).collect();
    for _ in 0..s.epochs {
        rng.shuffle(&mut order);
        for batch in order.chunks(s.batch) {
            let idx = Tensor::from_slice(batch, batch.len(), &dev)?;
            let pred = forward(&xs.index_select(&idx, 0)?)?;
            let loss = candle_nn::loss::mse(&pred, &ys.index_select(&idx, 0)?)?;
            opt.backward_step(&loss)?;
        }
    }
    let mut out = vec![];
    for m in std::iter::once(x).chain(tests.iter().copied()) {
        let p = forward(&tensor(m)?)?.flatten_all()?.to_dtype(DType::F64)?;
        out.push(
            p.to_vec1::<f64>()?
                .iter()
                .map(|v| y_mean + y_std * v)
                .collect(),
        );
    }
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .map_or(default.to_string(), |k| args[k + 1].clone())
    };
    let files: Vec<String> = {
        let mut v = vec![];
        let mut k = 0;
        while k < args.len() {
            if args[k].starts_with("--") {
                k += 2;
            } else {
                v.push(args[k].clone());
                k += 1;
            }
        }
        v
    };
    assert!(
        files.len() >= 4 && files.len() % 2 == 0,
        "FEATURES LABELS pairs"
    );
    let settings = TrainSettings {
        hidden: 200,
        activation: Activation::Relu,
        epochs: flag("--epochs", "200").parse().unwrap(),
        batch: 64,
        learning_rate: 1e-3,
        seed: flag("--seed", "1").parse().unwrap(),
        ..TrainSettings::default()
    };
    let dtype = match flag("--dtype", "f64").as_str() {
        "f32" => DType::F32,
        _ => DType::F64,
    };
    let split = files.len() - 2;
    let (xtr, ytr) = load(&files[..split]);
    let (xte, yte) = load(&files[split..]);

    let (c0, w0) = (cpu_seconds(), Instant::now());
    let net = Mlp::fit(&xtr, &ytr, &settings).unwrap();
    let (ours_cpu, ours_wall) = (cpu_seconds() - c0, w0.elapsed().as_secs_f64());
    let (p_tr, p_te) = (net.predict(&xtr).unwrap(), net.predict(&xte).unwrap());

    let (c0, w0) = (cpu_seconds(), Instant::now());
    let pc = candle_fit(&xtr, &ytr, &[&xte], &settings, dtype).unwrap();
    let (candle_cpu, candle_wall) = (cpu_seconds() - c0, w0.elapsed().as_secs_f64());

    let max_diff = p_te
        .iter()
        .zip(&pc[1])
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!(
        "{{\"train_atoms\": {}, \"test_atoms\": {}, \"epochs\": {}, \"candle_threads\": {}, \
         \"candle_dtype\": \"{:?}\", \
         \"pelkit\": {{\"cpu_s\": {ours_cpu:.3}, \"wall_s\": {ours_wall:.3}, \"train_mse\": {:.6}, \
         \"train_r2\": {:.4}, \"test_mse\": {:.6}, \"test_r2\": {:.4}}}, \
         \"candle\": {{\"cpu_s\": {candle_cpu:.3}, \"wall_s\": {candle_wall:.3}, \"train_mse\": {:.6}, \
         \"train_r2\": {:.4}, \"test_mse\": {:.6}, \"test_r2\": {:.4}}}, \
         \"max_abs_test_prediction_difference\": {max_diff:.3e}}}",
        ytr.len(),
        yte.len(),
        settings.epochs,
        candle_core::utils::get_num_threads(),
        dtype,
        mse(&p_tr, &ytr),
        r2(&p_tr, &ytr),
        mse(&p_te, &yte),
        r2(&p_te, &yte),
        mse(&pc[0], &ytr),
        r2(&pc[0], &ytr),
        mse(&pc[1], &yte),
        r2(&pc[1], &yte),
    );
}
