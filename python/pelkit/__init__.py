"""pelkit: potential-energy-landscape toolkit for glasses simulated with LAMMPS, from Python.

Frames are NumPy arrays (:class:`Frame`); every function calls the Rust library directly with
the GIL released. Layout: ``pelkit.io`` (files), ``pelkit.potential`` (potentials,
``evaluate``), ``pelkit.engine`` (``minimize``, ``md``, ``quench``, ``strain``),
``pelkit.analysis`` (one module per analysis), ``pelkit.interop`` (ASE, OVITO, LAMMPS).
"""
from . import _pelkit
from ._frame import Frame
from .analysis import (AtomicStress, D2min, Dmin, Voronoi, atomic_stress, d2min, dmin,
                       voronoi)
from .analysis import Cyclic, cyclic
from .analysis import (Fit, OscillationFit, PerAtomRdf, ProbeEnergies, ProbeScan, Rdf, Stiffness,
                       dms_fit, fit_cosh, fit_kww, fit_powerlaw, per_atom_rdf, probe_energies,
                       probe_scan, rdf, stiffness, stiffness_from_positions, structure_factor)
from .engine import MinimizeResult, md, minimize, quench, strain
from .interop import from_ase, from_lammps, from_ovito, to_ase
from .io import read, read_dump, read_eam, write_data, write_dump, write_eam
from .potential import Evaluation, Potential, evaluate
from .saddle import ArtResult, NebResult, art, neb

__version__ = _pelkit.__version__

__all__ = [
    "Frame", "read", "read_dump", "write_data", "write_dump", "read_eam", "write_eam",
    "Potential", "Evaluation", "evaluate", "MinimizeResult", "minimize", "md", "quench",
    "strain", "Voronoi", "voronoi", "AtomicStress", "atomic_stress", "Dmin", "dmin", "D2min",
    "d2min", "ProbeScan", "probe_scan", "ProbeEnergies", "probe_energies", "Rdf", "rdf",
    "PerAtomRdf", "per_atom_rdf", "structure_factor", "Fit", "fit_powerlaw", "fit_kww",
    "fit_cosh", "OscillationFit", "dms_fit", "Stiffness", "stiffness", "stiffness_from_positions",
    "Cyclic", "cyclic", "ArtResult", "art", "NebResult", "neb", "from_ase", "to_ase",
    "from_ovito", "from_lammps",
]
