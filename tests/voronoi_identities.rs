//! Exact identities of the Voronoi tessellation (no anchor needed): cells tile the box, every
//! face is shared by its two atoms with the same area and edge count, a lone atom's cell is the
//! Wigner–Seitz cell of the box lattice, results do not depend on the thread count; bad input
//! gets an error naming the atom.
mod common;

use pelkit::analysis::voronoi::{tessellate, FaceLabel, Radii, VoronoiError, VoronoiOptions};
use pelkit::{SimBox, System};

fn random_system(n: usize, simbox: SimBox, seed: u64) -> System {
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(seed);
        move || rng.uniform()
    };
    let positions = (0..n)
        .map(|_| simbox.to_cartesian([rnd(), rnd(), rnd()]))
        .collect();
    System::new(
        simbox,
        (1..=n as u64).collect(),
        (0..n).map(|i| 1 + (i % 2) as u32).collect(),
        positions,
    )
}

fn opts(radii: Radii) -> VoronoiOptions {
    VoronoiOptions {
        radii,
        keep_faces: true,
        ..Default::default()
    }
}

/// Every face i→(j, image) has the partner j→(i, −image) with the same area (1e-11 relative:
/// the two polygons are computed independently, from different cut orders) and edge count;
/// volumes sum to the box volume (1e-12 relative: summation round-off).
fn check_reciprocity(sys: &System, radii: Radii) {
    let t = tessellate(sys, &opts(radii)).unwrap();
    let total: f64 = t.volumes.iter().sum();
    let v = sys.simbox.volume();
    assert!(
        common::rel_diff(total, v, 0.0) < 1e-12,
        "Σ volumes {total} vs {v}"
    );
    for i in 0..sys.natoms() {
        for f in &t.faces[t.face_offsets[i]..t.face_offsets[i + 1]] {
            let FaceLabel::Atom { index, image } = f.neighbour else {
                continue;
            };
            let j = index as usize;
            let back = t.faces[t.face_offsets[j]..t.face_offsets[j + 1]]
                .iter()
                .find(|g| {
                    g.neighbour
                        == FaceLabel::Atom {
                            index: i as u32,
                            image: image.map(|x| -x),
                        }
                })
                .unwrap_or_else(|| panic!("face {i}→{j} {image:?} has no partner"));
            assert!(
                (f.area - back.area).abs() <= 1e-11 * f.area.max(1e-300) + 1e-14,
                "areas {} vs {}",
                f.area,
                back.area
            );
            assert_eq!(f.edges, back.edges);
        }
    }
}

#[test]
fn faces_are_reciprocal_and_cells_tile_triclinic_boxes() {
    let b = SimBox::triclinic([0.0; 3], [8.0, 7.0, 6.5], [2.5, -1.8, 1.2]).unwrap();
    let sys = random_system(400, b, 1);
    check_reciprocity(&sys, Radii::Monodisperse);
    check_reciprocity(&sys, Radii::PerType(vec![0.6, 0.9]));
    let b = SimBox::triclinic([0.0; 3], [8.0, 7.0, 6.5], [-3.0, 2.0, -2.5]).unwrap();
    check_reciprocity(&random_system(300, b, 2), Radii::Monodisperse);
}

#[test]
fn tiny_boxes_cut_cells_by_their_own_images() {
    // One atom: its cell is the Wigner–Seitz cell of the box lattice, volume = box volume.
    for tilt in [[0.0; 3], [1.0, 0.5, -0.7], [-1.4, 0.9, 1.1]] {
        let b = SimBox::triclinic([0.0; 3], [3.0, 2.8, 3.3], tilt).unwrap();
        let sys = System::new(b, vec![7], vec![1], vec![[1.0, 1.0, 1.0]]);
        let t = tessellate(&sys, &opts(Radii::Monodisperse)).unwrap();
        assert!(common::rel_diff(t.volumes[0], b.volume(), 0.0) < 1e-13);
        // A lattice Wigner–Seitz cell is a parallelohedron: 6, 8, 12 or 14 faces (6 for a
        // rectangular lattice, whose other images only touch edges and corners).
        assert!(
            [6, 8, 12, 14].contains(&t.face_counts[0]),
            "{}",
            t.face_counts[0]
        );
        if tilt == [0.0; 3] {
            assert_eq!(t.face_counts[0], 6);
        }
    }
    check_reciprocity(
        &random_system(3, SimBox::orthogonal([0.0; 3], [2.0, 3.0, 2.5]).unwrap(), 9),
        Radii::Monodisperse,
    );
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let b = SimBox::triclinic([0.0; 3], [12.0, 11.0, 10.0], [1.5, -1.0, 0.5]).unwrap();
    let sys = random_system(1500, b, 5);
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| tessellate(&sys, &opts(Radii::Monodisperse)).unwrap())
    };
    let (a, c) = (run(1), run(3));
    assert_eq!(a, c);
}

