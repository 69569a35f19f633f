"""Saddle points and minimum energy paths: ART nouveau events (``pelkit art``) and the
climbing-image NEB (``pelkit neb``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from . import _pelkit
from ._frame import Frame, _frame
from .potential import Potential


@dataclass
class ArtResult:
    """``initial``: the relaxed start. ``events``: per event a dict (event, atom_id, status
    found/no_exit/saddle_not_converged, e_initial, e_saddle, e_final, e_a = e_saddle -
    e_initial, e_back, lambda_saddle, saddle_fnorm, saddle_distance, final_distance, connected,
    back_distance, back_de, back_max_move, final_is_initial, force_evaluations, same_as = first event with the same saddle) and, for
    found events, ``saddle`` and ``final`` frames."""

    initial: Frame
    events: List[Dict[str, Any]]

    def barriers(self, distinct: bool = True) -> np.ndarray:
        """E_A of the found events (only the first of each saddle when ``distinct``)."""
        return np.array([e["e_a"] for e in self.events if e["status"] == "found"
                         and (e["same_as"] is None or not distinct)])


@dataclass
class NebResult:
    """The converged (or last) band: energies and reaction_coordinate per image, barriers
    (LAMMPS EBF/EBR), climbing_image, iterations, force_evaluations, converged,
    max_image_force, path (contour_length, end_to_end, tortuosity, reaction_coordinate),
    divergences (one dict per detected divergence, each followed by a restart with a halved
    FIRE step: iteration, dt, max_step, reason) and the ``images`` as frames."""

    energies: np.ndarray
    reaction_coordinate: np.ndarray
    barrier_forward: float
    barrier_reverse: float
    climbing_image: Optional[int]
    iterations: int
    force_evaluations: int
    converged: bool
    max_image_force: float
    path: Dict[str, Any]
    divergences: List[Dict[str, Any]]
    images: List[Frame]


def art(frame: Frame, potential: Potential, events: int = 100,
        atom_ids: Optional[Sequence[int]] = None, seed: int = 1,
        force_tol: Optional[float] = None, local_radius: Optional[float] = None,
        eigen_threshold: Optional[float] = None, relax_ftol: float = 1e-6,
        skin: Optional[float] = None, threads: Optional[int] = None) -> ArtResult:
    """Relax ``frame`` (CG to relax_ftol), then run ART events in parallel (GIL released)."""
    ids = None if atom_ids is None else [int(i) for i in atom_ids]
    d = _pelkit.art(frame, potential, events, ids, seed, force_tol, local_radius,
                    eigen_threshold, relax_ftol, skin, threads)
    for e in d["events"]:
        for k in ("saddle", "final"):
            if e[k] is not None:
                e[k] = _frame(e[k])
    return ArtResult(initial=_frame(d["initial"]), events=d["events"])


def neb(a: Frame, b: Frame, potential: Potential, images: int = 9, kspring: float = 1.0,
        climb: bool = True, ftol: float = 1e-3, max_iter: int = 20_000, climb_after: int = 2000,
        dt: Optional[float] = None, skin: Optional[float] = None,
        threads: Optional[int] = None) -> NebResult:
    """Climbing-image NEB from the linear interpolation between minima ``a`` and ``b``."""
    d = _pelkit.neb(a, b, potential, images, kspring, climb, ftol, max_iter, climb_after, dt,
                    skin, threads)
    d["images"] = [_frame(f) for f in d["images"]]
    d["energies"] = np.asarray(d["energies"])
    d["reaction_coordinate"] = np.asarray(d["reaction_coordinate"])
    return NebResult(**d)
