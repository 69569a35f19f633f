"""Single-atom probes of the constraining force field (seed 000), as ``pelkit probe``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from .. import _pelkit
from .._frame import Frame
from ..potential import Potential

DrLike = Union[float, Sequence[float], np.ndarray]


@dataclass
class ProbeScan:
    """Per probed atom (ascending id order, or the order of ``atom_ids``), per dr: ``omega``
    (n, ndr) = Omega(dE_atom < 0)/4pi, ``de_atom_min`` (n, ndr) = min over directions of
    dE_atom, ``de_sys_min`` (n, ndr, with ``system=True``), ``dr_min`` (n,) = dr of the smallest
    dE_atom over every dr and direction and ``de_atom_min_all`` (n,) that value,
    ``pair_identity`` (n,) = max |dE_sys - 2 dE_atom|/|dE_sys| (pair styles with
    ``system=True``). ``negative`` (ndr, ndir) = number of probed atoms with dE_atom < 0 along
    each direction (seed Fig. 5b). Directions: ``vectors`` (ndir, 3), solid-angle ``weights``,
    ``angles`` (ndir, 2) = (theta from +z, phi from +x)."""

    ids: np.ndarray
    omega: np.ndarray
    de_atom_min: np.ndarray
    de_sys_min: Optional[np.ndarray]
    dr_min: np.ndarray
    de_atom_min_all: np.ndarray
    pair_identity: Optional[np.ndarray]
    negative: np.ndarray
    dr: np.ndarray
    vectors: np.ndarray
    weights: np.ndarray
    angles: np.ndarray
    warnings: List[str]


@dataclass
class ProbeEnergies:
    """``de_atom`` and ``de_sys`` of shape (atoms, directions, dr): the change of the moved
    atom's pe/atom and of the total energy; ``vectors`` = the normalised directions."""

    de_atom: np.ndarray
    de_sys: np.ndarray
    vectors: np.ndarray
    dr: np.ndarray


def probe_scan(frame: Frame, potential: Potential, dr: DrLike,
               atom_ids: Optional[Sequence[int]] = None, grid: Tuple[int, int] = (36, 72),
               fibonacci: Optional[int] = None, directions: Optional[np.ndarray] = None,
               system: bool = False, threads: Optional[int] = None) -> ProbeScan:
    """Probe atoms (default: all) along the (theta, phi) ``grid`` (or ``fibonacci`` N
    directions, or user ``directions`` (M, 3)) at every ``dr`` (GIL released)."""
    if not isinstance(dr, (int, float)):
        dr = np.ascontiguousarray(dr, dtype=np.float64)
    ids = None if atom_ids is None else [int(i) for i in atom_ids]
    return ProbeScan(**_pelkit.probe_scan(frame, potential, dr, ids, tuple(grid), fibonacci,
                                          directions, system, threads))


def probe_energies(frame: Frame, potential: Potential, atom_ids: Sequence[int],
                   directions: np.ndarray, dr: DrLike,
                   threads: Optional[int] = None) -> ProbeEnergies:
    """dE_atom and dE_sys of each atom moved by dr * n (n = normalised direction), every other
    atom fixed: the explicit probes of ``pelkit probe --atom-ids … --directions …``."""
    if not isinstance(dr, (int, float)):
        dr = np.ascontiguousarray(dr, dtype=np.float64)
    return ProbeEnergies(**_pelkit.probe_energies(frame, potential, [int(i) for i in atom_ids],
                                                  directions, dr, threads))
