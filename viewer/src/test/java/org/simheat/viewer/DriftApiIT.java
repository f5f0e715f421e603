package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.simheat.format.Metric;
import org.simheat.format.TileGeometry;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.TestServer;

/**
 * The drift API on the real server over the job-made drift fixture (fixture-drift): run A
 * ("current", d = 8, levels 0..1 stored, cosine/dot/l2) against baseline B ("base", d = 12, level 0
 * stored, cosine/dot), and a run S of A's matrix in cluster order that aligns with neither. Every
 * number is checked against Δ computed naively in double from the runs' inputs: stored-level tiles
 * (difference of stored means), live tiles (mean Δ and max |Δ| of every pair, and mean Δ equal to
 * the difference of the two runs' own tiles), views at a stored and a live level, and the changes
 * of a token's row; then every refusal.
 */
class DriftApiIT {
  @TempDir static Path data;
  private static String b;
  private static String a;
  private static String s;
  private static String cross;
  private static NaiveSimilarity naiveA;
  private static NaiveSimilarity naiveB;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    List<String> ids = Fixture.addFixtureRuns(data, "fixture-drift");
    b = ids.get(0);
    a = ids.get(1);
    s = ids.get(2);
    cross = Fixture.addFixtureRuns(data, "fixture-cross").get(0);
    Files.writeString(data.resolve("LATEST"), s + "\n", StandardCharsets.UTF_8);
    Path dir = Fixture.dir("fixture-drift");
    List<String> vocab = Files.readAllLines(dir.resolve("vocab.txt"), StandardCharsets.UTF_8);
    naiveA = NaiveSimilarity.of(NaiveSimilarity.readNpy(dir.resolve("current.npy")), vocab);
    naiveB = NaiveSimilarity.of(NaiveSimilarity.readNpy(dir.resolve("base.npy")), vocab);
    server = TestServer.over(new RunService(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String drift(String x, String y) {
    return "/api/drift/" + x + "/" + y;
  }

  private static JsonNode get(String target) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(200);
    return TestServer.json(r.body());
  }

  private static String error(String target, int status) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(status);
    return ErrorBodies.assertClean(r.body());
  }

  /** Naive mean Δ and max |Δ| of rows [r0, r1) × columns [c0, c1). */
  private static double[] naiveDelta(Metric m, long r0, long r1, long c0, long c1) {
    return naiveDelta(m, r0, r1, c0, c1, false);
  }

  /** The same without the self-pairs when {@code skipSelf}; NaN when no pair is left. */
  private static double[] naiveDelta(
      Metric m, long r0, long r1, long c0, long c1, boolean skipSelf) {
    double[][] x = naiveA.matrix(m);
    double[][] y = naiveB.matrix(m);
    double sum = 0;
    double maxAbs = 0;
    long pairs = 0;
    for (int r = (int) r0; r < r1; r++) {
      for (int c = (int) c0; c < c1; c++) {
        if (skipSelf && r == c) {
          continue;
        }
        double d = x[r][c] - y[r][c];
        sum += d;
        maxAbs = Math.max(maxAbs, Math.abs(d));
        pairs++;
      }
    }
    return pairs == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {sum / pairs, maxAbs};
  }

  private static double tolerance(Metric m) {
    return 2 * NaiveSimilarity.tolerance(m);
  }

  @Test
  void alignedRunsSayWhatTheyShare() {
    JsonNode d = get(drift(a, b));
    assertThat(d.get("a").asText()).isEqualTo(a);
    assertThat(d.get("b").asText()).isEqualTo(b);
    assertThat(d.get("aligned").asBoolean()).isTrue();
    assertThat(d.get("n").asLong()).isEqualTo(600);
    assertThat(d.get("nCols").asLong()).isEqualTo(600);
    assertThat(d.get("metrics").toString()).isEqualTo("[\"cosine\",\"dot\"]");
    assertThat(d.get("storedZoom").asInt()).isZero();
    assertThat(d.get("maxZoom").asInt()).isEqualTo(2);
    assertThat(d.has("reason")).isFalse();
    assertThat(get(drift(b, a)).get("aligned").asBoolean()).isTrue();
    assertThat(get(drift(a, a)).get("metrics")).hasSize(3);
  }

