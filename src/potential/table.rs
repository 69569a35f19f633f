//! `pair_style table` (styles `lookup`, `linear`, `spline`; tables in r² as LAMMPS' default
//! `rsquared`) on the sections [`crate::io::table_file`] reads: the Numerical-Recipes spline of
//! the file values, the resampled N-point tables and the lookups, in the operation order of
//! LAMMPS `src/pair_table.cpp`.

use crate::geometry::NeighborList;
use crate::io::table_file::{RFlag, TableSection};
use crate::potential::accumulate::check_inputs;
use crate::potential::evaluation::Evaluation;
use crate::potential::pair_kernel::{evaluate_pairwise, PairFunction};
use crate::potential::PotentialError;
use crate::system::System;

/// How the resampled table is interpolated (`pair_style table STYLE N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableStyle {
    Lookup,
    Linear,
    Spline,
}

/// The resampled table of one type pair (`PairTable::compute_table`).
#[derive(Debug, Clone, PartialEq)]
struct Resampled {
    innersq: f64,
    invdelta: f64,
    deltasq6: f64,
    cutsq: f64,
    cut: f64,
    rsq: Vec<f64>,
    e: Vec<f64>,
    f: Vec<f64>,
    de: Vec<f64>,
    df: Vec<f64>,
    e2: Vec<f64>,
    f2: Vec<f64>,
}

/// A ready-to-evaluate `pair_style table`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairTable {
    ntypes: usize,
    style: TableStyle,
    tablength: usize,
    tables: Vec<Resampled>,
    /// Row-major `ntypes × ntypes` index into `tables`.
    tabindex: Vec<usize>,
    max_cut: f64,
}

