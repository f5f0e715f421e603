package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.TokenHit;

/**
 * A run's similarity matrix computed naively in double precision from its vectors and tokens in
 * display order (the fixture's from input.npy and input.txt): the reference every test compares the
 * viewer's numbers with. A cross reference has its own column vectors and tokens; a symmetric one's
 * columns are its rows.
 */
public final class NaiveSimilarity {
  private final int n;
  private final int nCols;
  private final int d;
  private final double[][] vectors;
  private final double[][] colVectors;
  private final List<String> tokens;
  private final List<String> colTokens;
  private final boolean symmetric;
  private int[] ids;
  private int[] colIds;
  private final double[][][] values = new double[Metric.values().length][][];

  /** One pooled block of pairs. */
  public record Pool(double mean, double max, double min, long pairs) {}

  private NaiveSimilarity(double[][] vectors, List<String> tokens) {
    this(vectors, tokens, vectors, tokens, true);
  }

  private NaiveSimilarity(
      double[][] vectors,
      List<String> tokens,
      double[][] colVectors,
      List<String> colTokens,
      boolean symmetric) {
    this.n = vectors.length;
    this.nCols = colVectors.length;
    this.d = vectors[0].length;
    this.vectors = vectors;
    this.tokens = tokens;
    this.colVectors = colVectors;
    this.colTokens = colTokens;
    this.symmetric = symmetric;
  }

  /** A symmetric reference over vectors and tokens in display order. */
  public static NaiveSimilarity of(double[][] vectors, List<String> tokens) {
    return new NaiveSimilarity(vectors, List.copyOf(tokens));
  }

  /** A cross reference: rows and columns from two sets of the same dimension, in display order. */
  public static NaiveSimilarity cross(
      double[][] rows, List<String> rowTokens, double[][] cols, List<String> colTokens) {
    return new NaiveSimilarity(rows, List.copyOf(rowTokens), cols, List.copyOf(colTokens), false);
  }

  /** Loads the committed fixture's input. */
  public static NaiveSimilarity fixture() throws IOException {
    Path dir = Fixture.dir();
    double[][] v = readNpy(dir.resolve("input.npy"));
    List<String> t = Files.readAllLines(dir.resolve("input.txt"), StandardCharsets.UTF_8);
    if (t.size() != v.length) {
      throw new IllegalStateException(
          "input.txt has " + t.size() + " lines for " + v.length + " rows");
    }
    return new NaiveSimilarity(v, List.copyOf(t));
  }

  /** The values of a synthetic run (n² doubles per metric used). */
  public static NaiveSimilarity of(SyntheticRun run) {
    double[][] v = new double[run.n()][];
    List<String> t = new ArrayList<>(run.n());
    for (int p = 0; p < run.n(); p++) {
      float[] f = run.vector(p);
      v[p] = new double[f.length];
      for (int k = 0; k < f.length; k++) {
        v[p][k] = f[k];
      }
      t.add(run.token(p));
    }
    return new NaiveSimilarity(v, t);
  }

  /**
   * This reference with the input row of each position (search hits carry it); without, ids are
   * positions. A symmetric reference's columns share the rows' ids.
   */
  public NaiveSimilarity withIds(int[] rowIds, int[] columnIds) {
    this.ids = rowIds.clone();
    this.colIds = symmetric ? this.ids : columnIds.clone();
    return this;
  }

