"""The analyses added after the first release (probes, RDF, fits, DMS fit, stiffness) equal the
CLI on the same input: per-atom arrays bit for bit against the CLI's dump (exact round-trip
decimals), scalars against its --json (serde_json floats round-trip exactly)."""
import numpy as np
import pytest

import pelkit
from conftest import run_cli
from test_library_vs_cli import pair_args


class _Dump:
    """The last frame of a text dump as columns (Python's float() reads the CLI's round-trip
    decimals exactly); works for dumps without coordinates (pelkit probe -o)."""

    def __init__(self, path):
        lines = open(path).read().splitlines()
        k = max(i for i, line in enumerate(lines) if line.startswith("ITEM: ATOMS"))
        names = lines[k].split()[2:]
        rows = [line.split() for line in lines[k + 1:] if line.strip()]
        self.columns = {n: np.array([float(r[j]) for r in rows]) for j, n in enumerate(names)}
        self.ids = self.columns["id"].astype(np.int64)


def by_id(ids, values):
    return np.asarray(values)[np.argsort(ids, kind="stable")]


def test_probe_scan_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    scan = pelkit.probe_scan(f, pot, [0.005, 0.02], grid=(6, 12), system=True)
    out = tmp_path / "probe.dump"
    js = run_cli(pelkit_bin, "probe", glass_path, *pair_args(style, coeff), "--all", "--dr",
                 "0.005,0.02", "--grid", "6x12", "--system", "-o", out, "--json", "-q",
                 json_out=True)
    cli = _Dump(out)
    assert np.array_equal(scan.ids, np.sort(f.ids)) and np.array_equal(scan.ids, cli.ids)
    assert js["omega_dr"] == 0.005  # the dump's omega column is at the dr closest to 0.01
    assert np.array_equal(scan.omega[:, 0], cli.columns["omega"])
    assert np.array_equal(scan.de_atom_min_all, cli.columns["dEatom_min"])
    assert np.array_equal(scan.dr_min, cli.columns["dr_min"])
    for k, d in enumerate(js["per_dr"]):
        assert d["dr"] == scan.dr[k]
        assert d["dEatom_min_min"] == scan.de_atom_min[:, k].min()
        assert d["dEsys_min_min"] == scan.de_sys_min[:, k].min()
        assert d["negative_fraction_by_direction"]["max"] == scan.negative[k].max() / len(f.ids)
    # Exact identity of the solid-angle weights of a full grid: they sum to 4 pi (to round-off).
    assert scan.weights.sum() == pytest.approx(4 * np.pi, rel=1e-12)
    assert scan.negative.shape == (2, 72) and scan.omega.shape == (len(f.ids), 2)


