"""Shared start of the seed examples: a small Cu50Zr50 inherent structure (Mendelev eam/fs).

``glass_and_potential()`` returns (glass, potential, output directory). The glass is read from
$PELKIT_GLASS, else from the output directory (written by an earlier example), else quenched
here: 500 atoms melted at 2000 K and cooled to 300 K at ~4e14 K/s, then minimized (~20-60 s on
2 cores). Figures go to $PELKIT_EXAMPLE_OUT (default ./pelkit-example)."""
import os
from pathlib import Path

import pelkit


def glass_and_potential():
    out = Path(os.environ.get("PELKIT_EXAMPLE_OUT", "pelkit-example"))
    out.mkdir(exist_ok=True)
    pot = pelkit.Potential("eam/fs", "* * CuZr_mm.eam.fs Cu Zr")
    cached = out / "glass500.data"
    if "PELKIT_GLASS" in os.environ:
        glass = pelkit.read(os.environ["PELKIT_GLASS"])
    elif cached.exists():
        glass = pelkit.read(cached)
    else:
        glass, report = pelkit.quench(pot, tmelt=2000, tfinal=300, atoms=[250, 250],
                                      density=0.0576, melt_steps=2000, quench_steps=4000,
                                      thermo=1000)
        print(f"quenched {glass.natoms} atoms at {report['cooling_rate'] * 1e12:.2e} K/s, "
              f"IS energy {report['minimize']['pe_final'] / glass.natoms:.4f} eV/atom")
        pelkit.write_data(cached, glass)
    return glass, pot, out


def pyplot():
    """matplotlib.pyplot with the Agg backend, or None (the printed numbers are the result)."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        return None
