package org.simheat.viewer.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * One table (or one partition of it): the {@code part-*.parquet} files of a directory, read with
 * parquet-java's public API and no Hadoop. A scan reads only the requested columns and, given a
 * filter on sorted key columns, skips whole files and row groups by their statistics and pages by
 * the column index, so a point read touches one page per column. Footers come from a shared {@link
 * FooterCache}; the file list is taken once, since committed runs never change.
 */
public final class ParquetTable {
  private final Path dir;
  private final FooterCache footers;
  private final Map<String, long[][]> ranges = new ConcurrentHashMap<>();
  private volatile List<Path> files;

  /** A table in {@code dir} whose footers are cached in {@code footers}. */
  public ParquetTable(Path dir, FooterCache footers) {
    this.dir = dir;
    this.footers = footers;
  }

  /** Receives the rows of a scan; returns false to stop it. */
  @FunctionalInterface
  public interface RowVisitor {
    /** Takes one row (valid until the call returns); false ends the scan. */
    boolean accept(FlatRow row) throws IOException;
  }

  /**
   * Receives the column readers of one row group (only its pages that may match the scan's filter).
   */
  @FunctionalInterface
  public interface ColumnVisitor {
    /**
     * Reads the row group's {@code rows} rows from {@code readers}, one per requested column in
     * request order (each column has a single leaf: a scalar or a list of numbers); false ends the
     * scan.
     */
    boolean accept(ColumnReader[] readers, long rows) throws IOException;
  }

  /**
   * One row group of one part file.
   *
   * @param file the part file
   * @param index the row group's index in the file
   * @param rows its row count
   * @param keyMin the smallest key in it (from statistics; {@code Long.MIN_VALUE} if unknown)
   * @param keyMax the largest key ({@code Long.MAX_VALUE} if unknown)
   */
  public record RowGroup(Path file, int index, long rows, long keyMin, long keyMax) {}

  /** Reads the pages of one whole row group. */
  @FunctionalInterface
  public interface GroupReader<T> {
    /**
     * Decodes the row group from its pages; {@code projection} is the file's schema narrowed to the
     * requested columns and {@code createdBy} the writer's name, which column readers need.
     */
    T read(PageReadStore pages, MessageType projection, String createdBy) throws IOException;
  }

  /**
   * The table's part files in name order (none when the directory does not exist).
   *
   * @throws IOException if the directory cannot be listed
   */
  public List<Path> files() throws IOException {
    List<Path> listed = files;
    if (listed == null) {
      listed = list();
      files = listed;
    }
    return listed;
  }

  /** Whether the table has at least one part file. */
  public boolean exists() throws IOException {
    return !files().isEmpty();
  }

  /** Total rows over every file, from the footers. */
  public long rowCount() throws IOException {
    long rows = 0;
    for (Path f : files()) {
      for (BlockMetaData b : footers.footer(f).getBlocks()) {
        rows += b.getRowCount();
      }
    }
    return rows;
  }

  /**
   * The schema of the first file.
   *
   * @throws IOException if the table has no file
   */
  public MessageType schema() throws IOException {
    List<Path> fs = files();
    if (fs.isEmpty()) {
      throw new NoSuchFileException(dir.getFileName() + ": no part files");
    }
    return footers.footer(fs.get(0)).getFileMetaData().getSchema();
  }

  /** Visits every row of the requested columns, in file order. */
  public void scan(List<String> columns, RowVisitor visitor) throws IOException {
    scan(columns, null, null, visitor);
  }

  /**
   * Visits the rows that may match {@code filter}, in file order: files whose key range misses
   * {@code keys} are skipped unopened, then row groups and pages that cannot match the filter. Rows
   * outside the filter may be visited too (pruning works on whole pages): visitors check keys.
   *
   * @param columns top-level columns to read; {@link FlatRow} accessors take their indexes
   * @param filter what parquet-java may prune by, or null to read every row
   * @param keys which files may hold wanted rows, or null to open every file
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a file lacks a requested column
   */
  public void scan(List<String> columns, FilterPredicate filter, KeyFilter keys, RowVisitor visitor)
      throws IOException {
    FilterCompat.Filter compat = filter == null ? FilterCompat.NOOP : FilterCompat.get(filter);
    eachFile(
        columns,
        keys,
        (file, footer, projection) -> scanFile(file, footer, projection, columns, compat, visitor));
  }

