package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.ContractRun;
import org.simheat.viewer.testing.HeadlessChromium;
import org.simheat.viewer.testing.SimheatPage;

/**
 * The page over runs in cluster order and a cross run, in real headless Chromium: the run picker
 * names each run's order and switches to the same input's other order in one click; the cluster
 * view draws the K × K matrix and a click on a cluster pair opens the token view on exactly that
 * block; the token view draws cluster boundaries while legible, names clusters in its tooltip and
 * finds clusters by label or token; Shift-drag selects a region whose panel lists its cells and
 * best pairs; a cross run has a search per vocabulary and no self-pairs control.
 *
 * <p>The runs are written into a temporary directory as the README's "Output format" lays them out
 * (see {@link ContractRun}); the assertions ask the API for the facts they check (cluster ranges,
 * labels, pairs), so they hold for runs computed by the job as well.
 */
class ClusterPageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  private static final String INPUT = "20261124T090000Z-1a9a7021";
  private static final String CROSS = "20261124T093000Z-c2055021";
  private static final String CLUSTERED = "20261124T100000Z-c1a5e421";
  private static final int K = 9;

  @TempDir static Path data;
  private static ViewerServer server;
  private static HeadlessChromium chromium;
  private static SimheatPage page;
  private static BrowserPage browser;

  @BeforeAll
  static void start() throws IOException {
    assertThat(HeadlessChromium.isAvailable())
        .as("%s is missing: apt-get install -y chromium", HeadlessChromium.executable())
        .isTrue();
    ContractRun.symmetric(INPUT, "2026-11-24T09:00:00Z", 600, 8, 21, K, false).write(data);
    ContractRun.cross(CROSS, "2026-11-24T09:30:00Z", 600, 300, 8, 22, 6, 4).write(data);
    ContractRun.symmetric(CLUSTERED, "2026-11-24T10:00:00Z", 600, 8, 21, K, true).write(data);
    server = ViewerServer.start(new RunService(data), ServerOptions.defaults().withPort(0));
    chromium =
        HeadlessChromium.launch(Path.of(System.getProperty("java.io.tmpdir")), 1280, 800, PATIENCE);
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
  void theRunPickerNamesEachOrderAndSwitchesToTheSameInputsOtherOrderInOneClick()
      throws IOException {
    page.open("#run=" + INPUT + "&metric=dot&agg=max");
    String options =
        browser
            .evaluate(
                "[...document.querySelectorAll('#run-options [role=option]')]"
                    + ".map(o => o.textContent).join('|')")
            .asText();
    assertThat(options.split("\\|"))
        .anySatisfy(
            o -> assertThat(o).startsWith(CLUSTERED).endsWith(" · cluster order (K = 9) · latest"))
        .anySatisfy(o -> assertThat(o).startsWith(INPUT).endsWith(" · input order"))
        .anySatisfy(
            o -> assertThat(o).startsWith(CROSS).endsWith(" · cluster order (K = 6 × 4) · cross"));
    assertThat(content("order-switch")).isEqualTo("Show in cluster order (K = 9)");
    assertThat(visible("view-switch")).as("an input-order run has no cluster view").isFalse();

    browser.evaluate("document.getElementById('order-switch').click()");
    page.awaitReady("document.getElementById('run').value === '" + CLUSTERED + "'");

    assertThat(page.text("metric")).as("settings carry over").isEqualTo("dot");
    assertThat(page.text("agg")).isEqualTo("max");
    assertThat(visible("view-switch")).isTrue();
    assertThat(content("order-switch")).isEqualTo("Show in input order");
  }

  @Test
  void clickingAClusterPairOpensTheTokenViewOnExactlyThatBlock() throws IOException {
    page.open("#run=" + CLUSTERED + "&view=clusters");
    assertThat(page.data("mode")).isEqualTo("clusters");
    assertThat(page.data("cells")).isEqualTo(String.valueOf(K * K));
    assertThat(page.data("view")).isEqualTo("0,9,0,9");
    JsonNode clusters = page.getJson("api/runs/" + CLUSTERED + "/clusters");
    JsonNode rowCluster = clusters.at("/clusters/2");
    JsonNode colCluster = clusters.at("/clusters/6");
    assertThat(exportedSvg()).as("cluster labels on the axes").contains(text(rowCluster));
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-clusters.png"), browser.screenshot());

    double[] at = page.pointAt(6.5, 2.5);
    browser.click(at[0], at[1], 1);
    String block =
        String.join(
            ",",
            colCluster.get("start").asText(),
            colCluster.get("end").asText(),
            rowCluster.get("start").asText(),
            rowCluster.get("end").asText());
    page.awaitReady("document.body.dataset.mode === 'tokens'");

    assertThat(page.data("view")).isEqualTo(block);
    // The hash follows the view after a short pause.
    page.await("!location.hash.includes('view=clusters')");
    assertThat(browser.evaluate("location.hash").asText())
        .contains("x=" + colCluster.get("start").asText() + "," + colCluster.get("end").asText());
    Files.write(SCREENSHOTS.resolve("page-cluster-block.png"), browser.screenshot());
  }

  @Test
  void theClusterViewTakesTheHeatmapsControlsAndKeepsThemInTheUrl() throws IOException {
    page.open("#run=" + CLUSTERED + "&view=clusters&metric=l2&agg=min&res=32&cx=2,7&cy=0,4");
    assertThat(page.data("view")).isEqualTo("2,7,0,4");
    assertThat(page.data("cells")).isEqualTo("20");
    assertThat(page.text("metric")).isEqualTo("l2");
    assertThat(visible("mask-field")).as("cluster cells pool every pair").isFalse();
    String hash = browser.evaluate("location.hash").asText();
    assertThat(hash).contains("view=clusters", "cx=2,7", "cy=0,4", "metric=l2", "agg=min");
    JsonNode matrix = page.getJson("api/runs/" + CLUSTERED + "/cluster-tiles/l2");
    String low = page.pixelAt(2.5, 0.5);

    browser.evaluate(
        "document.getElementById('agg').value = 'max';"
            + " document.getElementById('agg').dispatchEvent(new Event('change'))");
    page.awaitReady("location.hash.includes('agg=max')");

    assertThat(matrix.at("/max/2").asDouble()).isGreaterThan(matrix.at("/min/2").asDouble());
    assertThat(page.pixelAt(2.5, 0.5)).as("cell (0, 2) recoloured by its max").isNotEqualTo(low);
    browser.press("c", 0);
    page.awaitReady("document.body.dataset.mode === 'tokens'");
    assertThat(page.data("view")).isEqualTo("0,600,0,600");
  }

  @Test
  void theTokenViewDrawsClusterBoundariesWhileLegible() throws IOException {
    page.open("#run=" + CLUSTERED);
    assertThat(page.data("boundaries")).as("K − 1 rules on each axis").isEqualTo("16");
    JsonNode first = page.getJson("api/runs/" + CLUSTERED + "/clusters").at("/clusters/0");
    long end = first.get("end").asLong();
    page.open("#run=" + CLUSTERED + "&x=0," + (end - 1) + "&y=0," + (end - 1));
    assertThat(page.data("boundaries")).as("inside one cluster").isEqualTo("0");

    JsonNode tree = page.getJson("api/runs/" + CLUSTERED + "/clusters").get("clusters");
    String rules =
        "import(new URL('js/clusters.js', location.href).href).then(m => {"
            + " const a = new m.ClusterAxis("
            + tree
            + "); return [8, 3, 1, 0].map(n => a.rules([0, 600], n))"
            + ".map(r => r.positions.length + '@' + r.depth).join(' '); })";
    assertThat(browser.evaluate(rules).asText())
        .as("too dense for the leaves: coarser cuts of the tree, then none")
        .isEqualTo("8@4 3@2 1@1 0@0");
  }

  @Test
  void hoveringATokenCellNamesItsClusters() throws IOException {
    page.open("#run=" + CLUSTERED + "&x=0,10&y=0,10");
    JsonNode first = page.getJson("api/runs/" + CLUSTERED + "/clusters").at("/clusters/0");
    double[] at = page.pointAt(2.5, 7.5);
    String visible =
        "Boolean((document.getElementById('vg-tooltip-element') || {}).classList?.contains('visible'))";
    for (int attempt = 0; attempt < 20 && !browser.evaluate(visible).asBoolean(); attempt++) {
      browser.hover(at[0] - 3, at[1] - 3 + attempt % 3);
      browser.hover(at[0], at[1] + attempt % 3 * 0.25);
      browser.evaluate("new Promise(r => setTimeout(r, 100))");
    }
    page.await(visible);

    assertThat(browser.evaluate("document.getElementById('vg-tooltip-element').innerText").asText())
        .contains("row cluster", "column cluster", "#0 " + first.get("label").asText());
  }

  @Test
  void theClusterSearchFindsALabelOrATokenAndJumpsToItsCluster() throws IOException {
    page.open("#run=" + CLUSTERED);
    assertThat(visible("cluster-search")).isTrue();
    JsonNode tree = page.getJson("api/runs/" + CLUSTERED + "/clusters").get("clusters");
    JsonNode piano = null;
    for (JsonNode c : tree) {
      if (piano == null && c.get("leaf").asBoolean() && c.get("label").asText().contains("piano")) {
        piano = c;
      }
    }
    assertThat(piano).as("a leaf labelled with piano tokens").isNotNull();

    browser.evaluate("document.getElementById('search-clusters').focus()");
    browser.insertText("piano");
    page.await(
        "[...document.querySelectorAll('#search-clusters-list li')]"
            + ".some(li => li.textContent.includes('#"
            + piano.get("cluster").asInt()
            + " · '))");
    browser.press("Enter", 0);
    String range = piano.get("start").asText() + "," + piano.get("end").asText();
    page.awaitReady("document.body.dataset.view === '" + range + "," + range + "'");

    String token =
        page.getJson("api/runs/" + CLUSTERED + "/tokens?q=stone&limit=1").at("/0/token").asText();
    page.open("#run=" + CLUSTERED + "&view=clusters");
    browser.evaluate("document.getElementById('search-clusters').focus()");
    browser.insertText(token);
    page.await(
        "[...document.querySelectorAll('#search-clusters-list li')]"
            + ".some(li => li.textContent.includes('"
            + token
            + "'))");
    browser.press("Enter", 0);
    page.awaitReady("document.body.dataset.mode === 'tokens'");
    long position =
        page.getJson("api/runs/" + CLUSTERED + "/tokens?q=" + token + "&limit=1")
            .at("/0/position")
            .asLong();
    long[] view = page.viewport();
    assertThat(position).as("the token's cluster is in view").isBetween(view[2], view[3] - 1);
  }

  @Test
  void shiftDragSelectsARegionWhosePanelListsItsCellsAndBestPairs() throws IOException {
    page.open("#run=" + CLUSTERED + "&x=0,60&y=100,160&metric=cosine");
    double[] from = page.pointAt(10.2, 110.2);
    double[] to = page.pointAt(40.8, 140.8);
    browser.drag(from[0], from[1], to[0], to[1], BrowserPage.SHIFT);
    page.await("document.body.dataset.regionPairs !== undefined");

    assertThat(page.data("region")).isEqualTo("10,41,110,141");
    assertThat(page.data("view"))
        .as("a region leaves the view as it was")
        .isEqualTo("0,60,100,160");
    assertThat(visible("region")).isTrue();
    JsonNode pairs =
        page.getJson("api/runs/" + CLUSTERED + "/pairs?metric=cosine&x0=10&x1=41&y0=110&y1=141");
    assertThat(page.data("regionPairs")).isEqualTo("20");
    String listed =
        browser
            .evaluate(
                "[...document.querySelectorAll('#region-pairs .tok')].map(t => t.textContent).join('|')")
            .asText();
    assertThat(listed.split("\\|")[0])
        .isEqualTo(
            pairs.at("/pairs/0/rowToken").asText()
                + " × "
                + pairs.at("/pairs/0/colToken").asText());
    JsonNode cells =
        page.getJson(
            "api/runs/"
                + CLUSTERED
                + "/view?metric=cosine&agg=mean&x0=10&x1=41&y0=110&y1=141&res=128");
    assertThat(page.data("regionCells")).isEqualTo(String.valueOf(cells.at("/data/values").size()));
    page.await("location.hash.includes('reg=10,41,110,141')");
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-region.png"), browser.screenshot());

    browser.evaluate("document.querySelector('#region-pairs button').click()");
    String sel = pairs.at("/pairs/0/row").asText() + "," + pairs.at("/pairs/0/col").asText();
    page.awaitReady("document.body.dataset.crosshair === '" + sel + "'");
    browser.press("Escape", 0);
    page.await("document.body.dataset.region === undefined");
    assertThat(visible("region")).isFalse();
  }

  @Test
  void aRegionInTheUrlOpensItsPanel() throws IOException {
    page.open("#run=" + CLUSTERED + "&reg=0,600,0,600");
    page.await("document.body.dataset.regionPairs !== undefined");
    assertThat(page.data("regionPairs")).isEqualTo("20");
    assertThat(content("region-summary")).contains("360,000 pairs");
  }

  @Test
  void aCrossRunSearchesEachVocabularyAndHasNoSelfPairsControl() throws IOException {
    page.open("#run=" + CROSS + "&mask=1");
    assertThat(visible("mask-field")).isFalse();
    assertThat(browser.evaluate("location.hash").asText()).doesNotContain("mask=");
    assertThat(browser.evaluate("document.getElementById('search-rows').placeholder").asText())
        .isEqualTo("Find a row token (synthetic:rows-22)…");
    assertThat(browser.evaluate("document.getElementById('search-cols').placeholder").asText())
        .isEqualTo("Find a column token (synthetic:cols-22)…");

    browser.evaluate("document.getElementById('search-rows').focus()");
    browser.insertText("north");
    page.await(
        "[...document.querySelectorAll('#search-rows-list li')]"
            + ".some(li => li.textContent.includes('Nothing matches'))");
    browser.evaluate("document.getElementById('search-cols').focus()");
    browser.insertText("north_1");
    page.await(
        "[...document.querySelectorAll('#search-cols-list li')]"
            + ".some(li => li.textContent.startsWith('north_1'))");
    browser.press("Enter", 0);
    JsonNode hit = page.getJson("api/runs/" + CROSS + "/tokens?q=north_1&axis=cols&limit=1").get(0);
    page.awaitReady(
        "(document.body.dataset.crosshair || '').endsWith(',"
            + hit.get("position").asLong()
            + "')");
    page.await("document.querySelector('#neighbours .tok') !== null");
    assertThat(content("neighbours-title")).startsWith("Best columns for");
    assertThat(browser.evaluate("document.querySelector('#neighbours .tok').textContent").asText())
        .matches("(north|south|east|west|summer|winter|autumn)_[0-9]+");
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-cross.png"), browser.screenshot());
  }

  private static String content(String id) throws IOException {
    return browser.evaluate("document.getElementById('" + id + "').textContent").asText();
  }

  private static boolean visible(String id) throws IOException {
    return !browser.evaluate("document.getElementById('" + id + "').hidden").asBoolean();
  }

  /** A cluster's label as the SVG export writes it (ticks clip long labels: its first token). */
  private static String text(JsonNode cluster) {
    return cluster.at("/labelTokens/0").asText();
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