/// Numerical Recipes `spline` as in LAMMPS (second derivatives `y2`).
fn spline(x: &[f64], y: &[f64], yp1: f64, ypn: f64) -> Vec<f64> {
    let n = x.len();
    let mut y2 = vec![0.0; n];
    let mut u = vec![0.0; n];
    if yp1 > 0.99e30 {
        y2[0] = 0.0;
        u[0] = 0.0;
    } else {
        y2[0] = -0.5;
        u[0] = (3.0 / (x[1] - x[0])) * ((y[1] - y[0]) / (x[1] - x[0]) - yp1);
    }
    for i in 1..n - 1 {
        let sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
        let p = sig * y2[i - 1] + 2.0;
        y2[i] = (sig - 1.0) / p;
        u[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
        u[i] = (6.0 * u[i] / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
    }
    let (qn, un) = if ypn > 0.99e30 {
        (0.0, 0.0)
    } else {
        (
            0.5,
            (3.0 / (x[n - 1] - x[n - 2])) * (ypn - (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2])),
        )
    };
    y2[n - 1] = (un - qn * u[n - 2]) / (qn * y2[n - 2] + 1.0);
    for k in (0..n - 1).rev() {
        y2[k] = y2[k] * y2[k + 1] + u[k];
    }
    y2
}

/// Numerical Recipes `splint` as in LAMMPS.
fn splint(xa: &[f64], ya: &[f64], y2a: &[f64], x: f64) -> f64 {
    let (mut klo, mut khi) = (0usize, xa.len() - 1);
    while khi - klo > 1 {
        let k = (khi + klo) >> 1;
        if xa[k] > x {
            khi = k;
        } else {
            klo = k;
        }
    }
    let h = xa[khi] - xa[klo];
    let a = (xa[khi] - x) / h;
    let b = (x - xa[klo]) / h;
    a * ya[klo]
        + b * ya[khi]
        + ((a * a * a - a) * y2a[klo] + (b * b * b - b) * y2a[khi]) * (h * h) / 6.0
}

impl Resampled {
    /// `PairTable::coeff` checks + `spline_table` + `compute_table`.
    fn new(
        sec: &TableSection,
        cut: Option<f64>,
        style: TableStyle,
        tablength: usize,
        what: &str,
    ) -> Result<Self, PotentialError> {
        let ninput = sec.r.len();
        let cut = cut.unwrap_or(if sec.rflag != RFlag::None {
            sec.rhi
        } else {
            sec.r[ninput - 1]
        });
        let (rlo, rhi) = if sec.rflag == RFlag::None {
            (sec.r[0], sec.r[ninput - 1])
        } else {
            (sec.rlo, sec.rhi)
        };
        if cut <= rlo || cut > rhi {
            return Err(PotentialError::TableRange {
                table: what.to_string(),
                cutoff: cut,
                rlo,
                rhi,
            });
        }
        if rlo <= 0.0 {
            return Err(PotentialError::BadTable(format!(
                "{what}: the table must start at r > 0 (starts at {rlo})"
            )));
        }
        let matched = style == TableStyle::Linear
            && ninput == tablength
            && sec.rflag == RFlag::Squared
            && sec.rhi == cut;
        let (mut e2file, mut f2file) = (Vec::new(), Vec::new());
        if !matched {
            e2file = spline(&sec.r, &sec.e, -sec.f[0], -sec.f[ninput - 1]);
            let (fplo, fphi) = sec.fprime.unwrap_or((
                (sec.f[1] - sec.f[0]) / (sec.r[1] - sec.r[0]),
                (sec.f[ninput - 1] - sec.f[ninput - 2]) / (sec.r[ninput - 1] - sec.r[ninput - 2]),
            ));
            f2file = spline(&sec.r, &sec.f, fplo, fphi);
        }
        let e_at = |r: f64| splint(&sec.r, &sec.e, &e2file, r);
        let f_at = |r: f64| splint(&sec.r, &sec.f, &f2file, r);
        let tlm1 = tablength - 1;
        let inner = if sec.rflag != RFlag::None {
            sec.rlo
        } else {
            sec.r[0]
        };
        let innersq = inner * inner;
        let delta = (cut * cut - innersq) / tlm1 as f64;
        let mut t = Resampled {
            innersq,
            invdelta: 1.0 / delta,
            deltasq6: 0.0,
            cutsq: cut * cut,
            cut,
            rsq: Vec::new(),
            e: Vec::new(),
            f: Vec::new(),
            de: Vec::new(),
            df: Vec::new(),
            e2: Vec::new(),
            f2: Vec::new(),
        };
        match style {
            TableStyle::Lookup => {
                for i in 0..tlm1 {
                    let rsq = innersq + (i as f64 + 0.5) * delta;
                    let r = rsq.sqrt();
                    t.e.push(e_at(r));
                    t.f.push(f_at(r) / r);
                }
            }
            TableStyle::Linear => {
                for i in 0..tablength {
                    let rsq = innersq + i as f64 * delta;
                    let r = rsq.sqrt();
                    t.rsq.push(rsq);
                    if matched {
                        t.e.push(sec.e[i]);
                        t.f.push(sec.f[i] / r);
                    } else {
                        t.e.push(e_at(r));
                        t.f.push(f_at(r) / r);
                    }
                }
                for i in 0..tlm1 {
                    t.de.push(t.e[i + 1] - t.e[i]);
                    t.df.push(t.f[i + 1] - t.f[i]);
                }
            }
            TableStyle::Spline => {
                t.deltasq6 = delta * delta / 6.0;
                for i in 0..tablength {
                    let rsq = innersq + i as f64 * delta;
                    let r = rsq.sqrt();
                    t.rsq.push(rsq);
                    t.e.push(e_at(r));
                    t.f.push(f_at(r));
                }
                let ep0 = -t.f[0] / (2.0 * innersq.sqrt());
                let epn = -t.f[tlm1] / (2.0 * cut);
                t.e2 = spline(&t.rsq, &t.e, ep0, epn);
                let secant_factor = 0.1;
                let fp0 = match sec.fprime {
                    Some((fplo, _)) => {
                        (fplo / innersq.sqrt() - t.f[0] / innersq) / (2.0 * innersq.sqrt())
                    }
                    None => {
                        let rsq1 = innersq;
                        let rsq2 = rsq1 + secant_factor * delta;
                        (f_at(rsq2.sqrt()) / rsq2.sqrt() - t.f[0] / rsq1.sqrt())
                            / (secant_factor * delta)
                    }
                };
                let fpn = match sec.fprime {
                    Some((_, fphi)) if cut == sec.r[ninput - 1] => {
                        (fphi / cut - t.f[tlm1] / (cut * cut)) / (2.0 * cut)
                    }
                    _ => {
                        let rsq2 = cut * cut;
                        let rsq1 = rsq2 - secant_factor * delta;
                        (t.f[tlm1] / rsq2.sqrt() - f_at(rsq1.sqrt()) / rsq1.sqrt())
                            / (secant_factor * delta)
                    }
                };
                for i in 0..tablength {
                    t.f[i] /= t.rsq[i].sqrt();
                }
                t.f2 = spline(&t.rsq, &t.f, fp0, fpn);
            }
        }
        Ok(t)
    }
}

/// One `pair_coeff` of a table potential: 0-based inclusive type ranges I and J, the table
/// section, the explicit cutoff if given, and a name for messages (`file KEYWORD`).
pub type TableCoeff = (
    (usize, usize),
    (usize, usize),
    TableSection,
    Option<f64>,
    String,
);

impl PairTable {
    /// `pair_style table STYLE N` with one [`TableCoeff`] per `pair_coeff`; every type pair
    /// must be covered.
    pub fn new(
        ntypes: usize,
        style: TableStyle,
        tablength: usize,
        coeffs: &[TableCoeff],
    ) -> Result<Self, PotentialError> {
        if tablength < 2 {
            return Err(PotentialError::BadTable(format!(
                "table length must be ≥ 2, got {tablength}"
            )));
        }
        let mut tables = Vec::with_capacity(coeffs.len());
        let mut set: Vec<Option<usize>> = vec![None; ntypes * ntypes];
        for ((ilo, ihi), (jlo, jhi), sec, cut, what) in coeffs {
            tables.push(Resampled::new(sec, *cut, style, tablength, what)?);
            for i in *ilo..=*ihi {
                for j in (*jlo).max(i)..=*jhi {
                    set[i * ntypes + j] = Some(tables.len() - 1);
                    set[j * ntypes + i] = Some(tables.len() - 1);
                }
            }
        }
        let mut tabindex = Vec::with_capacity(ntypes * ntypes);
        for i in 0..ntypes {
            for j in 0..ntypes {
                let (a, b) = if i <= j { (i, j) } else { (j, i) };
                tabindex.push(
                    set[a * ntypes + b].ok_or(PotentialError::MissingCoefficients {
                        type_i: a + 1,
                        type_j: b + 1,
                    })?,
                );
            }
        }
        let max_cut = tables.iter().map(|t| t.cut).fold(0.0, f64::max);
        Ok(PairTable {
            ntypes,
            style,
            tablength,
            tables,
            tabindex,
            max_cut,
        })
    }

    pub fn ntypes(&self) -> usize {
        self.ntypes
    }

    pub fn cutoff(&self) -> f64 {
        self.max_cut
    }

    /// Energy, forces and virials (full neighbor list with cutoff ≥ [`PairTable::cutoff`]).
    /// A pair inside the cutoff but below the table's inner radius is an error, as in LAMMPS.
    pub fn evaluate(
        &self,
        sys: &System,
        list: &NeighborList,
    ) -> Result<Evaluation, PotentialError> {
        check_inputs(sys, list, self.ntypes, self.max_cut)?;
        match evaluate_pairwise(self, sys, list) {
            Err(PotentialError::NonFinite { atom_id }) => {
                Err(PotentialError::OutsideTable { atom_id })
            }
            other => other,
        }
    }
}

impl PairFunction for PairTable {
    #[inline(always)]
    fn max_cutoff(&self) -> f64 {
        self.max_cut
    }

    #[inline(always)]
    fn energy_fpair(&self, ti: usize, tj: usize, rsq: f64) -> Option<(f64, f64)> {
        let tb = &self.tables[self.tabindex[ti * self.ntypes + tj]];
        if rsq >= tb.cutsq {
            return None;
        }
        let tlm1 = self.tablength - 1;
        let outside = Some((f64::NAN, f64::NAN));
        if rsq < tb.innersq {
            return outside;
        }
        let itable = ((rsq - tb.innersq) * tb.invdelta) as usize;
        if itable >= tlm1 {
            return outside;
        }
        Some(match self.style {
            TableStyle::Lookup => (tb.e[itable], tb.f[itable]),
            TableStyle::Linear => {
                let fraction = (rsq - tb.rsq[itable]) * tb.invdelta;
                let fpair = tb.f[itable] + fraction * tb.df[itable];
                (tb.e[itable] + fraction * tb.de[itable], fpair)
            }
            TableStyle::Spline => {
                let b = (rsq - tb.rsq[itable]) * tb.invdelta;
                let a = 1.0 - b;
                let fpair = a * tb.f[itable]
                    + b * tb.f[itable + 1]
                    + ((a * a * a - a) * tb.f2[itable] + (b * b * b - b) * tb.f2[itable + 1])
                        * tb.deltasq6;
                let e = a * tb.e[itable]
                    + b * tb.e[itable + 1]
                    + ((a * a * a - a) * tb.e2[itable] + (b * b * b - b) * tb.e2[itable + 1])
                        * tb.deltasq6;
                (e, fpair)
            }
        })
    }
}
