package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * Shared plumbing of the reader fuzz tests: writes each fuzzer input to a file the reader opens,
 * and accepts only the readers' documented user errors. Anything else escapes and is a finding.
 */
public final class FuzzTarget {
  /**
   * How long each fuzz test runs with {@code JAZZER_FUZZ=1} (the long profile). Jazzer appends it
   * after any command-line flag, so it is changed here, not on the command line.
   */
  public static final String MAX_DURATION = "10m";

  /** The Hadoop configuration the readers open files with. */
  public static final Configuration CONF = new Configuration();

  private static final int ROWS_READ = 4;
  private static Path dir;

  private FuzzTarget() {}

  /** Writes {@code data} to a file named {@code name} in a directory kept for the whole run. */
  public static synchronized Path write(String name, byte[] data) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("simheat-fuzz");
        dir.toFile().deleteOnExit();
      }
      Path file = dir.resolve(name);
      Files.write(file, data);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A reader call that may fail only with a user error. */
  @FunctionalInterface
  public interface ReaderCall {
    /** Runs the reader. */
    void run() throws IOException;
  }

  /**
   * Runs {@code call}, swallowing an {@link IllegalArgumentException} with a message or an {@link
   * UncheckedIOException} whose message starts with "Cannot "; rethrows anything else.
   */
  public static void expectUserErrorsOnly(ReaderCall call) throws IOException {
    try {
      call.run();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("IllegalArgumentException without a message", e);
      }
    } catch (UncheckedIOException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("Cannot ")) {
        throw new AssertionError("UncheckedIOException not saying what cannot be done", e);
      }
    }
  }

  /** Reads the first rows and the last row of an opened matrix, as a job would. */
  public static void readSome(MatrixSource m) throws IOException {
    long rows = m.rows();
    int dim = m.dim();
    if (rows <= 0 || dim <= 0) {
      throw new AssertionError("an opened matrix has shape " + rows + " × " + dim);
    }
    int head = (int) Math.min(rows, ROWS_READ);
    m.readRows(0, head);
    m.readRows(rows - 1, 1);
  }
}
