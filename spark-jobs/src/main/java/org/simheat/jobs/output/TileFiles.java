package org.simheat.jobs.output;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.simheat.format.Aggregation;
import org.simheat.format.Columns;
import org.simheat.format.Metric;
import org.simheat.format.RunLayout;
import org.simheat.format.TileGeometry;
import org.simheat.jobs.pyramid.TileRows;
import org.simheat.jobs.similarity.CellBlock;
import org.simheat.jobs.similarity.TopK;

/**
 * Direct writers of the {@code tiles} and {@code neighbors} tables, the same files that Spark's
 * writer makes (standard three-level lists, Snappy, sorted by what the viewer looks up) but written
 * straight from pooled cells and top-k lists by whichever task holds them: no rows, no shuffle, no
 * sort.
 */
public final class TileFiles {
  private static final long ROW_GROUP = 4L << 20;

  private TileFiles() {}

  /** Schema of a {@code tiles} file (the partition columns metric and level are in the path). */
  public static MessageType tileSchema(List<Aggregation> aggregations) {
    List<Type> fields = new ArrayList<>();
    for (String c : List.of(Columns.TILE_ROW, Columns.TILE_COL, Columns.ROWS, Columns.COLS)) {
      fields.add(Types.required(PrimitiveTypeName.INT32).named(c));
    }
    for (Aggregation a : aggregations) {
      fields.add(list(a.id(), PrimitiveTypeName.FLOAT));
    }
    return new MessageType("spark_schema", fields);
  }

  /** Schema of a {@code neighbors} file (the partition column metric is in the path). */
  public static MessageType neighborSchema() {
    return new MessageType(
        "spark_schema",
        Types.required(PrimitiveTypeName.INT32).named(Columns.POSITION),
        list(Columns.NEIGHBORS, PrimitiveTypeName.INT32),
        list(Columns.SCORES, PrimitiveTypeName.FLOAT));
  }

  private static Type list(String name, PrimitiveTypeName element) {
    return Types.requiredGroup()
        .as(LogicalTypeAnnotation.listType())
        .addField(
            Types.repeatedGroup().addField(Types.required(element).named("element")).named("list"))
        .named(name);
  }

  /** The directory of one level of one metric's tiles. */
  public static Path levelDir(Path staging, Metric metric, int level) {
    return new Path(
        new Path(new Path(staging, RunLayout.TILES), Columns.METRIC + "=" + metric.id()),
        Columns.LEVEL + "=" + level);
  }

  /** A part file name whose order is the order of {@code index}. */
  public static String partName(long index) {
    return String.format(Locale.ROOT, "part-%06d.parquet", index);
  }

  /**
   * Writes whole tiles of one metric and level, in the order given (callers give them sorted by
   * tile row, then column).
   */
  public static final class TileWriter implements Closeable {
    private final ParquetFile out;
    private final List<Aggregation> aggregations;
    private final TileGeometry g;
    private final int level;

    /** Opens {@code file}; nothing is visible under its name until {@link #close()}. */
    public TileWriter(
        Configuration conf, Path file, TileGeometry g, int level, List<Aggregation> aggregations)
        throws IOException {
      this.g = g;
      this.level = level;
      this.aggregations = List.copyOf(aggregations);
      this.out = ParquetFile.open(conf, file, tileSchema(aggregations), Map.of(), ROW_GROUP);
    }

    /**
     * Writes one whole tile (its mean from sums and the geometry's pair counts).
     *
     * @throws IllegalStateException if the tile is not whole (a bug)
     */
    public void write(CellBlock tile) throws IOException {
      int t = g.tileSize();
      if (!tile.isWholeFrame()) {
        throw new IllegalStateException(
            "Tile "
                + tile.row0() / t
                + ","
                + tile.col0() / t
                + " of level "
                + level
                + " is partial");
      }
      out.int32(0, (int) (tile.row0() / t));
      out.int32(1, (int) (tile.col0() / t));
      out.int32(2, tile.rows());
      out.int32(3, tile.cols());
      for (int a = 0; a < aggregations.size(); a++) {
        float[] cells = TileRows.cells(tile, aggregations.get(a), level, g);
        out.floats(4 + a, cells, 0, cells.length);
      }
      out.endRow();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }

    /** Drops the unfinished file (after a failure): nothing appears under its name. */
    public void abandon() {
      out.abandon();
    }
  }

  /**
   * Writes whole tiles, in the order given, as one file; after a failure nothing appears under its
   * name.
   */
  public static void writeTiles(
      Configuration conf,
      Path file,
      TileGeometry g,
      int level,
      List<Aggregation> aggregations,
      Iterable<CellBlock> tiles)
      throws IOException {
    TileWriter w = new TileWriter(conf, file, g, level, aggregations);
    try {
      for (CellBlock tile : tiles) {
        w.write(tile);
      }
    } catch (IOException | RuntimeException e) {
      w.abandon();
      throw e;
    }
    w.close();
  }

  /** Writes the neighbour lists of consecutive rows of one metric, in position order. */
  public static void writeNeighbors(Configuration conf, Path file, Metric metric, TopK top)
      throws IOException {
    float sign = metric.higherIsBetter() ? 1f : -1f;
    ParquetFile out = ParquetFile.open(conf, file, neighborSchema(), Map.of(), ROW_GROUP);
    try {
      for (int i = 0; i < top.rows(); i++) {
        int size = top.size(i);
        int[] pos = new int[size];
        float[] scores = new float[size];
        for (int e = 0; e < size; e++) {
          pos[e] = top.position(i, e);
          scores[e] = sign * top.key(i, e);
        }
        out.int32(0, (int) (top.rowStart() + i));
        out.ints(1, pos);
        out.floats(2, scores, 0, size);
        out.endRow();
      }
    } catch (IOException | RuntimeException e) {
      out.abandon();
      throw e;
    }
    out.close();
  }
}
