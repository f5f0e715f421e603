package org.simheat.viewer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.simheat.viewer.service.RunServiceErrorsTest.assertApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.viewer.service.ViewerService.RunSummary;
import org.simheat.viewer.testing.Fixture;

/** Runs appearing, vanishing and being refused in a data directory the service is serving. */
class RunServiceRunsTest {
  private static final String RUN = Fixture.RUN_ID;
  private static final String NEWER = "20261123T000000Z-0123abcd";

  @TempDir Path tmp;

  @Test
  void listsTheCommittedRunWithItsSummary() {
    RunService service = new RunService(Fixture.dataDir());
    assertThat(service.runs())
        .containsExactly(
            new RunSummary(
                RUN,
                "2026-11-22T08:38:20.906390513Z",
                "/work/main/viewer/src/test/resources/fixture/input.npy",
                "npy",
                "b1a86a2903cef9195ecf5ef12d67fe76fa64b03d6247e79c46b850d7eec17d5b",
                600,
                600,
                8,
                null,
                true,
                java.util.List.of("cosine", "dot", "l2"),
                "input",
                0,
                0,
                null,
                true));
    assertThat(service.manifest(RUN).storedZoom()).isEqualTo(1);
  }

  @Test
  void aRunCommittedWhileServingAppearsNewestFirst() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunService service = new RunService(data);
    assertThat(service.runs()).extracting(RunSummary::runId).containsExactly(RUN);
    assertApi(() -> service.manifest(NEWER), 404, "unknown run '" + NEWER + "'");

    Fixture.addRunCopy(data, NEWER, "2026-11-23T00:00:00Z");

    assertThat(service.runs()).extracting(RunSummary::runId).containsExactly(NEWER, RUN);
    assertThat(service.tile(NEWER, "cosine", 1, 1, 1).rows()).isEqualTo(44);
    assertThat(service.runs())
        .filteredOn(RunSummary::latest)
        .extracting(RunSummary::runId)
        .containsExactly(RUN);
    Files.writeString(data.resolve("LATEST"), NEWER);
    assertThat(service.manifest("latest").runId()).isEqualTo(NEWER);
  }

  @Test
  void aRunDeletedWhileServingIs404() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunService service = new RunService(data);
    assertThat(service.tile(RUN, "cosine", 2, 0, 0).rows()).isEqualTo(256);

    Fixture.deleteTree(data.resolve("runs").resolve(RUN));

    assertApi(() -> service.tile(RUN, "cosine", 2, 0, 0), 404, "run " + RUN + " no longer exists");
    assertApi(() -> service.manifest(RUN), 404, "run " + RUN + " no longer exists");
    assertApi(() -> service.manifest("latest"), 404, "there is no committed run yet");
    assertThat(service.runs()).isEmpty();
  }

  @Test
  void aCorruptManifestIsRefusedWhileTheOtherRunServes() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.addRunCopy(data, NEWER, "2026-11-23T00:00:00Z");
    Files.writeString(
        data.resolve("runs").resolve(NEWER).resolve("manifest.json"),
        "{\"formatVersion\": 1, \"n\": ");
    RunService service = new RunService(data);

    assertThat(service.runs()).extracting(RunSummary::runId).containsExactly(RUN);
    assertApi(
        () -> service.manifest(NEWER),
        404,
        "run "
            + NEWER
            + " cannot be served: its manifest is unreadable (Cannot read manifest: Unexpected"
            + " end-of-input within/between Object entries)");
    assertThat(service.tile(RUN, "dot", 1, 1, 0).cols()).isEqualTo(256);
    assertThat(service.manifest("latest").runId()).isEqualTo(RUN);
  }

  @Test
  void aManifestThatLiesAboutItsRowsIsRefusedOnOpen() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.addRunCopy(data, NEWER, "2026-11-23T00:00:00Z");
    Fixture.editManifest(data, NEWER, "\"n\" : 600", "\"n\" : 599");
    Fixture.editManifest(data, NEWER, "\"nCols\" : 600", "\"nCols\" : 599");
    RunService service = new RunService(data);

    assertApi(
        () -> service.tile(NEWER, "cosine", 0, 0, 0),
        404,
        "run "
            + NEWER
            + " cannot be served: its manifest says n = 599 but its embeddings hold 600 rows");
    assertThat(service.tile(RUN, "cosine", 0, 0, 0).rows()).isEqualTo(150);
    assertThat(service.manifest("latest").runId()).isEqualTo(RUN);
  }
}
