//! Protocols: loops of engine steps (deformation, minimization, MD) and analyses that make one
//! published measurement each, built only from [`crate::engine`] and [`crate::analysis`] pieces
//! (each protocol owns its loop; per-step physics stays in `engine` and `analysis`).
//!
//! * [`ageing`]: isothermal annealing with inherent-structure tracking (seed 001, Fig. 1),
//!   independent runs in parallel, resumable CSV.
//! * [`cyclic`]: intra-cage cyclic loading (seed 000): load by γ, relax, unload, relax, and
//!   compare the final with the initial minimum (δ(γ), Θ(γ), Δσ histograms).
//! * [`dms`]: MD-DMS (seed 004): NVT under an oscillatory shear, the fitted G′, G″, δ, and the
//!   IS D_min between quenched cycle snapshots.
//! * [`stiffness`]: atomic stiffness K_i = k_BT/⟨|Δr_i|²⟩ from NVT runs (seed 003).
//! * [`strained_barriers`]: re-render minimum energy paths under an imposed shear (deform the
//!   end points affinely, re-relax them, re-run the NEB) and report ΔE_A (seed 001, Fig. 3a).

pub mod ageing;
pub mod cyclic;
pub mod dms;
pub mod stiffness;
pub mod strained_barriers;
