//! A C99 program and a C++17 program using `include/pelkit.h` compile with
//! `-Wall -Wextra -Werror` against the static library built by this crate, run, and every number
//! they print is recomputed here with the Rust library (and, for distances, a brute-force image
//! search) and compared.

use std::path::PathBuf;
use std::process::Command;

use pelkit_core::analysis::d2min::{d2min, D2minOptions};
use pelkit_core::analysis::dmin::{is_dmin, DminOptions};
use pelkit_core::analysis::voronoi::{tessellate, VoronoiOptions};
use pelkit_core::potential::Potential;
use pelkit_core::{SimBox, System};

/// The directory holding the `libpelkit_ffi.a` built for this test run: `target/<profile>/deps`
/// (cargo test refreshes the staticlib there, not the copy in `target/<profile>`).
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent().expect("deps dir").to_path_buf()
}

/// Compile `source` with `compiler` and the strict flags, link the static library, run it and
/// return its stdout (panics with the compiler or program output on failure).
fn compile_and_run(compiler: &str, std_flag: &str, source: &str, name: &str) -> String {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let lib = library_dir().join("libpelkit_ffi.a");
    assert!(lib.exists(), "{} not built", lib.display());
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c_api");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(name);
    let build = Command::new(compiler)
        .args([std_flag, "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1"])
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join("tests/c").join(source))
        .arg(&lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {compiler}: {e}"));
    assert!(
        build.status.success(),
        "{compiler} {source} failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(&exe)
        .arg(out_dir.join(format!("{name}.data")))
        .output()
        .expect("run test program");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success(), "{name} failed:\n{stdout}");
    stdout
}

fn fields<'a>(line: &'a str, key: &str) -> Vec<&'a str> {
    let rest = line
        .strip_prefix(key)
        .unwrap_or_else(|| panic!("no {key} in {line}"));
    rest.split_whitespace().collect()
}

fn f(v: &str) -> f64 {
    v.parse().unwrap_or_else(|_| panic!("not a float: {v}"))
}

/// Shortest image length by brute force over ±3 images (the oracle for minimum image).
fn brute_force_distance(b: &SimBox, d: [f64; 3]) -> f64 {
    let mut best = f64::INFINITY;
    for i in -3..=3 {
        for j in -3..=3 {
            for k in -3..=3 {
                let s = b.image_shift([i, j, k]);
                let c = [d[0] + s[0], d[1] + s[1], d[2] + s[2]];
                best = best.min((c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).sqrt());
            }
        }
    }
    best
}

