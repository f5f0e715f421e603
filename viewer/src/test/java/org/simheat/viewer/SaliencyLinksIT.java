package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.RunLayout;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.HeadlessChromium;
import org.simheat.viewer.testing.SaliencyFixture;

/**
 * The links between the heatmap and saliency in real headless Chromium, over the fixture run (600
 * tokens) and a document inside it whose tokens have known vocabulary positions: {@code h} on a
 * focused token opens the heatmap with the crosshair on that position, and the selection panel's
 * link opens the saliency page focused on the row token's first occurrence.
 */
class SaliencyLinksIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"));
  private static final String RUN = "20261122T083811Z-b1a86a29";
  private static final int TOKENS = 12;

  @TempDir static Path out;
  private static ViewerServer server;
  private static HeadlessChromium chromium;
  private static BrowserPage page;
  private static URI base;
  private static int[] vocab;

  @BeforeAll
  static void start() throws IOException {
    assertThat(HeadlessChromium.isAvailable()).as("chromium is missing").isTrue();
    SaliencyFixture.copyFixtureRun(out);
    vocab = new int[TOKENS];
    for (int i = 0; i < TOKENS; i++) {
      vocab[i] = i % 4 == 3 || i == 1 ? -1 : 100 + 10 * i;
    }
    vocab[9] = vocab[2]; // position 120 occurs at 2 and 9
    Path dir = out.resolve(RunLayout.runDir(RUN)).resolve(RunLayout.SALIENCY);
    SaliencyFixture.write(
        dir,
        "links",
        "Links",
        List.of("F"),
        SaliencyFixture.text(TOKENS, 1, 3, false, 7),
        vocab,
        false);
    server = ViewerServer.start(new RunService(out), ServerOptions.defaults().withPort(0));
    base = URI.create("http://127.0.0.1:" + server.port() + "/");
    chromium = HeadlessChromium.launch(WORK, 1280, 800, PATIENCE);
    page = chromium.page();
  }

  @AfterEach
  void noScriptErrors() throws IOException {
    assertThat(page.evaluate("document.body.dataset.jsError || ''").asText()).isEmpty();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theKeyHOpensTheFocusedTokenInTheHeatmapAsACrosshair() throws IOException {
    open("saliency.html?doc=" + RUN + "~links&focus=5");
    page.waitUntil("!document.getElementById('heatmap-link').hidden", PATIENCE);
    page.press("h", 0);
    waitAcrossNavigation(
        "location.pathname === '/' && document.body.dataset.state === 'ready'"
            + " && document.getElementById('selection').innerText.includes('#150')");
    String hash = page.evaluate("location.hash").asText();
    assertThat(hash).contains("run=" + RUN).contains("sel=150,150");
    // A window of 48 positions around 150: [126, 174) on both axes.
    assertThat(hash).contains("x=126,174").contains("y=126,174");

    open("saliency.html?doc=" + RUN + "~links&focus=3");
    assertThat(page.evaluate("document.getElementById('heatmap-link').hidden").asBoolean())
        .as("a format token has no vocabulary position")
        .isTrue();
  }

  @Test
  void theSelectionPanelLinksToTheFirstOccurrenceOfTheRowToken() throws IOException {
    page.navigate(base.resolve("./#run=" + RUN + "&sel=120,7"), PATIENCE);
    page.waitUntil("document.querySelector('#selection .saliency-links a') !== null", PATIENCE);
    assertThat(
            page.evaluate("document.querySelector('#selection .saliency-links').innerText")
                .asText())
        .contains("1 of 1 saliency document")
        .contains("Links")
        .contains("2×, first at 2");
    double[] at = centre("#selection .saliency-links a");
    page.click(at[0], at[1], 1);
    waitAcrossNavigation(
        "location.pathname.endsWith('saliency.html') && document.body.dataset.state === 'ready'");
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(2);
    assertThat(page.evaluate("location.search").asText())
        .contains("doc=" + RUN + "~links".replace("~", "%7E"))
        .contains("focus=2");
  }

  private static void open(String target) throws IOException {
    page.navigate(base.resolve(target), PATIENCE);
    page.waitUntil("['ready', 'error'].includes(document.body.dataset.state)", PATIENCE);
    assertThat(page.evaluate("document.body.dataset.state").asText()).isEqualTo("ready");
  }

  /**
   * Waits for a condition on a page being navigated to: evaluation may fail until it has loaded.
   */
  private static void waitAcrossNavigation(String condition) throws IOException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        page.waitUntil(condition, Duration.ofSeconds(1));
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static double[] centre(String selector) throws IOException {
    JsonNode r =
        page.evaluate(
            "(() => { const e = document.querySelector(\""
                + selector
                + "\"); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    return new double[] {r.get(0).asDouble(), r.get(1).asDouble()};
  }
}
