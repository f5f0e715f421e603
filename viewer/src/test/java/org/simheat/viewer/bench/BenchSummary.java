package org.simheat.viewer.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The closing lines of {@link TileLoadBench}: ratios of scenarios against references measured in
 * the same run (medians, so that one slow outlier does not decide), the servers' memory, and the
 * total of errors.
 */
final class BenchSummary {
  private final Map<String, LoadResult> results;
  private final ServerProcess.Memory fixture;
  private final ServerProcess.Memory large;
  private final String heap;

  /**
   * @param results scenario results by {@code "<scenario> @<clients>"}
   * @param fixture the fixture server's memory after a full GC, or null
   * @param large the large-run server's memory after a full GC, or null
   * @param heap the servers' -Xmx
   */
  BenchSummary(
      Map<String, LoadResult> results,
      ServerProcess.Memory fixture,
      ServerProcess.Memory large,
      String heap) {
    this.results = results;
    this.fixture = fixture;
    this.large = large;
    this.heap = heap;
  }

  /** A line describing a server's memory. */
  static String memoryLine(String what, ServerProcess.Memory m, String heap) {
    return String.format(
        Locale.ROOT,
        "%-36s heap used %6.1f MiB, committed %6.1f MiB of -Xmx%s; process RSS %6.1f MiB",
        what,
        m.usedBytes() / 1048576.0,
        m.committedBytes() / 1048576.0,
        heap,
        m.rssBytes() / 1048576.0);
  }

  void print() {
    System.out.printf("%nRatios of medians (p50), same run%n");
    ratio("fixture stored tile, cached", "fixture /healthz");
    ratio("fixture stored tile, miss", "fixture stored tile, cached");
    ratio("fixture live tile z=2, miss", "fixture stored tile, cached");
    ratio("fixture stored tile, no gzip, miss", "fixture stored tile, no gzip, cached");
    ratio("fixture stored tile, cached", "fixture stored tile, no gzip, cached");
    ratio("large stored tile, cached", "large /healthz");
    ratio("large stored tile, miss", "large stored tile, cached");
    ratio("large live tile span 1, miss", "large stored tile, cached");
    ratio("large live tile span 4, miss", "large stored tile, cached");
    ratio("large stored tile, cached", "fixture stored tile, cached");
    ratio("large stored tile, cached", "large stored tile, no gzip, cached");
    System.out.printf("%nThroughput (req/s) ratios%n");
    throughput("fixture stored tile, cached", 100, "fixture stored tile, cached", 1);
    throughput("large live tile span 1, miss", 100, "large live tile span 1, miss", 1);
    throughput("large stored tile, no gzip, cached", 100, "large stored tile, cached", 100);
    throughput("large live tile span 1, no gzip", 100, "large live tile span 1, miss", 100);
    System.out.printf("%nMemory after a full GC (jcmd GC.run; GC.heap_info)%n");
    if (fixture != null) {
      System.out.println(memoryLine("fixture run (600 tokens)", fixture, heap));
    }
    if (large != null) {
      System.out.println(memoryLine("large run", large, heap));
    }
    if (fixture != null && large != null) {
      System.out.printf(
          Locale.ROOT,
          "  heap in use, large run ÷ fixture run: %.2f%n",
          (double) large.usedBytes() / fixture.usedBytes());
    }
    int errors = results.values().stream().mapToInt(LoadResult::errorCount).sum();
    int total = results.values().stream().mapToInt(r -> r.nanos().length + r.errorCount()).sum();
    System.out.printf(Locale.ROOT, "%nErrors: %d of %d measured requests%n", errors, total);
  }

  /** p50 of a scenario ÷ p50 of its reference, both with one client. */
  private void ratio(String scenario, String reference) {
    LoadResult a = find(scenario, 1);
    LoadResult b = find(reference, 1);
    if (a != null && b != null) {
      System.out.printf(
          Locale.ROOT,
          "  %-38s ÷ %-38s %7.2f%n",
          scenario,
          reference,
          a.millis(0.5) / b.millis(0.5));
    }
  }

  /** Requests per second of a scenario ÷ those of its reference. */
  private void throughput(String scenario, int clients, String reference, int referenceClients) {
    LoadResult a = find(scenario, clients);
    LoadResult b = find(reference, referenceClients);
    if (a != null && b != null) {
      System.out.printf(
          Locale.ROOT,
          "  %-38s @%-3d ÷ %-34s @%-3d %7.2f%n",
          scenario,
          clients,
          reference,
          referenceClients,
          a.perSecond() / b.perSecond());
    }
  }

  /** The result of a scenario at a client count, or null when it did not run. */
  private LoadResult find(String scenarioPrefix, int clients) {
    for (Map.Entry<String, LoadResult> e : results.entrySet()) {
      if (e.getKey().startsWith(scenarioPrefix) && e.getValue().clients() == clients) {
        return e.getValue();
      }
    }
    return null;
  }
}
