package org.simheat.jobs.similarity;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Blocks of rows an executor has already read, kept for the tasks that follow on the same JVM: the
 * pass reads each row block for every tile of its row and column, so without this an executor would
 * read the matrix about √(tiles) times. Least recently used blocks are dropped beyond a byte
 * budget: a fifth of the JVM's maximum heap by default, or the system property {@code
 * simheat.blockCacheMb}. Keys carry a scope (one per job and side) so that blocks of different
 * inputs or runs never mix.
 */
public final class BlockCache {
  private static final long BUDGET =
      Long.getLong("simheat.blockCacheMb", Runtime.getRuntime().maxMemory() / 5 >> 20) << 20;
  private static final Map<Key, Block> BLOCKS = new LinkedHashMap<>(64, 0.75f, true);
  private static long bytes;

  private BlockCache() {}

  private record Key(String scope, long start, int count) {}

  /** Reads a block on a miss. */
  @FunctionalInterface
  public interface Loader {
    /** The block's rows, read and prepared. */
    Block load() throws IOException;
  }

  /** The block of rows {@code [start, start + count)} in {@code scope}, loaded on a miss. */
  public static Block get(String scope, long start, int count, Loader loader) throws IOException {
    Key key = new Key(scope, start, count);
    synchronized (BLOCKS) {
      Block hit = BLOCKS.get(key);
      if (hit != null) {
        return hit;
      }
    }
    Block loaded = loader.load();
    synchronized (BLOCKS) {
      if (BLOCKS.put(key, loaded) == null) {
        bytes += loaded.bytes();
      }
      Iterator<Block> oldest = BLOCKS.values().iterator();
      while (bytes > BUDGET && oldest.hasNext()) {
        Block b = oldest.next();
        if (b != loaded) {
          bytes -= b.bytes();
          oldest.remove();
        }
      }
    }
    return loaded;
  }

  /** Drops every block of a scope (a job that ended). */
  public static void evict(String scope) {
    synchronized (BLOCKS) {
      Iterator<Map.Entry<Key, Block>> it = BLOCKS.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<Key, Block> e = it.next();
        if (e.getKey().scope().equals(scope)) {
          bytes -= e.getValue().bytes();
          it.remove();
        }
      }
    }
  }
}
