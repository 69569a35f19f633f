//! Minimizers, molecular dynamics and box deformation.
