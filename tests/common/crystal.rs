//! Perfect crystals (fcc, bcc, B2) in orthogonal or tilted periodic boxes, built directly as a
//! [`pelkit::System`] for tests. A tilted box stays commensurate with the crystal because every
//! tilt is a whole number of lattice constants (a lattice translation).

use pelkit::{SimBox, System};

#[derive(Clone, Copy, Debug)]
pub enum Lattice {
    Fcc,
    Bcc,
    /// CsCl structure: type 1 at the corners, type 2 at the body centres.
    B2,
}

/// `reps`³ unit cells of lattice constant `a`; `tilt_cells` = (xy, xz, yz) in lattice constants
/// (all zero: an orthogonal box). Atom ids 1..N, masses 1.
pub fn crystal(lattice: Lattice, a: f64, reps: usize, tilt_cells: [i32; 3]) -> System {
    let basis: &[([f64; 3], u32)] = match lattice {
        Lattice::Fcc => &[
            ([0.0, 0.0, 0.0], 1),
            ([0.5, 0.5, 0.0], 1),
            ([0.5, 0.0, 0.5], 1),
            ([0.0, 0.5, 0.5], 1),
        ],
        Lattice::Bcc => &[([0.0, 0.0, 0.0], 1), ([0.5, 0.5, 0.5], 1)],
        Lattice::B2 => &[([0.0, 0.0, 0.0], 1), ([0.5, 0.5, 0.5], 2)],
    };
    let l = a * reps as f64;
    let simbox = if tilt_cells == [0; 3] {
        SimBox::orthogonal([0.0; 3], [l; 3]).unwrap()
    } else {
        SimBox::triclinic([0.0; 3], [l; 3], tilt_cells.map(|t| t as f64 * a)).unwrap()
    };
    let mut positions = Vec::new();
    let mut types = Vec::new();
    for i in 0..reps {
        for j in 0..reps {
            for k in 0..reps {
                for (b, t) in basis {
                    let x = [
                        (i as f64 + b[0]) * a,
                        (j as f64 + b[1]) * a,
                        (k as f64 + b[2]) * a,
                    ];
                    let mut image = [0; 3];
                    positions.push(simbox.wrap(x, &mut image));
                    types.push(*t);
                }
            }
        }
    }
    let n = positions.len() as u64;
    let ntypes = types.iter().copied().max().unwrap_or(1) as usize;
    let mut sys = System::new(simbox, (1..=n).collect(), types, positions);
    sys.masses = vec![Some(1.0); ntypes];
    sys
}
