package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.HeadlessChromium;
import org.simheat.viewer.testing.SimheatPage;

/**
 * The analyst's page in real headless Chromium: it renders a non-blank heatmap with the cells its
 * viewport implies; search, click, hover, wheel, box zoom, keys and the URL hash drive it; colour
 * domains apply; errors show; screenshots are kept under {@code target/screenshots}.
 *
 * <p>By default the real server and service serve the committed fixture run on port 0. Set {@code
 * -Dsimheat.page.baseUrl=http://127.0.0.1:PORT/} to test a running viewer instead; it must serve
 * the fixture run ({@code src/test/resources/fixture/out}) as its latest run.
 */
class PageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"));
  private static final String WHITE = "rgb(255, 255, 255)";

  private static ViewerServer server;
  private static HeadlessChromium chromium;
  private static SimheatPage page;
  private static BrowserPage browser;

  @BeforeAll
  static void start() throws IOException, URISyntaxException {
    assertThat(HeadlessChromium.isAvailable())
        .as("%s is missing: apt-get install -y chromium", HeadlessChromium.executable())
        .isTrue();
    String external = System.getProperty("simheat.page.baseUrl", "");
    URI base;
    if (external.isBlank()) {
      Path runs = Path.of(PageIT.class.getResource("/fixture/out/LATEST").toURI()).getParent();
      server = ViewerServer.start(new RunService(runs), ServerOptions.defaults().withPort(0));
      base = URI.create("http://127.0.0.1:" + server.port() + "/");
    } else {
      base = URI.create(external.endsWith("/") ? external : external + "/");
    }
    chromium = HeadlessChromium.launch(WORK, 1280, 800, PATIENCE);
    browser = chromium.page();
    page = new SimheatPage(browser, base, PATIENCE);
  }

  @AfterEach
  void noScriptErrors() throws IOException {
    assertThat(page.data("jsError")).as("uncaught script error").isEmpty();
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
  void rendersTheWholeMatrixWithTheCellsItsViewportImplies() throws IOException {
    page.open("");

    assertThat(page.data("view")).isEqualTo("0,600,0,600");
    assertCellsMatchViewport(128);
    assertThat(page.canvasColours()).as("distinct colours on the canvas").isGreaterThan(40);
    assertThat(
            browser
                .evaluate(
                    "[...document.querySelectorAll('#chart .vega-actions a')]"
                        + ".map(a => a.textContent).join('|')")
                .asText())
        .as("vega-embed's export actions")
        .contains("SVG", "PNG");
  }

  @Test
  void theContentSecurityPolicyBlocksInlineScriptAndFailsTheTestThatMeetsIt() throws IOException {
    page.open("");
    assertThat(
            browser
                .evaluate(
                    "(() => { const s = document.createElement('script');"
                        + " s.textContent = 'window.injected = true'; document.head.append(s);"
                        + " return window.injected === undefined; })()")
                .asBoolean())
        .as("inline script blocked")
        .isTrue();
    // Both channels report it: the page's securitypolicyviolation event and Chromium's log.
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!(has(seen, "script-src-elem blocked inline") && has(seen, "Content Security Policy"))
        && System.nanoTime() < deadline) {
      seen.addAll(browser.takeViolations());
      pause(50);
    }
    assertThat(seen)
        .anyMatch(v -> v.startsWith("script-src-elem blocked inline"))
        .anyMatch(v -> v.contains("violates the following Content Security Policy directive"));
  }

  private static boolean settled(double[] before, double[] after) {
    return after[1] != before[1]
        && Math.abs(after[2] - before[2]) <= 1
        && Math.abs(after[3] - before[3]) <= 1;
  }

  private static boolean has(List<String> seen, String text) {
    return seen.stream().anyMatch(v -> v.contains(text));
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    }
  }

  @Test
  void thePaintedCellsStayOnThePlotWhenTheChartAreaMoves() throws IOException {
    page.open("");
    double[] before = cellsInPlot();
    browser.evaluate("document.querySelector('#chart .heatmap-layer').style.top = '90px'");
    // The plot moves on the next resize observation and the painted cells follow it a frame or
    // more later; on a busy machine that can take longer than a fixed wait, so poll (up to 10 s)
    // for the state the assertions expect.
    double[] after = cellsInPlot();
    for (int k = 0; k < 200 && !settled(before, after); k++) {
      pause(50);
      after = cellsInPlot();
    }
    assertThat(after[1]).as("the plot moved down by half the change").isNotEqualTo(before[1]);
    assertThat(after[2]).as("left of the cells in the chart").isCloseTo(before[2], within(1.0));
    assertThat(after[3]).as("top of the cells in the chart").isCloseTo(before[3], within(1.0));
  }

  /**
   * The cells canvas against Vega's canvas: their tops in the window, then the cells canvas's left
   * and top inside Vega's (where the plot sits among the axes), checked to lie within it.
   */
  private double[] cellsInPlot() throws IOException {
    JsonNode r =
        browser.evaluate(
            "(() => { const c = document.querySelector('#chart canvas.heatmap-cells')"
                + ".getBoundingClientRect(); const m = document.querySelector("
                + "'#chart .vega-embed canvas.marks').getBoundingClientRect(); return [c.top, m.top,"
                + " c.left - m.left, c.top - m.top, m.right - c.right, m.bottom - c.bottom]; })()");
    for (int k = 2; k < 6; k++) {
      assertThat(r.get(k).asDouble()).as("cells inside the chart, side %d", k).isPositive();
    }
    return new double[] {
      r.get(0).asDouble(), r.get(1).asDouble(), r.get(2).asDouble(), r.get(3).asDouble()
    };
  }

  /**
   * Reports (never asserts: speed is measured, not tested) how long the page takes from the arrival
   * of a 256 × 256 viewport's data to its first frame on screen, by the page's own
   * performance.now() clock: once on a fresh page, once more on a second viewport of the same size.
   */
  @Test
  void reportsHowLongA256x256HeatmapTakesToDraw() throws IOException {
    page.open("#res=256&x=0,256&y=0,256");
    page.awaitReady("document.body.dataset.drawMs !== undefined");
    assertThat(page.data("cells")).isEqualTo(String.valueOf(256 * 256));
    String first = page.data("drawMs");
    browser.evaluate("delete document.body.dataset.drawMs");
    browser.evaluate("location.hash = 'res=256&x=256,512&y=256,512'");
    page.awaitReady(
        "document.body.dataset.view === '256,512,256,512' && document.body.dataset.drawMs");
    assertThat(page.data("cells")).isEqualTo(String.valueOf(256 * 256));
    String second = page.data("drawMs");
    System.out.printf(
        "PageIT: a 256 × 256 heatmap (65536 cells) is on screen %s ms after its data arrived"
            + " (fresh page), %s ms (next viewport)%n",
        first, second);
  }

  @Test
  void theExportMenuSavesTheCellsWithTheAxes() throws IOException {
    page.open("#x=0,10&y=0,10");
    String save =
        "(async (type) => { const a = [...document.querySelectorAll('#chart .vega-actions a')]"
            + ".find(l => l.textContent.includes(type));"
            + " a.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
            + " for (let i = 0; i < 200 && !a.href.startsWith('data:'); i++)"
            + " await new Promise(r => setTimeout(r, 50));"
            + " return a.href; })";
    String png = browser.evaluate(save + "('PNG')").asText();
    assertThat(png).startsWith("data:image/png");
    for (double[] cell : new double[][] {{8.5, 0.5}, {9.5, 6.5}, {3.5, 3.5}, {2.5, 7.5}}) {
      double[] at = page.pointAt(cell[0], cell[1]);
      String exported =
          browser
              .evaluate(
                  String.format(
                      java.util.Locale.ROOT,
                      "(async () => { const img = new Image(); img.src = '%s'; await img.decode();"
                          + " const box = document.querySelector('#chart .vega-embed canvas')"
                          + ".getBoundingClientRect(); const c = document.createElement('canvas');"
                          + " c.width = img.width; c.height = img.height;"
                          + " const x = c.getContext('2d'); x.drawImage(img, 0, 0);"
                          + " const d = x.getImageData(Math.round(%f - box.left),"
                          + " Math.round(%f - box.top), 1, 1).data;"
                          + " return `rgb(${d[0]}, ${d[1]}, ${d[2]})`; })()",
                      png,
                      at[0],
                      at[1]))
              .asText();
      assertThat(exported)
          .as("the exported PNG shows cell (%s, %s) as the page does", cell[1], cell[0])
          .isEqualTo(page.pixelAt(cell[0], cell[1]));
    }
    String svg = browser.evaluate(save + "('SVG')").asText();
    assertThat(svg).startsWith("data:image/svg+xml");
    String decoded = java.net.URLDecoder.decode(svg.substring(svg.indexOf(',') + 1), "UTF-8");
    assertThat(decoded).contains("<image").contains("data:image/png").contains("tok0");
  }

  @Test
  void searchingTheLastTokenZoomsToItAndDrawsTheCrosshair() throws IOException {
    page.open("");

    browser.evaluate("document.getElementById('search-rows').focus()");
    browser.insertText("the-last");
    page.await(
        "[...document.querySelectorAll('#search-rows-list li')]"
            + ".some(li => li.textContent.includes('the-last') && li.textContent.includes('#599'))");
    browser.press("Enter", 0);
    page.awaitReady("document.body.dataset.crosshair === '599,599'");

    assertThat(page.data("view")).isEqualTo("552,600,552,600");
    assertCellsMatchViewport(128);
    assertThat(browser.evaluate("document.querySelectorAll('#chart .overlay line').length").asInt())
        .isEqualTo(4);
    page.await("document.querySelector('#neighbours .tok') !== null");
    assertThat(browser.evaluate("document.querySelector('#neighbours .tok').textContent").asText())
        .as("row 599 is a copy of row 10, so tok10 is its nearest neighbour")
        .isEqualTo("tok10");
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-search.png"), browser.screenshot());
  }

  @Test
  void columnSearchListsDuplicateTokensWithTheirPositions() throws IOException {
    page.open("");

    browser.evaluate("document.getElementById('search-cols').focus()");
    browser.insertText("tok8");
    page.await(
        "[...document.querySelectorAll('#search-cols-list li')].map(li => li.textContent)"
            + ".filter(t => t.startsWith('tok8#')).length === 2");
    assertThat(
            browser
                .evaluate(
                    "[...document.querySelectorAll('#search-cols-list li')]"
                        + ".slice(0, 2).map(li => li.textContent).join(' ')")
                .asText())
        .isEqualTo("tok8#7 tok8#8");
    browser.press("ArrowDown", 0);
    browser.press("Enter", 0);
    page.awaitReady("document.body.dataset.crosshair === '8,8'");

    assertThat(page.data("view")).isEqualTo("0,48,0,48");
  }

  @Test
  void colourFollowsTheDomainModeInTheUrl() throws IOException {
    page.open("#domain=global");
    assertThat(page.text("domain-note")).contains("whole range").contains("-0.984 to 1.00");
    page.open("#domain=pct&pct=5");
    assertThat(page.text("domain-note")).contains("5%–95%");

    page.open("#x=0,10&y=0,10&domain=manual&min=-0.5&max=0.5");
    assertThat(page.text("domain-note")).contains("-0.500 to 0.500");
    assertThat(page.pixelAt(8.5, 0.5))
        .as("cosine(tok0, tok8) = 0.57 is clamped to the top of the scheme")
        .isEqualTo(schemeColour(1));
    assertThat(page.pixelAt(9.5, 6.5))
        .as("cosine(tok6, tok9) = -0.57 is clamped to the bottom of the scheme")
        .isEqualTo(schemeColour(0));
    assertThat(page.pixelAt(3.5, 3.5))
        .as("the zero row has cosine 0: the middle of the scheme")
        .isEqualTo(schemeColour(0.5));
    page.open("#x=0,10&y=0,10");
    assertThat(page.pixelAt(8.5, 0.5))
        .as("in auto mode the diagonal's 1 is the top, so 0.57 is not")
        .isNotEqualTo(schemeColour(1));
  }

  @Test
  void anUnknownRunShowsTheServersErrorWithoutAStackTrace() throws IOException {
    browser.navigate(URI.create("about:blank"), PATIENCE);
    browser.navigate(page.base().resolve("#run=20990101T000000Z-deadbeef"), PATIENCE);
    page.await("document.body.dataset.state === 'error'");

    assertThat(page.text("notice"))
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void theViewStateInTheUrlHashZoomsAndSurvivesAReload() throws IOException {
    page.open("");
    browser.evaluate("location.hash = 'metric=dot&agg=max&res=64&x=100,200&y=300,400'");
    page.awaitReady("document.body.dataset.view === '100,200,300,400'");

    assertCellsMatchViewport(64);
    assertThat(browser.evaluate("document.getElementById('metric').value").asText())
        .isEqualTo("dot");
    String hash = browser.evaluate("location.hash").asText();
    page.open(hash);
    assertThat(page.data("view")).isEqualTo("100,200,300,400");
    assertThat(browser.evaluate("document.getElementById('agg').value").asText()).isEqualTo("max");
    assertThat(browser.evaluate("location.hash").asText()).isEqualTo(hash);
  }

  @Test
  void theWheelZoomsAboutThePointerAndAltZoomsColumnsOnly() throws IOException {
    page.open("");
    JsonNode box =
        browser.evaluate(
            "(() => { const r = document.querySelector('#chart canvas')"
                + ".getBoundingClientRect(); return {x: r.left + r.width / 3, y: r.top + r.height / 3}; })()");

    browser.wheel(box.get("x").asDouble(), box.get("y").asDouble(), -400, BrowserPage.ALT);
    page.awaitReady("document.body.dataset.view !== '0,600,0,600'");
    long[] columnsOnly = page.viewport();
    String before = page.data("view");
    browser.wheel(box.get("x").asDouble(), box.get("y").asDouble(), -400, 0);
    page.awaitReady("document.body.dataset.view !== '" + before + "'");
    long[] both = page.viewport();

    assertThat(columnsOnly[1] - columnsOnly[0]).isLessThan(600);
    assertThat(new long[] {columnsOnly[2], columnsOnly[3]}).containsExactly(0, 600);
    assertThat(both[3] - both[2]).isLessThan(600);
    assertThat(both[1] - both[0]).isLessThan(columnsOnly[1] - columnsOnly[0]);
    assertCellsMatchViewport(128);
  }

  @Test
  void clickingACellSelectsThatPairAndShowsItsTokensNeighboursAndRowProfile() throws IOException {
    page.open("#x=0,10&y=0,10");
    double[] at = page.pointAt(7.5, 3.5);
    browser.click(at[0], at[1], 1);
    page.awaitReady("document.body.dataset.crosshair === '3,7'");
    page.await(
        "document.querySelector('#profile svg') !== null"
            + " && !document.getElementById('selection').textContent.includes('…')");

    String selection = browser.evaluate("document.getElementById('selection').innerText").asText();
    assertThat(selection)
        .as("row 3 is all zeros, so its cosine with the duplicate token tok8 at #7 is 0")
        .contains("tok3", "#3", "tok8", "#7", "0.0000");
    page.await("location.hash.includes('sel=3,7')");
  }

  @Test
  void hoveringACellShowsItsTokensInTheTooltip() throws IOException {
    page.open("#x=0,10&y=0,10");
    double[] at = page.pointAt(2.5, 9.5);
    String visible =
        "Boolean((document.getElementById('vg-tooltip-element') || {}).classList?.contains('visible'))";
    // A pointer that moves in as the page settles may land before the cells' canvas listens:
    // move again, as a hand would, until the tooltip shows.
    for (int attempt = 0; attempt < 20 && !browser.evaluate(visible).asBoolean(); attempt++) {
      browser.hover(at[0] - 3, at[1] - 3 + attempt % 3);
      browser.hover(at[0], at[1] + attempt % 3 * 0.25);
      browser.evaluate("new Promise(r => setTimeout(r, 100))");
    }
    page.await(visible);

    assertThat(browser.evaluate("document.getElementById('vg-tooltip-element').innerText").asText())
        .contains("naïve東京", "tok2");
  }

  @Test
  void hoveringALiveCellShowsThePairAttainingItsMax() throws IOException {
    page.open("#x=0,10&y=0,10&agg=max");
    assertThat(page.data("level")).as("one token per cell: a live level").isEqualTo("2");
    double[] at = page.pointAt(2.5, 9.5);
    browser.hover(at[0] - 3, at[1] - 3);
    browser.hover(at[0], at[1]);
    page.await(
        "(document.getElementById('vg-tooltip-element') || {}).classList?.contains('visible')");

    assertThat(browser.evaluate("document.getElementById('vg-tooltip-element').innerText").asText())
        .contains(" × ")
        .contains("max pair")
        .contains("naïve東京 × tok2");
  }

  @Test
  void hidingSelfPairsChangesTheRequestAndEmptiesTheDiagonalCell() throws IOException {
    page.open("#x=0,10&y=0,10");
    assertThat(browser.evaluate("document.getElementById('mask-field').hidden").asBoolean())
        .as("the toggle shows for a symmetric run")
        .isFalse();
    assertThat(browser.evaluate("document.getElementById('mask-field').innerText").asText())
        .contains("Hide self-pairs");
    String offDiagonal = page.pixelAt(4.5, 5.5);
    assertThat(page.pixelAt(5.5, 5.5)).as("cosine 1 of tok5 with itself").isNotEqualTo(WHITE);

    browser.evaluate("document.getElementById('mask').click()");
    page.awaitReady(lastViewRequestHas("mask=true"));

    assertThat(page.pixelAt(5.5, 5.5))
        .as("a cell of one self-pair is drawn empty")
        .isEqualTo(WHITE);
    assertThat(page.pixelAt(4.5, 5.5)).isEqualTo(offDiagonal);
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-mask.png"), browser.screenshot());
    page.await("location.hash.includes('mask=1')");
    String hash = browser.evaluate("location.hash").asText();
    page.open(hash);
    assertThat(browser.evaluate("document.getElementById('mask').checked").asBoolean()).isTrue();
    assertThat(browser.evaluate(lastViewRequestHas("mask=true")).asBoolean())
        .as("a reloaded URL asks for the mask at once")
        .isTrue();
    assertThat(page.pixelAt(5.5, 5.5)).isEqualTo(WHITE);

    browser.evaluate("document.getElementById('mask').click()");
    page.awaitReady(lastViewRequestHas("mask=false"));
    assertThat(page.pixelAt(5.5, 5.5)).isNotEqualTo(WHITE);
    page.await("!location.hash.includes('mask=')");
  }

  @Test
  void hidingSelfPairsLowersAPooledDiagonalCell() throws IOException {
    page.open("#metric=dot&res=32&x=0,40&y=0,40");
    assertThat(page.data("span")).as("cells of 2 × 2 tokens").isEqualTo("2");
    String query = "api/runs/latest/view?metric=dot&agg=mean&x0=0&x1=40&y0=0&y1=40&res=32";
    JsonNode kept = page.getJson(query + "&mask=false").at("/data/values/" + (2 * 20 + 2));
    JsonNode hidden = page.getJson(query + "&mask=true").at("/data/values/" + (2 * 20 + 2));
    String before = page.pixelAt(5, 5);

    browser.evaluate("document.getElementById('mask').click()");
    page.awaitReady(lastViewRequestHas("mask=true"));

    assertThat(hidden.get("y0").asLong()).isEqualTo(4);
    assertThat(hidden.get("pairs").asLong()).isEqualTo(2);
    assertThat(hidden.get("value").asDouble())
        .as("dot(x4, x5) < (‖x4‖² + ‖x5‖²) / 2: without the self-pairs the mean drops")
        .isLessThan(kept.get("value").asDouble());
    assertThat(page.pixelAt(5, 5)).isNotEqualTo(before).isNotEqualTo(WHITE);
  }

  @Test
  void altDragBoxZoomsArrowKeysPanAndDoubleClickResets() throws IOException {
    page.open("#x=0,10&y=0,10");
    double[] from = page.pointAt(2.25, 2.25);
    double[] to = page.pointAt(7.75, 7.75);
    browser.drag(from[0], from[1], to[0], to[1], BrowserPage.ALT);
    page.awaitReady("document.body.dataset.view === '2,8,2,8'");
    browser.press("ArrowRight", 0);
    page.awaitReady("document.body.dataset.view === '2,9,2,8'");
    double[] inside = page.pointAt(4, 5);
    browser.click(inside[0], inside[1], 2);
    page.awaitReady("document.body.dataset.view === '0,600,0,600'");

    assertCellsMatchViewport(128);
  }

  @Test
  void csvOfTheVisibleCellsQuotesLabelsThatNeedIt() throws IOException {
    page.open("");
    String csv =
        browser
            .evaluate(
                "import(new URL('js/export.js', location.href).href).then(m => m.cellsToCsv(["
                    + "{y0: 0, y1: 8, x0: 8, x1: 16, rowLabel: 'tok0 +7 more', colLabel: 'a,\"b\"',"
                    + " pairs: 64, value: 0.5, mean: 0.5, max: 1, min: -0.25}]))")
            .asText();

    assertThat(csv)
        .isEqualTo(
            "y0,y1,x0,x1,rowLabel,colLabel,pairs,value,mean,max,min\r\n"
                + "0,8,8,16,tok0 +7 more,\"a,\"\"b\"\"\",64,0.5,0.5,1,-0.25\r\n");
  }

  @Test
  void theCommandLineRunsDumpTheRenderedDomAndTakeAScreenshot() throws IOException {
    String dom = HeadlessChromium.dumpDom(page.base(), 1280, 800, Duration.ofSeconds(10), WORK);
    Path png = SCREENSHOTS.resolve("page-cli.png");
    HeadlessChromium.screenshot(page.base(), png, 1280, 800, Duration.ofSeconds(10), WORK);

    assertThat(dom)
        .contains("data-state=\"ready\"")
        .containsPattern("data-cells=\"[1-9][0-9]*\"")
        .contains("<canvas");
    assertThat(distinctColours(ImageIO.read(png.toFile()))).isGreaterThan(100);
  }

  @Test
  void screenshotsAt1280x800And1920x1080() throws IOException {
    Path small = shoot("page.png", 1280, 800);
    Path large = shoot("page-1920x1080.png", 1920, 1080);

    assertThat(ImageIO.read(small.toFile()).getWidth()).isEqualTo(1280);
    assertThat(ImageIO.read(large.toFile()).getWidth()).isEqualTo(1920);
    assertThat(distinctColours(ImageIO.read(large.toFile()))).isGreaterThan(100);
  }

  /** A screenshot of a selection at a window size, once the side panels have drawn. */
  private static Path shoot(String name, int width, int height) throws IOException {
    browser.resize(width, height);
    try {
      page.open("#sel=10,599");
      page.await(
          "document.querySelector('#neighbours .tok') && document.querySelector('#profile svg')"
              + " && !document.querySelector('#selection').textContent.includes('…')");
      Path png = SCREENSHOTS.resolve(name);
      Files.createDirectories(SCREENSHOTS);
      Files.write(png, browser.screenshot());
      return png;
    } finally {
      browser.resize(1280, 800);
    }
  }

  /**
   * The page shows exactly the cells of its span's grid that meet the requested viewport, as many
   * as the API sends for that request, about {@code res} along the longer side.
   */
  private static void assertCellsMatchViewport(int res) throws IOException {
    long[] v = page.viewport();
    // Bins are aligned to multiples of their span, in positions, on each axis.
    long span = Long.parseLong(page.data("span"));
    long spanRows = Long.parseLong(page.data("spanRows"));
    long cols = ceilDiv(v[1], span) - v[0] / span;
    long rows = ceilDiv(v[3], spanRows) - v[2] / spanRows;
    long cells = Long.parseLong(page.data("cells"));
    assertThat(cells).isEqualTo(cols * rows);
    if (span > 1 || spanRows > 1) {
      assertThat(Math.max(cols, rows)).isBetween(res / 4L, (long) res);
    }
    String query =
        String.format(
            "api/runs/latest/view?metric=%s&agg=%s&x0=%d&x1=%d&y0=%d&y1=%d&res=%d",
            page.text("metric"), page.text("agg"), v[0], v[1], v[2], v[3], res);
    assertThat(page.getJson(query).path("data").path("values").size()).isEqualTo((int) cells);
  }

  /** A condition: the page's latest viewport request carries a query fragment. */
  private static String lastViewRequestHas(String fragment) {
    return "(() => { const v = performance.getEntriesByType('resource')"
        + ".map(e => e.name).filter(n => n.includes('/view?'));"
        + " return v.length > 0 && v[v.length - 1].includes('"
        + fragment
        + "'); })()";
  }

  private static String schemeColour(double t) throws IOException {
    return browser.evaluate("vega.scheme('blueorange')(" + t + ")").asText();
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }
}
