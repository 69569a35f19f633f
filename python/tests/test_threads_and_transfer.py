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


def test_two_analyses_in_threads_run_concurrently_and_correctly(glass_path, cuzr):
    big = jittered_fcc(12, 3.3, seed=6)
    t0 = time.perf_counter()
    ref_v = pelkit.voronoi(big, threads=1)
    ref_e = pelkit.evaluate(big, cuzr[2], threads=1)
    one = time.perf_counter() - t0
    ratios = []
    for _ in range(3):  # best of 3: other jobs share the 2 cores of the test machine
        out = {}
        ths = [threading.Thread(target=lambda: out.__setitem__("v", pelkit.voronoi(big, threads=1))),
               threading.Thread(target=lambda: out.__setitem__("e", pelkit.evaluate(big, cuzr[2], threads=1)))]
        t0 = time.perf_counter()
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        both = time.perf_counter() - t0
        ratios.append(both / one)
        print(f"\nvoronoi + evaluate sequential {one:.3f} s, in two threads {both:.3f} s "
              f"(ratio {both / one:.2f}; 2 cores shared with other jobs)")
    # Serialised by a held GIL the two calls would take the sequential time (ratio ~1) plus
    # switching; run concurrently on 2 cores they take ~max of the two (ratio ~0.5-0.7).
    # 1.6 is the brief's bound, loose for a loaded machine; the GIL test above is the sharp one.
    assert min(ratios) < 1.6
    assert np.array_equal(out["v"].volumes, ref_v.volumes)
    assert np.array_equal(out["e"].forces, ref_e.forces)


def test_results_are_moved_not_copied(glass_path, cuzr):
    ev = pelkit.evaluate(pelkit.read(glass_path), cuzr[2])
    for a in (ev.forces, ev.per_atom_energy, ev.stress_atom):
        # NumPy wraps the Rust allocation: the array does not own its data, its base is the
        # Rust-side owner, and it is an ordinary writeable C-contiguous float64 array.
        assert not a.flags["OWNDATA"] and a.base is not None
        assert a.flags["C_CONTIGUOUS"] and a.flags["WRITEABLE"] and a.dtype == np.float64
