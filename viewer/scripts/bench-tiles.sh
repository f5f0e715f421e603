#!/usr/bin/env bash
# Tile load benchmark of the viewer (org.simheat.viewer.bench.TileLoadBench): starts real viewer
# JVMs (-Xmx256m) over the committed fixture run and over a synthetic 1,000,000-token run (d = 64,
# written once under viewer/target/bench, about 350 MB), drives them with 1, 10 and 100 concurrent
# keep-alive clients on loopback, and prints p50/p99 latency, throughput, errors, the server's heap
# after a full GC (jcmd) and ratios against references measured in the same run.
#
# Usage: viewer/scripts/bench-tiles.sh [--requests 400] [--clients 1,10,100] [--n 1000000]
#                                      [--d 64] [--heap 256m] [--runs fixture,large]
#                                      [--server-opts "JVM options"] [--no-gzip] [--help]
# Needs: JDK 17 with jcmd; Maven with the project's dependencies in ~/.m2 (runs offline).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
mvn -B -o -q -pl viewer -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt
CP="$(cat viewer/target/bench-classpath.txt):viewer/target/classes:viewer/target/test-classes"
exec java -Xmx1g -cp "$CP" org.simheat.viewer.bench.TileLoadBench \
  --work viewer/target/bench "$@"
