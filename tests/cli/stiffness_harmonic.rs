//! Atomic stiffness of a nearly harmonic crystal: FCC Cu with the Zhou–Johnson–Wadley EAM at
//! 2 K (canonical starting displacements), K_i from pelkit's NVT runs (`protocol::stiffness`) against the harmonic value
//! k_BT/⟨Δr²⟩ = N / Σ_m (1/λ_m) from the eigenvalues λ_m of the finite-difference Hessian
//! (NumPy `eigvalsh`, the 3 translations dropped); and the per-atom MSD against NumPy's on the
//! same trajectory (written as a dump) to 1e-10.
#[path = "../common/mod.rs"]
mod common;

use common::crystal::{crystal, Lattice};
use pelkit::analysis::stiffness::VibrationalMsd;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::units::Units;

use pelkit::potential::eam::Eam;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouElement, ZhouGrid};
use pelkit::potential::Potential;
use pelkit::protocol::stiffness::{run_stiffness, StiffnessSettings};
use pelkit::System;

fn cu_crystal() -> (System, Potential) {
    let setfl = zhou_setfl(&["Cu"], &ZhouGrid::default()).unwrap();
    let eam = Eam::from_setfl(&setfl, &[0]).unwrap();
    let pot = Potential::Eam(eam);
    let a = ZhouElement::get("Cu").unwrap().fcc_lattice_constant();
    let mut sys = crystal(Lattice::Fcc, a, 4, [0; 3]);
    sys.masses = vec![Some(pot.masses().unwrap()[0])];
    (sys, pot)
}

/// Central-difference Hessian (eV/Å²), row-major 3N × 3N. Step 5e-3 Å, near the thermal
/// amplitude at 2 K (u_rms ≈ 0.007 Å): the tabulated EAM is a C¹ cubic spline (LAMMPS'
/// `interpolate`), whose second derivative jumps at the knots (every 0.003 Å in r, and in ρ), so
/// a 1e-4 Å step samples one segment's curvature and came out ~20 % softer than the energy
/// change over thermal displacements; 5e-3 Å averages over the knots as the vibration does.
fn hessian(sys: &System, pot: &Potential) -> Vec<f64> {
    let n3 = 3 * sys.natoms();
    let h = 5e-3;
    let mut out = vec![0.0; n3 * n3];
    let mut s = sys.clone();
    for c in 0..n3 {
        let (i, d) = (c / 3, c % 3);
        s.positions[i][d] = sys.positions[i][d] + h;
        let fp = pot.evaluate_system(&s).unwrap().forces;
        s.positions[i][d] = sys.positions[i][d] - h;
        let fm = pot.evaluate_system(&s).unwrap().forces;
        s.positions[i][d] = sys.positions[i][d];
        for r in 0..n3 {
            out[r * n3 + c] = -(fp[r / 3][r % 3] - fm[r / 3][r % 3]) / (2.0 * h);
        }
    }
    out
}

