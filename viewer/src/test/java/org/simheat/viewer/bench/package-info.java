/**
 * Benchmarks of the viewer, not tests: load generators that drive a real viewer JVM over loopback
 * and print latencies, throughput, errors and heap, with ratios against references measured in the
 * same run. {@code bin/simheat bench viewer} ({@code viewer/scripts/bench-viewer.sh}) runs them.
 */
package org.simheat.viewer.bench;
