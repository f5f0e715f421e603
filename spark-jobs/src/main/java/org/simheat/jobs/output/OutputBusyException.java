package org.simheat.jobs.output;

/**
 * Thrown when another live compute holds an output directory's lock; the message is one line that
 * names the holder. The command line exits with its own code for it, so schedulers can retry.
 */
public final class OutputBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutputBusyException(String message) {
    super(message);
  }
}
