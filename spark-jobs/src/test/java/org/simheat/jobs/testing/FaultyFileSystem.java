package org.simheat.jobs.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.sql.SparkSession;

/**
 * The local file system with an injected write failure: once {@linkplain #arm armed}, the output
 * streams of the files a {@link Fault} selects throw {@link IOException} after a given number of
 * bytes, as a failing disk or a full one does in the middle of a write. Installed for the {@code
 * file} scheme in a Spark session's Hadoop configuration ({@link #install}), so the driver, the
 * executors (local mode: the same JVM) and Spark's own writers all get it.
 *
 * <p>It also counts the streams it opened that were never closed: an unclosed stream on a deleted
 * file keeps its disk space until the JVM collects it.
 */
public final class FaultyFileSystem extends LocalFileSystem {
  private static final String IMPL = "fs.file.impl";
  private static final String NO_CACHE = "fs.file.impl.disable.cache";

  private static volatile Fault armed;
  private static final AtomicInteger SELECTED = new AtomicInteger();
  private static final List<String> FAILED = new CopyOnWriteArrayList<>();
  private static final Set<String> OPEN = ConcurrentHashMap.newKeySet();

  /**
   * Which files fail and how.
   *
   * @param selects the paths (as strings) of the files the fault may hit
   * @param fromFile the first selected file (0-based, in the order they are created) that fails;
   *     every later selected file fails too
   * @param afterBytes bytes each failing file accepts before its stream throws
   * @param message the {@link IOException}'s message
   */
  public record Fault(Predicate<String> selects, int fromFile, long afterBytes, String message) {}

  public FaultyFileSystem() {
    super(new Raw());
  }

  /** Makes the session's {@code file:} scheme this file system, uncached. */
  public static void install(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set(IMPL, FaultyFileSystem.class.getName());
    conf.setBoolean(NO_CACHE, true);
  }

  /** Gives the session back the usual local file system. */
  public static void uninstall(SparkSession spark) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.unset(IMPL);
    conf.unset(NO_CACHE);
    disarm();
  }

  /** Starts injecting {@code fault}; counts selected files from zero. */
  public static void arm(Fault fault) {
    SELECTED.set(0);
    FAILED.clear();
    armed = fault;
  }

  /** Stops injecting failures. */
  public static void disarm() {
    armed = null;
  }

  /** The files whose streams threw, in order. */
  public static List<String> failed() {
    return List.copyOf(FAILED);
  }

  /** The files whose streams this file system opened and nobody closed yet. */
  public static Set<String> open() {
    return Set.copyOf(OPEN);
  }

  /** Selects the files under a run's staging in the table {@code table} (not checksums). */
  public static Predicate<String> stagingTable(String table) {
    return p -> p.contains("/_staging/") && p.contains("/" + table + "/") && !p.endsWith(".crc");
  }

  /** The raw local file system whose streams carry the fault. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    protected OutputStream createOutputStreamWithMode(
        Path f, boolean append, FsPermission permission) throws IOException {
      OutputStream os = super.createOutputStreamWithMode(f, append, permission);
      String path = f.toUri().getPath();
      Fault fault = armed;
      long limit = Long.MAX_VALUE;
      if (fault != null
          && fault.selects().test(path)
          && SELECTED.getAndIncrement() >= fault.fromFile()) {
        limit = fault.afterBytes();
      }
      return new Tracked(os, path, limit, fault == null ? null : fault.message());
    }
  }

  /** A stream that throws once {@code limit} bytes were written, and reports its closing. */
  private static final class Tracked extends FilterOutputStream {
    private final String path;
    private final long limit;
    private final String message;
    private long written;
    private boolean closed;

    Tracked(OutputStream out, String path, long limit, String message) {
      super(out);
      this.path = path;
      this.limit = limit;
      this.message = message;
      OPEN.add(path);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (written + len > limit) {
        int fits = (int) Math.max(0, limit - written);
        out.write(b, off, fits);
        written += fits;
        FAILED.add(path);
        throw new IOException(message);
      }
      out.write(b, off, len);
      written += len;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        OPEN.remove(path);
      }
      out.close();
    }
  }
}
