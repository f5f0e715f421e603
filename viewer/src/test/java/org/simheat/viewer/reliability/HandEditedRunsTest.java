package org.simheat.viewer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.ErrorBodies;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.TestServer;

/**
 * Run directories edited by hand beside a good run, over the real server: each edited run is
 * refused with a JSON message, and the good run keeps being listed and served, before and after.
 */
class HandEditedRunsTest {
  private static final String GOOD = Fixture.RUN_ID;
  private static final String NO_MANIFEST = "20261124T000000Z-0000aa01";
  private static final String MORE_N = "20261124T000000Z-0000aa02";
  private static final String FEWER_N = "20261124T000000Z-0000aa03";
  private static final String NOT_JSON = "20261124T000000Z-0000aa04";
  private static final String BOTH_N = "20261124T000000Z-0000aa05";

  @TempDir static Path tmp;

  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    for (String id : List.of(NO_MANIFEST, MORE_N, FEWER_N, NOT_JSON, BOTH_N)) {
      Fixture.addRunCopy(data, id, "2026-11-24T00:00:00Z");
    }
    Files.delete(data.resolve("runs").resolve(NO_MANIFEST).resolve("manifest.json"));
    Fixture.editManifest(data, MORE_N, "\"n\" : 600,", "\"n\" : 1000,");
    Fixture.editManifest(data, FEWER_N, "\"n\" : 600,", "\"n\" : 599,");
    Fixture.editManifest(data, NOT_JSON, "\"n\" : 600,", "\"n\" : 600,,");
    Fixture.editManifest(
        data, BOTH_N, "\"n\" : 600,\n  \"nCols\" : 600,", "\"n\" : 601,\n  \"nCols\" : 601,");
    server = TestServer.over(new RunService(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "20261124T000000Z-0000aa01, manifest deleted, 404, unknown run",
    "20261124T000000Z-0000aa02, manifest says n = 1000 of 600, 404, cannot be served",
    "20261124T000000Z-0000aa03, manifest says n = 599 of 600, 404, cannot be served",
    "20261124T000000Z-0000aa04, manifest is not JSON, 404, cannot be served",
    "20261124T000000Z-0000aa05, manifest says n = nCols = 601 of 600, 404, cannot be served"
  })
  void theEditedRunIsRefusedAndTheOthersServed(String id, String edit, int status, String phrase) {
    assertServesTheGoodRun();
    List<String> refusals = new ArrayList<>();
    for (String route : List.of("/manifest", "/tiles/cosine/0/0/0", "/neighbors/cosine/5")) {
      HttpResponse<String> r = server.get("/api/runs/" + id + route);
      assertThat(r.statusCode()).as(edit + " " + route + " → " + r.body()).isEqualTo(status);
      String message = ErrorBodies.assertClean(r.body());
      assertThat(message).as(edit).contains(id).contains(phrase);
      refusals.add(message);
    }
    assertThat(refusals).as("one reason, whatever the route").containsOnly(refusals.get(0));
    assertServesTheGoodRun();
    assertListsOnlyTheGoodRunOnceRefused(id);
  }

  /** The run list holds the good run and not the refused one. */
  private static void assertListsOnlyTheGoodRunOnceRefused(String refused) {
    HttpResponse<String> runs = server.get("/api/runs");
    assertThat(runs.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    TestServer.json(runs.body()).forEach(r -> ids.add(r.get("runId").asText()));
    assertThat(ids).contains(GOOD).doesNotContain(refused);
  }

  private static void assertServesTheGoodRun() {
    for (String target :
        List.of(
            "/api/runs/latest/manifest",
            "/api/runs/" + GOOD + "/manifest",
            "/api/runs/" + GOOD + "/tiles/cosine/0/0/0")) {
      HttpResponse<String> r = server.get(target);
      assertThat(r.statusCode()).as(target + " → " + r.body()).isEqualTo(200);
    }
  }
}
