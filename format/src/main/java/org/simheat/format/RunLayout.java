package org.simheat.format;

import java.util.regex.Pattern;

/**
 * Where everything lives under an output directory, as relative paths with {@code /} separators.
 *
 * <pre>
 * OUT/LATEST                                  id of the newest committed run
 * OUT/runs/&lt;run&gt;/manifest.json                written last: a run without it does not exist
 * OUT/runs/&lt;run&gt;/embeddings/
 * OUT/runs/&lt;run&gt;/tiles/metric=&lt;m&gt;/level=&lt;z&gt;/
 * OUT/runs/&lt;run&gt;/neighbors/metric=&lt;m&gt;/
 * OUT/runs/&lt;run&gt;/col_embeddings/                 the column axis of a cross run
 * OUT/runs/&lt;run&gt;/clusters/                       cluster order: the row axis's cluster tree
 * OUT/runs/&lt;run&gt;/col_clusters/                   the column axis's, in a clustered cross run
 * OUT/runs/&lt;run&gt;/cluster_tiles/metric=&lt;m&gt;/     cluster order: the K × K pooled matrix
 * OUT/saliency/&lt;doc&gt;/                        an imported text saliency document (or, tied to a run,
 * OUT/runs/&lt;run&gt;/saliency/&lt;doc&gt;/             under the run)
 *   document.json                             written last: a document without it does not exist
 *   tokens/part-00000.parquet                 one row per (facet, position)
 *   heat/part-&lt;facet&gt;.parquet                 sparse heat of long texts: non-zero values only
 * OUT/_staging/&lt;run&gt;/                        work in progress, never read by the viewer
 * OUT/_lock                                   held by the one compute writing to OUT
 * </pre>
 */
public final class RunLayout {
  public static final String LATEST = "LATEST";
  public static final String RUNS = "runs";
  public static final String STAGING = "_staging";
  public static final String LOCK = "_lock";
  public static final String MANIFEST = "manifest.json";
  public static final String EMBEDDINGS = "embeddings";
  public static final String TILES = "tiles";
  public static final String NEIGHBORS = "neighbors";
  public static final String COL_EMBEDDINGS = "col_embeddings";
  public static final String CLUSTERS = "clusters";
  public static final String COL_CLUSTERS = "col_clusters";
  public static final String CLUSTER_TILES = "cluster_tiles";
  public static final String SALIENCY = "saliency";
  public static final String SALIENCY_DOCUMENT = "document.json";
  public static final String SALIENCY_TOKENS = "tokens";
  public static final String SALIENCY_HEAT = "heat";

  /** Run ids: UTC time, a dash, eight or more hex digits of the input fingerprint. */
  private static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8,64}");

  /**
   * Saliency document ids: lowercase letters, digits and dashes, starting with a letter or digit.
   */
  private static final Pattern DOC_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private RunLayout() {}

  /** {@code runs/<run>}. */
  public static String runDir(String runId) {
    return RUNS + "/" + checkRunId(runId);
  }

  /** {@code _staging/<run>}. */
  public static String stagingDir(String runId) {
    return STAGING + "/" + checkRunId(runId);
  }

  /** The partition directory of a metric's level inside a run: {@code tiles/metric=m/level=z}. */
  public static String tilesDir(Metric metric, int level) {
    return TILES + "/metric=" + metric.id() + "/level=" + level;
  }

  /** {@code neighbors/metric=m} inside a run. */
  public static String neighborsDir(Metric metric) {
    return NEIGHBORS + "/metric=" + metric.id();
  }

  /** {@code cluster_tiles/metric=m} inside a run. */
  public static String clusterTilesDir(Metric metric) {
    return CLUSTER_TILES + "/metric=" + metric.id();
  }

  /** {@code saliency/<doc>}, under the output directory or under a run. */
  public static String saliencyDir(String docId) {
    return SALIENCY + "/" + checkDocId(docId);
  }

  /**
   * {@code _staging/saliency-<doc>-<nonce>}: where a saliency document is written before it moves.
   */
  public static String saliencyStagingDir(String docId, String nonce) {
    return STAGING + "/" + SALIENCY + "-" + checkDocId(docId) + "-" + nonce;
  }

  /** Whether a string is a well-formed saliency document id (and so safe as a path segment). */
  public static boolean isDocId(String s) {
    return s != null && DOC_ID.matcher(s).matches();
  }

  /**
   * Returns the document id unchanged.
   *
   * @throws IllegalArgumentException if it is not a well-formed document id
   */
  public static String checkDocId(String docId) {
    if (!isDocId(docId)) {
      throw new IllegalArgumentException(
          "Not a document id: '"
              + docId
              + "' (use 1 to 64 of a-z, 0-9 and '-', not starting with '-')");
    }
    return docId;
  }

  /** Whether a string is a well-formed run id (and so safe to use as a path segment). */
  public static boolean isRunId(String s) {
    return s != null && RUN_ID.matcher(s).matches();
  }

  /**
   * Returns the run id unchanged.
   *
   * @throws IllegalArgumentException if it is not a well-formed run id
   */
  public static String checkRunId(String runId) {
    if (!isRunId(runId)) {
      throw new IllegalArgumentException("Not a run id: '" + runId + "'");
    }
    return runId;
  }
}
