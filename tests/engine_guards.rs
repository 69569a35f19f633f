//! The engine's guards and exact identities: a minimization or MD run that goes NaN stops with a
//! typed error and keeps the last configuration whose energy was finite; a deformation that
//! would invert the box is refused without touching the system; Maxwell–Boltzmann velocities
//! have exactly the requested temperature, zero momentum and do not depend on storage order;
//! the tilt flip keeps unwrapped positions continuous.
mod common;
mod dynamics_support;

use dynamics_support::KobAndersen;
use pelkit::engine::deform::{change_box, flip_if_needed, BoxOp};
use pelkit::engine::md::{run_md, MdSettings};
use pelkit::engine::min_cg::minimize_cg;
use pelkit::engine::min_fire::{minimize_fire, FireSettings};
use pelkit::engine::velocity::{create_velocities, kinetic_temperature};
use pelkit::engine::{EngineError, ForceProvider, ForceResult, MinimizeSettings};
use pelkit::units::Units;
use pelkit::{SimBox, System};

/// A KA provider that returns NaN from its `fail_at`-th call on, recording the positions of
/// every call whose energy was finite.
struct FailsAt {
    inner: KobAndersen,
    calls: usize,
    fail_at: usize,
    good: Vec<Vec<[f64; 3]>>,
}

impl ForceProvider for FailsAt {
    fn compute(&mut self, sys: &System, out: &mut ForceResult) -> Result<(), EngineError> {
        self.calls += 1;
        self.inner.compute(sys, out)?;
        if self.calls >= self.fail_at {
            out.energy = f64::NAN;
        } else {
            self.good.push(sys.positions.clone());
        }
        Ok(())
    }
}

/// A small random KA liquid (no two atoms closer than 0.8 σ), number density 1.2.
fn liquid(n: usize, seed: u64, triclinic: bool) -> System {
    let l = (n as f64 / 1.2).cbrt();
    let b = if triclinic {
        SimBox::triclinic([0.0; 3], [l; 3], [0.1 * l, -0.05 * l, 0.07 * l]).unwrap()
    } else {
        SimBox::orthogonal([0.0; 3], [l; 3]).unwrap()
    };
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(seed);
        move || rng.uniform()
    };
    let mut pos: Vec<[f64; 3]> = Vec::new();
    while pos.len() < n {
        let x = b.to_cartesian([rnd(), rnd(), rnd()]);
        let ok = pos.iter().all(|p| {
            let d = b.minimum_image([x[0] - p[0], x[1] - p[1], x[2] - p[2]]);
            d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > 0.64
        });
        if ok {
            pos.push(x);
        }
    }
    let types = (0..n).map(|i| if i % 5 == 0 { 2 } else { 1 }).collect();
    let mut sys = System::new(b, (1..=n as u64).collect(), types, pos);
    sys.masses = vec![Some(1.0), Some(1.0)];
    sys
}

fn assert_is_a_good_configuration(sys: &System, good: &[Vec<[f64; 3]>]) {
    // Wrapping at the end may move atoms by whole periods; compare by minimum image.
    let found = good.iter().any(|g| {
        g.iter().zip(&sys.positions).all(|(a, b)| {
            let d = sys
                .simbox
                .minimum_image([a[0] - b[0], a[1] - b[1], a[2] - b[2]]);
            d.iter().all(|c| c.abs() < 1e-12)
        })
    });
    assert!(
        found,
        "system does not hold a configuration whose energy was finite"
    );
}

