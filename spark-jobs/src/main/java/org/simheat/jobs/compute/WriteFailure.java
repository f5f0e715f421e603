package org.simheat.jobs.compute;

import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.simheat.jobs.output.FileWriteException;
import org.simheat.jobs.output.OutputBusyException;

/**
 * The one line for a run whose files could not be written (a failing or full disk): which run,
 * which output, which file and the file system's reason, however deep in Spark's exceptions the
 * {@link FileWriteException} came from.
 */
final class WriteFailure {
  private WriteFailure() {}

  /**
   * {@code e} as an {@link UncheckedIOException} saying {@code Cannot write run <id> to <out>:
   * <file>: <reason>} when a writer failed on a file; empty when {@code e} is the user's error (bad
   * input, a busy output) or another failure, which then stands as it is.
   */
  static Optional<UncheckedIOException> describe(Throwable e, String runId, Path out) {
    FileWriteException named = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof OutputBusyException) {
        return Optional.empty();
      }
      if (t instanceof FileWriteException f) {
        named = f;
      }
    }
    if (named == null) {
      return Optional.empty();
    }
    UncheckedIOException described =
        new UncheckedIOException(
            "Cannot write run "
                + runId
                + " to "
                + out
                + ": "
                + named.file()
                + ": "
                + named.reason(),
            named);
    described.addSuppressed(e);
    return Optional.of(described);
  }
}
