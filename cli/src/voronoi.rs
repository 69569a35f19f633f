//! `pelkit voronoi`: Voronoi tessellation of a configuration with per-atom volumes, face counts
//! and Voronoi indices (OVITO's threshold rules), a per-atom dump and a JSON summary.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use pelkit::analysis::voronoi::{tessellate, IndexThresholds, Radii, Tessellation, VoronoiOptions};
use pelkit::io::dump::{write_dump, DumpFrame, DumpWriter};
use pelkit::io::{FormatError, OpenedConfiguration};
use pelkit::System;

mod plot;

#[derive(Args)]
#[command(after_help = "\
Conventions:
  * Periodic dimensions use periodic images; non-periodic dimensions are bounded by the box walls
    (as LAMMPS compute voronoi/atom clamps cells to the box).
  * Index ⟨n3,n4,n5,n6,…⟩: nk = number of faces with k edges, counting only faces kept by the
    thresholds (OVITO's VoronoiAnalysisModifier rules): an edge counts if longer than
    --edge-threshold; a face is kept if its area exceeds max(--face-threshold,
    --relative-face-threshold × cell surface) (or that is 0) and it keeps ≥ 3 edges.
    Coordination (nfaces column) = kept faces = Σ_k nk. With all thresholds 0 (the default),
    nfaces equals LAMMPS voronoi/atom's face count.
  * f5 = n5 / Σ_k nk: the five-fold (pentagonal) fraction of the kept faces (0 for no faces).
    OVITO has no such property: it is its `Voronoi Index` entry 5 over its `Coordination`.
  * Volumes do not depend on thresholds; they sum to the box volume.

Example (Cu-Zr glass, typical thresholds, radical tessellation with Cu/Zr radii in Å):
  pelkit voronoi glass.dump --edge-threshold 0.1 --relative-face-threshold 0.01 \\
    --radii 1:1.28,2:1.60 -o voro.dump --json")]
pub struct VoronoiArgs {
    /// Configuration: LAMMPS data file or text dump (gzip recognised).
    pub input: PathBuf,
    /// Minimum edge length (distance units of the file, e.g. Å) for an edge to count toward its
    /// face's order. Default 0: every edge counts.
    #[arg(long, default_value_t = 0.0)]
    pub edge_threshold: f64,
    /// Minimum face area (distance² units) for a face to count. Default 0.
    #[arg(long, default_value_t = 0.0)]
    pub face_threshold: f64,
    /// Minimum face area as a fraction of the cell's surface area, in [0, 1]. Default 0.
    /// The effective area threshold is the larger of the two.
    #[arg(long, default_value_t = 0.0)]
    pub relative_face_threshold: f64,
    /// Radical (power) tessellation with per-type radii, e.g. `1:1.28,2:1.60` (distance units).
    /// Default: plain Voronoi (bisector planes).
    #[arg(long, conflicts_with = "radius_column")]
    pub radii: Option<String>,
    /// Radical tessellation with per-atom radii from this dump column (e.g. `radius`).
    #[arg(long)]
    pub radius_column: Option<String>,
    /// Dump frame to analyse (0-based). Default: the last frame.
    #[arg(long, conflicts_with = "all_frames")]
    pub frame: Option<usize>,
    /// Analyse every frame of a dump, streamed: each frame is read, tessellated and its output
    /// frame written before the next is read, so memory does not grow with the number of frames.
    /// Each output frame has its own index width (columns n3 … may differ between frames). A
    /// malformed or truncated frame is skipped with a warning naming file:line (listed under
    /// `bad_frames` in --json); the command fails only if no frame is good.
    #[arg(long)]
    pub all_frames: bool,
    /// Per-atom output: LAMMPS text dump sorted by id, columns
    /// `id type x y z volume nfaces n3 n4 n5 n6 n7 … f5` (n up to the largest face order found;
    /// f5 = n5 / Σ_k n_k, the five-fold fraction of the kept faces).
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
    /// Print one JSON object: natoms, box and total volume, mean coordination, the 10 most
    /// common indices ⟨n3,n4,n5,n6⟩ with counts and fractions, and the ⟨0,0,12,0⟩ (icosahedral)
    /// fraction per atom type. With --all-frames: {"frames": [one object per good frame],
    /// "bad_frames": [{"frame": 0-based number, "line": 1-based line, "message": …}]}.
    #[arg(long)]
    pub json: bool,
    /// Bar chart of the 10 most common indices ⟨n3,n4,n5,n6⟩ (fraction of atoms, the counts of
    /// the JSON summary; last frame with --all-frames), 720×420: SVG or PNG by the extension
    /// (`.svg` / `.png`). The PNG needs no system font.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub pool: crate::common::ThreadsArg,
}

/// Parse `1:1.28,2:1.60` into per-type radii (index type − 1).
fn parse_type_radii(text: &str) -> Result<Vec<f64>> {
    let mut map = BTreeMap::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (t, r) = item
            .split_once(':')
            .with_context(|| format!("--radii entry `{item}`: expected TYPE:RADIUS"))?;
        let t: usize = t
            .trim()
            .parse()
            .with_context(|| format!("--radii entry `{item}`: bad atom type"))?;
        let r: f64 = r
            .trim()
            .parse()
            .with_context(|| format!("--radii entry `{item}`: bad radius"))?;
        if t == 0 {
            bail!("--radii entry `{item}`: atom types start at 1");
        }
        map.insert(t, r);
    }
    let ntypes = map.keys().next_back().copied().unwrap_or(0);
    let mut radii = vec![f64::NAN; ntypes];
    for (t, r) in map {
        radii[t - 1] = r;
    }
    if let Some(k) = radii.iter().position(|r| r.is_nan()) {
        bail!("--radii gives no radius for atom type {}", k + 1);
    }
    Ok(radii)
}