#[test]
fn coincident_atoms_are_an_error_naming_both() {
    let b = SimBox::orthogonal([0.0; 3], [5.0; 3]).unwrap();
    let sys = System::new(
        b,
        vec![10, 20, 30],
        vec![1, 1, 1],
        vec![[1.0, 1.0, 1.0], [3.0, 3.0, 3.0], [1.0, 1.0, 1.0]],
    );
    let e = tessellate(&sys, &VoronoiOptions::default()).unwrap_err();
    assert_eq!(
        e,
        VoronoiError::CoincidentAtoms {
            id: 10,
            other_id: 30
        }
    );
    assert!(e.to_string().contains("10") && e.to_string().contains("30"));
}

#[test]
fn atom_outside_a_wall_bounded_dimension_is_an_error_naming_it() {
    let mut b = SimBox::orthogonal([0.0; 3], [5.0; 3]).unwrap();
    b.periodic[2] = false;
    let sys = System::new(
        b,
        vec![1, 2, 3],
        vec![1, 1, 1],
        vec![[1.0, 1.0, 1.0], [3.0, 3.0, 5.5], [2.0, 4.0, 2.0]],
    );
    let e = tessellate(&sys, &VoronoiOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            VoronoiError::AtomOutsideBox {
                id: 2,
                axis: 'z',
                ..
            }
        ),
        "{e}"
    );
    // In a periodic dimension the same atom is simply wrapped.
    let mut sys = sys;
    sys.simbox.periodic[2] = true;
    let t = tessellate(&sys, &VoronoiOptions::default()).unwrap();
    assert!(common::rel_diff(t.volumes.iter().sum(), 125.0, 0.0) < 1e-13);
}

#[test]
fn bad_positions_and_radii_are_errors() {
    let b = SimBox::orthogonal([0.0; 3], [5.0; 3]).unwrap();
    let sys = System::new(
        b,
        vec![1, 2],
        vec![1, 2],
        vec![[1.0, 1.0, 1.0], [f64::NAN, 3.0, 3.0]],
    );
    assert!(matches!(
        tessellate(&sys, &VoronoiOptions::default()),
        Err(VoronoiError::NonFinitePosition { id: 2, .. })
    ));
    let sys = System::new(b, vec![1, 2], vec![1, 2], vec![[1.0; 3], [3.0; 3]]);
    assert!(matches!(
        tessellate(&sys, &opts(Radii::PerType(vec![1.0]))),
        Err(VoronoiError::MissingTypeRadius {
            atom_type: 2,
            id: 2
        })
    ));
    assert!(matches!(
        tessellate(&sys, &opts(Radii::PerAtom(vec![1.0]))),
        Err(VoronoiError::RadiusCount { .. })
    ));
    assert!(matches!(
        tessellate(&sys, &opts(Radii::PerAtom(vec![1.0, -1.0]))),
        Err(VoronoiError::BadRadius { .. })
    ));
}

/// Radical mode with a huge radius next to a small one: the small atom's power cell is empty
/// (volume 0, no faces — as Voro++ reports), the others still tile the box.
#[test]
fn empty_radical_cells_have_zero_volume() {
    let b = SimBox::orthogonal([0.0; 3], [6.0; 3]).unwrap();
    let sys = System::new(
        b,
        vec![1, 2, 3],
        vec![1, 2, 1],
        vec![[1.0, 1.0, 1.0], [1.3, 1.0, 1.0], [4.0, 4.0, 4.0]],
    );
    let t = tessellate(&sys, &opts(Radii::PerAtom(vec![2.0, 0.1, 1.0]))).unwrap();
    assert_eq!(t.volumes[1], 0.0);
    assert_eq!(t.face_counts[1], 0);
    assert!(common::rel_diff(t.volumes.iter().sum(), 216.0, 0.0) < 1e-12);
}
