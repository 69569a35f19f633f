//! Textbook checks of ART nouveau, Lanczos and the climbing-image NEB on the analytic 2-D
//! Müller–Brown surface: the saddles and barriers they find equal the stationary points given
//! by Newton's method on the analytic gradient and Hessian (an independent method) to 1e-6,
//! and the Newton points equal the published values (Müller & Brown 1979) to their digits.

use pelkit::engine::saddle::art::{art_event, deduplicate, Activation, ArtSettings, ArtStatus};
use pelkit::engine::saddle::fire_flat::FlatFireSettings;
use pelkit::engine::saddle::hessian::{count_eigenvalues_below, finite_difference_hessian};
use pelkit::engine::saddle::lanczos::{lowest_mode, sym_eigen, LanczosSettings};
use pelkit::engine::saddle::neb::{neb, NebSettings};
use pelkit::engine::saddle::test_surfaces::{mb_system, muller_brown, newton, MullerBrown, KZ};
use pelkit::engine::saddle::SaddleError;
use pelkit::engine::{ForceProvider, ForceResult, MinimizeSettings};

/// Published stationary points (x, y, E), given to 3 decimals.
const MIN_A: (f64, f64, f64) = (-0.558, 1.442, -146.700);
const MIN_B: (f64, f64, f64) = (0.623, 0.028, -108.167);
const MIN_C: (f64, f64, f64) = (-0.050, 0.467, -80.768);
const SADDLE_1: (f64, f64, f64) = (-0.822, 0.624, -40.665);
const SADDLE_2: (f64, f64, f64) = (0.212, 0.293, -72.249);

fn exact(p: (f64, f64, f64)) -> (f64, f64, f64) {
    let q = newton(p.0, p.1);
    // The published values are rounded to 1e-3 (positions) and 1e-3 (energies).
    assert!(
        (q.0 - p.0).abs() < 1.5e-3 && (q.1 - p.1).abs() < 1.5e-3,
        "{q:?} vs {p:?}"
    );
    assert!((q.2 - p.2).abs() < 1.5e-3, "{q:?} vs {p:?}");
    q
}

fn settings() -> ArtSettings {
    let mut s = ArtSettings::metal();
    s.local_radius = 0.0;
    s.init_displacement = 0.05;
    s.push_step = 0.03;
    s.max_basin_steps = 100;
    s.eigen_threshold = -1.0;
    // |F| ≤ 1e-7 puts E within F²/(2|λ|) ≲ 1e-16 of the saddle (|λ| ≳ 100 here).
    s.force_tol = 1e-7;
    s.max_activation_steps = 3000;
    // Curvatures reach ~2·KZ = 1000: dt_max below the FIRE stability limit 2/√1000 ≈ 0.06.
    s.fire = FlatFireSettings::new(0.003, 0.02);
    s.fire.dt_max = 0.03;
    s.lanczos = LanczosSettings {
        max_iter: 3,
        tol: 1e-8,
        fd_step: 1e-7,
        project_translations: false,
        min_iter: 2,
    };
    s.side_push = 0.02;
    s.minimize = MinimizeSettings::new(0.0, 1e-9, 10_000, 100_000, false);
    s.minimize.dmax = 0.01;
    s.same_distance = 1e-3;
    s.same_energy = 1e-6;
    s
}

#[test]
fn lanczos_equals_analytic_lowest_eigenvalue() {
    let (x, y, _) = exact(SADDLE_1);
    let sys = mb_system(x + 0.01, y - 0.02);
    let mut p = MullerBrown;
    let mut r = ForceResult::with_atoms(1);
    p.compute(&sys, &mut r).unwrap();
    let mode = lowest_mode(
        &sys,
        &r.forces,
        &mut p,
        None,
        &[[1.0, 0.3, 0.2]],
        &LanczosSettings {
            max_iter: 3,
            tol: 1e-12,
            fd_step: 1e-7,
            project_translations: false,
            min_iter: 2,
        },
    )
    .unwrap();
    let (_, _, h) = muller_brown(x + 0.01, y - 0.02);
    let (vals, _) = sym_eigen(&[h[0][0], h[0][1], h[1][0], h[1][1]], 2);
    let want = vals
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(2.0 * KZ);
    // Forward differences with h = 1e-7 on curvatures ~1e3 and third derivatives ~1e4: the
    // error is ~h·1e4 = 1e-3 absolute, plus rounding ~1e-16·150/1e-7 ≈ 1.5e-7.
    assert!(
        (mode.eigenvalue - want).abs() < 2e-3,
        "lanczos {} vs analytic {}",
        mode.eigenvalue,
        want
    );
}