  @Test
  void runsInAnotherOrderDoNotAlignAndSayWhy() {
    JsonNode d = get(drift(a, "latest"));
    assertThat(d.get("b").asText()).isEqualTo(s);
    assertThat(d.get("aligned").asBoolean()).isFalse();
    assertThat(d.has("n")).isFalse();
    String reason = d.get("reason").asText();
    assertThat(reason)
        .matches("position \\d+ holds 'w\\d+' in run " + a + " but '[^']+' in run " + s + " .*")
        .contains("(run " + a + " is in input order, run " + s + " in cluster order)")
        .endsWith(": recompute one with --order-from the other");
    assertThat(d.size()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(
      value = Metric.class,
      names = {"COSINE", "DOT"})
  void storedLevelTilesAreTheDifferenceOfStoredMeans(Metric m) {
    JsonNode t = get(drift(a, b) + "/tiles/" + m.id() + "/0/0/0");
    TileGeometry g = TileGeometry.of(600, 600);
    assertThat(t.get("span").asLong()).isEqualTo(4);
    assertThat(t.get("rows").asInt()).isEqualTo(150);
    assertThat(t.get("cols").asInt()).isEqualTo(150);
    assertThat(t.get("maxAbs").isNull()).isTrue();
    checkMeans(t, m, g, 0);
  }

  @ParameterizedTest
  @CsvSource({"cosine,1,0,1", "dot,1,1,1", "cosine,2,2,0", "dot,2,1,2"})
  void liveTilesPoolEveryPairsDelta(String metric, int z, long i, long j) {
    Metric m = Metric.parse(metric);
    JsonNode t = get(drift(a, b) + "/tiles/" + metric + "/" + z + "/" + i + "/" + j);
    TileGeometry g = TileGeometry.of(600, 600);
    assertThat(t.get("rows").asInt()).isEqualTo(g.rowsInTile(z, i));
    assertThat(t.get("cols").asInt()).isEqualTo(g.colsInTile(z, j));
    assertThat(t.get("rowStart").asLong()).isEqualTo(i * 256);
    checkMeans(t, m, g, z);
    long span = g.span(z);
    int cols = t.get("cols").asInt();
    for (int r = 0; r < t.get("rows").asInt(); r++) {
      for (int c = 0; c < cols; c++) {
        long r0 = (i * 256 + r) * span;
        long c0 = (j * 256 + c) * span;
        double[] naive = naiveDelta(m, r0, Math.min(r0 + span, 600), c0, Math.min(c0 + span, 600));
        assertThat(t.get("maxAbs").get(r * cols + c).asDouble())
            .as("max |Δ| of cell (%d, %d)", r, c)
            .isCloseTo(naive[1], within(tolerance(m)));
      }
    }
  }

  private static void checkMeans(JsonNode t, Metric m, TileGeometry g, int z) {
    long span = g.span(z);
    int rows = t.get("rows").asInt();
    int cols = t.get("cols").asInt();
    assertThat(t.get("mean")).hasSize(rows * cols);
    long i = t.get("i").asLong();
    long j = t.get("j").asLong();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        long r0 = (i * 256 + r) * span;
        long c0 = (j * 256 + c) * span;
        double[] naive = naiveDelta(m, r0, Math.min(r0 + span, 600), c0, Math.min(c0 + span, 600));
        assertThat(t.get("mean").get(r * cols + c).asDouble())
            .as("mean Δ of cell (%d, %d) at level %d", r, c, z)
            .isCloseTo(naive[0], within(tolerance(m)));
      }
    }
  }

  @Test
  void aLiveMeanIsTheDifferenceOfTheRunsOwnTiles() {
    // Level 1: A stores it, B computes it live; the drift tile computes every pair of both.
    JsonNode t = get(drift(a, b) + "/tiles/dot/1/1/0");
    JsonNode ta = get("/api/runs/" + a + "/tiles/dot/1/1/0?agg=mean").get("mean");
    JsonNode tb = get("/api/runs/" + b + "/tiles/dot/1/1/0?agg=mean").get("mean");
    assertThat(t.get("mean")).hasSize(ta.size());
    for (int k = 0; k < ta.size(); k++) {
      assertThat(t.get("mean").get(k).asDouble())
          .isCloseTo(ta.get(k).asDouble() - tb.get(k).asDouble(), within(2e-4));
    }
  }

