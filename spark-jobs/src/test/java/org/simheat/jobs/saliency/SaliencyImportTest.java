package org.simheat.jobs.saliency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.format.SaliencyDocument;

/** Imports written in textualheatmap's format, read back with DuckDB field by field. */
class SaliencyImportTest {
  @TempDir Path tmp;

  /** Two facets of five tokens: meta, a format token, heat on some tokens (negative values too). */
  static SaliencyText sample() {
    List<SaliencyToken> words =
        List.of(
            new SaliencyToken(
                "The", List.of("A", "This"), new float[] {1f, 0.5f, 0f, 0.25f, 0.1f}, false),
            new SaliencyToken(" ", List.of(), null, true),
            new SaliencyToken(
                "cat", List.of("dog", "cat", "fox"), new float[] {0.3f, 0f, 1f, -0.2f, 0f}, false),
            new SaliencyToken("\n", List.of(), null, true),
            new SaliencyToken("é😀", List.of("ünï"), new float[] {0f, 0f, 0f, 0f, 0f}, false));
    List<SaliencyToken> chars =
        List.of(
            new SaliencyToken("T", List.of(), new float[] {-1f, 2f, 3e-8f, 4f, 5f}, false),
            new SaliencyToken("_", List.of("space"), null, true),
            new SaliencyToken("c", List.of(), null, false),
            new SaliencyToken("\n", List.of(), null, true),
            new SaliencyToken(
                "e", List.of("m1", "m2"), new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, false));
    return new SaliencyText(List.of(words, chars));
  }

  private ImportSpec spec(Path json, String title, String doc, boolean sparse, boolean force) {
    return new ImportSpec(
        json.toString(),
        title,
        List.of("Words", "Chars"),
        doc,
        tmp.resolve("out").toString(),
        null,
        sparse,
        force);
  }

  private SaliencyImport.Result importOf(ImportSpec spec) {
    return new SaliencyImport(spec, new Configuration()).run();
  }

  @Test
  void sampleRoundTripsExactly() throws IOException, SQLException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    SaliencyImport.Result r = importOf(spec(json, "The Cat (v2)", null, false, false));

    Path dir = tmp.resolve("out/saliency/the-cat-v2");
    assertThat(Path.of(r.dir().toUri())).isEqualTo(dir);
    SaliencyFiles.assertSame(sample(), SaliencyFiles.read(dir, "the-cat-v2", false));
    assertThat(SaliencyFiles.vocabPositions(dir, 1)).containsOnly(-1).hasSize(5);
    SaliencyDocument d = SaliencyFiles.document(dir);
    assertThat(d.doc()).isEqualTo("the-cat-v2");
    assertThat(d.title()).isEqualTo("The Cat (v2)");
    assertThat(d.facets()).containsExactly("Words", "Chars");
    assertThat(d.tokens()).isEqualTo(5);
    assertThat(d.heat()).isEqualTo(new SaliencyDocument.HeatRange(-1f, 5f));
    assertThat(d.heatLayout()).isEqualTo(SaliencyDocument.DENSE);
    assertThat(d.source().uri()).isEqualTo(json.toUri().toString().replace("file:///", "file:/"));
    assertThat(d.createdAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(dir.resolve("heat")).doesNotExist();
    assertThat(visible(tmp.resolve("out/_staging"))).isEmpty();
  }

  @Test
  void sparseFlagStoresOnlyNonZerosAndReadsBackEqual() throws IOException, SQLException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    SaliencyImport.Result r = importOf(spec(json, "Sample", "s", true, false));

