package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/** {@code compute} and its output directory: exit 75 while locked, and {@code --keep}. */
class ComputeRunsCliTest {
  @TempDir Path tmp;

  @BeforeAll
  static void sharedSpark() {
    TestSpark.session();
  }

  private CliTest.Outcome compute(Path input, Path out, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("compute", "--input", input.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return CliTest.run(args.toArray(String[]::new));
  }

  private Path input(String name, long seed) {
    return NpyFiles.write(tmp.resolve(name + ".npy"), NaiveSimilarity.gaussian(30, 3, seed));
  }

  private static List<String> runs(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve(RunLayout.RUNS))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aLockHeldByALiveProcessExitsWith75AndOneLine() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(compute(input("a", 1), out).code()).isZero();
    String latest = Files.readString(out.resolve(RunLayout.LATEST));
    List<String> before = runs(out);
    Process holder = new ProcessBuilder("sleep", "600").start();
    try {
      String host = InetAddress.getLocalHost().getHostName();
      Files.writeString(
          out.resolve(RunLayout.LOCK),
          "{\"host\":\""
              + host
              + "\",\"pid\":"
              + holder.pid()
              + ",\"startedAt\":\"2026-11-22T06:30:00Z\",\"command\":\"compute\"}\n");
      CliTest.Outcome busy = compute(input("b", 2), out);
      assertThat(busy.code()).isEqualTo(75);
      assertThat(busy.out()).isEmpty();
      assertThat(busy.err())
          .isEqualTo(
              "simheat: Cannot write to "
                  + out
                  + ": another compute holds "
                  + out
                  + "/_lock (pid "
                  + holder.pid()
                  + " on "
                  + host
                  + ", since 2026-11-22T06:30:00Z); try again when it ends"
                  + System.lineSeparator());
      assertThat(runs(out)).isEqualTo(before);
      assertThat(Files.readString(out.resolve(RunLayout.LATEST))).isEqualTo(latest);
      assertThat(out.resolve(RunLayout.STAGING)).isEmptyDirectory();
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void keepPrintsALinePerRunRemoved() throws IOException {
    Path out = tmp.resolve("out");
    String[] ids = new String[3];
    for (int i = 0; i < 3; i++) {
      CliTest.Outcome o = compute(input("e" + i, 10 + i), out, "--keep", "2");
      assertThat(o.code()).as(o.err()).isZero();
      ids[i] = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    }
    List<String> kept = runs(out);
    assertThat(kept).hasSize(2).contains(ids[2]);
    String gone = List.of(ids).stream().filter(id -> !kept.contains(id)).findFirst().orElseThrow();
    CliTest.Outcome again = compute(tmp.resolve("e2.npy"), out, "--keep", "1");
    assertThat(again.out())
        .startsWith("up to date: " + ids[2])
        .doesNotContain(gone)
        .endsWith(
            "removed run "
                + kept.stream().filter(id -> !id.equals(ids[2])).findFirst().orElseThrow()
                + " (--keep 1)"
                + System.lineSeparator());
    assertThat(runs(out)).containsExactly(ids[2]);
  }

  @Test
  void keepBelowOneIsBadInput() {
    CliTest.Outcome o = compute(input("a", 1), tmp.resolve("out"), "--keep", "0");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("simheat: --keep must be ≥ 1, got 0" + System.lineSeparator());
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
