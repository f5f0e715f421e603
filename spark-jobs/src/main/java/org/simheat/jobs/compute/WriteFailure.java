package org.simheat.jobs.compute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.simheat.jobs.output.OutputBusyException;

/**
 * The one line for a run whose files could not be written (a failing or full disk): which run,
 * which output, which file and the file system's reason, however deep in Spark's exceptions the
 * failure came from.
 */
final class WriteFailure {
  private static final String CANNOT_WRITE = "Cannot write ";

  private WriteFailure() {}

  /**
   * {@code e} as an {@link UncheckedIOException} saying {@code Cannot write run <id> to <out>:
   * <file>: <reason>} when a writer that names its file failed; empty when {@code e} is the user's
   * error (bad input, a busy output) or another failure, which then stands as it is.
   */
  static Optional<UncheckedIOException> describe(Throwable e, String runId, Path out) {
    Throwable named = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IllegalArgumentException || t instanceof OutputBusyException) {
        return Optional.empty();
      }
      if ((t instanceof IOException || t instanceof UncheckedIOException)
          && t.getMessage() != null
          && t.getMessage().startsWith(CANNOT_WRITE)) {
        named = t;
      }
    }
    if (named == null) {
      return Optional.empty();
    }
    String detail = named.getMessage().substring(CANNOT_WRITE.length());
    UncheckedIOException described =
        new UncheckedIOException(
            CANNOT_WRITE + "run " + runId + " to " + out + ": " + detail,
            named instanceof IOException io ? io : new IOException(named));
    described.addSuppressed(e);
    return Optional.of(described);
  }
}
