"""Intra-cage cyclic loading (seed 000): load by gamma, relax, unload, relax and compare with the
start, as ``pelkit cyclic``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from .. import _pelkit
from .._frame import Frame
from ..potential import Potential


@dataclass
class Cyclic:
    """``initial``: energy, fnorm, max_force, minimized, rms_sigma_initial, sigma (N,) (loading
    component of the atomic stress). ``points``: per gamma (in the order given) a dict with
    gamma, status ("ok"/"failed"), stage, reason and, when ok, delta = RMS(dsigma)/RMS(sigma),
    rms_dsigma, fwhm, theta (a Voronoi index of the top most-displaced atoms changed),
    top_atoms, top_changed, changed_indices, delta_energy, energy_final, max_displacement,
    labelled_dmin, is_dmin, load/unload (minimizer summaries), histogram, dsigma (N,)."""

    units: str
    component: str
    initial: Dict[str, Any]
    points: List[Dict[str, Any]]

    @property
    def gamma(self) -> np.ndarray:
        return np.array([p["gamma"] for p in self.points])

    @property
    def delta(self) -> np.ndarray:
        """delta(gamma), NaN for failed points."""
        return np.array([p.get("delta", np.nan) if p["status"] == "ok" else np.nan
                         for p in self.points])

    @property
    def cage_breaking_strain(self) -> Optional[float]:
        """Smallest gamma with theta = 1 (gamma_c.b.), None if no index changed."""
        g = [p["gamma"] for p in self.points if p["status"] == "ok" and p["theta"]]
        return min(g) if g else None


def cyclic(frame: Frame, potential: Potential, gamma: Union[str, Sequence[float]],
           component: str = "xy", min_style: str = "cg", etol: float = 0.0, ftol: float = 1e-10,
           maxiter: int = 100_000, maxeval: int = 1_000_000,
           min_modify: Union[str, Sequence[str], None] = None, timestep: Optional[float] = None,
           max_fnorm: Optional[float] = None, skin: Optional[float] = None,
           top_fraction: float = 1e-4, bins: int = 100, is_dmin: bool = True,
           threads: Optional[int] = None) -> Cyclic:
    """One cycle per gamma from the same (minimized) start, in parallel over gamma (GIL
    released). ``gamma``: strains, or the CLI's text ("1e-5:1e-1:25" log-spaced)."""
    g = gamma if isinstance(gamma, str) else [float(v) for v in gamma]
    return Cyclic(**_pelkit.cyclic(frame, potential, g, component, min_style, etol, ftol,
                                   maxiter, maxeval, min_modify, timestep, max_fnorm, skin,
                                   top_fraction, bins, is_dmin, threads))
