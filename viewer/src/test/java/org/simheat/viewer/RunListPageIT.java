package org.simheat.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.viewer.http.ServerOptions;
import org.simheat.viewer.http.ViewerServer;
import org.simheat.viewer.service.RunService;
import org.simheat.viewer.testing.BrowserPage;
import org.simheat.viewer.testing.Fixture;
import org.simheat.viewer.testing.HeadlessChromium;
import org.simheat.viewer.testing.SimheatPage;

/**
 * The run picker and the live run list in real headless Chromium: each run in the picker names its
 * id, local time, input, shape, metrics, order and whether it is the latest; a run committed into
 * the data directory while the page is open joins the picker without a reload and, when newer than
 * the viewed run, is offered in a notice that switches to it in one click; a viewed run deleted
 * from the data directory gets a banner, never a script error, and the picker keeps working.
 *
 * <p>Each test serves its own copy of the committed fixtures from a temporary directory and changes
 * it as the job would (a run directory moved into {@code runs/}, then {@code LATEST} replaced; a
 * run deleted manifest first).
 */
class RunListPageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
  private static final String RUN = Fixture.RUN_ID;
  private static final String OLDER = "20261121T120000Z-0dd0ab12";
  private static final String NEWER = "20261123T070000Z-0e1a2b3c";
  private static final String ORDERED = "20261122T100000Z-0bde1234";

  @TempDir Path data;
  private static HeadlessChromium chromium;
  private static BrowserPage browser;
  private ViewerServer server;
  private SimheatPage page;

  @BeforeAll
  static void launch() throws IOException {
    assertThat(HeadlessChromium.isAvailable())
        .as("%s is missing: apt-get install -y chromium", HeadlessChromium.executable())
        .isTrue();
    chromium =
        HeadlessChromium.launch(Path.of(System.getProperty("java.io.tmpdir")), 1400, 900, PATIENCE);
    browser = chromium.page();
  }

  @AfterEach
  void noScriptErrorsThenStop() throws IOException {
    try {
      if (page != null) {
        assertThat(page.data("jsError")).as("uncaught script error").isEmpty();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  @AfterAll
  static void close() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void thePickerDescribesEveryRun() throws IOException {
    Fixture.copyDataDir(data);
    List<String> others = Fixture.addFixtureRuns(data, "fixture-clusters");
    Fixture.addRunCopy(data, ORDERED, "2026-11-22T10:00:00Z");
    Fixture.editManifest(
        data,
        ORDERED,
        "\"kind\" : \"input\",",
        "\"kind\" : \"input\", \"from\" : \"" + RUN + "\",");
    serve();
    page.open("#run=" + RUN);

    ZoneId zone =
        ZoneId.of(browser.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone").asText());
    JsonNode runs = page.getJson("api/runs");
    assertThat(runs).hasSize(4);
    for (JsonNode r : runs) {
      String id = r.get("runId").asText();
      assertThat(optionText(id)).as("picker line of %s", id).isEqualTo(expectedLine(r, zone));
      assertThat(optionTitle(id)).contains("Input: " + r.get("source").asText() + " (npy)");
    }
    String symmetricClustered = others.get(0);
    String cross = others.get(1);
    assertThat(optionText(RUN))
        .startsWith(RUN + " · ")
        .endsWith(" · input.npy · N 600, d 8 · cosine, dot, l2 · input order · latest");
    assertThat(optionText(ORDERED)).endsWith(" · order of " + RUN);
    assertThat(optionText(symmetricClustered)).endsWith(" · cluster order (K = 12)");
    assertThat(optionText(cross))
        .endsWith(
            " · input.npy × cols.npy · N 600 × 300, d 8 · cosine, dot, l2"
                + " · cluster order (K = 8 × 8) · cross");
    assertThat(optionTitle(cross)).contains("Columns: ");
    assertThat(page.text("run")).isEqualTo(RUN);
    assertThat(browser.evaluate("document.getElementById('run').title").asText())
        .contains(Fixture.dir().resolve("input.npy").getFileName().toString());
    assertThat(browser.evaluate("document.getElementById('run').textContent").asText())
        .isEqualTo(RUN + " · " + optionText(RUN).split(" · ")[1] + " · latest▾");

    browser.evaluate("document.getElementById('run').click()");
    page.await("!document.getElementById('run-options').hidden");
    assertThat(browser.evaluate("document.activeElement.id").asText()).isEqualTo("run-options");
    assertThat(active()).as("the list opens on the viewed run").isEqualTo(RUN);
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-picker.png"), browser.screenshot());

    // Keys move through the list and Enter picks, as in a <select>.
    browser.press("ArrowUp", 0);
    String next = active();
    assertThat(next).isNotEqualTo(RUN);
    browser.press("Enter", 0);
    page.awaitReady("location.hash.includes('run=" + next + "')");
    assertThat(page.text("run")).isEqualTo(next);
    assertThat(browser.evaluate("document.getElementById('run-options').hidden").asBoolean())
        .isTrue();
    assertThat(browser.evaluate("location.hash").asText()).contains("run=" + next);
  }

  private String active() throws IOException {
    return browser
        .evaluate("document.querySelector('#run-options .active').dataset.value")
        .asText();
  }

  @Test
  void aRunCommittedWhileThePageIsOpenJoinsThePickerAndANewerOneIsOffered() throws IOException {
    Fixture.copyDataDir(data);
    serve();
    page.open("");
    assertThat(page.text("run")).isEqualTo(RUN);
    assertThat(options()).containsExactly(RUN);

    commit(OLDER, "2026-11-21T12:00:00Z", false);
    page.await("document.querySelector('#run-options [data-value=\"" + OLDER + "\"]') !== null");
    assertThat(options()).containsExactly(RUN, OLDER);
    assertThat(page.data("newRun")).as("an older run is not offered").isEmpty();
    assertThat(visible("new-run")).isFalse();

    commit(NEWER, "2026-11-23T07:00:00Z", true);
    page.await("document.body.dataset.newRun === '" + NEWER + "'");
    assertThat(options()).containsExactly(NEWER, RUN, OLDER);
    assertThat(optionText(NEWER)).endsWith(" · latest");
    assertThat(optionText(RUN)).doesNotContain("latest");
    assertThat(visible("new-run")).isTrue();
    assertThat(content("new-run")).isEqualTo("New run " + NEWER + " — show it ×");
    assertThat(page.text("run")).as("the viewed run stays").isEqualTo(RUN);
    assertThat(page.data("view")).isEqualTo("0,600,0,600");

    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-new-run.png"), browser.screenshot());
    browser.evaluate("document.getElementById('new-run-show').click()");
    page.awaitReady("document.getElementById('run').value === '" + NEWER + "'");
    assertThat(visible("new-run")).isFalse();
    assertThat(page.data("newRun")).isEmpty();
    assertThat(browser.evaluate("location.hash").asText()).contains("run=" + NEWER);
  }

  @Test
  void theViewedRunDeletedGetsABannerAndThePickerKeepsWorking() throws IOException {
    Fixture.copyDataDir(data);
    commit(NEWER, "2026-11-23T07:00:00Z", true);
    serve();
    page.open("#run=" + NEWER);
    assertThat(page.text("run")).isEqualTo(NEWER);

    delete(NEWER, RUN);
    page.await("document.body.dataset.runGone === '" + NEWER + "'");
    String banner =
        "Run " + NEWER + " was deleted from the data directory. Pick another run above.";
    assertThat(content("run-gone")).isEqualTo(banner);
    assertThat(visible("run-gone")).isTrue();
    assertThat(page.data("state")).isEqualTo("error");
    assertThat(optionText(NEWER)).isEqualTo(NEWER + " · deleted");
    assertThat(
            browser
                .evaluate(
                    "document.querySelector('#run-options [data-value=\""
                        + NEWER
                        + "\"]').getAttribute('aria-disabled') === 'true'")
                .asBoolean())
        .isTrue();

    // A request for the deleted run answers 404 "no longer exists": the same banner, no script
    // error.
    browser.evaluate("document.getElementById('zoom-in').click()");
    page.await(
        "document.body.dataset.state === 'error' && !document.getElementById('chart').classList.contains('is-loading')");
    assertThat(content("run-gone")).isEqualTo(banner);
    assertThat(visible("notice")).as("no error notice besides the banner").isFalse();
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve("page-run-deleted.png"), browser.screenshot());

    browser.evaluate(
        "document.getElementById('run').click();"
            + " document.querySelector('#run-options [data-value=\""
            + RUN
            + "\"]').click()");
    page.awaitReady("document.getElementById('run').value === '" + RUN + "'");
    assertThat(visible("run-gone")).isFalse();
    assertThat(page.data("runGone")).isEmpty();
    assertThat(options()).containsExactly(RUN);
    assertThat(page.data("view")).isEqualTo("0,600,0,600");
    assertThat(page.canvasColours()).isGreaterThan(40);
  }

  @Test
  void theBaselineOfAComparisonDeletedLeavesTheComparisonWithABanner() throws IOException {
    Fixture.copyDataDir(data);
    commit(NEWER, "2026-11-23T07:00:00Z", true);
    serve();
    page.open("#run=" + NEWER + "&drift=" + RUN);
    assertThat(page.data("drift")).as("copies of one run align").isEqualTo(RUN);

    delete(RUN, NEWER);
    page.awaitReady(
        "document.body.dataset.runGone === '" + RUN + "' && !document.body.dataset.drift");
    assertThat(content("run-gone"))
        .isEqualTo(
            "Run "
                + RUN
                + ", the baseline of the comparison, was deleted from the data directory."
                + " Pick another run to compare with.");
    assertThat(page.text("run")).isEqualTo(NEWER);
    assertThat(page.text("drift")).isEmpty();
    assertThat(options()).containsExactly(NEWER);
    assertThat(browser.evaluate("location.hash").asText()).doesNotContain("drift=");
    assertThat(page.canvasColours()).isGreaterThan(40);
  }

  private void serve() throws IOException {
    server = ViewerServer.start(new RunService(data), ServerOptions.defaults().withPort(0));
    page =
        new SimheatPage(browser, URI.create("http://127.0.0.1:" + server.port() + "/"), PATIENCE);
  }

  /** Commits a copy of the fixture run as the job does: the run directory, then LATEST. */
  private void commit(String id, String createdAt, boolean latest) throws IOException {
    Fixture.addRunCopy(data, id, createdAt);
    if (latest) {
      replaceLatest(id);
    }
  }

  /** Deletes a run as {@code --keep} does (manifest first) after LATEST names another. */
  private void delete(String id, String latest) throws IOException {
    replaceLatest(latest);
    Path dir = data.resolve("runs").resolve(id);
    Files.delete(dir.resolve("manifest.json"));
    Fixture.deleteTree(dir);
  }

  private void replaceLatest(String id) throws IOException {
    Path tmp = data.resolve("LATEST.tmp");
    Files.writeString(tmp, id, StandardCharsets.UTF_8);
    Files.move(tmp, data.resolve("LATEST"), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The picker line the page should show for a run of /api/runs, its time in the browser's zone.
   */
  private static String expectedLine(JsonNode r, ZoneId zone) {
    ZonedDateTime t = Instant.parse(r.get("createdAt").asText()).atZone(zone);
    String pattern =
        t.getYear() == ZonedDateTime.now(zone).getYear() ? "MMM d HH:mm" : "MMM d yyyy HH:mm";
    String time = t.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH));
    boolean cross = !r.get("symmetric").asBoolean();
    String file = Path.of(r.get("source").asText()).getFileName().toString();
    if (cross) {
      file += " × " + Path.of(r.get("colsSource").asText()).getFileName();
    }
    String shape =
        "N "
            + r.get("n").asLong()
            + (cross ? " × " + r.get("nCols").asLong() : "")
            + ", d "
            + r.get("dim").asInt();
    List<String> metrics = new java.util.ArrayList<>();
    r.get("metrics").forEach(m -> metrics.add(m.asText()));
    String order;
    if (r.has("orderFrom")) {
      order = "order of " + r.get("orderFrom").asText();
    } else if (r.get("order").asText().equals("cluster")) {
      int k = r.get("clusters").asInt();
      int kc = r.get("colsClusters").asInt();
      order = "cluster order (K = " + k + (kc > 0 ? " × " + kc : "") + ")";
    } else {
      order = "input order";
    }
    return String.join(
            " · ", r.get("runId").asText(), time, file, shape, String.join(", ", metrics), order)
        + (cross ? " · cross" : "")
        + (r.get("latest").asBoolean() ? " · latest" : "");
  }

  private List<String> options() throws IOException {
    List<String> ids = new java.util.ArrayList<>();
    browser
        .evaluate(
            "[...document.querySelectorAll('#run-options [role=option]')].map(o => o.dataset.value)")
        .forEach(v -> ids.add(v.asText()));
    return ids;
  }

  private String optionText(String id) throws IOException {
    return browser
        .evaluate("document.querySelector('#run-options [data-value=\"" + id + "\"]').textContent")
        .asText();
  }

  private String optionTitle(String id) throws IOException {
    return browser
        .evaluate("document.querySelector('#run-options [data-value=\"" + id + "\"]').title")
        .asText();
  }

  private String content(String id) throws IOException {
    return browser
        .evaluate("document.getElementById('" + id + "').textContent.replace(/\\s+/g, ' ').trim()")
        .asText();
  }

  private boolean visible(String id) throws IOException {
    return browser.evaluate("!document.getElementById('" + id + "').hidden").asBoolean();
  }
}
