//! Random mutations of valid dumps (plain and gzip) never make the reader, the streaming
//! iterator, `check` or the coordinate conversions panic.
mod common;

use std::io::Write;

use pelkit::io::dump::{self, DumpFile};

fn seeds() -> Vec<Vec<u8>> {
    let ortho = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp ff\n\
0 10\n0 10\n-1 11\nITEM: ATOMS id type x y z ix iy iz vx\n3 1 0.5 0.5 0.5 0 1 -1 0.25\n\
1 2 1.5e0 2.5 3.5 2 0 0 -1e-3\n2 1 9.99 0 10 0 0 0 7\n\
ITEM: TIMESTEP\n10\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp ff\n\
0 10\n0 10\n-1 11\nITEM: ATOMS id type x y z ix iy iz vx\n1 1 0.5 0.5 0.5 0 1 -1 0.25\n\
2 2 1.5 2.5 3.5 2 0 0 -1e-3\n3 1 9.99 0 10 0 0 0 7\n";
    let tri = "ITEM: UNITS\nmetal\nITEM: TIME\n0.5\nITEM: TIMESTEP\n5\nITEM: NUMBER OF ATOMS\n2\n\
ITEM: BOX BOUNDS xy xz yz pp pp pp\n-2.5 10 -1.5\n-0.5 8 -0.5\n0 7 0\n\
ITEM: ATOMS id type xsu ysu zsu\n1 1 0.1 0.2 0.3\n2 1 1.1 -0.2 0.99\n\
ITEM: TIME\n1\nITEM: TIMESTEP\n6\nITEM: NUMBER OF ATOMS\n2\n\
ITEM: BOX BOUNDS xy xz yz pp pp pp\n-2.5 10 -1.5\n-0.5 8 -0.5\n0 7 0\n\
ITEM: ATOMS id type xs ys zs\n2 1 0.1 0.2 0.3\n1 1 0.5 0.2 0.99\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(ortho.as_bytes()).unwrap();
    vec![ortho.into(), tri.into(), gz.finish().unwrap()]
}

#[test]
fn mutated_dumps_never_panic() {
    let dir = common::scratch("fuzz_dump");
    let path = dir.join("case.dump");
    common::fuzz::fuzz("dump", &seeds(), 4000, |bytes| {
        std::fs::write(&path, bytes).unwrap();
        if let Ok(file) = DumpFile::open(&path) {
            for n in 0..file.frames() {
                if let Ok(f) = file.frame(n) {
                    let _ = f.to_system();
                    let _ = f.unwrapped_positions();
                    for rep in f.coordinates() {
                        let _ = f.unwrapped_positions_from(rep);
                    }
                }
            }
            for item in file.iter() {
                let _ = item;
            }
        }
        let _ = dump::check(&path);
    });
}
