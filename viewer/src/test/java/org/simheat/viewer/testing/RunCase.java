package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A committed run that the data-driven tests check, with its naive reference in display order:
 * written here by {@link ContractRun}, or computed by the job (a fixture whose reference is built
 * from its input and its embeddings' ids). Tests take everything else (cluster ranges, labels,
 * orders) from the API and check it against the reference, so any run that follows the README's
 * "Output format" can be a case.
 *
 * @param name what the case is, for test names
 * @param runId the run's id
 * @param reference the naive matrix, tokens and vectors of both axes, in display order
 * @param clusters leaf clusters of the rows (0 in input order)
 * @param colsClusters leaf clusters of a cross run's columns (0 when symmetric or unclustered)
 */
public record RunCase(
    String name, String runId, NaiveSimilarity reference, int clusters, int colsClusters) {

  @Override
  public String toString() {
    return name;
  }

  /** Whether the run is in cluster order. */
  public boolean clustered() {
    return clusters > 0;
  }

  /**
   * The job-made cases, copied into {@code dataDir} from the committed fixtures: the cross run of
   * {@code fixture-cross} (the main fixture's 600 rows against 300 columns of their own, input
   * order), with its reference read from the inputs.
   */
  public static List<RunCase> copyJobMade(Path dataDir) throws IOException {
    String cross = Fixture.addFixtureRun(dataDir, "fixture-cross");
    Path rows = Fixture.dir();
    Path cols = Fixture.dir("fixture-cross");
    NaiveSimilarity crossReference =
        NaiveSimilarity.cross(
            NaiveSimilarity.readNpy(rows.resolve("input.npy")),
            lines(rows.resolve("input.txt")),
            NaiveSimilarity.readNpy(cols.resolve("cols.npy")),
            lines(cols.resolve("cols.txt")));
    return List.of(new RunCase("job: cross, input order", cross, crossReference, 0, 0));
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /**
   * The synthetic cases, written into {@code dataDir}: a symmetric run in cluster order, a cross
   * run with both axes clustered, and a cross run whose columns stay in input order.
   */
  public static List<RunCase> writeSynthetic(Path dataDir) throws IOException {
    ContractRun symmetric =
        ContractRun.symmetric(
            "20261125T100000Z-5c1a5001", "2026-11-25T10:00:00Z", 600, 8, 41, 9, true);
    ContractRun cross =
        ContractRun.cross(
            "20261125T110000Z-c2055002", "2026-11-25T11:00:00Z", 600, 300, 8, 42, 6, 4);
    ContractRun rowsOnly =
        ContractRun.cross(
            "20261125T120000Z-c2055003", "2026-11-25T12:00:00Z", 300, 500, 8, 43, 5, 0);
    symmetric.write(dataDir);
    cross.write(dataDir);
    rowsOnly.write(dataDir);
    return List.of(
        new RunCase("symmetric, cluster order", symmetric.runId(), symmetric.reference(), 9, 0),
        new RunCase("cross, both axes clustered", cross.runId(), cross.reference(), 6, 4),
        new RunCase("cross, rows clustered", rowsOnly.runId(), rowsOnly.reference(), 5, 0));
  }
}
