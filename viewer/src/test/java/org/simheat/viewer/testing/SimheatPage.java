package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The simheat page as a test sees it in a {@link BrowserPage}: loading it at a URL hash, waiting on
 * its test hooks ({@code body} data attributes: {@code state}, {@code view}, {@code span}, {@code
 * cells}, {@code plot}, {@code crosshair}), mapping matrix positions to screen points and reading
 * the heatmap canvas. It works against any server that serves the page and the API.
 */
public final class SimheatPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BrowserPage browser;
  private final URI base;
  private final Duration patience;

  /**
   * @param browser the tab to drive
   * @param base the server's base URI, ending in {@code /}
   * @param patience how long any wait may take before the test fails (a hang guard, not a limit)
   */
  public SimheatPage(BrowserPage browser, URI base, Duration patience) {
    this.browser = browser;
    this.base = base;
    this.patience = patience;
  }

  public BrowserPage browser() {
    return browser;
  }

  public URI base() {
    return base;
  }

  /**
   * Loads the page afresh at a hash (a hash-only change would not reload it) and waits until it is
   * ready.
   *
   * @throws IOException if the page does not become ready
   */
  public void open(String hash) throws IOException {
    browser.navigate(URI.create("about:blank"), patience);
    String fragment = hash.isEmpty() || hash.startsWith("#") ? hash : "#" + hash;
    browser.navigate(base.resolve(fragment), patience);
    awaitReady("true");
  }

  /**
   * Waits until the page has drawn everything it asked for and a JavaScript condition holds.
   *
   * @throws IOException if that does not happen within the patience
   */
  public void awaitReady(String condition) throws IOException {
    browser.waitUntil("document.body.dataset.state === 'ready' && (" + condition + ")", patience);
  }

  /**
   * Waits until a JavaScript condition holds.
   *
   * @throws IOException if it does not within the patience
   */
  public void await(String condition) throws IOException {
    browser.waitUntil(condition, patience);
  }

  /**
   * A test hook: {@code document.body.dataset[key]}, or "" when unset.
   *
   * @throws IOException if DevTools fails
   */
  public String data(String key) throws IOException {
    return browser.evaluate("document.body.dataset." + key + " ?? ''").asText();
  }

  /**
   * The text of the element with an id, or the value of a form control.
   *
   * @throws IOException if there is no such element
   */
  public String text(String id) throws IOException {
    String el = "document.getElementById('" + id + "')";
    return browser
        .evaluate("'value' in " + el + " ? " + el + ".value : " + el + ".textContent")
        .asText();
  }

  /**
   * The requested viewport {x0, x1, y0, y1} in matrix positions.
   *
   * @throws IOException if the page has not rendered
   */
  public long[] viewport() throws IOException {
    String[] parts = data("view").split(",");
    long[] v = new long[4];
    for (int i = 0; i < 4; i++) {
      v[i] = Long.parseLong(parts[i]);
    }
    return v;
  }

  /**
   * The client point {x, y} of a (fractional) matrix position, when the view's domain is the
   * requested viewport (true whenever the hash holds whole numbers).
   *
   * @throws IOException if the page has not rendered
   */
  public double[] pointAt(double col, double row) throws IOException {
    String[] plot = data("plot").split(",");
    long[] v = viewport();
    double x =
        Double.parseDouble(plot[0]) + (col - v[0]) / (v[1] - v[0]) * Double.parseDouble(plot[2]);
    double y =
        Double.parseDouble(plot[1]) + (row - v[2]) / (v[3] - v[2]) * Double.parseDouble(plot[3]);
    return new double[] {x, y};
  }

  /**
   * The colour of the heatmap's cells canvas at a matrix position, formatted as Vega formats
   * colours: {@code rgb(r, g, b)}.
   *
   * @throws IOException if the page has no canvas
   */
  public String pixelAt(double col, double row) throws IOException {
    double[] at = pointAt(col, row);
    return browser
        .evaluate(
            String.format(
                Locale.ROOT,
                "(() => { const c = document.querySelector('#chart .heatmap-layer canvas.heatmap-cells');"
                    + " const r = c.getBoundingClientRect(); const k = c.width / r.width;"
                    + " const d = c.getContext('2d').getImageData(Math.round((%f - r.left) * k),"
                    + " Math.round((%f - r.top) * k), 1, 1).data;"
                    + " return `rgb(${d[0]}, ${d[1]}, ${d[2]})`; })()",
                at[0],
                at[1]))
        .asText();
  }

  /**
   * The number of distinct colours on the heatmap's cells canvas (1 when blank).
   *
   * @throws IOException if the page has no canvas
   */
  public int canvasColours() throws IOException {
    return browser
        .evaluate(
            "(() => { const c = document.querySelector('#chart .heatmap-layer canvas.heatmap-cells');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " const seen = new Set(); for (let i = 0; i < d.length; i += 4)"
                + " seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); return seen.size; })()")
        .asInt();
  }

  /**
   * GETs an API path relative to the base URI and parses the JSON answer.
   *
   * @throws IOException if the request fails or the status is not 200
   */
  public JsonNode getJson(String path) throws IOException {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(base.resolve(path)).build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "GET " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while fetching " + path, e);
    }
  }
}
