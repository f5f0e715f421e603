package org.simheat.viewer.store;

import static org.apache.parquet.filter2.predicate.FilterApi.and;
import static org.apache.parquet.filter2.predicate.FilterApi.eq;
import static org.apache.parquet.filter2.predicate.FilterApi.gtEq;
import static org.apache.parquet.filter2.predicate.FilterApi.intColumn;
import static org.apache.parquet.filter2.predicate.FilterApi.lt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.viewer.testing.SyntheticRun;

/** Reads touch only the files, row groups and pages that hold what they ask for. */
class ParquetTablePruningTest {
  private static final SyntheticRun RUN =
      new SyntheticRun(
          "20261124T100000Z-5eed0001", 2000, 6, 1, 1, 300, 50, false, List.of(Metric.DOT));

  @TempDir static Path data;
  private static Path runDir;

  @BeforeAll
  static void write() throws IOException {
    runDir = RUN.write(data);
  }

  private static ParquetTable embeddings(FooterCache footers) {
    return new ParquetTable(runDir.resolve(RunLayout.EMBEDDINGS), footers);
  }

  @Test
  void aPositionRangeDecodesOnlyItsPage() throws IOException {
    FooterCache footers = new FooterCache(100);
    List<Integer> visited = new ArrayList<>();
    embeddings(footers)
        .scan(
            List.of("position", "token"),
            and(gtEq(intColumn("position"), 600), lt(intColumn("position"), 650)),
            KeyFilter.range("position", 600, 650),
            row -> visited.add(row.intValue(0)));
    assertThat(visited).hasSize(50).allMatch(p -> p >= 600 && p < 650);
    assertThat(embeddings(footers).files()).hasSize(7);
  }

  @Test
  void aPointReadDecodesOnePageOfOneFile() throws IOException {
    List<Integer> visited = new ArrayList<>();
    embeddings(new FooterCache(100))
        .scan(
            List.of("position", "vector"),
            eq(intColumn("position"), 1234),
            KeyFilter.range("position", 1234, 1235),
            row -> visited.add(row.intValue(0)));
    assertThat(visited).hasSizeLessThanOrEqualTo(50).contains(1234);
  }

  @Test
  void filesOutsideTheKeysAreNotOpened() throws IOException {
    FooterCache footers = new FooterCache(100);
    ParquetTable table = embeddings(footers);
    table.scan(
        List.of("position"),
        and(gtEq(intColumn("position"), 0), lt(intColumn("position"), 10)),
        KeyFilter.range("position", 0, 10),
        row -> true);
    assertThat(footers.size()).isEqualTo(7);
    List<Integer> visited = new ArrayList<>();
    table.scan(
        List.of("position"),
        TokenIndex.anyPosition(List.of(5, 1999)),
        KeyFilter.anyOf("position", List.of(5, 1999)),
        row -> visited.add(row.intValue(0)));
    assertThat(visited).hasSize(100).contains(5, 1999);
  }

  @Test
  void aTileReadDecodesOneRowGroup() throws IOException {
    ParquetTable tiles =
        new ParquetTable(runDir.resolve(RunLayout.tilesDir(Metric.DOT, 1)), new FooterCache(10));
    List<String> visited = new ArrayList<>();
    tiles.scan(
        List.of("tile_row", "tile_col"),
        and(eq(intColumn("tile_row"), 1), eq(intColumn("tile_col"), 1)),
        KeyFilter.range("tile_row", 1, 2),
        row -> visited.add(row.intValue(0) + "," + row.intValue(1)));
    assertThat(visited).containsExactly("1,1");
  }

  @Test
  void theRowCountComesFromTheFooters() throws IOException {
    assertThat(embeddings(new FooterCache(3)).rowCount()).isEqualTo(2000);
  }
}
