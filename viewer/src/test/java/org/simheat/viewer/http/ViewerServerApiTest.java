package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.simheat.viewer.testing.MatrixViewerService.BROKEN_RUN;
import static org.simheat.viewer.testing.MatrixViewerService.N;
import static org.simheat.viewer.testing.MatrixViewerService.RUN;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.format.Metric;
import org.simheat.viewer.testing.BinaryTile;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.MatrixViewerService;
import org.simheat.viewer.testing.TestServer;

/** Every API route over a real server: status, media type and values against a naive loop. */
class ViewerServerApiTest {
  private static final double TOL = 1e-6;
  private static TestServer server;
  private static double[][] rows;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start();
    rows = MatrixViewerService.matrix();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode ok(String target) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    return TestServer.json(r.body());
  }

  private static String error(String target, int status) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    return ErrorBodies.assertClean(r.body());
  }

  /** Naive double-precision metric, written independently of the test service. */
  private static double naive(Metric m, int a, int b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int k = 0; k < rows[a].length; k++) {
      dot += rows[a][k] * rows[b][k];
      aa += rows[a][k] * rows[a][k];
      bb += rows[b][k] * rows[b][k];
    }
    if (m == Metric.DOT) {
      return dot;
    }
    if (m == Metric.COSINE) {
      return aa == 0 || bb == 0 ? 0 : dot / Math.sqrt(aa) / Math.sqrt(bb);
    }
    return a == b ? 0 : Math.sqrt(Math.max(0, aa + bb - 2 * dot));
  }

  @Test
  void healthz() {
    assertThat(ok("/healthz").toString()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void runs() {
    JsonNode runs = ok("/api/runs");
    assertThat(runs.size()).isEqualTo(1);
    assertThat(runs.get(0).get("runId").asText()).isEqualTo(RUN);
    assertThat(runs.get(0).get("n").asLong()).isEqualTo(N);
    assertThat(runs.get(0).get("latest").asBoolean()).isTrue();
    assertThat(runs.get(0).get("metrics").toString()).isEqualTo("[\"cosine\",\"dot\",\"l2\"]");
  }

  @Test
  void manifestByIdAndLatest() {
    JsonNode latest = ok("/api/runs/latest/manifest");
    assertThat(latest.get("runId").asText()).isEqualTo(RUN);
    assertThat(latest.get("tileSize").asInt()).isEqualTo(4);
    assertThat(latest.get("maxZoom").asInt()).isEqualTo(2);
    assertThat(latest.get("zeroRows").toString()).isEqualTo("[3]");
    assertThat(latest.has("colsSource")).as("nulls are left out").isFalse();
    assertThat(ok("/api/runs/" + RUN + "/manifest")).isEqualTo(latest);
  }

  @Test
  void finestTileHoldsOnePairPerCell() {
    JsonNode t = ok("/api/runs/latest/tiles/cosine/2/0/1");
    assertThat(t.get("z").asInt()).isEqualTo(2);
    assertThat(t.get("i").asLong()).isZero();
    assertThat(t.get("j").asLong()).isEqualTo(1);
    assertThat(t.get("span").asLong()).isEqualTo(1);
    assertThat(t.get("rowStart").asLong()).isZero();
    assertThat(t.get("colStart").asLong()).isEqualTo(4);
    assertThat(t.get("rows").asInt()).isEqualTo(4);
    assertThat(t.get("cols").asInt()).isEqualTo(4);
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double expected = naive(Metric.COSINE, r, 4 + c);
        assertThat(t.get("mean").get(r * 4 + c).asDouble()).isCloseTo(expected, within(TOL));
        assertThat(t.get("max").get(r * 4 + c).asDouble()).isCloseTo(expected, within(TOL));
        assertThat(t.get("min").get(r * 4 + c).asDouble()).isCloseTo(expected, within(TOL));
      }
    }
    assertThat(t.get("mean").get(3 * 4).asDouble()).as("row 3 is zero").isZero();
  }

  @Test
  void coarseTilePoolsEveryPairIncludingTheDiagonal() {
    JsonNode t = ok("/api/runs/" + RUN + "/tiles/l2/0/0/0");
    assertThat(t.get("span").asLong()).isEqualTo(4);
    assertThat(t.get("rows").asInt()).isEqualTo(3);
    assertThat(t.get("cols").asInt()).isEqualTo(3);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        int count = 0;
        for (int a = 4 * r; a < Math.min(4 * r + 4, N); a++) {
          for (int b = 4 * c; b < Math.min(4 * c + 4, N); b++) {
            double v = naive(Metric.L2, a, b);
            sum += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
            count++;
          }
        }
        int k = r * 3 + c;
        assertThat(t.get("mean").get(k).asDouble()).isCloseTo(sum / count, within(TOL));
        assertThat(t.get("max").get(k).asDouble()).isCloseTo(max, within(TOL));
        assertThat(t.get("min").get(k).asDouble()).isCloseTo(min, within(TOL));
      }
    }
    assertThat(t.get("min").get(8).asDouble()).as("diagonal cell holds l2 = 0").isZero();
  }

  @Test
  void edgeTileIsPartial() {
    JsonNode t = ok("/api/runs/latest/tiles/dot/2/2/2");
    assertThat(t.get("rows").asInt()).isEqualTo(2);
    assertThat(t.get("cols").asInt()).isEqualTo(2);
    assertThat(t.get("mean").size()).isEqualTo(4);
    assertThat(t.get("mean").get(1).asDouble()).isCloseTo(naive(Metric.DOT, 8, 9), within(TOL));
  }

  @Test
  void aBinaryTileHoldsTheFloatsOfTheJsonTileAndIsNeverGzipped() {
    for (String tile : new String[] {"cosine/2/0/1", "l2/0/0/0", "dot/2/2/2", "dot/1/1/0"}) {
      JsonNode json = ok("/api/runs/latest/tiles/" + tile);
      HttpResponse<byte[]> r =
          server.getBytes(
              "/api/runs/latest/tiles/" + tile + "?format=f32", "Accept-Encoding", "gzip");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/octet-stream");
      assertThat(r.headers().firstValue("content-encoding")).isEmpty();
      BinaryTile b = BinaryTile.decode(r.body());
      assertThat(b.magic()).isEqualTo("SHT1");
      assertThat(new long[] {b.z(), b.i(), b.j(), b.span(), b.rowStart(), b.colStart()})
          .containsExactly(
              json.get("z").asLong(),
              json.get("i").asLong(),
              json.get("j").asLong(),
              json.get("span").asLong(),
              json.get("rowStart").asLong(),
              json.get("colStart").asLong());
      assertThat(b.rows() * b.cols()).isEqualTo(json.get("mean").size());
      assertThat(b.aggs()).isEqualTo(7);
      assertSameFloats(b.mean(), json.get("mean"));
      assertSameFloats(b.max(), json.get("max"));
      assertSameFloats(b.min(), json.get("min"));
    }
  }

  @Test
  void aggSelectsTheAggregationsOfATileInEitherFormat() {
    JsonNode all = ok("/api/runs/latest/tiles/dot/1/0/0");
    JsonNode mean = ok("/api/runs/latest/tiles/dot/1/0/0?agg=mean");
    assertThat(mean.has("max")).isFalse();
    assertThat(mean.has("min")).isFalse();
    assertThat(mean.get("mean")).isEqualTo(all.get("mean"));

    BinaryTile b =
        BinaryTile.decode(
            server.getBytes("/api/runs/latest/tiles/dot/1/0/0?agg=min,max&format=f32").body());
    assertThat(b.aggs()).isEqualTo(2 | 4);
    assertThat(b.mean()).isNull();
    assertSameFloats(b.max(), all.get("max"));
    assertSameFloats(b.min(), all.get("min"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "format=png | Bad format 'png': choose json or f32",
        "format= | Bad format '': choose json or f32",
        "agg=mean,avg | Bad agg 'avg': choose from mean, max, min",
        "agg=mean,,max | Bad agg '': choose from mean, max, min"
      })
  void badTileFormatsAndAggregationsAre400(String query, String message) {
    assertThat(error("/api/runs/latest/tiles/dot/1/0/0?" + query, 400)).isEqualTo(message);
  }

  private static void assertSameFloats(float[] binary, JsonNode json) {
    assertThat(binary).hasSize(json.size());
    for (int k = 0; k < binary.length; k++) {
      assertThat(binary[k]).as("value %d", k).isEqualTo(json.get(k).floatValue());
    }
  }

  @Test
  void viewPassesTheViewportAndReturnsTheSpecAsItIs() {
    JsonNode v = ok("/api/runs/latest/view?metric=dot&agg=max&x0=1&x1=3&y0=2&y1=4&res=64");
    assertThat(v.get("request").toString())
        .isEqualTo(
            "{\"metric\":\"dot\",\"agg\":\"max\",\"x0\":1,\"x1\":3,\"y0\":2,\"y1\":4,\"res\":64,"
                + "\"mask\":false}");
    JsonNode values = v.get("data").get("values");
    assertThat(values.size()).isEqualTo(4);
    JsonNode first = values.get(0);
    assertThat(first.get("row").asInt()).isEqualTo(2);
    assertThat(first.get("col").asInt()).isEqualTo(1);
    assertThat(first.get("value").asDouble()).isCloseTo(naive(Metric.DOT, 2, 1), within(TOL));
  }

  @Test
  void viewDefaultsToTheWholeMatrixTheRunsFirstMetricAndMean() {
    JsonNode v = ok("/api/runs/latest/view");
    assertThat(v.get("request").toString())
        .isEqualTo(
            "{\"metric\":\"cosine\",\"agg\":\"mean\",\"x0\":0,\"x1\":10,\"y0\":0,\"y1\":10,"
                + "\"res\":128,\"mask\":false}");
    assertThat(v.get("data").get("values").size()).isEqualTo(N * N);
  }

  @ParameterizedTest
  @CsvSource({"mask=true, true", "mask=1, true", "mask=false, false", "mask=0, false"})
  void viewPassesTheMaskFlag(String param, boolean mask) {
    JsonNode v = ok("/api/runs/latest/view?metric=dot&x0=0&x1=2&y0=0&y1=2&" + param);
    assertThat(v.at("/request/mask").isBoolean()).isTrue();
    assertThat(v.at("/request/mask").asBoolean()).isEqualTo(mask);
  }

  @Test
  void tokensPrefixFirstThenSubstringCaseInsensitive() {
    JsonNode hits = ok("/api/runs/latest/tokens?q=ALP&limit=5");
    assertThat(hits.toString())
        .isEqualTo(
            "[{\"token\":\"alpha\",\"position\":0,\"id\":0},"
                + "{\"token\":\"alphabet\",\"position\":2,\"id\":2}]");
    assertThat(ok("/api/runs/latest/tokens?q=ta&axis=cols").get(0).get("token").asText())
        .isEqualTo("Beta");
    assertThat(ok("/api/runs/latest/tokens?q=tok&limit=1").size()).isEqualTo(1);
    assertThat(ok("/api/runs/latest/tokens?q=tok").findValuesAsText("position"))
        .containsExactly("4", "5");
  }

  @Test
  void tokensDecodeUtf8AndPlusInTheQuery() {
    JsonNode hits = ok("/api/runs/latest/tokens?q=%C3%AFve%E6%9D%B1");
    assertThat(hits.get(0).get("token").asText()).isEqualTo("naïve東京");
    assertThat(hits.get(0).get("position").asLong()).isEqualTo(6);
    assertThat(ok("/api/runs/latest/tokens?q=the-last").get(0).get("position").asLong())
        .isEqualTo(9);
  }

  @Test
  void neighborsBestFirstAgainstNaive() {
    JsonNode l2 = ok("/api/runs/latest/neighbors/l2/0?k=3");
    assertThat(l2.get("position").asLong()).isZero();
    assertThat(l2.get("token").asText()).isEqualTo("alpha");
    JsonNode list = l2.get("neighbors");
    assertThat(list.size()).isEqualTo(3);
    double previous = 0;
    for (JsonNode n : list) {
      int p = n.get("position").asInt();
      assertThat(p).isNotZero();
      assertThat(n.get("score").asDouble()).isCloseTo(naive(Metric.L2, 0, p), within(TOL));
      assertThat(n.get("score").asDouble()).isGreaterThanOrEqualTo(previous);
      previous = n.get("score").asDouble();
    }
    assertThat(ok("/api/runs/latest/neighbors/cosine/5").get("neighbors").size())
        .as("default k=10, capped at N-1")
        .isEqualTo(N - 1);
  }

  @Test
  void pairsPassTheRegionMetricAndLimitAndListTheBestFirst() {
    JsonNode dot = ok("/api/runs/latest/pairs?metric=dot&x0=2&x1=9&y0=0&y1=4&limit=4");
    assertThat(dot.get("metric").asText()).isEqualTo("dot");
    assertThat(new long[] {dot.get("x0").asLong(), dot.get("x1").asLong()}).containsExactly(2, 9);
    JsonNode pairs = dot.get("pairs");
    assertThat(pairs).hasSize(4);
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode p : pairs) {
      int r = p.get("row").asInt();
      int c = p.get("col").asInt();
      assertThat(p.get("value").asDouble()).isCloseTo(naive(Metric.DOT, r, c), within(TOL));
      assertThat(p.get("value").asDouble()).isLessThanOrEqualTo(previous);
      previous = p.get("value").asDouble();
    }
    assertThat(ok("/api/runs/latest/pairs?x0=0&x1=10&y0=0&y1=10").get("pairs"))
        .as("cosine and 20 pairs by default")
        .hasSize(20);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/api/runs/latest/tiles/cosine/x/0/0 | Bad z: 'x' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/-1/0/0 | Bad z: '-1' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/+1/0/0 | Bad z: '+1' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/1/0x1/0 | Bad i: '0x1' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/1/0/1e3 | Bad j: '1e3' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/1/0/%201 | Bad j: ' 1' is not a non-negative decimal integer",
        "/api/runs/latest/tiles/cosine/99999999999/0/0 | Bad z: 99999999999 is larger than 2147483647",
        "/api/runs/latest/tiles/jaccard/0/0/0 | Bad metric 'jaccard': choose from cosine, dot, l2",
        "/api/runs/latest/tiles/COSINE/0/0/0 | Bad metric 'COSINE': choose from cosine, dot, l2",
        "/api/runs/not-a-run/manifest | Bad run 'not-a-run': expected 'latest' or a run id",
        "/api/runs/latest/neighbors/dot/abc | Bad position: 'abc' is not a non-negative decimal integer",
        "/api/runs/latest/neighbors/dot/1?k=ten | Bad k: 'ten' is not a non-negative decimal integer",
        "/api/runs/latest/view?res=1.5 | Bad res: '1.5' is not a non-negative decimal integer",
        "/api/runs/latest/view?x0=1&x0=2 | Bad parameter 'x0': given more than once",
        "/api/runs/latest/view?agg=median | Bad agg 'median': choose from mean, max, min",
        "/api/runs/latest/view?mask=yes | Bad mask: 'yes' is not true or false",
        "/api/runs/latest/view?mask= | Bad mask: '' is not true or false",
        "/api/runs/latest/view?mask=true&mask=false | Bad parameter 'mask': given more than once",
        "/api/runs/latest/tokens?axis=diag | Bad axis 'diag': choose rows or cols",
        "/api/runs/latest/tokens?limit=-5 | Bad limit: '-5' is not a non-negative decimal integer",
        "/api/runs/latest/view?metric=dot&x0=5&x1=2 | Bad viewport: [5, 2) × [0, 10)",
        "/api/runs/latest/pairs?x0=0&x1=5&y0=0 | Missing parameter 'y1'",
        "/api/runs/latest/pairs?x0=0&x1=5&y0=0&y1=-3 | Bad y1: '-3' is not a non-negative decimal integer",
        "/api/runs/latest/pairs?x0=0&x1=5&y0=0&y1=3&limit=x | Bad limit: 'x' is not a non-negative decimal integer",
        "/api/runs/latest/pairs?metric=jaccard&x0=0&x1=5&y0=0&y1=3 | Bad metric 'jaccard': choose from cosine, dot, l2",
        "/api/runs/latest/clusters?axis=diagonal | Bad axis 'diagonal': choose rows or cols",
        "/api/runs/latest/cluster-tiles/dot?agg=median | Bad agg 'median': choose from mean, max, min",
      })
  void malformedArgumentsAre400NamingTheParameterAndValue(String target, String message) {
    assertThat(error(target, 400)).isEqualTo(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "/api/runs/latest/tiles/cosine/9/0/0 | Unknown level 9: this run has levels 0..2",
        "/api/runs/latest/tiles/cosine/2/5/0 | Tile (2, 5, 0) is out of range",
        "/api/runs/20990101T000000Z-00000000/manifest | Unknown run '20990101T000000Z-00000000'",
        "/api/runs/latest/neighbors/l2/10 | Position 10 is out of range: this run has 10",
        "/api/nothing | No such API route",
        "/api/runs/latest/tiles/cosine/0/0 | No such API route",
        "/api/runs/latest/clusters | run 20260101T000000Z-0123abcd is in input order: it has no clusters",
        "/api/runs/latest/cluster-tiles/dot | run 20260101T000000Z-0123abcd is in input order: it has no clusters",
        "/api/runs/latest/saliency | No such API route",
        "/api/runs/ | No such API route",
        "/nothing-here | Not found",
      })
  void unknownThingsAre404(String target, String message) {
    assertThat(error(target, 404)).isEqualTo(message);
  }

  @Test
  void unexpectedFailuresAre500WithoutDetails() {
    assertThat(error("/api/runs/" + BROKEN_RUN + "/manifest", 500)).isEqualTo("internal error");
    assertThat(error("/api/runs/" + BROKEN_RUN + "/tiles/dot/0/0/0", 500))
        .isEqualTo("internal error");
  }

  @Test
  void otherMethodsAre405() {
    for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
      HttpResponse<String> r =
          server.send(
              HttpRequest.newBuilder(server.uri("/api/runs"))
                  .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                  .build());
      assertThat(r.statusCode()).as(method).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).hasValue("GET");
      assertThat(ErrorBodies.assertClean(r.body()))
          .isEqualTo("Method " + method + " not allowed: use GET");
    }
    HttpResponse<String> head =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/runs"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(405);
  }

  @Test
  void serviceCallsRunOnServiceThreads() {
    ok("/api/runs/latest/tokens?q=a");
    assertThat(server.service().callThreads())
        .isNotEmpty()
        .allMatch(t -> t.startsWith("simheat-service"));
  }
}
