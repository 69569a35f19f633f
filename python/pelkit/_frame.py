"""`Frame`: one atomic configuration as NumPy arrays (the object every pelkit function takes)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional

import numpy as np


@dataclass
class Frame:
    """One configuration, LAMMPS conventions, atoms in file order.

    * ``ids`` (N,) int64, ``types`` (N,) int32 (1..ntypes), ``positions`` (N, 3) float64
      (wrapped, as LAMMPS stores them), ``images`` (N, 3) int32 image flags;
    * ``cell`` (3, 3): edge vectors a, b, c as rows in LAMMPS form a = (lx, 0, 0),
      b = (xy, ly, 0), c = (xz, yz, lz); ``origin`` (3,) = (xlo, ylo, zlo); ``pbc`` (3,) bools;
      ``triclinic``: written with tilts even when they are zero;
    * ``velocities`` (N, 3) or None, ``charges`` (N,) or None, ``masses`` (ntypes,) per type
      (NaN = unset), ``ntypes``;
    * ``columns``: every other per-atom dump column, name -> (N,) float64;
    * ``timestep``.
    """

    positions: np.ndarray
    types: np.ndarray
    cell: np.ndarray
    origin: np.ndarray = field(default_factory=lambda: np.zeros(3))
    ids: Optional[np.ndarray] = None
    pbc: tuple = (True, True, True)
    triclinic: bool = False
    images: Optional[np.ndarray] = None
    velocities: Optional[np.ndarray] = None
    charges: Optional[np.ndarray] = None
    masses: Optional[np.ndarray] = None
    ntypes: Optional[int] = None
    columns: Dict[str, np.ndarray] = field(default_factory=dict)
    timestep: int = 0
    # boxhi as read from a file: keeps xhi/yhi/zhi bit-exact when the cell is unchanged.
    _box_hi: Optional[list] = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.ids is None:
            self.ids = np.arange(1, len(self.positions) + 1, dtype=np.int64)
        self.pbc = tuple(bool(p) for p in self.pbc)

    @property
    def natoms(self) -> int:
        return len(self.positions)

    @property
    def volume(self) -> float:
        c = np.asarray(self.cell)
        return float(c[0, 0] * c[1, 1] * c[2, 2])

    def copy(self) -> "Frame":
        """A deep copy (arrays copied)."""
        def cp(v):
            return v.copy() if isinstance(v, np.ndarray) else v
        return Frame(**{k: cp(getattr(self, k)) for k in self.__dataclass_fields__ if k != "columns"},
                     columns={k: v.copy() for k, v in self.columns.items()})

    def sorted_by_id(self) -> "Frame":
        """The same frame with atoms in ascending id order (the order of pelkit's dumps)."""
        order = np.argsort(self.ids, kind="stable")
        f = self.copy()
        for name in ("ids", "types", "positions", "images", "velocities", "charges"):
            v = getattr(f, name)
            if v is not None:
                setattr(f, name, np.ascontiguousarray(v[order]))
        f.columns = {k: np.ascontiguousarray(v[order]) for k, v in f.columns.items()}
        return f


def _frame(d: dict) -> Frame:
    return Frame(**d)
