package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;

/**
 * Writes a small exact run in cluster order or a cross run as real Parquet, laid out as the
 * README's "Output format" says: {@code embeddings} (position, id, token, cluster, norm, vector) in
 * display order, {@code col_embeddings} for a cross run's columns, every stored level's tiles (the
 * upper triangle of a symmetric run, all of a cross run's), neighbours, the {@code clusters} and
 * {@code col_clusters} trees, and {@code cluster_tiles/metric=<m>} with both triangles; the
 * manifest last. Every value is naive and exact in double precision ({@link #reference()}), so a
 * test compares the viewer's answers with it.
 *
 * @param runId the run's id
 * @param createdAt its commit time (runs are listed newest first)
 * @param rows the row axis
 * @param cols the column axis of a cross run, null when symmetric
 * @param storedZoom finest stored level
 * @param seed the input's seed (runs over the same input share it)
 */
public record ContractRun(
    String runId,
    String createdAt,
    SyntheticAxis rows,
    SyntheticAxis cols,
    int storedZoom,
    long seed) {
  static final String CLUSTERS =
      "message spark_schema { required int32 cluster; required int32 parent; required boolean"
          + " leaf; required int32 depth; required int64 start; required int64 end; required int64"
          + " size; required binary label (STRING); required group label_tokens (LIST) { repeated"
          + " group list { required binary element (STRING); } } optional float mean_similarity;"
          + " required float radius; }";
  static final String CLUSTER_TILES =
      "message spark_schema { required int32 cluster_row; required int32 cluster_col; required"
          + " int64 pairs; required float mean; required float max; required float min; }";

  /** Words naming the row axis's groups, so labels and tokens say which group they are. */
  public static final List<String> ROW_WORDS =
      List.of("apple", "river", "stone", "cloud", "tiger", "piano", "lemon", "violet", "copper");

  /** Words of a cross run's column axis: a vocabulary of its own. */
  public static final List<String> COL_WORDS =
      List.of("north", "south", "east", "west", "summer", "winter", "autumn");

  private static final List<Metric> METRICS = List.of(Metric.COSINE, Metric.DOT, Metric.L2);

  /**
   * A symmetric run of n × d vectors in {@code groups} groups, in cluster order (K = groups) when
   * {@code clustered}, else in input order; runs of one seed share their input.
   */
  public static ContractRun symmetric(
      String runId, String createdAt, int n, int d, long seed, int groups, boolean clustered) {
    SyntheticAxis axis = new SyntheticAxis(n, d, seed, groups, clustered, ROW_WORDS);
    return new ContractRun(runId, createdAt, axis, null, 1, seed);
  }

  /**
   * A cross run: n row vectors against nCols column vectors of another seeded set of the same d;
   * each axis in cluster order when its cluster count is positive.
   */
  public static ContractRun cross(
      String runId, String createdAt, int n, int nCols, int d, long seed, int k, int kCols) {
    SyntheticAxis r = new SyntheticAxis(n, d, seed, Math.max(k, 5), k > 0, ROW_WORDS);
    SyntheticAxis c =
        new SyntheticAxis(nCols, d, seed + 101, Math.max(kCols, 4), kCols > 0, COL_WORDS);
    return new ContractRun(runId, createdAt, r, c, 1, seed);
  }

  public boolean symmetric() {
    return cols == null;
  }

  /** The column axis: the rows of a symmetric run. */
  public SyntheticAxis colAxis() {
    return symmetric() ? rows : cols;
  }

  public TileGeometry geometry() {
    return TileGeometry.of(rows.n(), colAxis().n());
  }

  /** The naive reference in display order. */
  public NaiveSimilarity reference() {
    NaiveSimilarity naive =
        symmetric()
            ? NaiveSimilarity.of(rows.vectors(), rows.tokens())
            : NaiveSimilarity.cross(rows.vectors(), rows.tokens(), cols.vectors(), cols.tokens());
    return naive.withIds(ids(rows), ids(colAxis()));
  }

  private static int[] ids(SyntheticAxis axis) {
    return IntStream.range(0, axis.n()).map(axis::id).toArray();
  }

  /** Writes the run under {@code dataDir} (manifest last, then LATEST); returns its directory. */
  public Path write(Path dataDir) throws IOException {
    Path dir = dataDir.resolve(RunLayout.runDir(runId));
    NaiveSimilarity naive = reference();
    writeEmbeddings(dir.resolve(RunLayout.EMBEDDINGS), rows);
    if (!symmetric()) {
      writeEmbeddings(dir.resolve(RunLayout.COL_EMBEDDINGS), cols);
    }
    for (Metric m : METRICS) {
      for (int z = 0; z <= storedZoom; z++) {
        writeTiles(dir.resolve(RunLayout.tilesDir(m, z)), m, z, naive);
      }
      writeNeighbors(dir.resolve(RunLayout.neighborsDir(m)), m, naive);
    }
    if (!rows.nodes().isEmpty()) {
      writeTree(dir.resolve(RunLayout.CLUSTERS), rows);
      if (!symmetric() && !cols.nodes().isEmpty()) {
        writeTree(dir.resolve(RunLayout.COL_CLUSTERS), cols);
      }
      for (Metric m : METRICS) {
        writeClusterTiles(dir.resolve(RunLayout.clusterTilesDir(m)), m, naive);
      }
    }
    Files.writeString(dir.resolve(RunLayout.MANIFEST), manifest(naive).toJson(), UTF8);
    Files.writeString(dataDir.resolve(RunLayout.LATEST), runId, UTF8);
    return dir;
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static void writeEmbeddings(Path dir, SyntheticAxis axis) throws IOException {
    Files.createDirectories(dir);
    int perFile = 256;
    for (int start = 0, part = 0; start < axis.n(); start += perFile, part++) {
      try (ParquetRowWriter w =
          new ParquetRowWriter(part(dir, part), SyntheticRun.EMBEDDINGS, 16 << 10, 64)) {
        for (int p = start; p < Math.min(axis.n(), start + perFile); p++) {
          double[] v = axis.vector(p);
          float[] f = new float[v.length];
          double norm = 0;
          for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
            norm += v[k] * v[k];
          }
          w.write(p, axis.id(p), axis.token(p), axis.leaf(p), (float) Math.sqrt(norm), f);
        }
      }
    }
  }

  private void writeTiles(Path dir, Metric metric, int z, NaiveSimilarity naive)
      throws IOException {
    Files.createDirectories(dir);
    TileGeometry g = geometry();
    try (ParquetRowWriter w =
        new ParquetRowWriter(part(dir, 0), SyntheticRun.TILES, 8 << 20, 1 << 20)) {
      for (long i = 0; i < g.tileRows(z); i++) {
        for (long j = symmetric() ? i : 0; j < g.tileCols(z); j++) {
          int nr = g.rowsInTile(z, i);
          int nc = g.colsInTile(z, j);
          float[][] agg = new float[3][nr * nc];
          long s = g.span(z);
          for (int r = 0; r < nr; r++) {
            for (int c = 0; c < nc; c++) {
              long r0 = (i * g.tileSize() + r) * s;
              long c0 = (j * g.tileSize() + c) * s;
              NaiveSimilarity.Pool pool =
                  naive.pool(
                      metric, r0, Math.min(r0 + s, g.rows()), c0, Math.min(c0 + s, g.cols()));
              agg[0][r * nc + c] = (float) pool.mean();
              agg[1][r * nc + c] = (float) pool.max();
              agg[2][r * nc + c] = (float) pool.min();
            }
          }
          w.write((int) i, (int) j, nr, nc, agg[0], agg[1], agg[2]);
        }
      }
    }
  }

  private void writeNeighbors(Path dir, Metric metric, NaiveSimilarity naive) throws IOException {
    Files.createDirectories(dir);
    try (ParquetRowWriter w =
        new ParquetRowWriter(part(dir, 0), SyntheticRun.NEIGHBORS, 16 << 10, 64)) {
      for (int p = 0; p < rows.n(); p++) {
        int[] best = naive.topK(metric, p, SyntheticRun.K);
        float[] scores = new float[best.length];
        for (int e = 0; e < best.length; e++) {
          scores[e] = (float) naive.value(metric, p, best[e]);
        }
        w.write(p, best, scores);
      }
    }
  }

  private static void writeTree(Path dir, SyntheticAxis axis) throws IOException {
    Files.createDirectories(dir);
    try (ParquetRowWriter w = new ParquetRowWriter(part(dir, 0), CLUSTERS, 1 << 20, 1000)) {
      for (SyntheticAxis.Node node : axis.nodes()) {
        w.write(
            node.cluster(),
            node.parent(),
            node.leaf(),
            node.depth(),
            node.start(),
            node.end(),
            node.end() - node.start(),
            node.label(),
            node.labelTokens().toArray(String[]::new),
            node.meanSimilarity(),
            node.radius());
      }
    }
  }

  /** K × Kc rows, both triangles, in two files (so readers meet more than one). */
  private void writeClusterTiles(Path dir, Metric metric, NaiveSimilarity naive)
      throws IOException {
    Files.createDirectories(dir);
    long[][] rowRanges = rows.leafRanges();
    long[][] colRanges =
        symmetric() || !cols.nodes().isEmpty()
            ? colAxis().leafRanges()
            : new long[][] {{0, cols.n()}};
    int half = (rowRanges.length + 1) / 2;
    for (int part = 0; part < 2; part++) {
      try (ParquetRowWriter w =
          new ParquetRowWriter(part(dir, part), CLUSTER_TILES, 1 << 20, 1000)) {
        for (int r = part * half; r < Math.min(rowRanges.length, (part + 1) * half); r++) {
          for (int c = 0; c < colRanges.length; c++) {
            NaiveSimilarity.Pool p =
                naive.pool(
                    metric, rowRanges[r][0], rowRanges[r][1], colRanges[c][0], colRanges[c][1]);
            w.write(r, c, p.pairs(), (float) p.mean(), (float) p.max(), (float) p.min());
          }
        }
      }
    }
  }

  private Manifest manifest(NaiveSimilarity naive) {
    TileGeometry g = geometry();
    int k = rows.nodes().isEmpty() ? 0 : rows.leafRanges().length;
    int kc = symmetric() || cols.nodes().isEmpty() ? 0 : cols.leafRanges().length;
    Manifest.Order order =
        k == 0
            ? new Manifest.Order(Manifest.Order.INPUT, 0)
            : new Manifest.Order(Manifest.Order.CLUSTER, k, kc, "bisecting-kmeans", seed);
    String fingerprint = runId.substring(runId.indexOf('-') + 1);
    return new Manifest(
        Manifest.FORMAT_VERSION,
        runId,
        createdAt,
        new Manifest.Source("synthetic:rows-" + seed, "synthetic", null, null, fingerprint),
        symmetric()
            ? null
            : new Manifest.Source("synthetic:cols-" + seed, "synthetic", null, null, fingerprint),
        g.rows(),
        g.cols(),
        rows.vector(0).length,
        symmetric(),
        METRICS.stream().map(Metric::id).toList(),
        List.of("mean", "max", "min"),
        g.tileSize(),
        g.maxZoom(),
        storedZoom,
        order,
        new Manifest.Neighbors(SyntheticRun.K),
        ranges(naive),
        List.of(),
        new Manifest.SparkInfo("none", "synthetic"),
        "none",
        Map.of());
  }

  private Map<String, Manifest.Range> ranges(NaiveSimilarity naive) {
    Map<String, Manifest.Range> out = new HashMap<>();
    for (Metric m : METRICS) {
      double[][] values = naive.matrix(m);
      List<Double> all = new ArrayList<>();
      List<Double> off = new ArrayList<>();
      for (int r = 0; r < values.length; r++) {
        for (int c = 0; c < values[r].length; c++) {
          all.add(values[r][c]);
          if (!symmetric() || r != c) {
            off.add(values[r][c]);
          }
        }
      }
      out.put(
          m.id(),
          new Manifest.Range(
              min(all), max(all), symmetric() ? min(off) : null, symmetric() ? max(off) : null));
    }
    return out;
  }

  private static double min(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }

  private static Path part(Path dir, int part) {
    return dir.resolve(String.format("part-%05d-contract.snappy.parquet", part));
  }
}
