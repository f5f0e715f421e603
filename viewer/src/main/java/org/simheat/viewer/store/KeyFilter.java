package org.simheat.viewer.store;

import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which values of an integer key column a scan wants, tested against each file's key range (from
 * its footer statistics) so that files that cannot hold a wanted key are never opened: a run's
 * embeddings may be hundreds of files, each a slice of positions.
 */
public interface KeyFilter {
  /** The key column's name. */
  String column();

  /** Whether a file whose keys lie in [min, max] may hold a wanted key. */
  boolean mayContain(long min, long max);

  /** Keys in [from, to). */
  static KeyFilter range(String column, long from, long to) {
    return new KeyFilter() {
      @Override
      public String column() {
        return column;
      }

      @Override
      public boolean mayContain(long min, long max) {
        return max >= from && min < to;
      }
    };
  }

  /** Any of some keys. */
  static KeyFilter anyOf(String column, Iterable<? extends Number> keys) {
    NavigableSet<Long> set = new TreeSet<>();
    keys.forEach(k -> set.add(k.longValue()));
    return new KeyFilter() {
      @Override
      public String column() {
        return column;
      }

      @Override
      public boolean mayContain(long min, long max) {
        Long next = set.ceiling(min);
        return next != null && next <= max;
      }
    };
  }
}
