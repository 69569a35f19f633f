//! Protocols: loops of engine steps (deformation, minimization, MD) and analyses that make one
//! published measurement each, built only from [`crate::engine`] and [`crate::analysis`] pieces.
//!
//! * [`cyclic`]: intra-cage cyclic loading (seed 000): load by γ, relax, unload, relax, and
//!   compare the final with the initial minimum (δ(γ), Θ(γ), Δσ histograms).
//! * [`stiffness`]: atomic stiffness K_i = k_BT/⟨|Δr_i|²⟩ from NVT runs (seed 003).

pub mod cyclic;
pub mod stiffness;
