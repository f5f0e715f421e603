package org.simheat.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestTest {

  static Manifest sample() {
    return new Manifest(
        Manifest.FORMAT_VERSION,
        "20261122T063000Z-3fa2c1d0",
        "2026-11-22T06:30:00Z",
        new Manifest.Source("file:/e.npy", "npy", null, "file:/vocab.txt", "3fa2c1d0aa"),
        null,
        600,
        600,
        16,
        true,
        List.of("cosine", "l2"),
        List.of("mean", "max", "min"),
        256,
        2,
        1,
        new Manifest.Order("input", 0),
        new Manifest.Neighbors(10),
        Map.of("cosine", new Manifest.Range(-0.5, 1.0, -0.5, 0.9)),
        List.of(3L),
        new Manifest.SparkInfo("4.1.0", "local[2]"),
        "VectorBLAS",
        Map.of("total", 1234L));
  }

  @Test
  void roundTripsThroughJson() {
    Manifest m = sample();
    String json = m.toJson();
    assertThat(json).contains("\"formatVersion\" : 1").contains("\"storedZoom\" : 1");
    assertThat(json).doesNotContain("colsSource");
    assertThat(Manifest.fromJson(json)).isEqualTo(m);
    assertThat(Manifest.fromJson(json).geometry().maxZoom()).isEqualTo(2);
  }

  @Test
  void aRangeOverMeanCellsSaysSoAndAPairRangeOmitsTheFlag() {
    Manifest.Range pairs = new Manifest.Range(-0.5, 1.0, -0.5, 0.9);
    Manifest.Range means =
        new Manifest.Range(-0.01, 0.2, null, null, Manifest.Range.OVER_MEAN_CELLS);
    assertThat(pairs.over()).isNull();
    assertThat(sample().toJson()).doesNotContain("\"over\"");
    Manifest m = sample();
    Manifest fast =
        new Manifest(
            m.formatVersion(),
            m.runId(),
            m.createdAt(),
            m.source(),
            m.colsSource(),
            m.n(),
            m.nCols(),
            m.dim(),
            m.symmetric(),
            m.metrics(),
            List.of("mean"),
            m.tileSize(),
            m.maxZoom(),
            m.storedZoom(),
            m.order(),
            new Manifest.Neighbors(0),
            Map.of("cosine", means),
            m.zeroRows(),
            m.spark(),
            m.blas(),
            m.timings());
    String json = fast.toJson();
    assertThat(json).contains("\"over\" : \"mean-cells\"").doesNotContain("minOffDiagonal");
    assertThat(Manifest.fromJson(json)).isEqualTo(fast);
    assertThat(Manifest.fromJson(json).ranges().get("cosine")).isEqualTo(means);
  }

  @Test
  void ignoresUnknownFieldsButRefusesOtherVersions() {
    String json = sample().toJson().replaceFirst("\\{", "{\"addedLater\": 5,");
    assertThat(Manifest.fromJson(json).n()).isEqualTo(600);
    String v2 = sample().toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
    assertThatThrownBy(() -> Manifest.fromJson(v2))
        .hasMessageContaining("format version 2, this simheat reads 1");
    assertThatThrownBy(() -> Manifest.fromJson("{not json"))
        .hasMessageStartingWith("Cannot read manifest:");
  }

  @Test
  void runIdsAreCheckedBeforeBecomingPaths() {
    assertThat(RunLayout.runDir("20261122T063000Z-3fa2c1d0"))
        .isEqualTo("runs/20261122T063000Z-3fa2c1d0");
    assertThat(RunLayout.isRunId("../../etc")).isFalse();
    assertThatThrownBy(() -> RunLayout.stagingDir("x/../y")).hasMessage("Not a run id: 'x/../y'");
    assertThat(RunLayout.tilesDir(Metric.L2, 3)).isEqualTo("tiles/metric=l2/level=3");
    assertThat(Metric.parse(" Cosine ")).isEqualTo(Metric.COSINE);
    assertThatThrownBy(() -> Metric.parse("manhattan"))
        .hasMessage("Unknown metric 'manhattan': choose from cosine, dot, l2");
    assertThat(Aggregation.parse("MAX")).isEqualTo(Aggregation.MAX);
  }

  @Test
  void aClusterOrderRoundTripsAndAnOldInputOrderStillReads() {
    Manifest.Order order = new Manifest.Order("cluster", 175, 0, "bisecting-kmeans", 42L);
    Manifest m = sample();
    String json = m.toJson().replace("\"kind\" : \"input\"", "\"kind\" : \"cluster\"");
    assertThat(Manifest.fromJson(json).order().clustered()).isTrue();
    assertThat(sample().order().clustered()).isFalse();
    assertThat(sample().toJson()).doesNotContain("algorithm").doesNotContain("seed");
    String old =
        "{\"formatVersion\":1,\"runId\":\"r\",\"order\":{\"kind\":\"input\",\"clusters\":0}}";
    assertThat(Manifest.fromJson(old).order()).isEqualTo(new Manifest.Order("input", 0));
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      String text = mapper.writeValueAsString(order);
      assertThat(mapper.readValue(text, Manifest.Order.class)).isEqualTo(order);
      assertThat(text).contains("\"seed\":42");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
