package org.simheat.format;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a committed run: everything a reader needs to interpret the run's
 * tables without listing files. It is written last; a run directory without it does not exist.
 *
 * @param formatVersion layout version, {@link #FORMAT_VERSION} for this code
 * @param runId the run's id, also its directory name
 * @param createdAt ISO-8601 UTC time the run was committed
 * @param source where the rows came from
 * @param colsSource where the columns came from when they differ from the rows, else null
 * @param n number of rows (tokens on the row axis)
 * @param nCols number of columns (equal to n when symmetric)
 * @param dim embedding dimension d
 * @param symmetric whether rows and columns are the same set (only tile_row ≤ tile_col stored)
 * @param metrics metric ids computed, e.g. {@code ["cosine"]}
 * @param aggregations aggregation ids stored, e.g. {@code ["mean","max","min"]}
 * @param tileSize cells per tile side
 * @param maxZoom finest level Z
 * @param storedZoom finest stored level; finer ones are computed live
 * @param order display order of positions
 * @param neighbors top-k neighbour settings
 * @param ranges per metric value ranges
 * @param zeroRows ids of all-zero rows (cosine 0 with everything)
 * @param spark Spark version and master the run used
 * @param blas which BLAS implementation computed the products
 * @param timings wall milliseconds per stage
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int formatVersion,
    String runId,
    String createdAt,
    Source source,
    Source colsSource,
    long n,
    long nCols,
    int dim,
    boolean symmetric,
    List<String> metrics,
    List<String> aggregations,
    int tileSize,
    int maxZoom,
    int storedZoom,
    Order order,
    Neighbors neighbors,
    Map<String, Range> ranges,
    List<Long> zeroRows,
    SparkInfo spark,
    String blas,
    Map<String, Long> timings) {

  /** The layout version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * An input matrix.
   *
   * @param uri where it was read from
   * @param format reader used: npy, pt, safetensors, onnx, parquet, text
   * @param tensor tensor name inside the file, if any
   * @param vocab vocabulary file, if any
   * @param fingerprint hash of the input and the effective configuration
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      String uri, String format, String tensor, String vocab, String fingerprint) {}

  /**
   * The display order of positions. Under {@code cluster} order positions run leaf by leaf through
   * the cluster tree (siblings adjacent), and inside a leaf by similarity to its centroid,
   * descending; the {@code clusters} table holds each cluster's contiguous range, and the {@code
   * embeddings} table maps each position to its row in the input ({@code id}).
   *
   * @param kind {@link #INPUT} or {@link #CLUSTER}
   * @param clusters leaf clusters on the row axis, 0 for input order
   * @param colsClusters leaf clusters on the column axis of a cross run (0 when symmetric or in
   *     input order)
   * @param algorithm {@code bisecting-kmeans} or {@code kmeans}, null for input order
   * @param seed the clustering's seed, null for input order
   * @param from the run whose order this run took ({@code compute --order-from}), else null: its
   *     positions hold the same tokens as that run's (tokens it lacks come after them), and in
   *     cluster order its leaves follow that run's leaves
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Order(
      String kind, int clusters, int colsClusters, String algorithm, Long seed, String from) {
    /** Input order: position = row of the input. */
    public static final String INPUT = "input";

    /** Cluster order. */
    public static final String CLUSTER = "cluster";

    /** An order with no clustering details (input order, or a cluster order of a symmetric run). */
    public Order(String kind, int clusters) {
      this(kind, clusters, 0, null, null, null);
    }

    /** An order of its own (not taken from another run). */
    public Order(String kind, int clusters, int colsClusters, String algorithm, Long seed) {
      this(kind, clusters, colsClusters, algorithm, seed, null);
    }

    /** Whether positions are in cluster order (and the run has {@code clusters} tables). */
    public boolean clustered() {
      return CLUSTER.equals(kind);
    }
  }

  /**
   * Neighbour lists.
   *
   * @param k neighbours kept per position, self excluded
   */
  public record Neighbors(int k) {}

  /**
   * Value range of one metric over every pair or, for a run that pooled means only through the mean
   * fast path (which never computes a single pair's value), over its stored mean cells.
   *
   * @param min smallest value, diagonal included
   * @param max largest value, diagonal included
   * @param minOffDiagonal smallest value over pairs of distinct positions (NaN-free; null if none
   *     or unknown)
   * @param maxOffDiagonal largest value over pairs of distinct positions
   * @param over what the range spans: null for every pair, {@link #OVER_MEAN_CELLS} for the cells
   *     of the finest stored level's {@code mean} (every coarser level's means lie within it)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Range(
      double min, double max, Double minOffDiagonal, Double maxOffDiagonal, String over) {
    /** {@link #over()} of a range over the stored mean cells. */
    public static final String OVER_MEAN_CELLS = "mean-cells";

    /** A range over every pair. */
    public Range(double min, double max, Double minOffDiagonal, Double maxOffDiagonal) {
      this(min, max, minOffDiagonal, maxOffDiagonal, null);
    }
  }

  /**
   * The Spark that computed the run.
   *
   * @param version Spark version
   * @param master master URL, e.g. {@code local[2]}
   */
  public record SparkInfo(String version, String master) {}

  /** Serialises this manifest as indented JSON. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise manifest of run " + runId, e);
    }
  }

  /**
   * Parses a manifest.
   *
   * @throws IllegalArgumentException if the JSON is malformed or of another format version
   */
  public static Manifest fromJson(String json) {
    Manifest m;
    try {
      m = MAPPER.readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot read manifest: " + e.getOriginalMessage(), e);
    }
    if (m.formatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Cannot read manifest of run "
              + m.runId()
              + ": format version "
              + m.formatVersion()
              + ", this simheat reads "
              + FORMAT_VERSION);
    }
    return m;
  }

  /** A geometry for this run's matrix. */
  public TileGeometry geometry() {
    return new TileGeometry(n, nCols, tileSize);
  }
}
