"""Falk-Langer D2min and atomic strain (OVITO Atomic Strain conventions), as ``pelkit d2min``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .. import _pelkit
from .._frame import Frame


@dataclass
class D2min:
    """Per-atom arrays in ascending id order: d2min (sum over reference neighbours within the
    cutoff), d2min_mean, shear_strain (von Mises of Green-Lagrange E), volumetric_strain
    (tr E / 3), neighbors, invalid (fewer than 3 neighbours or singular: all outputs 0)."""

    ids: np.ndarray
    d2min: np.ndarray
    d2min_mean: np.ndarray
    shear_strain: np.ndarray
    volumetric_strain: np.ndarray
    neighbors: np.ndarray
    invalid: np.ndarray
    invalid_count: int


def d2min(reference: Frame, current: Frame, cutoff: float, affine_mapping: str = "off",
          minimum_image: bool = True, threads: Optional[int] = None) -> D2min:
    """D2min of ``current`` relative to ``reference`` (atoms paired by id; boxes may differ)."""
    return D2min(**_pelkit.d2min(reference, current, cutoff, affine_mapping, minimum_image,
                                 threads))
