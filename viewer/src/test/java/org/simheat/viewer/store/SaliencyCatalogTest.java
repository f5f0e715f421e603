package org.simheat.viewer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.viewer.testing.SaliencyFixture;

/**
 * Which directories the catalog lists as documents (only those with a readable {@code
 * document.json} that names them, beside the runs or inside committed runs), and that a replaced
 * document is read afresh.
 */
class SaliencyCatalogTest {
  private static final String RUN = "20261122T083811Z-b1a86a29";

  @TempDir Path out;

  @Test
  void listsDocumentsBesideAndInsideCommittedRunsOnly() throws IOException {
    Path top = out.resolve(RunLayout.SALIENCY);
    write(top, "b");
    write(top, "a");
    Path run = out.resolve(RunLayout.runDir(RUN));
    write(run.resolve(RunLayout.SALIENCY), "c");
    Files.writeString(run.resolve(RunLayout.MANIFEST), "{}");
    Path uncommitted = out.resolve(RunLayout.runDir("20261122T083812Z-00000000"));
    write(uncommitted.resolve(RunLayout.SALIENCY), "d");
    assertThat(new SaliencyCatalog(out).list())
        .extracting(SaliencyCatalog.Entry::key)
        .containsExactly("a", "b", RUN + "~c");
    assertThat(new SaliencyCatalog(out).find(RUN + "~c").run()).isEqualTo(RUN);
    assertThat(new SaliencyCatalog(null).list()).isEmpty();
  }

  @Test
  void skipsDirectoriesThatAreNotDocuments() throws IOException {
    Path top = out.resolve(RunLayout.SALIENCY);
    write(top, "good");
    Files.createDirectories(top.resolve("unfinished").resolve(RunLayout.SALIENCY_TOKENS));
    Files.createDirectories(top.resolve("broken"));
    Files.writeString(top.resolve("broken").resolve(RunLayout.SALIENCY_DOCUMENT), "{not json");
    write(top, "other");
    Files.move(top.resolve("other"), top.resolve("renamed"));
    Files.createDirectories(top.resolve("Bad_Name"));
    assertThat(new SaliencyCatalog(out).list())
        .extracting(SaliencyCatalog.Entry::key)
        .containsExactly("good");
  }

  @Test
  void aReplacedDocumentIsReadAfresh() throws IOException {
    Path top = out.resolve(RunLayout.SALIENCY);
    write(top, "doc");
    SaliencyCatalog catalog = new SaliencyCatalog(out);
    OpenSaliency first = catalog.open(catalog.find("doc"));
    assertThat(first.window(0, 1).get(0).get(0).token()).isEqualTo("w0_0");
    assertThat(catalog.open(catalog.find("doc"))).isSameAs(first);
    deleteTree(top.resolve("doc"));
    List<List<SaliencyFixture.Token>> text = SaliencyFixture.text(6, 1, 1, false, 9);
    text.get(0).set(0, SaliencyFixture.Token.of("new", new String[0], new float[6], false));
    SaliencyFixture.write(top, "doc", "Doc again", List.of("F"), text, false);
    OpenSaliency second = catalog.open(catalog.find("doc"));
    assertThat(second).isNotSameAs(first);
    assertThat(second.window(0, 1).get(0).get(0).token()).isEqualTo("new");
  }

  private static void write(Path dir, String doc) throws IOException {
    SaliencyFixture.write(
        dir, doc, "Doc " + doc, List.of("F"), SaliencyFixture.text(4, 1, 1, false, 7), false);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
