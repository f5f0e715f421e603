package org.simheat.viewer.service;

/**
 * Tuning of the viewer's data side; every cache is bounded so the heap does not grow with a run.
 *
 * @param tileCacheBytes bytes of decoded tiles kept (stored and live)
 * @param footerCacheEntries Parquet footers kept
 * @param tokenCacheEntries tokens kept per run for position lookups (axis labels, neighbours)
 * @param rescanMillis longest time between two scans of the data directory's {@code runs/}
 * @param liveThreads live tiles computed at once (each holds at most a few MiB)
 * @param maxLivePairs most pairs a view may compute live before it falls back to a coarser level
 */
public record ViewerOptions(
    long tileCacheBytes,
    int footerCacheEntries,
    int tokenCacheEntries,
    long rescanMillis,
    int liveThreads,
    long maxLivePairs) {

  /** 64 MiB of tiles, 4096 footers, 65536 tokens per run, 1 s rescans, a thread per core. */
  public static ViewerOptions defaults() {
    return new ViewerOptions(
        64L << 20,
        4096,
        1 << 16,
        1000,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        1L << 26);
  }

  /** These options with another tile cache size. */
  public ViewerOptions withTileCacheBytes(long bytes) {
    return new ViewerOptions(
        bytes, footerCacheEntries, tokenCacheEntries, rescanMillis, liveThreads, maxLivePairs);
  }

  /** These options with another rescan interval. */
  public ViewerOptions withRescanMillis(long millis) {
    return new ViewerOptions(
        tileCacheBytes, footerCacheEntries, tokenCacheEntries, millis, liveThreads, maxLivePairs);
  }
}
