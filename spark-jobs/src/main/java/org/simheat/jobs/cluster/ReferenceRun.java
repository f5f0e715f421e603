package org.simheat.jobs.cluster;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.simheat.format.Columns;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A committed run whose order a new run takes ({@code compute --order-from RUN}): its manifest and,
 * per axis, the token and leaf at each position and its cluster tree, read on the driver with
 * parquet-java (only the small columns: never the vectors).
 *
 * <p>RUN is a run id in the output directory, {@code latest} (the run {@code LATEST} names), or a
 * path to a run directory on any Hadoop file system.
 */
public final class ReferenceRun {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceRun.class);

  /** The word that names the run {@code LATEST} names. */
  public static final String LATEST = "latest";

  private final Manifest manifest;
  private final boolean latest;
  private final Axis rows;
  private final Axis cols;

  private ReferenceRun(Manifest manifest, boolean latest, Axis rows, Axis cols) {
    this.manifest = manifest;
    this.latest = latest;
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * One axis of the reference run, by position.
   *
   * @param tokens the token at each position
   * @param leafOfPosition the leaf at each position, or null in input order
   * @param shape the cluster tree (leaves name the run's leaf ids), or null in input order
   * @param flat the tree's root is not a node: its leaves are roots (k-means)
   */
  public record Axis(String[] tokens, int[] leafOfPosition, TreeShape shape, boolean flat) {
    /** Whether the axis is in cluster order. */
    public boolean clustered() {
      return shape != null;
    }
  }

  /**
   * Finds and reads the run {@code run} names.
   *
   * @param out the output directory, where ids and {@code latest} are looked up
   * @param cross whether the new run is a cross run (RUN must be one too, and symmetric otherwise)
   * @return the run, or empty for {@code latest} when the output has no {@code LATEST} run yet
   * @throws IllegalArgumentException naming the run and what is wrong with it
   */
  public static Optional<ReferenceRun> resolve(
      Path out, String run, boolean cross, Configuration conf) {
    try {
      Path dir;
      boolean latest = LATEST.equals(run);
      if (latest) {
        Optional<String> id = latestId(out, conf);
        if (id.isEmpty()) {
          LOG.info("--order-from latest: {} has no committed run yet; --order applies", out);
          return Optional.empty();
        }
        dir = new Path(out, RunLayout.runDir(id.get()));
      } else if (RunLayout.isRunId(run)) {
        dir = new Path(out, RunLayout.runDir(run));
      } else {
        dir = new Path(run);
      }
      Manifest m = manifest(dir, run, out, conf);
      checkShape(m, cross);
      Axis rows = axis(dir, m, RunLayout.EMBEDDINGS, RunLayout.CLUSTERS, m.n(), conf);
      Axis cols =
          m.symmetric()
              ? null
              : axis(dir, m, RunLayout.COL_EMBEDDINGS, RunLayout.COL_CLUSTERS, m.nCols(), conf);
      return Optional.of(new ReferenceRun(m, latest, rows, cols));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot take the order of run " + run + ": " + e.getMessage(), e);
    }
  }

  /** The run's manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /** The run's id. */
  public String runId() {
    return manifest.runId();
  }

  /** Whether the run was named as {@code latest}. */
  public boolean latest() {
    return latest;
  }

  /** Whether the run is in cluster order. */
  public boolean clustered() {
    return manifest.order() != null && manifest.order().clustered();
  }

  /** The row axis. */
  public Axis rows() {
    return rows;
  }

  /** The column axis of a cross run, or null for a symmetric run. */
  public Axis cols() {
    return cols;
  }

  /**
   * The order of a run that took this run's: the same kind, algorithm and seed, the new leaf
   * counts, and {@code from} this run.
   *
   * @param rowLeaves the new run's leaves on the row axis (0 in input order)
   * @param colLeaves the new run's leaves on the column axis (0 when symmetric or in input order)
   */
  public Manifest.Order order(int rowLeaves, int colLeaves) {
    if (!clustered()) {
      return new Manifest.Order(Manifest.Order.INPUT, 0, 0, null, null, runId());
    }
    Manifest.Order o = manifest.order();
    return new Manifest.Order(
        Manifest.Order.CLUSTER, rowLeaves, colLeaves, o.algorithm(), o.seed(), runId());
  }

  private static Optional<String> latestId(Path out, Configuration conf) throws IOException {
    FileSystem fs = out.getFileSystem(conf);
    String id;
    try (FSDataInputStream in = fs.open(new Path(out, RunLayout.LATEST))) {
      id = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    if (!RunLayout.isRunId(id)) {
      throw new IOException(out + "/" + RunLayout.LATEST + " holds '" + id + "', not a run id");
    }
    return Optional.of(id);
  }

  private static Manifest manifest(Path dir, String run, Path out, Configuration conf)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path file = new Path(dir, RunLayout.MANIFEST);
    byte[] json;
    try (FSDataInputStream in = fs.open(file)) {
      json = in.readAllBytes();
    } catch (FileNotFoundException e) {
      throw new IOException(
          LATEST.equals(run) || RunLayout.isRunId(run)
              ? "no such run in " + out
              : "no " + RunLayout.MANIFEST + " in " + dir + " (not a committed run)");
    }
    try {
      return Manifest.fromJson(new String(json, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException("its manifest cannot be read (" + file + ")");
    }
  }

  private static void checkShape(Manifest m, boolean cross) throws IOException {
    if (cross && m.symmetric()) {
      throw new IOException(
          "it is a symmetric run and this one is a cross run (--cols-input); a cross run takes"
              + " the order of a cross run");
    }
    if (!cross && !m.symmetric()) {
      throw new IOException(
          "it is a cross run and this one is symmetric; a symmetric run takes the order of a"
              + " symmetric run");
    }
  }

  /** Reads one axis: tokens and leaves by position, and the tree in cluster order. */
  private static Axis axis(
      Path dir, Manifest m, String embeddings, String clusters, long n, Configuration conf)
      throws IOException {
    boolean clustered = m.order() != null && m.order().clustered();
    String[] tokens = new String[Math.toIntExact(n)];
    int[] leaves = clustered ? new int[tokens.length] : null;
    try {
      readEmbeddings(new Path(dir, embeddings), tokens, leaves, conf);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "its " + embeddings + " table cannot be read (" + e.getMessage() + ")", e);
    }
    if (!clustered) {
      return new Axis(tokens, null, null, false);
    }
    try {
      return tree(new Path(dir, clusters), tokens, leaves, conf);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "its " + clusters + " table cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /** Fills each position's token (and leaf), checking that every position appears once. */
  private static void readEmbeddings(Path table, String[] tokens, int[] leaves, Configuration conf)
      throws IOException {
    long[] seen = {0};
    List<String> columns =
        leaves == null
            ? List.of(Columns.POSITION, Columns.TOKEN)
            : List.of(Columns.POSITION, Columns.TOKEN, Columns.CLUSTER);
    scan(
        table,
        columns,
        conf,
        g -> {
          int p = g.getInteger(Columns.POSITION, 0);
          if (p < 0 || p >= tokens.length || tokens[p] != null) {
            throw new IOException(
                "position " + p + " is out of range or repeated (" + tokens.length + " rows)");
          }
          tokens[p] = g.getString(Columns.TOKEN, 0);
          if (leaves != null) {
            leaves[p] = g.getInteger(Columns.CLUSTER, 0);
          }
          seen[0]++;
        });
    if (seen[0] != tokens.length) {
      throw new IOException("it holds " + seen[0] + " rows, the manifest says " + tokens.length);
    }
  }

  /** The tree of the {@code clusters} table, checking it against the embeddings' leaves. */
  private static Axis tree(Path table, String[] tokens, int[] leaves, Configuration conf)
      throws IOException {
    List<long[]> nodes = new ArrayList<>(); // {id, parent, leaf, start}
    scan(
        table,
        List.of(Columns.CLUSTER, Columns.PARENT, Columns.LEAF, Columns.START),
        conf,
        g ->
            nodes.add(
                new long[] {
                  g.getInteger(Columns.CLUSTER, 0),
                  g.getInteger(Columns.PARENT, 0),
                  g.getBoolean(Columns.LEAF, 0) ? 1 : 0,
                  g.getLong(Columns.START, 0)
                }));
    int count = nodes.size();
    long k = nodes.stream().filter(x -> x[2] == 1).count();
    List<List<long[]>> children = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      children.add(new ArrayList<>());
    }
    List<long[]> roots = new ArrayList<>();
    for (long[] x : nodes) {
      if (x[0] < 0 || x[0] >= count || x[1] < -1 || x[1] >= count || (x[2] == 1) != (x[0] < k)) {
        throw new IOException("node " + x[0] + " does not fit a tree of " + count + " nodes");
      }
      (x[1] < 0 ? roots : children.get((int) x[1])).add(x);
    }
    for (int leaf : leaves) {
      if (leaf < 0 || leaf >= k) {
        throw new IOException("the embeddings name leaf " + leaf + " of " + k);
      }
    }
    if (roots.isEmpty()) {
      throw new IOException("the tree has no root");
    }
    List<TreeShape> top = new ArrayList<>();
    for (long[] r : sortByStart(roots)) {
      top.add(shape(r, children, 0));
    }
    boolean flat = top.size() > 1;
    TreeShape shape = flat ? TreeShape.of(top) : top.get(0);
    List<Integer> reached = new ArrayList<>(shape.leaves());
    Collections.sort(reached);
    if (!reached.equals(IntStream.range(0, (int) k).boxed().toList())) {
      throw new IOException("its tree does not reach each of its " + k + " leaves once");
    }
    return new Axis(tokens, leaves, shape, flat);
  }

  private static TreeShape shape(long[] node, List<List<long[]>> children, int depth)
      throws IOException {
    if (node[2] == 1) {
      return TreeShape.leaf((int) node[0]);
    }
    List<long[]> kids = children.get((int) node[0]);
    if (kids.isEmpty() || depth > children.size()) {
      throw new IOException("internal node " + node[0] + " has no leaves");
    }
    List<TreeShape> out = new ArrayList<>();
    for (long[] c : sortByStart(kids)) {
      out.add(shape(c, children, depth + 1));
    }
    return TreeShape.of(out);
  }

  private static List<long[]> sortByStart(List<long[]> nodes) {
    List<long[]> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.<long[]>comparingLong(x -> x[3]).thenComparingLong(x -> x[0]));
    return sorted;
  }

  /** What is done with each row of a table. */
  @FunctionalInterface
  private interface RowVisitor {
    void accept(Group row) throws IOException;
  }

  /** Reads the given columns of every Parquet file of a table directory, file by file. */
  private static void scan(Path table, List<String> columns, Configuration conf, RowVisitor visit)
      throws IOException {
    FileSystem fs = table.getFileSystem(conf);
    FileStatus[] files;
    try {
      files = fs.listStatus(table, p -> p.getName().endsWith(".parquet") && isVisible(p));
    } catch (FileNotFoundException e) {
      throw new IOException("no such table: " + table);
    }
    Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
    for (FileStatus f : files) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
        MessageType schema = r.getFooter().getFileMetaData().getSchema();
        for (String c : columns) {
          if (!schema.containsField(c)) {
            throw new IOException(f.getPath().getName() + " has no column " + c);
          }
        }
        List<Type> fields = new ArrayList<>();
        for (Type t : schema.getFields()) {
          if (columns.contains(t.getName())) {
            fields.add(t); // in the file's order
          }
        }
        MessageType projection = new MessageType(schema.getName(), fields);
        r.setRequestedSchema(projection);
        PageReadStore pages;
        while ((pages = r.readNextRowGroup()) != null) {
          RecordReader<Group> records =
              new ColumnIOFactory()
                  .getColumnIO(projection, schema)
                  .getRecordReader(pages, new GroupRecordConverter(projection));
          for (long i = 0; i < pages.getRowCount(); i++) {
            visit.accept(records.read());
          }
        }
      }
    }
  }

  private static boolean isVisible(Path p) {
    return !p.getName().startsWith(".") && !p.getName().startsWith("_");
  }
}
