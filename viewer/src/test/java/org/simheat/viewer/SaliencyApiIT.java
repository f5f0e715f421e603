package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.SaliencyFixture;
import org.simheat.viewer.testing.SaliencyFixture.Token;
import org.simheat.viewer.testing.TestServer;

/**
 * The saliency API over real Parquet documents in a temporary output directory, served by the real
 * server on port 0: the listing (beside the runs and inside a committed run), token windows, dense
 * and sparse heat rows against what was written, every refusal as clean 4xx JSON, a document that
 * appears while the server runs, and a 20,000-token document served in bounded pieces.
 */
class SaliencyApiIT {
  private static final String RUN = "20261122T083811Z-b1a86a29";
  private static final int LONG = 20_000;

  @TempDir static Path out;
  private static TestServer server;
  private static List<List<Token>> cat;
  private static List<List<Token>> sparse;
  private static List<List<Token>> inRun;
  private static List<List<Token>> longText;
  private static List<List<Token>> linked;
  private static int[] vocab;

  @BeforeAll
  static void start() throws IOException {
    SaliencyFixture.copyFixtureRun(out);
    Path top = out.resolve(RunLayout.SALIENCY);
    cat = SaliencyFixture.text(12, 2, 3, true, 1);
    SaliencyFixture.write(top, "cat", "The cat", List.of("Words", "Chars"), cat, false);
    sparse = SaliencyFixture.text(40, 1, 2, false, 2);
    SaliencyFixture.write(top, "sparse", "Sparse", List.of("Only"), sparse, true);
    inRun = SaliencyFixture.text(8, 1, 8, false, 3);
    Path runDir = out.resolve(RunLayout.runDir(RUN)).resolve(RunLayout.SALIENCY);
    SaliencyFixture.write(runDir, "cat", "Run cat", List.of("F"), inRun, false);
    linked = SaliencyFixture.text(16, 1, 3, false, 6);
    vocab = new int[16];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = i % 4 == 3 || i == 1 ? -1 : (i * 7) % 10; // format and no-heat tokens: none
    }
    SaliencyFixture.write(runDir, "linked", "Linked", List.of("F"), linked, vocab, false);
    SaliencyFixture.writeWithoutVocabPositions(
        runDir, "older", "Older", List.of("F"), SaliencyFixture.text(6, 1, 2, false, 7));
    longText = SaliencyFixture.text(LONG, 2, 6, true, 4);
    SaliencyFixture.write(top, "long", "Long", List.of("A", "B"), longText, true);
    server = TestServer.over(new RunService(out));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void listsEveryDocumentWithItsRunAndRange() {
    JsonNode list = ok("/api/saliency");
    assertThat(list)
        .extracting(d -> d.get("id").asText())
        .containsExactly("cat", "long", "sparse", RUN + "~cat", RUN + "~linked", RUN + "~older");
    JsonNode c = list.get(0);
    assertThat(c.get("run").isNull()).isTrue();
    assertThat(c.get("title").asText()).isEqualTo("The cat");
    assertThat(c.get("facets")).extracting(JsonNode::asText).containsExactly("Words", "Chars");
    assertThat(c.get("tokens").asInt()).isEqualTo(12);
    assertThat(c.get("heatLayout").asText()).isEqualTo("dense");
    assertThat((float) c.at("/heat/min").asDouble()).isEqualTo(min(cat));
    assertThat((float) c.at("/heat/max").asDouble()).isEqualTo(max(cat));
    assertThat(list.get(3).get("run").asText()).isEqualTo(RUN);
    assertThat(list.get(3).get("title").asText()).isEqualTo("Run cat");
  }

  @Test
  void servesTokenWindowsAsWritten() {
    JsonNode d = ok("/api/saliency/cat?from=2&to=9");
    assertThat(d.get("from").asInt()).isEqualTo(2);
    assertThat(d.get("to").asInt()).isEqualTo(9);
    assertThat(d.at("/source/kind").asText()).isEqualTo("textualheatmap-json");
    assertThat(d.toString()).doesNotContain("\"heat\":[");
    for (int f = 0; f < 2; f++) {
      for (int i = 2; i < 9; i++) {
        assertToken(d.at("/text/" + f + "/" + (i - 2)), cat.get(f).get(i));
      }
    }
    JsonNode all = ok("/api/saliency/cat");
    assertThat(all.get("to").asInt()).isEqualTo(12);
    assertThat(all.at("/text/0").size()).isEqualTo(12);
    assertThat(ok("/api/saliency/cat?from=12").at("/text/0").size()).isZero();
  }

