package org.simheat.viewer.service;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.simheat.viewer.spec.ViewAxis;
import org.simheat.viewer.spec.ViewCells;
import org.simheat.viewer.store.OpenRun;

/**
 * Attaches tokens to a view's bins: the first and last token of every row and column bin, looked up
 * in one batch (a few hundred positions, mostly cached while panning). A rectangular run has no
 * column tokens; its columns are labelled {@code #position}.
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
    collect(cells.rows(), wanted);
    if (run.manifest().symmetric()) {
      collect(cells.cols(), wanted);
    }
    Map<Long, String> tokens = run.tokens().tokens(wanted);
    Map<Long, String> colTokens = run.manifest().symmetric() ? tokens : Map.of();
    return cells.withAxes(label(cells.rows(), tokens), label(cells.cols(), colTokens));
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
