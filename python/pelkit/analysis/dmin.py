"""Exact inherent-structure D_min (optimal relabelling, certified), as ``pelkit dmin``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .. import _pelkit
from .._frame import Frame


@dataclass
class Dmin:
    """dmin = sqrt(min over relabellings of mean squared displacement); rmsd with labels kept;
    per reference atom in ascending id: ids, partner_ids, displacements (N, 3)."""

    dmin: float
    rmsd: float
    natoms: int
    reassigned: int
    optimality_certified: bool
    gap_bound: float
    ids: np.ndarray
    partner_ids: np.ndarray
    displacements: np.ndarray


def dmin(reference: Frame, current: Frame, all_types: bool = False,
         threads: Optional[int] = None) -> Dmin:
    """D_min between two configurations in the same box (relabel within a type unless
    ``all_types``)."""
    return Dmin(**_pelkit.dmin(reference, current, all_types, threads))
