//! Finding where frames start: a parallel scan of memory-mapped bytes for `ITEM: TIMESTEP`
//! lines, and a sequential splitter that cuts a decompressed stream into frames.

use std::io::Read;

use rayon::prelude::*;

const TIMESTEP: &[u8] = b"ITEM: TIMESTEP";

/// Where one frame is: byte range in the (decompressed) file and, when known, its first line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrameSpan {
    pub offset: u64,
    pub len: u64,
    /// 1-based line number of the frame's first line (filled by sequential scans).
    pub first_line: Option<usize>,
}

/// Start of the line that ends just before `pos` (`pos` must be a line start > 0).
fn previous_line(data: &[u8], pos: usize) -> Option<(usize, &[u8])> {
    if pos == 0 {
        return None;
    }
    let end = pos - 1; // the '\n' ending the previous line
    let start = memchr::memrchr(b'\n', &data[..end]).map_or(0, |k| k + 1);
    Some((start, &data[start..end]))
}

/// LAMMPS writes `ITEM: UNITS` and `ITEM: TIME` (two lines each) before `ITEM: TIMESTEP`;
/// a frame starts at the first of them.
fn extend_back(data: &[u8], mut start: usize) -> usize {
    for item in [&b"ITEM: TIME"[..], &b"ITEM: UNITS"[..]] {
        let Some((value_start, _)) = previous_line(data, start) else {
            return start;
        };
        let Some((item_start, line)) = previous_line(data, value_start) else {
            return start;
        };
        if line.trim_ascii() == item {
            start = item_start;
        }
    }
    start
}

fn at_line_start(data: &[u8], p: usize) -> bool {
    p == 0 || data[p - 1] == b'\n'
}

/// Offsets of every `ITEM: TIMESTEP` line start in `data`, scanned in parallel chunks.
fn timestep_lines(data: &[u8]) -> Vec<usize> {
    const CHUNK: usize = 8 << 20;
    let nchunks = data.len().div_ceil(CHUNK).max(1);
    let per_chunk: Vec<Vec<usize>> = (0..nchunks)
        .into_par_iter()
        .map(|k| {
            let start = k * CHUNK;
            let end = ((k + 1) * CHUNK).min(data.len());
            let search_end = (end + TIMESTEP.len() - 1).min(data.len());
            let finder = memchr::memmem::Finder::new(TIMESTEP);
            finder
                .find_iter(&data[start..search_end])
                .map(|p| p + start)
                .filter(|&p| p < end && at_line_start(data, p))
                .collect()
        })
        .collect();
    per_chunk.concat()
}

/// Frame spans of a whole in-memory file: a frame runs from its `ITEM: TIMESTEP` (or the
/// `ITEM: UNITS`/`ITEM: TIME` before it) to the start of the next. The first frame starts at
/// byte 0 so that anything unexpected before it is reported by the frame parser.
pub(crate) fn frame_spans(data: &[u8]) -> Vec<FrameSpan> {
    if data.iter().all(|b| b.is_ascii_whitespace()) {
        return Vec::new();
    }
    let lines = timestep_lines(data);
    let mut starts = vec![0usize];
    starts.extend(lines.iter().skip(1).map(|&p| extend_back(data, p)));
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| {
            let end = starts.get(k + 1).copied().unwrap_or(data.len());
            FrameSpan {
                offset: s as u64,
                len: (end - s) as u64,
                first_line: (k == 0).then_some(1),
            }
        })
        .collect()
}

/// Cuts a byte stream (a gzip decoder) into frames, holding one frame plus one read chunk.
pub(crate) struct FrameSplitter<R: Read> {
    reader: R,
    buf: Vec<u8>,
    /// Stream offset and line number of `buf[0]` (the start of the current frame).
    offset: u64,
    line: usize,
    /// Position in `buf` of the current frame's own `ITEM: TIMESTEP`, once found.
    own_timestep: Option<usize>,
    searched: usize,
    eof: bool,
    started: bool,
}

