//! Falk–Langer D²min, shear and volumetric strain equal OVITO's `AtomicStrainModifier` (run by
//! the test on the same LAMMPS dump files) for the three affine mappings, with minimum image on,
//! on a LAMMPS Kob–Andersen glass after thermal rearrangement and after shearing its cell.
//!
//! Tolerance: 1e-9 relative plus 1e-13 absolute. Both sides compute the same least-squares
//! formulas in double precision; only the summation order of ~10–40 neighbour terms and the
//! operation order of cell inversions differ (~1e-15 relative); the absolute floor covers values
//! that are zero up to rounding (affine atoms).
mod common;

use std::path::Path;

use common::glass::{self, Shape};
use pelkit::analysis::d2min::{d2min, AffineMapping, D2minOptions};

const OVITO_STRAIN: &str = r#"
import sys
import numpy as np
from ovito.io import import_file
from ovito.pipeline import FileSource, ReferenceConfigurationModifier
from ovito.modifiers import AtomicStrainModifier
ref, cur, cutoff, mapping = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
AM = ReferenceConfigurationModifier.AffineMapping
p = import_file(cur)
m = AtomicStrainModifier(cutoff=cutoff, output_nonaffine_squared_displacements=True,
                         minimum_image_convention=True, select_invalid_particles=True,
                         affine_mapping={'off': AM.Off, 'ref': AM.ToReference, 'cur': AM.ToCurrent}[mapping])
m.reference = FileSource()
m.reference.load(ref)
p.modifiers.append(m)
d = p.compute()
P = d.particles
ids = np.asarray(P['Particle Identifier'])
o = np.argsort(ids)
cols = [ids, P['Nonaffine Squared Displacement'], P['Shear Strain'], P['Volumetric Strain'], P['Selection']]
for k in o:
    print(' '.join(repr(float(c[k])) for c in cols))
"#;

fn ovito_strain(python: &Path, dir: &Path, cur: &str, cutoff: f64, mapping: &str) -> Vec<[f64; 5]> {
    let script = OVITO_STRAIN.replace(
        "sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]",
        &format!("'glass.dump', '{cur}', {cutoff:?}, '{mapping}'"),
    );
    common::run_python(python, dir, &script)
        .lines()
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|t| t.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3], v[4]]
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) + 1e-13
}

fn compare_with_ovito(dir: &Path, cur: &str, cutoff: f64, expect_invalid: bool) {
    let python = require_python!();
    let reference = common::read_dump_system(&dir.join("glass.dump"));
    let current = common::read_dump_system(&dir.join(cur));
    for (name, mapping) in [
        ("off", AffineMapping::Off),
        ("ref", AffineMapping::ToReference),
        ("cur", AffineMapping::ToCurrent),
    ] {
        let opts = D2minOptions {
            cutoff,
            affine_mapping: mapping,
            minimum_image: true,
        };
        let ours = d2min(&reference, &current, &opts).unwrap();
        let theirs = ovito_strain(&python, dir, cur, cutoff, name);
        assert_eq!(theirs.len(), ours.ids.len());
        let mut nonzero = 0;
        for (i, t) in theirs.iter().enumerate() {
            assert_eq!(t[0] as u64, ours.ids[i]);
            assert_eq!(t[4] != 0.0, ours.invalid[i], "invalid flag of id {}", t[0]);
            for (k, (a, b)) in [
                (ours.d2min[i], t[1]),
                (ours.shear_strain[i], t[2]),
                (ours.volumetric_strain[i], t[3]),
            ]
            .into_iter()
            .enumerate()
            {
                assert!(
                    close(a, b),
                    "{cur} mapping {name} id {} column {k}: pelkit {a:e} vs OVITO {b:e}",
                    t[0]
                );
            }
            // Values well above the absolute floor, so the relative tolerance is what is tested.
            nonzero += (ours.d2min[i] > 1e-9) as usize;
            if !ours.invalid[i] {
                assert!(
                    close(ours.d2min_mean[i] * ours.neighbors[i] as f64, ours.d2min[i]),
                    "mean column"
                );
            }
        }
        assert!(
            expect_invalid || nonzero > theirs.len() / 4,
            "{cur} {name}: test must exercise non-affine motion ({nonzero} atoms)"
        );
        assert_eq!(ours.invalid_count > 0, expect_invalid);
        if expect_invalid {
            assert!(
                ours.invalid_count < theirs.len(),
                "some atoms must stay valid"
            );
        }
    }
}

#[test]
fn d2min_matches_ovito_after_thermal_rearrangement_and_cell_shear() {
    let lmp = require_lammps!();
    let _python = require_python!();
    let dir = common::scratch("d2min_ovito");
    glass::kob_andersen(
        &lmp,
        &dir,
        600,
        515,
        Shape::Triclinic(0.05, -0.03, 0.02),
        3000,
    );
    let l = (600.0f64 / 1.2).cbrt();
    let script = format!(
        "units lj\natom_style atomic\npair_style lj/cut 2.5\nread_data glass.data\nmass * 1.0\n\
         pair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\n\
         pair_modify shift yes\nneighbor 0.3 bin\n\
         velocity all create 0.5 77 mom yes rot yes\ntimestep 0.005\n\
         fix t all nvt temp 0.5 0.5 0.5\nrun 800\nunfix t\nminimize 0 1e-10 20000 200000\n\
         write_dump all custom thermal.dump id type x y z ix iy iz modify sort id format float %.17g\n\
         change_box all xy delta {} x scale 1.02 remap\nminimize 0 1e-10 20000 200000\n\
         write_dump all custom sheared.dump id type x y z ix iy iz modify sort id format float %.17g\n",
        0.12 * l
    );
    lmp.run(&dir, &script);
    compare_with_ovito(&dir, "thermal.dump", 1.5, false);
    compare_with_ovito(&dir, "sheared.dump", 1.5, false);
    // A cutoff inside the first shell leaves atoms with < 3 neighbours: flagged as OVITO does.
    compare_with_ovito(&dir, "sheared.dump", 1.0, true);
}