  @Test
  void aStoredLevelViewPoolsTheMeanDeltaOfEachBin() {
    JsonNode v = get(drift(a, b) + "/view?metric=cosine&res=32");
    JsonNode meta = v.get("usermeta");
    assertThat(meta.get("level").asInt()).isZero();
    assertThat(meta.get("live").asBoolean()).isFalse();
    assertThat(meta.get("maxAbsAvailable").asBoolean()).isFalse();
    assertThat(meta.get("storedZoom").asInt()).isZero();
    assertThat(meta.get("drift").get("a").asText()).isEqualTo(a);
    assertThat(meta.get("drift").get("b").asText()).isEqualTo(b);
    checkBins(v, Metric.COSINE, false);
    assertThat(error(drift(a, b) + "/view?metric=cosine&agg=maxabs&res=32", 400))
        .isEqualTo("max |Δ| needs a level finer than 0 (stored levels keep means only); zoom in");
  }

  @ParameterizedTest
  @CsvSource({"mean,cosine", "maxabs,cosine", "maxabs,dot"})
  void aLiveViewPoolsEveryPair(String agg, String metric) {
    Metric m = Metric.parse(metric);
    JsonNode v =
        get(drift(a, b) + "/view?metric=" + metric + "&agg=" + agg + "&x0=40&x1=140&y0=500&y1=600");
    JsonNode meta = v.get("usermeta");
    assertThat(meta.get("level").asInt()).isEqualTo(2);
    assertThat(meta.get("live").asBoolean()).isTrue();
    assertThat(meta.get("maxAbsAvailable").asBoolean()).isTrue();
    assertThat(meta.get("agg").asText()).isEqualTo(agg);
    checkBins(v, m, agg.equals("maxabs"));
  }

  @Test
  void aViewAtALevelOnlyOneRunStoresIsLive() {
    JsonNode v = get(drift(a, b) + "/view?metric=dot&agg=maxabs&x0=0&x1=300&y0=300&y1=600&res=150");
    assertThat(v.get("usermeta").get("level").asInt()).isEqualTo(1);
    checkBins(v, Metric.DOT, true);
  }

  /** Every bin's value against naive Δ; the colour domain is symmetric about 0. */
  private static void checkBins(JsonNode v, Metric m, boolean maxAbs) {
    checkBins(v, m, maxAbs, false);
  }

  private static void checkBins(JsonNode v, Metric m, boolean maxAbs, boolean skipSelf) {
    JsonNode values = v.get("data").get("values");
    assertThat(values.size()).isPositive();
    double largest = 0;
    for (JsonNode bin : values) {
      double[] naive =
          naiveDelta(
              m,
              bin.get("y0").asLong(),
              bin.get("y1").asLong(),
              bin.get("x0").asLong(),
              bin.get("x1").asLong(),
              skipSelf);
      if (Double.isNaN(naive[0])) {
        assertThat(bin.get("value").isNull()).as(bin.toString()).isTrue();
        continue;
      }
      double value = bin.get("value").asDouble();
      assertThat(value).as(bin.toString()).isCloseTo(naive[maxAbs ? 1 : 0], within(tolerance(m)));
      assertThat(bin.get("mean").asDouble()).isCloseTo(naive[0], within(tolerance(m)));
      largest = Math.max(largest, Math.abs(value));
    }
    JsonNode scale = v.get("encoding").get("color").get("scale");
    assertThat(scale.get("domain").get(0).asDouble()).isEqualTo(-largest, within(1e-6));
    assertThat(scale.get("domain").get(1).asDouble()).isEqualTo(largest, within(1e-6));
    assertThat(scale.get("scheme").asText()).isEqualTo("redblue");
    assertThat(v.get("encoding").get("color").get("title").asText())
        .isEqualTo("Δ " + m.id() + " (A − B)");
  }

