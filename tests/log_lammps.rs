//! Thermo blocks and minimization statistics parsed from real LAMMPS logs equal the numbers
//! LAMMPS printed itself at full precision (`fix print`, `print $(…:%.17g)`), and a 2021-layout
//! rendering of the same blocks parses to the same values.
mod common;

use std::collections::HashMap;

use pelkit::io::log::{read_log, LogFile, ThermoLayout};

/// `x` rounded to `digits` significant digits, as C's `%.<digits>g` prints it.
fn round_sig(x: f64, digits: usize) -> f64 {
    format!("{:.*e}", digits - 1, x).parse().unwrap()
}

/// One `run` with a WARNING inside its block (an atom leaves a fixed boundary with
/// `thermo_modify lost warn`), then one `minimize`, in one log.
const SCRIPT: &str = "units metal\natom_style atomic\nboundary f p p\n\
lattice fcc 3.615\nregion b block -2 6 0 4 0 4\ncreate_box 1 b\n\
region crystal block 0 4 0 4 0 4\ncreate_atoms 1 region crystal\n\
mass 1 63.546\npair_style lj/cut 5.0\npair_coeff 1 1 0.4 2.3\n\
displace_atoms all random 0.05 0.05 0.05 99\n\
velocity all create 600 777\ngroup fly id 1\nvelocity fly set -300 0 0\n\
thermo_style custom step temp pe etotal press vol atoms\nthermo 10\nthermo_modify lost warn\n\
fix 1 all nve\n\
fix p all print 10 \"$(step) $(temp:%.17g) $(pe:%.17g) $(etotal:%.17g) $(press:%.17g) $(vol:%.17g)\" file thermo.txt screen no\n\
run 100\nunfix p\nunfix 1\n\
print \"BEFORE $(step) $(pe:%.17g)\"\n\
minimize 0 1e-12 150 2000\n\
print \"AFTER $(step) $(pe:%.17g) $(fnorm:%.17g) $(fmax:%.17g) $(atoms)\"\n";

/// Fields after `tag` on the line printed by `print "tag …"` in the log.
fn printed(log_text: &str, tag: &str) -> Vec<f64> {
    log_text
        .lines()
        .find(|l| l.starts_with(tag) && !l.contains('$'))
        .unwrap_or_else(|| panic!("no {tag} line"))
        .split_whitespace()
        .skip(1)
        .map(|t| t.parse().unwrap())
        .collect()
}

fn run_lammps(name: &str) -> Option<(std::path::PathBuf, LogFile, String)> {
    let lmp = common::lammps()?;
    let dir = common::scratch(name);
    lmp.run(&dir, SCRIPT);
    let log = read_log(&dir.join("log.lammps")).unwrap();
    let text = std::fs::read_to_string(dir.join("log.lammps")).unwrap();
    Some((dir, log, text))
}

