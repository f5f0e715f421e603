#!/usr/bin/env bash
# Regenerates the viewer's drift fixture: three runs of one 600-token vocabulary computed by the
# real Spark job into one data directory, for the drift API (A − B).
#   base:    a seeded 600 × 12 matrix, cosine and dot, level 0 stored (levels 1..2 live);
#   current: a seeded 600 × 8 matrix, cosine, dot and l2, means only, levels 0..1 stored (level 2
#            live),
#            whose first rows stay close to base's first 8 dimensions; it aligns with base
#            position for position (same tokens in input order; d and the metrics differ);
#   shuffled: current's matrix in cluster order (K = 6, means only), which aligns with neither.
# The runs are computed in that order, so their ids sort base < current < shuffled.
# Needs Debian's python3-numpy (/usr/bin/python3) and a built project (mvn -DskipTests package).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
/usr/bin/python3 - "$here" <<'PY'
import sys, numpy as np
here = sys.argv[1]
base = np.random.default_rng(7001).standard_normal((600, 12)).astype(np.float32)
current = np.random.default_rng(7002).standard_normal((600, 8)).astype(np.float32)
current[:100] = base[:100, :8] + 0.1 * current[:100]   # a region that barely drifts
current[5] = 0                                          # a zero row in one run only
np.save(f"{here}/base.npy", base)
np.save(f"{here}/current.npy", current)
tokens = [f"w{i}" for i in range(600)]
tokens[11] = "w12"            # a duplicate token
tokens[13] = "größe"          # non-ASCII
tokens[599] = "the-last"
open(f"{here}/vocab.txt", "w", encoding="utf-8").write("\n".join(tokens) + "\n")
PY
rm -rf "$here/out"
common=(--vocab "$here/vocab.txt" --out "$here/out" --neighbors 5 --master 'local[2]')
"$root/bin/simheat" compute --input "$here/base.npy" --metrics cosine,dot --stored-zoom 0 \
  "${common[@]}"
"$root/bin/simheat" compute --input "$here/current.npy" --metrics cosine,dot,l2 --stored-zoom 1 \
  --aggregations mean "${common[@]}"
"$root/bin/simheat" compute --input "$here/current.npy" --metrics cosine,dot,l2 --stored-zoom 0 \
  --aggregations mean --order cluster --clusters 6 "${common[@]}"
find "$here/out" \( -name ".*.crc" -o -name _SUCCESS \) -delete
rm -rf "$here/out/_staging"
