"""Analyses, one module each (a thin wrapper over one Rust file in python/src/analysis/)."""
from .atomic_stress import AtomicStress, atomic_stress
from .cyclic import Cyclic, cyclic
from .d2min import D2min, d2min
from .dmin import Dmin, dmin
from .fit import Fit, OscillationFit, dms_fit, fit_cosh, fit_kww, fit_powerlaw
from .probe import ProbeEnergies, ProbeScan, probe_energies, probe_scan
from .rdf import PerAtomRdf, Rdf, per_atom_rdf, rdf, structure_factor
from .stiffness import Stiffness, stiffness, stiffness_from_positions
from .voronoi import Voronoi, voronoi

__all__ = ["AtomicStress", "atomic_stress", "D2min", "d2min", "Dmin", "dmin", "Voronoi", "voronoi",
           "Fit", "OscillationFit", "dms_fit", "fit_cosh", "fit_kww", "fit_powerlaw",
           "ProbeEnergies", "ProbeScan", "probe_energies", "probe_scan", "PerAtomRdf", "Rdf",
           "per_atom_rdf", "rdf", "structure_factor", "Stiffness", "stiffness",
           "stiffness_from_positions", "Cyclic", "cyclic"]
