//! [`DumpFile`]: an opened dump (memory-mapped, or a gzip stream) with its frame index, random
//! access to frame N and parallel parsing of all frames.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use rayon::prelude::*;

use super::frame::{parse_frame, DumpFrame, ParseError, Parsed};
use super::gz;
use super::header::parse_header;
use super::index::{frame_spans, FrameSpan, FrameSplitter};
use super::iter::Frames;
use crate::io::FormatError;

pub(crate) enum Source {
    Mapped(Mmap),
    Gzip,
}

/// An opened LAMMPS text dump with its frame index.
///
/// Opening scans the file for frame starts (no value is parsed yet, except the structure of the
/// last frame). A cut-off last frame is left out of the index and reported by
/// [`DumpFile::truncated`]; every earlier frame stays readable.
pub struct DumpFile {
    pub(crate) path: PathBuf,
    pub(crate) source: Source,
    pub(crate) spans: Vec<FrameSpan>,
    pub(crate) truncated: Option<FormatError>,
}

impl std::fmt::Debug for DumpFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DumpFile")
            .field("path", &self.path)
            .field("frames", &self.spans.len())
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// Read every complete frame of a dump (parsed in parallel). Fails on the first bad frame and
/// on a truncated last frame.
pub fn read_dump(path: &Path) -> Result<Vec<DumpFrame>, FormatError> {
    let file = DumpFile::open(path)?;
    if let Some(e) = &file.truncated {
        return Err(FormatError::invalid(path, e.to_string()));
    }
    file.read_all()
}

impl DumpFile {
    /// Open and index `path` (plain text or gzip, told apart by the gzip magic bytes).
    pub fn open(path: &Path) -> Result<Self, FormatError> {
        let mut f = File::open(path).map_err(|e| FormatError::io(path, e))?;
        let size = f.metadata().map_err(|e| FormatError::io(path, e))?.len();
        let is_gz_name = path.extension().is_some_and(|e| e == "gz");
        if size == 0 {
            let what = if is_gz_name {
                "empty file (0 bytes): a .gz dump must be a gzip stream starting with bytes 1f 8b"
            } else {
                "empty file (0 bytes): expected a LAMMPS text dump starting with `ITEM: TIMESTEP`"
            };
            return Err(FormatError::syntax(path, 1, what));
        }
        let mut magic = [0u8; 2];
        let got = f.read(&mut magic).map_err(|e| FormatError::io(path, e))?;
        if got == 2 && magic == gz::GZIP_MAGIC {
            return Self::open_gzip(path);
        }
        if is_gz_name {
            return Err(FormatError::invalid(
                path,
                "name ends in .gz but the file is not gzip (expected magic bytes 1f 8b)",
            ));
        }
        // SAFETY: the map is read-only; a file truncated by another process while mapped can
        // fault, as with every mmap reader; dumps are not rewritten while being analysed.
        let map = unsafe { Mmap::map(&f) }.map_err(|e| FormatError::io(path, e))?;
        let spans = frame_spans(&map);
        let mut file = DumpFile {
            path: path.to_path_buf(),
            source: Source::Mapped(map),
            spans,
            truncated: None,
        };
        file.check_last_frame(None)?;
        Ok(file)
    }

    fn open_gzip(path: &Path) -> Result<Self, FormatError> {
        let mut splitter = FrameSplitter::new(gz::decoder(path)?);
        let mut spans = Vec::new();
        let mut last = None;
        while let Some((span, bytes)) = splitter
            .next_frame()
            .map_err(|e| gz::stream_error(path, e))?
        {
            spans.push(span);
            last = Some(bytes);
        }
        let mut file = DumpFile {
            path: path.to_path_buf(),
            source: Source::Gzip,
            spans,
            truncated: None,
        };
        file.check_last_frame(last)?;
        Ok(file)
    }

    /// Drop a cut-off last frame from the index, remembering why. An empty file is an error.
    fn check_last_frame(&mut self, last_bytes: Option<Vec<u8>>) -> Result<(), FormatError> {
        if self.spans.is_empty() {
            return Err(FormatError::syntax(
                &self.path,
                1,
                "no frame found: expected `ITEM: TIMESTEP`",
            ));
        }
        let k = self.spans.len() - 1;
        let bytes = match last_bytes {
            Some(b) => Cow::Owned(b),
            None => self.frame_bytes(k)?,
        };
        if let Some(e) = structure_truncation(&bytes) {
            let message = format!(
                "last frame is truncated: {} ({} complete frame{} before it remain usable)",
                e.message,
                k,
                if k == 1 { "" } else { "s" }
            );
            let line = self.line_of(k, &bytes, e.offset);
            self.truncated = Some(FormatError::syntax(&self.path, line, message));
            self.spans.pop();
        }
        Ok(())
    }

    /// Path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of complete frames.
    pub fn frames(&self) -> usize {
        self.spans.len()
    }

