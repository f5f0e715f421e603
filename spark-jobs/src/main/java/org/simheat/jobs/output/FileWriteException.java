package org.simheat.jobs.output;

import java.io.IOException;

/**
 * A file of a run that could not be written: its message names the file and gives the file system's
 * reason ({@code Cannot write <file>: <reason>}), and the job's one error line is built from it
 * however deep in Spark's exceptions it arrives.
 */
public final class FileWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String reason;

  private FileWriteException(String file, IOException cause) {
    super("Cannot write " + file + ": " + cause.getMessage(), cause);
    this.file = file;
    this.reason = cause.getMessage();
  }

  /** {@code e} naming {@code file}; {@code e} itself if it already names a file. */
  public static FileWriteException naming(Object file, IOException e) {
    return e instanceof FileWriteException named
        ? named
        : new FileWriteException(file.toString(), e);
  }

  /** The file that could not be written. */
  public String file() {
    return file;
  }

  /** The file system's reason. */
  public String reason() {
    return reason;
  }
}
