//! The per-point CSV of `pelkit cyclic -o FILE`: one row per (sample, γ), appended and flushed
//! as each point finishes (so an interrupted run keeps its finished points), read back by
//! `--resume`. Floats are written in Rust's shortest round-trip form.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use pelkit::io::csv_table::{read_csv, CsvOptions};
use pelkit::protocol::cyclic::CyclicPoint;

pub const HEADER: &str = "sample,input,gamma,status,stage,reason,delta,rms_dsigma,\
rms_sigma_initial,fwhm,theta,top_atoms,top_changed,changed_indices,delta_energy,energy_final,\
max_displacement,labelled_dmin,is_dmin,load_iterations,load_stop,unload_iterations,unload_stop";

/// One finished point as the CSV (and the JSON) holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub sample: usize,
    pub input: String,
    pub gamma: f64,
    /// `ok` or `failed`.
    pub status: String,
    pub stage: String,
    pub reason: String,
    pub delta: Option<f64>,
    pub rms_dsigma: Option<f64>,
    pub rms_sigma_initial: Option<f64>,
    pub fwhm: Option<f64>,
    pub theta: Option<bool>,
    pub top_atoms: Option<usize>,
    pub top_changed: Option<usize>,
    pub changed_indices: Option<usize>,
    pub delta_energy: Option<f64>,
    pub energy_final: Option<f64>,
    pub max_displacement: Option<f64>,
    pub labelled_dmin: Option<f64>,
    pub is_dmin: Option<f64>,
    pub load_iterations: Option<usize>,
    pub load_stop: String,
    pub unload_iterations: Option<usize>,
    pub unload_stop: String,
}

impl Row {
    pub fn from_point(sample: usize, input: &str, p: &CyclicPoint) -> Row {
        let mut r = Row {
            sample,
            input: input.to_string(),
            gamma: p.gamma,
            status: "ok".into(),
            stage: String::new(),
            reason: String::new(),
            delta: None,
            rms_dsigma: None,
            rms_sigma_initial: None,
            fwhm: None,
            theta: None,
            top_atoms: None,
            top_changed: None,
            changed_indices: None,
            delta_energy: None,
            energy_final: None,
            max_displacement: None,
            labelled_dmin: None,
            is_dmin: None,
            load_iterations: None,
            load_stop: String::new(),
            unload_iterations: None,
            unload_stop: String::new(),
        };
        match &p.outcome {
            Ok(o) => {
                r.delta = Some(o.delta);
                r.rms_dsigma = Some(o.rms_dsigma);
                r.rms_sigma_initial = Some(o.rms_sigma_initial);
                r.fwhm = Some(o.fwhm);
                r.theta = Some(o.theta);
                r.top_atoms = Some(o.top_atoms);
                r.top_changed = Some(o.top_changed);
                r.changed_indices = Some(o.changed_indices);
                r.delta_energy = Some(o.delta_energy);
                r.energy_final = Some(o.energy_final);
                r.max_displacement = Some(o.max_displacement);
                r.labelled_dmin = Some(o.labelled_dmin);
                r.is_dmin = o.is_dmin;
                r.load_iterations = Some(o.load.iterations);
                r.load_stop = o.load.stop.as_str().into();
                r.unload_iterations = Some(o.unload.iterations);
                r.unload_stop = o.unload.stop.as_str().into();
            }
            Err(f) => {
                r.status = "failed".into();
                r.stage = f.stage.clone();
                r.reason = f.reason.clone();
            }
        }
        r
    }

    pub fn ok(&self) -> bool {
        self.status == "ok"
    }

