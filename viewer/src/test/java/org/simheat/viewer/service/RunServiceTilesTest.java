package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.Tile;
import org.simheat.viewer.store.TileData;
import org.simheat.viewer.testing.Close;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;

/** Stored, mirrored and live tiles of the fixture run against a naive double computation. */
class RunServiceTilesTest {
  private static final String RUN = Fixture.RUN_ID;
  private static final TileGeometry GEOMETRY = TileGeometry.of(600, 600);

  private static RunService service;
  private static NaiveSimilarity naive;

  @BeforeAll
  static void open() throws IOException {
    service = new RunService(Fixture.dataDir());
    naive = NaiveSimilarity.fixture();
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void storedTilesOfBothLevelsEqualTheNaivePooling(Metric metric) {
    for (int z = 0; z <= 1; z++) {
      for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
        for (long j = 0; j < GEOMETRY.tileCols(z); j++) {
          Tile t = service.tile(RUN, metric.id(), z, i, j);
          assertTileEqualsNaive(metric, z, i, j, t.rows(), t.cols(), t.mean(), t.max(), t.min());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void liveTilesEqualTheStoredOnesWhereBothExist(Metric metric) {
    double tol = NaiveSimilarity.tolerance(metric);
    for (int z = 0; z <= 1; z++) {
      for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
        for (long j = 0; j < GEOMETRY.tileCols(z); j++) {
          Tile stored = service.tile(RUN, metric.id(), z, i, j);
          TileData live = service.liveTile(RUN, metric.id(), z, i, j);
          assertThat(live.rows()).isEqualTo(stored.rows());
          assertThat(live.cols()).isEqualTo(stored.cols());
          assertClose(live.mean(), stored.mean(), tol);
          assertClose(live.max(), stored.max(), tol);
          assertClose(live.min(), stored.min(), tol);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void liveTilesOfTheFinestLevelEqualTheNaiveValues(Metric metric) {
    assertThat(GEOMETRY.tileRows(2)).isEqualTo(3);
    for (long i = 0; i < 3; i++) {
      for (long j = 0; j < 3; j++) {
        Tile t = service.tile(RUN, metric.id(), 2, i, j);
        assertThat(t.span()).isEqualTo(1);
        assertTileEqualsNaive(metric, 2, i, j, t.rows(), t.cols(), t.mean(), t.max(), t.min());
      }
    }
  }

  @Test
  void aTileReportsItsPlaceInTheLevel() {
    Tile t = service.tile(RUN, "cosine", 1, 1, 0);
    assertThat(t.z()).isEqualTo(1);
    assertThat(t.span()).isEqualTo(2);
    assertThat(t.rowStart()).isEqualTo(256);
    assertThat(t.colStart()).isEqualTo(0);
    assertThat(t.rows()).isEqualTo(44);
    assertThat(t.cols()).isEqualTo(256);
    Tile edge = service.tile(RUN, "dot", 2, 2, 2);
    assertThat(edge.rows()).isEqualTo(600 - 512);
    assertThat(edge.mean()).hasSize(88 * 88);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void mirroredTilesAreTheTransposeOfTheStoredOnes(Metric metric) {
    Tile upper = service.tile(RUN, metric.id(), 1, 0, 1);
    Tile lower = service.tile(RUN, metric.id(), 1, 1, 0);
    assertThat(lower.rows()).isEqualTo(upper.cols());
    assertThat(lower.cols()).isEqualTo(upper.rows());
    for (int r = 0; r < upper.rows(); r++) {
      for (int c = 0; c < upper.cols(); c++) {
        int a = r * upper.cols() + c;
        int b = c * upper.rows() + r;
        assertThat(lower.mean()[b]).isEqualTo(upper.mean()[a]);
        assertThat(lower.max()[b]).isEqualTo(upper.max()[a]);
        assertThat(lower.min()[b]).isEqualTo(upper.min()[a]);
      }
    }
  }

  @Test
  void liveMirrorsAgreeWithEachOther() {
    Tile upper = service.tile(RUN, "cosine", 2, 0, 2);
    Tile lower = service.tile(RUN, "cosine", 2, 2, 0);
    for (int r = 0; r < upper.rows(); r++) {
      for (int c = 0; c < upper.cols(); c++) {
        assertThat((double) lower.mean()[c * upper.rows() + r])
            .isCloseTo(upper.mean()[r * upper.cols() + c], within(1e-6));
      }
    }
  }

  private static void assertTileEqualsNaive(
      Metric metric,
      int z,
      long i,
      long j,
      int rows,
      int cols,
      float[] mean,
      float[] max,
      float[] min) {
    assertThat(rows).isEqualTo(GEOMETRY.rowsInTile(z, i));
    assertThat(cols).isEqualTo(GEOMETRY.colsInTile(z, j));
    long s = GEOMETRY.span(z);
    double tol = NaiveSimilarity.tolerance(metric);
    for (int r = 0; r < rows; r++) {
      long r0 = (i * 256 + r) * s;
      long r1 = Math.min(r0 + s, 600);
      for (int c = 0; c < cols; c++) {
        long c0 = (j * 256 + c) * s;
        long c1 = Math.min(c0 + s, 600);
        NaiveSimilarity.Pool p = naive.pool(metric, r0, r1, c0, c1);
        int k = r * cols + c;
        int rr = r;
        int cc = c;
        Supplier<String> where =
            () ->
                metric.id()
                    + " z="
                    + z
                    + " tile ("
                    + i
                    + ","
                    + j
                    + ") cell ("
                    + rr
                    + ","
                    + cc
                    + ")";
        Close.check(mean[k], p.mean(), tol, () -> where.get() + " mean");
        Close.check(max[k], p.max(), tol, () -> where.get() + " max");
        Close.check(min[k], p.min(), tol, () -> where.get() + " min");
      }
    }
  }

  private static void assertClose(float[] actual, float[] expected, double tol) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int k = 0; k < actual.length; k++) {
      int cell = k;
      Close.check(actual[k], expected[k], tol, () -> "cell " + cell);
    }
  }
}
