package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.Tile;
import org.simheat.viewer.store.TileData;
import org.simheat.viewer.testing.Close;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * Live tiles at the dimension of real models (d = 768) equal the naive double-precision pooling on
 * a small seeded run (600 tokens, levels 0 stored and 1..2 live, embeddings in 4 MiB row groups as
 * the job writes them): every tile of every live level, with all aggregations through the pairwise
 * pass and with the mean alone by bilinearity, and the live computation of the stored level too.
 */
class LiveTilesAt768Test {
  private static final int N = 600;
  private static final int D = 768;
  private static final SyntheticRun RUN =
      new SyntheticRun(
          "20261124T100000Z-5eed0768",
          N,
          D,
          7,
          0,
          256,
          20_000,
          true,
          List.of(Metric.values()),
          SyntheticRun.JOB_EMBEDDING_ROW_GROUP);
  private static final TileGeometry G = RUN.geometry();

  @TempDir static Path data;
  private static RunService service;
  private static NaiveSimilarity naive;

  @BeforeAll
  static void write() throws IOException {
    RUN.write(data);
    service = new RunService(data);
    naive = NaiveSimilarity.of(RUN);
  }

  /** Absolute tolerance at d = 768: float products of 768 terms, relative error about 1e-6. */
  private static double tolerance(Metric metric) {
    return switch (metric) {
      case COSINE -> 2e-5;
      case DOT -> 1e-2;
      case L2 -> 2e-2;
    };
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void everyLiveTileEqualsTheNaivePooling(Metric metric) {
    assertThat(G.maxZoom()).isEqualTo(2);
    for (int z = 1; z <= 2; z++) {
      for (long i = 0; i < G.tileRows(z); i++) {
        for (long j = 0; j < G.tileCols(z); j++) {
          Tile t = service.tile(RUN.runId(), metric.id(), z, i, j);
          check(metric, z, i, j, t.mean(), t.max(), t.min());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"COSINE", "DOT"})
  void theMeanAloneByBilinearityEqualsTheNaiveMean(Metric metric) {
    for (int z = 1; z <= 2; z++) {
      for (long i = 0; i < G.tileRows(z); i++) {
        for (long j = 0; j < G.tileCols(z); j++) {
          Tile t = service.tile(RUN.runId(), metric.id(), z, i, j, Set.of(Aggregation.MEAN));
          assertThat(t.max()).isNull();
          assertThat(t.min()).isNull();
          check(metric, z, i, j, t.mean(), null, null);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theLiveComputationOfTheStoredLevelEqualsTheNaivePooling(Metric metric) {
    TileData t = service.liveTile(RUN.runId(), metric.id(), 0, 0, 0);
    check(metric, 0, 0, 0, t.mean(), t.max(), t.min());
  }

  private static void check(
      Metric metric, int z, long i, long j, float[] mean, float[] max, float[] min) {
    long s = G.span(z);
    double tol = tolerance(metric);
    int rows = G.rowsInTile(z, i);
    int cols = G.colsInTile(z, j);
    for (int r = 0; r < rows; r++) {
      long r0 = (i * G.tileSize() + r) * s;
      for (int c = 0; c < cols; c++) {
        long c0 = (j * G.tileSize() + c) * s;
        NaiveSimilarity.Pool p =
            naive.pool(metric, r0, Math.min(r0 + s, N), c0, Math.min(c0 + s, N));
        int k = r * cols + c;
        String where = metric.id() + " tile (" + z + "," + i + "," + j + ") cell " + k;
        Close.check(mean[k], p.mean(), tol, () -> where + " mean");
        if (max != null) {
          Close.check(max[k], p.max(), tol, () -> where + " max");
          Close.check(min[k], p.min(), tol, () -> where + " min");
        }
      }
    }
  }
}