/// One configuration to analyse: the system, its timestep and its per-atom radius column.
type Input = (System, u64, Option<Vec<f64>>);

/// The input opened once; only a dump can carry `--radius-column`.
fn open_input(args: &VoronoiArgs) -> Result<OpenedConfiguration> {
    let opened = pelkit::io::open_configuration(&args.input)?;
    if args.radius_column.is_some() && !matches!(opened, OpenedConfiguration::Dump(_)) {
        bail!(
            "--radius-column needs a dump input ({} is not a dump)",
            args.input.display()
        );
    }
    Ok(opened)
}

/// The one configuration to analyse without --all-frames (`--frame`, default the last), with
/// its timestep (0 for a data file) and its radius column when requested.
fn read_input(args: &VoronoiArgs) -> Result<Input> {
    let path = &args.input;
    let dump = match open_input(args)? {
        OpenedConfiguration::Dump(dump) => dump,
        opened => return Ok((opened.into_system(args.frame)?, 0, None)),
    };
    let n = dump.frames();
    if n == 0 {
        match dump.truncated() {
            Some(e) => bail!("{e}"),
            None => bail!("{}: the dump holds no complete frame", path.display()),
        }
    }
    let k = args.frame.unwrap_or(n - 1);
    if k >= n {
        bail!(
            "{}: frame {k} does not exist (0..{})",
            path.display(),
            n - 1
        );
    }
    frame_input(args, dump.frame(k)?)
        .map_err(|m| anyhow::anyhow!("{}: frame {k}: {m}", path.display()))
}

/// System, timestep and radius column of one dump frame; the error says what the frame lacks.
fn frame_input(args: &VoronoiArgs, frame: DumpFrame) -> Result<Input, String> {
    let radius = match &args.radius_column {
        Some(c) => Some(
            frame
                .column(c)
                .ok_or_else(|| {
                    format!(
                        "no column `{c}` (expected for --radius-column; columns: {})",
                        frame.columns.join(" ")
                    )
                })?
                .to_vec(),
        ),
        None => None,
    };
    let timestep = frame.timestep;
    let sys = frame.to_system().map_err(|e| e.to_string())?;
    Ok((sys, timestep, radius))
}

