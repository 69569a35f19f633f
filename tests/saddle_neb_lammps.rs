//! A vacancy hop in fcc Cu (Zhou–Johnson–Wadley EAM, 255 atoms): pelkit's climbing-image NEB
//! against LAMMPS `neb` (5 replicas under MPI, `fix neb 1.0`, parallel neigh) on the same
//! relaxed end points; and an ART nouveau event on the same crystal is a first-order saddle
//! (force ≤ tol, exactly one negative eigenvalue of the full finite-difference Hessian), also
//! with the Lanczos mode restricted to a radius around the event's atom (`mode_radius`), where
//! the atom that moved most must lie inside that radius.

mod common;

use std::path::Path;

use common::crystal::{crystal, Lattice};
use common::neb::{last_neb_line, run_neb, write_coords};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::saddle::art::{art_event, Activation, ArtSettings, ArtStatus};
use pelkit::engine::saddle::hessian::{count_eigenvalues_below, finite_difference_hessian};
use pelkit::engine::saddle::neb::{neb, NebSettings};
use pelkit::engine::saddle::SaddleError;
use pelkit::engine::{ForceProvider, ForceResult, MinimizeSettings};
use pelkit::io::eam_file::write_setfl;
use pelkit::potential::zhou2004::{zhou_setfl, ZhouElement, ZhouGrid};
use pelkit::potential::Potential;
use pelkit::System;

fn potential(file: &Path) -> Potential {
    Potential::from_lammps_args("eam/alloy", &[format!("* * {} Cu", file.display())], &[], 1)
        .unwrap()
}

fn provider(file: &Path) -> PotentialProvider {
    PotentialProvider::new(potential(file), 2.0).unwrap()
}

/// Relaxed vacancy end points: the vacancy at the origin, and the nearest neighbour at
/// (a/2, a/2, 0) moved into it.
fn endpoints(file: &Path) -> (System, System, usize) {
    let a = ZhouElement::get("Cu").unwrap().fcc_lattice_constant();
    let full = crystal(Lattice::Fcc, a, 4, [0; 3]);
    let keep: Vec<usize> = (1..full.natoms()).collect();
    let n = keep.len();
    let mut sys = System::new(
        full.simbox,
        (1..=n as u64).collect(),
        vec![1; n],
        keep.iter().map(|&i| full.positions[i]).collect(),
    );
    sys.masses = vec![Some(63.546)];
    let hop = (0..n)
        .find(|&i| {
            let p = sys.positions[i];
            (p[0] - 0.5 * a).abs() < 1e-9 && (p[1] - 0.5 * a).abs() < 1e-9 && p[2].abs() < 1e-9
        })
        .unwrap();
    let mut fin = sys.clone();
    fin.positions[hop] = [0.0; 3];
    let s = MinimizeSettings::new(0.0, 1e-8, 10_000, 100_000, false);
    minimize_cg(&mut sys, &mut provider(file), &s).unwrap();
    minimize_cg(&mut fin, &mut provider(file), &s).unwrap();
    (sys, fin, hop)
}

fn zhou_file(dir: &Path) -> std::path::PathBuf {
    let f = dir.join("Cu.zhou.eam.alloy");
    write_setfl(&f, &zhou_setfl(&["Cu"], &ZhouGrid::default()).unwrap()).unwrap();
    f
}

