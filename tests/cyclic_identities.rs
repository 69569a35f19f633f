//! Exact identities of the cyclic-loading protocol (no anchor needed): γ = 0 gives δ = 0
//! exactly; a homogeneously pre-sheared perfect crystal (fcc LJ, B2 Cu–Zr EAM) returns to its
//! start below its elastic limit (δ ≤ 1e-10); results are bit-identical on 1 and 2 threads; a
//! minimization that cannot reach ftol marks only its own point failed.
mod common;

use common::crystal::{crystal, Lattice};
use pelkit::engine::deform::{change_box, make_triclinic, BoxOp};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::MinimizeSettings;
use pelkit::geometry::simbox::XY;
use pelkit::potential::Potential;
use pelkit::protocol::cyclic::{
    run_point, run_sweep, CyclicPoint, CyclicSettings, InitialState, ShearComponent,
};
use pelkit::units::Units;
use pelkit::{SimBox, System};

fn ka_potential() -> Potential {
    Potential::from_lammps_args(
        "lj/cut 2.5",
        &[
            "1 1 1.0 1.0 2.5".into(),
            "1 2 1.5 0.8 2.0".into(),
            "2 2 0.5 0.88 2.2".into(),
        ],
        &["shift yes".into()],
        2,
    )
    .unwrap()
}

/// A 250-atom Kob–Andersen inherent structure: random start at density 1.2, CG to ftol 1e-10.
fn ka_minimum(seed: u64) -> System {
    let l = (250.0f64 / 1.2).cbrt();
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    let mut sys =
        pelkit::engine::quench::random_start(b, &[200, 50], &[1.0, 1.0], 0.7, seed).unwrap();
    let mut p = PotentialProvider::new(ka_potential(), 0.3).unwrap();
    let s = MinimizeSettings::new(0.0, 1e-10, 100_000, 1_000_000, true);
    minimize_cg(&mut sys, &mut p, &s).unwrap();
    sys
}

#[test]
fn zero_strain_is_the_identity() {
    let sys = ka_minimum(5);
    let pot = ka_potential();
    let settings = CyclicSettings::new(Units::Lj, ShearComponent::Xy, 1e-10);
    let initial = InitialState::new(sys, &pot, &settings).unwrap();
    assert!(initial.is_minimized(&settings));
    let p = run_point(&initial, &pot, 0.0, &settings);
    let o = p.outcome.unwrap();
    // Exact: the final state is the initial one, so every difference is 0.0.
    assert_eq!(o.delta, 0.0);
    assert_eq!(o.delta_energy, 0.0);
    assert_eq!(o.max_displacement, 0.0);
    assert_eq!(o.changed_indices, 0);
    assert!(!o.theta);
    assert_eq!(o.is_dmin, Some(0.0));
    assert_eq!(o.fwhm, 0.0);
}

/// A perfect crystal strained homogeneously by `pre` (xy) is still a minimum (every atom is an
/// inversion centre, so forces vanish) with σ_xy ≠ 0 on every atom; loading it by γ below the
/// elastic limit and unloading returns every atom to its start up to round-off of the affine
/// maps x → λ → x and the minimizer's moves of zero-force atoms. Tolerance 1e-10 on δ: round-off
/// of positions (1e-15 relative) gives stress changes ~1e-13 relative; 1e-10 is the acceptance
/// bound of the issue.
fn crystal_returns(mut sys: System, pot: Potential, units: Units, pre: f64, gammas: &[f64]) {
    make_triclinic(&mut sys);
    let ly = sys.simbox.lengths()[1];
    change_box(
        &mut sys,
        &[BoxOp::TiltDelta {
            tilt: XY,
            delta: pre * ly,
        }],
        true,
    )
    .unwrap();
    let settings = CyclicSettings::new(units, ShearComponent::Xy, 1e-10);
    let initial = InitialState::new(sys, &pot, &settings).unwrap();
    assert!(initial.sigma.iter().all(|s| s.abs() > 0.0));
    let points = run_sweep(&initial, &pot, gammas, &settings, &|_| {}).unwrap();
    for p in &points {
        let o = p.outcome.as_ref().unwrap();
        eprintln!(
            "γ = {:e}: δ = {:e}, ΔE = {:e}, max displacement {:e}, Θ = {}",
            p.gamma, o.delta, o.delta_energy, o.max_displacement, o.theta
        );
        assert!(o.delta <= 1e-10, "γ = {}: δ = {}", p.gamma, o.delta);
        assert!(!o.theta);
        assert_eq!(o.changed_indices, 0);
    }
}

