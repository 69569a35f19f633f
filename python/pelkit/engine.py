"""Minimization, MD, melt-quench glass preparation and affine strain (LAMMPS semantics)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np

from . import _pelkit
from ._frame import Frame, _frame
from .potential import Potential


@dataclass
class MinimizeResult:
    """LAMMPS' "Minimization stats" (energies per atom in lj units, totals in metal)."""

    stop: str
    pe_initial: float
    pe_next_to_last: float
    pe_final: float
    pe_total_final: float
    pe_per_atom: bool
    iterations: int
    force_evaluations: int
    fnorm_initial: float
    fnorm_final: float
    fnorm_inf_initial: float
    fnorm_inf_final: float
    units: str


def minimize(frame: Frame, potential: Potential, min_style: str = "cg", etol: float = 0.0,
             ftol: float = 1e-10, maxiter: int = 100_000, maxeval: int = 1_000_000,
             dmax: float = 0.1, line: str = "quadratic", norm: str = "two",
             timestep: Optional[float] = None, min_modify: Union[str, Sequence[str], None] = None,
             skin: Optional[float] = None,
             threads: Optional[int] = None) -> Tuple[Frame, MinimizeResult]:
    """LAMMPS ``minimize etol ftol maxiter maxeval`` (cg or fire), exactly ``pelkit minimize``.
    Returns the minimized frame (the input is not modified) and the summary."""
    f, s = _pelkit.minimize(frame, potential, min_style, etol, ftol, maxiter, maxeval, dmax, line,
                            norm, timestep, min_modify, skin, threads)
    return _frame(f), MinimizeResult(**s)


def md(frame: Frame, potential: Potential, steps: int, timestep: Optional[float] = None,
       temp: Optional[float] = None, seed: int = 12345,
       nvt: Optional[Tuple[float, float, float]] = None,
       wiggle: Optional[Tuple[str, float, float]] = None, wiggle_every: int = 1,
       thermo: int = 100, threads: Optional[int] = None) -> Tuple[Frame, Dict[str, np.ndarray]]:
    """NVE, or Nose-Hoover NVT with ``nvt=(tstart, tstop, tdamp)``, optionally oscillatory
    shear ``wiggle=("xy", strain, period)``; ``temp`` creates velocities first. Returns the final
    frame and the thermo samples as columns (step, time, temperature, pe, ke, etotal, conserved,
    pressure, pressure_tensor (n, 6), tilt (n, 3), strain); energies are totals."""
    f, s = _pelkit.md(frame, potential, steps, timestep, temp, seed, nvt, wiggle, wiggle_every,
                      thermo, threads)
    return _frame(f), s


def quench(potential: Potential, tmelt: float, tfinal: float, quench_steps: int,
           atoms: Optional[Sequence[int]] = None, density: Optional[float] = None,
           frame: Optional[Frame] = None, masses: Optional[Sequence[float]] = None,
           min_distance: Optional[float] = None, melt_steps: int = 0,
           timestep: Optional[float] = None, tdamp: Optional[float] = None, seed: int = 12345,
           ftol: float = 1e-10, thermo: int = 1000,
           threads: Optional[int] = None) -> Tuple[Frame, dict]:
    """Melt-quench-minimize from a random start (``atoms`` per type, number ``density``) or
    from ``frame``, exactly ``pelkit quench``. Returns the inherent structure and a report
    (cooling_rate, minimize, pre_minimize, melt and quench samples)."""
    f, r = _pelkit.quench(potential, tmelt, tfinal, quench_steps,
                          None if atoms is None else list(atoms), density, frame,
                          None if masses is None else list(masses), min_distance, melt_steps,
                          timestep, tdamp, seed, ftol, thermo, threads)
    return _frame(f), r


def strain(frame: Frame, component: str, value: float) -> Frame:
    """Affine strain, as ``pelkit minimize --shear COMPONENT=VALUE`` before minimizing:
    xy/xz/yz add value*ly (xy) or value*lz to the tilt; x/y/z scale that length by 1+value."""
    return _frame(_pelkit.strain(frame, component, float(value)))