const READ_CHUNK: usize = 4 << 20;

impl<R: Read> FrameSplitter<R> {
    pub fn new(reader: R) -> Self {
        FrameSplitter {
            reader,
            buf: Vec::new(),
            offset: 0,
            line: 1,
            own_timestep: None,
            searched: 0,
            eof: false,
            started: false,
        }
    }

    /// Next frame's span and bytes; `Ok(None)` at the end of the stream.
    pub fn next_frame(&mut self) -> std::io::Result<Option<(FrameSpan, Vec<u8>)>> {
        let finder = memchr::memmem::Finder::new(TIMESTEP);
        loop {
            // Look for TIMESTEP lines after what was already searched.
            while let Some(p) = finder
                .find(&self.buf[self.searched..])
                .map(|p| p + self.searched)
            {
                self.searched = p + 1;
                if !at_line_start(&self.buf, p) {
                    continue;
                }
                if self.own_timestep.is_none() {
                    self.own_timestep = Some(p);
                    continue;
                }
                let split = extend_back(&self.buf, p).max(self.own_timestep.unwrap_or(0) + 1);
                return Ok(Some(self.take(split)));
            }
            self.searched = self.buf.len().saturating_sub(TIMESTEP.len());
            if self.eof {
                if self.buf.iter().all(|b| b.is_ascii_whitespace())
                    && (self.started || self.buf.is_empty())
                {
                    return Ok(None);
                }
                let n = self.buf.len();
                return Ok(Some(self.take(n)));
            }
            let old = self.buf.len();
            self.buf.resize(old + READ_CHUNK, 0);
            let got = read_full(&mut self.reader, &mut self.buf[old..])?;
            self.buf.truncate(old + got);
            if got == 0 {
                self.eof = true;
            }
        }
    }

    fn take(&mut self, split: usize) -> (FrameSpan, Vec<u8>) {
        let rest = self.buf.split_off(split);
        let mut bytes = std::mem::replace(&mut self.buf, rest);
        // The frame keeps the read buffer's allocation (a read chunk or more): give the unused
        // part back, so that frames held in a parse window cost their size, not a chunk each.
        bytes.shrink_to_fit();
        let span = FrameSpan {
            offset: self.offset,
            len: bytes.len() as u64,
            first_line: Some(self.line),
        };
        self.offset += bytes.len() as u64;
        self.line += memchr::memchr_iter(b'\n', &bytes).count();
        self.own_timestep = None;
        self.searched = 0;
        self.started = true;
        (span, bytes)
    }
}

/// Read until `buf` is full or the stream ends.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut total = 0;
    while total < buf.len() {
        match r.read(&mut buf[total..]) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n\
0 1\n0 1\n0 1\nITEM: ATOMS id x\n1 0.5\nITEM: TIME\n0.25\nITEM: TIMESTEP\n10\nITEM: NUMBER OF \
ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id x\n1 0.5\n";

    /// The splitter (streams) and the parallel scan (mapped files) cut frames identically,
    /// including the `ITEM: TIME` lines written before `ITEM: TIMESTEP`, for any read chunking.
    #[test]
    fn splitter_and_scan_agree() {
        let data = TWO.as_bytes();
        let spans = frame_spans(data);
        assert_eq!(spans.len(), 2);
        let second = &TWO[spans[1].offset as usize..];
        assert!(second.starts_with("ITEM: TIME\n0.25\nITEM: TIMESTEP\n10"));
        let mut sp = FrameSplitter::new(data);
        let mut got = Vec::new();
        while let Some((span, bytes)) = sp.next_frame().unwrap() {
            assert_eq!(
                &data[span.offset as usize..][..span.len as usize],
                &bytes[..]
            );
            got.push(span);
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].first_line, Some(1));
        assert_eq!(got[1].first_line, Some(11));
        for (a, b) in spans.iter().zip(&got) {
            assert_eq!((a.offset, a.len), (b.offset, b.len));
        }
    }
}
