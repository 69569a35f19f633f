//! `write_data` output is read by LAMMPS to the same coordinates, bit for bit.
//!
//! Orthogonal boxes: LAMMPS keeps the written numbers exactly. Triclinic boxes: `read_data`
//! remaps every atom through x → λ → x (`Domain::remap`, lammps-facts §0.4), which may change the
//! last bits; there the reference is our own `to_cartesian(to_fractional(x))`, which must give
//! LAMMPS' bits exactly (so our operation order is LAMMPS').
mod common;

use pelkit::{io::data::write_data, SimBox, System};

fn round_trip_through_lammps(name: &str, b: SimBox) {
    let lmp = require_lammps!();
    let dir = common::scratch(name);
    let mut rnd = {
        let mut rng = pelkit::testing::Lcg(7u64);
        move || rng.uniform()
    };
    let n = 200;
    let positions: Vec<[f64; 3]> = (0..n)
        .map(|_| b.to_cartesian([rnd() * 0.999, rnd() * 0.999, rnd() * 0.999]))
        .collect();
    let mut sys = System::new(
        b,
        (1..=n as u64).rev().collect(),
        (0..n).map(|i| 1 + (i % 2) as u32).collect(),
        positions,
    );
    sys.masses = vec![Some(63.546), Some(91.224)];
    write_data(&dir.join("in.data"), &sys).unwrap();
    lmp.run(
        &dir,
        "units metal\natom_style atomic\nread_data in.data\n\
         write_dump all custom out.dump id type x y z modify sort id format float %.17g\n",
    );
    let table = common::read_dump_table(&dir.join("out.dump"));
    assert_eq!(table.len(), n);
    for row in &table {
        let id = row[0] as u64;
        let i = sys.ids.iter().position(|&x| x == id).unwrap();
        let expected = if b.triclinic {
            b.to_cartesian(b.to_fractional(sys.positions[i]))
        } else {
            sys.positions[i]
        };
        for d in 0..3 {
            assert_eq!(
                row[2 + d].to_bits(),
                expected[d].to_bits(),
                "atom {id} dim {d}"
            );
        }
    }
}

#[test]
fn lammps_reads_written_orthogonal_data_bit_for_bit() {
    round_trip_through_lammps(
        "data_write_ortho",
        SimBox::orthogonal([-1.25, 0.0, 0.5], [11.0, 9.7, 10.1]).unwrap(),
    );
}

#[test]
fn lammps_reads_written_triclinic_data_with_lammps_remap_bits() {
    round_trip_through_lammps(
        "data_write_tri",
        SimBox::triclinic([-1.25, 0.0, 0.5], [11.0, 9.7, 10.1], [1.3, -2.1, 0.7]).unwrap(),
    );
}
