package org.simheat.jobs.pyramid;

import org.simheat.format.Aggregation;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.similarity.CellBlock;

/**
 * Tiles as the {@code tiles} table stores them: one row-major {@code list<float>} per aggregation.
 * A cell's mean is its sum over its pair count, which edge cells make smaller than s².
 */
public final class TileRows {
  private TileRows() {}

  /**
   * One aggregation of a whole tile's cells, row-major: max and min as pooled, the mean as the
   * cell's sum over its pair count.
   *
   * @throws IllegalStateException if a cell received no value (a bug)
   */
  public static float[] cells(CellBlock tile, Aggregation a, int level, TileGeometry g) {
    float[] out = new float[tile.rows() * tile.cols()];
    for (int r = 0; r < tile.rows(); r++) {
      long rowPairs = g.rowExtent(level, tile.row0() + r);
      for (int c = 0; c < tile.cols(); c++) {
        if (tile.max(r, c) == Float.NEGATIVE_INFINITY) {
          throw new IllegalStateException(
              "Cell "
                  + (tile.row0() + r)
                  + ","
                  + (tile.col0() + c)
                  + " of level "
                  + level
                  + " is empty");
        }
        out[r * tile.cols() + c] =
            switch (a) {
              case MEAN ->
                  (float) (tile.sum(r, c) / (rowPairs * g.colExtent(level, tile.col0() + c)));
              case MAX -> tile.max(r, c);
              case MIN -> tile.min(r, c);
            };
      }
    }
    return out;
  }
}
