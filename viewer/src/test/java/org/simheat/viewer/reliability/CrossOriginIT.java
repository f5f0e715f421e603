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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.CapturedLog;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.HeadlessChromium;

/**
 * What pages of other origins can do with the viewer, in real Chromium. A page on loopback
 * (Jupyter, in the notebooks) gets the viewer in an IFrame and loads its bundled scripts; a page of
 * another site gets an empty frame (the page's {@code frame-ancestors}), and its images, scripts
 * and fetches of the API are refused by the server before any work, whether the browser sends
 * {@code Origin} or only its fetch metadata.
 *
 * <p>The other pages are served by a second server on loopback; Chromium resolves {@code
 * evil.example} to 127.0.0.1, so the same page also comes from a foreign origin.
 */
class CrossOriginIT {
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
    serve("/frame.html", page);
    serve("/blank.html", "<!doctype html><title>another page</title>");
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

  private static void serve(String path, String html) {
    framer.createContext(
        path,
        exchange -> {
          byte[] body = html.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
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

  @Test
  void aPageOfAnotherSiteCannotMakeTheViewerComputeAnything() throws IOException {
    String api = "http://127.0.0.1:" + viewer.port() + "/api/runs/latest";
    try (CapturedLog log = CapturedLog.of("org.simheat.viewer.http.RequestHandler")) {
      blank("http://evil.example:");
      browser.evaluate(
          "(() => { const i = new Image(); i.src = '"
              + api
              + "/view?res=512'; document.body.append(i);"
              + " fetch('"
              + api
              + "/tokens?q=a', {mode: 'no-cors'}).catch(() => {});"
              + " fetch('"
              + api
              + "/manifest').catch(() => {}); return true; })()");
      List<String> refused = new ArrayList<>();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (refused.size() < 3 && System.nanoTime() < deadline) {
        refused = log.lines().stream().filter(l -> l.startsWith("WARN Refused 403")).toList();
        pause();
      }
      assertThat(refused)
          .hasSize(3)
          .anyMatch(l -> l.contains("'/api/runs/latest/view'") && l.contains("'image'"))
          .anyMatch(l -> l.contains("'/api/runs/latest/tokens'") && l.contains("cross-site"))
          .anyMatch(
              l ->
                  l.contains("'/api/runs/latest/manifest'")
                      && l.endsWith(
                          "cross-origin request from 'http://evil.example:"
                              + framer.getAddress().getPort()
                              + "'"));
      browser.takeViolations();
    }
  }

  @Test
  void aPageOnLoopbackLoadsTheBundledScriptsAsTheNotebooksDo() throws IOException {
    blank("http://localhost:");
    browser.evaluate(
        "new Promise((ok, no) => { const s = document.createElement('script');"
            + " s.src = 'http://127.0.0.1:"
            + viewer.port()
            + "/vendor/vega.min.js'; s.onload = ok; s.onerror = no; document.head.append(s); })");
    assertThat(browser.evaluate("typeof vega.View").asText()).isEqualTo("function");
  }

  /** Opens the page without a frame, at a scheme and host followed by the other server's port. */
  private static void blank(String schemeAndHost) throws IOException {
    browser.navigate(URI.create("about:blank"), PATIENCE);
    browser.navigate(
        URI.create(schemeAndHost + framer.getAddress().getPort() + "/blank.html"), PATIENCE);
  }

  private static void pause() throws IOException {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    }
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
