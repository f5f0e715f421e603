package org.simheat.viewer.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.simheat.format.Manifest;

/**
 * Whether two runs can be compared cell by cell, and if not, why, in one sentence.
 *
 * <p>Runs A and B align when both are symmetric or both cross, they have the same n and nCols and
 * tile size (so the same tile grid), they share at least one metric, and every position holds the
 * same token in both, on each axis (rows: {@code embeddings}, columns: {@code col_embeddings} of a
 * cross run). Their dimensions d may differ. The checks run in that order and the first that fails
 * is the reason; the token check reads each axis's token column once and compares position by
 * position. When the first differing position is found, the reason says whether the vocabularies
 * are the same multiset (then {@code --order-from} would align the runs) or not.
 *
 * <p>Cost: O(n + nCols) tokens held twice while checking; nothing is kept.
 */
final class DriftAlignment {
  private static final int MAX_TOKEN = 40;

  private DriftAlignment() {}

  /** The tokens of one axis of a run, by position. */
  @FunctionalInterface
  interface Tokens {
    /**
     * Reads them.
     *
     * @param columns the column axis of a cross run (else the rows)
     * @throws IOException if the run's table cannot be read
     */
    String[] read(boolean columns) throws IOException;
  }

  /**
   * Why runs {@code a} and {@code b} do not align, or null when they do.
   *
   * @throws IOException if a token column cannot be read
   */
  static String reason(Manifest a, Tokens tokensA, Manifest b, Tokens tokensB) throws IOException {
    String ra = "run " + a.runId();
    String rb = "run " + b.runId();
    if (a.symmetric() != b.symmetric()) {
      return a.symmetric()
          ? rb + " is a cross run and " + ra + " is not"
          : ra + " is a cross run and " + rb + " is not";
    }
    if (a.n() != b.n() || a.nCols() != b.nCols()) {
      return String.format(
          Locale.ROOT,
          "%s has %d × %d tokens, %s %d × %d",
          rb,
          b.n(),
          b.nCols(),
          ra,
          a.n(),
          a.nCols());
    }
    if (a.tileSize() != b.tileSize()) {
      return String.format(
          Locale.ROOT,
          "%s has tiles of %d cells a side, %s of %d",
          rb,
          b.tileSize(),
          ra,
          a.tileSize());
    }
    if (common(a, b).isEmpty()) {
      return String.format(
          "the runs share no metric (%s: %s; %s: %s)",
          a.runId(), String.join(", ", a.metrics()), b.runId(), String.join(", ", b.metrics()));
    }
    String rows = tokens(a, tokensA.read(false), b, tokensB.read(false), "position");
    if (rows != null || a.symmetric()) {
      return rows;
    }
    return tokens(a, tokensA.read(true), b, tokensB.read(true), "column position");
  }

  /** The metrics both runs computed, in A's order. */
  static List<String> common(Manifest a, Manifest b) {
    List<String> out = new ArrayList<>(a.metrics());
    out.retainAll(b.metrics());
    return List.copyOf(out);
  }

  private static String tokens(Manifest a, String[] ta, Manifest b, String[] tb, String what) {
    for (int p = 0; p < ta.length; p++) {
      if (!ta[p].equals(tb[p])) {
        String where =
            String.format(
                "%s %d holds '%s' in run %s but '%s' in run %s",
                what, p, clip(ta[p]), a.runId(), clip(tb[p]), b.runId());
        return where + " (" + orders(a, b) + "): " + remedy(ta, tb, a, b);
      }
    }
    return null;
  }

  private static String orders(Manifest a, Manifest b) {
    String oa = order(a);
    String ob = order(b);
    if (oa.equals(ob)) {
      return "both are in " + oa + " order";
    }
    return "run "
        + a.runId()
        + " is in "
        + oa
        + " order, run "
        + b.runId()
        + " in "
        + ob
        + " order";
  }

  private static String order(Manifest m) {
    return m.order() == null ? Manifest.Order.INPUT : m.order().kind();
  }

  /** What would make the runs align: a shared order when the vocabularies agree, else nothing. */
  private static String remedy(String[] ta, String[] tb, Manifest a, Manifest b) {
    Map<String, Integer> count = new HashMap<>();
    for (String t : ta) {
      count.merge(t, 1, Integer::sum);
    }
    int missing = 0;
    for (String t : tb) {
      Integer c = count.get(t);
      if (c == null || c == 0) {
        missing++;
      } else {
        count.put(t, c - 1);
      }
    }
    if (missing == 0) {
      return "recompute one with --order-from the other";
    }
    return String.format(
        Locale.ROOT,
        "the vocabularies differ (%d of run %s's tokens are not in run %s), so no order aligns them",
        missing,
        b.runId(),
        a.runId());
  }

  private static String clip(String token) {
    return token.length() <= MAX_TOKEN ? token : token.substring(0, MAX_TOKEN) + "…";
  }
}