/// The tessellation of one configuration with the command's radii and thresholds.
fn analyse(
    args: &VoronoiArgs,
    type_radii: &Option<Vec<f64>>,
    (sys, timestep, radius): &Input,
) -> Result<Tessellation> {
    let radii = match (type_radii, radius) {
        (Some(r), _) => Radii::PerType(r.clone()),
        (None, Some(r)) => Radii::PerAtom(r.clone()),
        (None, None) => Radii::Monodisperse,
    };
    let opts = VoronoiOptions {
        radii,
        thresholds: IndexThresholds {
            edge_length: args.edge_threshold,
            face_area: args.face_threshold,
            relative_face_area: args.relative_face_threshold,
        },
        keep_faces: false,
    };
    tessellate(sys, &opts).with_context(|| {
        format!(
            "tessellating {} (timestep {timestep})",
            args.input.display()
        )
    })
}

pub fn run(args: VoronoiArgs) -> Result<()> {
    if args.relative_face_threshold > 1.0 {
        bail!("--relative-face-threshold must be in [0, 1]");
    }
    let type_radii = args.radii.as_deref().map(parse_type_radii).transpose()?;
    let pool = match args.pool.threads {
        Some(n) => Some(rayon::ThreadPoolBuilder::new().num_threads(n).build()?),
        None => None,
    };
    let job = || {
        if args.all_frames {
            run_all_frames(&args, &type_radii)
        } else {
            run_one_frame(&args, &type_radii)
        }
    };
    match &pool {
        Some(p) => p.install(job),
        None => job(),
    }
}

/// One configuration: tessellate, write, summarise.
fn run_one_frame(args: &VoronoiArgs, type_radii: &Option<Vec<f64>>) -> Result<()> {
    let input = read_input(args)?;
    let t = analyse(args, type_radii, &input)?;
    let (sys, ts, _) = &input;
    if let Some(out) = &args.output {
        write_dump(out, &[t.dump_frame(sys, *ts, t.index_width)?])?;
    }
    if let Some(plot) = &args.plot {
        plot::write_histogram(plot, &top_indices(&t), sys.natoms())?;
    }
    let s = summary(sys, *ts, &t);
    if args.json {
        println!("{s}");
    } else {
        println!("{}", serde_json::to_string_pretty(&s)?);
    }
    Ok(())
}

/// A frame that could not be read or converted, reported and skipped by --all-frames.
struct BadFrame {
    /// 0-based frame number in the file.
    frame: usize,
    /// 1-based line in the file (the line of the problem, or the frame's first line).
    line: Option<usize>,
    message: String,
}

/// --all-frames: stream the frames of a dump (read one, tessellate, write its output frame, drop
/// it; the reader parses a few frames ahead per thread), report bad frames and go on. A data file
/// is one frame. Fails only when no frame is good.
fn run_all_frames(args: &VoronoiArgs, type_radii: &Option<Vec<f64>>) -> Result<()> {
    let dump = match open_input(args)? {
        OpenedConfiguration::Dump(dump) => dump,
        opened => {
            let input = (opened.into_system(None)?, 0, None);
            return all_frames_output(args, type_radii, std::iter::once(Ok(input)));
        }
    };
    let frames = dump.iter().enumerate().map(|(k, item)| {
        let bad = |line, message| BadFrame {
            frame: k,
            line,
            message,
        };
        match item {
            Ok(frame) => frame_input(args, frame).map_err(|m| bad(dump.first_line(k), m)),
            Err(FormatError::Syntax { line, message, .. }) => Err(bad(Some(line), message)),
            Err(e) => Err(bad(dump.first_line(k), e.to_string())),
        }
    });
    all_frames_output(args, type_radii, frames)
}

