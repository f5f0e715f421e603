package org.simheat.viewer.store;

import java.io.IOException;

/**
 * Decoded tiles (stored or computed live), least recently used first out, bounded in bytes rather
 * than entries because a tile's size depends on its level and edge. Concurrent requests for the
 * same missing tile share one load. A tile larger than the whole budget is served but not kept.
 */
public final class TileCache {
  private final BoundedCache<Key, TileData> tiles;

  /**
   * Identifies a tile: run, metric id, level, tile row and column.
   *
   * @param runId run id
   * @param metric metric id
   * @param z level
   * @param i tile row
   * @param j tile column
   * @param live whether it was computed from the embeddings (kept apart from stored tiles)
   * @param meanOnly whether it holds the mean alone
   */
  public record Key(
      String runId, String metric, int z, long i, long j, boolean live, boolean meanOnly) {

    /** The key of a tile with every aggregation its run holds. */
    public Key(String runId, String metric, int z, long i, long j, boolean live) {
      this(runId, metric, z, i, j, live, false);
    }
  }

  /** Loads a tile on a miss. */
  @FunctionalInterface
  public interface Loader {
    /** Reads or computes the tile. */
    TileData load() throws IOException;
  }

  /**
   * A cache holding at most {@code maxBytes} of tile arrays.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public TileCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("Tile cache size must be ≥ 0, got " + maxBytes);
    }
    this.tiles = new BoundedCache<>(maxBytes, TileData::bytes);
  }

  /**
   * The cached tile, or the loader's result (cached if it fits).
   *
   * @throws IOException what the loader throws
   */
  public TileData get(Key key, Loader loader) throws IOException {
    return tiles.get(key, loader::load);
  }

  /** The cached tile, or null. */
  public TileData getIfPresent(Key key) {
    return tiles.getIfPresent(key);
  }

  /** Bytes held now. */
  public long bytes() {
    return tiles.bytes();
  }

  /** Tiles held now. */
  public int size() {
    return tiles.size();
  }

  /** Drops every tile of a run. */
  public void forget(String runId) {
    tiles.removeIf(k -> k.runId().equals(runId));
  }
}