  @ParameterizedTest
  @CsvSource({"cosine,mean,600,32", "dot,mean,600,32", "dot,maxabs,300,150", "cosine,mean,64,64"})
  void aMaskedViewLeavesOutTheSelfPairsOfBothRuns(String metric, String agg, long to, int res) {
    Metric m = Metric.parse(metric);
    JsonNode v =
        get(
            drift(a, b)
                + "/view?mask=true&metric="
                + metric
                + "&agg="
                + agg
                + "&x1="
                + to
                + "&y1="
                + to
                + "&res="
                + res);
    JsonNode meta = v.get("usermeta");
    assertThat(meta.get("mask").asBoolean()).isTrue();
    assertThat(meta.get("maskExact").asBoolean()).isTrue();
    checkBins(v, m, agg.equals("maxabs"), true);
  }

  @Test
  void aCrossRunComparedWithItselfHasNoDrift() {
    JsonNode d = get(drift(cross, cross));
    assertThat(d.get("aligned").asBoolean()).isTrue();
    assertThat(d.get("nCols").asLong()).isEqualTo(300);
    assertThat(get(drift(cross, a)).get("reason").asText())
        .isEqualTo("run " + cross + " is a cross run and run " + a + " is not");
    JsonNode t = get(drift(cross, cross) + "/tiles/dot/2/2/1");
    assertThat(t.get("cols").asInt()).isEqualTo(44);
    t.get("mean").forEach(x -> assertThat(x.asDouble()).isZero());
    t.get("maxAbs").forEach(x -> assertThat(x.asDouble()).isZero());
    JsonNode c = get(drift(cross, cross) + "/changes/cosine/3?axis=cols&k=4");
    assertThat(c.get("axis").asText()).isEqualTo("cols");
    assertThat(c.get("token").asText()).isEqualTo("col3");
    assertThat(c.get("changed").findValuesAsText("position")).containsExactly("0", "1", "2", "3");
    assertThat(c.get("entered")).isEmpty();
    assertThat(c.get("left")).isEmpty();
    JsonNode masked = get(drift(cross, cross) + "/view?mask=true");
    assertThat(masked.get("usermeta").get("maskIgnored").asText()).contains("rectangular");
  }

  @ParameterizedTest
  @CsvSource({"cosine,7,5", "dot,599,20", "cosine,5,3"})
  void changesOfATokenEqualItsWholeRowInBothRuns(String metric, int p, int k) {
    Metric m = Metric.parse(metric);
    JsonNode c = get(drift(a, b) + "/changes/" + metric + "/" + p + "?k=" + k);
    double[] x = naiveA.matrix(m)[p];
    double[] y = naiveB.matrix(m)[p];
    assertThat(c.get("position").asInt()).isEqualTo(p);
    assertThat(c.get("token").asText()).isEqualTo(naiveA.token(p));
    List<Integer> others = IntStream.range(0, 600).filter(q -> q != p).boxed().toList();
    List<Integer> changed =
        others.stream()
            .sorted(
                Comparator.comparingDouble((Integer q) -> -Math.abs(x[q] - y[q]))
                    .thenComparing(Comparator.naturalOrder()))
            .limit(k)
            .toList();
    JsonNode list = c.get("changed");
    assertThat(list).hasSize(k);
    for (int e = 0; e < k; e++) {
      int q = changed.get(e);
      JsonNode got = list.get(e);
      assertThat(got.get("position").asInt()).as("changed #%d", e).isEqualTo(q);
      assertThat(got.get("token").asText()).isEqualTo(naiveA.token(q));
      assertThat(got.get("a").asDouble()).isCloseTo(x[q], within(tolerance(m)));
      assertThat(got.get("b").asDouble()).isCloseTo(y[q], within(tolerance(m)));
      assertThat(got.get("delta").asDouble()).isCloseTo(x[q] - y[q], within(tolerance(m)));
    }
    List<Integer> topA = top(others, x, k);
    List<Integer> topB = top(others, y, k);
    checkNeighbors(c.get("neighborsA"), topA, x, m);
    checkNeighbors(c.get("neighborsB"), topB, y, m);
    List<String> entered = new ArrayList<>();
    topA.stream().filter(q -> !topB.contains(q)).forEach(q -> entered.add(naiveA.token(q)));
    List<String> left = new ArrayList<>();
    topB.stream().filter(q -> !topA.contains(q)).forEach(q -> left.add(naiveA.token(q)));
    assertThat(texts(c.get("entered"))).isEqualTo(entered);
    assertThat(texts(c.get("left"))).isEqualTo(left);
  }