#[test]
fn fcc_cu_matches_harmonic_force_constants_and_numpy_msd() {
    let python = require_python!();
    let dir = common::scratch("stiffness_harmonic");
    let (sys, pot) = cu_crystal();
    let n = sys.natoms();

    // Harmonic reference from NumPy's eigen-decomposition of the symmetrised Hessian, and
    // canonical starting displacements: u = Σ_m q_m e_m with q_m ~ N(0, k_BT/λ_m). A nearly
    // harmonic crystal never shares energy between its modes, so each run keeps the mode
    // energies it starts with: starting canonical makes each run an unbiased sample and the
    // spread over seeds an honest statistical error.
    let temperature = 2.0;
    let seeds: Vec<u64> = (1..=8).collect();
    let hess = hessian(&sys, &pot);
    let text: String = hess.iter().map(|v| format!("{v:.17e}\n")).collect();
    std::fs::write(dir.join("hessian.txt"), text).unwrap();
    let out = common::run_python(
        &python,
        &dir,
        &format!(
            "import numpy as np\n\
             h = np.loadtxt('hessian.txt').reshape({n3}, {n3})\n\
             w, v = np.linalg.eigh(0.5 * (h + h.T))\n\
             assert abs(w[:3]).max() < 1e-6 * w[-1], w[:4]\n\
             assert w[3] > 0\n\
             print('%.17g' % ({n} / np.sum(1.0 / w[3:])))\n\
             kT = {kt:?}\n\
             for s in {seeds:?}:\n\
             \x20   q = np.random.default_rng(s).normal(size={n3} - 3) * np.sqrt(kT / w[3:])\n\
             \x20   print(' '.join('%.17g' % x for x in v[:, 3:] @ q))\n",
            n3 = 3 * n,
            kt = Units::Metal.boltz() * temperature,
        ),
    );
    let mut lines = out.lines();
    let k_harmonic: f64 = lines.next().unwrap().trim().parse().unwrap();
    let starts: Vec<Vec<f64>> = lines
        .map(|l| l.split_whitespace().map(|t| t.parse().unwrap()).collect())
        .collect();
    assert_eq!(starts.len(), seeds.len());

    let mut k_runs = Vec::new();
    let mut frames = Vec::new();
    for (&seed, u) in seeds.iter().zip(&starts) {
        let mut start = sys.clone();
        for (k, du) in u.iter().enumerate() {
            start.positions[k / 3][k % 3] += du;
        }
        let mut provider = PotentialProvider::new(pot.clone(), 1.0).unwrap();
        let settings = StiffnessSettings {
            units: Units::Metal,
            temperatures: vec![temperature],
            dt: 0.002,
            t_damp: 0.2,
            equilibration_steps: 0,
            production_steps: 5000,
            sample_every: 10,
            seed,
        };
        let record = seed == 1;
        let res = run_stiffness(
            &start,
            &mut provider,
            &settings,
            &mut |_, _| {},
            &mut |_, s| {
                if record {
                    frames
                        .push(pelkit::io::dump::system_frame(s, frames.len() as u64, &[]).unwrap());
                }
            },
        )
        .unwrap();
        let run = &res.runs[0];
        assert!((run.measured_temperature - temperature).abs() < 0.1 * temperature);
        assert_eq!(run.frames, 501);
        // Stiffness of the mean MSD over the (equivalent) atoms.
        let msd_mean = run.msd.iter().sum::<f64>() / n as f64;
        k_runs.push(Units::Metal.boltz() * temperature / msd_mean);
        if record {
            // Same trajectory through a dump and NumPy.
            pelkit::io::dump::write_dump(&dir.join("traj.dump"), &frames).unwrap();
            let out = common::run_python(
                &python,
                &dir,
                "import numpy as np\n\
                 frames = []\n\
                 lines = open('traj.dump').read().split('\\n')\n\
                 k = 0\n\
                 while k < len(lines):\n\
                 \x20   if lines[k].startswith('ITEM: NUMBER OF ATOMS'):\n\
                 \x20       n = int(lines[k + 1])\n\
                 \x20   if lines[k].startswith('ITEM: BOX BOUNDS'):\n\
                 \x20       lo_hi = np.array([[float(v) for v in lines[k + 1 + d].split()] for d in range(3)])\n\
                 \x20   if lines[k].startswith('ITEM: ATOMS'):\n\
                 \x20       cols = lines[k].split()[2:]\n\
                 \x20       a = np.array([[float(v) for v in l.split()] for l in lines[k + 1:k + 1 + n]])\n\
                 \x20       c = {c: a[:, j] for j, c in enumerate(cols)}\n\
                 \x20       L = lo_hi[:, 1] - lo_hi[:, 0]\n\
                 \x20       x = np.stack([c[d] + c['i' + d] * L[m] for m, d in enumerate('xyz')], 1)\n\
                 \x20       frames.append(x)\n\
                 \x20       k += n\n\
                 \x20   k += 1\n\
                 x = np.array(frames)\n\
                 x = x - x.mean(axis=1, keepdims=True)\n\
                 d = x - x.mean(axis=0, keepdims=True)\n\
                 msd = (d ** 2).sum(axis=2).mean(axis=0)\n\
                 print('\\n'.join('%.17g' % v for v in msd))\n",
            );
            let theirs: Vec<f64> = out.lines().map(|l| l.parse().unwrap()).collect();
            assert_eq!(theirs.len(), n);
            // Library accumulator on the dump's frames must equal the in-memory run too.
            let mut acc = VibrationalMsd::new(None);
            for f in pelkit::io::dump::read_dump(&dir.join("traj.dump")).unwrap() {
                acc.add(&f.to_system().unwrap().unwrapped_positions())
                    .unwrap();
            }
            let from_dump = acc.msd().unwrap();
            // …and so must `pelkit stiffness --trajectory` (per-atom dump sorted by id).
            let out = common::cli::pelkit()
                .args([
                    "stiffness",
                    "--trajectory",
                    "traj.dump",
                    "--temp",
                    "2",
                    "-o",
                    "K.dump",
                    "--json",
                ])
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let table = common::read_dump_table(&dir.join("K.dump"));
            // columns: id type x y z ix iy iz K msd_2
            let cli_msd: Vec<f64> = table.iter().map(|r| r[9]).collect();
            let cli_k: Vec<f64> = table.iter().map(|r| r[8]).collect();
            for i in 0..n {
                assert!(common::rel_diff(cli_msd[i], theirs[i], 0.0) < 1e-10);
                let k = Units::Metal.boltz() * temperature / theirs[i];
                assert!(common::rel_diff(cli_k[i], k, 0.0) < 1e-10);
            }
            // 1e-10 relative: both are exact-arithmetic identical estimators; NumPy subtracts the
            // per-frame centre and the time average directly, ours accumulates displacements
            // from frame 0 (round-off ~1e-14 relative of MSD ~1e-4 Å²). The ids are 1..N in
            // atom order, so the dump's id-sorted rows are the system's rows.
            for i in 0..n {
                let d1 = common::rel_diff(run.msd[i], theirs[i], 0.0);
                let d2 = common::rel_diff(from_dump[i], theirs[i], 0.0);
                assert!(
                    d1 < 1e-10 && d2 < 1e-10,
                    "atom {i}: {} {} numpy {}",
                    run.msd[i],
                    from_dump[i],
                    theirs[i]
                );
            }
        }
    }
    let m = k_runs.iter().sum::<f64>() / k_runs.len() as f64;
    let sd =
        (k_runs.iter().map(|k| (k - m).powi(2)).sum::<f64>() / (k_runs.len() - 1) as f64).sqrt();
    let sem = sd / (k_runs.len() as f64).sqrt();
    eprintln!("K harmonic {k_harmonic:.6} eV/Å², MD {m:.6} ± {sem:.6} (runs {k_runs:?})");
    // Statistical error: 4 standard errors of the mean over independent seeds, plus 1 % for the
    // finite-run bias of the time-averaged position (MSD about a 20 ps average is low by
    // ~2τ/20 ps) and the residual anharmonicity at 2 K.
    assert!(
        (m - k_harmonic).abs() <= 4.0 * sem + 0.01 * k_harmonic,
        "K from MD {m} ± {sem} vs harmonic {k_harmonic}"
    );
}

