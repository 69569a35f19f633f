#!/usr/bin/env bash
# Bit-identity check for refactors (issue 18): runs the pelkit commands whose numbers must not
# change (demo = MD + quench + CG + Voronoi + atomic stress + D²min + D_min; eval with eam/fs,
# eam/alloy, lj/cut and table; minimize CG and FIRE; voronoi; dmin) on small generated inputs and
# prints one sha256 per output file. Run it on the old and the new commit and diff the two lists:
#
#   tests/bitwise_outputs.sh target/release/pelkit > new.sha256
#   diff tests/bitwise_outputs.sha256 new.sha256   # must be empty
# tests/bitwise_outputs.sha256 holds the list of main at 2082a28 (before the issue-18 regrouping),
# except voro.dump, which gained the f5 column (issue 16; without it, the old hash is reproduced).
#
# Usage: tests/bitwise_outputs.sh [PELKIT_BINARY] [WORK_DIR]   (~10 s on one core)
# Needs the Mendelev potential /usr/share/lammps/potentials/CuZr_mm.eam.fs (or $PELKIT_MENDELEV).
set -euo pipefail
PELKIT=$(realpath "${1:-target/release/pelkit}")
WORK=${2:-$(mktemp -d)}
MENDELEV=${PELKIT_MENDELEV:-/usr/share/lammps/potentials/CuZr_mm.eam.fs}
mkdir -p "$WORK" && cd "$WORK"
p() { "$PELKIT" "$@" --threads 2; }

# A 250-atom Cu50Zr50 glass (Zhou 2004 potential, generated in memory), sheared and aged copies.
"$PELKIT" demo --out demo --atoms 250 --melt-steps 300 --quench-steps 300 --seed 7 --quiet > demo.out
G=demo/glass.data

# Single evaluations: forces, pe/atom, stress/atom of four pair styles.
p eval "$G" --pair-style eam/fs --pair-coeff "* * $MENDELEV Cu Zr" -o eval_mendelev.dump --json > eval_mendelev.json
p eval "$G" --pair-style eam/alloy --pair-coeff '* * demo/CuZr_zhou2004.eam.alloy Cu Zr' -o eval_zhou.dump --json > eval_zhou.json
p eval "$G" --units lj --pair-style 'lj/cut 5.0' --pair-coeff '1 1 1.0 2.3' --pair-coeff '2 2 0.8 2.8' \
  --pair-modify 'shift yes' --pair-modify 'mix arithmetic' -o eval_lj.dump --json > eval_lj.json
awk 'BEGIN { n = 500; print "# generated"; print ""; print "LJT"; print "N " n " R 1.5 6.0"; print "";
  for (i = 1; i <= n; i++) { r = 1.5 + 4.5 * (i - 1) / (n - 1); s = 2.5 / r; s6 = s^6;
    printf "%d %.10f %.12e %.12e\n", i, r, 4 * (s6 * s6 - s6), 24 * (2 * s6 * s6 - s6) / r } }' > lj.table
p eval "$G" --units lj --pair-style 'table linear 1000' --pair-coeff '* * lj.table LJT 5.5' -o eval_table.dump --json > eval_table.json

# Minimizations: CG (Mendelev, sheared) and FIRE (lj/cut).
p minimize "$G" --pair-style eam/fs --pair-coeff "* * $MENDELEV Cu Zr" --shear xy=0.01 --ftol 1e-8 \
  -o min_cg.data --json --quiet > min_cg.json
p minimize "$G" --units lj --pair-style 'lj/cut 5.0' --pair-coeff '* * 1.0 2.4' --min-style fire \
  --ftol 1e-6 --maxiter 3000 -o min_fire.data --json --quiet > min_fire.json

# Voronoi (radical, with thresholds) and D_min.
p voronoi min_cg.data --radii 1:1.28,2:1.60 --edge-threshold 0.1 -o voro.dump --json > voro.json
"$PELKIT" dmin "$G" demo/aged.data -o dmin.dump --json > dmin.json
"$PELKIT" dmin demo/aged.data "$G" --all-types --json > dmin_all.json

# Files written by pelkit itself name its version only; hash everything, sorted by name.
find . -type f ! -name '*.sha256' -print0 | sort -z | xargs -0 sha256sum
