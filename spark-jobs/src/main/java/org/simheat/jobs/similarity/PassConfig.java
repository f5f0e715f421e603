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
 * @param blockSize rows per block
 * @param panelRows rows of a block multiplied at once (bounds the product kept in cache)
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
    int panelRows)
    implements Serializable {

  /** Default rows per block; smaller when cells are small, to bound a block pair's cell grid. */
  public static final int DEFAULT_BLOCK_SIZE = 2048;

  /** Default rows per panel. */
  public static final int DEFAULT_PANEL_ROWS = 64;

  /**
   * The pass for a geometry and its stored level.
   *
   * @param blockSize rows per block, or 0 for the default: 2048, but at most 1024 cell spans so
   *     that a block pair's cell grid stays within a million cells
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
    int b = blockSize > 0 ? blockSize : (int) Math.min(DEFAULT_BLOCK_SIZE, 1024 * span);
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
        DEFAULT_PANEL_ROWS);
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