#[test]
fn vacancy_hop_neb_equals_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("saddle_neb_vacancy");
    let file = zhou_file(&dir);
    let (a, b, _) = endpoints(&file);
    let replicas = 5;
    pelkit::io::data::write_data(&dir.join("initial.data"), &a).unwrap();
    write_coords(&dir.join("final.coords"), &b);
    let script = "units metal\natom_style atomic\natom_modify map array\nboundary p p p\n\
        read_data initial.data\npair_style eam/alloy\npair_coeff * * Cu.zhou.eam.alloy Cu\n\
        neighbor 2.0 bin\nneigh_modify every 1 delay 0 check yes\n\
        fix 1 all neb 1.0 parallel neigh\ntimestep 0.002\nmin_style fire\n\
        thermo_modify format float %.12g\n\
        neb 0.0 1.0e-5 4000 4000 10 final final.coords\n";
    std::fs::write(dir.join("in.neb"), script).unwrap();
    let (log, t_lammps) = run_neb(&lmp, &dir, replicas);
    let line = last_neb_line(&log);
    let (ebf, ebr) = (line[6], line[7]);
    let pe_lammps: Vec<f64> = (0..replicas).map(|k| line[10 + 2 * k]).collect();

    let mut s = NebSettings::metal(replicas);
    s.kspring = 1.0;
    s.force_tol = 1e-5;
    s.max_iter = 20_000;
    let t0 = std::time::Instant::now();
    let r = neb(&a, &b, || Ok::<_, SaddleError>(provider(&file)), &s).unwrap();
    let t_ours = t0.elapsed().as_secs_f64();
    eprintln!(
        "vacancy hop: pelkit EBF {:.9} EBR {:.9} ({} it, {:.2} s); LAMMPS EBF {ebf:.9} EBR {ebr:.9} ({:.2} s wall, {replicas} ranks)",
        r.barrier_forward, r.barrier_reverse, r.iterations, t_ours, t_lammps
    );
    eprintln!(
        "image energies pelkit {:?}\n               lammps {:?}",
        r.energies, pe_lammps
    );
    assert!(r.converged);
    // Both climbing images converge onto the same saddle with |F| ≤ 1e-5 eV/Å, so their
    // energies differ by ≲ F²/|λ| ≪ 1e-6 eV; 1e-4 eV is the acceptance bound.
    assert!(
        (r.barrier_forward - ebf).abs() <= 1e-4,
        "{} vs {ebf}",
        r.barrier_forward
    );
    assert!(
        (r.barrier_reverse - ebr).abs() <= 1e-4,
        "{} vs {ebr}",
        r.barrier_reverse
    );
    // Ordinary images sit where the same springs balance the same forces; converged to
    // 1e-5 eV/Å on both sides, their energies agree to ≪ 1e-4 eV.
    for (k, (ours, theirs)) in r.energies.iter().zip(&pe_lammps).enumerate() {
        assert!(
            (ours - theirs).abs() <= 1e-4,
            "image {k}: {ours} vs {theirs}"
        );
    }
}

#[test]
fn art_vacancy_saddle_is_first_order() {
    let dir = common::scratch("saddle_art_vacancy");
    let file = zhou_file(&dir);
    let (a, _, hop) = endpoints(&file);
    let mut p = provider(&file);
    let mut r = ForceResult::with_atoms(a.natoms());
    p.compute(&a, &mut r).unwrap();
    let mut s = ArtSettings::metal();
    s.force_tol = 1e-4;
    let mut found = None;
    for k in 0..6 {
        let ev = art_event(&a, r.energy, &mut p, k, hop, 7, &s).unwrap();
        if ev.status == ArtStatus::Found {
            found = Some(ev);
            break;
        }
    }
    let ev = found.expect("no ART event converged from the vacancy neighbour");
    eprintln!(
        "ART vacancy event: E_A {:.6} eV, E_final−E_initial {:.6} eV, λ {:.4}, |F| {:.2e}, {} evals",
        ev.e_a,
        ev.e_final - ev.e_initial,
        ev.lambda_saddle,
        ev.saddle_fnorm,
        ev.force_evaluations
    );
    assert!(ev.saddle_fnorm <= s.force_tol);
    let sad = ev.saddle.as_ref().unwrap();
    let all: Vec<usize> = (0..sad.natoms()).collect();
    let h = finite_difference_hessian(sad, &mut p, &all, 1e-4).unwrap();
    let n = 3 * all.len();
    // Three translations give eigenvalues ~0 (±1e-6 eV/Å² from the finite differences); the
    // 1e-3 eV/Å² shift keeps them out of the count while any real soft mode (≳0.1) is counted.
    assert_eq!(count_eigenvalues_below(&h, n, 1e-3), 1);
    assert!(ev.lambda_saddle < 0.0 && ev.connected);
}

