package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.CannedApiServer;
import org.simheat.viewer.testing.HeadlessChromium;

/**
 * The analyst's page in real headless Chromium: it renders, its cell count matches the viewport,
 * search, URL state and wheel zoom work, and screenshots are kept under {@code target/screenshots}.
 *
 * <p>By default the page is served with a canned API computed from the committed fixture. Set
 * {@code -Dsimheat.page.baseUrl=http://127.0.0.1:PORT/} to test a running viewer instead; it must
 * serve the fixture run ({@code src/test/resources/fixture/out}) as its latest run.
 */
class PageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"));

  private static CannedApiServer canned;
  private static URI base;
  private static HeadlessChromium chromium;
  private static BrowserPage page;

  @BeforeAll
  static void start() throws IOException, URISyntaxException {
    assertThat(HeadlessChromium.isAvailable())
        .as("%s is missing: apt-get install -y chromium", HeadlessChromium.executable())
        .isTrue();
    String external = System.getProperty("simheat.page.baseUrl", "");
    if (external.isBlank()) {
      Path fixture = Path.of(PageIT.class.getResource("/fixture/input.npy").toURI()).getParent();
      canned = CannedApiServer.start(fixture);
      base = canned.baseUri();
    } else {
      base = URI.create(external.endsWith("/") ? external : external + "/");
    }
    chromium = HeadlessChromium.launch(WORK, 1280, 800, PATIENCE);
    page = chromium.page();
  }

  @AfterAll
  static void stop() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
    if (canned != null) {
      canned.close();
    }
  }

  @Test
  void rendersTheWholeMatrixWithTheCellsItsViewportImplies() throws IOException {
    open("");

    assertThat(data("view")).isEqualTo("0,600,0,600");
    assertCellsMatchViewport(128);
    assertThat(page.evaluate(CANVAS_COLOURS).asInt())
        .as("distinct colours on the canvas")
        .isGreaterThan(40);
  }

  @Test
  void searchingTheLastTokenZoomsToItAndDrawsTheCrosshair() throws IOException {
    open("");

    page.evaluate("document.getElementById('search-rows').focus()");
    page.insertText("the-last");
    page.waitUntil(
        "[...document.querySelectorAll('#search-rows-list li')]"
            + ".some(li => li.textContent.includes('the-last') && li.textContent.includes('#599'))",
        PATIENCE);
    page.press("Enter", 0);
    awaitReady("document.body.dataset.crosshair === '599,599'");

    assertThat(data("view")).isEqualTo("552,600,552,600");
    assertCellsMatchViewport(128);
    assertThat(page.evaluate("document.querySelectorAll('#chart .overlay line').length").asInt())
        .isEqualTo(4);
    page.waitUntil("document.querySelector('#neighbours .tok') !== null", PATIENCE);
    assertThat(page.evaluate("document.querySelector('#neighbours .tok').textContent").asText())
        .as("row 599 is a copy of row 10, so tok10 is its nearest neighbour")
        .isEqualTo("tok10");
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-search.png"), page.screenshot());
  }

  @Test
  void theViewStateInTheUrlHashZoomsAndSurvivesAReload() throws IOException {
    open("");
    page.evaluate("location.hash = 'metric=dot&agg=max&res=64&x=100,200&y=300,400'");
    awaitReady("document.body.dataset.view === '100,200,300,400'");

    assertCellsMatchViewport(64);
    assertThat(page.evaluate("document.getElementById('metric').value").asText()).isEqualTo("dot");
    String hash = page.evaluate("location.hash").asText();
    open(hash);
    assertThat(data("view")).isEqualTo("100,200,300,400");
    assertThat(page.evaluate("document.getElementById('agg').value").asText()).isEqualTo("max");
    assertThat(page.evaluate("location.hash").asText()).isEqualTo(hash);
  }

  @Test
  void theWheelZoomsAboutThePointerAndAltZoomsColumnsOnly() throws IOException {
    open("");
    JsonNode box =
        page.evaluate(
            "(() => { const r = document.querySelector('#chart canvas')"
                + ".getBoundingClientRect(); return {x: r.left + r.width / 3, y: r.top + r.height / 3}; })()");

    page.wheel(box.get("x").asDouble(), box.get("y").asDouble(), -400, BrowserPage.ALT);
    awaitReady("document.body.dataset.view !== '0,600,0,600'");
    long[] columnsOnly = view();
    String before = data("view");
    page.wheel(box.get("x").asDouble(), box.get("y").asDouble(), -400, 0);
    awaitReady("document.body.dataset.view !== '" + before + "'");
    long[] both = view();

    assertThat(columnsOnly[1] - columnsOnly[0]).isLessThan(600);
    assertThat(new long[] {columnsOnly[2], columnsOnly[3]}).containsExactly(0, 600);
    assertThat(both[3] - both[2]).isLessThan(600);
    assertThat(both[1] - both[0]).isLessThan(columnsOnly[1] - columnsOnly[0]);
    assertCellsMatchViewport(128);
  }

  @Test
  void clickingACellSelectsThatPairAndShowsItsTokensNeighboursAndRowProfile() throws IOException {
    open("#x=0,10&y=0,10");
    double[] at = pointAt(7.5, 3.5);
    page.click(at[0], at[1], 1);
    awaitReady("document.body.dataset.crosshair === '3,7'");
    page.waitUntil(
        "document.querySelector('#profile svg') !== null"
            + " && !document.getElementById('selection').textContent.includes('…')",
        PATIENCE);

    String selection = page.evaluate("document.getElementById('selection').innerText").asText();
    assertThat(selection)
        .as("row 3 is all zeros, so its cosine with the duplicate token tok8 at #7 is 0")
        .contains("tok3", "#3", "tok8", "#7", "0.0000");
    page.waitUntil("location.hash.includes('sel=3,7')", PATIENCE);
  }

  @Test
  void hoveringACellShowsItsTokensInTheTooltip() throws IOException {
    open("#x=0,10&y=0,10");
    double[] at = pointAt(2.5, 9.5);
    page.hover(at[0] - 3, at[1] - 3);
    page.hover(at[0], at[1]);
    page.waitUntil(
        "(document.getElementById('vg-tooltip-element') || {}).classList?.contains('visible')",
        PATIENCE);

    assertThat(page.evaluate("document.getElementById('vg-tooltip-element').innerText").asText())
        .contains("naïve東京", "tok2");
  }

  @Test
  void shiftDragBoxZoomsArrowKeysPanAndDoubleClickResets() throws IOException {
    open("#x=0,10&y=0,10");
    double[] from = pointAt(2.25, 2.25);
    double[] to = pointAt(7.75, 7.75);
    page.drag(from[0], from[1], to[0], to[1], BrowserPage.SHIFT);
    awaitReady("document.body.dataset.view === '2,8,2,8'");
    page.press("ArrowRight", 0);
    awaitReady("document.body.dataset.view === '2,9,2,8'");
    double[] inside = pointAt(4, 5);
    page.click(inside[0], inside[1], 2);
    awaitReady("document.body.dataset.view === '0,600,0,600'");

    assertCellsMatchViewport(128);
  }

  @Test
  void csvOfTheVisibleCellsQuotesLabelsThatNeedIt() throws IOException {
    open("");
    String csv =
        page.evaluate(
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
    String dom = HeadlessChromium.dumpDom(base, 1280, 800, Duration.ofSeconds(10), WORK);
    Path png = SCREENSHOTS.resolve("page-cli.png");
    HeadlessChromium.screenshot(base, png, 1280, 800, Duration.ofSeconds(10), WORK);

    assertThat(dom)
        .contains("data-state=\"ready\"")
        .contains("data-cells=\"5625\"")
        .contains("<canvas");
    assertThat(distinctColours(ImageIO.read(png.toFile()))).isGreaterThan(100);
  }

  @Test
  void screenshotsAt1280x800And1920x1080() throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path small = shoot("page.png", 1280, 800);
    Path large = shoot("page-1920x1080.png", 1920, 1080);

    assertThat(ImageIO.read(small.toFile()).getWidth()).isEqualTo(1280);
    assertThat(ImageIO.read(large.toFile()).getWidth()).isEqualTo(1920);
    assertThat(distinctColours(ImageIO.read(large.toFile()))).isGreaterThan(100);
  }

  /** A screenshot of a selection at a window size, once the side panels have drawn. */
  private static Path shoot(String name, int width, int height) throws IOException {
    page.resize(width, height);
    try {
      open("#sel=10,599");
      page.waitUntil(
          "document.querySelector('#neighbours .tok') && document.querySelector('#profile svg')"
              + " && !document.querySelector('#selection').textContent.includes('…')",
          PATIENCE);
      Path png = SCREENSHOTS.resolve(name);
      Files.write(png, page.screenshot());
      return png;
    } finally {
      page.resize(1280, 800);
    }
  }

  private static final String CANVAS_COLOURS =
      "(() => { const c = document.querySelector('#chart .heatmap-layer canvas');"
          + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
          + " const seen = new Set(); for (let i = 0; i < d.length; i += 4)"
          + " seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); return seen.size; })()";

  /** Loads the page afresh (a hash-only change would not reload it) and waits until it is ready. */
  private static void open(String hash) throws IOException {
    page.navigate(URI.create("about:blank"), PATIENCE);
    page.navigate(
        base.resolve(hash.isEmpty() ? "" : hash.startsWith("#") ? hash : "#" + hash), PATIENCE);
    awaitReady("true");
  }

  private static void awaitReady(String condition) throws IOException {
    page.waitUntil("document.body.dataset.state === 'ready' && (" + condition + ")", PATIENCE);
  }

  private static String data(String key) throws IOException {
    return page.evaluate("document.body.dataset." + key).asText();
  }

  /** The client point of a matrix position, from the plot area and the viewport in view. */
  private static double[] pointAt(double col, double row) throws IOException {
    String[] plot = data("plot").split(",");
    long[] v = view();
    double left = Double.parseDouble(plot[0]);
    double top = Double.parseDouble(plot[1]);
    double x = left + (col - v[0]) / (v[1] - v[0]) * Double.parseDouble(plot[2]);
    double y = top + (row - v[2]) / (v[3] - v[2]) * Double.parseDouble(plot[3]);
    return new double[] {x, y};
  }

  private static long[] view() throws IOException {
    String[] parts = data("view").split(",");
    long[] v = new long[4];
    for (int i = 0; i < 4; i++) {
      v[i] = Long.parseLong(parts[i]);
    }
    return v;
  }

  /**
   * The page shows exactly the cells of its span's grid that meet the requested viewport, as many
   * as the API sends for that request, about {@code res} along the longer side.
   */
  private static void assertCellsMatchViewport(int res) throws IOException {
    long[] v = view();
    long span = Long.parseLong(data("span"));
    long cols = ceilDiv(v[1], span) - v[0] / span;
    long rows = ceilDiv(v[3], span) - v[2] / span;
    long cells = Long.parseLong(data("cells"));
    assertThat(cells).isEqualTo(cols * rows);
    if (span > 1) {
      assertThat(Math.max(cols, rows)).isBetween(res / 4L, 2L * res + 1);
    }
    String metric = page.evaluate("document.getElementById('metric').value").asText();
    String agg = page.evaluate("document.getElementById('agg').value").asText();
    String query =
        String.format(
            "api/runs/latest/view?metric=%s&agg=%s&x0=%d&x1=%d&y0=%d&y1=%d&res=%d",
            metric, agg, v[0], v[1], v[2], v[3], res);
    assertThat(getJson(query).path("data").path("values").size()).isEqualTo((int) cells);
  }

  private static JsonNode getJson(String path) throws IOException {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve(path)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while fetching " + path, e);
    }
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
