package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.format.Metric;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.HeadlessChromium;
import org.simheat.viewer.testing.NaiveSimilarity;
import org.simheat.viewer.testing.SimheatPage;

/**
 * Drift mode in real headless Chromium over the job-made drift fixture: run A ("current", levels
 * 0..1 stored) compared with baseline B ("base", level 0 stored), and run S (A's matrix in cluster
 * order) that aligns with neither. The heatmap draws Δ = A − B as the API serves it, on a scale
 * symmetric about 0 titled "Δ cosine (A − B)"; max |Δ| is offered only at live levels; S is listed
 * disabled with the server's reason; a selected token lists its top changed neighbours and the
 * neighbours that entered or left its top list; the comparison lives in the URL. Values are checked
 * against the API and, for single pairs, against Δ computed naively from the runs' inputs.
 */
class DriftPageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  private static final Pattern MEAN_DELTA = Pattern.compile("mean Δ\\s*(-?\\d+\\.\\d{4})");
  private static final Pattern MAX_ABS = Pattern.compile("max \\|Δ\\|\\s*(-?\\d+\\.\\d{4})");

  @TempDir static Path data;
  private static String b;
  private static String a;
  private static String s;
  private static NaiveSimilarity naiveA;
  private static NaiveSimilarity naiveB;
  private static ViewerServer server;
  private static HeadlessChromium chromium;
  private static SimheatPage page;
  private static BrowserPage browser;

  @BeforeAll
  static void start() throws IOException {
    assertThat(HeadlessChromium.isAvailable())
        .as("%s is missing: apt-get install -y chromium", HeadlessChromium.executable())
        .isTrue();
    List<String> ids = Fixture.addFixtureRuns(data, "fixture-drift");
    b = ids.get(0);
    a = ids.get(1);
    s = ids.get(2);
    Files.writeString(data.resolve("LATEST"), s + "\n", StandardCharsets.UTF_8);
    Path dir = Fixture.dir("fixture-drift");
    List<String> vocab = Files.readAllLines(dir.resolve("vocab.txt"), StandardCharsets.UTF_8);
    naiveA = NaiveSimilarity.of(NaiveSimilarity.readNpy(dir.resolve("current.npy")), vocab);
    naiveB = NaiveSimilarity.of(NaiveSimilarity.readNpy(dir.resolve("base.npy")), vocab);
    server = ViewerServer.start(new RunService(data), ServerOptions.defaults().withPort(0));
    chromium =
        HeadlessChromium.launch(Path.of(System.getProperty("java.io.tmpdir")), 1400, 900, PATIENCE);
    browser = chromium.page();
    page =
        new SimheatPage(browser, URI.create("http://127.0.0.1:" + server.port() + "/"), PATIENCE);
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
  void driftModeDrawsTheDeltaOfEveryCellAsTheApiServesIt() throws IOException {
    page.open("#run=" + a + "&drift=" + b + "&metric=cosine&x=0,12&y=100,112");
    assertThat(page.data("drift")).isEqualTo(b);
    assertThat(page.data("live")).as("one token per cell is a live level").isEqualTo("true");
    assertThat(page.data("view")).isEqualTo("0,12,100,112");
    JsonNode view = page.getJson(driftView("cosine", "mean", 0, 12, 100, 112));
    JsonNode cells = view.at("/data/values");
    assertThat(page.data("cells")).isEqualTo(String.valueOf(cells.size()));
    assertThat(cells.size()).isEqualTo(144);

    // Every cell on screen (the page's CSV of the visible cells) against the API and naive Δ.
    String[] lines = visibleCsv().split("\r\n");
    assertThat(lines[0]).isEqualTo("y0,y1,x0,x1,rowLabel,colLabel,pairs,value,mean,max,min");
    assertThat(lines).hasSize(cells.size() + 1);
    for (int k = 0; k < cells.size(); k++) {
      String[] f = lines[k + 1].split(",", -1);
      JsonNode cell = cells.get(k);
      int row = Integer.parseInt(f[0]);
      int col = Integer.parseInt(f[2]);
      assertThat(row).isEqualTo(cell.get("y0").asInt());
      assertThat(col).isEqualTo(cell.get("x0").asInt());
      assertThat(Double.parseDouble(f[7]))
          .as("Δ of (%d, %d)", row, col)
          .isEqualTo(cell.get("value").asDouble())
          .isCloseTo(naiveDelta(Metric.COSINE, row, col), within(1e-5));
      assertThat(Double.parseDouble(f[9]))
          .as("max |Δ| of (%d, %d)", row, col)
          .isCloseTo(Math.abs(naiveDelta(Metric.COSINE, row, col)), within(1e-5));
    }

    JsonNode up = extreme(cells, true);
    JsonNode down = extreme(cells, false);
    for (JsonNode cell : List.of(up, down, cells.get(17))) {
      int row = cell.get("y0").asInt();
      int col = cell.get("x0").asInt();
      String tip = tooltipAt(col + 0.5, row + 0.5);
      double naive = naiveDelta(Metric.COSINE, row, col);
      assertThat(number(MEAN_DELTA, tip))
          .as("mean Δ of (%d, %d)", row, col)
          .isCloseTo(cell.get("value").asDouble(), within(6e-5))
          .isCloseTo(naive, within(1e-4));
      assertThat(number(MAX_ABS, tip))
          .as("max |Δ| at a live level")
          .isCloseTo(Math.abs(naive), within(1e-4));
    }
    int[] red = rgb(page.pixelAt(up.get("x0").asInt() + 0.5, up.get("y0").asInt() + 0.5));
    int[] blue = rgb(page.pixelAt(down.get("x0").asInt() + 0.5, down.get("y0").asInt() + 0.5));
    assertThat(red[0]).as("A − B > 0 is red").isGreaterThan(red[2] + 60);
    assertThat(blue[2]).as("A − B < 0 is blue").isGreaterThan(blue[0] + 60);
    assertThat(exportedSvg()).contains("Δ cosine (A − B)");
    double m =
        Math.max(Math.abs(up.get("value").asDouble()), Math.abs(down.get("value").asDouble()));
    Matcher domain =
        Pattern.compile("(-?\\d+\\.\\d+) to (-?\\d+\\.\\d+)").matcher(page.text("domain-note"));
    assertThat(domain.find()).isTrue();
    assertThat(Double.parseDouble(domain.group(1)))
        .as("a domain symmetric about 0")
        .isEqualTo(-Double.parseDouble(domain.group(2)));
    assertThat(Double.parseDouble(domain.group(2)))
        .as("± the largest |Δ| in view")
        .isCloseTo(m, within(0.005));
  }

  @Test
  void maxAbsIsOfferedOnlyAtLiveLevels() throws IOException {
    page.open("#run=" + a + "&drift=" + b + "&metric=dot");
    assertThat(page.data("level")).isEqualTo("0");
    assertThat(page.data("live")).isEqualTo("false");
    assertThat(options("agg")).containsExactly("mean:mean Δ", "maxabs:max |Δ|");
    assertThat(disabled("agg", "maxabs")).as("max |Δ| at a stored level").isTrue();
    assertThat(visible("agg-hint")).isTrue();
    assertThat(page.text("agg-hint")).contains("zoom in to a live level");

    browser.evaluate("location.hash = '#run=" + a + "&drift=" + b + "&metric=dot&x=0,16&y=0,16'");
    page.awaitReady("document.body.dataset.live === 'true'");
    assertThat(disabled("agg", "maxabs")).isFalse();
    assertThat(visible("agg-hint")).isFalse();
    choose("agg", "maxabs");
    page.awaitReady(
        "document.body.dataset.view === '0,16,0,16' && location.hash.includes('agg=maxabs')");
    JsonNode cells = page.getJson(driftView("dot", "maxabs", 0, 16, 0, 16)).at("/data/values");
    JsonNode cell = cells.get(37);
    String tip = tooltipAt(cell.get("x0").asInt() + 0.5, cell.get("y0").asInt() + 0.5);
    assertThat(number(MAX_ABS, tip)).isCloseTo(cell.get("value").asDouble(), within(6e-5));
    assertThat(cell.get("value").asDouble())
        .isCloseTo(
            Math.abs(naiveDelta(Metric.DOT, cell.get("y0").asInt(), cell.get("x0").asInt())),
            within(1e-3));
    assertThat(exportedSvg()).contains("max |Δ| dot (A − B)");

    // A link asking max |Δ| at a stored level falls back to mean Δ with the server's hint.
    page.open("#run=" + a + "&drift=" + b + "&metric=dot&agg=maxabs");
    page.awaitReady("document.getElementById('agg').value === 'mean'");
    assertThat(page.data("level")).isEqualTo("0");
    assertThat(page.text("agg-hint")).contains("zoom in");
    assertThat(visible("notice")).isFalse();
  }

  @Test
  void aRunThatDoesNotAlignIsListedDisabledWithItsReason() throws IOException {
    page.open("#run=" + a);
    page.await(
        "[...document.querySelectorAll('#drift-options [role=option]')]"
            + ".every(o => !o.dataset.value || o.dataset.aligned)");
    JsonNode refusal = page.getJson("api/drift/" + a + "/" + s);
    assertThat(refusal.get("aligned").asBoolean()).isFalse();
    assertThat(entryDisabled(s)).isTrue();
    assertThat(entry(s, "title")).isEqualTo("Does not align: " + refusal.get("reason").asText());
    assertThat(entry(s, "title")).contains("recompute one with --order-from the other");
    assertThat(entry(s, "textContent"))
        .as("the reason is shown under the run too")
        .endsWith(" · does not align" + refusal.get("reason").asText());
    assertThat(entryDisabled(b)).isFalse();
    assertThat(entry("", "textContent")).isEqualTo("none");

    // A disabled entry cannot be picked, by click or by keys.
    browser.evaluate("document.getElementById('drift').click()");
    browser.evaluate("document.querySelector('#drift-options [data-value=\"" + s + "\"]').click()");
    browser.press("End", 0);
    assertThat(
            browser
                .evaluate("document.querySelector('#drift-options .active').dataset.value")
                .asText())
        .isEqualTo(b);
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-drift-picker.png"), browser.screenshot());
    browser.press("Escape", 0);
    assertThat(page.data("drift")).isEmpty();
    assertThat(page.text("drift")).isEmpty();
    assertThat(page.data("drift")).isEmpty();

    page.open("#run=" + a + "&drift=" + s);
    assertThat(page.data("drift")).as("no drift mode").isEmpty();
    assertThat(visible("drift-note")).isTrue();
    assertThat(page.text("drift-note"))
        .isEqualTo("Cannot compare " + a + " with " + s + ": " + refusal.get("reason").asText());
    assertThat(page.text("drift")).isEmpty();
    assertThat(browser.evaluate("location.hash").asText()).doesNotContain("drift=");
  }

  @Test
  void aSelectedTokenListsItsTopChangedNeighbours() throws IOException {
    int row = 40;
    int col = 120;
    page.open("#run=" + a + "&drift=" + b + "&metric=cosine&sel=" + row + "," + col);
    page.await("document.body.dataset.driftChanges === '20'");
    JsonNode changes =
        page.getJson("api/drift/" + a + "/" + b + "/changes/cosine/" + row + "?k=20");
    assertThat(page.text("neighbours-title"))
        .isEqualTo("Top changed neighbours of " + changes.get("token").asText());
    List<String> expected = new ArrayList<>();
    for (JsonNode c : changes.get("changed")) {
      expected.add(
          String.join(
              "|",
              c.get("token").asText(),
              fixed(c.get("a").asDouble()),
              fixed(c.get("b").asDouble()),
              signed(c.get("delta").asDouble())));
    }
    List<String> shown = new ArrayList<>();
    browser
        .evaluate(
            "[...document.querySelectorAll('#neighbours button')].map(b =>"
                + " [...b.children].slice(1).map(c => c.textContent).join('|'))")
        .forEach(v -> shown.add(v.asText()));
    assertThat(shown).containsExactlyElementsOf(expected);
    assertThat(texts("#drift-entered li"))
        .containsExactlyElementsOf(strings(changes.get("entered")));
    assertThat(texts("#drift-left li")).containsExactlyElementsOf(strings(changes.get("left")));

    String selection = page.text("selection").replaceAll("\\s+", " ");
    double inA = naiveA.matrix(Metric.COSINE)[row][col];
    double inB = naiveB.matrix(Metric.COSINE)[row][col];
    assertThat(selection)
        .contains(String.format(Locale.ROOT, "%.4f", inA))
        .contains(String.format(Locale.ROOT, "%.4f", inB));
    Matcher delta = Pattern.compile("Δ cosine\\s*(-?\\d+\\.\\d{4})").matcher(selection);
    assertThat(delta.find()).as(selection).isTrue();
    assertThat(Double.parseDouble(delta.group(1))).isCloseTo(inA - inB, within(1e-4));

    int q = changes.at("/changed/2/position").asInt();
    browser.evaluate("document.querySelectorAll('#neighbours button')[2].click()");
    page.awaitReady("document.body.dataset.crosshair === '" + row + "," + q + "'");
    assertThat(page.data("drift")).isEqualTo(b);
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-drift.png"), browser.screenshot());
  }

  @Test
  void theComparisonLivesInTheUrl() throws IOException {
    page.open("#run=" + a + "&metric=dot");
    page.await(
        "document.querySelector('#drift-options [data-value=\""
            + b
            + "\"]').dataset.aligned"
            + " === 'true'");
    compareWith(b);
    page.awaitReady("document.body.dataset.drift === '" + b + "'");
    page.await("location.hash.includes('drift=" + b + "')");
    String hash = browser.evaluate("location.hash").asText();
    assertThat(hash).contains("run=" + a).contains("metric=dot");

    page.open(hash.replaceAll("&[xy]=[^&]*", "") + "&x=100,140&y=100,140&sel=110,120");
    assertThat(page.text("drift")).isEqualTo(b);
    assertThat(page.data("drift")).isEqualTo(b);
    assertThat(page.data("view")).isEqualTo("100,140,100,140");
    assertThat(page.text("metric")).isEqualTo("dot");
    assertThat(options("metric"))
        .as("the metrics both runs have")
        .containsExactly("cosine:cosine", "dot:dot");
    assertThat(page.data("crosshair")).isEqualTo("110,120");

    compareWith("");
    page.awaitReady("document.body.dataset.drift === ''");
    page.await("!location.hash.includes('drift=')");
    assertThat(options("agg"))
        .as("run A's own poolings (it stores means only)")
        .containsExactly("mean:mean");
    assertThat(options("metric")).contains("l2:l2");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String driftView(String metric, String agg, int x0, int x1, int y0, int y1) {
    return String.format(
        Locale.ROOT,
        "api/drift/%s/%s/view?metric=%s&agg=%s&x0=%d&x1=%d&y0=%d&y1=%d&res=128&mask=false",
        a,
        b,
        metric,
        agg,
        x0,
        x1,
        y0,
        y1);
  }

  private static double naiveDelta(Metric m, int row, int col) {
    return naiveA.matrix(m)[row][col] - naiveB.matrix(m)[row][col];
  }

  private static JsonNode extreme(JsonNode cells, boolean largest) {
    JsonNode best = null;
    for (JsonNode c : cells) {
      double v = c.get("value").asDouble();
      if (best == null
          || (largest ? v > best.get("value").asDouble() : v < best.get("value").asDouble())) {
        best = c;
      }
    }
    return best;
  }

  /** Hovers a matrix position until Vega's tooltip shows; its text. */
  private static String tooltipAt(double col, double row) throws IOException {
    double[] at = page.pointAt(col, row);
    String visible =
        "Boolean((document.getElementById('vg-tooltip-element') || {}).classList?.contains('visible'))";
    browser.hover(at[0] - 40, at[1] - 40);
    browser.evaluate(
        "(document.getElementById('vg-tooltip-element') || {}).classList?.remove('visible')");
    for (int attempt = 0; attempt < 20 && !browser.evaluate(visible).asBoolean(); attempt++) {
      browser.hover(at[0] - 2, at[1] - 2 + attempt % 3);
      browser.hover(at[0], at[1] + attempt % 3 * 0.25);
      browser.evaluate("new Promise(r => setTimeout(r, 100))");
    }
    page.await(visible);
    return browser.evaluate("document.getElementById('vg-tooltip-element').innerText").asText();
  }

  private static double number(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as("%s in %s", p, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static int[] rgb(String css) {
    Matcher m = Pattern.compile("rgb\\((\\d+), (\\d+), (\\d+)\\)").matcher(css);
    assertThat(m.matches()).as(css).isTrue();
    return new int[] {
      Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
    };
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String signed(double v) {
    String abs = String.format(Locale.ROOT, "%.3f", Math.abs(v));
    return (v > 0 ? "+" : v < 0 ? "−" : "") + abs;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(t -> out.add(t.asText()));
    return out;
  }

  private static List<String> texts(String selector) throws IOException {
    List<String> out = new ArrayList<>();
    browser
        .evaluate("[...document.querySelectorAll('" + selector + "')].map(e => e.textContent)")
        .forEach(v -> out.add(v.asText()));
    return out;
  }

  private static List<String> options(String id) throws IOException {
    List<String> out = new ArrayList<>();
    browser
        .evaluate(
            "[...document.querySelectorAll('#"
                + id
                + " option')].map(o => o.value + ':' + o.textContent)")
        .forEach(v -> out.add(v.asText()));
    return out;
  }

  /** Picks an entry of the Compare-with picker as a hand would: open it, click the entry. */
  private static void compareWith(String value) throws IOException {
    browser.evaluate(
        "document.getElementById('drift').click();"
            + " document.querySelector('#drift-options [data-value=\""
            + value
            + "\"]').click()");
  }

  private static boolean disabled(String id, String value) throws IOException {
    return browser
        .evaluate("document.querySelector('#" + id + " option[value=\"" + value + "\"]').disabled")
        .asBoolean();
  }

  private static boolean entryDisabled(String value) throws IOException {
    return "true".equals(entry(value, "getAttribute('aria-disabled')"));
  }

  /** A property (or call) of the Compare-with entry of a run ("" for none). */
  private static String entry(String value, String property) throws IOException {
    return browser
        .evaluate(
            "document.querySelector('#drift-options [data-value=\"" + value + "\"]')." + property)
        .asText();
  }

  private static void choose(String id, String value) throws IOException {
    browser.evaluate(
        "(() => { const s = document.getElementById('"
            + id
            + "'); s.value = '"
            + value
            + "';"
            + " s.dispatchEvent(new Event('change')); })()");
  }

  private static boolean visible(String id) throws IOException {
    return browser.evaluate("!document.getElementById('" + id + "').hidden").asBoolean();
  }

  /** The CSV the page's CSV button saves: its Blob, caught on its way to a download link. */
  private static String visibleCsv() throws IOException {
    return browser
        .evaluate(
            "(() => { let blob = null; const create = URL.createObjectURL;"
                + " URL.createObjectURL = (b) => { blob = b; return create.call(URL, b); };"
                + " try { document.getElementById('csv').click(); } finally { URL.createObjectURL = create; }"
                + " return blob.text(); })()")
        .asText();
  }

  private static String exportedSvg() throws IOException {
    String svg =
        browser
            .evaluate(
                "(async () => { const a = [...document.querySelectorAll('#chart .vega-actions a')]"
                    + ".find(l => l.textContent.includes('SVG'));"
                    + " a.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
                    + " for (let i = 0; i < 200 && !a.href.startsWith('data:'); i++)"
                    + " await new Promise(r => setTimeout(r, 50));"
                    + " return a.href; })()")
            .asText();
    return java.net.URLDecoder.decode(svg.substring(svg.indexOf(',') + 1), "UTF-8");
  }
}