  @Test
  void servesDocumentsInsideRunsByRunAndId() {
    JsonNode d = ok("/api/saliency/" + RUN + "~cat?to=3");
    assertThat(d.get("title").asText()).isEqualTo("Run cat");
    assertThat(d.get("run").asText()).isEqualTo(RUN);
    assertToken(d.at("/text/0/0"), inRun.get(0).get(0));
    assertDense(ok("/api/saliency/" + RUN + "~cat/heat/0/5"), inRun.get(0).get(5).heat());
  }

  @Test
  void denseHeatRowsAreTheRowsWritten() {
    for (int f = 0; f < 2; f++) {
      for (int i = 0; i < 12; i++) {
        JsonNode row = ok("/api/saliency/cat/heat/" + f + "/" + i);
        assertThat(row.get("layout").asText()).isEqualTo("dense");
        float[] heat = cat.get(f).get(i).heat();
        assertThat(row.get("hasHeat").asBoolean()).as("%d/%d", f, i).isEqualTo(heat != null);
        assertDense(row, heat == null ? new float[0] : heat);
      }
    }
  }

  @Test
  void sparseHeatRowsAreTheNonZeroValuesWritten() {
    for (int i = 0; i < 40; i++) {
      assertSparse(ok("/api/saliency/sparse/heat/0/" + i), sparse.get(0).get(i).heat());
    }
  }

  @Test
  void refusesBadRequestsWithCleanJson() {
    assertError("/api/saliency/Cat", 400, "Bad saliency document id");
    assertError("/api/saliency/..", 400, "Bad saliency document id");
    assertError("/api/saliency/nope", 404, "No saliency document nope");
    assertError("/api/saliency/20261122T083811Z-00000000~cat", 404, "No saliency document");
    assertError("/api/saliency/cat?from=13", 400, "Bad window [13, 2013)");
    assertError("/api/saliency/cat?from=5&to=4", 400, "Bad window [5, 4)");
    assertError("/api/saliency/long?from=0&to=2001", 400, "at most 2000 positions");
    assertError("/api/saliency/cat?from=-1", 400, "Bad from");
    assertError("/api/saliency/cat/heat/2/0", 404, "has no facet 2: it has 2");
    assertError("/api/saliency/cat/heat/0/12", 404, "has no position 12: it has 12 tokens");
    assertError("/api/saliency/cat/heat/0/x", 400, "Bad position");
    assertError("/api/saliency/cat/heat/0", 404, "No such API route");
  }

  @Test
  void aDocumentImportedWhileServingAppears() throws IOException {
    assertThat(ok("/api/saliency").findValuesAsText("id")).doesNotContain("late");
    List<List<Token>> late = SaliencyFixture.text(5, 1, 1, false, 5);
    SaliencyFixture.write(
        out.resolve(RunLayout.SALIENCY), "late", "Late", List.of("F"), late, false);
    assertThat(ok("/api/saliency").findValuesAsText("id")).contains("late");
    assertDense(ok("/api/saliency/late/heat/0/2"), late.get(0).get(2).heat());
  }

