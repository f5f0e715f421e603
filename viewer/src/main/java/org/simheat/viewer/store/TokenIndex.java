package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.or;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.simheat.format.Columns;

/**
 * The tokens of a run's {@code embeddings} table without holding them all: lookups by position go
 * through a bounded LRU cache and, on a miss, read only the pages that hold the missing positions;
 * a search scans the position, id and token columns once, keeping at most {@code limit} hits per
 * kind.
 *
 * <p>Search order: tokens that start with the query (case-insensitively, in {@link Locale#ROOT}) by
 * position, then tokens that contain it elsewhere, by position. A duplicate token is one hit per
 * position. The scan stops early once {@code limit} prefix hits are found.
 */
public final class TokenIndex {
  private static final List<String> LOOKUP = List.of(Columns.POSITION, Columns.TOKEN);
  private static final List<String> SEARCH = List.of(Columns.POSITION, Columns.ID, Columns.TOKEN);

  private final ParquetTable table;
  private final int maxCached;
  private final LinkedHashMap<Long, String> cache = new LinkedHashMap<>(256, 0.75f, true);

  /**
   * A search hit.
   *
   * @param token the token
   * @param position its position
   * @param id its row in the input
   */
  public record Hit(String token, long position, long id) {}

  /** The tokens of {@code table}, caching up to {@code maxCached} lookups. */
  public TokenIndex(ParquetTable table, int maxCached) {
    this.table = table;
    this.maxCached = maxCached;
  }

  /**
   * The tokens of some positions; positions the table lacks are absent from the result.
   *
   * @throws IOException if a file cannot be read
   */
  public Map<Long, String> tokens(Collection<Long> positions) throws IOException {
    Map<Long, String> out = new HashMap<>();
    Set<Integer> missing = new HashSet<>();
    synchronized (cache) {
      for (long p : positions) {
        String t = cache.get(p);
        if (t != null) {
          out.put(p, t);
        } else if (p >= 0 && p <= Integer.MAX_VALUE) {
          missing.add((int) p);
        }
      }
    }
    if (!missing.isEmpty()) {
      Map<Long, String> read = read(missing);
      out.putAll(read);
      remember(read);
    }
    return out;
  }

  /** The token at one position, or null if the table lacks it. */
  public String token(long position) throws IOException {
    return tokens(List.of(position)).get(position);
  }

  /** Receives tokens one at a time. */
  @FunctionalInterface
  public interface Visitor {
    /** Takes the token at a position. */
    void token(int position, String token);
  }

  /**
   * Visits every token with its position, in one scan of the position and token columns, in file
   * order (nothing is cached).
   *
   * @throws IOException if a file cannot be read
   */
  public void forEach(Visitor visitor) throws IOException {
    table.scan(
        LOOKUP,
        row -> {
          visitor.token(row.intValue(0), row.string(1));
          return true;
        });
  }

  /**
   * Searches tokens containing {@code query}, prefix matches first.
   *
   * @param query non-empty text
   * @param limit most hits returned, ≥ 1
   * @throws IOException if a file cannot be read
   */
  public List<Hit> search(String query, int limit) throws IOException {
    String q = query.toLowerCase(Locale.ROOT);
    List<Hit> prefix = new ArrayList<>();
    List<Hit> inner = new ArrayList<>();
    table.scan(
        SEARCH,
        row -> {
          String token = row.string(2);
          int at = token.toLowerCase(Locale.ROOT).indexOf(q);
          if (at == 0) {
            prefix.add(new Hit(token, row.intValue(0), row.intValue(1)));
          } else if (at > 0 && inner.size() < limit) {
            inner.add(new Hit(token, row.intValue(0), row.intValue(1)));
          }
          return prefix.size() < limit;
        });
    Comparator<Hit> byPosition = Comparator.comparingLong(Hit::position);
    prefix.sort(byPosition);
    inner.sort(byPosition);
    List<Hit> hits = new ArrayList<>(prefix);
    hits.addAll(inner);
    return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
  }

  private Map<Long, String> read(Set<Integer> positions) throws IOException {
    Map<Long, String> out = new HashMap<>();
    table.scan(
        LOOKUP,
        anyPosition(positions.stream().sorted().toList()),
        KeyFilter.anyOf(Columns.POSITION, positions),
        row -> {
          int p = row.intValue(0);
          if (positions.contains(p)) {
            out.put((long) p, row.string(1));
          }
          return out.size() < positions.size();
        });
    return out;
  }

  /**
   * {@code position = p₁ ∨ position = p₂ ∨ …} as a balanced tree. Unlike {@code in}, which the
   * column index treats as the range [min, max] of its set, a union of equalities lets it keep only
   * the pages that hold one of the positions.
   */
  static FilterPredicate anyPosition(List<Integer> sorted) {
    if (sorted.size() == 1) {
      return eq(intColumn(Columns.POSITION), sorted.get(0));
    }
    int mid = sorted.size() / 2;
    return or(anyPosition(sorted.subList(0, mid)), anyPosition(sorted.subList(mid, sorted.size())));
  }

  private void remember(Map<Long, String> read) {
    synchronized (cache) {
      cache.putAll(read);
      while (cache.size() > maxCached) {
        cache.remove(cache.keySet().iterator().next());
      }
    }
  }
}