    pub fn to_csv(&self) -> String {
        fn o<T: ToString>(v: &Option<T>) -> String {
            v.as_ref().map(|x| x.to_string()).unwrap_or_default()
        }
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        [
            self.sample.to_string(),
            q(&self.input),
            self.gamma.to_string(),
            self.status.clone(),
            q(&self.stage),
            q(&self.reason),
            o(&self.delta),
            o(&self.rms_dsigma),
            o(&self.rms_sigma_initial),
            o(&self.fwhm),
            self.theta
                .map(|t| (t as u8).to_string())
                .unwrap_or_default(),
            o(&self.top_atoms),
            o(&self.top_changed),
            o(&self.changed_indices),
            o(&self.delta_energy),
            o(&self.energy_final),
            o(&self.max_displacement),
            o(&self.labelled_dmin),
            o(&self.is_dmin),
            o(&self.load_iterations),
            q(&self.load_stop),
            o(&self.unload_iterations),
            q(&self.unload_stop),
        ]
        .join(",")
    }

    /// Parse the fields of one data line written by [`Row::to_csv`] (as many as [`HEADER`]
    /// names); `line` is the 1-based line number.
    pub fn from_fields(f: &[String], path: &Path, line: usize) -> Result<Row> {
        let ctx = |name: &str| format!("{}:{line}: column {name}", path.display());
        fn opt<T: std::str::FromStr>(s: &str) -> std::result::Result<Option<T>, String> {
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse()
                    .map(Some)
                    .map_err(|_| format!("'{s}' is not a number"))
            }
        }
        let f64o = |i: usize, n: &str| {
            opt::<f64>(&f[i])
                .map_err(anyhow::Error::msg)
                .with_context(|| ctx(n))
        };
        let usizeo = |i: usize, n: &str| {
            opt::<usize>(&f[i])
                .map_err(anyhow::Error::msg)
                .with_context(|| ctx(n))
        };
        Ok(Row {
            sample: f[0].parse().ok().with_context(|| ctx("sample"))?,
            input: f[1].clone(),
            gamma: f[2].parse().ok().with_context(|| ctx("gamma"))?,
            status: f[3].clone(),
            stage: f[4].clone(),
            reason: f[5].clone(),
            delta: f64o(6, "delta")?,
            rms_dsigma: f64o(7, "rms_dsigma")?,
            rms_sigma_initial: f64o(8, "rms_sigma_initial")?,
            fwhm: f64o(9, "fwhm")?,
            theta: match f[10].as_str() {
                "" => None,
                "0" => Some(false),
                "1" => Some(true),
                other => bail!("{}: '{other}' (expected 0 or 1)", ctx("theta")),
            },
            top_atoms: usizeo(11, "top_atoms")?,
            top_changed: usizeo(12, "top_changed")?,
            changed_indices: usizeo(13, "changed_indices")?,
            delta_energy: f64o(14, "delta_energy")?,
            energy_final: f64o(15, "energy_final")?,
            max_displacement: f64o(16, "max_displacement")?,
            labelled_dmin: f64o(17, "labelled_dmin")?,
            is_dmin: f64o(18, "is_dmin")?,
            load_iterations: usizeo(19, "load_iterations")?,
            load_stop: f[20].clone(),
            unload_iterations: usizeo(21, "unload_iterations")?,
            unload_stop: f[22].clone(),
        })
    }
}

/// Rows of an existing CSV (for `--resume`); a missing file gives none.
pub fn read_rows(path: &Path) -> Result<Vec<Row>> {
    let table = match read_csv(path, CsvOptions::default()) {
        Ok(Some(t)) => t,
        Ok(None) => return Ok(Vec::new()),
        Err(e) if e.is_not_found() => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    if table.header_text != HEADER {
        bail!(
            "{}:{}: header '{}' is not a pelkit cyclic CSV header ({HEADER})",
            path.display(),
            table.header_line,
            table.header_text
        );
    }
    table
        .rows
        .iter()
        .map(|r| Row::from_fields(&r.fields, path, r.line))
        .collect()
}

/// Append rows to `file` and flush.
pub fn append(file: &mut std::fs::File, row: &Row) -> std::io::Result<()> {
    writeln!(file, "{}", row.to_csv())?;
    file.flush()
}
