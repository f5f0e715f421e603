package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.ClusterChecks;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.PairChecks;
import org.simheat.viewer.testing.PooledCells;
import org.simheat.viewer.testing.RunCase;
import org.simheat.viewer.testing.SyntheticRun;
import org.simheat.viewer.testing.TestServer;

/**
 * The real server over runs in cluster order and cross runs, through real HTTP calls, case by case
 * ({@link RunCase}: any run with a naive reference): the run list names each order, each clustered
 * axis's tree fits its tokens, the cluster-pooled matrices and region pairs equal naive pooling and
 * brute force for every metric, every tile of a cross run is its own (no mirroring), each axis
 * searches its own vocabulary; and what is refused: regions over the cap, malformed parameters,
 * cluster questions to a run in input order.
 */
class ClusterApiIT {
  private static final String LARGE = "20261125T080000Z-1a2e0001";
  private static final String INPUT = "20261125T070000Z-1a9a7001";

  @TempDir static Path data;
  private static List<RunCase> cases;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    new SyntheticRun(INPUT, 300, 4, 7, 1, 128, 64, true, List.of(Metric.COSINE)).write(data);
    new SyntheticRun(LARGE, 2100, 4, 9, 0, 1024, 512, false, List.of(Metric.COSINE)).write(data);
    cases = new ArrayList<>(RunCase.writeSynthetic(data));
    cases.addAll(RunCase.copyJobMade(data));
    server = TestServer.over(new RunService(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<RunCase> cases() {
    return cases;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theRunListNamesTheOrderAndTheAxes(RunCase c) {
    JsonNode run = null;
    for (JsonNode r : get("/api/runs")) {
      if (r.get("runId").asText().equals(c.runId())) {
        run = r;
      }
    }
    assertThat(run).isNotNull();
    assertThat(run.get("order").asText()).isEqualTo(c.clustered() ? "cluster" : "input");
    assertThat(run.get("clusters").asInt()).isEqualTo(c.clusters());
    assertThat(run.get("colsClusters").asInt()).isEqualTo(c.colsClusters());
    assertThat(run.get("symmetric").asBoolean()).isEqualTo(c.reference().symmetric());
    assertThat(run.get("nCols").asInt()).isEqualTo(c.reference().nCols());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachClusteredAxisHasATreeThatFitsItsTokens(RunCase c) {
    NaiveSimilarity naive = c.reference();
    if (!c.clustered()) {
      assertThat(error(path(c, "clusters?axis=rows"), 404))
          .contains("is in input order: it has no clusters");
      return;
    }
    JsonNode rows = get(path(c, "clusters?axis=rows"));
    ClusterChecks.checkTree(rows, naive.vectors(false), naive.tokens(), c.clusters());
    if (naive.symmetric()) {
      assertThat(get(path(c, "clusters?axis=cols")).get("clusters"))
          .isEqualTo(rows.get("clusters"));
    } else if (c.colsClusters() > 0) {
      ClusterChecks.checkTree(
          get(path(c, "clusters?axis=cols")),
          naive.vectors(true),
          naive.colTokens(),
          c.colsClusters());
    } else {
      assertThat(error(path(c, "clusters?axis=cols"), 404)).contains("are in input order");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void clusterTilesOfEveryMetricEqualNaivePoolingOverTheClusterRanges(RunCase c) {
    if (!c.clustered()) {
      assertThat(error(path(c, "cluster-tiles/cosine"), 404)).contains("input order");
      return;
    }
    long[][] rows = ClusterChecks.leafRanges(get(path(c, "clusters")));
    long[][] cols =
        c.reference().symmetric()
            ? rows
            : c.colsClusters() > 0
                ? ClusterChecks.leafRanges(get(path(c, "clusters?axis=cols")))
                : new long[][] {{0, c.reference().nCols()}};
    for (Metric m : Metric.values()) {
      ClusterChecks.checkMatrix(
          get(path(c, "cluster-tiles/" + m.id())), c.reference(), m, rows, cols);
    }
    JsonNode meanOnly = get(path(c, "cluster-tiles/dot?agg=mean"));
    assertThat(meanOnly.has("max")).isFalse();
    assertThat(meanOnly.get("mean")).hasSize(rows.length * cols.length);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void regionPairsOfEveryMetricMatchBruteForce(RunCase c) {
    NaiveSimilarity naive = c.reference();
    long n = naive.n();
    long nCols = naive.nCols();
    // The third region is the first column leaf against the second row leaf (in input order,
    // two stretches of positions).
    long[][] leaves =
        c.clustered()
            ? ClusterChecks.leafRanges(get(path(c, "clusters")))
            : new long[][] {{0, n / 5}, {n / 5, n / 2}};
    long[][] regions = {
      {0, nCols, 0, Math.min(n, 200)},
      {nCols / 4, nCols / 2, n / 3, 2 * n / 3},
      {0, Math.min(nCols, leaves[0][1]), leaves[1][0], leaves[1][1]},
    };
    for (Metric m : Metric.values()) {
      for (long[] r : regions) {
        String query =
            String.format(
                "pairs?metric=%s&x0=%d&x1=%d&y0=%d&y1=%d&limit=15", m.id(), r[0], r[1], r[2], r[3]);
        PairChecks.check(get(path(c, query)), naive, m, r[0], r[1], r[2], r[3], 15);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyTileIsItsOwnNaivePoolingWithoutMirroringAcrossAxes(RunCase c) {
    NaiveSimilarity naive = c.reference();
    TileGeometry g = TileGeometry.of(naive.n(), naive.nCols());
    PooledCells cells = new PooledCells(naive);
    for (int z = 0; z <= g.maxZoom(); z++) {
      for (long i = 0; i < g.tileRows(z); i++) {
        for (long j = 0; j < g.tileCols(z); j++) {
          cells.checkTile(get(path(c, "tiles/l2/" + z + "/" + i + "/" + j)), Metric.L2, g);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void eachAxisSearchesItsOwnVocabulary(RunCase c) {
    NaiveSimilarity naive = c.reference();
    for (String q : List.of(naive.token(0), naive.colToken(0), "_1", "north", "apple")) {
      String encoded = URLEncoder.encode(q, StandardCharsets.UTF_8);
      assertHits(get(path(c, "tokens?limit=30&axis=rows&q=" + encoded)), naive.search(q, 30));
      assertHits(
          get(path(c, "tokens?limit=30&axis=cols&q=" + encoded)), naive.searchColumns(q, 30));
    }
  }

  @Test
  void aRegionOverTheCapIsA400ThatSaysSo() {
    assertThat(error("/api/runs/" + LARGE + "/pairs?x0=0&x1=2100&y0=0&y1=2000", 400))
        .isEqualTo(
            "region rows 0..1999 × columns 0..2099 holds 4,200,000 pairs, over this viewer's limit"
                + " of 4,194,304 (2048 × 2048): select a smaller region");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/runs/"
            + INPUT
            + "/clusters | 404 | run "
            + INPUT
            + " is in input order: it has no clusters (compute it with --order cluster)",
        "/api/runs/"
            + INPUT
            + "/cluster-tiles/cosine | 404 | run "
            + INPUT
            + " is in input order: it has no clusters (compute it with --order cluster)",
        "/api/runs/" + INPUT + "/pairs?x0=0&x1=10 | 400 | Missing parameter 'y0'",
        "/api/runs/"
            + INPUT
            + "/pairs?x0=5&x1=5&y0=0&y1=3 | 400 | empty viewport: x0 = 5 must be less than x1 = 5",
        "/api/runs/"
            + INPUT
            + "/pairs?x0=0&x1=5&y0=400&y1=500 | 400 | y0 = 400 is past the last position 299 of that axis",
        "/api/runs/"
            + INPUT
            + "/pairs?x0=0&x1=5&y0=0&y1=5&limit=0x | 400 | Bad limit: '0x' is not a non-negative decimal integer",
        "/api/runs/"
            + INPUT
            + "/pairs?metric=dot&x0=0&x1=5&y0=0&y1=5 | 404 | unknown metric 'dot': run "
            + INPUT
            + " has cosine",
        "/api/runs/"
            + INPUT
            + "/cluster-tiles/dot | 404 | unknown metric 'dot': run "
            + INPUT
            + " has cosine",
      })
  void badClusterAndPairRequestsGetTheirStatusAndAPlainMessage(
      String target, int status, String message) {
    assertThat(error(target, status)).isEqualTo(message);
  }

  private static void assertHits(
      JsonNode got, List<org.simheat.viewer.service.ViewerService.TokenHit> want) {
    assertThat(got).hasSize(want.size());
    for (int k = 0; k < want.size(); k++) {
      assertThat(got.get(k).get("token").asText()).isEqualTo(want.get(k).token());
      assertThat(got.get(k).get("position").asLong()).isEqualTo(want.get(k).position());
      assertThat(got.get(k).get("id").asLong()).isEqualTo(want.get(k).id());
    }
  }

  private static String path(RunCase c, String rest) {
    return "/api/runs/" + c.runId() + "/" + rest;
  }

  private static JsonNode get(String target) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(200);
    return TestServer.json(r.body());
  }

  private static String error(String target, int status) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(status);
    return ErrorBodies.assertClean(r.body());
  }
}
