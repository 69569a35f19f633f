//! Total and partial g(r) identical to OVITO 3.17's `CoordinationAnalysisModifier` on Cu–Zr
//! glasses made by LAMMPS (orthogonal 2,000 atoms, triclinic 500 atoms, a cutoff beyond half
//! the box), and the per-atom g_i(r) of seed 003 averaged over atoms equal to OVITO's g(r)
//! on the same shells.
//!
//! Tolerance 1e-10 relative (floor 1): both sides count the same integer pairs per bin and
//! divide by the same shell volume; only the rounding of the normalisation differs (~1e-15).
//! A distance within round-off of a bin edge could in principle land in the other bin (a jump
//! of one pair); none does in these inputs.
#[path = "../common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::path::Path;

use common::glass::{self, Shape};
use pelkit::analysis::rdf::{per_atom_rdf, rdf, Shells};

/// OVITO's g(r) table: column name ("g(r)" or "A-B" with numeric type names) → values; plus r.
fn ovito_rdf(
    python: &Path,
    dir: &Path,
    dump: &str,
    cutoff: f64,
    nbins: usize,
    partial: bool,
) -> (Vec<f64>, HashMap<String, Vec<f64>>) {
    let script = format!(
        "from ovito.io import import_file\n\
         from ovito.modifiers import CoordinationAnalysisModifier\n\
         pipe = import_file('{dump}')\n\
         pipe.modifiers.append(CoordinationAnalysisModifier(cutoff={cutoff:?}, \
         number_of_bins={nbins}, partial={}))\n\
         t = pipe.compute().tables['coordination-rdf']\n\
         names = t.y.component_names or ['total']\n\
         xy = t.xy()\n\
         y = xy[:, 1:]\n\
         print('r', ' '.join('%.17g' % v for v in xy[:, 0]))\n\
         for k, n in enumerate(names):\n\
         \x20   print(n, ' '.join('%.17g' % v for v in y[:, k]))\n",
        if partial { "True" } else { "False" }
    );
    let out = common::run_python(python, dir, &script);
    let mut cols = HashMap::new();
    let mut r = Vec::new();
    for line in out.lines() {
        let mut w = line.split_whitespace();
        let name = w.next().unwrap().to_string();
        let v: Vec<f64> = w.map(|t| t.parse().unwrap()).collect();
        if name == "r" {
            r = v;
        } else {
            cols.insert(name, v);
        }
    }
    (r, cols)
}

fn assert_close(what: &str, ours: &[f64], theirs: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let d = common::rel_diff(*a, *b, 1.0);
        assert!(d <= 1e-10, "{what} bin {k}: ours {a} OVITO {b} (rel {d:e})");
    }
}

fn compare(dir: &Path, cutoff: f64, nbins: usize) {
    let python = match common::python() {
        Some(p) => p,
        None => return,
    };
    let sys = pelkit::io::read_configuration(&dir.join("glass.dump"), None).unwrap();
    let ours = rdf(&sys, cutoff, nbins).unwrap();
    let (r, total) = ovito_rdf(&python, dir, "glass.dump", cutoff, nbins, false);
    assert_close("r", &ours.r, &r);
    assert_close("total g(r)", &ours.total, &total["total"]);
    let (_, part) = ovito_rdf(&python, dir, "glass.dump", cutoff, nbins, true);
    assert_eq!(part.len(), ours.partial.len());
    for (a, b, g) in &ours.partial {
        let name = format!("{a}-{b}");
        let theirs = part
            .get(&name)
            .unwrap_or_else(|| panic!("OVITO has no column {name}: {:?}", part.keys()));
        assert_close(&format!("g_{name}"), g, theirs);
    }
    // Per-atom descriptors on OVITO's bins from r_min = 1/5 of the cutoff: the mean over atoms
    // is the total, the mean of g_i^b over atoms of type a is g_ab.
    let dr = cutoff / nbins as f64;
    let skip = nbins / 5;
    let shells = Shells {
        r_min: skip as f64 * dr,
        dr,
        nbins: nbins - skip,
    };
    let per = per_atom_rdf(&sys, &shells, true).unwrap();
    let n = sys.natoms();
    let nb = shells.nbins;
    let total_per = per_atom_rdf(&sys, &shells, false).unwrap();
    let mean: Vec<f64> = (0..nb)
        .map(|k| (0..n).map(|i| total_per.row(i)[k]).sum::<f64>() / n as f64)
        .collect();
    assert_close("mean g_i", &mean, &total["total"][skip..]);
    for (a, b, _) in &ours.partial {
        for (ta, tb) in [(*a, *b), (*b, *a)] {
            let members: Vec<usize> = (0..n).filter(|&i| sys.types[i] == ta).collect();
            let mean: Vec<f64> = (0..nb)
                .map(|k| {
                    members
                        .iter()
                        .map(|&i| per.row(i)[(tb as usize - 1) * nb + k])
                        .sum::<f64>()
                        / members.len() as f64
                })
                .collect();
            assert_close(
                &format!("mean g_i^{tb} over type {ta}"),
                &mean,
                &part[&format!("{a}-{b}")][skip..],
            );
        }
    }
}

