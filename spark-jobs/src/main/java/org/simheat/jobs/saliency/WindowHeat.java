package org.simheat.jobs.saliency;

import java.util.Arrays;
import java.util.List;
import org.simheat.format.Metric;

/**
 * Similarity heat over a window of words: for tokens i and j of a text that both have a vector,
 * {@code heat[i][j] = s(v_i, v_j)} when j lies within {@code window} words of i (before or after;
 * with {@code causal}, before or at i only), and 0 otherwise. Words are the text's non-format
 * tokens, counted in order; format tokens and tokens without a vector have no heat row and are 0 in
 * every row. {@code s} is the run's metric: cosine (0 for a zero vector), dot, or l2 (exactly 0 for
 * the same vocabulary position), products and norms in double, stored as float.
 *
 * <p>Each row is kept as its slice from the window's first word to its last, so a text of T words
 * costs O(T·W·d) time and O(T·W) floats for a window of W, never O(T²).
 */
final class WindowHeat implements HeatSlices {
  private final float[][] values;
  private final int[] starts;

  private WindowHeat(float[][] values, int[] starts) {
    this.values = values;
    this.starts = starts;
  }

  /** The heat rows of {@code pieces} under a metric and window. */
  static WindowHeat compute(
      List<TextPiece> pieces, RunVocabulary vocab, Metric metric, int window, boolean causal) {
    int[] words = wordIndices(pieces);
    float[][] values = new float[pieces.size()][];
    int[] starts = new int[pieces.size()];
    for (int k = 0; k < words.length; k++) {
      TextPiece a = pieces.get(words[k]);
      if (!a.known()) {
        continue;
      }
      int first = Math.max(0, k - window);
      int last = causal ? k : Math.min(words.length - 1, k + window);
      int start = words[first];
      float[] row = new float[words[last] - start + 1];
      for (int q = first; q <= last; q++) {
        TextPiece b = pieces.get(words[q]);
        if (b.known()) {
          row[words[q] - start] = (float) value(metric, vocab, a.position(), b.position());
        }
      }
      values[words[k]] = row;
      starts[words[k]] = start;
    }
    return new WindowHeat(values, starts);
  }

  private static int[] wordIndices(List<TextPiece> pieces) {
    int[] idx = new int[pieces.size()];
    int n = 0;
    for (int i = 0; i < pieces.size(); i++) {
      if (!pieces.get(i).format()) {
        idx[n++] = i;
      }
    }
    return Arrays.copyOf(idx, n);
  }

  /** The metric between two vocabulary positions, per the run's definitions. */
  static double value(Metric metric, RunVocabulary vocab, int p, int q) {
    float[] a = vocab.vector(p);
    float[] b = vocab.vector(q);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int c = 0; c < a.length; c++) {
      dot += (double) a[c] * b[c];
      na += (double) a[c] * a[c];
      nb += (double) b[c] * b[c];
    }
    return switch (metric) {
      case DOT -> dot;
      case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na) / Math.sqrt(nb);
      case L2 -> p == q ? 0 : Math.sqrt(Math.max(0, na + nb - 2 * dot));
    };
  }

  @Override
  public float[] values(int facet, int position) {
    return values[position];
  }

  @Override
  public int start(int facet, int position) {
    return starts[position];
  }

  /** The smallest and largest heat value (0 counts when some row is 0 outside its slice). */
  float[] range() {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float[] row : values) {
      if (row != null) {
        for (float v : row) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        if (row.length < values.length) {
          min = Math.min(min, 0f);
          max = Math.max(max, 0f);
        }
      }
    }
    return min <= max ? new float[] {min, max} : null;
  }
}
