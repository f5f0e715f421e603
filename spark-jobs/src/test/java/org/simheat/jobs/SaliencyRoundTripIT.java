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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A textualheatmap file, written here with two facets, meta, format tokens and missing fields, goes
 * through {@code bin/simheat saliency import} (dense, and again with {@code --sparse}) and comes
 * back from {@code bin/simheat view}'s API identically: every token, its format flag, its meta and
 * its heat row.
 */
class SaliencyRoundTripIT {
  private static final Pattern SERVING = Pattern.compile("serving .* at (http://\\S+/)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two facets of five tokens: a format token, a token without heat, meta on some, signs mixed. */
  private static final String SAMPLE =
      """
      [
        [
          {"token": "The", "meta": ["A", "This"], "heat": [1.0, 0.0, 0.25, -0.5, 0.0]},
          {"token": " ", "format": true},
          {"token": "cat", "heat": [0.5, 0.0, 1.0, 0.125, 0.0]},
          {"token": "sat", "meta": [], "heat": [0.0, 0.0, -0.75, 1.0, 0.0]},
          {"token": ".", "meta": ["!"]}
        ],
        [
          {"token": "The", "heat": [0.1, 0.0, 0.2, 0.3, 0.4]},
          {"token": " ", "format": true, "heat": [0, 0, 0, 0, 0]},
          {"token": "cat", "meta": ["dog", "kitten", "cats"], "heat": [-1.0, 0.0, 2.0, 0.0, 0.0]},
          {"token": "sat", "heat": [0.0, 0.0, 0.0, 0.0, 0.0]},
          {"token": ".", "heat": [0.0, 0.0, 0.0, 0.0, 1e-7]}
        ]
      ]
      """;

  @TempDir Path tmp;

  @Test
  void anImportedDocumentIsServedBackAsItWasWritten() throws Exception {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    Path json = Files.writeString(tmp.resolve("sample.json"), SAMPLE);
    Path out = tmp.resolve("out");
    importDoc(root, json, out, "dense");
    importDoc(root, json, out, "sparse", "--sparse");
    Process viewer =
        new ProcessBuilder(
                root.resolve("bin/simheat").toString(),
                "view",
                "--data",
                out.toString(),
                "--port",
                "0")
            .redirectError(tmp.resolve("view.err").toFile())
            .start();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(viewer.getInputStream(), StandardCharsets.UTF_8))) {
      String url = awaitUrl(lines);
      JsonNode sample = JSON.readTree(SAMPLE);
      for (String doc : new String[] {"dense", "sparse"}) {
        assertServedBack(url, doc, sample);
      }
    } finally {
      viewer.destroy();
      viewer.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void importDoc(Path root, Path json, Path out, String doc, String... more)
      throws IOException, InterruptedException {
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                root.resolve("bin/simheat").toString(),
                "saliency",
                "import",
                "--json",
                json.toString(),
                "--title",
                "Round trip",
                "--facet-titles",
                "Words,Chars",
                "--doc",
                doc,
                "--out",
                out.toString()));
    cmd.addAll(java.util.List.of(more));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(doc + ".log").toFile())
            .start();
    assertThat(p.waitFor()).as(Files.readString(tmp.resolve(doc + ".log"))).isZero();
  }

  /** Every facet's tokens, format flags, meta and heat rows against the sample. */
  private static void assertServedBack(String url, String doc, JsonNode sample)
      throws IOException, InterruptedException {
    JsonNode served = get(url + "api/saliency/" + doc + "?from=0&to=5");
    assertThat(served.get("title").asText()).isEqualTo("Round trip");
    assertThat(served.get("facets").get(1).asText()).isEqualTo("Chars");
    assertThat(served.get("heatLayout").asText()).isEqualTo(doc);
    for (int f = 0; f < sample.size(); f++) {
      JsonNode want = sample.get(f);
      JsonNode got = served.get("text").get(f);
      assertThat(got).hasSize(want.size());
      for (int i = 0; i < want.size(); i++) {
        JsonNode w = want.get(i);
        JsonNode g = got.get(i);
        String at = doc + " facet " + f + " token " + i;
        assertThat(g.get("token").asText()).as(at).isEqualTo(w.get("token").asText());
        assertThat(g.path("format").asBoolean(false))
            .as(at)
            .isEqualTo(w.path("format").asBoolean(false));
        assertThat(strings(g.path("meta"))).as(at + " meta").isEqualTo(strings(w.path("meta")));
        assertHeatRow(url, doc, f, i, w.get("heat"), at);
      }
    }
  }

  private static void assertHeatRow(String url, String doc, int f, int i, JsonNode want, String at)
      throws IOException, InterruptedException {
    JsonNode row = get(url + "api/saliency/" + doc + "/heat/" + f + "/" + i);
    assertThat(row.path("hasHeat").asBoolean(true)).as(at + " has heat").isEqualTo(want != null);
    if (want == null) {
      return;
    }
    double[] values = new double[want.size()];
    JsonNode v = row.get("values");
    if (row.has("targets")) {
      for (int k = 0; k < v.size(); k++) {
        values[row.get("targets").get(k).asInt()] = v.get(k).asDouble();
      }
    } else {
      for (int k = 0; k < v.size(); k++) {
        values[k] = v.get(k).asDouble();
      }
    }
    for (int j = 0; j < want.size(); j++) {
      // Heat is stored as float; the API writes a float's shortest decimal form.
      assertThat((float) values[j]).as(at + " heat " + j).isEqualTo((float) want.get(j).asDouble());
    }
  }

  /** The strings of a JSON array; none for a missing or empty one. */
  private static java.util.List<String> strings(JsonNode array) {
    java.util.List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String awaitUrl(BufferedReader lines) throws IOException {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      Matcher m = SERVING.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("the viewer ended without serving");
  }
}
