package org.simheat.jobs.saliency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.simheat.format.Columns;
import org.simheat.format.RunLayout;
import org.simheat.jobs.output.ParquetFile;

/**
 * Writes a saliency document's tables into a directory, then checks their row counts.
 *
 * <ul>
 *   <li>{@code tokens/part-00000.parquet}: one row per (facet, position), sorted so; {@code heat}
 *       holds the token's heat row when dense, and is empty when sparse or when the token has none
 *       ({@code has_heat} tells the two apart); {@code vocab_position} is the token's position in
 *       the run's vocabulary for a computed document, -1 for an imported one.
 *   <li>{@code heat/part-<facet>.parquet} (sparse only): one row per non-zero value {@code
 *       heat[facet][position][target]}, sorted by position then target, so a token's row is one
 *       contiguous run that row-group statistics find.
 * </ul>
 */
final class SaliencyTables {
  private static final long TOKEN_ROW_GROUP = 16L << 20;
  private static final long HEAT_ROW_GROUP = 4L << 20;

  static final MessageType TOKENS_SCHEMA =
      schema(
          string(Columns.DOC),
          Types.required(PrimitiveTypeName.INT32).named(Columns.FACET),
          Types.required(PrimitiveTypeName.INT32).named(Columns.POSITION),
          string(Columns.TOKEN),
          Types.required(PrimitiveTypeName.BOOLEAN).named(Columns.FORMAT),
          list(
              Types.required(PrimitiveTypeName.BINARY)
                  .as(LogicalTypeAnnotation.stringType())
                  .named("element"),
              Columns.META),
          list(Types.required(PrimitiveTypeName.FLOAT).named("element"), Columns.HEAT),
          Types.required(PrimitiveTypeName.BOOLEAN).named(Columns.HAS_HEAT),
          Types.required(PrimitiveTypeName.INT32).named(Columns.VOCAB_POSITION));

  static final MessageType HEAT_SCHEMA =
      schema(
          string(Columns.DOC),
          Types.required(PrimitiveTypeName.INT32).named(Columns.FACET),
          Types.required(PrimitiveTypeName.INT32).named(Columns.POSITION),
          Types.required(PrimitiveTypeName.INT32).named(Columns.TARGET),
          Types.required(PrimitiveTypeName.FLOAT).named(Columns.VALUE));

  private SaliencyTables() {}

  /**
   * Writes the tables of {@code text} under {@code dir} and verifies their row counts.
   *
   * @return the number of rows of the sparse heat table (0 when dense)
   * @throws IOException if a file cannot be written, or a count does not match what was written
   */
  static long write(Configuration conf, Path dir, String doc, SaliencyText text, boolean sparse)
      throws IOException {
    return write(conf, dir, doc, text, HeatSlices.of(text), null, sparse);
  }

  /**
   * Writes the tokens of {@code text} (their own heat ignored) with the heat rows of {@code heat}
   * and the vocabulary positions {@code vocab} (one per position, the same in every facet; null: -1
   * throughout) under {@code dir}, and verifies the row counts.
   *
   * @return the number of rows of the sparse heat table (0 when dense)
   * @throws IOException if a file cannot be written, or a count does not match what was written
   */
  static long write(
      Configuration conf,
      Path dir,
      String doc,
      SaliencyText text,
      HeatSlices heat,
      int[] vocab,
      boolean sparse)
      throws IOException {
    Path tokens = new Path(dir, RunLayout.SALIENCY_TOKENS + "/part-00000.parquet");
    writeTokens(conf, tokens, doc, text, heat, vocab, sparse);
    expectRows(conf, tokens, (long) text.facets().size() * text.length());
    long heatRows = 0;
    if (sparse) {
      for (int f = 0; f < text.facets().size(); f++) {
        Path file = heatFile(dir, f);
        long rows = writeHeat(conf, file, doc, f, text.length(), heat);
        expectRows(conf, file, rows);
        heatRows += rows;
      }
    }
    return heatRows;
  }

  /** {@code heat/part-<facet>.parquet} under a document directory. */
  static Path heatFile(Path dir, int facet) {
    return new Path(
        dir, RunLayout.SALIENCY_HEAT + String.format(Locale.ROOT, "/part-%05d.parquet", facet));
  }

  private static void writeTokens(
      Configuration conf,
      Path file,
      String doc,
      SaliencyText text,
      HeatSlices heat,
      int[] vocab,
      boolean sparse)
      throws IOException {
    ParquetFile out = ParquetFile.open(conf, file, TOKENS_SCHEMA, Map.of(), TOKEN_ROW_GROUP);
    try {
      for (int f = 0; f < text.facets().size(); f++) {
        List<SaliencyToken> facet = text.facets().get(f);
        for (int i = 0; i < facet.size(); i++) {
          SaliencyToken t = facet.get(i);
          out.string(0, doc);
          out.int32(1, f);
          out.int32(2, i);
          out.string(3, t.token());
          out.bool(4, t.format());
          out.strings(5, t.meta());
          float[] values = heat.values(f, i);
          float[] row =
              values == null || sparse
                  ? new float[0]
                  : fullRow(values, heat.start(f, i), facet.size());
          out.floats(6, row, 0, row.length);
          out.bool(7, values != null);
          out.int32(8, vocab == null ? -1 : vocab[i]);
          out.endRow();
        }
      }
    } catch (IOException | RuntimeException e) {
      out.abandon();
      throw e;
    }
    out.close();
  }

  /** A row of {@code n} values holding {@code values} from {@code start}, zeros elsewhere. */
  private static float[] fullRow(float[] values, int start, int n) {
    if (start == 0 && values.length == n) {
      return values;
    }
    float[] row = new float[n];
    System.arraycopy(values, 0, row, start, values.length);
    return row;
  }

  /** Writes one facet's non-zero heat values; returns how many. */
  private static long writeHeat(
      Configuration conf, Path file, String doc, int f, int n, HeatSlices slices)
      throws IOException {
    ParquetFile out = ParquetFile.open(conf, file, HEAT_SCHEMA, Map.of(), HEAT_ROW_GROUP);
    long rows = 0;
    try {
      for (int i = 0; i < n; i++) {
        float[] heat = slices.values(f, i);
        int start = heat == null ? 0 : slices.start(f, i);
        for (int j = 0; heat != null && j < heat.length; j++) {
          if (heat[j] != 0f) {
            out.string(0, doc);
            out.int32(1, f);
            out.int32(2, i);
            out.int32(3, start + j);
            out.float32(4, heat[j]);
            out.endRow();
            rows++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      out.abandon();
      throw e;
    }
    out.close();
    return rows;
  }

  private static void expectRows(Configuration conf, Path file, long expected) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      if (r.getRecordCount() != expected) {
        throw new IOException(
            file + " holds " + r.getRecordCount() + " rows where " + expected + " were written");
      }
    }
  }

  private static Type string(String name) {
    return Types.required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType())
        .named(name);
  }

  private static Type list(Type element, String name) {
    return Types.requiredGroup()
        .as(LogicalTypeAnnotation.listType())
        .addField(Types.repeatedGroup().addField(element).named("list"))
        .named(name);
  }

  private static MessageType schema(Type... fields) {
    return new MessageType("spark_schema", new ArrayList<>(List.of(fields)));
  }
}
