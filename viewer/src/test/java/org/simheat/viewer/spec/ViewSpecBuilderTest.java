package org.simheat.viewer.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;
import org.simheat.viewer.testing.Fixture;

/** The spec's shape for hand-made cells: labels, escaping, colour domains, mask and max pairs. */
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
  void aBinWithoutPairsHasNullValuesAndIsFilteredOutOfTheMarks() throws IOException {
    ViewCells c = cells(new double[] {Double.NaN, 1, 2, 0.5});
    ViewCells masked =
        new ViewCells(
            c.level(),
            c.span(),
            c.rows(),
            c.cols(),
            c.mean(),
            null,
            null,
            new long[] {0, 2, 6, 6},
            null,
            MaskState.EXACT);
    JsonNode spec = ViewSpecBuilder.build(manifest(), "l2", "mean", masked);
    JsonNode empty = spec.at("/data/values/0");
    assertThat(empty.get("value").isNull()).isTrue();
    assertThat(empty.get("mean").isNull()).isTrue();
    assertThat(empty.get("pairs").asLong()).isZero();
    assertThat(spec.at("/transform/0/filter").asText()).isEqualTo("isValid(datum.value)");
    assertThat(spec.at("/usermeta/domain").toString()).isEqualTo("[0.5,2.0]");
    assertThat(spec.at("/usermeta/mask").asBoolean()).isTrue();
    assertThat(spec.at("/usermeta/maskExact").asBoolean()).isTrue();
  }

  @Test
  void usermetaSaysWhatTheViewDidAboutSelfPairs() throws IOException {
    assertThat(maskMeta(MaskState.NOT_APPLICABLE)).isEqualTo("{}");
    assertThat(maskMeta(MaskState.OFF)).isEqualTo("{\"mask\":false}");
    assertThat(maskMeta(MaskState.EXACT)).isEqualTo("{\"mask\":true,\"maskExact\":true}");
    assertThat(maskMeta(MaskState.POOLED_EXTREMES))
        .isEqualTo("{\"mask\":true,\"maskExact\":false}");
    assertThat(maskMeta(MaskState.IGNORED))
        .isEqualTo(
            "{\"maskIgnored\":\"run "
                + Fixture.RUN_ID
                + " is rectangular: it has no self-pairs to hide\"}");
  }

  @Test
  void maxPairsNameTheirTokensAndGetATooltipLine() throws IOException {
    ViewCells c = cells(new double[] {-3, 1, 2, 0.5});
    MaxPairs pairs =
        MaxPairs.of(new long[] {9, 9, -1, 12}, new long[] {1, 3, -1, 2})
            .withTokens(
                new String[] {"say \"hi\"", "say \"hi\"", null, "z"},
                new String[] {"x", "y", null, "42"});
    ViewCells withPairs = c.withLabels(c.rows(), c.cols(), pairs);
    JsonNode spec = ViewSpecBuilder.build(manifest(), "dot", "mean", withPairs);
    JsonNode last = spec.at("/data/values/3");
    assertThat(last.get("maxRow").asLong()).isEqualTo(12);
    assertThat(last.get("maxCol").asLong()).isEqualTo(2);
    assertThat(last.get("maxPair").asText()).isEqualTo("z × 42");
    assertThat(spec.at("/data/values/0/maxPair").asText()).isEqualTo("say \"hi\" × x");
    assertThat(spec.at("/data/values/2").has("maxPair")).isFalse();
    assertThat(spec.at("/encoding/tooltip")).hasSize(7);
    assertThat(spec.at("/encoding/tooltip/6/title").asText()).isEqualTo("max pair");
  }

  private static String maskMeta(MaskState state) throws IOException {
    ViewCells c = cells(new double[] {-3, 1, 2, 0.5});
    ViewCells cells =
        new ViewCells(
            c.level(), c.span(), c.rows(), c.cols(), c.mean(), null, null, c.pairs(), null, state);
    JsonNode meta = ViewSpecBuilder.build(manifest(), "dot", "mean", cells).get("usermeta");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    meta.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("mask")) {
                out.set(e.getKey(), e.getValue());
              }
            });
    return out.toString();
  }

  @Test
  void theStreamedJsonIsTheSpecThatBuildReturns() throws IOException {
    ViewCells c = cells(new double[] {Double.NaN, 1, 2, 0.5});
    MaxPairs pairs =
        MaxPairs.of(new long[] {9, 9, -1, 12}, new long[] {1, 3, -1, 2})
            .withTokens(
                new String[] {"say \"hi\"", "say \"hi\"", null, "z"},
                new String[] {"x", "y", null, "42"});
    ViewCells withPairs = c.withLabels(c.rows(), c.cols(), pairs);
    for (String metric : new String[] {"dot", "l2"}) {
      JsonNode tree = ViewSpecBuilder.build(manifest(), metric, "mean", withPairs);
      JsonNode streamed =
          new ObjectMapper().readTree(ViewSpecBuilder.json(manifest(), metric, "mean", withPairs));
      assertThat(streamed.toString()).isEqualTo(tree.toString());
      assertThat(streamed.at("/data/values")).hasSize(4);
      assertThat(streamed.at("/data/values/0/value").isNull()).isTrue();
      assertThat(streamed.at("/data/values/3/maxPair").asText()).isEqualTo("z × 42");
    }
  }

  @Test
  void cellsWithoutTheAggregationAreRefused() {
    assertThatThrownBy(
            () -> ViewSpecBuilder.build(manifest(), "dot", "max", cells(new double[] {0, 0, 0, 0})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The view's cells hold no max values");
  }

  @Test
  void aMeanOnlyRunsRangeSaysItSpansTheStoredMeans() throws IOException {
    ObjectNode json =
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    Files.readString(
                        Fixture.dataDir().resolve("runs/" + Fixture.RUN_ID + "/manifest.json")));
    ObjectNode dot = (ObjectNode) json.get("ranges").get("dot");
    dot.remove("minOffDiagonal");
    dot.remove("maxOffDiagonal");
    dot.put("over", "mean-cells");
    Manifest m = Manifest.fromJson(json.toString());
    JsonNode spec = ViewSpecBuilder.build(m, "dot", "mean", cells(new double[] {-3, 1, 2, 0.5}));
    assertThat(spec.at("/usermeta/globalRange/over").asText()).isEqualTo("mean-cells");
    assertThat(spec.at("/usermeta/globalRange/minOffDiagonal").isMissingNode()).isTrue();
    JsonNode full =
        ViewSpecBuilder.build(manifest(), "dot", "mean", cells(new double[] {1, 2, 3, 4}));
    assertThat(full.at("/usermeta/globalRange/over").isMissingNode()).isTrue();
  }
}
