package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.jobs.bench.RandomNpy;
import org.simheat.jobs.testing.TestSpark;

/** {@code simheat bench}: its subcommands, the cached input and the report's last line. */
class BenchCommandTest {
  @TempDir Path tmp;

  @BeforeAll
  static void sharedSpark() {
    TestSpark.session();
  }

  @Test
  void benchAloneListsTheBenchmarksAndFails() {
    CliTest.Outcome o = CliTest.run("bench");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("bench needs a benchmark to run", "similarity", "pyramid");
  }

  @Test
  void pyramidCachesItsInputAndEndsWithItsRatioLine() throws IOException {
    String[] args = {"bench", "pyramid", "--n", "3001", "--d", "16", "--work", tmp.toString()};
    CliTest.Outcome first = CliTest.run(args);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("written in", "mean fast path", "levels 0..4 stored of 0..4");
    List<String> lines = first.out().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "pyramid: \\d+\\.\\d s \\(\\d+\\.\\d× one copy of the 0\\.00 GiB input file, \\d+\\.\\d\\d s\\)");
    CliTest.Outcome second = CliTest.run(args);
    assertThat(second.out()).contains("(cached)");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("only the cached input stays")
          .containsExactly("random-3001x16-seed20261122.npy");
    }
  }

  @Test
  void randomInputsDependOnTheSeedOnly() throws IOException {
    Path a = tmp.resolve("a.npy");
    Path b = tmp.resolve("b.npy");
    RandomNpy.write(a, 5000, 3, 7);
    RandomNpy.write(b, 5000, 3, 7);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    byte[] bytes = Files.readAllBytes(a);
    assertThat(bytes.length).isEqualTo(128 + 5000 * 3 * 4);
    ByteBuffer data = ByteBuffer.wrap(bytes, 128, 5000 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < 15000; i++) {
      float v = data.getFloat();
      sum += v;
      sq += v * v;
    }
    assertThat(Math.abs(sum / 15000)).as("mean").isLessThan(0.05);
    assertThat(sq / 15000).as("variance").isBetween(0.9, 1.1);
  }
}
