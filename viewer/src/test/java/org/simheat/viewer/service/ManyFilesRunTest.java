package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.Tile;
import org.simheat.viewer.service.ViewerService.TokenHit;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.Close;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.SyntheticRun;

/**
 * A run split over many files, row groups and pages (2000 tokens, levels 0..1 stored, 2..3 live):
 * every read crosses file boundaries somewhere, and values still equal the naive computation.
 */
class ManyFilesRunTest {
  private static final SyntheticRun RUN =
      new SyntheticRun(
          "20261124T100000Z-5eed0002", 2000, 6, 2, 1, 300, 50, true, List.of(Metric.values()));
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

  @ParameterizedTest
  @EnumSource(Metric.class)
  void storedAndLiveTilesEqualTheNaivePooling(Metric metric) {
    assertThat(G.maxZoom()).isEqualTo(3);
    for (int z = 0; z <= 1; z++) {
      for (long i = 0; i < G.tileRows(z); i++) {
        for (long j = 0; j < G.tileCols(z); j++) {
          assertEqualsNaive(metric, service.tile(RUN.runId(), metric.id(), z, i, j));
        }
      }
    }
    long[][] live = {{2, 0, 0}, {2, 1, 3}, {2, 3, 1}, {2, 3, 3}, {3, 1, 2}, {3, 7, 7}, {3, 0, 7}};
    for (long[] t : live) {
      assertEqualsNaive(metric, service.tile(RUN.runId(), metric.id(), (int) t[0], t[1], t[2]));
    }
  }

  @Test
  void tokensAndNeighboursAreFoundAcrossFiles() {
    assertThat(service.tokens(RUN.runId(), "LAST", 5, ViewerService.Axis.ROWS))
        .containsExactly(new TokenHit("last", 1999, 1999));
    assertThat(service.tokens(RUN.runId(), "w129", 3, ViewerService.Axis.ROWS))
        .extracting(TokenHit::position)
        .containsExactly(129L, 1290L, 1291L);
    for (Metric m : Metric.values()) {
      for (int p : new int[] {0, 299, 300, 1234, 1999}) {
        ViewerService.NeighborList list = service.neighbors(RUN.runId(), m.id(), p, 5);
        int[] best = naive.topK(m, p, 5);
        assertThat(list.neighbors())
            .extracting(ViewerService.Neighbor::position)
            .containsExactly(asLongs(best));
        assertThat(list.neighbors())
            .extracting(ViewerService.Neighbor::token)
            .containsExactly(
                RUN.token(best[0]),
                RUN.token(best[1]),
                RUN.token(best[2]),
                RUN.token(best[3]),
                RUN.token(best[4]));
      }
    }
  }

  @Test
  void viewsPoolExactlyAcrossTilesAndFiles() {
    JsonNode spec =
        service.view(RUN.runId(), new ViewRequest("l2", "max", 250, 1700, 280, 330, 64));
    JsonNode values = spec.get("data").get("values");
    assertThat(spec.at("/usermeta/level").asInt()).isBetween(1, 3);
    long pairs = 0;
    for (JsonNode d : values) {
      NaiveSimilarity.Pool p =
          naive.pool(
              Metric.L2,
              d.get("y0").asLong(),
              d.get("y1").asLong(),
              d.get("x0").asLong(),
              d.get("x1").asLong());
      Close.check(d.get("mean").asDouble(), p.mean(), 2e-3, d::toString);
      Close.check(d.get("max").asDouble(), p.max(), 2e-3, d::toString);
      Close.check(d.get("min").asDouble(), p.min(), 2e-3, d::toString);
      pairs += d.get("pairs").asLong();
    }
    JsonNode meta = spec.get("usermeta");
    assertThat(pairs)
        .isEqualTo(
            (meta.get("x1").asLong() - meta.get("x0").asLong())
                * (meta.get("y1").asLong() - meta.get("y0").asLong()));
  }

  private static void assertEqualsNaive(Metric metric, Tile t) {
    long s = G.span(t.z());
    double tol = NaiveSimilarity.tolerance(metric);
    for (int r = 0; r < t.rows(); r++) {
      long r0 = (t.rowStart() + r) * s;
      for (int c = 0; c < t.cols(); c++) {
        long c0 = (t.colStart() + c) * s;
        NaiveSimilarity.Pool p =
            naive.pool(metric, r0, Math.min(r0 + s, 2000), c0, Math.min(c0 + s, 2000));
        int k = r * t.cols() + c;
        String where = metric.id() + " tile (" + t.z() + "," + t.i() + "," + t.j() + ") cell " + k;
        Close.check(t.mean()[k], p.mean(), tol, () -> where + " mean");
        Close.check(t.max()[k], p.max(), tol, () -> where + " max");
        Close.check(t.min()[k], p.min(), tol, () -> where + " min");
      }
    }
  }

  private static Long[] asLongs(int[] a) {
    Long[] out = new Long[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = (long) a[k];
    }
    return out;
  }
}
