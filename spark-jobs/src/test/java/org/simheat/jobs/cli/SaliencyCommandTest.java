package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.jobs.testing.TestSpark;

/**
 * {@code simheat saliency import} and {@code compute} in-process: exit codes, their line, one line
 * per failure.
 */
class SaliencyCommandTest {
  private static final String SAMPLE =
      "[[{\"token\": \"Hi\", \"meta\": [\"Hello\"], \"heat\": [1, 0.5, 0]},"
          + " {\"token\": \" \", \"format\": true},"
          + " {\"token\": \"there\", \"heat\": [0.2, 0, 1]}],"
          + " [{\"token\": \"hi\"}, {\"token\": \"_\", \"format\": true}, {\"token\": \"there\"}]]";

  @TempDir Path tmp;

  private CliTest.Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliTest.Outcome(code, out.toString(), err.toString());
  }

  private Path json(String text) throws IOException {
    return Files.writeString(tmp.resolve("in.json"), text);
  }

  private static void assertOneLine(CliTest.Outcome o, String line) {
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.out()).isEmpty();
    assertThat(o.err()).isEqualTo(line + System.lineSeparator());
  }

  @Test
  void importsAndSaysWhere() throws IOException {
    String in = json(SAMPLE).toString();
    String out = tmp.resolve("out").toString();
    CliTest.Outcome o =
        run(
            "saliency",
            "import",
            "--json",
            in,
            "--title",
            "Hi there",
            "--facet-titles",
            "Words,Chars",
            "--out",
            out);
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .matches(
            "(?s)saliency hi-there: 2 facets × 3 tokens, heat dense, \\d+\\.\\d s\\R  .*/out/saliency/hi-there\\R");
    assertThat(tmp.resolve("out/saliency/hi-there/document.json")).exists();

    assertOneLine(
        run("saliency", "import", "--json", in, "--title", "Hi there", "--out", out),
        "simheat: Cannot import saliency: document 'hi-there' already exists (file:"
            + tmp.resolve("out/saliency/hi-there")
            + "); --force replaces it");
    CliTest.Outcome forced =
        run(
            "saliency",
            "import",
            "--json",
            in,
            "--title",
            "Hi there",
            "--out",
            out,
            "--force",
            "--sparse");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out())
        .startsWith("saliency hi-there: 2 facets × 3 tokens, heat sparse (4 non-zero values), ");
  }

  @Test
  void badInputIsOneLineWithExitCodeTwo() throws IOException {
    String out = tmp.resolve("out").toString();
    String in = json("[[{\"token\": \"a\"}], [{\"token\": \"A\"}, {\"token\": \"B\"}]]").toString();
    assertOneLine(
        run("saliency", "import", "--json", in, "--title", "T", "--out", out),
        "simheat: Cannot import saliency from "
            + in
            + ": facet 1, token 1: facet 1 has 2 tokens but facet 0 has 1");
    json(SAMPLE);
    assertOneLine(
        run(
            "saliency",
            "import",
            "--json",
            in,
            "--title",
            "T",
            "--facet-titles",
            "A,B,C",
            "--out",
            out),
        "simheat: Cannot import saliency from "
            + in
            + ": --facet-titles names 3 facets but the file has 2");
    assertOneLine(
        run("saliency", "import", "--json", in, "--title", "T", "--doc", "Bad_Id", "--out", out),
        "simheat: Cannot import saliency: --doc 'Bad_Id' is not a document id (1 to 64 of a-z, 0-9 and '-', not starting with '-')");
    assertOneLine(
        run("saliency", "import", "--json", in, "--title", "T", "--out", out, "--run", "yesterday"),
        "simheat: Cannot import saliency into file:"
            + out
            + ": --run 'yesterday' is not a run id or latest");
    assertOneLine(
        run("saliency", "import", "--json", in, "--out", out),
        "simheat: Missing required option: '--title=TITLE' (see simheat saliency import --help)");
    assertThat(tmp.resolve("out/saliency")).doesNotExist();
  }

  @Test
  void helpListsTheGroupAndItsOptions() {
    CliTest.Outcome group = run("saliency", "--help");
    assertThat(group.code()).isZero();
    assertThat(group.out()).contains("import");
    CliTest.Outcome o = run("saliency", "import", "--help");
    assertThat(o.out())
        .contains(
            "--json",
            "--title",
            "--facet-titles",
            "--doc",
            "--out",
            "--run",
            "--sparse",
            "--force");
    assertThat(run("--help").out()).contains("saliency");
  }

  @Test
  void computeFailsInOneLine() throws IOException {
    TestSpark.session(); // the command runs in the shared session and leaves it open
    String corpus = Files.writeString(tmp.resolve("c.txt"), "the cat\n").toString();
    String out = tmp.resolve("none").toString();
    assertOneLine(
        run("saliency", "compute", "--corpus", corpus, "--run", "latest", "--out", out),
        "simheat: Cannot compute saliency: --run latest, but file:"
            + tmp.resolve("none")
            + " has no LATEST run");
    assertOneLine(
        run("saliency", "compute", "--corpus", corpus, "--run", "x", "--out", out, "--window=-1"),
        "simheat: Cannot compute saliency: --window must be 0 or more, not -1");
    assertOneLine(
        run("saliency", "compute", "--corpus", corpus, "--run", "x", "--out", out),
        "simheat: Cannot compute saliency: --run 'x' is not a run id or latest");
  }
}
