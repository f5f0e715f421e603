package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ViewerService.Axis;
import org.simheat.viewer.service.ViewerService.ClusterMatrix;
import org.simheat.viewer.service.ViewerService.RunSummary;
import org.simheat.viewer.testing.ClusterChecks;
import org.simheat.viewer.testing.ContractRun;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;

/**
 * The cluster queries of {@link RunService} over runs in cluster order written as the contract lays
 * them out: the run list names each run's order, the trees and the cluster-pooled matrices equal a
 * naive computation, a run in input order answers 404, and a run whose tree contradicts its
 * manifest is refused with the reason.
 */
class RunServiceClustersTest {
  private static final String CLUSTERED = "20261124T100000Z-c1a5e4ed";
  private static final String INPUT = "20261124T090000Z-1a9a7000";
  private static final int K = 7;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path data;
  private static ContractRun clustered;
  private static RunService service;

  @BeforeAll
  static void write() throws IOException {
    ContractRun.symmetric(INPUT, "2026-11-24T09:00:00Z", 300, 6, 5, K, false).write(data);
    clustered = ContractRun.symmetric(CLUSTERED, "2026-11-24T10:00:00Z", 300, 6, 5, K, true);
    clustered.write(data);
    service = new RunService(data);
  }

  @Test
  void theRunListNamesEachRunsOrderAndClusters() {
    assertThat(service.runs())
        .extracting(RunSummary::runId, RunSummary::order, RunSummary::clusters, RunSummary::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CLUSTERED, "cluster", K, "synthetic:rows-5"),
            org.assertj.core.groups.Tuple.tuple(INPUT, "input", 0, "synthetic:rows-5"));
  }

  @Test
  void bothAxesOfASymmetricRunHaveTheTreeOfItsRows() {
    NaiveSimilarity naive = clustered.reference();
    JsonNode rows = JSON.valueToTree(service.clusters(CLUSTERED, Axis.ROWS));
    JsonNode cols = JSON.valueToTree(service.clusters(CLUSTERED, Axis.COLS));

    ClusterChecks.checkTree(rows, naive.vectors(false), naive.tokens(), K);
    assertThat(rows.get("clusters")).isEqualTo(cols.get("clusters"));
    assertThat(rows.get("clusters")).hasSize(2 * K - 1);
    assertThat(rows.get("algorithm").asText()).isEqualTo("bisecting-kmeans");
    assertThat(cols.get("axis").asText()).isEqualTo("cols");
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void theClusterPooledMatrixEqualsNaivePoolingOverTheLeafRanges(Metric metric) {
    NaiveSimilarity naive = clustered.reference();
    long[][] leaves =
        ClusterChecks.leafRanges(JSON.valueToTree(service.clusters("latest", Axis.ROWS)));
    JsonNode matrix = JSON.valueToTree(service.clusterTiles(CLUSTERED, metric.id(), Set.of()));

    ClusterChecks.checkMatrix(matrix, naive, metric, leaves, leaves);
  }

  @Test
  void aMatrixAskedForOneAggregationHoldsOnlyThatOne() {
    ClusterMatrix all = service.clusterTiles(CLUSTERED, "dot", Set.of());
    ClusterMatrix max = service.clusterTiles(CLUSTERED, "dot", Set.of(Aggregation.MAX));

    assertThat(max.mean()).isNull();
    assertThat(max.min()).isNull();
    assertThat(max.max()).containsExactly(all.max());
    assertThat(max.pairs()).containsExactly(all.pairs());
  }

  @Test
  void aRunInInputOrderHasNoClusters() {
    assertApi(
        () -> service.clusters(INPUT, Axis.ROWS),
        404,
        "run "
            + INPUT
            + " is in input order: it has no clusters (compute it with --order cluster)");
    assertApi(() -> service.clusterTiles(INPUT, "cosine", Set.of()), 404, "is in input order");
    assertApi(
        () -> service.clusterTiles(CLUSTERED, "nope", Set.of()), 404, "unknown metric 'nope'");
  }

  @Test
  void aRunWhoseTreeContradictsItsManifestIsRefused(@TempDir Path other) throws IOException {
    clustered.write(other);
    Fixture.editManifest(other, CLUSTERED, "\"clusters\" : 7", "\"clusters\" : 8");
    RunService refusing = new RunService(other);

    assertApi(
        () -> refusing.clusters(CLUSTERED, Axis.ROWS),
        404,
        "run "
            + CLUSTERED
            + " cannot be served: its clusters table: it has 7 leaf clusters where the manifest"
            + " says 8");
  }

  static void assertApi(Runnable call, int status, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessageContaining(message);
  }
}
