#!/usr/bin/env bash
# The viewer's benchmark (org.simheat.viewer.bench.ViewerBench), what `bin/simheat bench viewer`
# runs: real viewer JVMs (-Xmx256m) over a synthetic 1,000,000 × 768 run (written once under
# viewer/target/bench, about 3 GB) driven by 1, 10 and 100 keep-alive clients on loopback, then a
# 5000-token view update of a 30,522-token run against xl-heatmap's path (its 3.7 GB cosine matrix
# is written once beside it). Prints p50/p99, throughput, errors, heap, and ratios against
# references measured in the same run; the last line is NAME: VALUE UNIT (RATIO× REFERENCE).
#
# Usage: viewer/scripts/bench-viewer.sh [--help] [options of ViewerBench]
# Needs: JDK 17 with jcmd, Maven; builds the test classes offline when ~/.m2 has everything.
# SIMHEAT_BENCH_HEAP sets this JVM's heap (default 6g: xl-heatmap's path holds the whole matrix).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BUILD=(-B -q -pl viewer -am test-compile dependency:build-classpath
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
mvn -o "${BUILD[@]}" >&2 2>/dev/null || mvn "${BUILD[@]}" >&2
CP="$(cat viewer/target/bench-classpath.txt):viewer/target/classes:viewer/target/test-classes"
exec java --add-modules=jdk.incubator.vector -Xmx"${SIMHEAT_BENCH_HEAP:-6g}" -cp "$CP" \
  ${SIMHEAT_JAVA_OPTS:-} org.simheat.viewer.bench.ViewerBench --work viewer/target/bench "$@"
