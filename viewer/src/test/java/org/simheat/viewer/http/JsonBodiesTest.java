package org.simheat.viewer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.service.ViewerService.Tile;

/** The JSON shapes of tiles and errors. */
class JsonBodiesTest {
  private static String json(Object o) {
    return new String(JsonBodies.of(o), StandardCharsets.UTF_8);
  }

  @Test
  void tileWithEveryAggregation() {
    Tile t =
        new Tile(
            1,
            2,
            3,
            4,
            512,
            768,
            1,
            2,
            new float[] {0.5f, -1.25f},
            new float[] {1f, 2f},
            new float[] {0f, -3f});
    assertThat(json(t))
        .isEqualTo(
            "{\"z\":1,\"i\":2,\"j\":3,\"span\":4,\"rowStart\":512,\"colStart\":768,"
                + "\"rows\":1,\"cols\":2,\"mean\":[0.5,-1.25],\"max\":[1.0,2.0],"
                + "\"min\":[0.0,-3.0]}");
  }

  @Test
  void absentAggregationsAreLeftOutAndNonFiniteValuesAreNull() {
    Tile t =
        new Tile(
            0,
            0,
            0,
            1,
            0,
            0,
            1,
            3,
            new float[] {Float.NaN, 0.1f, Float.POSITIVE_INFINITY},
            null,
            null);
    assertThat(json(t))
        .isEqualTo(
            "{\"z\":0,\"i\":0,\"j\":0,\"span\":1,\"rowStart\":0,\"colStart\":0,"
                + "\"rows\":1,\"cols\":3,\"mean\":[null,0.1,null]}");
  }

  @Test
  void errors() {
    assertThat(new String(JsonBodies.error("Bad z: 'x'"), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"Bad z: 'x'\"}");
    assertThat(new String(JsonBodies.error(null), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"request failed\"}");
    assertThat(new String(JsonBodies.error("a \"quoted\"\nline"), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"a \\\"quoted\\\"\\nline\"}");
  }
}
