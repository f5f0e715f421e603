#!/usr/bin/env bash
# Regenerates the viewer's cluster-order fixture, two runs computed by the real Spark job with
# --order cluster (bisecting k-means, seed 42): the main fixture's 600 × 8 matrix on its own
# (K = 12), and the cross run of that matrix against fixture-cross's 300 × 8 columns (K = 8 on
# each axis). Level 0 is stored and levels 1..2 are left to the viewer's live tiles.
# Needs a built project (mvn -DskipTests package) and the two other fixtures' inputs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
rows="$here/../fixture"
cols="$here/../fixture-cross"
rm -rf "$here/out"
common=(--metrics cosine,dot,l2 --stored-zoom 0 --neighbors 10 --master 'local[2]' --order cluster)
"$root/bin/simheat" compute --input "$rows/input.npy" --vocab "$rows/input.txt" --out "$here/out" \
  --clusters 12 "${common[@]}"
"$root/bin/simheat" compute --input "$rows/input.npy" --vocab "$rows/input.txt" \
  --cols-input "$cols/cols.npy" --cols-vocab "$cols/cols.txt" --out "$here/out" \
  --clusters 8 "${common[@]}"
find "$here/out" \( -name ".*.crc" -o -name _SUCCESS \) -delete
rm -rf "$here/out/_staging"
