//! Random-mutation fuzzing of the EAM readers, format detection, `check` and the writers:
//! errors are fine, panics are not; whatever parses must also write and read back unchanged.

mod common;

use std::path::Path;

use pelkit::io::eam_file::{
    check_bytes, funcfl_text, parse_any, parse_funcfl, parse_setfl, setfl_text, EamFile,
};

fn seeds() -> Vec<Vec<u8>> {
    let setfl = "c1\nc2\nc3\n2 Cu Zr\n5 0.1 5 0.5 2.0\n29 63.5 3.6 fcc\n\
                 0 -1 -2 -1.5 -1\n0.4 0.3 0.2 0.1 0\n40 91.2 3.2 hcp\n0 -1 -2 -1.5 -1e0\n\
                 .4 .3 .2 .1 0.\n4 3 2 1 0\n5 3 2 1 0\n6 3 2 1 0 # pair\n";
    let fs = "c1\nc2\nc3\n2 Cu Zr\n5 0.1 5 0.5 2.0\n29 63.5 3.6 fcc\n0 -1 -2 -1.5 -1\n\
              0.4 0.3 0.2 0.1 0\n0.4 0.3\n 0.2 0.1 0\n40 91.2 3.2 hcp\n0 -1 -2 -1.5 -1\n\
              0.4 0.3 0.2 0.1 0\n0.4 0.3 0.2 0.1 0\n4 3 2 1 0\n5 3 2 1 0\n6 3 2 1 0\n";
    let funcfl = "Cu test\n29 63.55 3.615 FCC\n5 0.1 5 0.5 2.0\n0 -1 -2 -1.5 -1\n\
                  1 0.5 0.2 0.1 0\n0.4 0.3 0.2 0.1 0\n";
    let mut seeds = vec![setfl.into(), fs.into(), funcfl.into()];
    let cu = pelkit::io::potential_path::find_installed_potential("Cu_u3.eam");
    if let Some(data) = cu.and_then(|p| std::fs::read(p).ok()) {
        seeds.push(data);
    }
    seeds
}

/// Whatever parses is written and read back to the same values (bitwise via `==` on bits).
fn rewrite_is_identical(file: &EamFile) {
    let path = Path::new("fuzz");
    match file {
        EamFile::Funcfl(f) => {
            if let Ok(text) = funcfl_text(f) {
                let again = parse_funcfl(text.as_bytes(), path).expect("rewritten funcfl parses");
                assert_eq!(format!("{again:?}"), format!("{f:?}"));
            }
        }
        EamFile::Setfl(s) => {
            if let Ok(text) = setfl_text(s) {
                let again = parse_setfl(text.as_bytes(), path, s.finnis_sinclair)
                    .expect("rewritten setfl parses");
                assert_eq!(format!("{again:?}"), format!("{s:?}"));
            }
        }
    }
}

#[test]
fn fuzz_eam_readers() {
    let path = Path::new("fuzz.eam.alloy");
    common::fuzz::fuzz("eam", &seeds(), 20_000, |input| {
        let _ = parse_funcfl(input, path);
        let _ = parse_setfl(input, path, false);
        let _ = parse_setfl(input, path, true);
        let _ = check_bytes(input, path);
        if let Ok(file) = parse_any(input, path) {
            rewrite_is_identical(&file);
        }
    });
}
