# %% [markdown]
# # Seed 001: activation barriers of a glass — ART nouveau spectrum and one NEB path
#
# ART events from randomly chosen atoms of a small inherent structure give the spectrum of
# activation energies E_A (distinct saddles only); the climbing-image NEB between the start and
# the final minimum of the lowest-barrier event gives its minimum energy path, its contour
# length C, end-to-end distance L and tortuosity C/L (the seed's path geometry).
# Run as a script (a few minutes on 2 cores: each ART event is ~10^3 force evaluations).

# %%
import numpy as np

import pelkit
from small_glass import glass_and_potential, pyplot

glass, pot, OUT = glass_and_potential()
rng = np.random.default_rng(1)
atoms = rng.choice(glass.ids, 8, replace=False)
res = pelkit.art(glass, pot, events=len(atoms), atom_ids=atoms, seed=1)
ea = res.barriers()
status = [e["status"] for e in res.events]
print(f"{len(status)} events: {status.count('found')} found, {len(ea)} distinct saddles; "
      f"E_A = {np.round(np.sort(ea), 4)} eV")

# %%
new = [e for e in res.events if e["status"] == "found" and e["same_as"] is None
       and not e["final_is_initial"]]
path = None
if new:
    ev = min(new, key=lambda e: e["e_a"])
    path = pelkit.neb(res.initial, ev["final"], pot, images=7, max_iter=3000)
    print(f"NEB of event {ev['event']}: E_A(ART) = {ev['e_a']:.4f} eV, EBF(NEB) = "
          f"{path.barrier_forward:.4f} eV, converged {path.converged}, C = "
          f"{path.path['contour_length']:.3f} Å, L = {path.path['end_to_end']:.3f} Å, "
          f"C/L = {path.path['tortuosity']:.3f}")

# %%
plt = pyplot()
if plt is not None:
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].hist(ea, bins=max(3, len(ea)), color="C0")
    ax[0].set_xlabel("E_A (eV)")
    ax[0].set_ylabel("distinct saddles")
    ax[0].set_title(f"ART spectrum, {glass.natoms} atoms")
    if path is not None:
        ax[1].plot(path.reaction_coordinate, path.energies - path.energies[0], "o-")
        ax[1].set_xlabel("reaction coordinate (Å)")
        ax[1].set_ylabel("E − E_initial (eV)")
        ax[1].set_title(f"NEB, C/L = {path.path['tortuosity']:.2f}")
    fig.tight_layout()
    fig.savefig(OUT / "seed001_barriers.png", dpi=80)
    print("figure:", OUT / "seed001_barriers.png")