  @Test
  void aLongDocumentIsServedInBoundedPieces() {
    HttpResponse<String> list = server.get("/api/saliency");
    HttpResponse<String> window = server.get("/api/saliency/long?from=15000&to=17000");
    HttpResponse<String> row = server.get("/api/saliency/long/heat/1/16001");
    assertThat(window.statusCode()).isEqualTo(200);
    JsonNode w = TestServer.json(window.body());
    for (int k = 0; k < 2000; k += 97) {
      assertToken(w.at("/text/1/" + k), longText.get(1).get(15000 + k));
    }
    assertSparse(TestServer.json(row.body()), longText.get(1).get(16001).heat());
    // 2000 tokens of two facets with meta: about 50 bytes a token, never the 20,000² heat.
    assertThat(window.body().length()).isLessThan(2 * 2000 * 60);
    // One heat row: its 13 non-zero values, not 20,000.
    assertThat(row.body().length()).isLessThan(600);
    assertThat(list.body().length()).isLessThan(2000);
    long started = System.nanoTime();
    for (int k = 0; k < 20; k++) {
      server.get("/api/saliency/long/heat/0/" + (k * 997));
    }
    long rowMicros = (System.nanoTime() - started) / 20_000;
    started = System.nanoTime();
    for (int k = 0; k < 10; k++) {
      server.get("/api/saliency/long?from=" + (k * 1990) + "&to=" + (k * 1990 + 2000));
    }
    long windowMicros = (System.nanoTime() - started) / 10_000;
    started = System.nanoTime();
    int chunkBytes = 0;
    for (int k = 0; k < 10; k++) {
      String chunk = "/api/saliency/long?from=" + (k * 500) + "&to=" + (k * 500 + 500);
      chunkBytes = server.get(chunk).body().length();
    }
    long chunkMicros = (System.nanoTime() - started) / 10_000;
    System.out.printf(
        "saliency 20k: listing %d B, window of 2000 %d B (%d µs), page chunk of 500 %d B (%d µs),"
            + " heat row %d B (%d µs)%n",
        list.body().length(),
        window.body().length(),
        windowMicros,
        chunkBytes,
        chunkMicros,
        row.body().length(),
        rowMicros);
  }

  @Test
  void servesAVegaLiteViewColouredByTheFocus() {
    JsonNode spec = ok("/api/saliency/cat/spec?focus=5&width=300");
    assertThat(spec.get("$schema").asText()).contains("vega-lite");
    assertThat(spec.at("/params/0/name").asText()).isEqualTo("hover");
    for (int f = 0; f < 2; f++) {
      JsonNode rows = spec.at("/datasets/facet" + f);
      assertThat(rows.size()).isEqualTo(12);
      float[] heat = cat.get(f).get(5).heat();
      for (JsonNode r : rows) {
        int j = r.get("position").asInt();
        assertThat(r.get("token").asText()).isEqualTo(cat.get(f).get(j).token());
        assertThat(r.get("x2").asInt()).isLessThanOrEqualTo(300);
        if (cat.get(f).get(j).format()) {
          assertThat(r.get("heat").isNull()).isTrue();
        } else {
          assertThat((float) r.get("heat").asDouble()).isEqualTo(heat[j]);
        }
      }
    }
    JsonNode inLatest = ok("/api/runs/latest/saliency/cat?focus=2");
    assertThat(inLatest.get("title").asText()).isEqualTo("Run cat");
    assertThat((float) inLatest.at("/datasets/facet0/4/heat").asDouble())
        .isEqualTo(inRun.get(0).get(2).heat()[4]);
    JsonNode far = ok("/api/saliency/long/spec?focus=16001");
    assertThat(far.at("/datasets/facet0").size()).isEqualTo(401);
    assertThat(far.at("/datasets/facet0/0/position").asInt()).isEqualTo(15801);
    assertError("/api/saliency/cat/spec?focus=12", 404, "has no position 12");
    assertError("/api/saliency/cat/spec?width=5", 400, "Bad width 5");
    assertError("/api/saliency/long/spec?from=0&to=1001", 400, "at most 1000 positions");
    assertError("/api/runs/latest/saliency/nope", 404, "No saliency document");
  }

