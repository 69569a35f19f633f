"""Radial distribution functions (OVITO's normalisation), per-atom g_i(r) descriptors (seed 003)
and S(q), as ``pelkit rdf``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

from .. import _pelkit
from .._frame import Frame


@dataclass
class Rdf:
    """``r`` = bin centres of ``bins`` bins over [0, cutoff]; ``total`` g(r); ``partial`` maps
    "a-b" (types a <= b present) to g_ab(r); ``density`` = N/V; ``bin_width`` = cutoff / bins."""

    r: np.ndarray
    total: np.ndarray
    partial: Dict[str, np.ndarray]
    density: float
    bin_width: float

    def structure_factor(self, q: np.ndarray) -> np.ndarray:
        """S(q) of the total g(r) (``pelkit rdf --sq``)."""
        return structure_factor(self.r, self.total, self.bin_width, self.density, q)


@dataclass
class PerAtomRdf:
    """``values`` (N, F) in the frame's atom order: g_i on shells [r_min + k dr, r_min +
    (k+1) dr), one block of shells per neighbour type when partial; ``names`` the dump column
    names (g_<centre> or g<type>_<centre>); ``r`` the shell centres."""

    values: np.ndarray
    names: List[str]
    r: np.ndarray


def rdf(frame: Frame, cutoff: float = 10.0, bins: int = 200,
        threads: Optional[int] = None) -> Rdf:
    """Total and partial g(r) (a cutoff beyond half the box counts every periodic image)."""
    return Rdf(**_pelkit.rdf(frame, cutoff, bins, threads), bin_width=cutoff / bins)


def per_atom_rdf(frame: Frame, r_min: float = 2.0, r_max: float = 10.0, dr: float = 0.2,
                 partial: bool = False, threads: Optional[int] = None) -> PerAtomRdf:
    """Per-atom g_i(r) (seed 003 Eq. 2); the mean over atoms is g(r) on the same shells."""
    return PerAtomRdf(**_pelkit.per_atom_rdf(frame, r_min, r_max, dr, partial, threads))


def structure_factor(r: np.ndarray, g: np.ndarray, dr: float, density: float,
                     q: np.ndarray) -> np.ndarray:
    """S(q) = 1 + 4 pi rho sum_k r_k^2 (g_k - 1) sin(q r_k)/(q r_k) dr (no window)."""
    f = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    return _pelkit.structure_factor(f(r), f(g), float(dr), float(density), f(q))
