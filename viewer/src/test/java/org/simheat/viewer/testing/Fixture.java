package org.simheat.viewer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed test run (600 tokens × d = 8, cosine/dot/l2, mean/max/min, levels 0..1 stored and
 * level 2 live) and helpers to copy and alter it in a temporary directory.
 */
public final class Fixture {
  /** The fixture run's id. */
  public static final String RUN_ID = "20261122T083811Z-b1a86a29";

  private Fixture() {}

  /** The fixture directory holding input.npy, input.txt and out/. */
  public static Path dir() {
    try {
      return Path.of(Fixture.class.getResource("/fixture").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The committed data directory (read-only use). */
  public static Path dataDir() {
    return dir().resolve("out");
  }

  /** Copies the data directory into {@code target} and returns it. */
  public static Path copyDataDir(Path target) throws IOException {
    copyTree(dataDir(), target);
    return target;
  }

  /**
   * Copies the fixture run into {@code dataDir} as a run with another id (its manifest rewritten to
   * name it), through a staging directory moved into place as the job commits.
   */
  public static Path addRunCopy(Path dataDir, String newId, String createdAt) throws IOException {
    Path staging = dataDir.resolve("_staging").resolve(newId);
    copyTree(dataDir().resolve("runs").resolve(RUN_ID), staging);
    Path manifest = staging.resolve("manifest.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8).replace(RUN_ID, newId);
    json = json.replaceFirst("\"createdAt\" : \"[^\"]*\"", "\"createdAt\" : \"" + createdAt + "\"");
    Files.writeString(manifest, json, StandardCharsets.UTF_8);
    Path target = dataDir.resolve("runs").resolve(newId);
    Files.move(staging, target);
    return target;
  }

  /** The directory of another committed fixture, e.g. {@code fixture-cross}. */
  public static Path dir(String name) {
    return dir().resolveSibling(name);
  }

  /**
   * Copies the committed runs of fixture {@code name} (its {@code out/runs/*}) into {@code dataDir}
   * and returns their ids, oldest first.
   */
  public static List<String> addFixtureRuns(Path dataDir, String name) throws IOException {
    Path runs = dir(name).resolve("out").resolve("runs");
    try (Stream<Path> s = Files.list(runs)) {
      List<String> ids = s.map(p -> p.getFileName().toString()).sorted().toList();
      for (String id : ids) {
        copyTree(runs.resolve(id), dataDir.resolve("runs").resolve(id));
      }
      return ids;
    }
  }

  /** Replaces text in a run's manifest. */
  public static void editManifest(Path dataDir, String runId, String from, String to)
      throws IOException {
    Path manifest = dataDir.resolve("runs").resolve(runId).resolve("manifest.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    if (!json.contains(from)) {
      throw new IllegalArgumentException("Manifest lacks " + from);
    }
    Files.writeString(manifest, json.replace(from, to), StandardCharsets.UTF_8);
  }

  /** Deletes a directory tree. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
