package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.service.ViewerService.TokenHit;
import org.simheat.viewer.testing.BinaryTile;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.PairChecks;
import org.simheat.viewer.testing.PooledCells;
import org.simheat.viewer.testing.RawHttp;
import org.simheat.viewer.testing.TestServer;

/**
 * The real server over the real {@link RunService} over the committed fixture run (computed by the
 * Spark job), through real HTTP calls: every tile of every level, viewport, search hit and
 * neighbour list against a naive double-precision computation from the fixture's input.npy and
 * input.txt; what it refuses (4xx with a plain JSON message, path traversal in every spelling);
 * gzip and keep-alive.
 */
class ApiIT {
  private static final String RUN = Fixture.RUN_ID;
  private static final TileGeometry GEOMETRY = TileGeometry.of(600, 600);

  private static TestServer server;
  private static NaiveSimilarity naive;
  private static PooledCells cells;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.over(new RunService(Fixture.dataDir()));
    naive = NaiveSimilarity.fixture();
    cells = new PooledCells(naive);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theRunListAndManifestDescribeTheFixtureRun() {
    JsonNode runs = getJson("/api/runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("runId").asText()).isEqualTo(RUN);
    assertThat(runs.get(0).get("latest").asBoolean()).isTrue();
    assertThat(runs.get(0).get("n").asLong()).isEqualTo(600);
    assertThat(runs.get(0).get("dim").asInt()).isEqualTo(8);
    JsonNode manifest = getJson("/api/runs/latest/manifest");
    assertThat(manifest.get("runId").asText()).isEqualTo(RUN);
    assertThat(manifest.get("storedZoom").asInt()).isEqualTo(1);
    assertThat(manifest.get("maxZoom").asInt()).isEqualTo(2);
    assertThat(manifest.get("metrics")).extracting(JsonNode::asText).contains("cosine", "l2");
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void storedAndLiveTilesOfEveryLevelEqualTheNaivePooling(Metric metric) {
    for (int z = 0; z <= GEOMETRY.maxZoom(); z++) {
      for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
        for (long j = 0; j < GEOMETRY.tileCols(z); j++) {
          JsonNode tile = getJson(tilePath(RUN, metric, z, i, j));
          assertThat(tile.get("z").asInt()).isEqualTo(z);
          assertThat(tile.get("i").asLong()).isEqualTo(i);
          assertThat(tile.get("j").asLong()).isEqualTo(j);
          assertThat(tile.get("span").asLong()).isEqualTo(GEOMETRY.span(z));
          assertThat(tile.get("rowStart").asLong()).isEqualTo(i * GEOMETRY.tileSize());
          assertThat(tile.get("colStart").asLong()).isEqualTo(j * GEOMETRY.tileSize());
          assertThat(tile.get("rows").asInt()).isEqualTo(GEOMETRY.rowsInTile(z, i));
          assertThat(tile.get("cols").asInt()).isEqualTo(GEOMETRY.colsInTile(z, j));
          cells.checkTile(tile, metric, GEOMETRY);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void binaryTilesOfEveryLevelDecodeToTheFloatsOfTheJsonTiles(Metric metric) {
    for (int z = 0; z <= GEOMETRY.maxZoom(); z++) {
      for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
        for (long j = 0; j < GEOMETRY.tileCols(z); j++) {
          String path = tilePath(RUN, metric, z, i, j);
          JsonNode json = getJson(path);
          HttpResponse<byte[]> r = server.getBytes(path + "?format=f32");
          assertThat(r.statusCode()).isEqualTo(200);
          BinaryTile b = BinaryTile.decode(r.body());
          assertThat(new long[] {b.z(), b.i(), b.j(), b.span(), b.rows(), b.cols()})
              .containsExactly(
                  z, i, j, GEOMETRY.span(z), GEOMETRY.rowsInTile(z, i), GEOMETRY.colsInTile(z, j));
          for (Aggregation a : Aggregation.values()) {
            float[] values =
                a == Aggregation.MEAN ? b.mean() : a == Aggregation.MAX ? b.max() : b.min();
            JsonNode expected = json.get(a.id());
            assertThat(values).hasSize(expected.size());
            for (int k = 0; k < values.length; k++) {
              assertThat(values[k]).isEqualTo(expected.get(k).floatValue());
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"COSINE", "DOT"})
  void liveMeanTilesAloneEqualTheNaiveMean(Metric metric) {
    int z = GEOMETRY.maxZoom();
    for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
      for (long j = 0; j < GEOMETRY.tileCols(z); j++) {
        BinaryTile b =
            BinaryTile.decode(
                server.getBytes(tilePath(RUN, metric, z, i, j) + "?format=f32&agg=mean").body());
        assertThat(b.aggs()).isEqualTo(1);
        for (int r = 0; r < b.rows(); r++) {
          for (int c = 0; c < b.cols(); c++) {
            int row = b.rowStart() + r;
            int col = b.colStart() + c;
            assertThat((double) b.mean()[r * b.cols() + c])
                .as("%s (%d, %d)", metric.id(), row, col)
                .isCloseTo(naive.value(metric, row, col), within(PooledCells.tolerance(metric, 1)));
          }
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void mirroredTilesAreTheTransposeOfTheirTwins(Metric metric) {
    for (int z = 1; z <= GEOMETRY.maxZoom(); z++) {
      double tolerance = z <= 1 ? 0 : PooledCells.tolerance(metric, 1);
      for (long i = 0; i < GEOMETRY.tileRows(z); i++) {
        for (long j = 0; j < i; j++) {
          JsonNode lower = getJson(tilePath(RUN, metric, z, i, j));
          JsonNode upper = getJson(tilePath(RUN, metric, z, j, i));
          PooledCells.checkTranspose(lower, upper, tolerance);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void regionPairsAreTheBruteForceBestPairsCountedOnce(Metric metric) {
    long[][] regions = {{0, 600, 0, 600}, {0, 40, 560, 600}, {100, 180, 140, 260}, {9, 12, 9, 12}};
    for (long[] r : regions) {
      JsonNode answer =
          getJson(
              String.format(
                  "/api/runs/%s/pairs?metric=%s&x0=%d&x1=%d&y0=%d&y1=%d&limit=25",
                  RUN, metric.id(), r[0], r[1], r[2], r[3]));
      PairChecks.check(answer, naive, metric, r[0], r[1], r[2], r[3], 25);
    }
    JsonNode copies =
        getJson(
            "/api/runs/latest/pairs?metric=" + metric.id() + "&x0=0&x1=600&y0=0&y1=600&limit=1");
    if (metric != Metric.DOT) {
      assertThat(
              new long[] {copies.at("/pairs/0/row").asLong(), copies.at("/pairs/0/col").asLong()})
          .as("row 599 is a copy of row 10: the best pair of the whole matrix")
          .containsExactly(10, 599);
    }
  }

  @Test
  void aRunInInputOrderAnswersClusterQuestionsWith404() {
    HttpResponse<String> r = server.get("/api/runs/latest/clusters");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(ErrorBodies.assertClean(r.body())).contains("is in input order: it has no clusters");
  }

  @Test
  void latestServesTheSameTilesAsTheRunId() {
    assertThat(getJson(tilePath("latest", Metric.DOT, 1, 1, 0)))
        .isEqualTo(getJson(tilePath(RUN, Metric.DOT, 1, 1, 0)));
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void viewsOfEveryPoolingEqualTheNaivePoolingOfTheirBins(Metric metric) {
    for (Aggregation agg : Aggregation.values()) {
      JsonNode whole = view(metric, agg, 0, 600, 0, 600, 128);
      assertThat(whole.at("/usermeta/level").asInt()).isZero();
      assertThat(whole.at("/usermeta/binRows").asLong()).isEqualTo(8);
      cells.checkView(whole, metric, agg, 75 * 75);

      JsonNode live = view(metric, agg, 100, 130, 570, 600, 32);
      assertThat(live.at("/usermeta/level").asInt()).isEqualTo(2);
      assertThat(live.at("/usermeta/span").asLong()).isEqualTo(1);
      cells.checkView(live, metric, agg, 30 * 30);
      assertThat(live.at("/data/values/899/rowLabel").asText()).isEqualTo("the-last");
    }
  }

  @Test
  void unalignedAndOneAxisViewportsArePooledExactly() {
    JsonNode oneAxis = view(Metric.COSINE, Aggregation.MIN, 0, 600, 100, 140, 64);
    assertThat(oneAxis.at("/usermeta/binRows").asLong()).isEqualTo(2);
    assertThat(oneAxis.at("/usermeta/binCols").asLong()).isEqualTo(10);
    cells.checkView(oneAxis, Metric.COSINE, Aggregation.MIN, 20 * 60);
    JsonNode unaligned = view(Metric.L2, Aggregation.MAX, 5, 203, 17, 411, 40);
    assertThat(unaligned.at("/usermeta/x0").asLong()).isLessThanOrEqualTo(5);
    assertThat(unaligned.at("/usermeta/y1").asLong()).isGreaterThanOrEqualTo(411);
    cells.checkView(unaligned, Metric.L2, Aggregation.MAX, unaligned.at("/data/values").size());
  }

  @Test
  void searchMatchesPrefixesThenSubstringsIgnoringCase() {
    assertThat(tokens("TOK8", "&limit=5"))
        .containsExactly(
            new TokenHit("tok8", 7, 7),
            new TokenHit("tok8", 8, 8),
            new TokenHit("tok80", 80, 80),
            new TokenHit("tok81", 81, 81),
            new TokenHit("tok82", 82, 82));
    assertThat(tokens("42", "&limit=100")).isEqualTo(naive.search("42", 100));
    assertThat(tokens("42", "").get(0)).isEqualTo(new TokenHit("42", 21, 21));
    assertThat(tokens("ok1", "&limit=30")).isEqualTo(naive.search("ok1", 30));
    assertThat(tokens("tok", "")).isEqualTo(naive.search("tok", 20));
    assertThat(tokens("tok", "&limit=1000")).isEqualTo(naive.search("tok", 100));
  }

  @Test
  void searchFindsNonAsciiNumericAndTheLastTokenOnBothAxes() {
    TokenHit naive9 = new TokenHit("naïve東京", 9, 9);
    assertThat(tokens("naïve東京", "")).containsExactly(naive9);
    assertThat(tokens("東京", "&axis=cols")).containsExactly(naive9);
    assertThat(tokens("NAÏVE", "")).containsExactly(naive9);
    assertThat(tokens("1999", "")).containsExactly(new TokenHit("1999", 20, 20));
    assertThat(tokens("the-last", "&axis=cols"))
        .containsExactly(new TokenHit("the-last", 599, 599));
    assertThat(tokens("-LAST", "")).containsExactly(new TokenHit("the-last", 599, 599));
  }

  @ParameterizedTest
  @EnumSource(Metric.class)
  void neighboursAreTheTrueTopKWithTheirScores(Metric metric) {
    for (int p : new int[] {0, 3, 7, 9, 10, 21, 300, 599}) {
      JsonNode list = getJson("/api/runs/latest/neighbors/" + metric.id() + "/" + p + "?k=10");
      assertThat(list.get("position").asLong()).isEqualTo(p);
      assertThat(list.get("token").asText()).isEqualTo(naive.token(p));
      assertThat(list.get("metric").asText()).isEqualTo(metric.id());
      JsonNode neighbours = list.get("neighbors");
      assertThat(neighbours).hasSize(10);
      double[] best = naive.bestScores(metric, p);
      double tolerance = PooledCells.tolerance(metric, Math.abs(best[0]));
      for (int e = 0; e < 10; e++) {
        JsonNode nb = neighbours.get(e);
        int q = nb.get("position").asInt();
        assertThat(q).isNotEqualTo(p);
        assertThat(nb.get("token").asText()).isEqualTo(naive.token(q));
        assertThat(nb.get("score").asDouble())
            .as("%s neighbour %d of %d", metric.id(), e, p)
            .isCloseTo(naive.value(metric, p, q), within(tolerance))
            .isCloseTo(best[e], within(tolerance));
      }
    }
  }

  @Test
  void theDuplicatedRowAndItsTwinAreEachOthersBestNeighbour() {
    for (String metric : new String[] {"cosine", "l2"}) {
      assertThat(bestNeighbour(metric, 599)).as(metric).isEqualTo(10);
      assertThat(bestNeighbour(metric, 10)).as(metric).isEqualTo(599);
    }
    assertThat(getJson("/api/runs/latest/neighbors/dot/10?k=3").get("neighbors")).hasSize(3);
    assertThat(getJson("/api/runs/latest/neighbors/dot/10").get("neighbors")).hasSize(10);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/api/runs/20991231T000000Z-00000000/manifest | 404 | unknown run '20991231T000000Z-00000000'",
        "/api/runs/not-a-run/manifest | 400 | Bad run 'not-a-run': expected 'latest' or a run id",
        "/api/runs/latest/tiles/jaccard/0/0/0 | 400 | Bad metric 'jaccard': choose from cosine, dot, l2",
        "/api/runs/latest/tiles/cosine/3/0/0 | 404 | level 3 is out of range: run RUN has levels 0..2",
        "/api/runs/latest/tiles/dot/1/2/0 | 404 | tile (1, 2, 0) is outside level 1's grid of 2 × 2"
            + " tiles: i in 0..1, j in 0..1",
        "/api/runs/latest/tiles/l2/2/0/3 | 404 | tile (2, 0, 3) is outside level 2's grid of 3 × 3"
            + " tiles: i in 0..2, j in 0..2",
        "/api/runs/latest/tiles/cosine/abc/0/0 | 400 | Bad z: 'abc' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tiles/cosine/0/-1/0 | 400 | Bad i: '-1' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tiles/cosine/0/0/1.5 | 400 | Bad j: '1.5' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tiles/cosine/0/0/0x1 | 400 | Bad j: '0x1' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tiles/cosine/0/%2B1/0 | 400 | Bad i: '+1' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tiles/cosine/2147483648/0/0 | 400 | Bad z: 2147483648 is larger than"
            + " 2147483647",
        "/api/runs/latest/tiles/cosine/0/9999999999999999999/0 | 400 | Bad i: 9999999999999999999"
            + " is larger than 9223372036854775807",
        "/api/runs/latest/neighbors/cosine/600 | 404 | position 600 is out of range: run RUN has"
            + " positions 0..599",
        "/api/runs/latest/neighbors/cosine/-3 | 400 | Bad position: '-3' is not a non-negative"
            + " decimal integer",
        "/api/runs/latest/neighbors/dot/5?k=-2 | 400 | Bad k: '-2' is not a non-negative decimal"
            + " integer",
        "/api/runs/latest/tokens?q= | 400 | q must not be empty",
        "/api/runs/latest/tokens?q=tok&limit=ten | 400 | Bad limit: 'ten' is not a non-negative"
            + " decimal integer",
        "/api/runs/latest/view?res=16 | 400 | res must be 32..512, got 16",
        "/api/runs/latest/view?agg=median | 400 | Bad agg 'median': choose from mean, max, min",
        "/api/runs/latest/view?x0=-5 | 400 | Bad x0: '-5' is not a non-negative decimal integer",
        "/api/runs/latest/view?x0=600&x1=700 | 400 | x0 = 600 is past the last position 599 of that"
            + " axis",
        "/api/runs/latest/tiles/cosine/0/0 | 404 | No such API route",
      })
  void badRequestsGetTheirStatusAndAPlainJsonMessage(String target, int status, String message) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    assertThat(ErrorBodies.assertClean(r.body())).isEqualTo(message.replace("RUN", RUN));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/runs/..%2f..%2fetc/manifest",
        "/api/runs/%2e%2e%2f%2e%2e%2fetc/manifest",
        "/api/runs/%2e%2e/tiles/cosine/0/0/0",
        "/api/runs/%252e%252e%252f%252e%252e/manifest",
        "/api/runs/latest%2f..%2f..%2f" + RUN + "/manifest",
        "/api/runs/..%5c..%5c" + RUN + "/manifest",
        "/api/runs/..\\..\\etc/manifest",
        "/api/runs/" + RUN + "%2f..%2f..%2f/manifest",
        "/api/runs/latest/tiles/..%2fcosine/0/0/0",
        "/api/runs/latest/tiles/cosine%2f..%2f..%2f..%2fembeddings/0/0/0",
        "/api/runs/latest/neighbors/%2e%2e%5cl2/1",
        "/api/runs/runs%2f" + RUN + "/manifest",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%252e%252e/%252e%252e/runs/" + RUN + "/manifest.json",
        "/..%5c..%5cpom.xml",
        "/runs/" + RUN + "/manifest.json",
        "/LATEST",
      })
  void traversalAttemptsAreRefusedWithoutLeakingAPath(String target) throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      http.get(target);
      RawHttp.Response r = http.read();
      assertThat(r.status()).as(target + " → " + r.body()).isIn(400, 404);
      assertThat(ErrorBodies.assertClean(r.body())).doesNotContain(Fixture.dataDir().toString());
      assertThat(r.body()).doesNotContain("formatVersion").doesNotContain("root:");
    }
  }

  @Test
  void jsonIsGzippedWhenAcceptedAndEqualsThePlainBody() throws IOException, InterruptedException {
    String target = tilePath(RUN, Metric.COSINE, 1, 0, 1);
    String plain = server.get(target).body();
    assertThat(server.getBytes(target, "Accept-Encoding", "gzip").headers().map())
        .as("no gzip for a loopback client by default")
        .doesNotContainKey("content-encoding");
    try (TestServer gzipping =
        TestServer.over(new RunService(Fixture.dataDir()), o -> o.withGzipLoopback(true))) {
      HttpResponse<byte[]> zipped = gzipping.getBytes(target, "Accept-Encoding", "gzip");
      assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
      }
      assertThat(zipped.body().length).isLessThan(plain.length() / 2);
      assertThat(gzipping.get(target).headers().firstValue("content-encoding")).isEmpty();
    }
  }

  @Test
  void oneKeepAliveConnectionServesTilesSearchesAndErrorsInTurn() throws IOException {
    try (RawHttp http = new RawHttp(server.port())) {
      List<String> targets =
          List.of(
              tilePath(RUN, Metric.L2, 0, 0, 0),
              "/api/runs/latest/tiles/cosine/9/0/0",
              tilePath(RUN, Metric.DOT, 2, 2, 1),
              "/api/runs/latest/tokens?q=the-last",
              "/api/runs/latest/neighbors/cosine/599?k=1",
              "/healthz");
      for (String target : targets) {
        http.get(target);
        RawHttp.Response r = http.read();
        assertThat(r.headers().get("connection")).as(target).isNotEqualToIgnoringCase("close");
        assertThat(r.body()).as(target).isEqualTo(server.get(target).body());
      }
      assertThat(TestServer.json(getOnce(http, targets.get(2))).get("rows").asInt()).isEqualTo(88);
    }
  }

  private static String getOnce(RawHttp http, String target) throws IOException {
    http.get(target);
    return http.read().body();
  }

  private static int bestNeighbour(String metric, int position) {
    return getJson("/api/runs/" + RUN + "/neighbors/" + metric + "/" + position + "?k=1")
        .at("/neighbors/0/position")
        .asInt();
  }

  private static List<TokenHit> tokens(String q, String more) {
    JsonNode hits =
        getJson("/api/runs/latest/tokens?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more);
    List<TokenHit> out = new ArrayList<>();
    for (JsonNode h : hits) {
      out.add(
          new TokenHit(h.get("token").asText(), h.get("position").asLong(), h.get("id").asLong()));
    }
    return out;
  }

  private static JsonNode view(
      Metric metric, Aggregation agg, long x0, long x1, long y0, long y1, int res) {
    return getJson(
        String.format(
            "/api/runs/%s/view?metric=%s&agg=%s&x0=%d&x1=%d&y0=%d&y1=%d&res=%d",
            RUN, metric.id(), agg.id(), x0, x1, y0, y1, res));
  }

  static String tilePath(String run, Metric metric, int z, long i, long j) {
    return "/api/runs/" + run + "/tiles/" + metric.id() + "/" + z + "/" + i + "/" + j;
  }

  private static JsonNode getJson(String target) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    return TestServer.json(r.body());
  }
}
