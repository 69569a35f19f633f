"""Voronoi volumes and indices (OVITO threshold rules), as ``pelkit voronoi``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from .. import _pelkit
from .._frame import Frame


@dataclass
class Voronoi:
    """Per-atom results in the frame's atom order. ``indices[i, k]`` = kept faces of atom i with
    k edges (columns 3..6 are <n3,n4,n5,n6>); ``coordination`` = kept faces; ``face_counts`` =
    all faces (LAMMPS voronoi/atom); volumes sum to the box volume."""

    volumes: np.ndarray
    surface_areas: np.ndarray
    face_counts: np.ndarray
    coordination: np.ndarray
    indices: np.ndarray

    def index(self, i: int) -> tuple:
        """<n3, n4, n5, n6> of atom i."""
        return tuple(int(v) for v in self.indices[i, 3:7])


def voronoi(frame: Frame, edge_threshold: float = 0.0, face_threshold: float = 0.0,
            relative_face_threshold: float = 0.0, type_radii: Optional[Sequence[float]] = None,
            atom_radii: Optional[np.ndarray] = None, threads: Optional[int] = None) -> Voronoi:
    """Voronoi tessellation (radical with ``type_radii`` (index type-1) or ``atom_radii``)."""
    tr = None if type_radii is None else np.asarray(type_radii, dtype=np.float64)
    return Voronoi(**_pelkit.voronoi(frame, edge_threshold, face_threshold,
                                     relative_face_threshold, tr, atom_radii, threads))
