//! One ART event of a 500-atom Kob–Andersen glass (made by LAMMPS), then the climbing-image NEB
//! between its two minima by pelkit and by LAMMPS `neb` (5 replicas, `fix neb 1.0`): the same
//! barrier and image energies.

mod common;

use std::process::Command;

use common::glass::{kob_andersen, Shape};
use pelkit::engine::potential_provider::PotentialProvider;
use pelkit::engine::saddle::art::{art_event, ArtSettings, ArtStatus};
use pelkit::engine::saddle::fire_flat::FlatFireSettings;
use pelkit::engine::saddle::neb::{neb, NebSettings};
use pelkit::engine::saddle::SaddleError;
use pelkit::engine::{ForceProvider, ForceResult, MinimizeSettings};
use pelkit::potential::Potential;

fn ka() -> Potential {
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

#[test]
fn ka_glass_event_neb_equals_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("saddle_neb_ka");
    let data = kob_andersen(&lmp, &dir, 500, 4242, Shape::Orthogonal, 2000);
    let glass = pelkit::io::read_configuration(&data, None).unwrap();
    let make = || PotentialProvider::new(ka(), 0.3).map_err(SaddleError::from);
    let mut p = make().unwrap();
    let mut r = ForceResult::with_atoms(glass.natoms());
    p.compute(&glass, &mut r).unwrap();
    let mut s = ArtSettings::metal();
    s.local_radius = 1.5;
    s.init_displacement = 0.15;
    s.push_step = 0.05;
    s.eigen_threshold = -0.5;
    s.fire = FlatFireSettings::new(0.02, 0.05);
    s.side_push = 0.1;
    s.force_tol = 1e-3;
    s.same_distance = 0.05;
    s.same_energy = 1e-4;
    s.minimize = MinimizeSettings::new(0.0, 1e-10, 100_000, 1_000_000, false);
    let ev = (0..10)
        .map(|k| art_event(&glass, r.energy, &mut p, k, 17 * k + 3, 99, &s).unwrap())
        .find(|e| e.status == ArtStatus::Found && !e.final_is_initial && e.connected)
        .expect("no ART event of the KA glass found a new connected minimum");
    let fin = ev.final_state.clone().unwrap();
    let replicas = 5;
    let mut coords = format!("{}\n", fin.natoms());
    for (id, x) in fin.ids.iter().zip(&fin.positions) {
        coords += &format!("{id} {:.17e} {:.17e} {:.17e}\n", x[0], x[1], x[2]);
    }
    std::fs::write(dir.join("final.coords"), coords).unwrap();
    let script = "units lj\natom_style atomic\natom_modify map array\nboundary p p p\n\
        read_data glass.data\npair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n\
        pair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\npair_modify shift yes\n\
        thermo_modify norm no\nneighbor 0.3 bin\nneigh_modify every 1 delay 0 check yes\n\
        fix 1 all neb 1.0 parallel neigh\ntimestep 0.005\nmin_style fire\n\
        neb 0.0 1.0e-5 5000 5000 10 final final.coords\n";
    std::fs::write(dir.join("in.neb"), script).unwrap();
    let out = Command::new(&lmp.mpirun)
        .args(["-np", &replicas.to_string()])
        .arg(&lmp.lmp)
        .args(["-partition", &format!("{replicas}x1"), "-in", "in.neb"])
        .args(["-log", "log.lammps", "-nocite"])
        .current_dir(&dir)
        .env("LD_LIBRARY_PATH", &lmp.lib_dir)
        .env("OMP_NUM_THREADS", "1")
        .output()
        .unwrap();
    let log = std::fs::read_to_string(dir.join("log.lammps")).unwrap_or_default();
    assert!(
        out.status.success() && !log.contains("ERROR"),
        "LAMMPS neb failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Vec<f64> = log
        .lines()
        .filter_map(|l| {
            let v: Result<Vec<f64>, _> = l.split_whitespace().map(str::parse::<f64>).collect();
            v.ok().filter(|v| v.len() > 9)
        })
        .next_back()
        .unwrap();
    let (ebf, ebr) = (line[6], line[7]);
    let pe: Vec<f64> = (0..replicas).map(|k| line[10 + 2 * k]).collect();
    let mut ns = NebSettings::metal(replicas);
    ns.kspring = 1.0;
    ns.force_tol = 1e-5;
    ns.max_iter = 40_000;
    ns.fire = FlatFireSettings::new(0.02, 0.05);
    let res = neb(&glass, &fin, make, &ns).unwrap();
    eprintln!(
        "KA event: ART E_A {:.6}; NEB pelkit EBF {:.9} EBR {:.9} ({} it); LAMMPS EBF {ebf:.9} EBR {ebr:.9}",
        ev.e_a, res.barrier_forward, res.barrier_reverse, res.iterations
    );
    eprintln!("pelkit {:?}\nlammps {:?}", res.energies, pe);
    assert!(res.converged);
    // Same band and climbing image, both converged to 1e-5 (ε/σ): barriers equal to ≤ 1e-4 ε
    // (the bound); LAMMPS prints energies with 6–8 significant digits.
    assert!((res.barrier_forward - ebf).abs() <= 1e-4, "{} vs {ebf}", res.barrier_forward);
    assert!((res.barrier_reverse - ebr).abs() <= 1e-4, "{} vs {ebr}", res.barrier_reverse);
    for (k, (a, b)) in res.energies.iter().zip(&pe).enumerate() {
        assert!((a - b).abs() <= 1e-3, "image {k}: {a} vs {b}");
    }
}
