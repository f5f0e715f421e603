package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;

/**
 * Writes a synthetic committed run laid out as the job lays it out, split into many files with
 * small row groups and pages so that file, row-group and page pruning all come into play. Vectors
 * are a seeded function of the position (nothing is held), so runs of a million tokens can be
 * written for benchmarks. With {@code exact} the stored tiles and neighbours are computed naively
 * (small runs only); otherwise they hold seeded noise (benchmarks measure reads, not values).
 *
 * @param runId the run's id
 * @param n tokens
 * @param dim embedding dimension
 * @param seed vector seed
 * @param storedZoom finest stored level
 * @param rowsPerFile embedding and neighbour rows per file
 * @param pageRows most rows per page
 * @param exact whether tiles and neighbours are true values
 * @param metrics metrics written
 * @param embeddingRowGroupBytes row group size of the embeddings table
 */
public record SyntheticRun(
    String runId,
    int n,
    int dim,
    long seed,
    int storedZoom,
    int rowsPerFile,
    int pageRows,
    boolean exact,
    List<Metric> metrics,
    long embeddingRowGroupBytes) {
  static final String EMBEDDINGS =
      "message spark_schema { required int32 position; required int32 id; required binary token"
          + " (STRING); required int32 cluster; required float norm; required group vector (LIST)"
          + " { repeated group list { required float element; } } }";
  static final String TILES =
      "message spark_schema { required int32 tile_row; required int32 tile_col; required int32"
          + " rows; required int32 cols; required group mean (LIST) { repeated group list {"
          + " required float element; } } required group max (LIST) { repeated group list {"
          + " required float element; } } required group min (LIST) { repeated group list {"
          + " required float element; } } }";
  static final String NEIGHBORS =
      "message spark_schema { required int32 position; required group neighbors (LIST) {"
          + " repeated group list { required int32 element; } } required group scores (LIST) {"
          + " repeated group list { required float element; } } }";

  /** Row groups of the job's embeddings table ({@code RunTables}): 4 MiB. */
  public static final long JOB_EMBEDDING_ROW_GROUP = 4L << 20;

  /** A run with small embedding row groups (64 KiB), so that row-group pruning shows in tests. */
  public SyntheticRun(
      String runId,
      int n,
      int dim,
      long seed,
      int storedZoom,
      int rowsPerFile,
      int pageRows,
      boolean exact,
      List<Metric> metrics) {
    this(runId, n, dim, seed, storedZoom, rowsPerFile, pageRows, exact, metrics, 64 << 10);
  }

  /** Neighbours kept per position. */
  public static final int K = 5;

  /** The job's default budget of stored cells per metric ({@code compute --cell-budget}). */
  public static final long JOB_CELL_BUDGET = 1L << 24;

  /**
   * A noise run for benchmarks: n × d, cosine only, with the levels the job stores by default (the
   * finest whose upper-triangle tiles fit {@link #JOB_CELL_BUDGET}), laid out as the job lays it
   * out: 2048 rows per embedding and neighbour file, 4 MiB row groups, 1 MiB pages.
   */
  public static SyntheticRun forBenchmark(String runId, int n, int d, long seed) {
    int stored = TileGeometry.of(n, n).storedZoomFor(JOB_CELL_BUDGET, true);
    return new SyntheticRun(
        runId,
        n,
        d,
        seed,
        stored,
        2048,
        20_000,
        false,
        List.of(Metric.COSINE),
        JOB_EMBEDDING_ROW_GROUP);
  }

  /** The vector of a position: seeded Gaussian noise, the same on every call. */
  public float[] vector(int position) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + position);
    float[] v = new float[dim];
    for (int k = 0; k < dim; k++) {
      v[k] = (float) gaussian(r);
    }
    return v;
  }

  /** The token of a position: {@code w<position>}, and {@code last} for the last one. */
  public String token(int position) {
    return position == n - 1 ? "last" : "w" + position;
  }

  public TileGeometry geometry() {
    return TileGeometry.of(n, n);
  }

  /** The pooled cells of stored tiles, from wherever a writer takes them. */
  @FunctionalInterface
  public interface Cells {
    /** {mean, max, min} of tile (z, i, j) of a metric, each row-major {@code rows × cols}. */
    float[][] tile(Metric metric, int z, long i, long j, int rows, int cols);
  }

  /**
   * Writes the run under {@code dataDir} (manifest last, then LATEST) and returns its directory.
   */
  public Path write(Path dataDir) throws IOException {
    NaiveSimilarity naive = exact ? NaiveSimilarity.of(this) : null;
    return write(dataDir, (m, z, i, j, rows, cols) -> tileCells(m, z, i, j, rows, cols, naive));
  }

  /**
   * Writes the run under {@code dataDir} with stored tiles from {@code cells} (neighbours are noise
   * unless the run is exact) and returns its directory.
   */
  public Path write(Path dataDir, Cells cells) throws IOException {
    Path dir = dataDir.resolve(RunLayout.runDir(runId));
    NaiveSimilarity naive = exact ? NaiveSimilarity.of(this) : null;
    writeEmbeddings(dir.resolve(RunLayout.EMBEDDINGS));
    for (Metric m : metrics) {
      for (int z = 0; z <= storedZoom; z++) {
        writeTiles(dir.resolve(RunLayout.tilesDir(m, z)), m, z, cells);
      }
      writeNeighbors(dir.resolve(RunLayout.neighborsDir(m)), m, naive);
    }
    Files.writeString(dir.resolve(RunLayout.MANIFEST), manifest().toJson(), StandardCharsets.UTF_8);
    Files.writeString(dataDir.resolve(RunLayout.LATEST), runId, StandardCharsets.UTF_8);
    return dir;
  }

  private void writeEmbeddings(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int start = 0, part = 0; start < n; start += rowsPerFile, part++) {
      try (ParquetRowWriter w =
          new ParquetRowWriter(part(dir, part), EMBEDDINGS, embeddingRowGroupBytes, pageRows)) {
        for (int p = start; p < Math.min(n, start + rowsPerFile); p++) {
          float[] v = vector(p);
          double norm = 0;
          for (float x : v) {
            norm += (double) x * x;
          }
          w.write(p, p, token(p), -1, (float) Math.sqrt(norm), v);
        }
      }
    }
  }

  private void writeTiles(Path dir, Metric metric, int z, Cells cells) throws IOException {
    Files.createDirectories(dir);
    TileGeometry g = geometry();
    List<long[]> tiles = new ArrayList<>();
    for (long i = 0; i < g.tileRows(z); i++) {
      for (long j = i; j < g.tileCols(z); j++) {
        tiles.add(new long[] {i, j});
      }
    }
    int perFile = 4;
    for (int f = 0; f * perFile < tiles.size(); f++) {
      try (ParquetRowWriter w = new ParquetRowWriter(part(dir, f), TILES, 1, 1 << 20)) {
        for (long[] t : tiles.subList(f * perFile, Math.min(tiles.size(), (f + 1) * perFile))) {
          int rows = g.rowsInTile(z, t[0]);
          int cols = g.colsInTile(z, t[1]);
          float[][] agg = cells.tile(metric, z, t[0], t[1], rows, cols);
          w.write((int) t[0], (int) t[1], rows, cols, agg[0], agg[1], agg[2]);
        }
      }
    }
  }

  private float[][] tileCells(
      Metric metric, int z, long i, long j, int rows, int cols, NaiveSimilarity naive) {
    TileGeometry g = geometry();
    float[][] agg = new float[3][rows * cols];
    SplittableRandom noise = new SplittableRandom(seed + 31L * z + 7L * i + j);
    long s = g.span(z);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long r0 = (i * g.tileSize() + r) * s;
        long c0 = (j * g.tileSize() + c) * s;
        NaiveSimilarity.Pool pool =
            naive != null
                ? naive.pool(metric, r0, Math.min(r0 + s, n), c0, Math.min(c0 + s, n))
                : new NaiveSimilarity.Pool(noise.nextDouble(), 1, -1, s * s);
        agg[0][r * cols + c] = (float) pool.mean();
        agg[1][r * cols + c] = (float) pool.max();
        agg[2][r * cols + c] = (float) pool.min();
      }
    }
    return agg;
  }

  private void writeNeighbors(Path dir, Metric metric, NaiveSimilarity naive) throws IOException {
    Files.createDirectories(dir);
    for (int start = 0, part = 0; start < n; start += rowsPerFile, part++) {
      try (ParquetRowWriter w =
          new ParquetRowWriter(part(dir, part), NEIGHBORS, 64 << 10, pageRows)) {
        for (int p = start; p < Math.min(n, start + rowsPerFile); p++) {
          int[] best = naive != null ? naive.topK(metric, p, K) : noiseNeighbors(p);
          float[] scores = new float[best.length];
          for (int e = 0; e < best.length; e++) {
            scores[e] = naive != null ? (float) naive.value(metric, p, best[e]) : 1f / (e + 1);
          }
          w.write(p, best, scores);
        }
      }
    }
  }

  private int[] noiseNeighbors(int p) {
    int[] out = new int[K];
    for (int e = 0; e < K; e++) {
      out[e] = (int) ((p + 1L + e * 7919L) % n);
    }
    return out;
  }

  private Manifest manifest() {
    TileGeometry g = geometry();
    return new Manifest(
        Manifest.FORMAT_VERSION,
        runId,
        "2026-11-24T10:00:00Z",
        new Manifest.Source("synthetic:" + seed, "synthetic", null, null, Long.toHexString(seed)),
        null,
        n,
        n,
        dim,
        true,
        metrics.stream().map(Metric::id).toList(),
        List.of("mean", "max", "min"),
        g.tileSize(),
        g.maxZoom(),
        storedZoom,
        new Manifest.Order("input", 0),
        new Manifest.Neighbors(K),
        Map.of(),
        List.of(),
        new Manifest.SparkInfo("none", "synthetic"),
        "none",
        Map.of());
  }

  private static Path part(Path dir, int part) {
    return dir.resolve(String.format("part-%05d-synthetic.snappy.parquet", part));
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
