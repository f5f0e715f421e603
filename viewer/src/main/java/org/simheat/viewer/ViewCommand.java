package org.simheat.viewer;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.ViewerService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simheat view}: serves the runs under a data directory until the process is stopped,
 * printing the URL to open (with the access token when one is needed).
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = "Serve the runs under DIR to a browser; prints the URL to open.")
final class ViewCommand implements Callable<Integer> {
  private static final long MAX_CACHE_MB = 1L << 20;
  private static final long DEFAULT_CACHE_MB = 64;
  private static final int MAX_TIMEOUT_SECONDS = 86_400;

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Output directory of compute (holds LATEST and runs/).")
  Path data;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ServerOptions.DEFAULT_HOST,
      description =
          "Address to bind (default: ${DEFAULT-VALUE}); a non-loopback one needs a token.")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--token",
      paramLabel = "T",
      description =
          "Access token every request must carry (8+ characters of A-Z a-z 0-9 . _ ~ -); "
              + "generated and printed when HOST is not loopback and none is given.")
  String token;

  @Option(
      names = "--cache-mb",
      paramLabel = "MB",
      description =
          "Memory for decoded tiles, in MiB (default: 64, or an eighth of the heap if that is"
              + " less).")
  long cacheMb;

  @Option(
      names = "--request-timeout",
      paramLabel = "S",
      defaultValue = "20",
      description =
          "Seconds a request may take to arrive whole, from its first byte; a slower one gets 408"
              + " and its connection closes. Also how long an answer its client does not read may"
              + " hold back other calls (default: ${DEFAULT-VALUE}).")
  int requestTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "S",
      defaultValue = "120",
      description =
          "Seconds a connection may stay with nothing read or written before it is closed"
              + " (default: ${DEFAULT-VALUE}).")
  int idleTimeout;

  private final Main.ServiceOpener opener;

  ViewCommand(Main.ServiceOpener opener) {
    this.opener = opener;
  }

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    String accessToken = accessToken(host, token);
    if (accessToken != null && token == null) {
      out.println("simheat: " + host + " is not loopback: generated access token " + accessToken);
    }
    ServerOptions options =
        ServerOptions.defaults()
            .withHost(host)
            .withPort(port)
            .withToken(accessToken)
            .withTimeouts(Duration.ofSeconds(requestTimeout), Duration.ofSeconds(idleTimeout));
    ViewerService service = opener.open(data, cacheBytes());
    try (ViewerServer server = ViewerServer.start(service, options)) {
      String url = pageUrl(host, server.address(), accessToken);
      out.println("simheat: serving " + data + " at " + url);
      out.flush();
      serveUntilStopped(server);
    } finally {
      closeService(service, spec.commandLine().getErr());
    }
    return 0;
  }

  /** The tile cache's bound: {@code --cache-mb}, else 64 MiB or an eighth of the heap. */
  private long cacheBytes() {
    if (spec.commandLine().getParseResult().hasMatchedOption("--cache-mb")) {
      return cacheMb << 20;
    }
    return Math.min(DEFAULT_CACHE_MB << 20, Runtime.getRuntime().maxMemory() / 8);
  }

  private void validate() {
    if (!Files.isDirectory(data)) {
      throw new IllegalArgumentException("Cannot serve " + data + ": no such directory");
    }
    boolean given = spec.commandLine().getParseResult().hasMatchedOption("--cache-mb");
    if (given && (cacheMb < 1 || cacheMb > MAX_CACHE_MB)) {
      throw new IllegalArgumentException(
          "Cannot serve: --cache-mb " + cacheMb + " is not in 1.." + MAX_CACHE_MB);
    }
    checkSeconds("--request-timeout", requestTimeout);
    checkSeconds("--idle-timeout", idleTimeout);
  }

  private static void checkSeconds(String option, int seconds) {
    if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException(
          "Cannot serve: " + option + " " + seconds + " is not in 1.." + MAX_TIMEOUT_SECONDS);
    }
  }

  /**
   * Blocks until the server closes (a shutdown hook closes it on Ctrl-C) or this thread is
   * interrupted.
   */
  private static void serveUntilStopped(ViewerServer server) {
    Thread hook = new Thread(server::close, "simheat-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      removeHook(hook);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and runs the hook itself.
    }
  }

  private static void closeService(ViewerService service, PrintWriter err) {
    if (service instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        err.println("simheat: warning: cannot close the viewer service: " + e.getMessage());
      }
    }
  }

  /**
   * The token the server needs: the given one, else a generated one when {@code host} is not a
   * loopback address, else none.
   *
   * @throws IllegalArgumentException if the host name cannot be resolved
   */
  static String accessToken(String host, String token) {
    if (token != null) {
      return token;
    }
    return isLoopback(host) ? null : ServerOptions.newToken();
  }

  /**
   * The URL to open: the bound address (this machine's name when bound to every interface) with the
   * token as {@code ?token=} when there is one.
   */
  static String pageUrl(String host, InetSocketAddress bound, String token) {
    InetAddress address = bound.getAddress();
    String name = address.isAnyLocalAddress() ? localHostName() : host;
    if (name.contains(":") && !name.startsWith("[")) {
      name = "[" + name + "]";
    }
    String query = token == null ? "" : "?token=" + token;
    return "http://" + name + ":" + bound.getPort() + "/" + query;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("Cannot serve: unknown host '" + host + "'", e);
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }
}