/// Check the output of `api_check.h` against the Rust library.
fn check_api_output(out: &str) {
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no `{key}` line in:\n{out}"))
    };
    assert!(out.contains("failures 0"), "{out}");
    let v = fields(line("version "), "version ");
    assert_eq!(v[0], env!("CARGO_PKG_VERSION"));
    assert_eq!(v[2], pelkit_ffi::PELKIT_ABI_VERSION.to_string());
    let bx: Vec<f64> = fields(line("box "), "box ").into_iter().map(f).collect();
    let b = SimBox::triclinic(
        [bx[0], bx[1], bx[2]],
        [bx[3], bx[4], bx[5]],
        [bx[6], bx[7], bx[8]],
    )
    .unwrap();
    let mut originals = Vec::new();
    for l in out.lines().filter(|l| l.starts_with("atom ")) {
        let t: Vec<&str> = l.split_whitespace().collect();
        let x = [f(t[1]), f(t[2]), f(t[3])];
        let w = [f(t[5]), f(t[6]), f(t[7])];
        let im: [i32; 3] = [
            t[9].parse().unwrap(),
            t[10].parse().unwrap(),
            t[11].parse().unwrap(),
        ];
        let u = [f(t[13]), f(t[14]), f(t[15])];
        let s = [f(t[17]), f(t[18]), f(t[19])];
        // Through the ABI the library's own wrap must come back bit for bit (%.17g round-trips).
        let mut rust_im = [0; 3];
        let rust_w = b.wrap(x, &mut rust_im);
        assert_eq!((w, im), (rust_w, rust_im), "wrap of {x:?}");
        // Independent identity: the wrapped point is inside the box (fractional in [0, 1)) ...
        let frac = b.to_fractional(w);
        assert!(frac.iter().all(|c| (0.0..1.0).contains(c)), "{frac:?}");
        // ... and unwrapping restores the original within round-off of |x| ≤ ~60 Å, a few
        // box lengths (1e-12 relative to 60 covers the ~10 roundings of wrap + unwrap).
        for d in 0..3 {
            assert!((u[d] - x[d]).abs() <= 1e-12 * 60.0, "unwrap {u:?} vs {x:?}");
        }
        // The box call and the system call use the same formula: identical bits.
        assert_eq!(u, s);
        assert_eq!(u, b.unwrap(w, im));
        originals.push(w);
    }
    assert_eq!(originals.len(), 40);
    assert!(line("natoms ").ends_with(" 40"));
    for l in out.lines().filter(|l| l.starts_with("distance ")) {
        let t: Vec<&str> = l.split_whitespace().collect();
        let (i, j): (usize, usize) = (t[1].parse().unwrap(), t[2].parse().unwrap());
        let (a, c) = (originals[i], originals[j]);
        let d = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
        let oracle = brute_force_distance(&b, d);
        // Brute force sums the same vectors in another order: a few ulps of ~10 Å.
        assert!(
            (f(t[3]) - oracle).abs() <= 1e-12,
            "pair {i} {j}: {} vs {oracle}",
            t[3]
        );
    }
    // Volume of the tilted box: lx·ly·lz = 10·8·12 exactly representable.
    assert_eq!(f(fields(line("volume "), "volume ")[0]), 960.0);
    assert!(line("error set_positions ").contains("`positions` has length 119, expected 120"));
    assert!(line("error null_box ").contains("argument `simbox` is NULL"));
    assert!(line("error degenerate_box ").contains("degenerate: y length 0"));
    assert!(line("error out_of_range ").contains("atom index 40"));
    assert!(line("error null_system ").contains("argument `system` is NULL"));
    check_read_back(out, &originals);
    check_lj(out, &b, &originals);
    check_voronoi(out, &b, &originals);
    check_d2min(out, &b, &originals);
    check_dmin(out, &b, &originals);
    assert!(line("error null_summary ").contains("argument `summary` is NULL"));
    assert!(line("error bad_mapping ").contains("affine_mapping = 7"));
    assert!(line("error big_cutoff ").contains("cutoff 50 is not below half"));
    assert!(line("error bad_threshold ").contains("edge-length"));
    assert!(line("error missing_file ").contains("/nonexistent/pelkit.data"));
    assert!(line("error missing_potential ").contains("/nonexistent/CuZr.eam.fs"));
}

/// Data file written and read through the ABI: ids and unwrapped positions come back exactly
/// (write_data prints shortest round-trip floats), ids `1000 − 7·i` sorted by the writer.
fn check_read_back(out: &str, wrapped: &[[f64; 3]]) {
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| l.starts_with("read "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), wrapped.len());
    let unwrapped: Vec<[f64; 3]> = out
        .lines()
        .filter(|l| l.starts_with("atom "))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            [f(t[13]), f(t[14]), f(t[15])]
        })
        .collect();
    for r in rows {
        let id: usize = r[1].parse().unwrap();
        let i = (1000 - id) / 7;
        assert_eq!(id, 1000 - 7 * i);
        assert_eq!([f(r[2]), f(r[3]), f(r[4])], unwrapped[i], "id {id}");
    }
}

/// The lj/cut evaluation through the ABI equals the library's on the same system, and the
/// forces sum to zero (Newton's third law; round-off of the summed magnitudes).
fn check_lj(out: &str, b: &SimBox, wrapped: &[[f64; 3]]) {
    let n = wrapped.len();
    let ids = (0..n).map(|i| (1000 - 7 * i) as u64).collect();
    let types = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let sys = System::new(*b, ids, types, wrapped.to_vec());
    let potential = Potential::from_lammps_args(
        "lj/cut 2.5",
        &["* * 1.0 1.0".to_string(), "1 2 0.5 0.9".to_string()],
        &[],
        2,
    )
    .unwrap();
    let reference = potential.evaluate_system(&sys).unwrap();
    let head: Vec<f64> = out
        .lines()
        .find_map(|l| l.strip_prefix("lj cutoff "))
        .unwrap()
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert_eq!(head[0], 2.5);
    assert_eq!(head[1], reference.energy);
    assert_eq!(&head[2..8], &reference.virial);
    assert!(reference.energy != 0.0, "some pairs must interact");
    let mut total = [0.0f64; 3];
    let mut scale = 0.0f64;
    for l in out.lines().filter(|l| l.starts_with("lj_atom ")) {
        let t: Vec<&str> = l.split_whitespace().collect();
        let i: usize = t[1].parse().unwrap();
        assert_eq!(f(t[2]), reference.per_atom_energy[i]);
        let force = [f(t[3]), f(t[4]), f(t[5])];
        assert_eq!(force, reference.forces[i]);
        for d in 0..3 {
            total[d] += force[d];
            scale = scale.max(force[d].abs());
        }
    }
    for d in 0..3 {
        assert!(
            total[d].abs() <= 1e-12 * scale.max(1.0),
            "net force {total:?}"
        );
    }
}

