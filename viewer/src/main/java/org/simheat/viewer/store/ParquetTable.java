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
    List<Path> all = files();
    long[][] ranges = keys == null ? null : keyRanges(keys.column());
    for (int f = 0; f < all.size(); f++) {
      if (ranges != null && !keys.mayContain(ranges[f][0], ranges[f][1])) {
        continue;
      }
      Path file = all.get(f);
      ParquetMetadata footer = footers.footer(file);
      MessageType projection = project(footer.getFileMetaData().getSchema(), columns, file);
      if (!scanFile(file, footer, projection, columns, compat, visitor)) {
        return;
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
