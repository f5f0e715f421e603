package org.simheat.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.testing.FaultyFileSystem;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.RunTablesAssert;
import org.simheat.jobs.testing.TestSpark;

/**
 * An I/O failure injected in the middle of a run's writes ({@link FaultyFileSystem}): a tile file
 * of the pass, a coarser level written on the driver, the neighbours, the embeddings, the manifest
 * and {@code LATEST}, each failing part-way through, and a disk that fills up. The real {@code
 * compute} runs in-process into an output that holds a committed run; it must fail with one line
 * naming the file, leave the output byte for byte as it was (no staging, no lock, {@code LATEST}
 * unchanged), close every stream it opened, and then the same compute without the fault must commit
 * a correct run, replacing a {@code LATEST} that an older simheat wrote with a Hadoop checksum.
 */
class WriteFaultsTest {
  /**
   * Z = 2: level 2 holds 6 tiles (up to 0.8 MB each) written by the pass's tasks, one file each;
   * level 1 three tiles in one 1.1 MB file written on the driver.
   */
  static final int N = 600;

  static final int D = 8;
  static final int K = 5;
  private static final String EIO = "Input/output error";
  private static final String ENOSPC = "No space left on device";

  /** The template output (one committed run) and the inputs. */
  @TempDir static Path dir;

  @TempDir Path tmp;

  @BeforeAll
  static void committedRun() {
    FaultyFileSystem.install(TestSpark.session());
    BadInputsTest.Outcome o = compute(input(dir, "old.npy", 1), dir.resolve("out"));
    assertThat(o.code()).as(o.err()).isZero();
  }

  @AfterAll
  static void restore() {
    FaultyFileSystem.uninstall(TestSpark.session());
  }

  /**
   * A failure, where it strikes, and what the one line must name.
   *
   * @param name where it strikes
   * @param fault the injected failure
   * @param names the part of the failed file's path the line must name
   */
  record Case(String name, FaultyFileSystem.Fault fault, String names) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> faults() {
    return Stream.of(
        new Case(
            "tile file of the finest level in a pass task, after 2 files and 400 KB",
            fault(FaultyFileSystem.stagingTable("level=2"), 2, 400_000, EIO),
            "/level=2/"),
        new Case(
            "tile file of level 1 on the driver, after 600 KB",
            fault(FaultyFileSystem.stagingTable("level=1"), 0, 600_000, EIO),
            "/level=1/"),
        new Case(
            "neighbours, after 4 KB",
            fault(FaultyFileSystem.stagingTable(RunLayout.NEIGHBORS), 0, 4_000, EIO),
            "/neighbors/"),
        new Case(
            "embeddings, after 4 KB",
            fault(FaultyFileSystem.stagingTable(RunLayout.EMBEDDINGS), 0, 4_000, EIO),
            "/embeddings/"),
        new Case(
            "manifest.json at commit, after 100 bytes",
            fault(p -> p.contains("/." + RunLayout.MANIFEST + "."), 0, 100, EIO),
            RunLayout.MANIFEST),
        new Case(
            "LATEST at commit, after the manifest was written",
            fault(p -> p.contains("/." + RunLayout.LATEST + "."), 0, 4, EIO),
            RunLayout.LATEST),
        new Case(
            "disk full: every file under staging from the first, after 64 KB",
            fault(p -> p.contains("/" + RunLayout.STAGING + "/"), 0, 65_536, ENOSPC),
            "/" + RunLayout.STAGING + "/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void aFailedWriteLeavesThePreviousRunAndTheNextComputeSucceeds(Case c) throws IOException {
    Path out = BadInputsTest.copy(dir.resolve("out"), tmp.resolve("out"));
    withChecksum(out.resolve(RunLayout.LATEST));
    Map<String, String> before = BadInputsTest.snapshot(out);
    String previous = latest(out);
    Path input = input(tmp, "new.npy", 2);

    FaultyFileSystem.arm(c.fault());
    BadInputsTest.Outcome o;
    try {
      o = compute(input, out);
    } finally {
      FaultyFileSystem.disarm();
    }

    assertThat(FaultyFileSystem.failed()).as("the fault struck").isNotEmpty();
    assertFailedWithOneLine(o, out, c.names(), c.fault().message());
    assertThat(FaultyFileSystem.open())
        .as("streams left open")
        .noneMatch(p -> p.contains(out.toString()));
    BadInputsTest.assertUntouched(out, before);

    BadInputsTest.Outcome again = compute(input, out);

    assertThat(again.code()).as(again.err()).isZero();
    String run = latest(out);
    assertThat(run).isNotEqualTo(previous);
    assertThat(readChecked(out.resolve(RunLayout.LATEST))).isEqualTo(run);
    assertRunMatches(out.resolve(RunLayout.runDir(run)), NaiveSimilarity.gaussian(N, D, 2));
    Map<String, String> after = BadInputsTest.snapshot(out);
    before.forEach(
        (file, hash) -> {
          if (!file.startsWith(RunLayout.LATEST) && !file.startsWith("." + RunLayout.LATEST)) {
            assertThat(after).as(file).containsEntry(file, hash);
          }
        });
  }

  /**
   * Exit 2, nothing on stdout, one line on stderr saying which run could not be written to which
   * output, which file, and why.
   */
  static void assertFailedWithOneLine(
      BadInputsTest.Outcome o, Path out, String file, String reason) {
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.out()).isEmpty();
    String[] lines = o.err().split("\\R", -1);
    assertThat(lines).as(o.err()).hasSize(2);
    assertThat(lines[0])
        .startsWith("simheat: Cannot write run ")
        .contains(" to " + out + ": ")
        .contains(file)
        .endsWith(": " + reason)
        .doesNotContain("Exception");
  }