fn c_compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

fn cxx_compiler() -> String {
    std::env::var("CXX").unwrap_or_else(|_| "c++".to_string())
}

#[test]
fn c_program_uses_the_header_and_gets_library_numbers() {
    let out = compile_and_run(&c_compiler(), "-std=c99", "api_check.c", "api_check_c");
    check_api_output(&out);
}

#[test]
fn cpp_program_uses_the_header_and_gets_library_numbers() {
    let out = compile_and_run(
        &cxx_compiler(),
        "-std=c++17",
        "api_check.cpp",
        "api_check_cpp",
    );
    check_api_output(&out);
    // Cube of side 4: (0.5,0.5,0.5) and (3.5,3.5,3.5) are √3 apart through the corner.
    let d: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("cpp_cube_distance "))
        .map(f)
        .unwrap();
    assert_eq!(d, 3f64.sqrt());
    assert!(out.contains("cpp_exception pelkit: invalid argument: `distances` has length 2"));
}

/// Voronoi through the ABI equals the library's tessellation of the same system, and the cells
/// tile the box (Σ volumes = 960 to 1e-12 relative: round-off of 40 additions).
fn check_voronoi(out: &str, b: &SimBox, wrapped: &[[f64; 3]]) {
    let n = wrapped.len();
    let ids = (0..n).map(|i| (1000 - 7 * i) as u64).collect();
    let types = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let sys = System::new(*b, ids, types, wrapped.to_vec());
    let reference = tessellate(&sys, &VoronoiOptions::default()).unwrap();
    let mut total = 0.0;
    let mut count = 0;
    for l in out.lines().filter(|l| l.starts_with("voronoi ")) {
        let t: Vec<&str> = l.split_whitespace().collect();
        let i: usize = t[1].parse().unwrap();
        assert_eq!(f(t[2]), reference.volumes[i], "atom {i} volume");
        assert_eq!(t[3].parse::<u32>().unwrap(), reference.face_counts[i]);
        let index: Vec<u32> = t[4..9].iter().map(|v| v.parse().unwrap()).collect();
        assert_eq!(
            &index[..],
            &reference.voronoi_index(i)[3..8],
            "atom {i} index"
        );
        total += f(t[2]);
        count += 1;
    }
    assert_eq!(count, n);
    assert!((total - 960.0).abs() <= 1e-12 * 960.0, "Σ volumes {total}");
}

/// D_min through the ABI equals the library's `is_dmin` on the same pair of systems, bit for bit
/// (same code, same inputs); the identity D_min² · N = Σ |d|² holds to round-off.
fn check_dmin(out: &str, b: &SimBox, wrapped: &[[f64; 3]]) {
    let n = wrapped.len();
    let ids: Vec<u64> = (0..n).map(|i| (1000 - 7 * i) as u64).collect();
    let types: Vec<u32> = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let moved: Vec<[f64; 3]> = out
        .lines()
        .filter_map(|l| l.strip_prefix("moved "))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            [f(t[1]), f(t[2]), f(t[3])]
        })
        .collect();
    let reference = System::new(*b, ids.clone(), types.clone(), wrapped.to_vec());
    let current = System::new(*b, ids, types, moved);
    let expected = is_dmin(&reference, &current, &DminOptions::default()).unwrap();
    let summary: Vec<&str> = out
        .lines()
        .find_map(|l| l.strip_prefix("dmin_summary "))
        .expect("dmin_summary line")
        .split_whitespace()
        .collect();
    assert_eq!(f(summary[0]), expected.dmin);
    assert_eq!(f(summary[1]), expected.rmsd);
    assert_eq!(summary[2].parse::<usize>().unwrap(), n);
    assert_eq!(summary[3].parse::<usize>().unwrap(), expected.reassigned);
    assert_eq!(summary[4], "1", "optimality certified");
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter_map(|l| l.strip_prefix("dmin "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), n);
    let mut sum = 0.0;
    for (k, t) in rows.iter().enumerate() {
        assert_eq!(
            t[0].parse::<u64>().unwrap(),
            expected.ids[k],
            "ascending ids"
        );
        assert_eq!(t[1].parse::<u64>().unwrap(), expected.partner_ids[k]);
        let d = [f(t[2]), f(t[3]), f(t[4])];
        assert_eq!(d, expected.displacements[k]);
        sum += d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    }
    // 40 squares of ≤ 0.0075 summed in the same order as the library: 1e-14 relative.
    let dmin = f(summary[0]);
    assert!(((sum / n as f64).sqrt() - dmin).abs() <= 1e-14 * dmin);
}

