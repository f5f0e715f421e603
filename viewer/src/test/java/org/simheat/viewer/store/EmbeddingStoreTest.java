package org.simheat.viewer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Columns;
import org.simheat.viewer.testing.ParquetRowWriter;

/**
 * Reads of the embeddings table equal what was written, whichever path decodes them: bulk copies of
 * PLAIN pages (v1 and v2, required or optional elements, d = 1), parquet-java's column readers for
 * dictionary pages, and page-filtered reads of row groups too large to decode whole.
 */
class EmbeddingStoreTest {
  private static final String REQUIRED =
      "message m { required int32 position; required group vector (LIST) {"
          + " repeated group list { required float element; } } }";
  private static final String OPTIONAL =
      "message m { required int32 position; optional group vector (LIST) {"
          + " repeated group list { optional float element; } } }";
  private static final List<String> COLUMNS = List.of(Columns.POSITION, Columns.VECTOR);

  @TempDir Path dir;

  /** The vector of a position: seeded noise, or small integers that a dictionary encodes. */
  private static float[] vector(int position, int d, boolean fewValues) {
    SplittableRandom r = new SplittableRandom(position * 7919L + d);
    float[] v = new float[d];
    for (int k = 0; k < d; k++) {
      v[k] = fewValues ? r.nextInt(3) : (float) r.nextGaussian();
    }
    return v;
  }

  private ParquetTable write(
      String schema, int n, int d, int rowsPerFile, boolean dictionary, boolean v2, boolean few)
      throws IOException {
    Path table = dir.resolve("embeddings");
    Files.createDirectories(table);
    for (int start = 0, part = 0; start < n; start += rowsPerFile, part++) {
      Path file = table.resolve(String.format("part-%05d.parquet", part));
      try (ParquetRowWriter w = new ParquetRowWriter(file, schema, 8 << 10, 37, dictionary, v2)) {
        for (int p = start; p < Math.min(n, start + rowsPerFile); p++) {
          w.write(p, vector(p, d, few));
        }
      }
    }
    return new ParquetTable(table, new FooterCache(64));
  }

  private static void assertReadsEqualWritten(EmbeddingStore store, int n, int d, boolean few)
      throws IOException {
    for (long[] range : new long[][] {{0, n}, {13, 411}, {n - 1, n}, {200, 201}}) {
      float[] got = store.read(range[0], range[1]);
      for (int p = (int) range[0]; p < range[1]; p++) {
        int k = (int) (p - range[0]);
        assertThat(Arrays.copyOfRange(got, k * d, (k + 1) * d))
            .as("position %d", p)
            .containsExactly(vector(p, d, few));
      }
    }
  }

  /** Decodes every row group of the table by bulk copies; fails if one is not PLAIN. */
  private static void assertEveryGroupDecodesInBulk(ParquetTable table, int d) throws IOException {
    VectorGroupDecoder decoder = new VectorGroupDecoder(d);
    List<ParquetTable.RowGroup> groups =
        table.rowGroups(KeyFilter.range(Columns.POSITION, 0, Long.MAX_VALUE));
    assertThat(groups).hasSizeGreaterThan(1);
    for (ParquetTable.RowGroup g : groups) {
      VectorRows fast = table.readRowGroup(g, COLUMNS, decoder::fast);
      VectorRows generic = table.readRowGroup(g, COLUMNS, decoder::generic);
      assertThat(fast.positions()).containsExactly(generic.positions());
      assertThat(all(fast)).containsExactly(all(generic));
    }
  }

  private static float[] all(VectorRows rows) {
    float[] out = new float[rows.rows() * rows.dim()];
    for (int r = 0; r < rows.rows(); r++) {
      rows.copyRow(r, out, r * rows.dim());
    }
    return out;
  }

  @Test
  void plainPagesAreCopiedInBulkAndEqualTheWrittenVectors() throws IOException {
    ParquetTable table = write(REQUIRED, 700, 5, 300, false, false, false);
    assertEveryGroupDecodesInBulk(table, 5);
    assertReadsEqualWritten(new EmbeddingStore(table, 5), 700, 5, false);
  }

  @Test
  void rowGroupsOfSeveralChunksAreFilledAcrossPageAndChunkBoundaries() throws IOException {
    ParquetTable table = write(REQUIRED, 700, 300, 700, false, false, false);
    assertEveryGroupDecodesInBulk(table, 300);
    assertReadsEqualWritten(new EmbeddingStore(table, 300), 700, 300, false);
  }

