package org.simheat.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TileGeometryTest {

  @ParameterizedTest
  @CsvSource({"1,0", "255,0", "256,0", "257,1", "512,1", "513,2", "30522,7", "1000000,12"})
  void maxZoomIsCeilLog2OfNOverTileSize(long n, int z) {
    assertThat(TileGeometry.of(n, n).maxZoom()).isEqualTo(z);
    assertThat(TileGeometry.of(n, n).maxZoom())
        .isEqualTo((int) Math.max(0, Math.ceil(Math.log(n / 256.0) / Math.log(2) - 1e-12)));
  }

  @ParameterizedTest
  @CsvSource({
    "1,1,4",
    "7,7,4",
    "37,37,4",
    "64,64,4",
    "65,65,4",
    "100,33,4",
    "33,100,8",
    "1000,999,256"
  })
  void cellsAndTilesAgreeWithANaiveWalk(long nRows, long nCols, int t) {
    TileGeometry g = new TileGeometry(nRows, nCols, t);
    assertThat(g.maxZoom()).isEqualTo(TileGeometry.maxZoomFor(Math.max(nRows, nCols), t));
    for (int z = 0; z <= g.maxZoom(); z++) {
      long s = 1L << (g.maxZoom() - z);
      assertThat(g.span(z)).isEqualTo(s);
      // Walk the rows: each row falls in exactly one cell, cells tile the axis without gaps.
      long[] rowsPerCell = new long[(int) g.cellRows(z)];
      for (long row = 0; row < nRows; row++) {
        rowsPerCell[(int) (row / s)]++;
      }
      for (int r = 0; r < rowsPerCell.length; r++) {
        assertThat(g.rowExtent(z, r)).isEqualTo(rowsPerCell[r]);
      }
      long[] colsPerCell = new long[(int) g.cellCols(z)];
      for (long col = 0; col < nCols; col++) {
        colsPerCell[(int) (col / s)]++;
      }
      for (int c = 0; c < colsPerCell.length; c++) {
        assertThat(g.colExtent(z, c)).isEqualTo(colsPerCell[c]);
        assertThat(g.pairsInCell(z, 0, c)).isEqualTo(rowsPerCell[0] * colsPerCell[c]);
      }
      checkTiles(g, z, t);
    }
    assertThat(g.cellRows(g.maxZoom())).isEqualTo(nRows);
    assertThat(g.cellCols(g.maxZoom())).isEqualTo(nCols);
    assertThat(g.cellRows(0) <= t && g.cellCols(0) <= t).isTrue();
  }

  private static void checkTiles(TileGeometry g, int z, int t) {
    long cells = 0;
    long upper = 0;
    for (long i = 0; i < g.tileRows(z); i++) {
      for (long j = 0; j < g.tileCols(z); j++) {
        long n = (long) g.rowsInTile(z, i) * g.colsInTile(z, j);
        assertThat(g.rowsInTile(z, i)).isBetween(1, t);
        cells += n;
        if (i <= j) {
          upper += n;
        }
      }
    }
    assertThat(g.storedCells(z, false)).isEqualTo(cells).isEqualTo(g.cellRows(z) * g.cellCols(z));
    assertThat(g.storedTiles(z, false)).isEqualTo(g.tileRows(z) * g.tileCols(z));
    if (g.rows() == g.cols()) {
      assertThat(g.storedCells(z, true)).isEqualTo(upper);
      assertThat(g.storedTiles(z, true)).isEqualTo(g.tileRows(z) * (g.tileRows(z) + 1) / 2);
    }
  }

  @Test
  void storedZoomIsTheFinestLevelWithinBudget() {
    TileGeometry g = TileGeometry.of(30522, 30522);
    int z = g.storedZoomFor(1L << 24, true);
    assertThat(z).isEqualTo(4);
    assertThat(g.storedCells(z, true)).isLessThanOrEqualTo(1L << 24);
    assertThat(g.storedCells(z + 1, true)).isGreaterThan(1L << 24);
    assertThat(TileGeometry.of(100, 100).storedZoomFor(1, true)).isZero();
    assertThat(TileGeometry.of(1000, 1000).storedZoomFor(Long.MAX_VALUE, true)).isEqualTo(2);
  }

  @Test
  void rejectsEmptyShapesAndLevelsOutOfRange() {
    assertThatThrownBy(() -> TileGeometry.of(0, 5))
        .hasMessageContaining("0 × 5")
        .hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> TileGeometry.of(300, 300).span(2))
        .hasMessage("Level 2 is out of range: this matrix has levels 0..1");
    assertThatThrownBy(() -> new TileGeometry(3, 3, 6)).hasMessageContaining("not a power of two");
  }
}
