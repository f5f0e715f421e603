package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.simheat.jobs.input.PtGolden.path;
import static org.simheat.jobs.input.PtGolden.value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.jobs.input.XlHeatmapLayout.PtPair;

class XlHeatmapLayoutTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  @Test
  void pairsAPtWithItsSameStemTxt() {
    assertThat(XlHeatmapLayout.vocabFor("hdfs://nn/runs/model.v2.pt"))
        .isEqualTo("hdfs://nn/runs/model.v2.txt");
    assertThat(XlHeatmapLayout.vocabFor("emb.pt")).isEqualTo("emb.txt");
    assertThatThrownBy(() -> XlHeatmapLayout.vocabFor("emb.npy"))
        .hasMessage("Cannot read vocabulary: the embeddings file does not end in .pt (emb.npy)");
  }

  @Test
  void discoversEveryPtRecursivelyWithItsVocabulary() throws IOException {
    Path xl = path("xl");

    List<PtPair> pairs = XlHeatmapLayout.discover(xl.toString(), CONF);

    String root = xl.toUri().toString().replaceFirst("^file:///", "file:/");
    assertThat(pairs)
        .containsExactly(
            new PtPair(root + "a.pt", root + "a.txt"),
            new PtPair(root + "sub/b.pt", root + "sub/b.txt"));
    assertThat(Files.readString(xl.resolve("sub/b.txt"))).isEqualTo("x\ny");
    PtReaderTest.assertMatrix(
        PtReader.open(pairs.get(0).pt(), null, CONF), 3, 4, (r, c) -> value(r, c, 4));
    PtReaderTest.assertMatrix(
        PtReader.open(pairs.get(1).pt(), null, CONF), 2, 4, (r, c) -> value(r, c, 4));
  }

  @Test
  void leavesTheVocabularyNullWhenThereIsNoneAndSkipsHiddenEntries() throws IOException {
    Files.copy(path("f32.pt"), tmp.resolve("z.pt"));
    Files.createDirectories(tmp.resolve(".ipynb_checkpoints"));
    Files.copy(path("f32.pt"), tmp.resolve(".ipynb_checkpoints/z-checkpoint.pt"));
    Files.writeString(tmp.resolve("notes.txt"), "not a vocabulary of any .pt");

    List<PtPair> pairs = XlHeatmapLayout.discover(tmp.toString(), CONF);

    assertThat(pairs).hasSize(1);
    assertThat(pairs.get(0).pt()).endsWith("/z.pt");
    assertThat(pairs.get(0).vocab()).isNull();
  }

  @Test
  void reportsADirectoryWithoutPtFiles() throws IOException {
    Files.writeString(tmp.resolve("a.txt"), "a");

    assertThatThrownBy(() -> XlHeatmapLayout.discover(tmp.toString(), CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read embeddings: no *.pt file in the directory or below it (" + tmp + ")");
  }

  @Test
  void reportsAMissingDirectoryOrAFile() {
    Path missing = tmp.resolve("nowhere");
    Path file = path("f32.pt");

    assertThatThrownBy(() -> XlHeatmapLayout.discover(missing.toString(), CONF))
        .hasMessage("Cannot read embeddings: no such directory (" + missing + ")");
    assertThatThrownBy(() -> XlHeatmapLayout.discover(file.toString(), CONF))
        .hasMessage("Cannot read embeddings: it is not a directory (" + file + ")");
  }
}
