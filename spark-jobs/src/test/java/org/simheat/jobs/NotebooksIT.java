package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every notebook in {@code notebooks/} runs top to bottom against the built project, headless, in a
 * Jupyter kernel of Debian's Python ({@code notebooks/run_notebooks.py} with nbclient), as a user
 * would run it. The notebooks assert their own results, so a cell that raises fails the test. The
 * Python comes from {@code SIMHEAT_PYTHON} (default {@code /usr/bin/python3}); {@code .ci/run}
 * installs its packages.
 */
class NotebooksIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final List<String> NOTEBOOKS =
      List.of(
          "quickstart.ipynb", "export_embeddings.ipynb", "saliency.ipynb", "scheduled_runs.ipynb");

  @TempDir Path work;

  @Test
  void theNotebooksFolderHoldsExactlyTheTestedNotebooks() throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve("notebooks"))) {
      assertThat(
              files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted())
          .containsExactlyElementsOf(NOTEBOOKS.stream().sorted().toList());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quickstart.ipynb",
        "export_embeddings.ipynb",
        "saliency.ipynb",
        "scheduled_runs.ipynb"
      })
  void runsFromTopToBottom(String notebook) throws Exception {
    String python = System.getenv().getOrDefault("SIMHEAT_PYTHON", "/usr/bin/python3");
    Path log = work.resolve(notebook + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                python,
                ROOT.resolve("notebooks/run_notebooks.py").toString(),
                ROOT.resolve("notebooks").resolve(notebook).toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SIMHEAT_NOTEBOOK_WORK", work.toString());
    pb.environment().put("SIMHEAT_ROOT", ROOT.toString());
    int exit = pb.start().waitFor();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(exit).as("%s failed:%n%s", notebook, output).isZero();
    assertThat(output).contains(notebook + ": ok");
  }
}