  /**
   * Like {@link #scan(List, FilterPredicate, KeyFilter, RowVisitor)}, but hands the visitor
   * parquet-java's column readers instead of assembled rows: values are pulled straight from the
   * decoded pages, several times faster than record assembly for long numeric lists.
   *
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if a file lacks a requested column, or a column has several
   *     leaves
   */
  public void scanColumns(
      List<String> columns, FilterPredicate filter, KeyFilter keys, ColumnVisitor visitor)
      throws IOException {
    FilterCompat.Filter compat = filter == null ? FilterCompat.NOOP : FilterCompat.get(filter);
    eachFile(
        columns,
        keys,
        (file, footer, projection) ->
            scanFileColumns(file, footer, projection, columns, compat, visitor));
  }

  /** Reads one file of a scan, projected; returns false to end the scan. */
  @FunctionalInterface
  private interface FileScan {
    boolean scan(Path file, ParquetMetadata footer, MessageType projection) throws IOException;
  }

  /**
   * Runs {@code scan} on every file in order whose key range may hold a key in {@code keys} (every
   * file when null), until it returns false.
   */
  private void eachFile(List<String> columns, KeyFilter keys, FileScan scan) throws IOException {
    List<Path> all = files();
    long[][] ranges = keys == null ? null : keyRanges(keys.column());
    for (int f = 0; f < all.size(); f++) {
      if (ranges != null && !keys.mayContain(ranges[f][0], ranges[f][1])) {
        continue;
      }
      Path file = all.get(f);
      ParquetMetadata footer = footers.footer(file);
      MessageType projection = project(footer.getFileMetaData().getSchema(), columns, file);
      if (!scan.scan(file, footer, projection)) {
        return;
      }
    }
  }

  /**
   * The row groups that may hold a key in {@code keys}, in file order, by footer statistics of the
   * key column (a row group without them is always included).
   *
   * @throws IOException if a footer cannot be read
   */
  public List<RowGroup> rowGroups(KeyFilter keys) throws IOException {
    List<Path> all = files();
    long[][] ranges = keyRanges(keys.column());
    List<RowGroup> out = new ArrayList<>();
    for (int f = 0; f < all.size(); f++) {
      if (!keys.mayContain(ranges[f][0], ranges[f][1])) {
        continue;
      }
      List<BlockMetaData> blocks = footers.footer(all.get(f)).getBlocks();
      for (int b = 0; b < blocks.size(); b++) {
        long[] r = KeyStatistics.blockRange(blocks.get(b), keys.column());
        if (keys.mayContain(r[0], r[1])) {
          out.add(new RowGroup(all.get(f), b, blocks.get(b).getRowCount(), r[0], r[1]));
        }
      }
    }
    return out;
  }

  /**
   * Reads every page of some columns of one row group and decodes them with {@code reader}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalStateException if the file lacks a requested column
   */
  public <T> T readRowGroup(RowGroup group, List<String> columns, GroupReader<T> reader)
      throws IOException {
    ParquetMetadata footer = footers.footer(group.file());
    MessageType projection = project(footer.getFileMetaData().getSchema(), columns, group.file());
    try (ParquetFileReader r = open(group.file(), footer, FilterCompat.NOOP)) {
      r.setRequestedSchema(projection);
      try (PageReadStore pages = r.readRowGroup(group.index())) {
        return reader.read(pages, projection, footer.getFileMetaData().getCreatedBy());
      }
    }
  }

