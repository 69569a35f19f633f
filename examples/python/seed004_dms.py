# %% [markdown]
# # Seed 004: MD dynamic mechanical spectroscopy
#
# NVT at 300 K under an oscillatory shear γ(t) = γ_A sin(2πt/t_w) (LAMMPS
# `fix deform … wiggle`), the shear stress σ(t) = −p_xy, and the sine fit
# σ0 + σ_A sin(2πt/t_w + δ) over whole cycles after a transient one: storage and loss
# moduli G′ = σ_A cos δ/γ_A, G″ = σ_A sin δ/γ_A. A 500-atom sample is noisy: the seed
# averages many cycles and samples.
# Run as a script (~1 min on 2 cores).

# %%
import numpy as np

import pelkit
from small_glass import glass_and_potential, pyplot

glass, pot, OUT = glass_and_potential()
amp, period, cycles, dt = 0.03, 2.0, 5, 0.002     # strain, ps, cycles, ps
steps = int(round(cycles * period / dt))
hot, s = pelkit.md(glass, pot, steps, timestep=dt, temp=300, nvt=(300, 300, 0.2),
                   wiggle=("xy", amp, period), thermo=10)
pxy_gpa = s["pressure_tensor"][:, 3] * 1e-4        # bar -> GPa
fit = pelkit.dms_fit(s["time"], -pxy_gpa, period, amp, transient_cycles=1)
print(f"G' = {fit.storage_modulus:.1f} ± {fit.storage_modulus_error:.1f} GPa, "
      f"G'' = {fit.loss_modulus:.1f} ± {fit.loss_modulus_error:.1f} GPa, "
      f"tan δ = {fit.loss_tangent:.3f} ({fit.cycles_fitted} cycles, R² = {fit.r_squared:.3f})")

# %%
plt = pyplot()
if plt is not None:
    fig, ax = plt.subplots(figsize=(8, 4))
    t = np.asarray(s["time"])
    ax.plot(t, -pxy_gpa, lw=0.6, label="σ = −p_xy")
    tt = t[t >= period]
    ax.plot(tt, fit.sigma0 + fit.sigma_amplitude * np.sin(2 * np.pi * tt / period + fit.delta),
            "k", label=f"fit: G′ = {fit.storage_modulus:.1f}, G″ = {fit.loss_modulus:.1f} GPa")
    ax.set_xlabel("t (ps)")
    ax.set_ylabel("σ (GPa)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT / "seed004_dms.png", dpi=80)
    print("figure:", OUT / "seed004_dms.png")
