//! Protocols: loops of engine steps (deformation, minimization) and analyses that make one
//! published measurement each.
//!
//! * [`cyclic`]: intra-cage cyclic loading (seed 000): load by γ, relax, unload, relax, and
//!   compare the final with the initial minimum (δ(γ), Θ(γ), Δσ histograms).

pub mod cyclic;
