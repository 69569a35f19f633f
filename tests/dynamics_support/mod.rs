//! Test support for the engine: a brute-force O(N²) minimum-image Kob–Andersen `lj/cut`
//! (shift yes) force provider — an independent oracle that LAMMPS `lj/cut` matches to round-off —
//! and helpers to run and parse LAMMPS minimizations.
#![allow(dead_code)]

use pelkit::engine::{EngineError, ForceProvider, ForceResult};
use pelkit::System;

/// LAMMPS input lines for the Kob–Andersen pair style (lj units).
pub const KA_PAIR: &str = "pair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n\
pair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\n\
neighbor 0.3 bin\n";

/// Kob–Andersen lj/cut with shifted energies, coefficients computed as `PairLJCut::init_one`.
pub struct KobAndersen {
    lj1: [[f64; 2]; 2],
    lj2: [[f64; 2]; 2],
    lj3: [[f64; 2]; 2],
    lj4: [[f64; 2]; 2],
    offset: [[f64; 2]; 2],
    cutsq: [[f64; 2]; 2],
}

impl KobAndersen {
    // The 2×2 type tables are filled and read by (a, b) like LAMMPS' pair_lj_cut.cpp.
    #[allow(clippy::needless_range_loop)]
    pub fn new() -> Self {
        let params = [
            [(1.0, 1.0, 2.5), (1.5, 0.8, 2.0)],
            [(1.5, 0.8, 2.0), (0.5, 0.88, 2.2)],
        ];
        let mut p = KobAndersen {
            lj1: [[0.0; 2]; 2],
            lj2: [[0.0; 2]; 2],
            lj3: [[0.0; 2]; 2],
            lj4: [[0.0; 2]; 2],
            offset: [[0.0; 2]; 2],
            cutsq: [[0.0; 2]; 2],
        };
        for a in 0..2 {
            for b in 0..2 {
                let (eps, sig, rc): (f64, f64, f64) = params[a][b];
                p.lj1[a][b] = 48.0 * eps * sig.powf(12.0);
                p.lj2[a][b] = 24.0 * eps * sig.powf(6.0);
                p.lj3[a][b] = 4.0 * eps * sig.powf(12.0);
                p.lj4[a][b] = 4.0 * eps * sig.powf(6.0);
                let ratio = sig / rc;
                p.offset[a][b] = 4.0 * eps * (ratio.powf(12.0) - ratio.powf(6.0));
                p.cutsq[a][b] = rc * rc;
            }
        }
        p
    }
}

impl ForceProvider for KobAndersen {
    // The pair loop mirrors LAMMPS' pair_lj_cut.cpp component by component (d[k], forces[i][k]).
    #[allow(clippy::needless_range_loop)]
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError> {
        let n = sys.natoms();
        out.forces.clear();
        out.forces.resize(n, [0.0; 3]);
        out.energy = 0.0;
        out.virial = [0.0; 6];
        for i in 0..n {
            let ti = (sys.types[i] - 1) as usize;
            let xi = sys.positions[i];
            for j in (i + 1)..n {
                let tj = (sys.types[j] - 1) as usize;
                let xj = sys.positions[j];
                let d = sys
                    .simbox
                    .minimum_image([xi[0] - xj[0], xi[1] - xj[1], xi[2] - xj[2]]);
                let rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if rsq >= self.cutsq[ti][tj] {
                    continue;
                }
                let r2inv = 1.0 / rsq;
                let r6inv = r2inv * r2inv * r2inv;
                let forcelj = r6inv * (self.lj1[ti][tj] * r6inv - self.lj2[ti][tj]);
                let fpair = forcelj * r2inv;
                for k in 0..3 {
                    out.forces[i][k] += d[k] * fpair;
                    out.forces[j][k] -= d[k] * fpair;
                }
                out.energy +=
                    r6inv * (self.lj3[ti][tj] * r6inv - self.lj4[ti][tj]) - self.offset[ti][tj];
                out.virial[0] += d[0] * d[0] * fpair;
                out.virial[1] += d[1] * d[1] * fpair;
                out.virial[2] += d[2] * d[2] * fpair;
                out.virial[3] += d[0] * d[1] * fpair;
                out.virial[4] += d[0] * d[2] * fpair;
                out.virial[5] += d[1] * d[2] * fpair;
            }
        }
        Ok(())
    }
}

/// Results LAMMPS printed for one `minimize`.
#[derive(Debug)]
pub struct LammpsMin {
    pub stop: String,
    pub e_initial: f64,
    pub e_final: f64,
    pub iterations: usize,
    pub evaluations: usize,
}

/// Parse the "Minimization stats" block and `print "PE_FINAL …"` / `"PE_INITIAL …"` lines
/// (energies printed with %.17g by the test script).
pub fn parse_minimize(out: &str) -> LammpsMin {
    let value = |key: &str| -> String {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(key).map(|r| r.trim().to_string()))
            .unwrap_or_else(|| panic!("'{key}' not in LAMMPS output:\n{out}"))
    };
    let it = value("Iterations, force evaluations =");
    let mut it = it.split_whitespace();
    LammpsMin {
        stop: value("Stopping criterion ="),
        e_initial: value("PE_INITIAL").parse().unwrap(),
        e_final: value("PE_FINAL").parse().unwrap(),
        iterations: it.next().unwrap().parse().unwrap(),
        evaluations: it.next().unwrap().parse().unwrap(),
    }
}

/// Set every type's mass to `m` (the fixture dumps carry no masses).
pub fn set_masses(sys: &mut System, m: f64) {
    sys.masses = vec![Some(m); sys.ntypes];
}

/// The thermo table LAMMPS printed for the last run: one row per output step, columns as in
/// the `thermo_style custom` header (requires `thermo_modify format float %.17g`).
pub fn parse_thermo(out: &str, first_column: &str) -> Vec<Vec<f64>> {
    let lines: Vec<&str> = out.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.split_whitespace().next() == Some(first_column))
        .expect("thermo header");
    lines
        .iter()
        .skip(start + 1)
        .take_while(|l| !l.starts_with("Loop time"))
        .filter_map(|l| {
            let v: Result<Vec<f64>, _> = l.split_whitespace().map(|t| t.parse::<f64>()).collect();
            v.ok().filter(|v| !v.is_empty())
        })
        .collect()
}

/// The positions LAMMPS' `read_data` stores for `sys` (triclinic boxes round-trip x → λ → x).
pub fn as_lammps_reads(sys: &mut System) {
    if sys.simbox.triclinic {
        let b = sys.simbox;
        for x in sys.positions.iter_mut() {
            *x = b.to_cartesian(b.to_fractional(*x));
        }
    }
}

/// Largest minimum-image distance between our atoms and a LAMMPS dump table
/// (`id type x y z …`, sorted by id).
pub fn max_position_difference(sys: &System, table: &[Vec<f64>]) -> f64 {
    let order = sys.order_by_id();
    assert_eq!(order.len(), table.len());
    let mut worst: f64 = 0.0;
    for (&i, row) in order.iter().zip(table) {
        assert_eq!(sys.ids[i], row[0] as u64);
        let x = sys.positions[i];
        let d = sys
            .simbox
            .minimum_image([x[0] - row[2], x[1] - row[3], x[2] - row[4]]);
        worst = worst.max((d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt());
    }
    worst
}
