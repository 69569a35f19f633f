"""Analyses, one module each (a thin wrapper over one Rust file in python/src/analysis/)."""
from .atomic_stress import AtomicStress, atomic_stress
from .d2min import D2min, d2min
from .dmin import Dmin, dmin
from .voronoi import Voronoi, voronoi

__all__ = ["AtomicStress", "atomic_stress", "D2min", "d2min", "Dmin", "dmin", "Voronoi", "voronoi"]