  @Test
  void pagesOfFormatV2AreCopiedInBulkToo() throws IOException {
    ParquetTable table = write(REQUIRED, 700, 5, 700, false, true, false);
    assertEveryGroupDecodesInBulk(table, 5);
    assertReadsEqualWritten(new EmbeddingStore(table, 5), 700, 5, false);
  }

  @Test
  void optionalListsAndElementsThatAreAllPresentAreCopiedInBulk() throws IOException {
    ParquetTable table = write(OPTIONAL, 500, 3, 500, false, false, false);
    assertEveryGroupDecodesInBulk(table, 3);
    assertReadsEqualWritten(new EmbeddingStore(table, 3), 500, 3, false);
  }

  @Test
  void oneValuePerRowMeansEveryRepetitionLevelIsZero() throws IOException {
    ParquetTable table = write(REQUIRED, 3000, 1, 3000, false, false, false);
    assertEveryGroupDecodesInBulk(table, 1);
    assertReadsEqualWritten(new EmbeddingStore(table, 1), 3000, 1, false);
  }

  @Test
  void dictionaryPagesGoThroughColumnReaders() throws IOException {
    ParquetTable table = write(REQUIRED, 700, 6, 700, true, false, true);
    ParquetTable.RowGroup first = table.rowGroups(KeyFilter.range(Columns.POSITION, 0, 1)).get(0);
    VectorGroupDecoder decoder = new VectorGroupDecoder(6);
    assertThatThrownBy(() -> table.readRowGroup(first, COLUMNS, decoder::fast))
        .isInstanceOf(VectorGroupDecoder.NotPlain.class);
    assertReadsEqualWritten(new EmbeddingStore(table, 6), 700, 6, true);
  }

  @Test
  void rowGroupsTooLargeToDecodeWholeAreReadPageByPage() throws IOException {
    int d = 2048;
    long rows = EmbeddingStore.MAX_GROUP_BYTES / (4L * d) + 100;
    Path table = dir.resolve("large");
    Files.createDirectories(table);
    try (ParquetRowWriter w =
        new ParquetRowWriter(table.resolve("part-0.parquet"), REQUIRED, 1L << 40, 64)) {
      for (int p = 0; p < rows; p++) {
        w.write(p, vector(p, d, false));
      }
    }
    ParquetTable t = new ParquetTable(table, new FooterCache(4));
    assertThat(t.rowGroups(KeyFilter.range(Columns.POSITION, 0, 1)).get(0).rows()).isEqualTo(rows);
    BoundedCache<EmbeddingStore.GroupKey, VectorRows> cache =
        EmbeddingStore.newGroupCache(1L << 30);
    float[] got = new EmbeddingStore(t, d, cache).read(4000, 4003);

    assertThat(Arrays.copyOfRange(got, d, 2 * d)).containsExactly(vector(4001, d, false));
    assertThat(cache.size()).as("nothing decoded whole").isZero();
  }

  @Test
  void decodedRowGroupsAreKeptAndSharedByLaterReads() throws IOException {
    ParquetTable table = write(REQUIRED, 700, 5, 700, false, false, false);
    BoundedCache<EmbeddingStore.GroupKey, VectorRows> cache =
        EmbeddingStore.newGroupCache(1L << 20);
    EmbeddingStore store = new EmbeddingStore(table, 5, cache);
    int groups = table.rowGroups(KeyFilter.range(Columns.POSITION, 0, 700)).size();

    store.read(0, 700);
    long held = cache.bytes();
    store.read(100, 300);

    assertThat(cache.size()).isEqualTo(groups);
    assertThat(cache.bytes()).isEqualTo(held).isEqualTo(64L * groups + 16L * groups + 4L * 700 * 6);
  }

  @Test
  void aRowOfAnotherLengthIsRefusedWithItsPosition() throws IOException {
    Path table = dir.resolve("short");
    Files.createDirectories(table);
    try (ParquetRowWriter w =
        new ParquetRowWriter(table.resolve("part-0.parquet"), REQUIRED, 8 << 10, 37)) {
      for (int p = 0; p < 10; p++) {
        w.write(p, p == 3 ? new float[4] : vector(p, 5, false));
      }
    }
    EmbeddingStore store = new EmbeddingStore(new ParquetTable(table, new FooterCache(4)), 5);

    assertThatThrownBy(() -> store.read(0, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The embedding of position 3 has 4 values, the manifest says d = 5");
  }
}
