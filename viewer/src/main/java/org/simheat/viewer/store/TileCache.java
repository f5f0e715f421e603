package org.simheat.viewer.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Decoded tiles (stored or computed live), least recently used first out, bounded in bytes rather
 * than entries because a tile's size depends on its level and edge. Concurrent requests for the
 * same missing tile share one load. A tile larger than the whole budget is served but not kept.
 */
public final class TileCache {
  private final long maxBytes;
  private final LinkedHashMap<Key, TileData> tiles = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<Key, CompletableFuture<TileData>> loading = new ConcurrentHashMap<>();
  private long bytes;

  /**
   * Identifies a tile: run, metric id, level, tile row and column.
   *
   * @param runId run id
   * @param metric metric id
   * @param z level
   * @param i tile row
   * @param j tile column
   * @param live whether it was computed from the embeddings (kept apart from stored tiles)
   */
  public record Key(String runId, String metric, int z, long i, long j, boolean live) {}

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
    this.maxBytes = maxBytes;
  }

  /**
   * The cached tile, or the loader's result (cached if it fits).
   *
   * @throws IOException what the loader throws
   */
  public TileData get(Key key, Loader loader) throws IOException {
    TileData hit = lookup(key);
    if (hit != null) {
      return hit;
    }
    CompletableFuture<TileData> mine = new CompletableFuture<>();
    CompletableFuture<TileData> other = loading.putIfAbsent(key, mine);
    if (other != null) {
      return await(other);
    }
    try {
      TileData t = loader.load();
      put(key, t);
      mine.complete(t);
      return t;
    } catch (IOException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(key, mine);
    }
  }

  /** Bytes held now. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Tiles held now. */
  public synchronized int size() {
    return tiles.size();
  }

  /** Drops every tile of a run. */
  public synchronized void forget(String runId) {
    Iterator<Map.Entry<Key, TileData>> it = tiles.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Key, TileData> e = it.next();
      if (e.getKey().runId().equals(runId)) {
        bytes -= e.getValue().bytes();
        it.remove();
      }
    }
  }

  private synchronized TileData lookup(Key key) {
    return tiles.get(key);
  }

  private synchronized void put(Key key, TileData tile) {
    long size = tile.bytes();
    if (size > maxBytes) {
      return;
    }
    TileData old = tiles.put(key, tile);
    bytes += size - (old == null ? 0 : old.bytes());
    Iterator<TileData> eldest = tiles.values().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().bytes();
      eldest.remove();
    }
  }

  private static TileData await(CompletableFuture<TileData> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while another request loaded the tile");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
  }
}