#[test]
fn cg_stops_on_nan_energy_and_keeps_the_last_finite_configuration() {
    let mut sys = liquid(100, 3, true);
    let mut p = FailsAt {
        inner: KobAndersen::new(),
        calls: 0,
        fail_at: 12,
        good: vec![],
    };
    let settings = MinimizeSettings::new(0.0, 1e-10, 1000, 10000, true);
    let err = minimize_cg(&mut sys, &mut p, &settings).unwrap_err();
    assert!(matches!(err, EngineError::NonFiniteEnergy { .. }), "{err}");
    assert!(err.to_string().contains("last configuration"));
    // The kept configuration has a finite energy with the real potential.
    let mut out = ForceResult::default();
    KobAndersen::new().compute(&sys, &mut out).unwrap();
    assert!(out.energy.is_finite());
    // The guard restores the start of the failed line search, which was evaluated.
    sys.positions
        .iter()
        .for_each(|x| assert!(x.iter().all(|c| c.is_finite())));
    assert_is_a_good_configuration(&sys, &p.good);
}

#[test]
fn fire_stops_on_nan_energy_and_keeps_the_last_finite_configuration() {
    let mut sys = liquid(100, 5, false);
    let mut p = FailsAt {
        inner: KobAndersen::new(),
        calls: 0,
        fail_at: 30,
        good: vec![],
    };
    let settings = MinimizeSettings::new(0.0, 1e-10, 1000, 10000, true);
    let err = minimize_fire(
        &mut sys,
        &mut p,
        &settings,
        &FireSettings::for_units(Units::Lj),
        Units::Lj,
    )
    .unwrap_err();
    assert!(matches!(err, EngineError::NonFiniteEnergy { .. }), "{err}");
    assert_is_a_good_configuration(&sys, &p.good);
}

#[test]
fn md_stops_on_nan_energy_and_restores_the_previous_step() {
    let mut sys = liquid(100, 7, false);
    create_velocities(&mut sys, 0.5, 1, Units::Lj).unwrap();
    let mut p = FailsAt {
        inner: KobAndersen::new(),
        calls: 0,
        fail_at: 20,
        good: vec![],
    };
    let settings = MdSettings {
        units: Units::Lj,
        dt: 0.002,
        steps: 100,
        thermostat: None,
        wiggle: None,
        sample_every: 10,
    };
    let err = run_md(&mut sys, &mut p, &settings, &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, EngineError::NonFiniteEnergy { .. }), "{err}");
    // Positions are exactly those of the last finite evaluation (no wrap after a failure).
    assert_eq!(&sys.positions, p.good.last().unwrap());
    assert!(sys.velocities.is_some());
}

#[test]
fn a_box_that_would_invert_is_refused_and_the_system_left_unchanged() {
    let mut sys = liquid(50, 9, true);
    let before = sys.clone();
    for op in [
        BoxOp::Scale {
            axis: 1,
            factor: -0.5,
        },
        BoxOp::BoundsDelta {
            axis: 0,
            dlo: 10.0,
            dhi: -10.0,
        },
        BoxOp::TiltFinal {
            tilt: 0,
            value: f64::NAN,
        },
    ] {
        let err = change_box(&mut sys, &[op], true).unwrap_err();
        assert!(matches!(err, EngineError::InvalidBox { .. }), "{err}");
        assert_eq!(sys, before);
    }
}

#[test]
fn tilt_changes_need_a_triclinic_box() {
    let mut sys = liquid(20, 11, false);
    let err = change_box(
        &mut sys,
        &[BoxOp::TiltDelta {
            tilt: 0,
            delta: 0.1,
        }],
        true,
    )
    .unwrap_err();
    assert!(matches!(err, EngineError::InvalidInput(_)));
}

#[test]
fn affine_remap_preserves_fractional_coordinates() {
    // Exact identity of change_box remap: λ(new box, x') = λ(old box, x) up to round-off.
    let mut sys = liquid(60, 13, true);
    let old = sys.clone();
    change_box(
        &mut sys,
        &[
            BoxOp::TiltDelta {
                tilt: 0,
                delta: 0.3,
            },
            BoxOp::Scale {
                axis: 2,
                factor: 1.05,
            },
        ],
        true,
    )
    .unwrap();
    for (a, b) in old.positions.iter().zip(&sys.positions) {
        let (la, lb) = (old.simbox.to_fractional(*a), sys.simbox.to_fractional(*b));
        for d in 0..3 {
            let diff = (la[d] - lb[d]).abs();
            // Wrapping may add whole periods (image flags record them).
            assert!(diff < 1e-12 || (diff - 1.0).abs() < 1e-12);
        }
    }
}