/// With `mode_radius`, every found saddle is a first-order saddle of the FULL system (force ≤
/// tol, exactly one negative eigenvalue of the full finite-difference Hessian: the restricted
/// Lanczos must not stop at a point that is only a saddle of the local block) and the atom that
/// moved most from the initial minimum lies within the radius of the event's atom.
#[test]
fn art_mode_radius_saddles_are_local_and_first_order() {
    let dir = common::scratch("saddle_art_mode_radius");
    let file = zhou_file(&dir);
    let (a, _, hop) = endpoints(&file);
    let mut p = provider(&file);
    let mut r = ForceResult::with_atoms(a.natoms());
    p.compute(&a, &mut r).unwrap();
    let mut s = ArtSettings::metal();
    s.force_tol = 1e-4;
    // 4 Å: the hop atom's first (2.56 Å) and second (3.61 Å) fcc shells, 18 atoms of 255 —
    // far smaller than the system, and ≥ local_radius (3.5 Å) as validate() requires.
    let radius = 4.0;
    s.mode_radius = Some(radius);
    let mut bad = s.clone();
    bad.mode_radius = Some(1.0);
    assert!(
        bad.validate().is_err(),
        "mode_radius < local_radius accepted"
    );
    let all: Vec<usize> = (0..a.natoms()).collect();
    // Both the FIRE-on-G activation of sessions 1–6 and the dimer-style L-BFGS one (session 7).
    for activation in [Activation::ModifiedForce, Activation::Lbfgs { memory: 10 }] {
        s.activation = activation;
        let found = mode_radius_events(&a, r.energy, &mut p, hop, radius, &s, &all);
        assert!(
            found > 0,
            "no ART event converged with mode_radius {radius} ({activation:?})"
        );
    }
}

/// The checks of [`art_mode_radius_saddles_are_local_and_first_order`] on 4 events; returns
/// how many were found.
fn mode_radius_events(
    a: &System,
    e_initial: f64,
    p: &mut PotentialProvider,
    hop: usize,
    radius: f64,
    s: &ArtSettings,
    all: &[usize],
) -> usize {
    let mut found = 0;
    for k in 0..4 {
        let ev = art_event(a, e_initial, p, k, hop, 11, s).unwrap();
        if ev.status != ArtStatus::Found {
            continue;
        }
        found += 1;
        let sad = ev.saddle.as_ref().unwrap();
        let dist = |i: usize, from: [f64; 3]| {
            let x = sad.positions[i];
            let d = a
                .simbox
                .minimum_image([x[0] - from[0], x[1] - from[1], x[2] - from[2]]);
            (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
        };
        let (imax, umax) = all
            .iter()
            .map(|&i| (i, dist(i, a.positions[i])))
            .max_by(|x, y| x.1.total_cmp(&y.1))
            .unwrap();
        let d0 = a.positions[hop];
        let x = a.positions[imax];
        let dv = a
            .simbox
            .minimum_image([x[0] - d0[0], x[1] - d0[1], x[2] - d0[2]]);
        let from_event = (dv[0] * dv[0] + dv[1] * dv[1] + dv[2] * dv[2]).sqrt();
        eprintln!(
            "{:?} event {k}: E_A {:.6} eV, connected {}, λ {:.4}, |F| {:.2e}, {} evals; largest move {umax:.3} Å by atom {imax}, {from_event:.3} Å from the event's atom",
            s.activation, ev.e_a, ev.connected, ev.lambda_saddle, ev.saddle_fnorm, ev.force_evaluations
        );
        assert!(
            from_event <= radius,
            "largest move {from_event} Å from the event's atom"
        );
        assert!(ev.saddle_fnorm <= s.force_tol);
        assert!(ev.lambda_saddle < s.saddle_eigen_max);
        let h = finite_difference_hessian(sad, p, all, 1e-4).unwrap();
        // Same 1e-3 eV/Å² shift as above: keeps the three ~0 translations out of the count.
        assert_eq!(count_eigenvalues_below(&h, 3 * all.len(), 1e-3), 1);
    }
    found
}
