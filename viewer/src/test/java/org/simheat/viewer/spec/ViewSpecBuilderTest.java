package org.simheat.viewer.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;
import org.simheat.viewer.testing.Fixture;

/** The spec's shape for hand-made cells: labels, escaping, colour domains. */
class ViewSpecBuilderTest {
  private static Manifest manifest() throws IOException {
    return Manifest.fromJson(
        Files.readString(Fixture.dataDir().resolve("runs/" + Fixture.RUN_ID + "/manifest.json")));
  }

  /** Two row bins (1 and 3 tokens) × two column bins (2 tokens each). */
  private static ViewCells cells(double[] mean) {
    ViewAxis rows =
        ViewAxis.of(3, new long[] {9, 10, 13})
            .withLabels(new String[] {"say \"hi\"", "a\\b"}, new String[] {"say \"hi\"", "z"});
    ViewAxis cols =
        ViewAxis.of(2, new long[] {0, 2, 4})
            .withLabels(new String[] {"1999", "42"}, new String[] {"x", "y"});
    return new ViewCells(2, 1, rows, cols, mean, null, null, new long[] {2, 2, 6, 6});
  }

  @Test
  void valuesCarryPositionsLabelsAndTheChosenAggregation() throws IOException {
    JsonNode spec =
        ViewSpecBuilder.build(manifest(), "dot", "mean", cells(new double[] {-3, 1, 2, 0.5}));
    JsonNode values = spec.get("data").get("values");
    assertThat(values).hasSize(4);
    JsonNode d = values.get(3);
    assertThat(d.get("x0").asLong()).isEqualTo(2);
    assertThat(d.get("x1").asLong()).isEqualTo(4);
    assertThat(d.get("y0").asLong()).isEqualTo(10);
    assertThat(d.get("y1").asLong()).isEqualTo(13);
    assertThat(d.get("value").asDouble()).isEqualTo(0.5);
    assertThat(d.has("max")).isFalse();
    assertThat(d.get("rowLabel").asText()).isEqualTo("a\\b +2 more");
    assertThat(d.get("rowTokens").asText()).isEqualTo("a\\b … z");
    assertThat(d.get("colLabel").asText()).isEqualTo("42 +1 more");
    assertThat(values.get(0).get("rowLabel").asText()).isEqualTo("say \"hi\"");
    assertThat(values.get(0).get("rowTokens").asText()).isEqualTo("say \"hi\"");
    assertThat(spec.at("/encoding/tooltip")).hasSize(6);
  }

  @Test
  void axisLabelsAreJsonEscapedInsideTheExpression() throws IOException {
    JsonNode spec =
        ViewSpecBuilder.build(manifest(), "dot", "mean", cells(new double[] {-3, 1, 2, 0.5}));
    assertThat(spec.at("/encoding/y/axis/labelExpr").asText())
        .isEqualTo("[\"say \\\"hi\\\"\",\"a\\\\b\"][indexof([9,10], datum.value)] || ''");
    assertThat(spec.at("/encoding/x/axis/values").toString()).isEqualTo("[0,2]");
  }

  @Test
  void signedMetricsAreCentredAtZeroAndDistancesSequential() throws IOException {
    JsonNode dot =
        ViewSpecBuilder.build(manifest(), "dot", "mean", cells(new double[] {-3, 1, 2, 0.5}));
    assertThat(dot.at("/usermeta/domain").toString()).isEqualTo("[-3.0,3.0]");
    assertThat(dot.at("/encoding/color/scale/domainMid").asInt()).isZero();
    JsonNode l2 =
        ViewSpecBuilder.build(manifest(), "l2", "mean", cells(new double[] {4, 1, 2, 0.5}));
    assertThat(l2.at("/usermeta/domain").toString()).isEqualTo("[0.5,4.0]");
    assertThat(l2.at("/encoding/color/scale/scheme").asText()).isEqualTo("viridis");
    JsonNode flat =
        ViewSpecBuilder.build(manifest(), "cosine", "mean", cells(new double[] {0, 0, 0, 0}));
    assertThat(flat.at("/usermeta/domain").toString()).isEqualTo("[-1.0,1.0]");
  }

  @Test
  void cellsWithoutTheAggregationAreRefused() {
    assertThatThrownBy(
            () -> ViewSpecBuilder.build(manifest(), "dot", "max", cells(new double[] {0, 0, 0, 0})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The view's cells hold no max values");
  }
}
