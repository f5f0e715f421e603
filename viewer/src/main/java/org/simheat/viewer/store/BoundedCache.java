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
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used cache bounded in bytes rather than entries, for values whose sizes differ
 * (tiles of edge and inner positions, row groups, encoded responses). Concurrent requests for the
 * same missing key share one load; a value larger than the whole budget is returned but not kept.
 *
 * @param <K> key type (with value equality)
 * @param <V> value type
 */
public final class BoundedCache<K, V> {
  private final long maxBytes;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<K, V> values = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<K, CompletableFuture<V>> loading = new ConcurrentHashMap<>();
  private long bytes;

  /** Loads a value on a miss. */
  @FunctionalInterface
  public interface Loader<V> {
    /** Reads or computes the value. */
    V load() throws IOException;
  }

  /**
   * A cache holding at most {@code maxBytes}, each value weighing {@code weigher(value)} bytes.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public BoundedCache(long maxBytes, ToLongFunction<V> weigher) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("Cache size must be ≥ 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.weigher = weigher;
  }

  /**
   * The cached value, or the loader's result (kept if it fits).
   *
   * @throws IOException what the loader throws
   */
  public V get(K key, Loader<V> loader) throws IOException {
    V hit = getIfPresent(key);
    if (hit != null) {
      return hit;
    }
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> other = loading.putIfAbsent(key, mine);
    if (other != null) {
      return await(other);
    }
    try {
      V v = loader.load();
      put(key, v);
      mine.complete(v);
      return v;
    } catch (IOException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(key, mine);
    }
  }

  /** The cached value, or null; a hit makes it the most recently used. */
  public synchronized V getIfPresent(K key) {
    return values.get(key);
  }

  /** Keeps a value if it fits, evicting the least recently used ones as needed. */
  public synchronized void put(K key, V value) {
    long size = weigher.applyAsLong(value);
    if (size > maxBytes) {
      return;
    }
    V old = values.put(key, value);
    bytes += size - (old == null ? 0 : weigher.applyAsLong(old));
    Iterator<V> eldest = values.values().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= weigher.applyAsLong(eldest.next());
      eldest.remove();
    }
  }

  /** Bytes held now. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Values held now. */
  public synchronized int size() {
    return values.size();
  }

  /** Drops every value whose key matches. */
  public synchronized void removeIf(Predicate<K> matches) {
    Iterator<Map.Entry<K, V>> it = values.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<K, V> e = it.next();
      if (matches.test(e.getKey())) {
        bytes -= weigher.applyAsLong(e.getValue());
        it.remove();
      }
    }
  }

  private static <V> V await(CompletableFuture<V> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while another request loaded the value");
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