/// Tessellate, write and summarise each good frame as it arrives; warn about each bad one.
fn all_frames_output(
    args: &VoronoiArgs,
    type_radii: &Option<Vec<f64>>,
    frames: impl Iterator<Item = Result<Input, BadFrame>>,
) -> Result<()> {
    let path = args.input.display();
    let mut writer = args.output.as_deref().map(DumpWriter::create).transpose()?;
    // With --json the one object is printed as the frames go: `{"frames":[` before the first
    // good frame's summary, `,` + summary after each later one, the bad frames at the end.
    let mut out = std::io::stdout().lock();
    let mut good = 0usize;
    let mut bad_frames = Vec::new();
    let mut last_top = None;
    for item in frames {
        let input = match item {
            Ok(input) => input,
            Err(b) => {
                let at = b.line.map_or(String::new(), |l| format!(":{l}"));
                eprintln!(
                    "warning: {path}{at}: frame {} skipped: {}",
                    b.frame, b.message
                );
                bad_frames.push(serde_json::json!({
                    "frame": b.frame, "line": b.line, "message": b.message,
                }));
                continue;
            }
        };
        let t = analyse(args, type_radii, &input)?;
        let (sys, ts, _) = &input;
        if let Some(w) = &mut writer {
            w.write_frame(&t.dump_frame(sys, *ts, t.index_width)?)?;
        }
        let s = summary(sys, *ts, &t);
        if args.json {
            write!(out, "{}{s}", if good == 0 { "{\"frames\":[" } else { "," })?;
        } else {
            writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        }
        good += 1;
        last_top = Some((top_indices(&t), sys.natoms()));
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    let Some((top, natoms)) = last_top else {
        bail!(
            "{path}: no frame could be analysed ({} bad frame{}, see the warnings above)",
            bad_frames.len(),
            if bad_frames.len() == 1 { "" } else { "s" }
        );
    };
    if let Some(plot) = &args.plot {
        plot::write_histogram(plot, &top, natoms)?;
    }
    if args.json {
        writeln!(
            out,
            "],\"bad_frames\":{}}}",
            serde_json::Value::from(bad_frames)
        )?;
    } else if !bad_frames.is_empty() {
        let bad = serde_json::json!({ "bad_frames": bad_frames });
        writeln!(out, "{}", serde_json::to_string_pretty(&bad)?)?;
    }
    out.flush()?;
    Ok(())
}

/// The ⟨n3,n4,n5,n6⟩ counts, most common first (ties by index), at most 10.
fn top_indices(t: &Tessellation) -> Vec<([u32; 4], usize)> {
    let mut counts: BTreeMap<[u32; 4], usize> = BTreeMap::new();
    for i in 0..t.volumes.len() {
        let x = t.voronoi_index(i);
        *counts.entry([x[3], x[4], x[5], x[6]]).or_default() += 1;
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(10);
    v
}

/// ⟨0,0,12,0⟩ with no face of 7 or more edges.
fn is_icosahedral(index: &[u32]) -> bool {
    index.get(3..7) == Some(&[0, 0, 12, 0][..]) && index[7..].iter().all(|&c| c == 0)
}

fn summary(sys: &System, timestep: u64, t: &Tessellation) -> serde_json::Value {
    let n = sys.natoms();
    let total: f64 = t.volumes.iter().sum();
    let top: Vec<serde_json::Value> = top_indices(t)
        .into_iter()
        .map(|(idx, c)| {
            serde_json::json!({
                "index": idx,
                "count": c,
                "fraction": c as f64 / n.max(1) as f64,
            })
        })
        .collect();
    let mut per_type: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for i in 0..n {
        let e = per_type.entry(sys.types[i]).or_default();
        e.0 += 1;
        if is_icosahedral(t.voronoi_index(i)) {
            e.1 += 1;
        }
    }
    let ico: serde_json::Map<String, serde_json::Value> = per_type
        .iter()
        .map(|(ty, (all, ico))| (ty.to_string(), serde_json::json!(*ico as f64 / *all as f64)))
        .collect();
    let mean_coord = t.coordination.iter().map(|&c| c as f64).sum::<f64>() / n.max(1) as f64;
    serde_json::json!({
        "timestep": timestep,
        "natoms": n,
        "box_volume": sys.simbox.volume(),
        "total_volume": total,
        "mean_coordination": mean_coord,
        "top_indices": top,
        "icosahedral_fraction_by_type": ico,
    })
}
