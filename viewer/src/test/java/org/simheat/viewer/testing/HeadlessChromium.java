package org.simheat.viewer.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium for browser tests: one-shot command-line runs that dump the DOM or
 * take a screenshot, and a long-lived browser driven over the DevTools protocol ({@link #launch})
 * for tests that wait for conditions, type, or read pixels.
 *
 * <p>Every run gets a fresh profile directory and the flags that keep Chromium offline and quiet.
 * The executable is {@code /usr/bin/chromium} unless the {@code SIMHEAT_CHROMIUM} environment
 * variable names another.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-quic",
          "--hide-scrollbars",
          "--mute-audio");

  private final Process process;
  private final Path profile;
  private final DevToolsConnection devTools;
  private final BrowserPage page;

  private HeadlessChromium(
      Process process, Path profile, DevToolsConnection devTools, BrowserPage page) {
    this.process = process;
    this.profile = profile;
    this.devTools = devTools;
    this.page = page;
  }

  /** The Chromium executable: {@code $SIMHEAT_CHROMIUM}, else {@code /usr/bin/chromium}. */
  public static Path executable() {
    String override = System.getenv("SIMHEAT_CHROMIUM");
    return Path.of(override == null || override.isBlank() ? "/usr/bin/chromium" : override);
  }

  /** Whether the executable exists (on Debian: {@code apt-get install -y chromium}). */
  public static boolean isAvailable() {
    return Files.isExecutable(executable());
  }

  /**
   * Loads a URL, lets its scripts run for up to {@code budget} of virtual time, and returns the
   * serialised DOM.
   *
   * @throws IOException if Chromium cannot be started or exits with an error
   */
  public static String dumpDom(URI url, int width, int height, Duration budget, Path workDir)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--virtual-time-budget=" + budget.toMillis()));
    args.add("--window-size=" + width + "," + height);
    args.add("--dump-dom");
    return runOnce(url, args, workDir);
  }

  /**
   * Loads a URL in a window of the given size and saves a PNG screenshot once its scripts have had
   * {@code budget} of virtual time.
   *
   * @throws IOException if Chromium cannot be started, exits with an error or writes no file
   */
  public static void screenshot(
      URI url, Path png, int width, int height, Duration budget, Path workDir) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    List<String> args = new ArrayList<>(List.of("--virtual-time-budget=" + budget.toMillis()));
    args.add("--window-size=" + width + "," + height);
    args.add("--screenshot=" + png.toAbsolutePath());
    runOnce(url, args, workDir);
    if (!Files.isRegularFile(png)) {
      throw new IOException("Chromium wrote no screenshot of " + url + " to " + png);
    }
  }

  /**
   * Starts Chromium with a DevTools endpoint on an ephemeral loopback port and attaches to its
   * first tab, sized {@code width × height} CSS pixels at device scale 1.
   *
   * @param timeout how long any single DevTools step may take before the launch fails
   * @throws IOException if Chromium cannot be started or its DevTools endpoint not reached
   */
  public static HeadlessChromium launch(Path workDir, int width, int height, Duration timeout)
      throws IOException {
    return launch(workDir, width, height, timeout, List.of());
  }

  /**
   * As {@link #launch(Path, int, int, Duration)}, with more command-line flags (such as {@code
   * --host-resolver-rules=MAP evil.example 127.0.0.1}, to serve a page under a foreign name).
   *
   * @throws IOException if Chromium cannot be started or its DevTools endpoint not reached
   */
  public static HeadlessChromium launch(
      Path workDir, int width, int height, Duration timeout, List<String> flags)
      throws IOException {
    Path profile = Files.createTempDirectory(Files.createDirectories(workDir), "chromium-");
    List<String> command = command(profile);
    command.addAll(flags);
    command.add("--remote-debugging-address=127.0.0.1");
    command.add("--remote-debugging-port=0");
    command.add("--window-size=" + width + "," + height);
    command.add("about:blank");
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      URI endpoint = awaitEndpoint(process, timeout);
      DevToolsConnection devTools = DevToolsConnection.open(endpoint, timeout);
      BrowserPage page = BrowserPage.attach(devTools, width, height);
      return new HeadlessChromium(process, profile, devTools, page);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      deleteTree(profile);
      throw e;
    }
  }

  /** The tab this browser drives. */
  public BrowserPage page() {
    return page;
  }

  /**
   * Closes the browser, waits for the process to end and deletes the profile.
   *
   * @throws IOException if the page violated its Content-Security-Policy since the last check
   */
  @Override
  public void close() throws IOException {
    try {
      devTools.send(null, "Browser.close", null);
    } catch (IOException e) {
      process.destroy();
    } finally {
      devTools.close();
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteTree(profile);
    page.assertNoViolations();
  }

  private static String runOnce(URI url, List<String> extra, Path workDir) throws IOException {
    Path profile = Files.createTempDirectory(Files.createDirectories(workDir), "chromium-");
    List<String> command = command(profile);
    command.addAll(extra);
    command.add(url.toString());
    Path err = profile.resolveSibling(profile.getFileName() + ".log");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      if (status != 0) {
        throw new IOException(
            "Chromium exited with " + status + " on " + url + " (log: " + err + ")");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("Interrupted while Chromium loaded " + url, e);
    } finally {
      deleteTree(profile);
    }
  }

  private static List<String> command(Path profile) {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile.toAbsolutePath());
    return command;
  }

  /** Reads stderr on its own thread (so Chromium never blocks on it) until the endpoint appears. */
  private static URI awaitEndpoint(Process process, Duration timeout) throws IOException {
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                  Matcher m = DEVTOOLS.matcher(line);
                  if (m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                  }
                }
                endpoint.completeExceptionally(new IOException("Chromium ended before DevTools"));
              } catch (IOException e) {
                endpoint.completeExceptionally(e);
              }
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return endpoint.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for Chromium's DevTools endpoint", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("Chromium printed no DevTools endpoint (" + executable() + ")", e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A profile left behind under target/ is harmless; the next clean removes it.
    }
  }
}
