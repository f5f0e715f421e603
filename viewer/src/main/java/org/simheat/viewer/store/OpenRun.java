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
 * checks the manifest against the tables (row count, columns, dimension, stored levels) so that a
 * run whose manifest lies is refused up front rather than failing tile by tile.
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
    long rows = embeddingTable.rowCount();
    if (rows != manifest.n()) {
      throw refuse(
          "its manifest says n = " + manifest.n() + " but its embeddings hold " + rows + " rows");
    }
    MessageType schema = embeddingTable.schema();
    for (String c : List.of(Columns.POSITION, Columns.ID, Columns.TOKEN, Columns.VECTOR)) {
      if (!schema.containsField(c)) {
        throw refuse("its embeddings lack the column '" + c + "'");
      }
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
    } catch (IllegalStateException e) {
      throw refuse(e.getMessage());
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
}
