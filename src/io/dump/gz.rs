//! Gzip-compressed dumps: detection by magic bytes and decoders positioned at a frame.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::io::FormatError;

/// The two bytes every gzip member starts with.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A decoder over the whole decompressed stream of `path`.
pub(crate) fn decoder(path: &Path) -> Result<MultiGzDecoder<BufReader<File>>, FormatError> {
    let f = File::open(path).map_err(|e| FormatError::io(path, e))?;
    Ok(MultiGzDecoder::new(BufReader::with_capacity(1 << 20, f)))
}

/// A decoding error as a format error (a corrupt or cut-off gzip stream).
pub(crate) fn stream_error(path: &Path, e: std::io::Error) -> FormatError {
    if matches!(
        e.kind(),
        std::io::ErrorKind::InvalidInput
            | std::io::ErrorKind::InvalidData
            | std::io::ErrorKind::UnexpectedEof
    ) {
        FormatError::invalid(
            path,
            format!("corrupt or truncated gzip stream: {e} (expected a complete gzip file)"),
        )
    } else {
        FormatError::io(path, e)
    }
}

/// The decompressed bytes `[offset, offset + len)` of `path` (decompresses sequentially up to
/// them: gzip has no random access).
pub(crate) fn read_range(path: &Path, offset: u64, len: u64) -> Result<Vec<u8>, FormatError> {
    let mut dec = decoder(path)?;
    std::io::copy(&mut (&mut dec).take(offset), &mut std::io::sink())
        .map_err(|e| stream_error(path, e))?;
    let mut bytes = Vec::with_capacity(len as usize);
    (&mut dec)
        .take(len)
        .read_to_end(&mut bytes)
        .map_err(|e| stream_error(path, e))?;
    if (bytes.len() as u64) < len {
        return Err(FormatError::invalid(
            path,
            "gzip stream is shorter than when the file was indexed (file changed?)",
        ));
    }
    Ok(bytes)
}
