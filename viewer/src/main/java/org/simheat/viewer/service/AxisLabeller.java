package org.simheat.viewer.service;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.simheat.viewer.spec.MaxPairs;
import org.simheat.viewer.spec.ViewAxis;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.store.OpenRun;

/**
 * Attaches tokens to a view's bins: the first and last token of every row and column bin, and the
 * tokens of each bin's max pair where the view has them, looked up in one batch (a few hundred
 * positions, mostly cached while panning). A cross run's columns take their tokens from its column
 * axis; a rectangular run without column tokens labels its columns {@code #position}.
 */
final class AxisLabeller {
  private final OpenRun run;

  AxisLabeller(OpenRun run) {
    this.run = run;
  }

  /**
   * The cells with labelled axes.
   *
   * @throws IOException if the tokens cannot be read
   */
  ViewCells label(ViewCells cells) throws IOException {
    Set<Long> wanted = new HashSet<>();
    Set<Long> wantedCols = new HashSet<>();
    collect(cells.rows(), wanted);
    boolean symmetric = run.manifest().symmetric();
    collect(cells.cols(), symmetric ? wanted : wantedCols);
    MaxPairs pairs = cells.maxPairs();
    if (pairs != null) {
      collect(pairs.rows(), wanted);
      collect(pairs.cols(), symmetric ? wanted : wantedCols);
    }
    Map<Long, String> tokens = run.tokens().tokens(wanted);
    Map<Long, String> colTokens =
        symmetric
            ? tokens
            : run.colTokens() == null ? Map.of() : run.colTokens().tokens(wantedCols);
    return cells.withLabels(
        label(cells.rows(), tokens),
        label(cells.cols(), colTokens),
        pairs == null
            ? null
            : pairs.withTokens(label(pairs.rows(), tokens), label(pairs.cols(), colTokens)));
  }

  private static void collect(long[] positions, Set<Long> wanted) {
    for (long p : positions) {
      if (p >= 0) {
        wanted.add(p);
      }
    }
  }

  private static String[] label(long[] positions, Map<Long, String> tokens) {
    String[] out = new String[positions.length];
    for (int b = 0; b < out.length; b++) {
      out[b] = positions[b] < 0 ? null : token(tokens, positions[b]);
    }
    return out;
  }

  private static void collect(ViewAxis axis, Set<Long> wanted) {
    for (int b = 0; b < axis.bins(); b++) {
      wanted.add(axis.start(b));
      wanted.add(axis.end(b) - 1);
    }
  }

  private static ViewAxis label(ViewAxis axis, Map<Long, String> tokens) {
    String[] first = new String[axis.bins()];
    String[] last = new String[axis.bins()];
    for (int b = 0; b < axis.bins(); b++) {
      first[b] = token(tokens, axis.start(b));
      last[b] = token(tokens, axis.end(b) - 1);
    }
    return axis.withLabels(first, last);
  }

  private static String token(Map<Long, String> tokens, long position) {
    String t = tokens.get(position);
    return t != null ? t : "#" + position;
  }
}
