package org.simheat.viewer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.simheat.format.Columns;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.viewer.store.FooterCache;
import org.simheat.viewer.store.ParquetTable;

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
   * order), and the two runs of {@code fixture-clusters} in cluster order (the 600 rows alone, K =
   * 12; and the cross run, K = 8 on each axis). Their references are read from the inputs, in the
   * display order the runs' {@code embeddings.id} give.
   */
  public static List<RunCase> copyJobMade(Path dataDir) throws IOException {
    Path rows = Fixture.dir();
    Path cols = Fixture.dir("fixture-cross");
    double[][] rowVectors = NaiveSimilarity.readNpy(rows.resolve("input.npy"));
    double[][] colVectors = NaiveSimilarity.readNpy(cols.resolve("cols.npy"));
    List<String> rowTokens = lines(rows.resolve("input.txt"));
    List<String> colTokens = lines(cols.resolve("cols.txt"));
    List<RunCase> cases = new ArrayList<>();
    String cross = Fixture.addFixtureRuns(dataDir, "fixture-cross").get(0);
    cases.add(
        new RunCase(
            "job: cross, input order",
            cross,
            NaiveSimilarity.cross(rowVectors, rowTokens, colVectors, colTokens),
            0,
            0));
    for (String id : Fixture.addFixtureRuns(dataDir, "fixture-clusters")) {
      Path run = dataDir.resolve("runs").resolve(id);
      Manifest m = Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST)));
      int[] ids = ids(run.resolve(RunLayout.EMBEDDINGS));
      NaiveSimilarity reference;
      int[] colIds = ids;
      if (m.symmetric()) {
        reference = NaiveSimilarity.of(permute(rowVectors, ids), permute(rowTokens, ids));
      } else {
        colIds = ids(run.resolve(RunLayout.COL_EMBEDDINGS));
        reference =
            NaiveSimilarity.cross(
                permute(rowVectors, ids),
                permute(rowTokens, ids),
                permute(colVectors, colIds),
                permute(colTokens, colIds));
      }
      String name = m.symmetric() ? "job: symmetric, cluster order" : "job: cross, cluster order";
      cases.add(
          new RunCase(
              name,
              id,
              reference.withIds(ids, colIds),
              m.order().clusters(),
              m.order().colsClusters()));
    }
    return cases;
  }

  /** Each position's input row, from an embeddings table. */
  private static int[] ids(Path table) throws IOException {
    ParquetTable t = new ParquetTable(table, new FooterCache(8));
    int[] ids = new int[Math.toIntExact(t.rowCount())];
    t.scan(
        List.of(Columns.POSITION, Columns.ID),
        row -> {
          ids[row.intValue(0)] = row.intValue(1);
          return true;
        });
    return ids;
  }

  private static double[][] permute(double[][] v, int[] ids) {
    double[][] out = new double[ids.length][];
    for (int p = 0; p < ids.length; p++) {
      out[p] = v[ids[p]];
    }
    return out;
  }

  private static List<String> permute(List<String> tokens, int[] ids) {
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(tokens.get(id));
    }
    return out;
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
