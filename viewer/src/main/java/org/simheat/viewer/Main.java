package org.simheat.viewer;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.simheat.viewer.service.ServiceFactory;
import org.simheat.viewer.service.ViewerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The viewer's command line ({@code view --data DIR …}) and its error handling: one line per
 * failure, no stack trace (unexpected failures log theirs at debug). The only class of the viewer
 * that calls {@link System#exit}.
 */
@Command(
    name = "simheat",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Serve simheat runs to a browser: zoomable similarity heatmaps.")
public final class Main implements Runnable {
  /** Exit code for bad input or usage. */
  static final int BAD_INPUT = 2;

  /** Exit code for failures that are not the user's input. */
  static final int FAILED = 1;

  /** Opens the service over a data directory; {@link ServiceFactory#open} outside tests. */
  @FunctionalInterface
  interface ServiceOpener {
    /**
     * Opens the runs under a directory.
     *
     * @throws IllegalArgumentException if the directory holds no run
     */
    ViewerService open(Path dataDir, long cacheBytes);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs the command line, then exits with its code once the server (if any) has stopped. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line on standard output and error; returns the exit code (0, 1 for a failure,
   * 2 for bad input). {@code view} returns once its server stops.
   */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        ServiceFactory::open,
        args);
  }

  /** Runs the command line with the given writers and service opener; returns the exit code. */
  static int execute(PrintWriter out, PrintWriter err, ServiceOpener opener, String... args) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.addSubcommand(new CommandLine(new ViewCommand(opener)));
    cmd.setOut(out).setErr(err);
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, err));
    cmd.setParameterExceptionHandler(
        (e, arguments) -> {
          String help = e.getCommandLine().getCommandSpec().qualifiedName() + " --help";
          err.println("simheat: " + e.getMessage() + " (see " + help + ")");
          err.flush();
          return BAD_INPUT;
        });
    return cmd.execute(args);
  }

  private static int report(Exception e, PrintWriter err) {
    if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      err.println("simheat: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
    // Looked up here, not in a static field: --help and bad arguments never start logging.
    Logger log = LoggerFactory.getLogger(Main.class);
    log.debug("view failed", e);
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    err.println("simheat: failed: " + message);
    err.flush();
    return FAILED;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"simheat viewer " + (v == null ? "(development build)" : v)};
    }
  }
}
