//! Protocols: loops of engine and analysis steps that make one published measurement (each
//! protocol owns its loop; per-step physics stays in `engine` and `analysis`).

pub mod dms;
