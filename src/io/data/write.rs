//! Writing a [`System`] as a LAMMPS data file that `read_data` reads back bit for bit.
//!
//! Floats are printed with Rust's shortest round-trip representation (as LAMMPS `write_data`
//! does with fmt `{}`), atoms sorted by id.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::io::FormatError;
use crate::system::System;

/// Shortest representation that parses back to the same `f64` (exponent form when large/small).
pub(crate) fn round_trip(v: f64) -> String {
    format!("{v:?}")
}

/// Render the data file text: `Atoms # charge` when the system has charges, else `# atomic`.
pub fn data_file_text(sys: &System) -> String {
    let mut s = String::with_capacity(64 * sys.natoms() + 512);
    let b = &sys.simbox;
    let _ = writeln!(
        s,
        "LAMMPS data file written by pelkit {}\n",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(s, "{} atoms", sys.natoms());
    let _ = writeln!(s, "{} atom types\n", sys.ntypes);
    for (d, name) in ["x", "y", "z"].iter().enumerate() {
        let _ = writeln!(
            s,
            "{} {} {name}lo {name}hi",
            round_trip(b.lo[d]),
            round_trip(b.hi[d])
        );
    }
    if b.triclinic {
        let t = b.tilt;
        let _ = writeln!(
            s,
            "{} {} {} xy xz yz",
            round_trip(t[0]),
            round_trip(t[1]),
            round_trip(t[2])
        );
    }
    if sys.masses.iter().any(|m| m.is_some()) {
        s.push_str("\nMasses\n\n");
        for (t, m) in sys.masses.iter().enumerate() {
            if let Some(m) = m {
                let _ = writeln!(s, "{} {}", t + 1, round_trip(*m));
            }
        }
    }
    let order = sys.order_by_id();
    let style = if sys.charges.is_some() {
        "charge"
    } else {
        "atomic"
    };
    let _ = writeln!(s, "\nAtoms # {style}\n");
    for &i in &order {
        let x = sys.positions[i];
        let im = sys.images[i];
        let _ = write!(s, "{} {} ", sys.ids[i], sys.types[i]);
        if let Some(q) = &sys.charges {
            let _ = write!(s, "{} ", round_trip(q[i]));
        }
        let _ = writeln!(
            s,
            "{} {} {} {} {} {}",
            round_trip(x[0]),
            round_trip(x[1]),
            round_trip(x[2]),
            im[0],
            im[1],
            im[2]
        );
    }
    if let Some(v) = &sys.velocities {
        s.push_str("\nVelocities\n\n");
        for &i in &order {
            let _ = writeln!(
                s,
                "{} {} {} {}",
                sys.ids[i],
                round_trip(v[i][0]),
                round_trip(v[i][1]),
                round_trip(v[i][2])
            );
        }
    }
    s
}

/// Write `sys` to `path` as a LAMMPS data file (gzip-compressed when the name ends in `.gz`,
/// which LAMMPS `read_data` reads too).
pub fn write_data(path: &Path, sys: &System) -> Result<(), FormatError> {
    let text = data_file_text(sys);
    let io = |e| FormatError::io(path, e);
    let mut f = std::fs::File::create(path).map_err(io)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::default());
        gz.write_all(text.as_bytes()).map_err(io)?;
        gz.finish().map(drop).map_err(io)
    } else {
        f.write_all(text.as_bytes()).map_err(io)
    }
}
