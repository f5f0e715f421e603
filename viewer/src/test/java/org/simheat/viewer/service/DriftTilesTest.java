package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.viewer.store.TileData;
import org.simheat.viewer.testing.Fixture;

/**
 * The Δ math of {@link DriftTiles} on the drift fixture, against each run's own tiles computed from
 * its embeddings ({@link RunService#liveTile}): the mean of differences is the difference of means,
 * at a level both runs store (stored means subtracted) and at live levels (every pair of both
 * runs); max |Δ| bounds |mean Δ| and, one pair a cell, equals it.
 */
class DriftTilesTest {
  @TempDir static Path data;
  private static String b;
  private static String a;
  private static RunService service;

  @BeforeAll
  static void open() throws IOException {
    List<String> ids = Fixture.addFixtureRuns(data, "fixture-drift");
    b = ids.get(0);
    a = ids.get(1);
    service = new RunService(data);
  }

  @ParameterizedTest
  @CsvSource({
    "cosine,0,0,0,2e-5",
    "dot,0,0,0,2e-4",
    "cosine,1,1,0,1e-5",
    "dot,1,0,1,1e-4",
    "dot,2,2,1,1e-4",
    "cosine,2,0,0,1e-5"
  })
  void theMeanOfDifferencesIsTheDifferenceOfMeans(
      String metric, int z, long i, long j, double tolerance) {
    DriftQueries.Tile t = service.drift().tile(a, b, metric, z, i, j);
    TileData ta = service.liveTile(a, metric, z, i, j);
    TileData tb = service.liveTile(b, metric, z, i, j);
    assertThat(t.rows()).isEqualTo(ta.rows());
    assertThat(t.cols()).isEqualTo(ta.cols());
    assertThat(t.maxAbs() == null).isEqualTo(z == 0);
    for (int k = 0; k < ta.mean().length; k++) {
      double diff = (double) ta.mean()[k] - tb.mean()[k];
      assertThat((double) t.mean()[k]).as("cell %d", k).isCloseTo(diff, within(tolerance));
      if (t.maxAbs() != null) {
        assertThat((double) t.maxAbs()[k]).isGreaterThanOrEqualTo(Math.abs(t.mean()[k]) - 1e-6);
        if (z == 2) {
          assertThat((double) t.maxAbs()[k]).isCloseTo(Math.abs(diff), within(tolerance));
        }
      }
    }
  }

  @Test
  void aRunDeletedAfterItsAlignmentWasCheckedIs404(@TempDir Path own) throws IOException {
    List<String> ids = Fixture.addFixtureRuns(own, "fixture-drift");
    RunService mine = new RunService(own);
    assertThat(mine.drift().summary(ids.get(1), ids.get(0)).aligned()).isTrue();
    Fixture.deleteTree(own.resolve("runs").resolve(ids.get(0)));
    String gone = "run " + ids.get(0) + " no longer exists";
    assertThatThrownBy(() -> mine.drift().tile(ids.get(1), ids.get(0), "cosine", 2, 0, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage(gone);
    assertThatThrownBy(() -> mine.drift().summary(ids.get(1), ids.get(0))).hasMessage(gone);
  }
}
