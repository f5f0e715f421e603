package org.simheat.jobs.compute;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.jobs.cluster.OrderSpec;
import org.simheat.jobs.input.InputSpec;

/**
 * Everything the compute job needs to know, as resolved from the command line.
 *
 * @param input the embedding matrix (rows)
 * @param out output directory (any Hadoop file system)
 * @param metrics metrics to compute
 * @param aggregations pooled aggregations to store
 * @param neighbors neighbours per token (0 to 100)
 * @param storedZoom finest stored level, or null to choose it by {@code cellBudget}
 * @param cellBudget stored cells per metric when choosing the stored level
 * @param blockSize rows per block, 0 for the default
 * @param force recompute even when an identical run exists
 * @param order the display order: input, or cluster with its settings (both axes of a cross run)
 * @param colsInput the column matrix of a cross run, or null for a symmetric run of {@code input}
 * @param keep after the run, delete the oldest runs until this many remain; 0 keeps every run
 */
public record ComputeSpec(
    InputSpec input,
    String out,
    List<Metric> metrics,
    List<Aggregation> aggregations,
    int neighbors,
    Integer storedZoom,
    long cellBudget,
    int blockSize,
    boolean force,
    OrderSpec order,
    InputSpec colsInput,
    int keep)
    implements Serializable {

  /** Default stored cells per metric: 16 Mi, i.e. a symmetric 5792-cell level. */
  public static final long DEFAULT_CELL_BUDGET = 1L << 24;

  /** Largest neighbour count. */
  public static final int MAX_NEIGHBORS = 100;

  /**
   * Checks the ranges of the numeric settings.
   *
   * @throws IllegalArgumentException naming the setting and its value
   */
  public ComputeSpec {
    if (neighbors < 0 || neighbors > MAX_NEIGHBORS) {
      throw new IllegalArgumentException(
          "--neighbors must be between 0 and " + MAX_NEIGHBORS + ", got " + neighbors);
    }
    if (storedZoom != null && storedZoom < 0) {
      throw new IllegalArgumentException("--stored-zoom must be ≥ 0, got " + storedZoom);
    }
    if (cellBudget <= 0) {
      throw new IllegalArgumentException("--cell-budget must be > 0, got " + cellBudget);
    }
    if (blockSize < 0) {
      throw new IllegalArgumentException("--block-size must be > 0, got " + blockSize);
    }
    if (metrics.isEmpty() || aggregations.isEmpty()) {
      throw new IllegalArgumentException("At least one metric and one aggregation are needed");
    }
    if (order == null) {
      order = OrderSpec.INPUT;
    }
    if (keep < 0) {
      throw new IllegalArgumentException("--keep must be ≥ 1, got " + keep);
    }
  }

  /** A run that keeps every earlier run. */
  public ComputeSpec(
      InputSpec input,
      String out,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      int neighbors,
      Integer storedZoom,
      long cellBudget,
      int blockSize,
      boolean force,
      OrderSpec order,
      InputSpec colsInput) {
    this(
        input,
        out,
        metrics,
        aggregations,
        neighbors,
        storedZoom,
        cellBudget,
        blockSize,
        force,
        order,
        colsInput,
        0);
  }

  /** A symmetric run in input order. */
  public ComputeSpec(
      InputSpec input,
      String out,
      List<Metric> metrics,
      List<Aggregation> aggregations,
      int neighbors,
      Integer storedZoom,
      long cellBudget,
      int blockSize,
      boolean force) {
    this(
        input,
        out,
        metrics,
        aggregations,
        neighbors,
        storedZoom,
        cellBudget,
        blockSize,
        force,
        OrderSpec.INPUT,
        null);
  }

  /** The same run in another order. */
  public ComputeSpec withOrder(OrderSpec order) {
    return new ComputeSpec(
        input,
        out,
        metrics,
        aggregations,
        neighbors,
        storedZoom,
        cellBudget,
        blockSize,
        force,
        order,
        colsInput,
        keep);
  }

  /** Whether rows and columns come from two matrices. */
  public boolean cross() {
    return colsInput != null;
  }

  /** The settings that change the output, as text for the fingerprint. */
  public String effectiveConfiguration() {
    return String.join(
            ";",
            "tensor=" + input.tensor(),
            "format=" + input.format(),
            "columns=" + input.tokenColumn() + "," + input.vectorColumn(),
            "metrics=" + metrics.stream().map(Metric::id).collect(Collectors.joining(",")),
            "aggregations="
                + aggregations.stream().map(Aggregation::id).collect(Collectors.joining(",")),
            "neighbors=" + neighbors,
            "storedZoom=" + storedZoom,
            "cellBudget=" + cellBudget,
            order.describe())
        + (colsInput == null
            ? "" // a symmetric run's fingerprint is what it was before cross runs
            : ";cols=" + colsInput.format() + "," + colsInput.tensor() + "," + colsInput.vocab());
  }
}
