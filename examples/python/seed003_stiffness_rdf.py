# %% [markdown]
# # Seed 003: atomic stiffness and structural descriptors
#
# The total and partial g(r) of a small Cu50Zr50 glass, the per-atom g_i(r) descriptors of the
# seed (shells of 0.2 Å from 2 to 10 Å), and the atomic stiffness K_i = k_BT/⟨|Δr_i|²⟩ from
# short NVT runs at two temperatures, by species and against the first-shell coordination.
# Run as a script (~1–2 min on 2 cores).

# %%
import numpy as np

import pelkit
from small_glass import glass_and_potential, pyplot

glass, pot, OUT = glass_and_potential()
g = pelkit.rdf(glass, cutoff=8.0, bins=160)
q = np.linspace(0.5, 12, 200)
sq = g.structure_factor(q)
print(f"first g(r) peak at {g.r[np.argmax(g.total)]:.2f} Å, S(q) peak at "
      f"{q[np.argmax(sq)]:.2f} 1/Å")
desc = pelkit.per_atom_rdf(glass, 2.0, 10.0, 0.2)
first_shell = desc.values[:, desc.r < 3.4].sum(axis=1) * 0.2   # ∝ first-shell neighbours

# %%
k = pelkit.stiffness(glass, pot, [100.0, 200.0], time=4.0, equilibrate=1.0, sample_every=10)
K = k.mean_stiffness
for t, name in ((1, "Cu"), (2, "Zr")):
    print(f"{name}: mean K = {K[glass.types == t].mean():.3f} ± {K[glass.types == t].std():.3f} "
          f"eV/Å²")
r = np.corrcoef(first_shell, K)[0, 1]
print(f"correlation of K_i with the first-shell descriptor: {r:+.3f}")

# %%
plt = pyplot()
if plt is not None:
    fig, ax = plt.subplots(1, 3, figsize=(15, 4))
    ax[0].plot(g.r, g.total, label="total")
    for name, v in g.partial.items():
        ax[0].plot(g.r, v, lw=0.8, label=name)
    ax[0].set_xlabel("r (Å)")
    ax[0].set_ylabel("g(r)")
    ax[0].legend()
    for t, name in ((1, "Cu"), (2, "Zr")):
        ax[1].hist(K[glass.types == t], 30, alpha=0.6, label=name)
    ax[1].set_xlabel("K_i (eV/Å²)")
    ax[1].legend()
    ax[1].set_title("atomic stiffness (100 K, 200 K)")
    ax[2].scatter(first_shell, K, s=6, c=glass.types, cmap="coolwarm")
    ax[2].set_xlabel("∫ g_i over the first shell")
    ax[2].set_ylabel("K_i (eV/Å²)")
    ax[2].set_title(f"r = {r:+.2f}")
    fig.tight_layout()
    fig.savefig(OUT / "seed003_stiffness_rdf.png", dpi=80)
    print("figure:", OUT / "seed003_stiffness_rdf.png")
