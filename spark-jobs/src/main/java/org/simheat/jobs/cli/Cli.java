package org.simheat.jobs.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.simheat.jobs.output.OutputBusyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code simheat} command and its error handling: one line per failure, no stack trace. */
@Command(
    name = "simheat",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = "Similarity heatmaps of a model's vocabulary, at any size.",
    subcommands = {
      ComputeCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      SaliencyCommand.class,
      WatchCommand.class
    })
public final class Cli implements Runnable {
  /** Exit code for bad input or usage. */
  static final int BAD_INPUT = 2;

  /** Exit code for failures that are not the user's input. */
  static final int FAILED = 1;

  /** Exit code when another compute holds the output's lock (EX_TEMPFAIL: try again later). */
  static final int BUSY = 75;

  private static final String VERBOSE_HINT = " (--verbose shows the stack trace)";

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; for tests and embedding. */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line with the given output and error writers; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cmd = new CommandLine(new Cli()).setOut(out).setErr(err);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> report(e, commandLine.getErr(), verbose));
    cmd.setParameterExceptionHandler(
        (e, arguments) -> {
          String help = e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
          e.getCommandLine().getErr().println("simheat: " + e.getMessage() + " (see " + help + ")");
          e.getCommandLine().getErr().flush();
          return BAD_INPUT;
        });
    return cmd.execute(args);
  }

  private static int report(Exception e, PrintWriter err, boolean verbose) {
    err.println("simheat: " + oneLine(e) + (verbose || userError(e) != null ? "" : VERBOSE_HINT));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  /** The one line that tells a user what failed: their error's message, or the root cause. */
  static String oneLine(Throwable e) {
    return (userError(e) != null ? "" : "failed: ") + reason(e);
  }

  /** Why something failed, in one line: the user's error's message, or the root cause's. */
  static String reason(Throwable e) {
    Throwable cause = userError(e);
    if (cause != null) {
      return cause.getMessage();
    }
    Throwable root = rootCause(e);
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** The exit code for a failure: {@link #BUSY}, {@link #BAD_INPUT} or {@link #FAILED}. */
  static int exitCode(Throwable e) {
    Throwable cause = userError(e);
    if (cause == null) {
      return FAILED;
    }
    return cause instanceof OutputBusyException ? BUSY : BAD_INPUT;
  }

  /**
   * The user-facing error in a chain: a held lock, or an IllegalArgumentException, even wrapped by
   * Spark.
   */
  private static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutputBusyException) {
        return t;
      }
      if (t instanceof IllegalArgumentException && t.getMessage() != null) {
        return t;
      }
      if (t instanceof UncheckedIOException
          && t.getMessage() != null
          && t.getMessage().startsWith("Cannot")) {
        return t;
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"simheat " + (v == null ? "(development build)" : v)};
    }
  }
}
