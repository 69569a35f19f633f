//! Bounded-memory streaming over a dump's frames: windows of a few frames per thread are parsed
//! in parallel, then handed out one by one, in file order.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;

use flate2::read::MultiGzDecoder;
use rayon::prelude::*;

use super::file::{DumpFile, Source};
use super::frame::parse_frame;
use super::gz;
use super::index::FrameSplitter;
use super::DumpFrame;
use crate::io::FormatError;

/// Frames parsed per window and thread: enough to keep every thread busy, few enough that
/// memory stays bounded by a handful of frames.
const FRAMES_PER_THREAD: usize = 2;

/// Iterator over the frames of a [`DumpFile`] (see [`DumpFile::iter`]).
pub struct Frames<'a> {
    file: &'a DumpFile,
    next: usize,
    ready: VecDeque<Result<DumpFrame, FormatError>>,
    splitter: Option<FrameSplitter<MultiGzDecoder<BufReader<File>>>>,
    reported_truncation: bool,
    failed: bool,
}

impl<'a> Frames<'a> {
    pub(crate) fn new(file: &'a DumpFile) -> Self {
        let mut failed = false;
        let mut ready = VecDeque::new();
        let splitter = match file.source {
            Source::Gzip => match gz::decoder(&file.path) {
                Ok(d) => Some(FrameSplitter::new(d)),
                Err(e) => {
                    ready.push_back(Err(e));
                    failed = true;
                    None
                }
            },
            Source::Mapped(_) => None,
        };
        Frames {
            file,
            next: 0,
            ready,
            splitter,
            reported_truncation: false,
            failed,
        }
    }

    /// Window of frame indices and their bytes.
    fn fill(&mut self) {
        let window = FRAMES_PER_THREAD * rayon::current_num_threads();
        let end = (self.next + window).min(self.file.frames());
        if self.next >= end {
            return;
        }
        let range = self.next..end;
        self.next = end;
        let file = self.file;
        let parsed: Vec<Result<DumpFrame, FormatError>> = match &mut self.splitter {
            None => range
                .into_par_iter()
                .map(|n| {
                    let bytes = file.frame_bytes(n)?;
                    file.finish(n, &bytes, parse_frame(&bytes))
                })
                .collect(),
            Some(splitter) => {
                let mut chunks = Vec::with_capacity(range.len());
                for n in range {
                    match splitter.next_frame() {
                        Ok(Some((_, bytes))) => chunks.push((n, bytes)),
                        Ok(None) => {
                            self.failed = true;
                            self.ready.push_back(Err(FormatError::invalid(
                                &file.path,
                                "gzip stream ended early (file changed since it was opened?)",
                            )));
                            break;
                        }
                        Err(e) => {
                            // A broken gzip stream cannot be resumed: stop after this error.
                            self.failed = true;
                            self.ready.push_back(Err(gz::stream_error(&file.path, e)));
                            break;
                        }
                    }
                }
                chunks
                    .par_iter()
                    .map(|(n, bytes)| file.finish(*n, bytes, parse_frame(bytes)))
                    .collect()
            }
        };
        // Errors pushed above come after the frames parsed before them.
        let tail: Vec<_> = self.ready.drain(..).collect();
        self.ready.extend(parsed);
        self.ready.extend(tail);
    }
}

impl Iterator for Frames<'_> {
    type Item = Result<DumpFrame, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() && !self.failed {
            self.fill();
        }
        if let Some(item) = self.ready.pop_front() {
            return Some(item);
        }
        if !self.reported_truncation {
            self.reported_truncation = true;
            if let Some(e) = &self.file.truncated {
                return Some(Err(FormatError::syntax(
                    &self.file.path,
                    match e {
                        FormatError::Syntax { line, .. } => *line,
                        _ => 0,
                    },
                    match e {
                        FormatError::Syntax { message, .. } => message.clone(),
                        other => other.to_string(),
                    },
                )));
            }
        }
        None
    }
}