/// `pelkit stiffness` with MD: two temperatures on the 256-atom crystal; the `K` column is the
/// mean of the `K_<T>` columns and each `K_<T>` is k_BT/msd_<T> (identities, 1e-12), the JSON
/// reports both runs at their temperatures, and a bad --temp is a clear error.
#[test]
fn cli_stiffness_md_columns() {
    let dir = common::scratch("stiffness_cli");
    let (mut sys, _) = cu_crystal();
    sys.masses = vec![None];
    pelkit::io::data::write_data(&dir.join("cu.data"), &sys).unwrap();
    let setfl = zhou_setfl(&["Cu"], &ZhouGrid::default()).unwrap();
    pelkit::io::eam_file::write_setfl(&dir.join("Cu.eam.alloy"), &setfl).unwrap();
    let run = |args: &[&str]| {
        common::cli::pelkit()
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let out = run(&[
        "stiffness",
        "cu.data",
        "--pair-style",
        "eam/alloy",
        "--pair-coeff",
        "* * Cu.eam.alloy Cu",
        "--temp",
        "5,10",
        "--time",
        "0.4",
        "--equilibrate",
        "0.1",
        "--timestep",
        "0.002",
        "--sample-every",
        "5",
        "-o",
        "K.dump",
        "--plot-hist",
        "K.png",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["frames"], 41);
    // columns: id type x y z ix iy iz K msd_5 K_5 msd_10 K_10
    let table = common::read_dump_table(&dir.join("K.dump"));
    let kb = Units::Metal.boltz();
    for r in &table {
        assert!(common::rel_diff(r[10], kb * 5.0 / r[9], 0.0) < 1e-12);
        assert!(common::rel_diff(r[12], kb * 10.0 / r[11], 0.0) < 1e-12);
        assert!(common::rel_diff(r[8], 0.5 * (r[10] + r[12]), 0.0) < 1e-12);
    }
    assert!(std::fs::metadata(dir.join("K.png")).unwrap().len() > 1000);
    let out = run(&[
        "stiffness",
        "cu.data",
        "--pair-style",
        "eam/alloy",
        "--pair-coeff",
        "* * Cu.eam.alloy Cu",
        "--temp",
        "300:50:50",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("START:STOP:STEP"),
        "{err}"
    );
}
