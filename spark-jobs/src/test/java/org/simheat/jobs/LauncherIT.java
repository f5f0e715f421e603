package org.simheat.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.simheat.jobs.testing.GoldenMatrix;

/**
 * {@code bin/simheat view --path DIR} as a user runs it: every xl-heatmap {@code NAME.pt} with its
 * {@code NAME.txt} is computed once into the cache, then served; a second start computes nothing.
 */
class LauncherIT {
  private static final Pattern SERVING = Pattern.compile("serving .* at (http://\\S+/)");

  @Test
  void viewPathComputesEveryPtFileOnceThenServesThem() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path cache = Files.createTempDirectory(root.resolve("spark-jobs/target"), "launcher-it");
    String dir = GoldenMatrix.path("pt/xl").toString();

    List<String> first = serve(root, cache, dir);
    assertThat(first.stream().filter(l -> l.startsWith("run "))).hasSize(2);
    List<String> second = serve(root, cache, dir);
    assertThat(second.stream().filter(l -> l.startsWith("up to date: "))).hasSize(2);
  }

  /** Starts the launcher, checks the served runs, stops it; returns what it printed. */
  private static List<String> serve(Path root, Path cache, String dir) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("bin/simheat").toString(), "view", "--path", dir, "--port", "0")
            .redirectError(cache.resolve("view.err").toFile());
    pb.environment().put("SIMHEAT_CACHE", cache.toString());
    Process p = pb.start();
    List<String> out = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String url = null;
      while (url == null) {
        String line = lines.readLine();
        if (line == null) {
          break;
        }
        out.add(line);
        Matcher m = SERVING.matcher(line);
        url = m.find() ? m.group(1) : null;
      }
      assertThat(url).as("%s%n%s", out, Files.readString(cache.resolve("view.err"))).isNotNull();
      JsonNode runs = runs(url);
      assertThat(runs).hasSize(2);
      List<String> sources = new ArrayList<>();
      runs.forEach(r -> sources.add(r.path("source").asText()));
      assertThat(sources).anyMatch(s -> s.endsWith("/a.pt")).anyMatch(s -> s.endsWith("/b.pt"));
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    return out;
  }

  private static JsonNode runs(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "api/runs")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
