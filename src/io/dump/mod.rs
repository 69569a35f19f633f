//! LAMMPS text dumps (`dump custom`, `dump atom`, plain or `.gz`): reading any column set with
//! conversion between `x`/`xs`/`xu`/`xsu` representations, writing, and whole-file checking.
//!
//! * [`DumpFile`] memory-maps a file, indexes its frames with a parallel scan, then parses frames
//!   on demand ([`DumpFile::frame`]), all at once in parallel ([`DumpFile::read_all`]) or as a
//!   bounded-memory stream ([`DumpFile::iter`]). Gzip files (detected by magic bytes) are
//!   decompressed as a stream.
//! * [`DumpFrame`] holds one frame column by column; [`DumpFrame::to_system`] and
//!   [`DumpFrame::wrapped_positions`]/[`DumpFrame::unwrapped_positions`] convert coordinates.
//! * [`write_dump`] / [`write_dump_system`] write dumps sorted by id with round-trip floats;
//!   [`DumpWriter`] streams frames. Atom lines are formatted in parallel (`row_format`: the
//!   text of `{:?}`, via `zmij`/`itoa` where they print the same bytes).
//! * [`check`] parses every value and reports statistics and problems for `pelkit check`
//!   (statistics folded into the parse, no copy of the frame).
//! * Atom lines go through a vectorised fast path on x86_64 with AVX2 (`atom_line`, exact:
//!   bit-identical to `str::parse::<f64>`) and otherwise through the exact scalar tokeniser,
//!   which also produces every error message.

mod atom_line;
mod check;
mod coords;
mod file;
mod frame;
mod frame_error;
mod gz;
mod header;
mod index;
mod iter;
pub(crate) mod number;
mod row_format;
mod write;

pub use check::check;
pub use coords::{Coordinates, PositionsAndImages};
pub use file::{read_dump, DumpFile};
pub use frame::DumpFrame;
pub use frame_error::FrameError;
pub use iter::Frames;
pub use write::{positions_frame, system_frame, write_dump, write_dump_system, DumpWriter};
