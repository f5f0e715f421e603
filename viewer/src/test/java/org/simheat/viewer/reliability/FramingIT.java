package org.simheat.viewer.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.HeadlessChromium;

/**
 * Who may frame the page, in real Chromium: a page on loopback (as Jupyter shows the viewer in the
 * notebooks' IFrames) gets the viewer in its frame, a page of another site gets nothing, and the
 * refusal is the page's {@code frame-ancestors} policy at work.
 *
 * <p>The framing page is served by a second server on loopback; Chromium resolves {@code
 * evil.example} to 127.0.0.1, so the same page also comes from a foreign origin.
 */
class FramingIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static ViewerServer viewer;
  private static HttpServer framer;
  private static HeadlessChromium chromium;
  private static BrowserPage browser;

  @BeforeAll
  static void start() throws IOException {
    assertThat(HeadlessChromium.isAvailable()).as("chromium is missing").isTrue();
    viewer =
        ViewerServer.start(new RunService(Fixture.dataDir()), ServerOptions.defaults().withPort(0));
    String page =
        "<!doctype html><iframe id=\"v\" width=\"800\" height=\"500\" src=\"http://127.0.0.1:"
            + viewer.port()
            + "/\"></iframe>";
    framer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    framer.createContext(
        "/frame.html",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    framer.start();
    chromium =
        HeadlessChromium.launch(
            Path.of(System.getProperty("java.io.tmpdir")),
            1000,
            700,
            PATIENCE,
            List.of(
                "--host-resolver-rules=MAP evil.example 127.0.0.1",
                // One process for every frame, so that the tab's frame tree shows the iframe's.
                "--disable-site-isolation-trials",
                "--disable-features=IsolateOrigins,site-per-process"));
    browser = chromium.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (framer != null) {
      framer.stop(0);
    }
    if (viewer != null) {
      viewer.close();
    }
  }

  @Test
  void aPageOnLoopbackFramesTheViewer() throws IOException {
    JsonNode child = open("http://localhost:" + framer.getAddress().getPort() + "/frame.html");
    assertThat(child.path("url").asText()).isEqualTo("http://127.0.0.1:" + viewer.port() + "/");
    assertThat(child.has("unreachableUrl")).isFalse();
    assertThat(browser.takeViolations()).isEmpty();
  }

  @Test
  void aPageOfAnotherSiteCannotFrameTheViewer() throws IOException {
    String url = "http://evil.example:" + framer.getAddress().getPort() + "/frame.html";
    browser.navigate(URI.create("about:blank"), PATIENCE);
    IOException refused = null;
    try {
      browser.navigate(URI.create(url), PATIENCE);
      browser.waitUntil("false", PATIENCE);
    } catch (IOException e) {
      refused = e;
    }
    assertThat(refused)
        .as("the page test's guard reports the refusal")
        .hasMessageContaining("Content-Security-Policy violations: Framing 'http://127.0.0.1:")
        .hasMessageContaining("frame-ancestors");
    JsonNode child = browser.frameTree().path("childFrames").path(0).path("frame");
    assertThat(child.path("url").asText())
        .as(child.toString())
        .doesNotStartWith("http://127.0.0.1");
    browser.takeViolations();
  }

  /** Opens the framing page and returns its iframe's frame once the viewer's page has loaded. */
  private static JsonNode open(String url) throws IOException {
    browser.navigate(URI.create("about:blank"), PATIENCE);
    browser.navigate(URI.create(url), PATIENCE);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode child = browser.frameTree().path("childFrames").path(0).path("frame");
    while (!child.path("url").asText().startsWith("http") && System.nanoTime() < deadline) {
      browser.waitUntil("true", PATIENCE);
      child = browser.frameTree().path("childFrames").path(0).path("frame");
    }
    return child;
  }
}