/// D²min through the ABI equals the library's on the same pair of systems; against itself every
/// D²min vanishes (zero displacements: the fit residual is round-off, ~(1e-16·r_c)² per
/// neighbour for r_c = 2.9 and ~10 neighbours, far below the 1e-24 Å² tolerance).
fn check_d2min(out: &str, b: &SimBox, wrapped: &[[f64; 3]]) {
    let n = wrapped.len();
    let ids: Vec<u64> = (0..n).map(|i| (1000 - 7 * i) as u64).collect();
    let types: Vec<u32> = (0..n).map(|i| 1 + (i % 2) as u32).collect();
    let moved: Vec<[f64; 3]> = out
        .lines()
        .filter_map(|l| l.strip_prefix("moved "))
        .map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            [f(t[1]), f(t[2]), f(t[3])]
        })
        .collect();
    assert_eq!(moved.len(), n);
    let reference = System::new(*b, ids.clone(), types.clone(), wrapped.to_vec());
    let current = System::new(*b, ids, types, moved);
    let opts = D2minOptions {
        cutoff: 2.9,
        ..D2minOptions::default()
    };
    let expected = d2min(&reference, &current, &opts).unwrap();
    let rows: Vec<Vec<&str>> = out
        .lines()
        .filter_map(|l| l.strip_prefix("d2min "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), n);
    let mut valid = 0;
    for (k, t) in rows.iter().enumerate() {
        assert_eq!(
            t[0].parse::<u64>().unwrap(),
            expected.ids[k],
            "ascending ids"
        );
        assert_eq!(f(t[1]), expected.d2min[k]);
        assert_eq!(f(t[2]), expected.shear_strain[k]);
        assert_eq!(f(t[3]), expected.volumetric_strain[k]);
        assert_eq!(t[4] == "1", expected.invalid[k]);
        valid += usize::from(t[4] == "0");
    }
    assert!(valid > 0, "some atoms must have enough neighbours");
    // pelkit_system_atomic_strain: the same values plus the mean and the neighbour counts.
    let strain: Vec<Vec<&str>> = out
        .lines()
        .filter_map(|l| l.strip_prefix("strain "))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(strain.len(), n);
    for (k, t) in strain.iter().enumerate() {
        assert_eq!(t[0].parse::<u64>().unwrap(), expected.ids[k]);
        assert_eq!(f(t[1]), expected.d2min[k]);
        assert_eq!(f(t[2]), expected.d2min_mean[k]);
        assert_eq!(f(t[3]), expected.shear_strain[k]);
        assert_eq!(f(t[4]), expected.volumetric_strain[k]);
        assert_eq!(t[5].parse::<u32>().unwrap(), expected.neighbors[k]);
        assert_eq!(t[6] == "1", expected.invalid[k]);
        // Identity: the mean is the sum over the neighbours divided by their number.
        if t[6] == "0" {
            let count = expected.neighbors[k] as f64;
            assert!((f(t[2]) * count - f(t[1])).abs() <= 1e-15 * f(t[1]).max(1e-300));
        }
    }
    for l in out.lines().filter_map(|l| l.strip_prefix("d2min_self ")) {
        let v = f(l.trim());
        assert!((0.0..=1e-24).contains(&v), "self D²min {v}");
    }
}
