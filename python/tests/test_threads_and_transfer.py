"""The GIL is released in long calls; results move to NumPy without copies."""
import threading
import time

import numpy as np

import pelkit
from conftest import jittered_fcc


def test_gil_is_released_during_an_analysis():
    """While voronoi runs in a worker thread, the main thread keeps executing Python bytecode.
    With the GIL held for the whole call the main thread could not run at all until it ended."""
    big = jittered_fcc(12, 3.3, seed=5)  # 6,912 atoms
    t0 = time.perf_counter()
    pelkit.voronoi(big, threads=1)
    single = time.perf_counter() - t0
    done = threading.Event()
    result = {}

    def work():
        result["v"] = pelkit.voronoi(big, threads=1)
        done.set()

    ticks = 0
    th = threading.Thread(target=work)
    th.start()
    while not done.is_set():
        ticks += 1
    th.join()
    # With the GIL released the loop spins freely (~1e6/s even on a loaded machine); holding it
    # would leave only the few switch-interval slices before and after the call.
    assert ticks > 1000, (ticks, single)
    assert np.array_equal(result["v"].volumes, pelkit.voronoi(big, threads=1).volumes)


def test_two_analyses_in_threads_run_concurrently_and_correctly(cuzr):
    """Two threads each run one voronoi, started together. With the GIL held during a call the
    two calls could only run one after the other (their time intervals would not overlap);
    released, both are inside Rust at the same time whatever the machine load. Wall times are
    printed: on an idle 2-core machine two calls take about the time of one."""
    big = jittered_fcc(12, 3.3, seed=6)  # 6,912 atoms
    ref = pelkit.voronoi(big, threads=1)
    t0 = time.perf_counter()
    pelkit.voronoi(big, threads=1)
    one = time.perf_counter() - t0
    out, spans = [None, None], [None, None]
    barrier = threading.Barrier(2)

    def work(k):
        barrier.wait()
        start = time.perf_counter()
        out[k] = pelkit.voronoi(big, threads=1)
        spans[k] = (start, time.perf_counter())

    ths = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    t0 = time.perf_counter()
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    both = time.perf_counter() - t0
    overlap = min(spans[0][1], spans[1][1]) - max(spans[0][0], spans[1][0])
    shorter = min(e - s for s, e in spans)
    print(f"\none voronoi {one:.3f} s, two in threads {both:.3f} s (ratio {both / one:.2f}), "
          f"calls overlap {overlap / shorter:.0%} of the shorter")
    assert overlap > 0.5 * shorter, spans
    for o in out:
        assert np.array_equal(o.volumes, ref.volumes)
        assert np.array_equal(o.indices, ref.indices)


def test_results_are_moved_not_copied(glass_path, cuzr):
    ev = pelkit.evaluate(pelkit.read(glass_path), cuzr[2])
    for a in (ev.forces, ev.per_atom_energy, ev.stress_atom):
        # NumPy wraps the Rust allocation: the array does not own its data, its base is the
        # Rust-side owner, and it is an ordinary writeable C-contiguous float64 array.
        assert not a.flags["OWNDATA"] and a.base is not None
        assert a.flags["C_CONTIGUOUS"] and a.flags["WRITEABLE"] and a.dtype == np.float64


def test_repeated_evaluate_reuses_memory(cuzr):
    """The import-time malloc tuning (python/src/lib.rs) keeps the kernel's large buffers in the
    process: repeated evaluations of 10,976 atoms touch few fresh pages. Untuned glibc (run with
    PELKIT_KEEP_MALLOC=1) re-faults ~1,200 pages per call here (measured), tuned ~180."""
    import os
    import resource
    import sys
    if not sys.platform.startswith("linux") or os.environ.get("PELKIT_KEEP_MALLOC"):
        import pytest
        pytest.skip("glibc malloc tuning is off (not Linux, or PELKIT_KEEP_MALLOC set)")
    assert pelkit._pelkit._malloc_tuned
    f = jittered_fcc(14, (4 / 0.058) ** (1 / 3), seed=1)
    ev = pelkit.evaluate(f, cuzr[2], threads=1)
    r0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(3):
        ev = pelkit.evaluate(f, cuzr[2], threads=1)
    per_call = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - r0) / 3
    # Bound halfway (in log) between the tuned and untuned counts measured above.
    assert per_call < 500, per_call
    assert ev.forces.shape == (len(f.ids), 3)


def test_new_bindings_release_the_gil(glass_path, cuzr):
    """probe_scan and per_atom_rdf in worker threads while the main thread runs bytecode (the
    same check as for voronoi above): every binding goes through the same GIL release."""
    f = pelkit.read(glass_path)
    calls = [lambda: pelkit.probe_scan(f, cuzr[2], [0.01, 0.03], grid=(12, 24), threads=1),
             lambda: pelkit.per_atom_rdf(f, 2.0, 10.0, 0.1, partial=True, threads=1)]
    for call in calls:
        done = threading.Event()

        def work():
            call()
            done.set()

        ticks = 0
        th = threading.Thread(target=work)
        th.start()
        while not done.is_set():
            ticks += 1
        th.join()
        assert ticks > 1000, ticks