    Path dir = tmp.resolve("out/saliency/s");
    SaliencyFiles.assertSame(sample(), SaliencyFiles.read(dir, "s", true));
    assertThat(r.heatRows()).isEqualTo(nonZeros(sample())).isEqualTo(4 + 3 + 5 + 5);
    assertThat(SaliencyFiles.heatRows(dir)).isEqualTo(r.heatRows());
    assertThat(SaliencyFiles.document(dir).heatLayout()).isEqualTo(SaliencyDocument.SPARSE);
  }

  @Test
  void longTextGoesSparseAndReadsBackEqualToTheDenseHeat() throws IOException, SQLException {
    SaliencyText text = longText(ImportSpec.SPARSE_TOKENS, 25, new Random(6));
    Path json = SaliencyFiles.writeJson(tmp.resolve("long.json"), text);
    SaliencyImport.Result r =
        importOf(
            new ImportSpec(
                json.toString(),
                "Long",
                null,
                null,
                tmp.resolve("out").toString(),
                null,
                false,
                false));

    Path dir = tmp.resolve("out/saliency/long");
    SaliencyDocument d = SaliencyFiles.document(dir);
    assertThat(d.heatLayout()).isEqualTo(SaliencyDocument.SPARSE);
    assertThat(d.tokens()).isEqualTo(ImportSpec.SPARSE_TOKENS);
    assertThat(d.facets()).containsExactly("Facet 1");
    assertThat(r.heatRows()).isEqualTo(nonZeros(text)).isEqualTo(SaliencyFiles.heatRows(dir));
    SaliencyFiles.assertSame(text, SaliencyFiles.read(dir, "long", true));
  }

  /** n tokens, every step-th with a heat row of which about one value in 50 is non-zero. */
  static SaliencyText longText(int n, int rows, Random random) {
    List<SaliencyToken> tokens = new ArrayList<>();
    int step = n / rows;
    for (int i = 0; i < n; i++) {
      float[] heat = null;
      if (i % step == 0) {
        heat = new float[n];
        for (int j = 0; j < n; j++) {
          heat[j] = random.nextInt(50) == 0 ? (float) random.nextGaussian() : 0f;
        }
      }
      boolean format = i % 7 == 3;
      tokens.add(new SaliencyToken(format ? " " : "w" + i, List.of(), heat, format));
    }
    return new SaliencyText(List.of(tokens));
  }

  static long nonZeros(SaliencyText text) {
    long n = 0;
    for (List<SaliencyToken> facet : text.facets()) {
      for (SaliencyToken t : facet) {
        for (int j = 0; t.hasHeat() && j < t.heat().length; j++) {
          n += t.heat()[j] != 0f ? 1 : 0;
        }
      }
    }
    return n;
  }

  @Test
  void missingAndNullFieldsMeanEmptyNoneAndFalse() throws IOException, SQLException {
    Path json = tmp.resolve("min.json");
    Files.writeString(
        json,
        "[[{\"token\": \"a\"}, {\"token\": \"b\", \"meta\": null, \"heat\": null, \"format\": null,"
            + " \"extra\": {\"x\": [1]}}]]");
    importOf(
        new ImportSpec(
            json.toString(), "Min", null, "m", tmp.resolve("out").toString(), null, false, false));

    SaliencyText back = SaliencyFiles.read(tmp.resolve("out/saliency/m"), "m", false);
    SaliencyToken empty = new SaliencyToken("a", List.of(), null, false);
    SaliencyFiles.assertSame(
        new SaliencyText(List.of(List.of(empty, new SaliencyToken("b", List.of(), null, false)))),
        back);
    assertThat(SaliencyFiles.document(tmp.resolve("out/saliency/m")).heat()).isNull();
  }

  @Test
  void anExistingDocumentIsRefusedUnlessForced() throws IOException, SQLException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    importOf(spec(json, "First", "d", false, false));
    assertThatThrownBy(() -> importOf(spec(json, "Second", "d", false, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot import saliency: document 'd' already exists ("
                + tmp.resolve("out/saliency/d")
                    .toUri()
                    .toString()
                    .replace("file:///", "file:/")
                    .replaceAll("/$", "")
                + "); --force replaces it");

    importOf(spec(json, "Second", "d", true, true));
    Path dir = tmp.resolve("out/saliency/d");
    assertThat(SaliencyFiles.document(dir).title()).isEqualTo("Second");
    SaliencyFiles.assertSame(sample(), SaliencyFiles.read(dir, "d", true));
    assertThat(visible(tmp.resolve("out/_staging"))).isEmpty();
  }

  @Test
  void aFailureWhileWritingLeavesNoDocumentAndNoStaging() throws IOException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    for (String step : List.of("tables", "document", "move", "rename")) {
      SaliencyImport failing =
          new SaliencyImport(spec(json, "T", "t", true, false), new Configuration(), failAt(step));
      assertThatThrownBy(failing::run).hasMessageContaining("injected failure at " + step);
      assertThat(tmp.resolve("out/saliency/t")).as(step).doesNotExist();
      assertThat(visible(tmp.resolve("out/_staging"))).as(step).isEmpty();
    }
  }

  @Test
  void anExistingDocumentSurvivesAFailedReimport() throws IOException, SQLException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    importOf(spec(json, "Kept", "d", false, false));
    Path other = SaliencyFiles.writeJson(tmp.resolve("long.json"), longText(40, 4, new Random(1)));
    for (String step : List.of("tables", "document", "move", "rename")) {
      ImportSpec again =
          new ImportSpec(
              other.toString(),
              "Lost",
              null,
              "d",
              tmp.resolve("out").toString(),
              null,
              false,
              true);
      assertThatThrownBy(new SaliencyImport(again, new Configuration(), failAt(step))::run)
          .hasMessageContaining("injected failure at " + step);
      Path dir = tmp.resolve("out/saliency/d");
      assertThat(SaliencyFiles.document(dir).title()).as(step).isEqualTo("Kept");
      SaliencyFiles.assertSame(sample(), SaliencyFiles.read(dir, "d", false));
      assertThat(visible(tmp.resolve("out/_staging"))).as(step).isEmpty();
    }
  }

  @Test
  void aMoveThatFailsForRealCleansUp() throws IOException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    Files.createDirectories(tmp.resolve("out"));
    Files.writeString(tmp.resolve("out/saliency"), "in the way");
    assertThatThrownBy(() -> importOf(spec(json, "T", "t", false, false)))
        .hasMessageStartingWith("Cannot import saliency into ");
    assertThat(Files.readString(tmp.resolve("out/saliency"))).isEqualTo("in the way");
    assertThat(visible(tmp.resolve("out/_staging"))).isEmpty();
  }

  @Test
  void documentsGoInsideARunThroughLatest() throws IOException, SQLException {
    Path json = SaliencyFiles.writeJson(tmp.resolve("sample.json"), sample());
    Path out = tmp.resolve("out");
    ImportSpec latest =
        new ImportSpec(json.toString(), "T", null, "t", out.toString(), "latest", false, false);
    assertThatThrownBy(() -> importOf(latest))
        .hasMessage(
            "Cannot import saliency into "
                + qualified(out)
                + ": --run latest, but there is no LATEST run");
    String run = "20261122T083008Z-a69704ed";
    ImportSpec missingRun =
        new ImportSpec(json.toString(), "T", null, "t", out.toString(), run, false, false);
    assertThatThrownBy(() -> importOf(missingRun))
        .hasMessage("Cannot import saliency into " + qualified(out) + ": no committed run " + run);

    Files.createDirectories(out.resolve("runs/" + run));
    Files.writeString(out.resolve("runs/" + run + "/manifest.json"), "{}");
    Files.writeString(out.resolve(RunLayout.LATEST), run + "\n");
    importOf(latest);
    Path dir = out.resolve("runs/" + run + "/saliency/t");
    SaliencyFiles.assertSame(sample(), SaliencyFiles.read(dir, "t", false));
    assertThat(out.resolve("saliency")).doesNotExist();
  }

  @Test
  void docIdsComeFromTitles() {
    assertThat(SaliencyImport.slug("The Cat (v2)")).isEqualTo("the-cat-v2");
    assertThat(SaliencyImport.slug("  Über Größe — 3 ")).isEqualTo("uber-gro-e-3");
    assertThat(SaliencyImport.slug("-".repeat(5) + "x".repeat(70))).isEqualTo("x".repeat(64));
    assertThat(SaliencyImport.slug("日本")).isEmpty();
  }

  private static SaliencyImport.FaultPoint failAt(String step) {
    return reached -> {
      if (reached.equals(step)) {
        throw new IOException("injected failure at " + step);
      }
    };
  }

  static String qualified(Path p) {
    return p.toUri().toString().replace("file:///", "file:/").replaceAll("/$", "");
  }

  /** Entries of a directory other than Hadoop's hidden checksum files, or none if it is absent. */
  static List<Path> visible(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
