package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.simheat.viewer.service.RunServiceClustersTest.assertApi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.ClusterMatrix;
import org.simheat.viewer.service.ViewerService.Neighbor;
import org.simheat.viewer.service.ViewerService.Tile;
import org.simheat.viewer.service.ViewerService.ViewRequest;
import org.simheat.viewer.testing.ClusterChecks;
import org.simheat.viewer.testing.ContractRun;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.PooledCells;

/**
 * {@link RunService} over cross runs (rows from one set, columns from another): every stored and
 * live tile equals the naive rectangular pooling and none is a mirror, views label each axis with
 * its own tokens and ignore the mask, each axis searches its own vocabulary, neighbours are
 * columns, and the clusters of each axis (or of the rows alone) describe their own tree.
 */
class RunServiceCrossTest {
  private static final String CROSS = "20261124T110000Z-c2055c1a";
  private static final String ROWS_ONLY = "20261124T100000Z-c2055000";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  private static ContractRun run;
  private static NaiveSimilarity naive;
  private static RunService service;

  @BeforeAll
  static void write() throws IOException {
    run = ContractRun.cross(CROSS, "2026-11-24T11:00:00Z", 600, 300, 6, 8, 6, 4);
    run.write(data);
    ContractRun.cross(ROWS_ONLY, "2026-11-24T10:00:00Z", 300, 120, 6, 9, 5, 0).write(data);
    naive = run.reference();
    service = new RunService(data);
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void everyStoredAndLiveTileIsTheNaiveRectangularPooling(Metric metric) {
    TileGeometry g = run.geometry();
    PooledCells cells = new PooledCells(naive);
    assertThat(g.maxZoom()).as("level 2 is live").isEqualTo(2);
    for (int z = 0; z <= g.maxZoom(); z++) {
      for (long i = 0; i < g.tileRows(z); i++) {
        for (long j = 0; j < g.tileCols(z); j++) {
          cells.checkTile(JSON.valueToTree(service.tile(CROSS, metric.id(), z, i, j)), metric, g);
        }
      }
    }
  }

  @Test
  void noTileIsTheMirrorOfItsTwin() {
    Tile upper = service.tile(CROSS, "cosine", 2, 0, 1);
    Tile lower = service.tile(CROSS, "cosine", 2, 1, 0);
    assertThat(lower.rows()).isEqualTo(256);
    assertThat(lower.cols()).isEqualTo(256);
    assertThat(upper.cols()).isEqualTo(44);
    Tile live = service.tile(CROSS, "dot", 2, 1, 1, Set.of(Aggregation.MEAN));
    assertThat(live.mean()[0])
        .isCloseTo(
            (float) naive.value(Metric.DOT, 256, 256), org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(Arrays.equals(lower.mean(), upper.mean())).isFalse();
  }

  @Test
  void viewsLabelEachAxisWithItsOwnTokensAndIgnoreTheMask() {
    JsonNode spec = service.view(CROSS, new ViewRequest("l2", "min", 250, 290, 570, 600, 32, true));
    new PooledCells(naive).checkView(spec, Metric.L2, Aggregation.MIN, 30 * 20);
    assertThat(spec.at("/usermeta/binCols").asLong()).isEqualTo(2);
    assertThat(spec.at("/usermeta/level").asInt()).isEqualTo(2);
    assertThat(spec.at("/usermeta/maskIgnored").asText()).contains("is rectangular");
    assertThat(spec.at("/encoding/y/title").asText()).isEqualTo("rows · synthetic:rows-8");
    assertThat(spec.at("/encoding/x/title").asText()).isEqualTo("columns · synthetic:cols-8");
    assertThat(spec.at("/data/values/0/colLabel").asText())
        .isEqualTo(naive.colToken(250) + " +1 more");
    assertThat(naive.colToken(250)).startsWith("west_");
  }

  @Test
  void eachAxisSearchesItsOwnVocabulary() {
    for (String q : List.of("north", "apple", "_1", "WINTER_2")) {
      assertThat(service.tokens(CROSS, q, 40, Axis.ROWS)).isEqualTo(naive.search(q, 40));
      assertThat(service.tokens(CROSS, q, 40, Axis.COLS)).isEqualTo(naive.searchColumns(q, 40));
    }
    assertThat(service.tokens(CROSS, "north", 5, Axis.ROWS)).isEmpty();
    assertThat(service.tokens(CROSS, "apple", 5, Axis.COLS)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void neighboursOfARowAreItsBestColumns(Metric metric) {
    for (int p : new int[] {0, 311, 599}) {
      List<Neighbor> got = service.neighbors(CROSS, metric.id(), p, 0).neighbors();
      int[] best = naive.topK(metric, p, got.size());
      assertThat(got.stream().mapToLong(Neighbor::position).toArray())
          .containsExactly(Arrays.stream(best).asLongStream().toArray());
      assertThat(got.get(0).token()).isEqualTo(naive.colToken(best[0]));
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void eachAxisHasItsOwnTreeAndTheMatrixPoolsRowClustersByColumnClusters(Metric metric) {
    JsonNode rows = JSON.valueToTree(service.clusters(CROSS, Axis.ROWS));
    JsonNode cols = JSON.valueToTree(service.clusters(CROSS, Axis.COLS));
    ClusterChecks.checkTree(rows, naive.vectors(false), naive.tokens(), 6);
    ClusterChecks.checkTree(cols, naive.vectors(true), naive.colTokens(), 4);

    JsonNode matrix = JSON.valueToTree(service.clusterTiles(CROSS, metric.id(), Set.of()));
    ClusterChecks.checkMatrix(
        matrix, naive, metric, ClusterChecks.leafRanges(rows), ClusterChecks.leafRanges(cols));
  }

  @Test
  void columnsInInputOrderAreOneClusterBesideTheClusteredRows() {
    assertApi(
        () -> service.clusters(ROWS_ONLY, Axis.COLS),
        404,
        "the columns of run " + ROWS_ONLY + " are in input order: only its rows are clustered");
    ClusterMatrix m = service.clusterTiles(ROWS_ONLY, "cosine", Set.of());
    assertThat(m.rows()).isEqualTo(5);
    assertThat(m.cols()).isEqualTo(1);
    assertThat(m.colClusters().get(0).label()).isEqualTo("all columns");
    assertThat(m.colClusters().get(0).end()).isEqualTo(120);
    assertThat(service.runs())
        .filteredOn(r -> r.runId().equals(ROWS_ONLY))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.symmetric()).isFalse();
              assertThat(r.colsSource()).isEqualTo("synthetic:cols-9");
              assertThat(r.clusters()).isEqualTo(5);
              assertThat(r.colsClusters()).isZero();
            });
  }
}
