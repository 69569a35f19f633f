"""Fits across runs: power law, KWW, cosh rate law (``pelkit fit``) and the MD-DMS sine fit
(``pelkit dms fit``). Each returns a :class:`Fit` (or :class:`OscillationFit`) holding the
numbers the CLI prints under ``"fit"`` in ``--json``, bit for bit."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .. import _pelkit


def _f64(a, name):
    return np.ascontiguousarray(a, dtype=np.float64)


@dataclass
class Fit:
    """``model``; ``parameters`` [{name, value, std_error}]; ``r_squared``; ``ssr``; ``points``;
    ``iterations``. ``fit["b"]`` is a parameter's value, ``fit.std_error("b")`` its error."""

    model: str
    parameters: List[Dict[str, Any]]
    r_squared: float
    ssr: float
    points: int
    iterations: int

    def __getitem__(self, name: str) -> float:
        for p in self.parameters:
            if p["name"] == name:
                return p["value"]
        raise KeyError(name)

    def std_error(self, name: str) -> float:
        for p in self.parameters:
            if p["name"] == name:
                return p["std_error"]
        raise KeyError(name)


@dataclass
class OscillationFit:
    """MD-DMS fit: sigma(t) = sigma0 + sigma_amplitude sin(2 pi t / period + delta); storage and
    loss moduli G' = sigma_A cos(delta)/gamma_A, G'' = sigma_A sin(delta)/gamma_A with standard
    errors, loss tangent, cycles fitted/dropped, samples, r_squared, rms_residual (all fields
    of the CLI's JSON ``fit``)."""

    values: Dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def fit_powerlaw(x: Sequence[float], y: Sequence[float]) -> Fit:
    """y = A x^b by least squares of ln y on ln x (errors as scipy.stats.linregress)."""
    return Fit(**_pelkit.fit_powerlaw(_f64(x, "x"), _f64(y, "y")))


def fit_kww(t: Sequence[float], y: Sequence[float],
            start: Optional[Sequence[float]] = None) -> Fit:
    """y = A exp[-(t/tau)^beta] by Levenberg-Marquardt (errors as scipy curve_fit)."""
    s = None if start is None else tuple(float(v) for v in start)
    return Fit(**_pelkit.fit_kww(_f64(t, "t"), _f64(y, "y"), s))


def fit_cosh(tau: Sequence[float], f: Sequence[float], kt: float) -> Fit:
    """f = kappa cosh(tau V_act / kT) (seed 001 Eq. 1), tau V_act in the units of kt."""
    return Fit(**_pelkit.fit_cosh(_f64(tau, "tau"), _f64(f, "f"), float(kt)))


def dms_fit(time: Sequence[float], stress: Sequence[float], period: float,
            strain_amplitude: float, transient_cycles: int = 1) -> OscillationFit:
    """Sine fit of a shear stress record (stress = -pxy) over whole cycles after the transient
    ones (seed 004 Eq. 5-6); moduli in the stress's units."""
    return OscillationFit(_pelkit.dms_fit(_f64(time, "time"), _f64(stress, "stress"),
                                          float(period), float(strain_amplitude),
                                          int(transient_cycles)))
