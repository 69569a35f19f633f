"""Files: pelkit.read/write against the CLI's reader/writer, exact round trips, EAM files
against ASE's reader."""
import numpy as np
import pytest

import pelkit
from conftest import run_cli


def assert_same_frame(a, b):
    for name in ("ids", "types", "positions", "images", "cell", "origin"):
        x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        assert x.dtype == y.dtype and np.array_equal(x, y), name  # bitwise: exact decimal I/O
    assert a.pbc == b.pbc and a.triclinic == b.triclinic


def test_data_round_trip_is_bitwise(glass_path, tmp_path):
    f = pelkit.read(glass_path)
    assert f.natoms == 500 and f.positions.shape == (500, 3) and f.positions.dtype == np.float64
    assert f.masses.tolist() == pytest.approx([63.546, 91.224])  # the EAM file's masses
    out = tmp_path / "again.data"
    pelkit.write_data(out, f)
    assert_same_frame(f, pelkit.read(out))
    assert f._box_hi == pelkit.read(out)._box_hi


def test_dump_written_by_cli_reads_like_the_data_file(glass_path, pelkit_bin, tmp_path):
    dump = tmp_path / "g.dump.gz"
    run_cli(pelkit_bin, "convert", glass_path, dump)
    d = pelkit.read(dump)
    f = pelkit.read(glass_path).sorted_by_id()  # dumps are sorted by id
    assert_same_frame(f, d)


def test_write_dump_round_trip_with_extra_columns(glass_path, tmp_path):
    f = pelkit.read(glass_path)
    f.columns["c_pe"] = np.linspace(-1, 1, f.natoms)
    frames = [f, pelkit.strain(f, "xy", 0.01)]
    frames[1].columns["c_pe"] = f.columns["c_pe"] * 2
    frames[1].timestep = 10
    out = tmp_path / "t.dump"
    pelkit.write_dump(out, frames)
    back = pelkit.read_dump(out)
    assert [b.timestep for b in back] == [0, 10]
    for orig, b in zip(frames, back):
        s = orig.sorted_by_id()
        assert np.array_equal(s.positions, b.positions)
        assert np.array_equal(s.columns["c_pe"], b.columns["c_pe"])
        assert np.array_equal(s.cell, b.cell)
    assert pelkit.read(out, frame=0).timestep == 0


def test_eam_file_equals_ase_reader_and_round_trips(cuzr_file, tmp_path):
    eam = pelkit.read_eam(cuzr_file)
    assert eam["pair_style"] == "eam/fs" and eam["elements"] == ["Cu", "Zr"]
    from ase.calculators.eam import EAM
    ase_eam = EAM(potential=cuzr_file)  # ASE's own parser of the same file: an independent reader
    assert np.array_equal(eam["frho"], np.asarray(ase_eam.embedded_data))
    assert np.array_equal(np.asarray(eam["rhor"]), np.asarray(ase_eam.density_data))
    out = tmp_path / "again.eam.fs"
    pelkit.write_eam(out, eam)
    again = pelkit.read_eam(out)
    for k in ("frho", "z2r"):
        assert np.array_equal(eam[k], again[k])
    assert all(np.array_equal(a, b) for a, b in zip(eam["rhor"], again["rhor"]))
