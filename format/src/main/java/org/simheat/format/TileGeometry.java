package org.simheat.format;

import java.io.Serializable;

/**
 * The level, cell and tile math of a pooled similarity pyramid over an {@code nRows × nCols}
 * matrix.
 *
 * <p>With tile size T and N the longer side, the finest level is Z = max(0, ⌈log2(N / T)⌉). Level z
 * (0 is coarsest, Z holds one token per cell) has cell span s = 2^(Z−z): cell (z, r, c) pools rows
 * [r·s, min((r+1)·s, nRows)) × columns [c·s, min((c+1)·s, nCols)). A level has C = ⌈n / s⌉ cells
 * per side, grouped into tiles of T × T cells; edge cells and edge tiles are partial, so every
 * count here is exact rather than assumed square.
 *
 * <p>Instances are immutable and cheap; every method is O(1) except none.
 */
public final class TileGeometry implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Cells per tile side, fixed by the contract. */
  public static final int DEFAULT_TILE_SIZE = 256;

  private final long nRows;
  private final long nCols;
  private final int tileSize;
  private final int maxZoom;

  /**
   * Creates the geometry of an {@code nRows × nCols} matrix.
   *
   * @throws IllegalArgumentException if a side is not positive or the tile size is not a power of
   *     two
   */
  public TileGeometry(long nRows, long nCols, int tileSize) {
    if (nRows <= 0 || nCols <= 0) {
      throw new IllegalArgumentException(
          "Cannot lay out tiles: the matrix is "
              + nRows
              + " × "
              + nCols
              + ", both sides must be > 0");
    }
    if (tileSize <= 0 || Integer.bitCount(tileSize) != 1) {
      throw new IllegalArgumentException(
          "Cannot lay out tiles: tile size " + tileSize + " is not a power of two");
    }
    this.nRows = nRows;
    this.nCols = nCols;
    this.tileSize = tileSize;
    this.maxZoom = maxZoomFor(Math.max(nRows, nCols), tileSize);
  }

  /** The geometry with the contract's tile size. */
  public static TileGeometry of(long nRows, long nCols) {
    return new TileGeometry(nRows, nCols, DEFAULT_TILE_SIZE);
  }

  /** Z = max(0, ⌈log2(n / tileSize)⌉), computed in integers. */
  static int maxZoomFor(long n, int tileSize) {
    int z = 0;
    while ((long) tileSize << z < n) {
      z++;
    }
    return z;
  }

  public long rows() {
    return nRows;
  }

  public long cols() {
    return nCols;
  }

  public int tileSize() {
    return tileSize;
  }

  /** The finest level, where one cell is one token. */
  public int maxZoom() {
    return maxZoom;
  }

  /** Cell span s = 2^(Z−z) at level z. */
  public long span(int z) {
    checkLevel(z);
    return 1L << (maxZoom - z);
  }

  /** Cells along the row axis at level z: ⌈nRows / s⌉. */
  public long cellRows(int z) {
    return ceilDiv(nRows, span(z));
  }

  /** Cells along the column axis at level z: ⌈nCols / s⌉. */
  public long cellCols(int z) {
    return ceilDiv(nCols, span(z));
  }

  /** Tiles along the row axis at level z. */
  public long tileRows(int z) {
    return ceilDiv(cellRows(z), tileSize);
  }

  /** Tiles along the column axis at level z. */
  public long tileCols(int z) {
    return ceilDiv(cellCols(z), tileSize);
  }

  /** Cell rows held by tile row i at level z (T, or fewer at the edge). */
  public int rowsInTile(int z, long i) {
    return (int) Math.min(tileSize, cellRows(z) - i * tileSize);
  }

  /** Cell columns held by tile column j at level z (T, or fewer at the edge). */
  public int colsInTile(int z, long j) {
    return (int) Math.min(tileSize, cellCols(z) - j * tileSize);
  }

  /** Matrix rows pooled by cell row r at level z: min((r+1)·s, nRows) − r·s. */
  public long rowExtent(int z, long r) {
    long s = span(z);
    return Math.min((r + 1) * s, nRows) - r * s;
  }

  /** Matrix columns pooled by cell column c at level z. */
  public long colExtent(int z, long c) {
    long s = span(z);
    return Math.min((c + 1) * s, nCols) - c * s;
  }

  /** Number of (row, column) pairs pooled by cell (z, r, c): edge cells are partial. */
  public long pairsInCell(int z, long r, long c) {
    return rowExtent(z, r) * colExtent(z, c);
  }

  /** Number of tiles stored at level z: the upper triangle (i ≤ j) when symmetric. */
  public long storedTiles(int z, boolean symmetric) {
    long tr = tileRows(z);
    return symmetric ? tr * (tr + 1) / 2 : tr * tileCols(z);
  }

  /**
   * Number of cells stored at level z. A symmetric run stores tiles with tile_row ≤ tile_col, whose
   * cells number (C² + Σᵢ rowsInTile(i)²) / 2.
   */
  public long storedCells(int z, boolean symmetric) {
    long cr = cellRows(z);
    long cc = cellCols(z);
    if (!symmetric) {
      return cr * cc;
    }
    long full = (cr / tileSize) * (long) tileSize * tileSize;
    long edge = cr % tileSize;
    long diagonal = full + edge * edge;
    return (cr * cr + diagonal) / 2;
  }

  /**
   * The finest level whose stored cells fit the budget (at least level 0, at most Z).
   *
   * @throws IllegalArgumentException if the budget is not positive
   */
  public int storedZoomFor(long cellBudget, boolean symmetric) {
    if (cellBudget <= 0) {
      throw new IllegalArgumentException(
          "Cannot choose stored levels: the cell budget " + cellBudget + " must be > 0");
    }
    int z = 0;
    while (z < maxZoom && storedCells(z + 1, symmetric) <= cellBudget) {
      z++;
    }
    return z;
  }

  private void checkLevel(int z) {
    if (z < 0 || z > maxZoom) {
      throw new IllegalArgumentException(
          "Level " + z + " is out of range: this matrix has levels 0.." + maxZoom);
    }
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  @Override
  public String toString() {
    return "TileGeometry[" + nRows + " × " + nCols + ", T=" + tileSize + ", Z=" + maxZoom + "]";
  }
}