/// The activation of sessions 1–5 (FIRE on G = F − 2(F·v)v): from each minimum every found
/// saddle is that minimum's own saddle, joined to it and to C.
#[test]
fn art_finds_the_known_saddles() {
    let mut s = settings();
    s.activation = Activation::ModifiedForce;
    known_saddles(&s, true);
}

/// ARTn's activation (Newton step along the mode + perpendicular FIRE, the metal default):
/// every found saddle is one of the two known saddles to 1e-6 with one negative eigenvalue;
/// an event joined to its start found the start's own saddle and C on the other side (an event
/// that walks along negative curvature past its own saddle onto the other one finds a true
/// saddle too, reported with `connected` = false).
#[test]
fn art_newton_activation_finds_the_known_saddles() {
    let mut s = settings();
    s.activation = Activation::NewtonPerp { perp_steps: 1 };
    known_saddles(&s, false);
}

/// The dimer-style activation (L-BFGS on G = F − 2(F·v)v, session 7): the same checks as the
/// Newton activation — every found saddle is a known saddle to 1e-6 with one negative
/// eigenvalue, joined events find their own saddle and C.
#[test]
fn art_lbfgs_activation_finds_the_known_saddles() {
    let mut s = settings();
    s.activation = Activation::Lbfgs { memory: 10 };
    known_saddles(&s, false);
}

/// `own_only`: every found saddle must be joined to its start (else only the joined ones).
fn known_saddles(s: &ArtSettings, own_only: bool) {
    let a = exact(MIN_A);
    let b = exact(MIN_B);
    let c = exact(MIN_C);
    let s1 = exact(SADDLE_1);
    let s2 = exact(SADDLE_2);
    let mut found_from = [0usize; 2];
    for (start, start_idx) in [(a, 0usize), (b, 1)] {
        let initial = mb_system(start.0, start.1);
        let mut events = Vec::new();
        for k in 0..6 {
            let mut p = MullerBrown;
            let ev = art_event(&initial, start.2, &mut p, k, 0, 42, s).unwrap();
            events.push(ev);
        }
        deduplicate(&mut events, s.same_energy, s.same_distance);
        for ev in &events {
            if ev.status != ArtStatus::Found {
                continue;
            }
            found_from[start_idx] += 1;
            let sad = ev.saddle.as_ref().unwrap();
            let [x, y, z] = sad.positions[0];
            let known = [s1, s2]
                .into_iter()
                .find(|q| (q.0 - x).abs() < 1e-6 && (q.1 - y).abs() < 1e-6)
                .unwrap_or_else(|| panic!("ART saddle ({x}, {y}) is not a Müller–Brown saddle"));
            // Saddle energy and E_A to 1e-6 of Newton's.
            assert!(
                (ev.e_saddle - known.2).abs() < 1e-6,
                "{} vs {}",
                ev.e_saddle,
                known.2
            );
            assert!((ev.e_a - (known.2 - start.2)).abs() < 1e-6);
            assert!(z.abs() < 1e-6);
            // A first-order saddle: force ≤ tol and exactly one negative eigenvalue of the
            // finite-difference Hessian (3×3 incl. z).
            assert!(ev.saddle_fnorm <= s.force_tol);
            let mut p = MullerBrown;
            let h = finite_difference_hessian(sad, &mut p, &[0], 1e-5).unwrap();
            assert_eq!(count_eigenvalues_below(&h, 3, 0.0), 1);
            // Both sides: the start (connected) and C, the minimum between the two saddles.
            assert!(
                ev.connected || !own_only,
                "event {} not connected",
                ev.event
            );
            if !ev.connected {
                let other = if start_idx == 0 { s2 } else { s1 };
                assert_eq!(known, other, "an unjoined event found the other saddle");
                continue;
            }
            assert!(
                (ev.e_final - c.2).abs() < 1e-6,
                "final {} vs C {}",
                ev.e_final,
                c.2
            );
            let expect = if start_idx == 0 { s1 } else { s2 };
            assert_eq!(known, expect, "from a minimum, ART reaches its own saddle");
        }
        // Duplicates are recognised: all found events share one saddle.
        let uniq = events
            .iter()
            .filter(|e| e.status == ArtStatus::Found && e.same_as.is_none())
            .count();
        let joined = events
            .iter()
            .filter(|e| e.status == ArtStatus::Found && e.connected)
            .count();
        let unjoined = events
            .iter()
            .any(|e| e.status == ArtStatus::Found && !e.connected);
        assert!(joined > 0);
        assert_eq!(uniq, 1 + usize::from(unjoined));
    }
    assert!(found_from[0] > 0 && found_from[1] > 0, "{found_from:?}");
}

