"""Files: LAMMPS data files, text dumps (plain/.gz) and EAM potential files."""
from __future__ import annotations

import os
from typing import List, Optional, Sequence, Union

from . import _pelkit
from ._frame import Frame, _frame

PathLike = Union[str, "os.PathLike[str]"]


def read(path: PathLike, frame: Optional[int] = None) -> Frame:
    """Read a data file, or frame ``frame`` (0-based, default the last) of a dump.

    Dump columns other than id/type/coordinates/images/velocities/q go to ``Frame.columns``.
    Raises OSError (cannot open) or ValueError (bad content; the message names file and line).
    """
    return _frame(_pelkit.read(os.fspath(path), frame))


def read_dump(path: PathLike) -> List[Frame]:
    """Every complete frame of a dump (parsed in parallel), with all columns."""
    return [_frame(d) for d in _pelkit.read_dump(os.fspath(path))]


def write_data(path: PathLike, frame: Frame) -> None:
    """Write a LAMMPS data file (atomic, or charge when the frame has charges)."""
    _pelkit.write_data(os.fspath(path), frame)


def write_dump(path: PathLike, frames: Union[Frame, Sequence[Frame]]) -> None:
    """Write a text dump sorted by id (gzip for .gz): id type x y z ix iy iz [vx vy vz] [q]
    and each frame's ``columns``."""
    if isinstance(frames, Frame):
        frames = [frames]
    _pelkit.write_dump(os.fspath(path), list(frames))


def read_eam(path: PathLike) -> dict:
    """Every number of an EAM file (funcfl, setfl or Finnis-Sinclair, found from the content):
    pair_style, elements, masses, nrho/drho/nr/dr/cutoff, frho (nel, nrho), rhor (list of
    (ntables, nr)), z2r (npairs, nr) for setfl/fs; zr for funcfl."""
    return _pelkit.read_eam(os.fspath(path))


def write_eam(path: PathLike, eam: dict) -> None:
    """Write a dict as read_eam returns it; read -> write -> read is exact."""
    _pelkit.write_eam(os.fspath(path), eam)
