//! The streaming read/write path end to end (issue 18 item 3):
//! * `pelkit voronoi --all-frames` on a dump with a corrupt middle frame and a truncated last
//!   frame writes, for every good frame, exactly the bytes the single-frame `pelkit voronoi
//!   --frame K` writes (itself checked against LAMMPS and OVITO in voronoi_cli.rs,
//!   voronoi_ovito.rs), reports each bad frame with its line, and fails only when no frame is
//!   good; the same for the gzip copy of the file.
//! * Memory: peak RSS of `voronoi --all-frames` on a 300-frame gzip dump exceeds that on a
//!   10-frame dump of the same frames by less than a bound well below what holding the run
//!   would take.
//! * `pelkit md --dump` frames are the configurations of the run: the last frame equals the
//!   `-o` data file and a middle frame equals the final state of a shorter run, bit for bit.
#[path = "../common/mod.rs"]
mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use pelkit::io::dump::{read_dump, system_frame, DumpWriter};
use pelkit::testing::{perturbed_fcc_alloy, Jitter};
use pelkit::SimBox;

fn pelkit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pelkit"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn ok_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `frames` jittered fcc Cu–Zr frames (`n`³ cells, 4n³ atoms, lattice 3.6 Å, ±0.25 Å jitter)
/// written by pelkit's dump writer to `path` (gzip if it ends in `.gz`).
fn write_frames(path: &Path, n: usize, frames: u64) {
    let l = 3.6 * n as f64;
    let mut w = DumpWriter::create(path).unwrap();
    for k in 0..frames {
        let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
        let sys = perturbed_fcc_alloy(b, n, 0.25, Jitter::Scaled, 0.5, 100 + k);
        w.write_frame(&system_frame(&sys, 10 * k, &[]).unwrap())
            .unwrap();
    }
    w.finish().unwrap();
}

/// 1-based line number of byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    1 + text[..offset].matches('\n').count()
}

