package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.viewer.service.ServiceFactory;
import org.simheat.viewer.testing.MatrixViewerService;

/** The command line in-process: exit codes and the single line printed per failure. */
class MainTest {
  private static final Pattern URL = Pattern.compile("at (http://\\S+)");

  @TempDir Path tmp;

  /** What a command printed and returned. */
  record Outcome(int code, String out, String err) {}

  private static Outcome run(Main.ServiceOpener opener, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), opener, args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static Outcome run(String... args) {
    return run(ServiceFactory::open, args);
  }

  @Test
  void helpExitsZero() {
    Outcome top = run("--help");
    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("Usage: simheat").contains("view");
    Outcome view = run("view", "--help");
    assertThat(view.code()).isZero();
    assertThat(view.out())
        .contains("--data=DIR")
        .contains("--host=HOST")
        .contains("--port=PORT")
        .contains("--token=T")
        .contains("--cache-mb=MB")
        .contains("--request-timeout=S")
        .contains("--idle-timeout=S");
    assertThat(run("--version").out()).startsWith("simheat viewer ");
  }

  @Test
  void aMissingDataDirectoryIsOneLineAndExit2() {
    Path missing = tmp.resolve("nope");
    Outcome o = run("view", "--data", missing.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).isEqualTo("simheat: Cannot serve " + missing + ": no such directory\n");
  }

  @Test
  void badArgumentsAreOneLineAndExit2() {
    assertOneLine(
        run("view"), "simheat: Missing required option: '--data=DIR' (see simheat view --help)");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--port", "http"),
        "simheat: Invalid value for option '--port': 'http' is not an int (see simheat view --help)");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--port", "70000"),
        "simheat: Cannot serve: port 70000 is not in 0..65535");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--cache-mb", "0"),
        "simheat: Cannot serve: --cache-mb 0 is not in 1..1048576");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--request-timeout", "0"),
        "simheat: Cannot serve: --request-timeout 0 is not in 1..86400");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--idle-timeout", "100000"),
        "simheat: Cannot serve: --idle-timeout 100000 is not in 1..86400");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--token", "short"),
        "simheat: Cannot serve: the token must be 8 to 256 characters from A-Z a-z 0-9 . _ ~ -");
    assertOneLine(
        run("view", "--data", tmp.toString(), "--host", "no-such-host.invalid"),
        "simheat: Cannot serve: unknown host 'no-such-host.invalid'");
    assertOneLine(
        run("serve"), "simheat: Unmatched argument at index 0: 'serve' (see simheat --help)");
  }

  @Test
  void anUnexpectedFailureIsOneLineAndExit1() {
    Main.ServiceOpener broken =
        (dir, cacheBytes) -> {
          throw new IllegalStateException("the disk went away");
        };
    Outcome o = run(broken, "view", "--data", tmp.toString(), "--port", "0");
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err()).isEqualTo("simheat: failed: the disk went away\n");
  }

  @Test
  void viewServesPrintsTheUrlAndStopsWhenInterrupted() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path[] opened = new Path[1];
    long[] cache = new long[1];
    Main.ServiceOpener opener =
        (dir, bytes) -> {
          opened[0] = dir;
          cache[0] = bytes;
          return new MatrixViewerService();
        };
    AtomicInteger code = new AtomicInteger(-1);
    Thread view =
        new Thread(
            () ->
                code.set(
                    Main.execute(
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        opener,
                        "view",
                        "--data",
                        tmp.toString(),
                        "--port",
                        "0",
                        "--cache-mb",
                        "16",
                        "--token",
                        "cli-token-123")),
            "view-command");
    view.start();
    String url = awaitUrl(out, view);
    assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=cli-token-123");
    assertThat(opened[0]).isEqualTo(tmp);
    assertThat(cache[0]).isEqualTo(16L << 20);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI health = URI.create(url.replace("/?", "/healthz?"));
    HttpResponse<String> r =
        client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    URI noToken = URI.create(url.substring(0, url.indexOf('?')) + "healthz");
    assertThat(
            client
                .send(HttpRequest.newBuilder(noToken).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    view.interrupt();
    view.join();
    assertThat(code.get()).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void theTileCacheDefaultsTo64MiBOrAnEighthOfTheHeap() throws Exception {
    StringWriter out = new StringWriter();
    long[] cache = new long[1];
    Main.ServiceOpener opener =
        (dir, bytes) -> {
          cache[0] = bytes;
          return new MatrixViewerService();
        };
    Thread view =
        new Thread(
            () ->
                Main.execute(
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    opener,
                    "view",
                    "--data",
                    tmp.toString(),
                    "--port",
                    "0"),
            "view-command");
    view.start();
    awaitUrl(out, view);
    view.interrupt();
    view.join();

    assertThat(cache[0]).isEqualTo(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8));
  }

  @Test
  void tokensAreGeneratedOnlyForNonLoopbackHosts() throws Exception {
    assertThat(ViewCommand.accessToken("127.0.0.1", null)).isNull();
    assertThat(ViewCommand.accessToken("localhost", null)).isNull();
    assertThat(ViewCommand.accessToken("::1", null)).isNull();
    assertThat(ViewCommand.accessToken("0.0.0.0", null)).hasSize(32);
    assertThat(ViewCommand.accessToken("0.0.0.0", "given-token")).isEqualTo("given-token");
    assertThat(ViewCommand.accessToken("127.0.0.1", "given-token")).isEqualTo("given-token");
  }

  @Test
  void pageUrls() throws Exception {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);
    assertThat(ViewCommand.pageUrl("127.0.0.1", loopback, null))
        .isEqualTo("http://127.0.0.1:8080/");
    assertThat(ViewCommand.pageUrl("localhost", loopback, "t0k3n-abc"))
        .isEqualTo("http://localhost:8080/?token=t0k3n-abc");
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 9000);
    assertThat(ViewCommand.pageUrl("::1", v6, null)).isEqualTo("http://[::1]:9000/");
    InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 80);
    assertThat(ViewCommand.pageUrl("0.0.0.0", any, "t0k3n-abc"))
        .doesNotContain("0.0.0.0")
        .endsWith(":80/?token=t0k3n-abc");
  }

  private static void assertOneLine(Outcome o, String line) {
    assertThat(o.code()).as(o.err()).isEqualTo(2);
    assertThat(o.err()).isEqualTo(line + "\n");
  }

  private static String awaitUrl(StringWriter out, Thread view) throws InterruptedException {
    while (true) {
      Matcher m = URL.matcher(out.toString());
      if (m.find()) {
        return m.group(1);
      }
      if (!view.isAlive()) {
        throw new AssertionError("view exited early: " + out);
      }
      Thread.sleep(10);
    }
  }
}