    /// Whether the file is gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        matches!(self.source, Source::Gzip)
    }

    /// The error describing a cut-off last frame (file and line), if the file has one.
    pub fn truncated(&self) -> Option<&FormatError> {
        self.truncated.as_ref()
    }

    /// Parse frame `n` (0-based) only. Non-finite values (`nan`, `inf`) are an error here
    /// (see [`crate::io::dump::check`] to list them instead).
    pub fn frame(&self, n: usize) -> Result<DumpFrame, FormatError> {
        let bytes = self.frame_bytes(n)?;
        self.finish(n, &bytes, parse_frame(&bytes))
    }

    /// Parse every complete frame, in parallel (results in file order, independent of the
    /// number of threads).
    pub fn read_all(&self) -> Result<Vec<DumpFrame>, FormatError> {
        match &self.source {
            Source::Mapped(_) => (0..self.frames())
                .into_par_iter()
                .map(|n| self.frame(n))
                .collect(),
            Source::Gzip => self.iter().take(self.frames()).collect(),
        }
    }

    /// Stream the frames in order with bounded memory: frames are parsed in parallel windows of
    /// a few frames per thread. After the complete frames, a truncated last frame is yielded
    /// as an error.
    pub fn iter(&self) -> Frames<'_> {
        Frames::new(self)
    }

    /// 1-based line number of the first line of frame `n` (0-based), for messages about a frame
    /// as a whole; `None` if the file has no complete frame `n`. Counts the lines before the
    /// frame of a mapped file (linear in the file, meant for error reports).
    pub fn first_line(&self, n: usize) -> Option<usize> {
        self.spans.get(n)?;
        Some(self.line_of(n, &[], 0))
    }

    /// Bytes of frame `n`: a slice of the map, or decompressed from the start for gzip.
    pub(crate) fn frame_bytes(&self, n: usize) -> Result<Cow<'_, [u8]>, FormatError> {
        let span = self.spans.get(n).ok_or_else(|| {
            FormatError::invalid(
                &self.path,
                format!(
                    "frame {n} requested, the file has {} complete frames",
                    self.frames()
                ),
            )
        })?;
        match &self.source {
            Source::Mapped(map) => Ok(Cow::Borrowed(
                &map[span.offset as usize..][..span.len as usize],
            )),
            Source::Gzip => Ok(Cow::Owned(gz::read_range(
                &self.path,
                span.offset,
                span.len,
            )?)),
        }
    }

    /// 1-based line number of byte `offset` of frame `n` (whose bytes are `bytes`).
    pub(crate) fn line_of(&self, n: usize, bytes: &[u8], offset: usize) -> usize {
        let first = match (self.spans.get(n).and_then(|s| s.first_line), &self.source) {
            (Some(l), _) => l,
            (None, Source::Mapped(map)) => {
                let start = self.spans.get(n).map_or(0, |s| s.offset as usize);
                1 + memchr::memchr_iter(b'\n', &map[..start]).count()
            }
            (None, Source::Gzip) => 1,
        };
        first + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count()
    }

    /// Turn a frame parse result into the public result (errors with file and line).
    pub(crate) fn finish(
        &self,
        n: usize,
        bytes: &[u8],
        parsed: Result<Parsed, ParseError>,
    ) -> Result<DumpFrame, FormatError> {
        let parsed = parsed.map_err(|e| self.to_format_error(n, bytes, &e))?;
        if let Some(bad) = parsed.non_finite {
            return Err(FormatError::syntax(
                &self.path,
                self.line_of(n, bytes, bad.offset),
                format!(
                    "non-finite value (nan or inf) in column `{}`: expected finite numbers \
                     ({} such values in this frame)",
                    bad.column, bad.count
                ),
            ));
        }
        Ok(parsed.frame)
    }

    pub(crate) fn to_format_error(&self, n: usize, bytes: &[u8], e: &ParseError) -> FormatError {
        FormatError::syntax(
            &self.path,
            self.line_of(n, bytes, e.offset),
            e.message.clone(),
        )
    }
}

/// Whether a frame's bytes stop before the frame is complete: a cut-off header, fewer atom
/// lines than `NUMBER OF ATOMS`, or a last atom line cut short. Cheap: counts lines, parses
/// only the header (and the last line).
fn structure_truncation(bytes: &[u8]) -> Option<ParseError> {
    let header = match parse_header(bytes) {
        Ok(h) => h,
        Err(e) if e.truncated => return Some(e),
        Err(_) => return None,
    };
    let atoms = &bytes[header.atoms_start.min(bytes.len())..];
    let complete = memchr::memchr_iter(b'\n', atoms).count();
    let partial = !atoms.is_empty() && atoms.last() != Some(&b'\n');
    let found = complete + usize::from(partial);
    if found < header.natoms {
        return Some(ParseError::truncated(
            bytes.len(),
            format!(
                "expected {} atom lines after `ITEM: ATOMS`, the file ends after {found}",
                header.natoms
            ),
        ));
    }
    if partial && found == header.natoms {
        // The last line has no newline: truncated if it lacks values.
        let start = memchr::memrchr(b'\n', bytes).map_or(0, |k| k + 1);
        let tokens = bytes[start..]
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
            .count();
        if tokens < header.columns.len() {
            return Some(ParseError::truncated(
                start,
                format!(
                    "the last atom line has {tokens} of {} values and no newline",
                    header.columns.len()
                ),
            ));
        }
    }
    None
}