#[test]
fn voronoi_all_frames_reports_bad_frames_and_keeps_the_good_ones() {
    let dir = common::scratch("stream_frames_voronoi");
    write_frames(&dir.join("clean.dump"), 4, 5);
    let clean = std::fs::read_to_string(dir.join("clean.dump")).unwrap();
    let starts: Vec<usize> = clean.match_indices("ITEM: TIMESTEP").map(|m| m.0).collect();
    assert_eq!(starts.len(), 5);
    // Frame 2: the x value of its 6th atom line becomes `1.2.3` (not a number).
    let atoms2 = starts[2] + clean[starts[2]..].find("ITEM: ATOMS").unwrap();
    let mut line_start = atoms2 + clean[atoms2..].find('\n').unwrap() + 1;
    for _ in 0..5 {
        line_start += clean[line_start..].find('\n').unwrap() + 1;
    }
    let line_end = line_start + clean[line_start..].find('\n').unwrap();
    let fields: Vec<&str> = clean[line_start..line_end].split(' ').collect();
    let mut bad_line = fields.clone();
    bad_line[2] = "1.2.3";
    let corrupt_line = line_at(&clean, line_start);
    // Frame 4 (the last): cut after 100 of its 256 atom lines.
    let atoms4 = starts[4] + clean[starts[4]..].find("ITEM: ATOMS").unwrap();
    let mut cut = atoms4 + clean[atoms4..].find('\n').unwrap() + 1;
    for _ in 0..100 {
        cut += clean[cut..].find('\n').unwrap() + 1;
    }
    let text = format!(
        "{}{}{}",
        &clean[..line_start],
        bad_line.join(" "),
        &clean[line_end..cut]
    );
    std::fs::write(dir.join("in.dump"), &text).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(dir.join("in.dump.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
    // The first missing atom line of the cut frame is the line after the file's last line.
    let truncated_line = text.matches('\n').count() + 1;

    // The reference: each good frame analysed alone.
    let mut expected_dump = Vec::new();
    let mut expected_json = Vec::new();
    for k in [0, 1, 3] {
        let out = format!("single{k}.dump");
        let args = [
            "voronoi",
            "in.dump",
            "--frame",
            &k.to_string(),
            "--edge-threshold",
            "0.1",
            "-o",
            &out,
            "--json",
        ];
        expected_json.push(ok_json(&pelkit(&dir, &args)));
        expected_dump.extend(std::fs::read(dir.join(&out)).unwrap());
    }

    for input in ["in.dump", "in.dump.gz"] {
        let args = [
            "voronoi",
            input,
            "--all-frames",
            "--edge-threshold",
            "0.1",
            "-o",
            "all.dump",
            "--json",
        ];
        let out = pelkit(&dir, &args);
        let json = ok_json(&out);
        // Same tessellation code and writer per frame: byte-identical output.
        assert!(
            std::fs::read(dir.join("all.dump")).unwrap() == expected_dump,
            "{input}: --all-frames output differs from the single-frame outputs"
        );
        assert_eq!(
            json["frames"].as_array().unwrap(),
            &expected_json,
            "{input}"
        );
        let bad = json["bad_frames"].as_array().unwrap();
        assert_eq!(bad.len(), 2, "{input}: {bad:?}");
        assert_eq!(bad[0]["frame"], 2);
        assert_eq!(bad[0]["line"], corrupt_line);
        assert!(bad[0]["message"].as_str().unwrap().contains("1.2.3"));
        assert_eq!(bad[1]["frame"], 4);
        assert_eq!(bad[1]["line"], truncated_line);
        assert!(bad[1]["message"].as_str().unwrap().contains("truncated"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        for line in [corrupt_line, truncated_line] {
            assert!(
                stderr.contains(&format!("{input}:{line}: frame")),
                "{input}: warning naming the line {line}: {stderr}"
            );
        }
    }

    // No good frame: an error (exit status ≠ 0) after the warning.
    let starts: Vec<usize> = text.match_indices("ITEM: TIMESTEP").map(|m| m.0).collect();
    let only_bad = &text[starts[2]..starts[3]];
    std::fs::write(dir.join("bad.dump"), only_bad).unwrap();
    let out = pelkit(&dir, &["voronoi", "bad.dump", "--all-frames", "--json"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = corrupt_line - line_at(&text, starts[2]) + 1;
    assert!(
        stderr.contains(&format!("bad.dump:{line}: frame 0 skipped")),
        "{stderr}"
    );
    assert!(stderr.contains("no frame could be analysed"), "{stderr}");
}

/// Peak RSS (kB) of `pelkit ARGS`, stdout to a file (a full pipe must not block the child).
/// The child is reaped by `wait4` (which also returns its resource usage), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn peak_rss_kb(dir: &Path, args: &[&str]) -> i64 {
    let stdout = std::fs::File::create(dir.join("stdout.json")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_pelkit"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; `usage` is a valid, zeroed rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    usage.ru_maxrss
}

#[test]
fn voronoi_all_frames_memory_does_not_grow_with_the_frames() {
    let dir = common::scratch("stream_frames_rss");
    // 500-atom frames; gzip input, so the file is not memory-mapped and its size does not count.
    write_frames(&dir.join("small.dump.gz"), 5, 10);
    write_frames(&dir.join("big.dump.gz"), 5, 300);
    let run = |input: &str| {
        let args = [
            "voronoi",
            input,
            "--all-frames",
            "-o",
            "out.dump",
            "--json",
            "--threads",
            "2",
        ];
        peak_rss_kb(&dir, &args)
    };
    let small = run("small.dump.gz");
    let big = run("big.dump.gz");
    let frames = std::fs::read_to_string(dir.join("out.dump"))
        .unwrap()
        .matches("ITEM: TIMESTEP")
        .count();
    assert_eq!(frames, 300);
    // Holding the run (systems, tessellations, output frames) made the binary before streaming
    // (main b5b5e0a) grow by 28.4 MB from 10 to 300 frames (14.2 → 42.6 MB peak); streaming
    // grows by ~8 MB (14.0 → 22.1 MB: allocator warm-up, a plateau: 1200 frames peak at 22.0 MB
    // too; measured with --threads 1 and 2). 16 MB sits between the two with room either way.
    assert!(
        big - small < 16 * 1024,
        "peak RSS grew by {} kB from 10 to 300 frames (small {small} kB, big {big} kB)",
        big - small
    );
}

#[test]
fn md_dump_frames_are_the_configurations_of_the_run() {
    let dir = common::scratch("stream_frames_md");
    // 256 atoms of a jittered fcc binary at number density 1.2 (lj units), masses 1.
    let l = 4.0 * (4.0_f64 / 1.2).cbrt();
    let b = SimBox::orthogonal([0.0; 3], [l; 3]).unwrap();
    let mut sys = perturbed_fcc_alloy(b, 4, 0.05, Jitter::Scaled, 0.2, 9);
    sys.masses = vec![Some(1.0), Some(1.0)];
    pelkit::io::data::write_data(&dir.join("start.data"), &sys).unwrap();
    let md = |steps: &str, dump: Option<&str>, out: &str| {
        let mut args = vec![
            "md",
            "start.data",
            "--pair-style",
            "lj/cut 2.5",
            "--pair-coeff",
            "1 1 1.0 1.0 2.5",
            "--pair-coeff",
            "1 2 1.5 0.8 2.0",
            "--pair-coeff",
            "2 2 0.5 0.88 2.2",
            "--temp",
            "0.5",
            "--steps",
            steps,
            "--thermo",
            "20",
            "--threads",
            "2",
            "--json",
            "-o",
            out,
        ];
        if let Some(d) = dump {
            args.extend(["--dump", d]);
        }
        ok_json(&pelkit(&dir, &args))
    };
    let run = md("60", Some("traj.dump"), "final.data");
    md("40", None, "mid.data");
    md("60", Some("traj.dump.gz"), "final_gz.data");
    let frames = read_dump(&dir.join("traj.dump")).unwrap();
    let steps: Vec<u64> = frames.iter().map(|f| f.timestep).collect();
    let sampled: Vec<u64> = run["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, sampled, "one frame per thermo sample");
    assert_eq!(steps, [0, 20, 40, 60]);
    // The gzip stream holds the same frames.
    assert!(read_dump(&dir.join("traj.dump.gz")).unwrap() == frames);
    // Both writers print round-trip decimals, and the run wraps its final state into the box
    // (`SimBox::wrap`, as LAMMPS on reneighboring) after the last sample: wrapped the same way,
    // the frames equal the data files bit for bit.
    for (frame, data) in [(&frames[3], "final.data"), (&frames[2], "mid.data")] {
        let mut got = frame.to_system().unwrap();
        let b = got.simbox;
        for (x, im) in got.positions.iter_mut().zip(got.images.iter_mut()) {
            *x = b.wrap(*x, im);
        }
        let want = pelkit::io::read_configuration(&dir.join(data), None).unwrap();
        let (og, ow) = (got.order_by_id(), want.order_by_id());
        assert_eq!(og.len(), 256);
        for (&i, &j) in og.iter().zip(&ow) {
            assert_eq!(got.ids[i], want.ids[j]);
            assert_eq!(
                got.positions[i], want.positions[j],
                "{data} atom {}",
                want.ids[j]
            );
            assert_eq!(got.images[i], want.images[j]);
        }
    }
}