  private static List<Integer> top(List<Integer> others, double[] v, int k) {
    return others.stream()
        .sorted(
            Comparator.comparingDouble((Integer q) -> -v[q])
                .thenComparing(Comparator.naturalOrder()))
        .limit(k)
        .toList();
  }

  private static void checkNeighbors(JsonNode got, List<Integer> want, double[] v, Metric m) {
    assertThat(got).hasSize(want.size());
    for (int e = 0; e < want.size(); e++) {
      assertThat(got.get(e).get("position").asInt()).isEqualTo(want.get(e));
      assertThat(got.get(e).get("token").asText()).isEqualTo(naiveA.token(want.get(e)));
      assertThat(got.get(e).get("score").asDouble())
          .isCloseTo(v[want.get(e)], within(tolerance(m)));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void changesDefaultToTwentyAndTheRowsAxis() {
    JsonNode c = get(drift(a, b) + "/changes/dot/13");
    assertThat(c.get("changed")).hasSize(20);
    assertThat(c.get("neighborsA")).hasSize(20);
    assertThat(c.get("axis").asText()).isEqualTo("rows");
    assertThat(c.get("token").asText()).isEqualTo("größe");
    assertThat(get(drift(a, b) + "/changes/dot/13?axis=cols").get("changed"))
        .isEqualTo(c.get("changed"));
  }

  @Test
  void unknownRunsAre404AndMalformedOnes400() {
    String gone = "20261122T000000Z-00000000";
    for (String suffix : List.of("", "/tiles/cosine/0/0/0", "/view", "/changes/cosine/1")) {
      assertThat(error(drift(a, gone) + suffix, 404)).contains(gone);
      assertThat(error(drift(gone, b) + suffix, 404)).contains(gone);
    }
    assertThat(error(drift(a, "nope"), 400)).contains("Bad run 'nope'");
  }

  @Test
  void runsThatDoNotAlignAre409WithTheReason() {
    String prefix = "runs " + a + " and " + s + " do not align: position ";
    for (String suffix :
        List.of("/tiles/cosine/0/0/0", "/view?metric=cosine", "/changes/cosine/1")) {
      assertThat(error(drift(a, s) + suffix, 409))
          .startsWith(prefix)
          .endsWith("recompute one with --order-from the other");
    }
  }

  @Test
  void badArgumentsAre400() {
    String d = drift(a, b);
    assertThat(error(d + "/tiles/l2/0/0/0", 400))
        .isEqualTo("metric 'l2' is not in both runs: they share cosine, dot");
    assertThat(error(d + "/tiles/euclid/0/0/0", 400)).contains("Bad metric 'euclid'");
    assertThat(error(d + "/tiles/cosine/3/0/0", 400))
        .isEqualTo("level 3 is out of range: the runs have levels 0..2");
    assertThat(error(d + "/tiles/cosine/0/1/0", 400)).contains("outside level 0's grid");
    assertThat(error(d + "/tiles/cosine/2/0/3", 400)).contains("j in 0..2");
    assertThat(error(d + "/tiles/cosine/-1/0/0", 400)).contains("z");
    assertThat(error(d + "/view?metric=l2", 400)).contains("not in both runs");
    assertThat(error(d + "/view?agg=max", 400)).contains("choose mean or maxabs");
    assertThat(error(d + "/view?res=9", 400)).contains("res must be 32..512");
    assertThat(error(d + "/view?x0=600", 400)).contains("past the last position");
    assertThat(error(d + "/changes/cosine/600", 400))
        .isEqualTo("position 600 is out of range: the runs' rows are 0..599");
    assertThat(error(d + "/changes/cosine/x", 400)).contains("position");
    assertThat(error(d + "/changes/cosine/3?k=0", 400)).isEqualTo("k must be 1..100, got 0");
    assertThat(error(d + "/changes/cosine/3?k=101", 400)).isEqualTo("k must be 1..100, got 101");
    assertThat(error(d + "/changes/l2/3", 400)).contains("not in both runs");
    assertThat(error(d + "/changes/cosine/3?axis=diagonal", 400)).contains("Bad axis");
  }
}