  /** The k best other positions of p (best columns of a cross run), best first. */
  public int[] topK(Metric metric, int p, int k) {
    double[] row = matrix(metric)[p];
    Comparator<Integer> byValue = Comparator.comparingDouble(q -> row[q]);
    return IntStream.range(0, nCols)
        .filter(q -> !symmetric || q != p)
        .boxed()
        .sorted(metric.higherIsBetter() ? byValue.reversed() : byValue)
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** The metric's values of p with every other position (every column), best first. */
  public double[] bestScores(Metric metric, int p) {
    double[] row = matrix(metric)[p];
    double[] others =
        IntStream.range(0, nCols)
            .filter(q -> !symmetric || q != p)
            .mapToDouble(q -> row[q])
            .toArray();
    Arrays.sort(others);
    if (metric.higherIsBetter()) {
      for (int a = 0, b = others.length - 1; a < b; a++, b--) {
        double t = others[a];
        others[a] = others[b];
        others[b] = t;
      }
    }
    return others;
  }

  /**
   * What a token search must answer: tokens starting with {@code q} (ignoring case) by position,
   * then tokens containing it further in, by position; at most {@code limit}.
   */
  public List<TokenHit> search(String q, int limit) {
    return search(q, limit, tokens, ids);
  }

  /** As {@link #search(String, int)} over the column tokens. */
  public List<TokenHit> searchColumns(String q, int limit) {
    return search(q, limit, colTokens, colIds);
  }

  private static List<TokenHit> search(String q, int limit, List<String> vocabulary, int[] ids) {
    String lower = q.toLowerCase(Locale.ROOT);
    List<TokenHit> prefix = hits(vocabulary, ids, t -> t.startsWith(lower));
    List<TokenHit> inner = hits(vocabulary, ids, t -> t.indexOf(lower) > 0);
    return Stream.concat(prefix.stream(), inner.stream()).limit(limit).toList();
  }

  private static List<TokenHit> hits(
      List<String> vocabulary, int[] ids, Predicate<String> lowerCaseMatch) {
    return IntStream.range(0, vocabulary.size())
        .filter(p -> lowerCaseMatch.test(vocabulary.get(p).toLowerCase(Locale.ROOT)))
        .mapToObj(p -> new TokenHit(vocabulary.get(p), p, ids == null ? p : ids[p]))
        .toList();
  }

  /** Reads a 2-D little-endian float32 C-order .npy file. */
  public static double[][] readNpy(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = buf.getShort(8) & 0xffff;
    String header = new String(buf.array(), 10, headerLength, StandardCharsets.US_ASCII);
    Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True") || !shape.find()) {
      throw new IllegalStateException("Not a 2-D float32 C-order npy: " + header);
    }
    int rows = Integer.parseInt(shape.group(1));
    int cols = Integer.parseInt(shape.group(2));
    buf.position(10 + headerLength);
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = buf.getFloat();
      }
    }
    return out;
  }

  public int n() {
    return n;
  }

  /** Columns: n when symmetric. */
  public int nCols() {
    return nCols;
  }

  public boolean symmetric() {
    return symmetric;
  }

  /** The token at a position. */
  public String token(int position) {
    return tokens.get(position);
  }

  /** The column token at a position. */
  public String colToken(int position) {
    return colTokens.get(position);
  }

  public List<String> colTokens() {
    return colTokens;
  }

  /** The vectors of the rows ({@code columns} false) or the columns, in display order. */
  public double[][] vectors(boolean columns) {
    return columns ? colVectors : vectors;
  }

  public List<String> tokens() {
    return tokens;
  }

  /** The metric's value of pair (a, b): exact formulas, not the Gram-matrix shortcut. */
  public double value(Metric metric, int a, int b) {
    return matrix(metric)[a][b];
  }

  /** The whole matrix of a metric. */
  public synchronized double[][] matrix(Metric metric) {
    double[][] m = values[metric.ordinal()];
    if (m == null) {
      m = new double[n][nCols];
      for (int a = 0; a < n; a++) {
        for (int b = symmetric ? a : 0; b < nCols; b++) {
          m[a][b] = compute(metric, a, b);
          if (symmetric) {
            m[b][a] = m[a][b];
          }
        }
      }
      values[metric.ordinal()] = m;
    }
    return m;
  }

  private double compute(Metric metric, int a, int b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    double dist = 0;
    for (int k = 0; k < d; k++) {
      double x = vectors[a][k];
      double y = colVectors[b][k];
      dot += x * y;
      na += x * x;
      nb += y * y;
      dist += (x - y) * (x - y);
    }
    return switch (metric) {
      case DOT -> dot;
      case COSINE -> na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
      case L2 -> Math.sqrt(dist);
    };
  }

  /** Pools rows [r0, r1) × columns [c0, c1). */
  public Pool pool(Metric metric, long r0, long r1, long c0, long c1) {
    return pool(metric, r0, r1, c0, c1, false);
  }

  /**
   * Pools rows [r0, r1) × columns [c0, c1), without the self-pairs (r = c) when {@code
   * skipSelfPairs}; a block left without pairs has NaN values.
   */
  public Pool pool(Metric metric, long r0, long r1, long c0, long c1, boolean skipSelfPairs) {
    double[][] m = matrix(metric);
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    long pairs = 0;
    for (int r = (int) r0; r < r1; r++) {
      for (int c = (int) c0; c < c1; c++) {
        if (skipSelfPairs && r == c) {
          continue;
        }
        sum += m[r][c];
        max = Math.max(max, m[r][c]);
        min = Math.min(min, m[r][c]);
        pairs++;
      }
    }
    return pairs == 0
        ? new Pool(Double.NaN, Double.NaN, Double.NaN, 0)
        : new Pool(sum / pairs, max, min, pairs);
  }

  /**
   * The pair attaining the max of rows [r0, r1) × columns [c0, c1) (without self-pairs when asked),
   * the first in row-major order on ties: {row, col}, or null when there is no pair.
   */
  public int[] maxPair(Metric metric, long r0, long r1, long c0, long c1, boolean skipSelfPairs) {
    double[][] m = matrix(metric);
    int[] best = null;
    for (int r = (int) r0; r < r1; r++) {
      for (int c = (int) c0; c < c1; c++) {
        if (!(skipSelfPairs && r == c) && (best == null || m[r][c] > m[best[0]][best[1]])) {
          best = new int[] {r, c};
        }
      }
    }
    return best;
  }

  /** Absolute tolerance of a stored or live value of a metric against this reference. */
  public static double tolerance(Metric metric) {
    return switch (metric) {
      case COSINE -> 1e-5;
      case DOT -> 1e-4;
      case L2 -> 2e-3;
    };
  }
}
