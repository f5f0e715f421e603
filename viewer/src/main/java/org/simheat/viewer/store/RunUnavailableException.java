package org.simheat.viewer.store;

/**
 * A run that cannot be served: unknown, deleted, or refused because its manifest is unreadable or
 * disagrees with its tables. The message is fit for a client: it names the run, never a path.
 */
public final class RunUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A refusal with a client-safe message. */
  public RunUnavailableException(String message) {
    super(message, null, false, false);
  }
}
