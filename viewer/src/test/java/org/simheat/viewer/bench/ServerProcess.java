package org.simheat.viewer.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A viewer in its own JVM, started exactly as a user starts it ({@code simheat view --data DIR
 * --port 0 --cache-mb MB}, main class {@code org.simheat.viewer.Main}) with a fixed heap, and what
 * {@code jcmd} and {@code /proc} say about its memory.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING =
      Pattern.compile("serving .* at http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern BLAS = Pattern.compile("Live tiles multiply with (.*)");
  private static final Pattern HEAP = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final long START_SECONDS = 60;

  private static final Pattern GC_PAUSE =
      Pattern.compile("\\[([0-9.]+)s\\].*Pause.*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final Process process;
  private final int port;
  private final Path log;

  /**
   * One collection from the GC log.
   *
   * @param seconds JVM uptime at the pause
   * @param afterMib heap in use after it
   */
  record Collection(double seconds, long afterMib) {}

  /**
   * Heap and resident memory of the server.
   *
   * @param usedBytes heap in use (live and not yet collected objects)
   * @param committedBytes heap the JVM has reserved from the OS
   * @param rssBytes resident set of the whole process
   */
  record Memory(long usedBytes, long committedBytes, long rssBytes) {}

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a viewer over {@code dataDir} with {@code -Xmx<heap>}, {@code jvmOptions}, the class
   * path of this JVM and {@code --cache-mb} when {@code cacheMb} is positive (else its default);
   * its output goes to {@code log}. Returns once it listens.
   *
   * @throws IOException if the JVM cannot be started
   * @throws IllegalStateException if it exits or does not listen within a minute
   */
  static ServerProcess start(
      Path dataDir, String heap, List<String> jvmOptions, int cacheMb, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-Xlog:gc:file=" + gcLog(log));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.simheat.viewer.Main",
            "view",
            "--data",
            dataDir.toString(),
            "--port",
            "0"));
    if (cacheMb > 0) {
      command.addAll(List.of("--cache-mb", Integer.toString(cacheMb)));
    }
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OPENBLAS_NUM_THREADS", "1");
    Process p = builder.start();
    return new ServerProcess(p, awaitPort(p, log), log);
  }

  private static int awaitPort(Process p, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (true) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      Matcher m = SERVING.matcher(text);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("The viewer did not start; its output:\n" + text);
      }
      Thread.sleep(50);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  private static Path gcLog(Path log) {
    return log.resolveSibling(log.getFileName().toString().replace(".log", "") + "-gc.log");
  }

  /** JVM uptime in seconds now, by the process's start time. */
  double uptimeSeconds() {
    return process
        .info()
        .startInstant()
        .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis() / 1e3)
        .orElse(Double.NaN);
  }

  /**
   * The pauses logged so far: uptime and heap in use after each.
   *
   * @throws IOException if the GC log cannot be read
   */
  List<Collection> collections() throws IOException {
    List<Collection> out = new ArrayList<>();
    for (String line : Files.readAllLines(gcLog(log), StandardCharsets.ISO_8859_1)) {
      Matcher m = GC_PAUSE.matcher(line);
      if (m.find()) {
        out.add(new Collection(Double.parseDouble(m.group(1)), Long.parseLong(m.group(3))));
      }
    }
    return out;
  }

  /** The BLAS the server's live tiles use, as it logged it. */
  String blas() throws IOException {
    Matcher m = BLAS.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1).strip() : "unknown";
  }

  /**
   * The server's memory now; with {@code fullGc} after {@code jcmd GC.run} (a full collection), so
   * that {@code usedBytes} is what the server really holds.
   *
   * @throws IOException if jcmd cannot be run or its output not understood
   */
  Memory memory(boolean fullGc) throws IOException, InterruptedException {
    if (fullGc) {
      jcmd("GC.run");
    }
    String info = jcmd("GC.heap_info");
    Matcher heap = HEAP.matcher(info);
    if (!heap.find()) {
      throw new IOException("Cannot read jcmd GC.heap_info:\n" + info);
    }
    String status = Files.readString(Path.of("/proc", Long.toString(pid()), "status"));
    Matcher rss = RSS.matcher(status);
    return new Memory(
        Long.parseLong(heap.group(2)) << 10,
        Long.parseLong(heap.group(1)) << 10,
        rss.find() ? Long.parseLong(rss.group(1)) << 10 : -1);
  }

  private String jcmd(String what) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), what)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("jcmd " + pid() + " " + what + " failed:\n" + out);
    }
    return out;
  }

  /** Stops the server (SIGTERM, its shutdown hook closes it) and waits for it to exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
