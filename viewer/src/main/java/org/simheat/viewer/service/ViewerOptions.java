package org.simheat.viewer.service;

/**
 * Tuning of the viewer's data side; every cache is bounded so the heap does not grow with a run,
 * and live computation is bounded so one request cannot hold the cores for minutes.
 *
 * @param tileCacheBytes bytes of decoded tiles kept (stored and live)
 * @param footerCacheEntries Parquet footers kept
 * @param tokenCacheEntries tokens kept per run for position lookups (axis labels, neighbours)
 * @param rescanMillis longest time between two scans of the data directory's {@code runs/}
 * @param liveThreads live tiles computed at once (each holds at most a few MiB)
 * @param maxTileMultiplyAdds most multiply-adds (pairs × d) one live tile may take; a tile over it
 *     is refused (400) with the levels that can be served
 * @param maxViewMultiplyAdds most multiply-adds a view may spend on live tiles before it draws from
 *     a coarser level instead
 * @param embeddingCacheBytes bytes of decoded embedding row groups kept (shared by every run)
 */
public record ViewerOptions(
    long tileCacheBytes,
    int footerCacheEntries,
    int tokenCacheEntries,
    long rescanMillis,
    int liveThreads,
    long maxTileMultiplyAdds,
    long maxViewMultiplyAdds,
    long embeddingCacheBytes) {

  /**
   * 64 MiB of tiles, 4096 footers, 65536 tokens per run, 1 s rescans, a live tile per core, 2³⁶
   * multiply-adds per live tile (seconds at most), 2³² per view (a fraction of a second) and 32 MiB
   * of decoded embeddings (eight of the job's 4 MiB row groups).
   */
  public static ViewerOptions defaults() {
    return new ViewerOptions(
        64L << 20,
        4096,
        1 << 16,
        1000,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        1L << 36,
        1L << 32,
        Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 16));
  }

  /** These options with another tile cache size. */
  public ViewerOptions withTileCacheBytes(long bytes) {
    return new ViewerOptions(
        bytes,
        footerCacheEntries,
        tokenCacheEntries,
        rescanMillis,
        liveThreads,
        maxTileMultiplyAdds,
        maxViewMultiplyAdds,
        embeddingCacheBytes);
  }

  /** These options with other limits of live computation. */
  public ViewerOptions withLiveLimits(long tileMultiplyAdds, long viewMultiplyAdds) {
    return new ViewerOptions(
        tileCacheBytes,
        footerCacheEntries,
        tokenCacheEntries,
        rescanMillis,
        liveThreads,
        tileMultiplyAdds,
        viewMultiplyAdds,
        embeddingCacheBytes);
  }

  /** These options with another bound of the decoded-embeddings cache. */
  public ViewerOptions withEmbeddingCacheBytes(long bytes) {
    return new ViewerOptions(
        tileCacheBytes,
        footerCacheEntries,
        tokenCacheEntries,
        rescanMillis,
        liveThreads,
        maxTileMultiplyAdds,
        maxViewMultiplyAdds,
        bytes);
  }
}
