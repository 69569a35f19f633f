//! `change_box … remap` cross-validated against LAMMPS on the same atoms: box bit for bit,
//! positions to the last bits of the x → λ → x round trip.
mod common;
mod dynamics_support;

use common::glass::{self, Shape};
use dynamics_support::{as_lammps_reads, set_masses};
use pelkit::engine::deform::{change_box, BoxOp};
use pelkit::geometry::simbox::{XY, YZ};

#[test]
fn change_box_shear_and_scale_match_lammps() {
    let lmp = require_lammps!();
    let dir = common::scratch("deform_change_box");
    glass::kob_andersen(&lmp, &dir, 300, 99, Shape::Triclinic(0.1, -0.05, 0.08), 500);
    let mut sys = common::read_dump_system(&dir.join("glass.dump"));
    set_masses(&mut sys, 1.0);
    as_lammps_reads(&mut sys);
    let l = sys.simbox.lengths();
    let dxy: f64 = format!("{:.17e}", 0.37 * l[1]).parse().unwrap();
    let dyz: f64 = format!("{:.17e}", -0.21 * l[2]).parse().unwrap();
    lmp.run(
        &dir,
        &format!(
            "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\n\
             pair_coeff * * 1.0 1.0\n\
             change_box all xy delta {dxy:.17e} yz delta {dyz:.17e} x scale 1.02 z scale 0.97 \
             remap units box\n\
             write_dump all custom out.dump id type x y z ix iy iz modify sort id format float %.17g\n"
        ),
    );
    change_box(
        &mut sys,
        &[
            BoxOp::TiltDelta {
                tilt: XY,
                delta: dxy,
            },
            BoxOp::TiltDelta {
                tilt: YZ,
                delta: dyz,
            },
            BoxOp::Scale {
                axis: 0,
                factor: 1.02,
            },
            BoxOp::Scale {
                axis: 2,
                factor: 0.97,
            },
        ],
        true,
    )
    .unwrap();
    let theirs = common::read_dump_system(&dir.join("out.dump"));
    // The dump stores the bound box; converting back may cost an ulp, so compare the box to
    // 1e-14 relative (the box arithmetic itself is LAMMPS' operation order).
    for d in 0..3 {
        for (a, b) in [
            (sys.simbox.lo[d], theirs.simbox.lo[d]),
            (sys.simbox.hi[d], theirs.simbox.hi[d]),
            (sys.simbox.tilt[d], theirs.simbox.tilt[d]),
        ] {
            assert!((a - b).abs() <= 1e-14 * a.abs().max(1.0), "box {a} vs {b}");
        }
    }
    // Positions: LAMMPS wraps with Domain::pbc in λ space, we with remap; both are the same
    // affine map of the same numbers, so differences are ulps (1e-13 absolute at L ≈ 6).
    let order = sys.order_by_id();
    for (k, &i) in order.iter().enumerate() {
        let x = sys.positions[i];
        let y = theirs.positions[k];
        assert_eq!(sys.ids[i], theirs.ids[k]);
        for d in 0..3 {
            assert!(
                (x[d] - y[d]).abs() < 1e-13,
                "atom {} dim {d}: {} vs {}",
                sys.ids[i],
                x[d],
                y[d]
            );
        }
        // Same image flags: unwrapped trajectories stay continuous the same way.
        assert_eq!(
            sys.images[i], theirs.images[k],
            "image of atom {}",
            sys.ids[i]
        );
    }
}
