package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.testing.TestSpark;

/**
 * Runs exactly the README's quick start after {@code mvn package}: {@code bin/simheat demo} in a
 * fresh directory, as a separate process. It checks the run the demo computed on real data, then
 * the viewer the demo ends by serving (on a free port), and stops it.
 */
class QuickStartIT {
  private static final Pattern SERVING = Pattern.compile("serving .* at (http://\\S+/)");

  @Test
  void theDemoComputesAllMiniLmsVocabulary() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path work = Files.createDirectories(root.resolve("spark-jobs/target/quickstart-it"));
    deleteRecursively(work.resolve("simheat-out"));
    ProcessBuilder demo =
        new ProcessBuilder(root.resolve("bin/simheat").toString(), "demo")
            .directory(work.toFile())
            .redirectError(work.resolve("demo.err").toFile());
    demo.environment().put("SIMHEAT_PORT", "0");
    Process p = demo.start();
    List<String> out = new ArrayList<>();
    String url;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      url = awaitUrl(lines, out, work);
      checkViewer(url);
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    Path data = work.resolve("simheat-out");
    String runId = Files.readString(data.resolve(RunLayout.LATEST)).trim();
    assertThat(out.get(0))
        .as("first the run in input order")
        .startsWith("run ")
        .contains(": N=30522, d=384, metrics cosine,dot,l2, levels 0..4 stored of 0..7");
    assertThat(out.get(2))
        .as("then the run in cluster order, the latest")
        .startsWith(
            "run "
                + runId
                + ": N=30522, d=384, metrics cosine,dot,l2, 175 clusters, levels 0..4 stored of"
                + " 0..7");
    assertThat(out.get(4))
        .as("then the bundled text's saliency over the clustered run")
        .startsWith("saliency: 2 documents, ");
    assertThat(data.resolve(RunLayout.runDir(runId)).resolve("saliency/simheat-demo-text-1"))
        .isDirectory();
    assertThat(url).startsWith("http://127.0.0.1:");
    Path run = data.resolve(RunLayout.runDir(runId));
    Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
    assertThat(m.n()).isEqualTo(30522);
    assertThat(m.dim()).isEqualTo(384);
    assertThat(m.source().format()).isEqualTo("onnx");
    assertThat(m.ranges().get("cosine").maxOffDiagonal()).isBetween(0.5, 1.0);
    assertThat(m.order()).isEqualTo(new Manifest.Order("cluster", 175, 0, "bisecting-kmeans", 42L));

    SparkSession spark = TestSpark.session();
    List<Row> rows =
        spark
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .select("position", "id", "token")
            .collectAsList();
    Map<Integer, String> tokens =
        rows.stream().collect(Collectors.toMap(r -> r.getInt(0), r -> r.getString(2)));
    Map<Integer, String> byId =
        rows.stream().collect(Collectors.toMap(r -> r.getInt(1), r -> r.getString(2)));
    assertThat(tokens).hasSize(30522);
    assertThat(byId).hasSize(30522).containsEntry(0, "[PAD]").containsEntry(101, "[CLS]");
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

  /** Reads the demo's output until the viewer prints its URL; fails if the demo exits first. */
  private static String awaitUrl(BufferedReader lines, List<String> out, Path work)
      throws IOException {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      out.add(line);
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError(
        "the demo ended without serving: "
            + out
            + "\n"
            + Files.readString(work.resolve("demo.err")));
  }

  /** The page and the API answer, over the demo's run. */
  private static void checkViewer(String url) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("simheat");
    HttpResponse<String> tokens =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "api/runs/latest/tokens?q=king&limit=3"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tokens.statusCode()).isEqualTo(200);
    assertThat(tokens.body()).contains("\"token\":\"king\"");
    HttpResponse<String> runs =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "api/runs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(runs.body()).contains("\"order\":\"input\"", "\"order\":\"cluster\"");
    HttpResponse<String> clusters =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "api/runs/latest/clusters")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(clusters.statusCode()).isEqualTo(200);
    assertThat(clusters.body()).contains("\"label\"");
    HttpResponse<String> saliency =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "api/saliency")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(saliency.statusCode()).isEqualTo(200);
    assertThat(saliency.body()).contains("~simheat-demo-text-1\"", "~simheat-demo-text-2\"");
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
