# %% [markdown]
# # Seed 000: the constraining force field of a glass — single-atom probes and cyclic loading
#
# Small-size versions of the seed's figures: the Mollweide map of one atom's energy change
# dE_atom(θ, φ) when it alone is moved by dr (Fig. 4), the distribution of the solid-angle
# fraction Ω(dE_atom < 0)/4π over atoms for several dr (Fig. 5a), and δ(γ), the relative
# RMS change of the atomic stresses after a load–relax–unload–relax cycle of amplitude γ,
# with the cage-breaking strain γ_c.b. where a Voronoi index first changes (Figs. 9–10).
# Run as a script (~1–3 min on 2 cores) or cell by cell; needs matplotlib for the figure.

# %%
import numpy as np

import pelkit
from small_glass import glass_and_potential, pyplot

glass, pot, OUT = glass_and_potential()
drs = [0.002, 0.01, 0.03]
scan = pelkit.probe_scan(glass, pot, drs, grid=(18, 36))
for k, dr in enumerate(drs):
    om = scan.omega[:, k]
    print(f"dr = {dr:5.3f} Å: mean Ω/4π = {om.mean():.4f}, atoms with Ω > 0: "
          f"{(om > 0).mean():.3f}, mean min dE_atom = {scan.de_atom_min[:, k].mean():.3e} eV")

# %% [markdown]
# The atom with the largest Ω/4π at dr = 0.01 Å, probed on a finer grid for the map.

# %%
atom = int(scan.ids[np.argmax(scan.omega[:, 1])])
grid = pelkit.probe_scan(glass, pot, 0.01, atom_ids=[atom], grid=(36, 72))
e = pelkit.probe_energies(glass, pot, [atom], grid.vectors, [0.01, 0.03])
theta, phi = grid.angles[:, 0], grid.angles[:, 1]

# %%
gammas = "1e-4:1e-1:7"
cyc = pelkit.cyclic(glass, pot, gammas, ftol=1e-8)
for p in cyc.points:
    print(f"γ = {p['gamma']:.1e}: δ = {p.get('delta', float('nan')):.3e}, Θ = {p.get('theta')}, "
          f"IS D_min = {p.get('is_dmin', float('nan')):.3e} Å")
print("cage-breaking strain γ_c.b. =", cyc.cage_breaking_strain)

# %%
plt = pyplot()
if plt is not None:
    fig = plt.figure(figsize=(16, 4.2))
    for k, dr in enumerate([0.01, 0.03]):
        ax = fig.add_subplot(1, 4, k + 1, projection="mollweide")
        de = e.de_atom[0, :, k]
        lim = np.abs(de).max()
        sc = ax.scatter(phi - np.pi, np.pi / 2 - theta, c=de, s=6, cmap="coolwarm", vmin=-lim,
                        vmax=lim)
        ax.set_title(f"atom {atom}: dE_atom, dr = {dr} Å", fontsize=9)
        ax.set_xticklabels([])
        fig.colorbar(sc, ax=ax, orientation="horizontal", pad=0.05, label="eV")
    ax = fig.add_subplot(1, 4, 3)
    for k, dr in enumerate(drs):
        ax.hist(scan.omega[:, k], np.linspace(0, 1, 21), histtype="step", label=f"dr = {dr} Å")
    ax.set_yscale("log")
    ax.set_xlabel("Ω(dE_atom < 0)/4π")
    ax.set_ylabel("atoms")
    ax.legend()
    ax = fig.add_subplot(1, 4, 4)
    ok = [p for p in cyc.points if p["status"] == "ok"]
    ax.loglog([p["gamma"] for p in ok], [max(p["delta"], 1e-12) for p in ok], "o-")
    if cyc.cage_breaking_strain:
        ax.axvline(cyc.cage_breaking_strain, ls="--", c="k", label="γ_c.b.")
        ax.legend()
    ax.set_xlabel("γ")
    ax.set_ylabel("δ = RMS(Δσ)/RMS(σ)")
    ax.set_title("cyclic loading")
    fig.tight_layout()
    fig.savefig(OUT / "seed000_probes_cyclic.png", dpi=80)
    print("figure:", OUT / "seed000_probes_cyclic.png")
