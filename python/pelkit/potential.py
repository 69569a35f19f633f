"""Potentials from LAMMPS-style strings and one evaluation (energy, forces, virials)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import _pelkit
from ._frame import Frame

Potential = _pelkit.Potential


@dataclass
class Evaluation:
    """One evaluation, arrays in the frame's atom order.

    energy (energy units: eV metal, epsilon lj); forces (N, 3); per_atom_energy (N,) as
    ``compute pe/atom``; per_atom_virial (N, 6) W_i (energy units, xx yy zz xy xz yz);
    stress_atom (N, 6) as ``compute stress/atom NULL`` (pressure*volume units, kinetic part
    when the frame has velocities); virial (6,); pressure (6,) as ``compute pressure``."""

    energy: float
    forces: np.ndarray
    per_atom_energy: np.ndarray
    per_atom_virial: np.ndarray
    stress_atom: np.ndarray
    virial: np.ndarray
    pressure: np.ndarray
    volume: float
    units: str


def evaluate(frame: Frame, potential: Potential, threads: Optional[int] = None) -> Evaluation:
    """Neighbor list + energy/forces/virials, exactly ``pelkit eval`` (GIL released)."""
    d = _pelkit.evaluate(frame, potential, threads)
    d["virial"] = np.asarray(d["virial"])
    d["pressure"] = np.asarray(d["pressure"])
    return Evaluation(**d)
