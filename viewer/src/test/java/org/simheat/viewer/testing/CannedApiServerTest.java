package org.simheat.viewer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The canned API answers from the fixture as DESIGN.md says the real one does. */
class CannedApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CannedApiServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        CannedApiServer.start(
            Path.of(CannedApiServerTest.class.getResource("/fixture/input.npy").toURI())
                .getParent());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void viewPoolsEveryPairOfEachCellOfTheChosenSpan() throws Exception {
    JsonNode spec = get("api/runs/latest/view?metric=l2&agg=max&x0=2&x1=10&y0=0&y1=8&res=4", 200);
    JsonNode cells = spec.path("data").path("values");

    assertThat(spec.path("usermeta").path("span").asInt()).isEqualTo(2);
    assertThat(cells.size()).isEqualTo(16);
    JsonNode first = cells.get(0);
    assertThat(first.path("x0").asInt()).isEqualTo(2);
    assertThat(first.path("rowLabel").asText()).isEqualTo("tok0 +1 more");
    assertThat(first.path("pairs").asInt()).isEqualTo(4);
    double[][] e = rows(0, 1, 2, 3);
    double expected =
        Math.max(
            Math.max(distance(e[0], e[2]), distance(e[0], e[3])),
            Math.max(distance(e[1], e[2]), distance(e[1], e[3])));
    assertThat(first.path("value").asDouble()).isCloseTo(expected, within(1e-9));
    assertThat(first.path("max").asDouble()).isEqualTo(first.path("value").asDouble());
  }

  @Test
  void theWholeMatrixAtResolution128UsesSpan8() throws Exception {
    JsonNode spec = get("api/runs/latest/view?metric=cosine&agg=mean&res=128", 200);

    assertThat(spec.path("data").path("values").size()).isEqualTo(75 * 75);
    assertThat(spec.path("usermeta").path("level").asInt()).isZero();
  }

  @Test
  void tokensListPrefixMatchesBeforeSubstringsCaseInsensitively() throws Exception {
    JsonNode hits = get("api/runs/latest/tokens?q=TOK8&limit=3", 200);
    JsonNode substring = get("api/runs/latest/tokens?q=ve%E6%9D%B1", 200);

    assertThat(positions(hits)).containsExactly(7L, 8L, 80L);
    assertThat(positions(substring)).containsExactly(9L);
  }

  @Test
  void theLastTokensNearestNeighbourIsTheRowItCopies() throws Exception {
    JsonNode near = get("api/runs/latest/neighbors/cosine/599?k=2", 200);

    assertThat(near.path("token").asText()).isEqualTo("the-last");
    assertThat(near.path("neighbors").get(0).path("position").asInt()).isEqualTo(10);
    assertThat(near.path("neighbors").get(0).path("score").asDouble()).isCloseTo(1, within(1e-6));
  }

  @Test
  void badRequestsGetJsonErrors() throws Exception {
    assertThat(get("api/runs/latest/view?metric=cosine&x0=abc", 400).path("error").asText())
        .isEqualTo("x0 is not a whole number: 'abc'");
    assertThat(get("api/runs/20990101T000000Z-deadbeef/manifest", 404).path("error").asText())
        .isEqualTo("No such run: 20990101T000000Z-deadbeef");
    assertThat(get("../pom.xml", 404).path("error").asText()).startsWith("No such file");
  }

  private static JsonNode get(String path, int status) throws IOException, InterruptedException {
    URI uri = URI.create(server.baseUri() + path);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    return JSON.readTree(response.body());
  }

  private static List<Long> positions(JsonNode hits) {
    List<Long> out = new ArrayList<>();
    hits.forEach(h -> out.add(h.path("position").asLong()));
    return out;
  }

  private static double[][] rows(int... positions) throws Exception {
    Path npy = Path.of(CannedApiServerTest.class.getResource("/fixture/input.npy").toURI());
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
    double[][] out = new double[positions.length][8];
    for (int i = 0; i < positions.length; i++) {
      for (int k = 0; k < 8; k++) {
        out[i][k] = buf.getFloat(128 + 4 * (positions[i] * 8 + k));
      }
    }
    return out;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return Math.sqrt(s);
  }
}
