"""Bad input gives Python exceptions with clear messages, never a crash."""
import numpy as np
import pytest

import pelkit


@pytest.fixture
def frame(glass_path):
    return pelkit.read(glass_path)


def with_(f, **kw):
    g = f.copy()
    for k, v in kw.items():
        setattr(g, k, v)
    return g


def test_wrong_dtype_is_type_error(frame, cuzr):
    with pytest.raises(TypeError, match="positions must be a float64 array"):
        pelkit.evaluate(with_(frame, positions=frame.positions.astype(np.float32)), cuzr[2])
    with pytest.raises(TypeError, match="types must be an integer array"):
        pelkit.voronoi(with_(frame, types=frame.types.astype(float)))
    with pytest.raises(TypeError, match="must be a numpy.ndarray, got list"):
        pelkit.voronoi(with_(frame, positions=frame.positions.tolist()))


def test_wrong_shape_is_value_error(frame, cuzr):
    with pytest.raises(ValueError, match=r"positions must have shape \(N, 3\)"):
        pelkit.evaluate(with_(frame, positions=np.ascontiguousarray(frame.positions[:, :2])), cuzr[2])
    with pytest.raises(ValueError, match=r"types must have shape \(500,\)"):
        pelkit.voronoi(with_(frame, types=frame.types[:10].copy()))
    with pytest.raises(ValueError, match=r"cell must have shape \(3, 3\)"):
        pelkit.voronoi(with_(frame, cell=np.eye(2)))


def test_non_contiguous_is_value_error(frame):
    strided = np.zeros((frame.natoms, 6))[:, ::2]
    strided[:] = frame.positions
    with pytest.raises(ValueError, match="C-contiguous.*ascontiguousarray"):
        pelkit.voronoi(with_(frame, positions=strided))
    with pytest.raises(ValueError, match="C-contiguous"):
        pelkit.voronoi(with_(frame, positions=np.asfortranarray(frame.positions)))
    # The fix the message suggests works and gives the same result.
    v = pelkit.voronoi(with_(frame, positions=np.ascontiguousarray(strided)))
    assert np.array_equal(v.volumes, pelkit.voronoi(frame).volumes)


def test_bad_values_are_value_errors(frame, cuzr):
    with pytest.raises(ValueError, match="types.* start at 1"):
        pelkit.voronoi(with_(frame, types=np.zeros(frame.natoms, dtype=np.int32)))
    with pytest.raises(ValueError, match="LAMMPS form"):
        pelkit.voronoi(with_(frame, cell=np.array([[10.0, 1, 0], [0, 10, 0], [0, 0, 10]])))
    with pytest.raises(ValueError, match="degenerate"):
        pelkit.voronoi(with_(frame, cell=np.diag([10.0, 0.0, 10.0])))
    with pytest.raises(ValueError, match="cutoff"):
        pelkit.d2min(frame, frame, cutoff=100.0)
    with pytest.raises(ValueError, match="different numbers of atoms"):
        pelkit.dmin(frame, with_(frame, positions=frame.positions[:10].copy(),
                                 types=frame.types[:10].copy(), ids=frame.ids[:10].copy(),
                                 images=None))
    with pytest.raises(ValueError, match="min_style 'sd'"):
        pelkit.minimize(frame, cuzr[2], min_style="sd")
    with pytest.raises(ValueError, match="no velocities"):
        pelkit.md(frame, cuzr[2], 10)


def test_unknown_styles_and_files(tmp_path, cuzr_file):
    with pytest.raises(ValueError, match="unknown pair style 'lj/foo'"):
        pelkit.Potential("lj/foo 2.5", "1 1 1.0 1.0")
    with pytest.raises(ValueError, match="element 'Xx' is not in the potential file"):
        pelkit.Potential("eam/fs", f"* * {cuzr_file} Cu Xx")
    with pytest.raises(OSError, match="nothere.eam.fs"):
        pelkit.Potential("eam/fs", "* * nothere.eam.fs Cu Zr")
    with pytest.raises(ValueError, match="unknown units"):
        pelkit.Potential("lj/cut 2.5", "* * 1 1", units="cgs")
    with pytest.raises(OSError, match="missing.data"):
        pelkit.read(tmp_path / "missing.data")
    bad = tmp_path / "bad.data"
    bad.write_text("LAMMPS data file\n\n2 atoms\n1 atom types\n\n0 1 xlo xhi\n0 1 ylo yhi\n"
                   "0 1 zlo zhi\n\nAtoms # atomic\n\n1 1 0.1 0.1 0.1\n2 1 0.5 oops 0.5\n")
    with pytest.raises(ValueError, match=r"bad.data:\d+"):  # names the file and the line
        pelkit.read(bad)


def test_new_analyses_bad_input(frame, cuzr):
    pot = cuzr[2]
    with pytest.raises(ValueError, match=r"dr = -0.01 must be positive"):
        pelkit.probe_scan(frame, pot, -0.01, atom_ids=[int(frame.ids[0])])
    with pytest.raises(ValueError, match="atom id 99999 is not in the configuration"):
        pelkit.probe_scan(frame, pot, 0.01, atom_ids=[99999])
    with pytest.raises(TypeError, match="directions must be a float64 array"):
        pelkit.probe_energies(frame, pot, [1], np.eye(3, dtype=np.float32), 0.01)
    with pytest.raises(ValueError, match="directions line 2"):
        pelkit.probe_energies(frame, pot, [1], np.array([[1.0, 0, 0], [0.0, 0, 0]]), 0.01)
    with pytest.raises(ValueError, match="not a whole number of shells"):
        pelkit.per_atom_rdf(frame, 2.0, 6.0, 0.3)
    with pytest.raises(ValueError, match="number of bins must be at least 1"):
        pelkit.rdf(frame, 5.0, 0)
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        pelkit.fit_powerlaw([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="data points cannot determine"):
        pelkit.fit_kww([1.0, 2.0], [1.0, 0.5])
    with pytest.raises(ValueError, match="period"):
        pelkit.dms_fit(np.arange(10.0), np.zeros(10), -1.0, 0.01)
    with pytest.raises(ValueError, match="component 'xx': expected xy, xz or yz"):
        pelkit.cyclic(frame, pot, [1e-3], component="xx")
    with pytest.raises(ValueError, match="gamma"):
        pelkit.cyclic(frame, pot, "x")
    with pytest.raises(ValueError, match="temperatures must be positive"):
        pelkit.stiffness(frame, pot, -300.0)
    with pytest.raises(ValueError, match="configurations do not match"):
        pelkit.neb(frame, with_(frame, positions=frame.positions[:10].copy(),
                                types=frame.types[:10].copy(), ids=frame.ids[:10].copy(),
                                images=frame.images[:10].copy()), pot)
    with pytest.raises(ValueError, match="atom_ids: atom id 0 is not in the configuration"):
        pelkit.art(frame, pot, events=1, atom_ids=[0])