#[test]
fn run_and_minimize_blocks_equal_lammps_printed_values() {
    let Some((dir, log, text)) = run_lammps("log_run_minimize") else {
        return;
    };
    assert_eq!(log.runs.len(), 2);
    let run = &log.runs[0];
    assert_eq!(run.layout, ThermoLayout::Y2025);
    assert_eq!(
        run.keywords,
        ["Step", "Temp", "PotEng", "TotEng", "Press", "Volume", "Atoms"]
    );
    assert!(
        run.warnings.iter().any(|(_, w)| w.contains("Lost atoms")),
        "the WARNING inside the block must be seen and skipped: {:?}",
        run.warnings
    );
    // fix print wrote steps 0..100 with %.17g; thermo printed them with %.8g (`% -14.8g`), so
    // each parsed value must equal the full-precision value rounded to 8 significant digits.
    let reference: HashMap<u64, Vec<f64>> = std::fs::read_to_string(dir.join("thermo.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|t| t.parse().unwrap()).collect();
            (v[0] as u64, v[1..].to_vec())
        })
        .collect();
    assert_eq!(reference.len(), 11); // fix print also prints at step 0
    let steps = run.column("Step").unwrap();
    assert_eq!(steps.len(), 11); // steps 0, 10, …, 100
    let mut compared = 0;
    for (row, &step) in steps.iter().enumerate() {
        let Some(r) = reference.get(&(step as u64)) else {
            continue;
        };
        for (k, name) in ["Temp", "PotEng", "TotEng", "Press", "Volume"]
            .iter()
            .enumerate()
        {
            let parsed = run.column(name).unwrap()[row];
            assert_eq!(parsed, round_sig(r[k], 8), "{name} at step {step}");
        }
        compared += 1;
    }
    assert_eq!(compared, 11);
    let lp = run.loop_summary.expect("complete block");
    assert_eq!((lp.steps, lp.procs), (100, 1));

    // Minimization: statistics against values LAMMPS printed before and after `minimize`.
    let before = printed(&text, "BEFORE");
    let after = printed(&text, "AFTER");
    let m = &log.runs[1];
    let stats = m
        .minimization
        .as_ref()
        .expect("minimization stats attached");
    assert!(log.runs[0].minimization.is_none());
    // Energies are printed with {:18.15g} (15 significant digits); the minimizer's setup
    // re-neighbors, which may reorder the energy sum (lammps-facts §0.3): 1e-13 relative.
    assert!(common::rel_diff(stats.energy_initial, before[1], 1e-300) <= 1e-13);
    assert!(common::rel_diff(stats.energy_final, after[1], 1e-300) <= 1e-13);
    assert_eq!(
        m.column("PotEng").unwrap()[0],
        round_sig(stats.energy_initial, 8)
    );
    // Force norms are printed with %.8g.
    assert_eq!(stats.force_two_norm[1], round_sig(after[2], 8));
    assert_eq!(stats.force_max_component[1], round_sig(after[3], 8));
    // Exact identities: iterations = steps taken; the block's first and last Step rows.
    assert_eq!(stats.iterations as f64, after[0] - before[0]);
    let msteps = m.column("Step").unwrap();
    assert_eq!(msteps[0], before[0]);
    assert_eq!(*msteps.last().unwrap(), after[0]);
    assert_eq!(
        *m.column("PotEng").unwrap().last().unwrap(),
        round_sig(after[1], 8)
    );
    assert_eq!(m.loop_summary.unwrap().atoms as f64, after[4]);
    assert_eq!(*m.column("Atoms").unwrap().last().unwrap(), after[4]);
    assert!(stats.force_evaluations >= stats.iterations);
    assert!(!stats.stopping_criterion.is_empty());
    assert!(stats.energy_next_to_last.is_finite());
}

/// Render the blocks of the 2025 log with the 2021 formats of lammps-facts §5.3 (header: keywords
/// joined by single spaces plus a trailing space; Step `%8d `, floats `%12.8g `), using Python's
/// C-printf `%` formatting on the numbers LAMMPS printed; both logs must parse to the same values.
#[test]
fn layout_2021_rendering_parses_to_the_same_values() {
    let Some((dir, log2025, _)) = run_lammps("log_2021_layout") else {
        return;
    };
    let Some(py) = common::python() else { return };
    common::run_python(
        &py,
        &dir,
        r#"
lines = open('log.lammps').read().split('\n')
out = []
inblock = False
ints = {'Step', 'Atoms'}
for l in lines:
    t = l.split()
    if t and t[0] == 'Step' and l.startswith(' '):
        keys = t
        out.append(' '.join(t) + ' ')
        inblock = True
        continue
    if inblock and l.startswith('Loop time'):
        inblock = False
    if inblock and t and t[0].lstrip('-').isdigit() and len(t) == len(keys):
        out.append(''.join(('%8d ' % int(v)) if k in ints else ('%12.8g ' % float(v))
                           for k, v in zip(keys, t)))
        continue
    out.append(l)
open('log2021.lammps', 'w').write('\n'.join(out))
"#,
    );
    let log2021 = read_log(&dir.join("log2021.lammps")).unwrap();
    let text2021 = std::fs::read_to_string(dir.join("log2021.lammps")).unwrap();
    assert!(text2021.contains("\nStep Temp PotEng TotEng Press Volume Atoms \n"));
    assert_eq!(log2021.runs.len(), log2025.runs.len());
    for (a, b) in log2021.runs.iter().zip(&log2025.runs) {
        assert_eq!(a.layout, ThermoLayout::Y2021);
        assert_eq!(b.layout, ThermoLayout::Y2025);
        assert_eq!(a.keywords, b.keywords);
        // Same 8 significant digits in both layouts: bit-identical values.
        assert_eq!(a.columns.len(), b.columns.len());
        for (ca, cb) in a.columns.iter().zip(&b.columns) {
            let ba: Vec<u64> = ca.iter().map(|v| v.to_bits()).collect();
            let bb: Vec<u64> = cb.iter().map(|v| v.to_bits()).collect();
            assert_eq!(ba, bb);
        }
        assert_eq!(a.warnings.len(), b.warnings.len());
        assert_eq!(a.minimization, b.minimization);
        assert_eq!(
            a.loop_summary.map(|l| l.steps),
            b.loop_summary.map(|l| l.steps)
        );
    }
}
