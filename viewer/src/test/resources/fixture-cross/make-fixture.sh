#!/usr/bin/env bash
# Regenerates the viewer's cross-run fixture: the rows are the main fixture's 600 × 8 matrix and
# vocabulary (../fixture/input.*), the columns a seeded 300 × 8 matrix with a vocabulary of its own
# (a column equal to row 10, a duplicate and a non-ASCII token), computed by the real Spark job with
# levels 0..1 stored and level 2 (one token per cell) left to the viewer's live tiles.
# Needs Debian's python3-numpy (/usr/bin/python3) and a built project (mvn -DskipTests package).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
rows="$here/../fixture"
/usr/bin/python3 - "$here" "$rows" <<'PY'
import sys, numpy as np
here, rows = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(300)
e = rng.standard_normal((300, 8)).astype(np.float32)
e[5] = np.load(f"{rows}/input.npy")[10]   # a column equal to row 10
np.save(f"{here}/cols.npy", e)
tokens = [f"col{i}" for i in range(300)]
tokens[6] = "col7"           # a duplicate token
tokens[8] = "ключ"           # non-ASCII
tokens[299] = "the-last-col"
open(f"{here}/cols.txt", "w", encoding="utf-8").write("\n".join(tokens) + "\n")
PY
rm -rf "$here/out"
"$root/bin/simheat" compute --input "$rows/input.npy" --vocab "$rows/input.txt" \
  --cols-input "$here/cols.npy" --cols-vocab "$here/cols.txt" --out "$here/out" \
  --metrics cosine,dot,l2 --stored-zoom 1 --neighbors 10 --master 'local[2]'
find "$here/out" \( -name ".*.crc" -o -name _SUCCESS \) -delete
rm -rf "$here/out/_staging"