#[test]
fn perfect_fcc_lj_crystal_returns() {
    // fcc at the LJ nearest-neighbour distance 2^(1/6): a = 2^(1/6)·√2; 4³ cells = 256 atoms.
    let a = 2f64.powf(1.0 / 6.0) * 2f64.sqrt();
    let sys = crystal(Lattice::Fcc, a, 4, [0; 3]);
    let pot = Potential::from_lammps_args(
        "lj/cut 2.5",
        &["1 1 1.0 1.0 2.5".into()],
        &["shift yes".into()],
        1,
    )
    .unwrap();
    crystal_returns(sys, pot, Units::Lj, 0.02, &[1e-4, 1e-3, 1e-2]);
}

#[test]
fn perfect_b2_cuzr_crystal_returns() {
    let Some(path) = common::mendelev_cuzr() else {
        return;
    };
    // B2 CuZr, a = 3.26 Å (near the Mendelev lattice constant), 5³ cells = 250 atoms.
    let mut sys = crystal(Lattice::B2, 3.26, 5, [0; 3]);
    let pot =
        Potential::from_lammps_args("eam/fs", &[format!("* * {} Cu Zr", path.display())], &[], 2)
            .unwrap();
    sys.masses = pot.masses().unwrap().iter().map(|&m| Some(m)).collect();
    crystal_returns(sys, pot, Units::Metal, 0.01, &[1e-4, 1e-3, 1e-2]);
}

fn bits(points: &[CyclicPoint]) -> Vec<Vec<u64>> {
    points
        .iter()
        .map(|p| {
            let o = p.outcome.as_ref().unwrap();
            let mut v = vec![
                p.gamma.to_bits(),
                o.delta.to_bits(),
                o.fwhm.to_bits(),
                o.delta_energy.to_bits(),
                o.max_displacement.to_bits(),
                o.labelled_dmin.to_bits(),
                o.is_dmin.unwrap().to_bits(),
                o.changed_indices as u64,
            ];
            v.extend(o.dsigma.iter().map(|x| x.to_bits()));
            v.extend(
                o.final_state
                    .as_ref()
                    .unwrap()
                    .positions
                    .iter()
                    .flat_map(|x| x.map(f64::to_bits)),
            );
            v
        })
        .collect()
}

#[test]
fn bit_identical_on_one_and_two_threads() {
    let sys = ka_minimum(9);
    let pot = ka_potential();
    let mut settings = CyclicSettings::new(Units::Lj, ShearComponent::Xy, 1e-10);
    settings.keep_final_state = true;
    let gammas = [1e-4, 3e-3, 5e-2];
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let initial = InitialState::new(sys.clone(), &pot, &settings).unwrap();
                run_sweep(&initial, &pot, &gammas, &settings, &|_| {}).unwrap()
            })
    };
    let one = bits(&run(1));
    let two = bits(&run(2));
    assert_eq!(one, two);
}

#[test]
fn failed_minimization_marks_only_its_point() {
    let sys = ka_minimum(3);
    let pot = ka_potential();
    let mut settings = CyclicSettings::new(Units::Lj, ShearComponent::Xy, 1e-10);
    // Three CG iterations cannot relax a 5 % shear to ftol 1e-10.
    settings.minimize.maxiter = 3;
    let initial = InitialState::new(sys, &pot, &settings).unwrap();
    let points = run_sweep(&initial, &pot, &[0.0, 5e-2], &settings, &|_| {}).unwrap();
    assert!(points[0].outcome.is_ok());
    let f = points[1].outcome.as_ref().unwrap_err();
    assert_eq!(f.stage, "load minimization");
    assert!(f.reason.contains("did not reach ftol"), "{}", f.reason);
    assert!(f.reason.contains("max iterations"), "{}", f.reason);
}

#[test]
fn unminimized_start_is_detected_with_its_force() {
    let mut sys = ka_minimum(4);
    sys.positions[0][0] += 0.05;
    let pot = ka_potential();
    let settings = CyclicSettings::new(Units::Lj, ShearComponent::Xy, 1e-10);
    let initial = InitialState::new(sys, &pot, &settings).unwrap();
    assert!(!initial.is_minimized(&settings));
    // The largest atomic force is that of a 0.05 σ displacement in a stiff LJ cage (> 1 ε/σ).
    assert!(initial.max_force > 1.0, "{}", initial.max_force);
}
