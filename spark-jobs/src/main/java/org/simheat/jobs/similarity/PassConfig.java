package org.simheat.jobs.similarity;

import java.io.Serializable;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;

/**
 * What one blocked pass computes: the matrix shape, the metrics, the finest stored level's cell
 * span and grid, the neighbour count and the block layout.
 *
 * @param nRows row count
 * @param nCols column count
 * @param dim embedding dimension
 * @param symmetric rows and columns are the same set: only block pairs i ≤ j are computed
 * @param metrics metrics to compute from each product
 * @param storedZoom finest stored level
 * @param span cell span at that level
 * @param tileSize cells per tile side
 * @param cellRows cells on the row axis at that level
 * @param cellCols cells on the column axis at that level
 * @param k neighbours per row (0 for none)
 * @param blockSize rows per block: a stored tile's rows are split into blocks of at most this many
 * @param panelRows rows of a block multiplied at once (bounds the product kept in cache)
 * @param normalised the only metric is cosine, so blocks hold normalised rows and the product is
 *     the cosine itself
 */
public record PassConfig(
    long nRows,
    long nCols,
    int dim,
    boolean symmetric,
    Metric[] metrics,
    int storedZoom,
    long span,
    int tileSize,
    long cellRows,
    long cellCols,
    int k,
    int blockSize,
    int panelRows,
    boolean normalised)
    implements Serializable {

  /** Most rows per block. */
  public static final int DEFAULT_BLOCK_SIZE = 2048;

  /** Most bytes of one block's floats. */
  public static final long MAX_BLOCK_BYTES = 8L << 20;

  /**
   * Rows per panel: at 256 rows an SGEMM against a 2048-row block runs within a few percent of its
   * peak (64 rows lose 10–25% to packing the block again for every panel) and the panel's products
   * (2 MiB) stay in the core's cache.
   */
  public static final int DEFAULT_PANEL_ROWS = 256;

  /**
   * The pass for a geometry and its stored level.
   *
   * @param blockSize rows per block, or 0 for {@link #blockRowsFor}: at most a stored tile's rows
   */
  public static PassConfig of(
      TileGeometry g,
      int dim,
      boolean symmetric,
      Metric[] metrics,
      int storedZoom,
      int k,
      int blockSize) {
    long span = g.span(storedZoom);
    long tileRows = g.tileSize() * span;
    int b = (int) Math.min(tileRows, blockSize > 0 ? blockSize : blockRowsFor(dim, 0));
    return new PassConfig(
        g.rows(),
        g.cols(),
        dim,
        symmetric,
        metrics,
        storedZoom,
        span,
        g.tileSize(),
        g.cellRows(storedZoom),
        g.cellCols(storedZoom),
        k,
        b,
        DEFAULT_PANEL_ROWS,
        metrics.length == 1 && metrics[0] == Metric.COSINE);
  }

  /**
   * Rows per block for dimension d: as many as fit {@link #MAX_BLOCK_BYTES} (2048 rows up to d =
   * 1024), fewer when an executor core's share of memory is small (a block pair and the cache of
   * blocks must fit in it with room to spare: a block takes at most 1/64 of it), in multiples of 64
   * rows and never fewer than 64.
   *
   * @param memoryPerCore an executor's memory over its cores, in bytes, or 0 when unknown
   */
  public static int blockRowsFor(int dim, long memoryPerCore) {
    long bytes =
        memoryPerCore > 0 ? Math.min(MAX_BLOCK_BYTES, memoryPerCore / 64) : MAX_BLOCK_BYTES;
    long rows = Math.min(DEFAULT_BLOCK_SIZE, bytes / (4L * Math.max(1, dim)));
    return (int) Math.max(64, rows / 64 * 64);
  }

  /** Row blocks. */
  public int rowBlocks() {
    return (int) ((nRows + blockSize - 1) / blockSize);
  }

  /** Column blocks. */
  public int colBlocks() {
    return (int) ((nCols + blockSize - 1) / blockSize);
  }

  /** Rows in row block i (the last one may be short). */
  public int rowsInBlock(int i) {
    return (int) Math.min(blockSize, nRows - (long) i * blockSize);
  }

  /** Columns in column block j. */
  public int colsInBlock(int j) {
    return (int) Math.min(blockSize, nCols - (long) j * blockSize);
  }
}
