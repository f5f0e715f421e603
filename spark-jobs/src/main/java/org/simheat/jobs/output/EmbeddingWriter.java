package org.simheat.jobs.output;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.simheat.format.RunLayout;
import org.simheat.jobs.input.HadoopConf;
import org.simheat.jobs.input.MatrixSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code embeddings} table straight from the matrix on the executors, with no Spark rows
 * in between: each task reads a range of positions block by block and writes them, in order, as one
 * Parquet file ({@link EmbeddingFileWriter}).
 *
 * <p>Files are named {@code part-00000.parquet}, {@code part-00001.parquet}, … so that name order
 * is position order. A task writes to a hidden temporary name ({@code .part-….tmp}, which Spark,
 * DuckDB and the viewer all skip) and renames it when complete; a retried task whose file already
 * exists stops there, and leftovers of killed attempts are deleted once the job ends. No reader
 * ever sees a partial or duplicate file.
 *
 * <p>Pages are Snappy-compressed, as Spark's are (float32 vectors hardly shrink, but Snappy passes
 * incompressible data through at memory speed).
 */
public final class EmbeddingWriter {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWriter.class);

  /** Target bytes of vectors per file. */
  static final long FILE_BYTES = 128L << 20;

  /** Fewest rows worth a file of their own. */
  private static final int MIN_FILE_ROWS = 4096;

  /** Footer key under which Spark keeps a file's Spark SQL schema. */
  static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private EmbeddingWriter() {}

  /**
   * The input row and the leaf cluster of every position of a run that is not in input order.
   *
   * @param ids the input row at each position
   * @param clusters the leaf cluster of each position
   */
  public record Positions(int[] ids, int[] clusters) implements Serializable {}

  /**
   * Writes {@code embeddings} under {@code staging}: one row per matrix row in position order
   * (position = id = row), the token (or the row number when there are no tokens), cluster −1, the
   * norm and the vector.
   *
   * @param blockRows rows read from the source at a time
   * @return the number of files written
   * @throws UncheckedIOException if a file cannot be written
   */
  public static int write(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      Broadcast<String[]> tokens,
      Broadcast<double[]> norms,
      int blockRows,
      Path staging) {
    return write(jsc, source, tokens, norms, null, blockRows, staging, RunLayout.EMBEDDINGS);
  }

  /**
   * Writes the table {@code table} ({@code embeddings}, or {@code col_embeddings} for a cross run's
   * columns) as above, for positions that may hold other rows: {@code source} and {@code norms} are
   * by position, {@code tokens} by input row, and {@code positions} (or null for input order) gives
   * each position's input row ({@code id}) and leaf cluster.
   *
   * @throws UncheckedIOException if a file cannot be written
   */
  public static int write(
      JavaSparkContext jsc,
      Broadcast<MatrixSource> source,
      Broadcast<String[]> tokens,
      Broadcast<double[]> norms,
      Broadcast<Positions> positions,
      int blockRows,
      Path staging,
      String table) {
    MatrixSource m = source.value();
    long start = System.nanoTime();
    int files = fileCount(m.rows(), m.dim(), jsc.defaultParallelism());
    long rowsPerFile = (m.rows() + files - 1) / files;
    Path dir = new Path(staging, table);
    Configuration conf = jsc.hadoopConfiguration();
    mkdirs(dir, conf);
    HadoopConf hadoop = new HadoopConf(conf);
    String dirName = dir.toString();
    Map<String, String> metadata = Map.of(SPARK_SCHEMA_KEY, RunTables.embeddingSchema().json());
    long n = m.rows();
    jsc.parallelize(IntStream.range(0, files).boxed().toList(), files)
        .foreach(
            f ->
                new FileTask(
                        new Path(dirName),
                        fileName(f, files),
                        f * rowsPerFile,
                        Math.min(n, (f + 1) * rowsPerFile),
                        blockRows,
                        metadata)
                    .run(
                        source.value(),
                        tokens.value(),
                        norms.value(),
                        positions == null ? null : positions.value(),
                        hadoop.get()));
    removeLeftovers(dir, conf);
    LOG.info(
        String.format(
            Locale.ROOT,
            "Table %s: %d rows × d=%d in %d files, %.1f s",
            table,
            m.rows(),
            m.dim(),
            files,
            (System.nanoTime() - start) / 1e9));
    return files;
  }

  /** Files for {@code rows × dim} floats: about {@link #FILE_BYTES} each, a multiple of cores. */
  static int fileCount(long rows, int dim, int cores) {
    long bySize = (rows * dim * 4 + FILE_BYTES - 1) / FILE_BYTES;
    long byRows = Math.max(1, rows / MIN_FILE_ROWS);
    long files = Math.min(byRows, Math.max(bySize, cores));
    long rounded = (files + cores - 1) / cores * cores;
    return (int) Math.max(1, rounded <= byRows ? rounded : files);
  }

  /** One task: positions [from, to) into the file {@code dir/name}. */
  private record FileTask(
      Path dir, String name, long from, long to, int blockRows, Map<String, String> metadata) {

    void run(
        MatrixSource m, String[] tokens, double[] norms, Positions positions, Configuration conf)
        throws IOException {
      Path done = new Path(dir, name);
      FileSystem fs = done.getFileSystem(conf);
      if (fs.exists(done)) {
        return; // an earlier attempt of this task completed the file
      }
      TaskContext task = TaskContext.get();
      long attempt = task == null ? System.nanoTime() : task.taskAttemptId();
      Path tmp = new Path(dir, "." + name + "." + attempt + ".tmp");
      try {
        writeRows(m, tokens, norms, positions, RawOutputFile.of(tmp, conf), conf);
        if (!fs.rename(tmp, done) && !fs.exists(done)) {
          throw new IOException("cannot rename " + tmp + " to " + done);
        }
      } catch (IOException e) {
        throw FileWriteException.naming(done, e);
      } finally {
        fs.delete(tmp, false);
      }
    }

    private void writeRows(
        MatrixSource m,
        String[] tokens,
        double[] norms,
        Positions positions,
        RawOutputFile out,
        Configuration conf)
        throws IOException {
      int d = m.dim();
      float[] block = new float[Math.multiplyExact(blockRows, d)];
      try (EmbeddingFileWriter w =
          new EmbeddingFileWriter(out, conf, d, CompressionCodecName.SNAPPY, metadata)) {
        for (long start = from; start < to; start += blockRows) {
          int count = (int) Math.min(blockRows, to - start);
          m.readRows(start, count, block, 0);
          for (int r = 0; r < count; r++) {
            int p = (int) (start + r);
            int id = positions == null ? p : positions.ids()[p];
            int cluster = positions == null ? -1 : positions.clusters()[p];
            String token = tokens != null ? tokens[id] : Integer.toString(id);
            w.append(p, id, token, cluster, (float) norms[p], block, r * d);
          }
        }
      }
    }
  }

  private static void mkdirs(Path dir, Configuration conf) {
    try {
      dir.getFileSystem(conf).mkdirs(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes temporary files that killed task attempts left behind. */
  private static void removeLeftovers(Path dir, Configuration conf) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (name.startsWith(".part-") && name.endsWith(".tmp")) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Name of file {@code index} of {@code files}: zero-padded, so name order is position order. */
  static String fileName(int index, int files) {
    int digits = Math.max(5, Integer.toString(files - 1).length());
    return String.format(Locale.ROOT, "part-%0" + digits + "d.parquet", index);
  }
}
