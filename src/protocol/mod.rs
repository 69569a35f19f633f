//! Protocols: loops of engine and analysis steps (MD runs feeding an analysis), built only from
//! [`crate::engine`] and [`crate::analysis`] pieces.

pub mod stiffness;
