package org.simheat.jobs.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.compute.ComputeJob;
import org.simheat.jobs.compute.ComputeSpec;
import org.simheat.jobs.input.InputSpec;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/**
 * {@code --keep N} over committed runs: one real run, cloned under older ids, then pruned. Deletion
 * is watched through a file system that records its calls.
 */
class RunRetentionTest {
  private static final Configuration CONF = new Configuration();
  private static final List<String> OLDER =
      List.of(
          "20260101T000000Z-aaaaaaaa",
          "20260102T000000Z-bbbbbbbb",
          "20260103T000000Z-cccccccc",
          "20260104T000000Z-dddddddd");

  @TempDir Path tmp;

  private Path out;
  private String real;

  /** A real run, then four clones of it with older ids; LATEST names the real one. */
  @BeforeEach
  void runs() throws IOException {
    out = tmp.resolve("out");
    Path input = NpyFiles.write(tmp.resolve("e.npy"), NaiveSimilarity.gaussian(30, 3, 5));
    ComputeJob.Result r = new ComputeJob(TestSpark.session(), spec(input, 0)).run();
    real = r.manifest().runId();
    Path dir = out.resolve(RunLayout.runDir(real));
    for (String id : OLDER) {
      Path clone = out.resolve(RunLayout.runDir(id));
      Files.createDirectories(clone);
      String json = Files.readString(dir.resolve(RunLayout.MANIFEST)).replace(real, id);
      Files.writeString(clone.resolve(RunLayout.MANIFEST), json);
      Files.writeString(clone.resolve("some-table"), "x");
    }
  }

  private ComputeSpec spec(Path input, int keep) {
    return new ComputeSpec(
        InputSpec.of(input.toString()),
        out.toString(),
        List.of(org.simheat.format.Metric.COSINE),
        List.of(org.simheat.format.Aggregation.MEAN),
        0,
        null,
        ComputeSpec.DEFAULT_CELL_BUDGET,
        0,
        false,
        null,
        null,
        keep);
  }

  private List<String> runIds() {
    return RunCatalog.list(hadoop(out), CONF).stream().map(Manifest::runId).toList();
  }

  private List<String> dirs() throws IOException {
    try (Stream<Path> s = Files.list(out.resolve(RunLayout.RUNS))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toString());
  }

  @Test
  void keepsTheNewestRunsDeletingManifestsFirst() throws IOException {
    RecordingFileSystem fs = new RecordingFileSystem(FileSystem.getLocal(CONF));
    List<String> removed = RunRetention.keepNewest(fs, hadoop(out), 2, real, CONF);
    assertThat(removed).containsExactly(OLDER.get(0), OLDER.get(1), OLDER.get(2));
    assertThat(runIds()).containsExactly(OLDER.get(3), real);
    assertThat(dirs()).containsExactly(OLDER.get(3), real);
    List<String> expected = new ArrayList<>();
    for (String id : OLDER.subList(0, 3)) {
      expected.add(RunLayout.runDir(id) + "/" + RunLayout.MANIFEST);
      expected.add(RunLayout.runDir(id));
    }
    String prefix = hadoop(out).toUri().getPath() + "/";
    assertThat(fs.deleted.stream().map(p -> p.substring(prefix.length()))).isEqualTo(expected);
  }

  @Test
  void neverDeletesLatestsRunNorTheCurrentOne() throws IOException {
    Files.writeString(out.resolve(RunLayout.LATEST), OLDER.get(1) + "\n");
    List<String> removed = RunRetention.keepNewest(hadoop(out), 1, OLDER.get(0), CONF);
    assertThat(removed).containsExactly(OLDER.get(2), OLDER.get(3), real);
    assertThat(runIds()).containsExactly(OLDER.get(0), OLDER.get(1));
  }

  @Test
  void fewerRunsThanKeptDeletesNothing() {
    assertThat(RunRetention.keepNewest(hadoop(out), 5, real, CONF)).isEmpty();
    assertThat(runIds()).hasSize(5);
  }

  @Test
  void anUpToDateComputeKeepsItsOwnRunAndPrunesTheRest() throws IOException {
    Files.writeString(out.resolve(RunLayout.LATEST), OLDER.get(3) + "\n");
    ComputeJob.Result again =
        new ComputeJob(TestSpark.session(), spec(tmp.resolve("e.npy"), 1)).run();
    assertThat(again.upToDate()).isTrue();
    assertThat(again.manifest().runId()).isEqualTo(real);
    assertThat(again.removed()).containsExactly(OLDER.get(0), OLDER.get(1), OLDER.get(2));
    assertThat(runIds()).containsExactly(OLDER.get(3), real);
    assertThat(Files.readString(out.resolve(RunLayout.LATEST)).trim()).isEqualTo(OLDER.get(3));
  }

  /** The local file system, recording the paths it deletes. */
  static final class RecordingFileSystem extends FilterFileSystem {
    final List<String> deleted = new ArrayList<>();

    RecordingFileSystem(FileSystem fs) {
      super(fs);
    }

    @Override
    public boolean delete(org.apache.hadoop.fs.Path f, boolean recursive) throws IOException {
      deleted.add(makeQualified(f).toUri().getPath());
      return super.delete(f, recursive);
    }
  }
}
