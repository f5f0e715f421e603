package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;

/**
 * A committed run opened for reading: its manifest, geometry and the stores of its tables. Opening
 * checks the manifest against the tables (row count, columns, dimension, stored levels, the cluster
 * trees of a run in cluster order, the column embeddings of a cross run) so that a run whose
 * manifest lies is refused up front rather than failing tile by tile.
 *
 * <p>A symmetric run's column axis is its row axis: {@link #colEmbeddings()} and {@link
 * #colTokens()} are the row stores. A cross run's come from {@code col_embeddings}; a rectangular
 * run written without that table has neither (null), so its columns have no tokens and no live
 * levels.
 */
public final class OpenRun {
  private final Manifest manifest;
  private final Path dir;
  private final TileGeometry geometry;
  private final List<Metric> metrics;
  private final List<Aggregation> aggregations;
  private final ParquetTable embeddingTable;
  private final ParquetTileStore tiles;
  private final EmbeddingStore embeddings;
  private final TokenIndex tokens;
  private final NeighborStore neighbors;
  private final ParquetTable colEmbeddingTable;
  private final EmbeddingStore colEmbeddings;
  private final TokenIndex colTokens;
  private final ClusterStore clusters;

  private OpenRun(
      Manifest manifest,
      Path dir,
      FooterCache footers,
      BoundedCache<EmbeddingStore.GroupKey, VectorRows> groups,
      int tokenCache) {
    this.manifest = manifest;
    this.dir = dir;
    this.geometry = new TileGeometry(manifest.n(), manifest.nCols(), manifest.tileSize());
    this.metrics = manifest.metrics().stream().map(Metric::parse).toList();
    this.aggregations = manifest.aggregations().stream().map(Aggregation::parse).toList();
    this.embeddingTable = new ParquetTable(dir.resolve(RunLayout.EMBEDDINGS), footers);
    this.tiles = new ParquetTileStore(dir, footers, aggregations);
    this.embeddings = new EmbeddingStore(embeddingTable, manifest.dim(), groups);
    this.tokens = new TokenIndex(embeddingTable, tokenCache);
    this.neighbors = new NeighborStore(dir, footers);
    this.clusters = new ClusterStore(dir, footers);
    if (manifest.symmetric()) {
      this.colEmbeddingTable = null;
      this.colEmbeddings = embeddings;
      this.colTokens = tokens;
    } else {
      ParquetTable cols = new ParquetTable(dir.resolve(RunLayout.COL_EMBEDDINGS), footers);
      boolean present = exists(cols);
      this.colEmbeddingTable = present ? cols : null;
      this.colEmbeddings = present ? new EmbeddingStore(cols, manifest.dim(), groups) : null;
      this.colTokens = present ? new TokenIndex(cols, tokenCache) : null;
    }
  }

  private static boolean exists(ParquetTable table) {
    try {
      return table.exists();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens and checks a run whose manifest has passed {@link ManifestCheck}.
   *
   * @param dir the run's directory
   * @param groups where its embeddings keep decoded row groups
   * @param tokenCache tokens kept by position lookups
   * @throws RunUnavailableException naming the disagreement when the tables contradict the manifest
   * @throws IOException if a table cannot be read
   */
  static OpenRun open(
      Manifest manifest,
      Path dir,
      FooterCache footers,
      BoundedCache<EmbeddingStore.GroupKey, VectorRows> groups,
      int tokenCache)
      throws IOException {
    OpenRun run = new OpenRun(manifest, dir, footers, groups, tokenCache);
    run.check();
    return run;
  }

  private void check() throws IOException {
    checkEmbeddings(embeddingTable, RunLayout.EMBEDDINGS, manifest.n());
    if (colEmbeddingTable != null) {
      checkEmbeddings(colEmbeddingTable, RunLayout.COL_EMBEDDINGS, manifest.nCols());
    }
    for (Metric m : metrics) {
      for (int z = 0; z <= manifest.storedZoom(); z++) {
        if (!tiles.table(m, z).exists()) {
          throw refuse("it has no stored tiles of " + m.id() + " at level " + z);
        }
      }
    }
    try {
      embeddings.read(0, 1);
      if (colEmbeddings != null && colEmbeddings != embeddings) {
        colEmbeddings.read(0, 1);
      }
    } catch (IllegalStateException e) {
      throw refuse(e.getMessage());
    }
    if (manifest.order() != null && manifest.order().clustered()) {
      checkClusters();
    }
  }

  private void checkEmbeddings(ParquetTable table, String name, long expected) throws IOException {
    long rows = table.rowCount();
    if (rows != expected) {
      throw refuse(
          String.format(
              "its manifest says %s = %d but its %s hold %d rows",
              name.equals(RunLayout.EMBEDDINGS) ? "n" : "nCols", expected, name, rows));
    }
    MessageType schema = table.schema();
    for (String c : List.of(Columns.POSITION, Columns.ID, Columns.TOKEN, Columns.VECTOR)) {
      if (!schema.containsField(c)) {
        throw refuse("its " + name + " lack the column '" + c + "'");
      }
    }
  }

  /** A run in cluster order: its trees fit its axes and every metric has cluster tiles. */
  private void checkClusters() throws IOException {
    Manifest.Order order = manifest.order();
    checkTree(false, manifest.n(), order.clusters());
    if (!manifest.symmetric() && order.colsClusters() > 0) {
      checkTree(true, manifest.nCols(), order.colsClusters());
    }
    for (Metric m : metrics) {
      if (!clusters.tilesTable(m).exists()) {
        throw refuse("it is in cluster order but has no cluster tiles of " + m.id());
      }
    }
  }

  private void checkTree(boolean columns, long n, int k) throws IOException {
    String name = columns ? RunLayout.COL_CLUSTERS : RunLayout.CLUSTERS;
    if (!clusters.treeTable(columns).exists()) {
      throw refuse("it is in cluster order but has no " + name + " table");
    }
    String problem;
    try {
      problem = clusters.tree(columns).problem(n, k);
    } catch (IllegalStateException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      throw refuse("its " + name + " table: " + problem);
    }
  }

  private RunUnavailableException refuse(String why) {
    return new RunUnavailableException("run " + manifest.runId() + " cannot be served: " + why);
  }

  public Manifest manifest() {
    return manifest;
  }

  public String runId() {
    return manifest.runId();
  }

  /** The run's directory (server-side only: never shown to clients). */
  public Path dir() {
    return dir;
  }

  public TileGeometry geometry() {
    return geometry;
  }

  /** Metrics the run computed. */
  public List<Metric> metrics() {
    return metrics;
  }

  /** Aggregations the run stores. */
  public List<Aggregation> aggregations() {
    return aggregations;
  }

  public ParquetTileStore tiles() {
    return tiles;
  }

  public EmbeddingStore embeddings() {
    return embeddings;
  }

  public TokenIndex tokens() {
    return tokens;
  }

  public NeighborStore neighbors() {
    return neighbors;
  }

  /** The column axis's vectors: the rows' when symmetric; null for a cross run without them. */
  public EmbeddingStore colEmbeddings() {
    return colEmbeddings;
  }

  /** The column axis's tokens: the rows' when symmetric; null for a cross run without them. */
  public TokenIndex colTokens() {
    return colTokens;
  }

  /** The cluster tables (present when the manifest's order is clustered). */
  public ClusterStore clusters() {
    return clusters;
  }

  /** Whether tiles can be computed live: the column axis has vectors. */
  public boolean liveCapable() {
    return colEmbeddings != null;
  }
}
