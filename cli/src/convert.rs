//! `pelkit convert IN OUT`: read a configuration with `read_configuration` and write it in the
//! format named by the output file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use pelkit::io::{data::write_data, dump::write_dump_system, read_configuration};
use pelkit::System;

/// Convert a configuration between LAMMPS formats.
///
/// Input: a data file or a dump (detected from the content; `.gz` by its magic bytes).
/// Output: chosen by the extension of OUT (`.gz` appended compresses either format):
/// `.dump`/`.lammpstrj` (text dump `id type x y z ix iy iz …`, sorted by id), else a
/// LAMMPS data file (`Atoms # atomic`, or `# charge` when the input has charges; image flags and
/// velocities kept; coordinates written with shortest round-trip precision, so LAMMPS
/// `read_data` gets the same bits). Coordinates are copied as they are, not wrapped into the box.
#[derive(Args)]
pub struct ConvertArgs {
    /// Input configuration (data file or dump, optionally gzip-compressed).
    pub input: PathBuf,
    /// Output file; its extension selects the format.
    pub output: PathBuf,
    /// Frame of a dump to convert, 0-based (default: the last frame). Data files have frame 0.
    #[arg(long)]
    pub frame: Option<usize>,
}

/// Output formats, by extension.
enum OutputFormat {
    Data,
    Dump,
}

fn output_format(path: &Path) -> OutputFormat {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".dump") || name.ends_with(".lammpstrj") {
        OutputFormat::Dump
    } else {
        OutputFormat::Data
    }
}

fn write(path: &Path, sys: &System) -> Result<()> {
    match output_format(path) {
        OutputFormat::Data => write_data(path, sys)?,
        OutputFormat::Dump => write_dump_system(path, sys, 0, &[])?,
    }
    Ok(())
}

pub fn run(args: ConvertArgs) -> Result<()> {
    let sys = read_configuration(&args.input, args.frame)
        .with_context(|| format!("reading {}", args.input.display()))?;
    write(&args.output, &sys).with_context(|| format!("writing {}", args.output.display()))
}