#[test]
fn flip_keeps_unwrapped_positions_continuous() {
    let mut sys = liquid(80, 17, true);
    let l = sys.simbox.lengths();
    // Drive xy past +0.5 lx and yz past −0.5 ly (no remap: a pure box change as fix deform's
    // target, then the flip).
    sys.simbox.tilt = [0.62 * l[0], 0.1 * l[0], -0.55 * l[1]];
    let unwrapped_before = sys.unwrapped_positions();
    assert!(flip_if_needed(&mut sys).unwrap());
    let t = sys.simbox.tilt;
    assert!(t[0].abs() <= 0.5 * l[0] && t[2].abs() <= 0.5 * l[1] && t[1].abs() <= 0.5 * l[0]);
    // The flipped box is the same lattice: unwrapped coordinates are unchanged (round-off of
    // the λ round trip only).
    for (a, b) in unwrapped_before.iter().zip(sys.unwrapped_positions()) {
        for d in 0..3 {
            assert!((a[d] - b[d]).abs() < 1e-11, "{a:?} vs {b:?}");
        }
    }
    assert!(!flip_if_needed(&mut sys).unwrap());
}

#[test]
fn maxwell_boltzmann_velocities_are_exact_and_order_independent() {
    let mut sys = liquid(500, 19, false);
    sys.masses = vec![Some(63.546), Some(91.224)];
    create_velocities(&mut sys, 300.0, 42, Units::Metal).unwrap();
    let v = sys.velocities.clone().unwrap();
    let mass: Vec<f64> = sys
        .types
        .iter()
        .map(|&t| sys.masses[t as usize - 1].unwrap())
        .collect();
    // Exact target temperature (3N − 3 dof) and zero momentum, to round-off.
    let t = kinetic_temperature(&v, &mass, Units::Metal);
    assert!((t - 300.0).abs() < 1e-9, "T = {t}");
    let mut p = [0.0; 3];
    for (vi, m) in v.iter().zip(&mass) {
        for d in 0..3 {
            p[d] += m * vi[d];
        }
    }
    let scale: f64 = v.iter().zip(&mass).map(|(vi, m)| m * vi[0].abs()).sum();
    assert!(p.iter().all(|c| c.abs() < 1e-12 * scale), "momentum {p:?}");
    // Gaussian components: kurtosis of m^½ v is 3 within sampling error (1500 samples:
    // standard error ≈ 0.13; bound at ~4 σ).
    let w: Vec<f64> = v
        .iter()
        .zip(&mass)
        .flat_map(|(vi, m)| vi.iter().map(move |c| c * m.sqrt()))
        .collect();
    let n = w.len() as f64;
    let m2 = w.iter().map(|x| x * x).sum::<f64>() / n;
    let m4 = w.iter().map(|x| x.powi(4)).sum::<f64>() / n;
    let kurtosis = m4 / (m2 * m2);
    assert!((kurtosis - 3.0).abs() < 0.5, "kurtosis {kurtosis}");
    // Storage order does not matter: reversing the atoms gives the same velocity per id.
    let mut rev = sys.clone();
    rev.ids.reverse();
    rev.types.reverse();
    rev.positions.reverse();
    create_velocities(&mut rev, 300.0, 42, Units::Metal).unwrap();
    let vr = rev.velocities.unwrap();
    for (i, id) in sys.ids.iter().enumerate() {
        let j = rev.ids.iter().position(|x| x == id).unwrap();
        for d in 0..3 {
            assert!((v[i][d] - vr[j][d]).abs() <= 1e-12 * v[i][d].abs().max(1e-3));
        }
    }
    // A different seed gives different velocities.
    let mut other = sys.clone();
    create_velocities(&mut other, 300.0, 43, Units::Metal).unwrap();
    assert_ne!(other.velocities.unwrap(), v);
}
