"""Each function equals the CLI on the same input, bit for bit: the CLI's per-atom dump or data
file (exact round-trip decimals) is read back and compared with the arrays pelkit returns."""
import numpy as np
import pytest

import pelkit
from conftest import run_cli

KA = ("lj/cut 2.5", ["1 1 1.0 1.0 2.5", "1 2 1.5 0.8 2.0", "2 2 0.5 0.88 2.2"], ["shift yes"])


def by_id(frame, values):
    return np.asarray(values)[np.argsort(frame.ids, kind="stable")]


def pair_args(style, coeffs, modify=()):
    args = ["--pair-style", style]
    for c in ([coeffs] if isinstance(coeffs, str) else coeffs):
        args += ["--pair-coeff", c]
    for m in modify:
        args += ["--pair-modify", m]
    return args


def test_evaluate_equals_cli_eval(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    ev = pelkit.evaluate(f, pot)
    out = tmp_path / "eval.dump"
    js = run_cli(pelkit_bin, "eval", glass_path, *pair_args(style, coeff), "-o", out, "--json",
                 json_out=True)
    cli = pelkit.read(out).columns
    assert ev.energy == js["pe"] and ev.pressure.tolist() == js["pressure"]
    for k, name in enumerate(["fx", "fy", "fz"]):
        assert np.array_equal(by_id(f, ev.forces[:, k]), cli[name])
    assert np.array_equal(by_id(f, ev.per_atom_energy), cli["pe"])
    for k, name in enumerate(["sxx", "syy", "szz", "sxy", "sxz", "syz"]):
        assert np.array_equal(by_id(f, ev.stress_atom[:, k]), cli[name])
    # Exact identity: per-atom energies sum to the total (same order of summation is not
    # guaranteed, so to round-off: 1e-12 relative).
    assert ev.per_atom_energy.sum() == pytest.approx(ev.energy, rel=1e-12)


def test_evaluate_lj_with_pair_modify_equals_cli(glass_path, pelkit_bin, tmp_path):
    # Cu-Zr coordinates rescaled to LJ size: a dense two-type LJ liquid-like configuration.
    f = pelkit.read(glass_path)
    s = 1.0 / 2.6
    lj = pelkit.Frame(positions=f.positions * s, types=f.types, ids=f.ids, cell=f.cell * s,
                      masses=np.array([1.0, 1.0]))
    p = tmp_path / "ka.data"
    pelkit.write_data(p, lj)
    style, coeffs, modify = KA
    ev = pelkit.evaluate(pelkit.read(p), pelkit.Potential(style, coeffs, pair_modify=modify))
    out = tmp_path / "ka.dump"
    run_cli(pelkit_bin, "eval", p, *pair_args(style, coeffs, modify), "-o", out)
    cli = pelkit.read(out).columns
    assert np.array_equal(by_id(lj, ev.forces[:, 0]), cli["fx"])
    assert np.array_equal(by_id(lj, ev.per_atom_energy), cli["pe"])


def test_minimize_after_shear_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    sheared = pelkit.strain(f, "xy", 0.01)
    m, s = pelkit.minimize(sheared, pot, ftol=1e-10)
    out = tmp_path / "min.data"
    js = run_cli(pelkit_bin, "minimize", glass_path, *pair_args(style, coeff), "--shear",
                 "xy=0.01", "--ftol", "1e-10", "-o", out, "--json", json_out=True)
    cli = pelkit.read(out)
    assert np.array_equal(m.positions, cli.positions)
    assert np.array_equal(m.cell, cli.cell) and np.array_equal(m.images, cli.images)
    assert (s.pe_final, s.iterations, s.stop) == (js["pe_final"], js["iterations"], js["stop"])


def test_fire_with_min_modify_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    m, s = pelkit.minimize(pelkit.read(glass_path), pot, min_style="fire", ftol=1e-6,
                           min_modify="integrator verlet")
    out = tmp_path / "fire.data"
    js = run_cli(pelkit_bin, "minimize", glass_path, *pair_args(style, coeff), "--min-style",
                 "fire", "--ftol", "1e-6", "--min-modify", "integrator verlet", "-o", out,
                 "--json", json_out=True)
    assert np.array_equal(m.positions, pelkit.read(out).positions)
    assert s.force_evaluations == js["force_evaluations"]


def test_md_nvt_wiggle_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f, samples = pelkit.md(pelkit.read(glass_path), pot, 40, temp=300, nvt=(300, 300, 0.1),
                           wiggle=("xy", 0.02, 0.02), thermo=10)
    out = tmp_path / "md.data"
    js = run_cli(pelkit_bin, "md", glass_path, *pair_args(style, coeff), "--steps", 40, "--temp",
                 300, "--nvt", "300 300 0.1", "--wiggle", "xy 0.02 0.02", "--thermo", 10, "-o",
                 out, "--json", "--quiet", json_out=True)
    cli = pelkit.read(out)
    assert np.array_equal(f.positions, cli.positions)
    assert np.array_equal(f.velocities, cli.velocities)
    assert np.array_equal(f.cell, cli.cell)
    assert samples["pe"].tolist() == [x["pe"] for x in js["samples"]]
    assert samples["temperature"].tolist() == [x["temperature"] for x in js["samples"]]


def test_quench_equals_cli(cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    g, rep = pelkit.quench(pot, 2000, 300, 60, atoms=[60, 60], density=0.058, melt_steps=30,
                           ftol=1e-6)
    out = tmp_path / "q.data"
    js = run_cli(pelkit_bin, "quench", "--atoms", "60,60", "--density", 0.058,
                 *pair_args(style, coeff), "--tmelt", 2000, "--tfinal", 300, "--melt-steps", 30,
                 "--quench-steps", 60, "--ftol", "1e-6", "-o", out, "--json", "--quiet",
                 json_out=True)
    assert np.array_equal(g.positions, pelkit.read(out).positions)
    assert rep["minimize"]["pe_final"] == js["pe_final"]
    assert rep["cooling_rate"] == js["cooling_rate"]


def test_voronoi_equals_cli(glass_path, pelkit_bin, tmp_path):
    f = pelkit.read(glass_path)
    v = pelkit.voronoi(f, edge_threshold=0.1, relative_face_threshold=0.01,
                       type_radii=[1.28, 1.60])
    out = tmp_path / "v.dump"
    run_cli(pelkit_bin, "voronoi", glass_path, "--edge-threshold", 0.1,
            "--relative-face-threshold", 0.01, "--radii", "1:1.28,2:1.60", "-o", out)
    cli = pelkit.read(out).columns
    assert np.array_equal(by_id(f, v.volumes), cli["volume"])
    assert np.array_equal(by_id(f, v.coordination), cli["nfaces"])
    for k in range(3, v.indices.shape[1]):
        assert np.array_equal(by_id(f, v.indices[:, k]), cli[f"n{k}"])
    # Exact identity: cells tile the box (to round-off of the volume sum).
    assert v.volumes.sum() == pytest.approx(f.volume, rel=1e-12)


def test_atomic_stress_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    a = pelkit.atomic_stress(f, pot)
    out = tmp_path / "s.dump"
    js = run_cli(pelkit_bin, "stress", glass_path, *pair_args(style, coeff), "-o", out, "--json",
                 json_out=True)
    cli = pelkit.read(out).columns
    assert np.array_equal(by_id(f, a.pressure), cli["p"])
    assert np.array_equal(by_id(f, a.von_mises), cli["vm"])
    assert np.array_equal(by_id(f, -a.sigma[:, 3]), cli["pxy"])
    assert np.array_equal(by_id(f, a.volumes), cli["volume"])
    assert a.pressure_tensor == js["pressure"]


def test_dmin_and_d2min_equal_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    ref = pelkit.read(glass_path)
    hot, _ = pelkit.md(ref, pot, 30, temp=1500, thermo=30)
    cur, _ = pelkit.minimize(hot, pot, ftol=1e-8)
    cur_path = tmp_path / "cur.data"
    pelkit.write_data(cur_path, cur)
    cur = pelkit.read(cur_path)
    d = pelkit.dmin(ref, cur)
    js = run_cli(pelkit_bin, "dmin", glass_path, cur_path, "--json", json_out=True)
    assert (d.dmin, d.rmsd, d.reassigned) == (js["dmin"], js["rmsd"], js["reassigned"])
    assert d.optimality_certified and d.dmin <= d.rmsd
    sheared, _ = pelkit.minimize(pelkit.strain(ref, "xy", 0.05), pot, ftol=1e-8)
    sh_path = tmp_path / "sh.data"
    pelkit.write_data(sh_path, sheared)
    r = pelkit.d2min(ref, pelkit.read(sh_path), 4.0)
    out = tmp_path / "d2.dump"
    run_cli(pelkit_bin, "d2min", glass_path, sh_path, "--cutoff", 4.0, "-o", out)
    cli = pelkit.read(out)
    assert np.array_equal(r.ids, cli.ids)  # both ascending id
    for name in ("d2min", "d2min_mean", "shear_strain", "volumetric_strain"):
        assert np.array_equal(getattr(r, name), cli.columns[name]), name