#[test]
fn cuzr_2000_orthogonal_matches_ovito() {
    let lmp = require_lammps!();
    let dir = common::scratch("rdf_ovito_2000");
    if glass::cuzr(&lmp, &dir, 2000, 17, Shape::Orthogonal, 1000).is_none() {
        return;
    }
    compare(&dir, 10.0, 50);
    // Beyond half the box (L ≈ 32.6 Å): periodic images counted on both sides.
    compare(&dir, 20.0, 80);
}

#[test]
fn cuzr_500_triclinic_matches_ovito() {
    let lmp = require_lammps!();
    let dir = common::scratch("rdf_ovito_tri");
    if glass::cuzr(&lmp, &dir, 500, 3, Shape::Triclinic(0.1, -0.05, 0.08), 600).is_none() {
        return;
    }
    compare(&dir, 12.0, 60);
}

/// `pelkit rdf --per-atom`: the descriptors written to the dump average to the g(r) printed by
/// `--json` on the same shells (exact identity, 1e-12), and bad shells are a clear error.
#[test]
fn cli_per_atom_and_errors() {
    let dir = common::scratch("rdf_cli");
    let n = 300;
    let l = 16.0;
    let mut next = {
        let mut rng = pelkit::testing::Lcg(99u64);
        move || rng.uniform()
    };
    let pos: Vec<[f64; 3]> = (0..n)
        .map(|_| [next() * l, next() * l, next() * l])
        .collect();
    let b = pelkit::SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    let sys = pelkit::System::new(b, (1..=n as u64).collect(), vec![1; n], pos);
    pelkit::io::dump::write_dump_system(&dir.join("in.dump"), &sys, 0, &[]).unwrap();
    let run = |args: &[&str]| {
        common::cli::pelkit()
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    // r_max 10 > L/2 = 8: periodic images are counted.
    let out = run(&[
        "rdf",
        "in.dump",
        "--cutoff",
        "10",
        "--bins",
        "50",
        "--per-atom",
        "--r-min",
        "2",
        "--r-max",
        "10",
        "--dr",
        "0.2",
        "-o",
        "g.dump",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total: Vec<f64> = v["total"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let table = common::read_dump_table(&dir.join("g.dump"));
    assert_eq!(table[0].len(), 8 + 40);
    for k in 0..40 {
        let mean = table.iter().map(|r| r[8 + k]).sum::<f64>() / n as f64;
        assert!(
            common::rel_diff(mean, total[10 + k], 1.0) < 1e-12,
            "shell {k}"
        );
    }
    let out = run(&[
        "rdf",
        "in.dump",
        "--per-atom",
        "--dr",
        "0.3",
        "-o",
        "x.dump",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("whole number of shells"),
        "{err}"
    );
}