  /** Every stored level, the neighbours and the embeddings hold the naive values of {@code e}. */
  static void assertRunMatches(Path run, float[][] e) throws IOException {
    Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    assertThat(m.n()).isEqualTo(e.length);
    TileGeometry g = m.geometry();
    double[][] s = NaiveSimilarity.matrix(Metric.COSINE, e, e, true);
    for (int z = 0; z <= m.storedZoom(); z++) {
      RunTablesAssert.tilesMatch(
          TestSpark.session(),
          run,
          Metric.COSINE,
          z,
          g,
          true,
          List.of(Aggregation.values()),
          NaiveSimilarity.pool(s, g, z));
    }
    RunTablesAssert.neighborsMatch(TestSpark.session(), run, Metric.COSINE, s, K, true);
    List<Row> rows =
        TestSpark.session()
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .orderBy("position")
            .collectAsList();
    assertThat(rows).hasSize(e.length);
    for (int p = 0; p < e.length; p++) {
      Row r = rows.get(p);
      assertThat(r.getInt(r.fieldIndex("position"))).isEqualTo(p);
      assertThat(r.getInt(r.fieldIndex("id"))).isEqualTo(p);
      assertThat(r.getString(r.fieldIndex("token"))).isEqualTo(Integer.toString(p));
      List<Float> v = r.getList(r.fieldIndex("vector"));
      for (int c = 0; c < e[p].length; c++) {
        assertThat(v.get(c)).isEqualTo(e[p][c]);
      }
    }
  }

  /**
   * Rewrites a file as simheat wrote {@code LATEST} before it skipped Hadoop's checksum layer: the
   * same bytes, with a {@code .crc} beside them that must not outlive them.
   */
  private static void withChecksum(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Files.delete(file);
    LocalFileSystem fs = FileSystem.getLocal(new Configuration());
    try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(file.toUri()), true)) {
      os.write(bytes);
    }
  }

  /** A file read through Hadoop's checksummed local file system, which checks any {@code .crc}. */
  private static String readChecked(Path file) throws IOException {
    LocalFileSystem fs = FileSystem.getLocal(new Configuration());
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(file.toUri()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static FaultyFileSystem.Fault fault(
      Predicate<String> selects, int fromFile, long afterBytes, String message) {
    return new FaultyFileSystem.Fault(selects, fromFile, afterBytes, message);
  }

  static String latest(Path out) throws IOException {
    return Files.readString(out.resolve(RunLayout.LATEST)).trim();
  }

  static Path input(Path dir, String name, long seed) {
    return NpyFiles.write(dir.resolve(name), NaiveSimilarity.gaussian(N, D, seed));
  }

  static BadInputsTest.Outcome compute(Path input, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "compute",
                "--input",
                input.toString(),
                "--out",
                out.toString(),
                "--neighbors",
                Integer.toString(K)));
    args.addAll(List.of(more));
    return BadInputsTest.run(args.toArray(String[]::new));
  }
}
