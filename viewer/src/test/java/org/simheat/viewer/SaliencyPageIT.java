package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
import org.simheat.viewer.testing.SaliencyFixture.Token;

/**
 * The saliency page in real headless Chromium over real documents: hovering a token colours every
 * token of every facet by its heat row (checked against the colour computed here from the values
 * written), {@code ?focus=} and {@code window.simheat.highlight} focus without hovering, also when
 * not interactive, format tokens ignore the pointer, arrow keys move the focus, and a 20,000-token
 * document renders only a window of its tokens.
 */
class SaliencyPageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"));

  @TempDir static Path out;
  private static ViewerServer server;
  private static HeadlessChromium chromium;
  private static BrowserPage page;
  private static URI base;
  private static List<List<Token>> cat;
  private static List<List<Token>> longText;

  @BeforeAll
  static void start() throws IOException {
    assertThat(HeadlessChromium.isAvailable()).as("chromium is missing").isTrue();
    Path top = out.resolve(RunLayout.SALIENCY);
    cat = SaliencyFixture.text(24, 2, 4, true, 11);
    SaliencyFixture.write(top, "cat", "The cat", List.of("Words", "Chars"), cat, false);
    SaliencyFixture.write(
        top, "the-cat-sat", "The cat sat", List.of("Attention", "Gradient"), sentence(), false);
    longText = SaliencyFixture.text(20_000, 1, 5, false, 12);
    SaliencyFixture.write(top, "long", "Long", List.of("Only"), longText, true);
    Files.createDirectories(out.resolve(RunLayout.RUNS));
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
  void listsTheDocuments() throws IOException {
    open("saliency.html");
    assertThat(page.evaluate("document.getElementById('doc-list').innerText").asText())
        .contains("The cat")
        .contains("Long");
  }

  @Test
  void hoveringATokenColoursEveryTokenByItsHeat() throws IOException {
    open("saliency.html?doc=cat");
    double[] at = centre("#text .sal-cell[data-facet='1'] [data-pos='5']");
    page.hover(at[0], at[1]);
    page.waitUntil("document.body.dataset.focus === '5'", PATIENCE);
    assertColours(5);
    assertThat(page.evaluate("document.querySelectorAll('.sal-focus').length").asInt())
        .isEqualTo(2);
  }

  @Test
  void focusFromTheUrlAndTheApiWorksWithoutInteraction() throws IOException {
    open("saliency.html?doc=cat&interactive=0&focus=9&show_meta=1");
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(9);
    assertColours(9);
    assertThat(page.evaluate("document.querySelector('.sal-meta').innerText").asText())
        .contains("w0_9!")
        .contains("m2");
    double[] at = centre("#text .sal-cell[data-facet='0'] [data-pos='13']");
    page.hover(at[0], at[1]);
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(9);
    page.evaluate("window.simheat.highlight(14)");
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(14);
    assertColours(14);
  }

  @Test
  void formatTokensIgnoreHover() throws IOException {
    open("saliency.html?doc=cat&focus=4");
    assertThat(
            page.evaluate(
                    "document.querySelectorAll('.sal-format [data-pos], .sal-format[data-pos]').length")
                .asInt())
        .isZero();
    double[] at = centre("#text .sal-cell[data-facet='0'] .sal-format");
    page.hover(at[0], at[1]);
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(4);
    assertColours(4);
  }

  @Test
  void arrowKeysMoveTheFocusOverFormatTokens() throws IOException {
    open("saliency.html?doc=cat&focus=5");
    page.press("ArrowRight", 0);
    page.waitUntil("document.body.dataset.focus === '6'", PATIENCE);
    page.press("ArrowRight", 0);
    page.waitUntil("document.body.dataset.focus === '8'", PATIENCE);
    page.press("ArrowLeft", 0);
    page.waitUntil("document.body.dataset.focus === '6'", PATIENCE);
    assertColours(6);
  }

  @Test
  void aLongTextRendersOnlyAWindowAndColoursTheFocus() throws IOException {
    open("saliency.html?doc=long&focus=15001");
    int rendered =
        page.evaluate("document.querySelectorAll('.sal-token, .sal-format').length").asInt();
    assertThat(rendered).isGreaterThan(0).isLessThanOrEqualTo(16 * 500);
    String colour = background("#text [data-pos='15002']");
    float v = longText.get(0).get(15001).heat()[15002];
    assertThat(colour).isEqualTo(expected(v, clip(), false));
    page.evaluate("window.simheat.highlight(2)");
    assertThat(page.evaluate("window.simheat.focus()").asInt()).isEqualTo(2);
    assertThat(background("#text [data-pos='4']"))
        .isEqualTo(expected(longText.get(0).get(2).heat()[4], clip(), false));
  }

  @Test
  void theVegaLiteViewCompilesAndRunsInTheBrowser() throws IOException {
    page.navigate(base.resolve("saliency.html"), PATIENCE);
    page.waitUntil("document.body.dataset.state === 'ready'", PATIENCE);
    for (String script : List.of("vega", "vega-lite", "vega-embed")) {
      page.evaluate(
          "new Promise((ok, no) => { const s = document.createElement('script');"
              + " s.src = 'vendor/"
              + script
              + ".min.js'; s.onload = ok; s.onerror = no; document.head.append(s); })");
    }
    // Under the page's Content-Security-Policy (no 'unsafe-eval'), as the heatmap page embeds.
    JsonNode rows =
        page.evaluate(
            "(async () => { const spec = await (await fetch('api/saliency/cat/spec?focus=5')).json();"
                + " const el = document.createElement('div'); document.body.append(el);"
                + " const r = await vegaEmbed(el, spec, {ast: true, renderer: 'none',"
                + " actions: false, defaultStyle: false, tooltip: false});"
                + " return r.view.data('facet0').map((d) => d.heat); })()");
    float[] heat = cat.get(0).get(5).heat();
    assertThat(rows.size()).isEqualTo(24);
    for (int j = 0; j < 24; j++) {
      if (j % 4 != 3) {
        assertThat((float) rows.get(j).asDouble()).isEqualTo(heat[j]);
      }
    }
  }

  @Test
  void facetsSitSideBySideOrStackedAtTheirWidth() throws IOException {
    String tops =
        "[...document.querySelectorAll('.sal-section')].map((e) => {"
            + " const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.left]; })";
    open("saliency.html?doc=cat&width=300");
    JsonNode side = page.evaluate(tops);
    assertThat(side.get(1).get(0).asDouble()).isEqualTo(side.get(0).get(0).asDouble());
    assertThat(side.get(1).get(2).asDouble()).isGreaterThan(side.get(0).get(2).asDouble() + 299);
    open("saliency.html?doc=cat&layout=stacked&width=300&rotate_titles=1");
    JsonNode stacked = page.evaluate(tops);
    assertThat(stacked.get(1).get(0).asDouble())
        .isGreaterThanOrEqualTo(stacked.get(0).get(1).asDouble());
    assertThat(
            page.evaluate(
                    "document.querySelector('.sal-cell').parentElement.getBoundingClientRect().width")
                .asDouble())
        .isEqualTo(300.0);
    assertThat(
            page.evaluate("getComputedStyle(document.querySelector('.sal-title')).writingMode")
                .asText())
        .isEqualTo("vertical-rl");
  }

  @Test
  void screenshotOfASentence() throws IOException {
    open("saliency.html?doc=the-cat-sat&focus=14&show_meta=1&width=420");
    assertThat(page.evaluate("document.querySelector('.sal-meta').innerText").asText())
        .contains("cat");
    Path shots = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
    Files.createDirectories(shots);
    Files.write(shots.resolve("saliency.png"), page.screenshot());
  }

  /**
   * "The cat sat on the mat because it was tired." as words and spaces; a word's heat falls off
   * with distance (attention) or alternates in sign (gradient), and "it" looks back at "cat".
   */
  private static List<List<Token>> sentence() {
    String[] words = "The cat sat on the mat because it was tired .".split(" ");
    List<List<Token>> facets = new java.util.ArrayList<>();
    for (int f = 0; f < 2; f++) {
      List<Token> facet = new java.util.ArrayList<>();
      int n = 2 * words.length - 1;
      for (int i = 0; i < n; i++) {
        if (i % 2 == 1) {
          facet.add(Token.of(" ", new String[0], null, true));
          continue;
        }
        float[] heat = new float[n];
        for (int j = 0; j < n; j += 2) {
          double near = Math.exp(-Math.abs(i - j) / 6.0);
          heat[j] = (float) (f == 0 ? near : near * Math.cos(j));
        }
        if (i == 14) {
          heat[2] = f == 0 ? 0.9f : -0.8f;
        }
        String w = words[i / 2];
        facet.add(
            Token.of(
                w,
                new String[] {w.toLowerCase(Locale.ROOT), i == 14 ? "cat" : "the"},
                heat,
                false));
      }
      facets.add(facet);
    }
    return facets;
  }

  private static void open(String target) throws IOException {
    page.navigate(base.resolve(target), PATIENCE);
    page.waitUntil("['ready', 'error'].includes(document.body.dataset.state)", PATIENCE);
    assertThat(page.evaluate("document.body.dataset.state").asText()).isEqualTo("ready");
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

  private static String background(String selector) throws IOException {
    return page.evaluate(
            "getComputedStyle(document.querySelector(\"" + selector + "\")).backgroundColor")
        .asText();
  }

  /** Every token of both facets of "cat" has the colour of its heat from the focus's row. */
  private static void assertColours(int focus) throws IOException {
    double clip = clip();
    for (int f = 0; f < 2; f++) {
      float[] row = cat.get(f).get(focus).heat();
      for (int j = 0; j < 24; j++) {
        if (j % 4 == 3) {
          continue;
        }
        String got = background("#text .sal-cell[data-facet='" + f + "'] [data-pos='" + j + "']");
        String want = row == null ? "rgba(0, 0, 0, 0)" : expected(row[j], clip, true);
        assertThat(got).as("facet %d, token %d, focus %d", f, j, focus).isEqualTo(want);
      }
    }
  }

  /** The colour scale's clip: the document's largest |heat|, as the page parses it. */
  private static double clip() throws IOException {
    JsonNode heat = page.evaluate("window.simheat.view.doc.heat");
    return Math.max(Math.abs(heat.get("min").asDouble()), Math.abs(heat.get("max").asDouble()));
  }

  /** The page's colour of a heat value, computed independently: white to red, or blue below 0. */
  private static String expected(float value, double clip, boolean diverging) {
    double t = Math.min(1, Math.abs((double) value) / clip);
    int[] to = diverging && value < 0 ? new int[] {28, 126, 214} : new int[] {217, 72, 15};
    if (value <= 0 && !(diverging && value < 0)) {
      t = 0;
    }
    long r = Math.round(255 + (to[0] - 255) * t);
    long g = Math.round(255 + (to[1] - 255) * t);
    long b = Math.round(255 + (to[2] - 255) * t);
    return String.format(Locale.ROOT, "rgb(%d, %d, %d)", r, g, b);
  }
}