fn mb_provider() -> Result<MullerBrown, SaddleError> {
    Ok(MullerBrown)
}

fn neb_settings(images: usize) -> NebSettings {
    let mut s = NebSettings::metal(images);
    s.kspring = 50.0;
    // |F_climb| ≤ 1e-6 puts the climbing energy within F²/(2|λ|) ≪ 1e-6 of the saddle.
    s.force_tol = 1e-6;
    s.max_iter = 20_000;
    s.climb_after = 2000;
    s.fire = FlatFireSettings::new(0.003, 0.02);
    s.fire.dt_max = 0.03;
    s
}

#[test]
fn neb_gives_the_known_barriers() {
    let a = exact(MIN_A);
    let b = exact(MIN_B);
    let c = exact(MIN_C);
    let s1 = exact(SADDLE_1);
    let s2 = exact(SADDLE_2);
    for (from, to, saddle) in [(a, c, s1), (c, b, s2)] {
        let r = neb(
            &mb_system(from.0, from.1),
            &mb_system(to.0, to.1),
            mb_provider,
            &neb_settings(9),
        )
        .unwrap();
        assert!(r.converged, "max force {}", r.max_image_force);
        assert!(
            (r.barrier_forward - (saddle.2 - from.2)).abs() < 1e-6,
            "forward {} vs {}",
            r.barrier_forward,
            saddle.2 - from.2
        );
        assert!((r.barrier_reverse - (saddle.2 - to.2)).abs() < 1e-6);
        let ci = &r.images[r.climbing_image.unwrap()].positions[0];
        assert!((ci[0] - saddle.0).abs() < 1e-6 && (ci[1] - saddle.1).abs() < 1e-6);
        // Contour ≥ end-to-end (triangle inequality), reaction coordinate ends at C.
        assert!(r.path.contour_length >= r.path.end_to_end - 1e-12);
        assert_eq!(
            *r.reaction_coordinate.last().unwrap(),
            r.path.contour_length
        );
    }
}

#[test]
fn neb_rejects_bad_endpoints() {
    let a = mb_system(0.1, 0.2);
    let e = neb(&a, &a.clone(), mb_provider, &neb_settings(5)).unwrap_err();
    assert!(e.to_string().contains("identical"), "{e}");
    let mut two = a.clone();
    two.positions.push([0.0; 3]);
    two.ids.push(2);
    two.types.push(1);
    two.images.push([0; 3]);
    let e = neb(&a, &two, mb_provider, &neb_settings(5)).unwrap_err();
    assert!(e.to_string().contains("1 atoms vs 2 atoms"), "{e}");
    let mut other_id = a.clone();
    other_id.ids[0] = 7;
    other_id.positions[0][0] += 0.5;
    let e = neb(&a, &other_id, mb_provider, &neb_settings(5)).unwrap_err();
    assert!(e.to_string().contains("id 1 in the first and 7"), "{e}");
}

/// From a point with only positive curvature and no push budget, ART never leaves the basin:
/// the event is reported as `NoExit`, not an error.
#[test]
fn art_without_exit_is_counted() {
    let a = exact(MIN_A);
    let mut s = settings();
    s.max_basin_steps = 2;
    s.push_step = 1e-4;
    let ev = art_event(&mb_system(a.0, a.1), a.2, &mut MullerBrown, 0, 0, 1, &s).unwrap();
    assert_eq!(ev.status, ArtStatus::NoExit);
    assert!(ev.lambda_saddle > 0.0);
}

