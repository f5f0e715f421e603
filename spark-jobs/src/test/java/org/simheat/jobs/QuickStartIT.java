package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.TestSpark;

/**
 * Runs exactly the README's quick start after {@code mvn package}: {@code bin/simheat demo} in a
 * fresh directory, as a separate process, then checks the run it wrote on real data.
 */
class QuickStartIT {

  @Test
  void theDemoComputesAllMiniLmsVocabulary() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path work = Files.createDirectories(root.resolve("spark-jobs/target/quickstart-it"));
    deleteRecursively(work.resolve("simheat-out"));
    Process p =
        new ProcessBuilder(root.resolve("bin/simheat").toString(), "demo")
            .directory(work.toFile())
            .redirectError(work.resolve("demo.err").toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(work.resolve("demo.err"))).isZero();

    Path data = work.resolve("simheat-out");
    String runId = Files.readString(data.resolve(RunLayout.LATEST)).trim();
    assertThat(out)
        .startsWith(
            "run " + runId + ": N=30522, d=384, metrics cosine,dot,l2, levels 0..4 stored of 0..7");
    Path run = data.resolve(RunLayout.runDir(runId));
    Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    assertThat(m.n()).isEqualTo(30522);
    assertThat(m.dim()).isEqualTo(384);
    assertThat(m.source().format()).isEqualTo("onnx");
    assertThat(m.ranges().get("cosine").maxOffDiagonal()).isBetween(0.5, 1.0);

    SparkSession spark = TestSpark.session();
    Map<Integer, String> tokens =
        spark
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .select("position", "token")
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getInt(0), r -> r.getString(1)));
    assertThat(tokens).hasSize(30522).containsEntry(0, "[PAD]").containsEntry(101, "[CLS]");
    int king =
        tokens.entrySet().stream()
            .filter(e -> e.getValue().equals("king"))
            .findFirst()
            .orElseThrow()
            .getKey();
    Row row =
        spark
            .read()
            .parquet(run.resolve("neighbors/metric=cosine").toString())
            .where("position = " + king)
            .first();
    List<String> nearest =
        row.<Integer>getList(row.fieldIndex("neighbors")).stream().map(tokens::get).toList();
    assertThat(nearest).hasSize(10).startsWith("kings").contains("queen");
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }
}
