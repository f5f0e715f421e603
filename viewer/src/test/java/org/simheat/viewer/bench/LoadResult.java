package org.simheat.viewer.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scenario measured: the latency of every answered request, the failures, the wall time
 * and the bytes received.
 *
 * @param scenario what was requested
 * @param clients concurrent connections
 * @param nanos latencies of the requests answered with 200, sorted
 * @param errors requests answered otherwise or not at all, by kind
 * @param wallNanos from the first request to the last answer
 * @param bytes response body bytes received (as sent, compressed or not)
 */
record LoadResult(
    String scenario,
    int clients,
    long[] nanos,
    Map<String, Integer> errors,
    long wallNanos,
    long bytes) {

  /** A result; sorts {@code nanos} in place. */
  static LoadResult of(
      String scenario,
      int clients,
      long[] nanos,
      Map<String, Integer> errors,
      long wallNanos,
      long bytes) {
    Arrays.sort(nanos);
    return new LoadResult(scenario, clients, nanos, Map.copyOf(errors), wallNanos, bytes);
  }

  /** Requests not answered with 200. */
  int errorCount() {
    return errors.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The q-quantile of the answered requests' latency in milliseconds (NaN if none). */
  double millis(double q) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(nanos.length - 1, Math.ceil(q * nanos.length) - 1);
    return nanos[Math.max(0, index)] / 1e6;
  }

  /** Answered requests per second of wall time. */
  double perSecond() {
    return nanos.length / (wallNanos / 1e9);
  }

  /** The header of {@link #row()}. */
  static String header() {
    return String.format(
        Locale.ROOT,
        "%-46s %7s %8s %6s %9s %9s %9s %8s %8s",
        "scenario",
        "clients",
        "requests",
        "errors",
        "p50 ms",
        "p99 ms",
        "max ms",
        "req/s",
        "MB/s");
  }

  /** One line of the results table, and the kinds of errors if there were any. */
  String row() {
    String line =
        String.format(
            Locale.ROOT,
            "%-46s %7d %8d %6d %9.2f %9.2f %9.2f %8.1f %8.1f",
            scenario,
            clients,
            nanos.length + errorCount(),
            errorCount(),
            millis(0.50),
            millis(0.99),
            millis(1.0),
            perSecond(),
            bytes / 1e6 / (wallNanos / 1e9));
    return errors.isEmpty() ? line : line + "\n    errors: " + new TreeMap<>(errors);
  }
}