  /** Each file's [min, max] of an int key column, from footer statistics (unknown: all longs). */
  private long[][] keyRanges(String column) throws IOException {
    long[][] cached = ranges.get(column);
    if (cached != null) {
      return cached;
    }
    List<Path> all = files();
    long[][] out = new long[all.size()][];
    for (int f = 0; f < out.length; f++) {
      out[f] = KeyStatistics.range(footers.footer(all.get(f)), column);
    }
    ranges.put(column, out);
    return out;
  }

  private boolean scanFile(
      Path file,
      ParquetMetadata footer,
      MessageType projection,
      List<String> columns,
      FilterCompat.Filter filter,
      RowVisitor visitor)
      throws IOException {
    try (ParquetFileReader reader = open(file, footer, filter)) {
      reader.setRequestedSchema(projection);
      MessageColumnIO io =
          new ColumnIOFactory(footer.getFileMetaData().getCreatedBy())
              .getColumnIO(projection, footer.getFileMetaData().getSchema());
      FlatRow row = new FlatRow(projection, columns);
      PageReadStore pages;
      while ((pages = reader.readNextFilteredRowGroup()) != null) {
        try (PageReadStore group = pages) {
          RecordReader<FlatRow> records = io.getRecordReader(group, row, FilterCompat.NOOP);
          for (long r = 0, n = group.getRowCount(); r < n; r++) {
            if (!visitor.accept(records.read())) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }

  private static boolean scanFileColumns(
      Path file,
      ParquetMetadata footer,
      MessageType projection,
      List<String> columns,
      FilterCompat.Filter filter,
      ColumnVisitor visitor)
      throws IOException {
    ColumnDescriptor[] leaves = leaves(projection, columns, file);
    String createdBy = footer.getFileMetaData().getCreatedBy();
    try (ParquetFileReader reader = open(file, footer, filter)) {
      reader.setRequestedSchema(projection);
      PageReadStore pages;
      while ((pages = reader.readNextFilteredRowGroup()) != null) {
        try (PageReadStore group = pages) {
          ColumnReadStoreImpl store =
              new ColumnReadStoreImpl(
                  group, IgnoringConverter.of(projection), projection, createdBy);
          ColumnReader[] readers = new ColumnReader[leaves.length];
          for (int c = 0; c < leaves.length; c++) {
            readers[c] = store.getColumnReader(leaves[c]);
          }
          if (!visitor.accept(readers, group.getRowCount())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The single leaf of each requested column, in request order. */
  private static ColumnDescriptor[] leaves(
      MessageType projection, List<String> columns, Path file) {
    ColumnDescriptor[] out = new ColumnDescriptor[columns.size()];
    for (ColumnDescriptor d : projection.getColumns()) {
      int c = columns.indexOf(d.getPath()[0]);
      if (out[c] != null) {
        throw new IllegalStateException(
            "Parquet file "
                + file.getFileName()
                + ": column "
                + columns.get(c)
                + " has several leaves");
      }
      out[c] = d;
    }
    return out;
  }

  /** Opens a file with a known footer; the stream is closed if opening fails. */
  private static ParquetFileReader open(
      Path file, ParquetMetadata footer, FilterCompat.Filter filter) throws IOException {
    LocalInputFile input = new LocalInputFile(file);
    ParquetReadOptions options = FooterCache.optionsBuilder().withRecordFilter(filter).build();
    SeekableInputStream stream = input.newStream();
    try {
      return ParquetFileReader.open(input, footer, options, stream);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  private static MessageType project(MessageType schema, List<String> columns, Path file) {
    List<Type> fields = new ArrayList<>(columns.size());
    for (Type t : schema.getFields()) {
      if (columns.contains(t.getName())) {
        fields.add(t);
      }
    }
    if (fields.size() != columns.size()) {
      throw new IllegalStateException(
          "Parquet file "
              + file.getFileName()
              + " lacks a column of "
              + columns
              + ": it has "
              + schema.getFields().stream().map(Type::getName).toList());
    }
    return new MessageType(schema.getName(), fields);
  }

  private List<Path> list() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "part-*.parquet")) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "ParquetTable[" + dir.getFileName() + "]";
  }
}
