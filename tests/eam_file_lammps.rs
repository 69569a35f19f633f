//! EAM files: pelkit's readers against an independent Python reader and against LAMMPS (masses,
//! energies and forces with the original vs pelkit's rewritten file), and the writer round trip.

mod common;

use std::path::{Path, PathBuf};

use pelkit::io::eam_file::{
    parse_any, read_fs, read_funcfl, read_setfl, write_funcfl, write_setfl, EamFile,
};

const POTENTIALS: &str = "/usr/share/lammps/potentials";

fn potential(name: &str) -> Option<PathBuf> {
    let p = Path::new(POTENTIALS).join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIP: {} not installed (apt-get install lammps-data)",
            p.display()
        );
        None
    }
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