def test_probe_energies_equal_cli_explicit_probes(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    dirs = np.array([[1.0, 0.0, 0.0], [0.3, -0.4, 0.5], [-1.0, 2.0, 2.0]])
    path = tmp_path / "dirs.txt"
    path.write_text("".join(f"{float(x)!r} {float(y)!r} {float(z)!r}\n" for x, y, z in dirs))
    ids = [int(f.ids[3]), int(f.ids[17])]
    js = run_cli(pelkit_bin, "probe", glass_path, *pair_args(style, coeff), "--atom-ids",
                 ",".join(map(str, ids)), "--directions", path, "--dr", "0.01,0.03", "--json",
                 "-q", json_out=True)
    e = pelkit.probe_energies(f, pot, ids, dirs, [0.01, 0.03])
    assert e.de_atom.shape == (2, 3, 2)
    assert [p["dE_atom"] for p in js["probes"]] == e.de_atom.ravel().tolist()
    assert [p["dE_sys"] for p in js["probes"]] == e.de_sys.ravel().tolist()
    assert [p["id"] for p in js["probes"]] == [i for i in ids for _ in range(6)]
    # Independent check: dE_sys equals the difference of two full evaluations (1e-9 eV: the
    # local kernel sums only the changed terms, the full one sums ~500 atoms' energies).
    moved = pelkit.Frame(**{**f.__dict__, "positions": f.positions.copy()})
    i = int(np.flatnonzero(f.ids == ids[0])[0])
    n = dirs[1] / np.linalg.norm(dirs[1])
    moved.positions[i] += 0.03 * n
    de = pelkit.evaluate(moved, pot).energy - pelkit.evaluate(f, pot).energy
    assert e.de_sys[0, 1, 1] == pytest.approx(de, abs=1e-9)


def test_rdf_and_per_atom_descriptors_equal_cli(glass_path, pelkit_bin, tmp_path):
    f = pelkit.read(glass_path)
    g = pelkit.rdf(f, cutoff=6.0, bins=60)
    out = tmp_path / "features.dump"
    js = run_cli(pelkit_bin, "rdf", glass_path, "--cutoff", "6", "--bins", "60", "--per-atom",
                 "--partial", "--r-min", "2", "--r-max", "6", "--dr", "0.5", "--sq", "12:40",
                 "-o", out, "--json", json_out=True)
    assert g.r.tolist() == js["r"] and g.total.tolist() == js["total"]
    assert {k: v.tolist() for k, v in g.partial.items()} == js["partial"]
    assert g.density == js["density"]
    q = np.array(js["q"])
    assert g.structure_factor(q).tolist() == js["sq"]
    per = pelkit.per_atom_rdf(f, 2.0, 6.0, 0.5, partial=True)
    assert per.values.shape == (len(f.ids), js["per_atom_features"])
    cli = _Dump(out)
    for k, name in enumerate(per.names):
        assert np.array_equal(by_id(f.ids, per.values[:, k]), by_id(cli.ids, cli.columns[name]))
    # Exact identity (module doc): the mean of g_i over atoms is g(r) on the same shells.
    whole = pelkit.per_atom_rdf(f, 2.0, 6.0, 0.5)
    ref = pelkit.rdf(f, cutoff=6.0, bins=12)
    assert np.allclose(whole.values.mean(axis=0), ref.total[4:], rtol=1e-12)


def _table(path, header, cols):
    lines = [" ".join(header)] + [" ".join(repr(float(v)) for v in row) for row in zip(*cols)]
    path.write_text("\n".join(lines) + "\n")


def test_fits_equal_cli(pelkit_bin, tmp_path):
    rng = np.random.default_rng(5)
    x = np.geomspace(0.01, 3.0, 12)
    y = 0.7 * x ** 0.45 * np.exp(rng.normal(0, 0.05, x.size))
    t = np.geomspace(0.1, 100, 25)
    k = 0.9 * np.exp(-(t / 7.0) ** 0.6) + rng.normal(0, 0.005, t.size)
    tau = np.linspace(0.0, 2.0, 15)
    rate = 3.0 * np.cosh(tau * 1.7 / 0.5) * np.exp(rng.normal(0, 0.02, tau.size))
    path = tmp_path / "powerlaw.txt"
    _table(path, ["x", "y"], [x, y])
    js = run_cli(pelkit_bin, "fit", "powerlaw", path, "--x", "x", "--y", "y", "--json",
                 json_out=True)
    assert pelkit.fit_powerlaw(x, y).__dict__ == js["fit"]
    path = tmp_path / "kww.txt"
    _table(path, ["t", "k"], [t, k])
    js = run_cli(pelkit_bin, "fit", "kww", path, "--x", "t", "--y", "k", "--json", json_out=True)
    kww = pelkit.fit_kww(t, k)
    assert kww.__dict__ == js["fit"]
    # Independent: the fitted beta recovers the generating 0.6 within its noise (0.05).
    assert abs(kww["beta"] - 0.6) < 0.05
    path2 = tmp_path / "rate.txt"
    _table(path2, ["tau", "rate"], [tau, rate])
    js = run_cli(pelkit_bin, "fit", "cosh", path2, "--x", "tau", "--y", "rate", "--kt", "0.5",
                 "--json", json_out=True)
    assert pelkit.fit_cosh(tau, rate, 0.5).__dict__ == js["fit"]


def test_dms_fit_equals_cli_and_recovers_moduli(pelkit_bin, tmp_path):
    dt, period, amp = 0.005, 10.0, 0.012
    steps = np.arange(0, 12001, 10, dtype=float)
    time = steps * dt
    rng = np.random.default_rng(2)
    g1, g2 = 20.0, 5.0   # sigma = gamma_A (G' sin wt + G'' cos wt)
    w = 2 * np.pi / period
    sigma = 0.3 + amp * (g1 * np.sin(w * time) + g2 * np.cos(w * time)) + rng.normal(0, 1e-3,
                                                                                       time.size)
    path = tmp_path / "pxy.txt"
    _table(path, ["Step", "pxy"], [steps, -sigma])
    js = run_cli(pelkit_bin, "dms", "fit", path, "--period", period, "--amplitude", amp,
                 "--timestep", dt, "--column", "pxy", "--start-step", "0", "--json",
                 json_out=True)
    fit = pelkit.dms_fit((steps - 0.0) * dt, -(-sigma), period, amp)
    assert fit.values == js["fit"]
    # Independent: the exact linear least squares recovers G', G'' to the noise (1e-3/amp/30).
    assert fit.storage_modulus == pytest.approx(g1, abs=0.05)
    assert fit.loss_modulus == pytest.approx(g2, abs=0.05)


def test_stiffness_equals_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    res = pelkit.stiffness(f, pot, [300.0, 600.0], time=0.2, equilibrate=0.05, sample_every=10)
    out = tmp_path / "k.dump"
    js = run_cli(pelkit_bin, "stiffness", glass_path, *pair_args(style, coeff), "--temp",
                 "300,600", "--time", "0.2", "--equilibrate", "0.05", "--sample-every", "10",
                 "-o", out, "--json", "--quiet", json_out=True)
    cli = _Dump(out)
    assert np.array_equal(by_id(f.ids, res.mean_stiffness), by_id(cli.ids, cli.columns["K"]))
    for r, jr in zip(res.runs, js["runs"]):
        t = f"{r['temperature']:g}"
        assert np.array_equal(by_id(f.ids, r["msd"]), by_id(cli.ids, cli.columns[f"msd_{t}"]))
        assert np.array_equal(by_id(f.ids, r["stiffness"]), by_id(cli.ids, cli.columns[f"K_{t}"]))
        assert (r["measured_temperature"], r["frames"]) == (jr["measured_temperature"],
                                                          jr["frames"])
    # Exact identity: K_i * msd_i = k_B T.
    r = res.runs[0]
    assert np.allclose(r["stiffness"] * r["msd"], 8.617343e-5 * 300.0, rtol=1e-12)


def test_stiffness_from_positions_is_the_msd_estimator():
    rng = np.random.default_rng(0)
    base = rng.uniform(0, 10, (20, 3))
    frames = [base + rng.normal(0, 0.1, base.shape) for _ in range(50)]
    d = pelkit.stiffness_from_positions(frames, 300.0)
    x = np.array(frames)
    x -= x.mean(axis=1, keepdims=True)          # equal-weight centre removed per frame
    msd = ((x - x.mean(axis=0)) ** 2).sum(axis=2).mean(axis=0)
    assert np.allclose(d["msd"], msd, rtol=1e-10)
    assert np.allclose(d["stiffness"], 8.617343e-5 * 300 / msd, rtol=1e-10)
