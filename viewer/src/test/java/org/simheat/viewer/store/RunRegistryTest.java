package org.simheat.viewer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Manifest;
import org.simheat.viewer.testing.Fixture;

/** How the registry notices runs, resolves ids and refuses bad ones. */
class RunRegistryTest {
  private static final String RUN = Fixture.RUN_ID;
  private static final String OTHER = "20261124T000000Z-00ff00ff";

  @TempDir Path tmp;

  private final List<String> removed = new ArrayList<>();

  private RunRegistry registry(Path data, long rescanMillis) {
    return new RunRegistry(data, new FooterCache(64), 1024, rescanMillis, removed::add);
  }

  @Test
  void aChangeOfTheRunsDirectoryTriggersARescan() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunRegistry registry = registry(data, Long.MAX_VALUE / 2_000_000L);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(RUN);
    Path runs = data.resolve("runs");
    FileTime before = Files.getLastModifiedTime(runs);

    Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    Files.setLastModifiedTime(runs, FileTime.fromMillis(before.toMillis() + 10_000));

    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(OTHER, RUN);
    assertThat(registry.open(OTHER).geometry().maxZoom()).isEqualTo(2);
  }

  @Test
  void withoutAChangeTheListingIsReusedUntilTheIntervalPasses() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Path runs = data.resolve("runs");
    RunRegistry lazy = registry(data, Long.MAX_VALUE / 2_000_000L);
    RunRegistry eager = registry(data, 0);
    assertThat(lazy.runs()).hasSize(1);
    assertThat(eager.runs()).hasSize(1);
    FileTime before = Files.getLastModifiedTime(runs);

    Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    Files.setLastModifiedTime(runs, before);

    assertThat(lazy.runs()).hasSize(1);
    assertThat(eager.runs()).hasSize(2);
  }

  /**
   * A commit as the job makes it: the run's directory is renamed into runs/ first, the manifest
   * written inside it afterwards (which leaves runs/ as it was), then LATEST. A scan in between
   * must not hide the run until the next timed rescan: LATEST and the run's id serve it at once.
   */
  @Test
  void aRunWhoseManifestLandsAfterAScanIsServedAsSoonAsLatestNamesIt() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunRegistry registry = registry(data, Long.MAX_VALUE / 2_000_000L);
    Path run = Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    Path manifest = run.resolve("manifest.json");
    Path aside = Files.move(manifest, tmp.resolve("manifest.json"));
    Path runs = data.resolve("runs");
    FileTime renamed = Files.getLastModifiedTime(runs);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(RUN);

    Files.move(aside, manifest);
    Files.setLastModifiedTime(runs, renamed);
    Files.writeString(data.resolve("LATEST"), OTHER + "\n");

    assertThat(registry.latestId()).isEqualTo(OTHER);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(OTHER, RUN);
    assertThat(registry.open(OTHER).geometry().maxZoom()).isEqualTo(2);
  }

  @Test
  void aRunWhoseManifestLandsAfterAScanCanBeOpenedByItsId() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunRegistry registry = registry(data, Long.MAX_VALUE / 2_000_000L);
    Path run = Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    Path manifest = run.resolve("manifest.json");
    Path aside = Files.move(manifest, tmp.resolve("manifest.json"));
    Path runs = data.resolve("runs");
    FileTime renamed = Files.getLastModifiedTime(runs);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(RUN);

    Files.move(aside, manifest);
    Files.setLastModifiedTime(runs, renamed);

    assertThat(registry.open(OTHER).geometry().maxZoom()).isEqualTo(2);
  }

  @Test
  void aRunWithoutManifestIsNotCommitted() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Files.createDirectories(data.resolve("runs").resolve(OTHER).resolve("tiles"));
    Files.createDirectories(data.resolve("runs").resolve("not-a-run"));
    RunRegistry registry = registry(data, 0);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(RUN);
    assertThatThrownBy(() -> registry.open(OTHER))
        .isInstanceOf(RunUnavailableException.class)
        .hasMessage("unknown run '" + OTHER + "'");
  }

  @Test
  void latestFollowsTheLatestFileAndFallsBackToTheNewestRun() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    RunRegistry registry = registry(data, 0);
    assertThat(registry.latestId()).isEqualTo(RUN);
    Files.writeString(data.resolve("LATEST"), "20991231T000000Z-deadbeef\n");
    assertThat(registry.latestId()).isEqualTo(OTHER);
    Files.delete(data.resolve("LATEST"));
    assertThat(registry.open("latest").runId()).isEqualTo(OTHER);
  }

  @Test
  void aManifestNamingAnotherRunIsRefused() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.addRunCopy(data, OTHER, "2026-11-24T00:00:00Z");
    Fixture.editManifest(
        data, OTHER, "\"runId\" : \"" + OTHER + "\"", "\"runId\" : \"" + RUN + "\"");
    RunRegistry registry = registry(data, 0);
    assertThat(registry.runs()).extracting(Manifest::runId).containsExactly(RUN);
    assertThatThrownBy(() -> registry.open(OTHER))
        .isInstanceOf(RunUnavailableException.class)
        .hasMessage("run " + OTHER + " cannot be served: its manifest names run '" + RUN + "'");
  }

  @Test
  void aManifestWhoseLevelsContradictTheTileMathIsRefused() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.editManifest(data, RUN, "\"maxZoom\" : 2", "\"maxZoom\" : 3");
    RunRegistry registry = registry(data, 0);
    assertThat(registry.runs()).isEmpty();
    assertThatThrownBy(() -> registry.open("latest"))
        .isInstanceOf(RunUnavailableException.class)
        .hasMessage("there is no committed run yet");
    assertThatThrownBy(() -> registry.open(RUN))
        .hasMessage(
            "run "
                + RUN
                + " cannot be served: its manifest says maxZoom = 3 where the tile math gives 2");
  }

  @Test
  void aRunMissingAStoredLevelIsRefusedOnOpen() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    Fixture.deleteTree(data.resolve("runs").resolve(RUN).resolve("tiles/metric=l2/level=1"));
    RunRegistry registry = registry(data, 0);
    assertThatThrownBy(() -> registry.open(RUN))
        .isInstanceOf(RunUnavailableException.class)
        .hasMessage("run " + RUN + " cannot be served: it has no stored tiles of l2 at level 1");
  }

  @Test
  void aDeletedRunIsForgotten() throws IOException {
    Path data = Fixture.copyDataDir(tmp.resolve("out"));
    RunRegistry registry = registry(data, 0);
    assertThat(registry.open(RUN).manifest().n()).isEqualTo(600);
    assertThat(registry.exists(RUN)).isTrue();
    Fixture.deleteTree(data.resolve("runs").resolve(RUN));
    assertThat(registry.exists(RUN)).isFalse();
    assertThatThrownBy(() -> registry.open(RUN)).hasMessage("run " + RUN + " no longer exists");
    assertThat(removed).containsExactly(RUN);
    assertThat(registry.exists("../" + RUN)).isFalse();
  }
}
