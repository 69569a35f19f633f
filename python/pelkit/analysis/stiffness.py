"""Atomic stiffness K_i = k_B T / <|dr_i|^2> from NVT runs (seed 003), as ``pelkit stiffness``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from .. import _pelkit
from .._frame import Frame
from ..potential import Potential


@dataclass
class Stiffness:
    """``mean_stiffness`` (N,) over the temperatures, in the frame's atom order (energy /
    distance^2: eV/A^2 in metal); ``runs``: per temperature a dict with temperature,
    measured_temperature (mean over production samples), frames, msd (N,), stiffness (N,)."""

    runs: List[Dict[str, Any]]
    mean_stiffness: np.ndarray


def stiffness(frame: Frame, potential: Potential, temp: Union[float, Sequence[float]],
              time: float = 100.0, equilibrate: float = 10.0, timestep: Optional[float] = None,
              tdamp: Optional[float] = None, sample_every: int = 10, seed: int = 12345,
              threads: Optional[int] = None) -> Stiffness:
    """Nose-Hoover NVT at each temperature from velocities drawn with ``seed``: ``equilibrate``
    then ``time`` (time units, ps in metal), sampling every ``sample_every`` steps."""
    t = float(temp) if isinstance(temp, (int, float)) else [float(v) for v in temp]
    return Stiffness(**_pelkit.stiffness(frame, potential, t, time, equilibrate, timestep, tdamp,
                                         sample_every, seed, threads))


def stiffness_from_positions(frames: Sequence[np.ndarray], temperature: float,
                             masses: Optional[np.ndarray] = None,
                             units: str = "metal") -> Dict[str, np.ndarray]:
    """msd and K_i from unwrapped positions (a sequence of (N, 3) arrays), the centre of mass
    (``masses`` per atom, default equal) drift removed."""
    return _pelkit.stiffness_from_positions(list(frames), float(temperature), masses, units)
