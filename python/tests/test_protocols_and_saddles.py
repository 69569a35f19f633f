"""Cyclic loading (seed 000), ART nouveau and NEB (seed 001) from Python equal the CLI on the
same input: scalars against --json (exact), configurations against the data files the CLI
writes (round-trip decimals, compared bit for bit)."""
import numpy as np
import pytest

import pelkit
from conftest import run_cli
from test_library_vs_cli import pair_args


def test_cyclic_equals_cli(glass_path, cuzr, pelkit_bin):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    c = pelkit.cyclic(f, pot, [1e-3, 3e-2], ftol=1e-8)
    js = run_cli(pelkit_bin, "cyclic", glass_path, *pair_args(style, coeff), "--gamma",
                 "1e-3,3e-2", "--ftol", "1e-8", "--json", "--quiet", json_out=True)
    sample = js["samples"][0]
    assert c.initial["energy"] == sample["energy_initial"]
    assert c.initial["rms_sigma_initial"] == sample["rms_sigma_initial"]
    assert c.cage_breaking_strain == sample["gamma_cb"]
    keys = ["delta", "rms_dsigma", "fwhm", "theta", "top_atoms", "top_changed",
            "changed_indices", "delta_energy", "energy_final", "max_displacement",
            "labelled_dmin", "is_dmin"]
    assert len(c.points) == len(sample["points"]) == 2
    for p, row in zip(c.points, sample["points"]):
        assert p["status"] == row["status"] == "ok" and p["gamma"] == row["gamma"]
        assert {k: p[k] for k in keys} == {k: row[k] for k in keys}
        assert p["load"]["iterations"] == row["load_iterations"]
        assert p["unload"]["stop"] == row["unload_stop"]
        # Exact identities: delta = RMS(dsigma)/RMS(sigma_ini) from the returned arrays (to
        # round-off of the two sums), and the exact IS D_min never exceeds the labelled one
        # (to round-off: the two sum the same squares in different orders).
        rms = lambda v: np.sqrt(np.mean(np.square(v)))  # noqa: E731
        assert p["delta"] == pytest.approx(rms(p["dsigma"]) / rms(c.initial["sigma"]), rel=1e-12)
        assert p["is_dmin"] <= p["labelled_dmin"] * (1 + 1e-12)
    # Physics: a 0.1 % cycle is elastic (returns to the same minimum; delta is round-off of
    # the 1e-8 force tolerance), a 3 % cycle leaves the cage.
    assert c.points[0]["delta"] < 1e-5 and not c.points[0]["theta"]
    assert c.points[1]["delta"] > 0.1


def test_art_and_neb_equal_cli(glass_path, cuzr, pelkit_bin, tmp_path):
    style, coeff, pot = cuzr
    f = pelkit.read(glass_path)
    atom = int(np.sort(f.ids)[0])
    # The first seed whose event converges (ARTn's −1 eV/Å² basin exit leaves some pushes
    # unconverged on this small glass): the comparison needs a found saddle.
    for seed in range(3, 23):
        a = pelkit.art(f, pot, events=1, atom_ids=[atom], seed=seed)
        if a.events[0]["status"] == "found":
            break
    d = tmp_path / "events"
    csv = tmp_path / "events.csv"
    js = run_cli(pelkit_bin, "art", glass_path, *pair_args(style, coeff), "--events", "1",
                 "--atoms", atom, "--seed", seed, "--save-dir", d, "-o", csv, "--json", "--quiet",
                 json_out=True)
    ev = a.events[0]
    assert js["found"] == (ev["status"] == "found") == 1
    assert js["mean_e_a"] == ev["e_a"] and js["force_evaluations"] == ev["force_evaluations"]
    init = pelkit.read(d / "initial.data")
    assert np.array_equal(a.initial.positions, init.positions)
    for name, key in (("saddle_0.data", "saddle"), ("final_0.data", "final")):
        cli = pelkit.read(d / name)
        assert np.array_equal(ev[key].positions, cli.positions)
        assert np.array_equal(ev[key].images, cli.images)
    row = csv.read_text().splitlines()[1].split(",")
    assert row[2] == ev["status"] and row[6] == f"{ev['e_a']:.10f}"
    # Identity: E_A = E_saddle - E_initial; the saddle has one negative curvature.
    assert ev["e_a"] == ev["e_saddle"] - ev["e_initial"] and ev["lambda_saddle"] < 0

    # NEB between the relaxed start and the event's final minimum (a short band: 60 FIRE
    # iterations, enough to compare every number; convergence is the library's own test).
    n = pelkit.neb(a.initial, ev["final"], pot, images=5, max_iter=60)
    out = tmp_path / "band"
    js = run_cli(pelkit_bin, "neb", d / "initial.data", d / "final_0.data",
                 *pair_args(style, coeff), "--images", "5", "--max-iter", "60", "--save-dir", out,
                 "--json", json_out=True)
    assert n.energies.tolist() == js["energies"]
    assert n.reaction_coordinate.tolist() == js["reaction_coordinate"]
    assert (n.iterations, n.converged, n.max_image_force) == (js["iterations"], js["converged"],
                                                             js["max_image_force"])
    assert n.path["tortuosity"] == js["tortuosity"]
    for k, img in enumerate(n.images):
        assert np.array_equal(img.positions, pelkit.read(out / f"image_{k}.data").positions)
    # Identities: EBF = max E - E_first; end points are not moved.
    assert n.barrier_forward == n.energies.max() - n.energies[0]
    assert np.array_equal(n.images[0].positions, a.initial.positions)
