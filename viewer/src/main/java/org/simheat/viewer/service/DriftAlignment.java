package org.simheat.viewer.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.simheat.format.Manifest;

/**
 * Whether two runs can be compared cell by cell, and if not, why, in one sentence.
 *
 * <p>Runs A and B align when both are symmetric or both cross, they have the same n and nCols and
 * tile size (so the same tile grid), they share at least one metric, and every position holds the
 * same token in both, on each axis (rows: {@code embeddings}, columns: {@code col_embeddings} of a
 * cross run). Their dimensions d may differ. The checks run in that order and the first that fails
 * is the reason. The token check reads each axis's token column once per run and keeps a 64-bit
 * hash of each token ({@link #hash}), compared position by position; the first differing position's
 * tokens are then read back for the reason, which says whether the vocabularies are the same
 * multiset (then {@code --order-from} would align the runs) or not. Two different tokens with the
 * same hash would pass for equal: for a vocabulary of a million tokens the odds are about 10⁻⁸.
 *
 * <p>Cost: one scan of each token column; memory 8 bytes a position per run (16 while comparing
 * multisets), whatever the tokens' lengths. Nothing is kept.
 */
final class DriftAlignment {
  private static final int MAX_TOKEN = 40;

  private DriftAlignment() {}

  /** The tokens of the axes of a run. */
  interface Tokens {
    /**
     * The {@link #hash} of every token of an axis, by position.
     *
     * @param columns the column axis of a cross run (else the rows)
     * @throws IOException if the run's table cannot be read
     */
    long[] hashes(boolean columns) throws IOException;

    /**
     * The token at one position of an axis.
     *
     * @throws IOException if the run's table cannot be read
     */
    String token(boolean columns, long position) throws IOException;
  }

  /** A 64-bit hash of a token's UTF-16 text (FNV-1a, then a final mix of the bits). */
  static long hash(String token) {
    long h = 0xcbf29ce484222325L;
    for (int k = 0; k < token.length(); k++) {
      h ^= token.charAt(k);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
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
    String rows = tokens(a, tokensA, b, tokensB, false);
    if (rows != null || a.symmetric()) {
      return rows;
    }
    return tokens(a, tokensA, b, tokensB, true);
  }

  /** The metrics both runs computed, in A's order. */
  static List<String> common(Manifest a, Manifest b) {
    List<String> out = new ArrayList<>(a.metrics());
    out.retainAll(b.metrics());
    return List.copyOf(out);
  }

  private static String tokens(Manifest a, Tokens ta, Manifest b, Tokens tb, boolean columns)
      throws IOException {
    long[] ha = ta.hashes(columns);
    long[] hb = tb.hashes(columns);
    for (int p = 0; p < ha.length; p++) {
      if (ha[p] != hb[p]) {
        String where =
            String.format(
                "%s %d holds '%s' in run %s but '%s' in run %s",
                columns ? "column position" : "position",
                p,
                clip(ta.token(columns, p)),
                a.runId(),
                clip(tb.token(columns, p)),
                b.runId());
        return where + " (" + orders(a, b) + "): " + remedy(ha, hb, a, b);
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
  private static String remedy(long[] ha, long[] hb, Manifest a, Manifest b) {
    long[] sa = ha.clone();
    long[] sb = hb.clone();
    Arrays.sort(sa);
    Arrays.sort(sb);
    int missing = 0;
    int x = 0;
    for (long h : sb) {
      while (x < sa.length && sa[x] < h) {
        x++;
      }
      if (x < sa.length && sa[x] == h) {
        x++;
      } else {
        missing++;
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
