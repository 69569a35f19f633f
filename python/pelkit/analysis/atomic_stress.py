"""Egami atomic-level stress (stress/atom / Voronoi volume), as ``pelkit stress``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .. import _pelkit
from .._frame import Frame
from ..potential import Potential


@dataclass
class AtomicStress:
    """sigma (N, 6) = stress/atom / volume (xx yy zz xy xz yz, pressure units, + = tension);
    pressure = -tr(sigma)/3; von_mises = sqrt(J2); volumes; stress_atom (N, 6);
    per_atom_energy; energy; pressure_tensor (6,) = -sum(stress_atom)/V."""

    sigma: np.ndarray
    pressure: np.ndarray
    von_mises: np.ndarray
    volumes: np.ndarray
    stress_atom: np.ndarray
    per_atom_energy: np.ndarray
    energy: float
    pressure_tensor: list


def atomic_stress(frame: Frame, potential: Potential, volumes: Optional[np.ndarray] = None,
                  threads: Optional[int] = None) -> AtomicStress:
    """Atomic stress with Voronoi volumes (or the given per-atom ``volumes``)."""
    return AtomicStress(**_pelkit.atomic_stress(frame, potential, volumes, threads))