  @Test
  void tokensOfARunDocumentCarryTheirVocabularyPositionAndAreFoundByIt() {
    JsonNode d = ok("/api/saliency/" + RUN + "~linked");
    for (int i = 0; i < vocab.length; i++) {
      JsonNode t = d.at("/text/0/" + i);
      assertToken(t, linked.get(0).get(i));
      if (vocab[i] >= 0) {
        assertThat(t.get("vocabPosition").asInt()).as("token %d", i).isEqualTo(vocab[i]);
      } else {
        assertThat(t.has("vocabPosition")).as("token %d", i).isFalse();
      }
    }
    assertThat(ok("/api/saliency/cat").toString()).doesNotContain("vocabPosition");
    // A document written before vocab_position: served as before, never found.
    assertThat(ok("/api/saliency/" + RUN + "~older").toString()).doesNotContain("vocabPosition");
    for (int p = 0; p < 12; p++) {
      int first = -1;
      int count = 0;
      for (int i = vocab.length - 1; i >= 0; i--) {
        if (vocab[i] == p) {
          first = i;
          count++;
        }
      }
      JsonNode o = ok("/api/runs/latest/saliency-occurrences?position=" + p);
      assertThat(o.get("run").asText()).isEqualTo(RUN);
      assertThat(o.get("position").asInt()).isEqualTo(p);
      assertThat(o.get("searched").asInt()).isEqualTo(3);
      assertThat(o.get("found").asInt()).as("position %d", p).isEqualTo(count > 0 ? 1 : 0);
      assertThat(o.get("documents").size()).isEqualTo(count > 0 ? 1 : 0);
      if (count > 0) {
        JsonNode doc = o.at("/documents/0");
        assertThat(doc.get("id").asText()).isEqualTo(RUN + "~linked");
        assertThat(doc.get("title").asText()).isEqualTo("Linked");
        assertThat(doc.get("first").asInt()).as("position %d", p).isEqualTo(first);
        assertThat(doc.get("count").asInt()).as("position %d", p).isEqualTo(count);
      }
    }
    assertError("/api/runs/latest/saliency-occurrences", 400, "Missing parameter 'position'");
    assertError("/api/runs/latest/saliency-occurrences?position=-1", 400, "Bad position");
  }

  private static JsonNode ok(String target) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target + ": " + r.body()).isEqualTo(200);
    return TestServer.json(r.body());
  }

  private static void assertError(String target, int status, String message) {
    HttpResponse<String> r = server.get(target);
    assertThat(r.statusCode()).as(target).isEqualTo(status);
    assertThat(ErrorBodies.assertClean(r.body())).as(target).contains(message);
  }

  private static void assertToken(JsonNode node, Token t) {
    assertThat(node.get("token").asText()).isEqualTo(t.token());
    assertThat(node.path("format").asBoolean(false)).isEqualTo(t.format());
    List<String> meta = new ArrayList<>();
    node.path("meta").forEach(m -> meta.add(m.asText()));
    assertThat(meta).containsExactly(t.meta());
    assertThat(node.path("noHeat").asBoolean(false)).isEqualTo(t.heat() == null);
  }

  private static void assertDense(JsonNode row, float[] heat) {
    assertThat(row.has("targets")).isFalse();
    float[] got = new float[row.get("values").size()];
    for (int j = 0; j < got.length; j++) {
      got[j] = (float) row.get("values").get(j).asDouble();
    }
    assertThat(got).containsExactly(heat);
  }

  private static void assertSparse(JsonNode row, float[] heat) {
    assertThat(row.get("layout").asText()).isEqualTo("sparse");
    List<Integer> targets = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    for (int j = 0; heat != null && j < heat.length; j++) {
      if (heat[j] != 0f) {
        targets.add(j);
        values.add(heat[j]);
      }
    }
    List<Integer> gotTargets = new ArrayList<>();
    row.get("targets").forEach(t -> gotTargets.add(t.asInt()));
    List<Float> gotValues = new ArrayList<>();
    row.get("values").forEach(v -> gotValues.add((float) v.asDouble()));
    assertThat(gotTargets).isEqualTo(targets);
    assertThat(gotValues).isEqualTo(values);
    assertThat(row.get("hasHeat").asBoolean()).isEqualTo(heat != null);
  }

  private static float min(List<List<Token>> text) {
    float m = Float.POSITIVE_INFINITY;
    for (List<Token> facet : text) {
      for (Token t : facet) {
        for (int j = 0; t.heat() != null && j < t.heat().length; j++) {
          m = Math.min(m, t.heat()[j]);
        }
      }
    }
    return m;
  }

  private static float max(List<List<Token>> text) {
    float m = Float.NEGATIVE_INFINITY;
    for (List<Token> facet : text) {
      for (Token t : facet) {
        for (int j = 0; t.heat() != null && j < t.heat().length; j++) {
          m = Math.max(m, t.heat()[j]);
        }
      }
    }
    return m;
  }
}