/// The NEB safeguard on a constructed runaway: FIRE steps far beyond the stability limit of
/// Müller–Brown (dt = 0.5, 2 units per step, where 2/√λ_max ≈ 0.06) throw the images out of the
/// basin, where the positive fourth Gaussian grows without bound. Without restarts the band is
/// reported as diverged with the criterion that fired; with restarts (dt and step halved each
/// time) it converges to the exact barrier A → C to 1e-6.
#[test]
fn neb_safeguard_detects_and_recovers_a_runaway_band() {
    let a = exact(MIN_A);
    let c = exact(MIN_C);
    let s1 = exact(SADDLE_1);
    let mut s = neb_settings(9);
    s.fire = FlatFireSettings::new(0.5, 2.0);
    s.fire.dt_max = 2.0;
    s.safeguard.max_restarts = 0;
    let e = neb(&mb_system(a.0, a.1), &mb_system(c.0, c.1), mb_provider, &s).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, SaddleError::NebDiverged(_)), "{msg}");
    assert!(
        msg.contains("diverged 1 time") && msg.contains("iteration"),
        "{msg}"
    );
    eprintln!("{msg}");

    s.safeguard.max_restarts = 7;
    let r = neb(&mb_system(a.0, a.1), &mb_system(c.0, c.1), mb_provider, &s).unwrap();
    eprintln!(
        "recovered after {} restarts: {:?}",
        r.divergences.len(),
        r.divergences
            .iter()
            .map(|d| (d.iteration, d.dt, d.reason.clone()))
            .collect::<Vec<_>>()
    );
    assert!(!r.divergences.is_empty());
    // Each restart halves the step.
    for (k, d) in r.divergences.iter().enumerate() {
        assert_eq!(d.dt, 0.5 / f64::powi(2.0, k as i32));
    }
    assert!(r.converged, "max force {}", r.max_image_force);
    assert!((r.barrier_forward - (s1.2 - a.2)).abs() < 1e-6);
}

/// Lowest eigenvalue of the analytic 2×2 Müller–Brown Hessian at (x, y) (z adds 2·KZ).
fn analytic_lowest(x: f64, y: f64) -> f64 {
    let (_, _, h) = muller_brown(x, y);
    let (vals, _) = sym_eigen(&[h[0][0], h[0][1], h[1][0], h[1][1]], 2);
    vals.iter().copied().fold(2.0 * KZ, f64::min)
}

/// The two eigenvalue criteria act as documented (ARTn's EIGENVALUE_THRESHOLD for leaving the
/// basin, `saddle_eigen_max` for accepting a saddle), checked against the analytic Hessian:
/// (1) an exit threshold below every curvature of the surface (the minimum of the analytic
/// λ_min on a grid covering all points the push can reach, minus 1) never lets an event leave
/// the basin: all end `NoExit`, counted, not an error; (2) an acceptance bound below both
/// saddles' analytic curvature rejects them: no event ends `Found`, while (3) with the bound
/// just above them (and the default exit) ART finds the saddles (the test above).
#[test]
fn eigenvalue_thresholds_decide_exit_and_acceptance() {
    let a = exact(MIN_A);
    let b = exact(MIN_B);
    let s1 = exact(SADDLE_1);
    let s2 = exact(SADDLE_2);
    // Pushes start at A or B and go at most max_basin_steps·push_step = 3 plus the perpendicular
    // FIRE steps (max_step 0.02 each): a grid of ±4.5 around the minima with step 0.005 covers
    // them; the lowest λ on the surface is at a grid point up to the O(h²) curvature change
    // (third derivatives ≲ 1e5 × 0.005² ≈ 2.5 on λ ~ 10³), inside the margin of 10.
    let mut grid_min = f64::INFINITY;
    for i in 0..=1800 {
        for j in 0..=1800 {
            let x = -4.0 + 0.005 * i as f64;
            let y = -3.5 + 0.005 * j as f64;
            grid_min = grid_min.min(analytic_lowest(x, y));
        }
    }
    let mut s = settings();
    s.eigen_threshold = grid_min - 10.0;
    for start in [a, b] {
        let initial = mb_system(start.0, start.1);
        for k in 0..3 {
            let ev = art_event(&initial, start.2, &mut MullerBrown, k, 0, 42, &s).unwrap();
            assert_eq!(ev.status, ArtStatus::NoExit, "event {k} from {start:?}");
            assert!(ev.lambda_saddle >= s.eigen_threshold);
        }
    }
    // Acceptance: both saddles' analytic curvatures are negative; a bound 1 below the lower one
    // rejects them.
    let l1 = analytic_lowest(s1.0, s1.1);
    let l2 = analytic_lowest(s2.0, s2.1);
    assert!(l1 < 0.0 && l2 < 0.0, "{l1} {l2}");
    let mut s = settings();
    s.saddle_eigen_max = l1.min(l2) - 1.0;
    s.max_activation_steps = 500;
    for start in [a, b] {
        let initial = mb_system(start.0, start.1);
        let mut rejected = 0;
        for k in 0..6 {
            let ev = art_event(&initial, start.2, &mut MullerBrown, k, 0, 42, &s).unwrap();
            assert_ne!(
                ev.status,
                ArtStatus::Found,
                "event {k} from {start:?}: {ev:?}"
            );
            rejected += usize::from(ev.status == ArtStatus::SaddleNotConverged);
        }
        // The default exit (−1) does leave the basin (the same events find the saddles above).
        assert!(rejected > 0, "no event from {start:?} reached activation");
    }
}
