package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One Chromium tab driven over DevTools: navigate, evaluate JavaScript, wait for a condition, type,
 * press keys, turn the wheel, resize and take screenshots. Input goes through Chromium's input
 * pipeline, so the page sees real (trusted) events.
 *
 * <p>It watches the page's Content-Security-Policy: every {@code securitypolicyviolation} event of
 * every document the tab loads, and every console message Chromium logs as a security error (such
 * as a refused {@code eval}), is recorded; the next {@link #evaluate} (which every wait and hook
 * goes through) fails with them, and so does closing the browser, so no page test passes over a
 * violation.
 */
public final class BrowserPage {
  /** Modifier bits of DevTools input events. */
  public static final int ALT = 1;

  public static final int SHIFT = 8;

  private static final long POLL_MILLIS = 100;
  private static final String BINDING = "__simheatCspViolation";
  private static final String WATCH_VIOLATIONS =
      "document.addEventListener('securitypolicyviolation', (e) => "
          + BINDING
          + "(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:"
          + "${e.lineNumber} ${e.sample}`));";

  private final DevToolsConnection devTools;
  private final String session;
  private final List<String> violations = new CopyOnWriteArrayList<>();

  private BrowserPage(DevToolsConnection devTools, String session) {
    this.devTools = devTools;
    this.session = session;
  }

  /** Attaches to the browser's first tab and sizes its viewport. */
  static BrowserPage attach(DevToolsConnection devTools, int width, int height) throws IOException {
    String targetId = null;
    for (JsonNode info : devTools.send(null, "Target.getTargets", null).path("targetInfos")) {
      if (info.path("type").asText().equals("page")) {
        targetId = info.path("targetId").asText();
      }
    }
    if (targetId == null) {
      targetId =
          devTools
              .send(null, "Target.createTarget", params().put("url", "about:blank"))
              .path("targetId")
              .asText();
    }
    ObjectNode attach = params().put("targetId", targetId).put("flatten", true);
    String session =
        devTools.send(null, "Target.attachToTarget", attach).path("sessionId").asText();
    BrowserPage page = new BrowserPage(devTools, session);
    devTools.onEvent(page::record);
    page.command("Page.enable", null);
    page.command("Runtime.enable", null);
    page.command("Log.enable", null);
    page.command("Runtime.addBinding", params().put("name", BINDING));
    page.command("Page.addScriptToEvaluateOnNewDocument", params().put("source", WATCH_VIOLATIONS));
    page.resize(width, height);
    return page;
  }

  /** Records the Content-Security-Policy violations among this tab's events. */
  private void record(JsonNode event) {
    if (!session.equals(event.path("sessionId").asText())) {
      return;
    }
    JsonNode p = event.path("params");
    switch (event.path("method").asText()) {
      case "Runtime.bindingCalled":
        if (p.path("name").asText().equals(BINDING)) {
          violations.add(p.path("payload").asText());
        }
        break;
      case "Log.entryAdded":
        JsonNode entry = p.path("entry");
        if (entry.path("source").asText().equals("security")
            && entry.path("level").asText().equals("error")) {
          violations.add(entry.path("text").asText() + " (" + entry.path("url").asText() + ")");
        }
        break;
      default:
        break;
    }
  }

  /**
   * Fails if the page has violated its Content-Security-Policy since the last check; the violations
   * are reported once.
   *
   * @throws IOException naming every violation recorded
   */
  public void assertNoViolations() throws IOException {
    List<String> seen = takeViolations();
    if (!seen.isEmpty()) {
      throw new IOException("Content-Security-Policy violations: " + String.join(" | ", seen));
    }
  }

  /** The violations recorded since the last check, which are forgotten. */
  public List<String> takeViolations() {
    List<String> seen = List.copyOf(violations);
    violations.removeAll(seen);
    return seen;
  }

  /**
   * Sets the viewport to {@code width × height} CSS pixels at device scale 1.
   *
   * @throws IOException if DevTools refuses
   */
  public void resize(int width, int height) throws IOException {
    ObjectNode metrics = params().put("width", width).put("height", height);
    metrics.put("deviceScaleFactor", 1).put("mobile", false);
    command("Emulation.setDeviceMetricsOverride", metrics);
  }

  /**
   * Opens a URL and waits (up to {@code timeout}) until the document has loaded.
   *
   * @throws IOException if navigation fails or the document does not load in time
   */
  public void navigate(URI url, Duration timeout) throws IOException {
    JsonNode result = command("Page.navigate", params().put("url", url.toString()));
    if (result.hasNonNull("errorText")) {
      throw new IOException("Cannot open " + url + ": " + result.get("errorText").asText());
    }
    waitUntil("document.readyState === 'complete'", timeout);
  }

  /**
   * Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as
   * JSON; undefined comes back as a missing node.
   *
   * @throws IOException if the expression throws, DevTools fails, or the page has violated its
   *     Content-Security-Policy (see {@link #assertNoViolations})
   */
  public JsonNode evaluate(String expression) throws IOException {
    assertNoViolations();
    ObjectNode p = params().put("expression", expression);
    p.put("returnByValue", true).put("awaitPromise", true);
    JsonNode result = command("Runtime.evaluate", p);
    if (result.has("exceptionDetails")) {
      JsonNode details = result.get("exceptionDetails");
      String text =
          details.path("exception").path("description").asText(details.path("text").asText());
      throw new IOException("Script failed: " + text + " in: " + expression);
    }
    return result.path("result").path("value");
  }

  /**
   * Polls a JavaScript condition until it is truthy. The timeout only guards against a hang; it
   * says nothing about speed.
   *
   * @throws IOException if the condition throws, or is still false after {@code timeout}
   */
  public void waitUntil(String condition, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("Still false after " + timeout + ": " + condition);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("Interrupted while waiting for " + condition, e);
      }
    }
  }

  /**
   * Types text into the focused element, as an input method would.
   *
   * @throws IOException if DevTools fails
   */
  public void insertText(String text) throws IOException {
    command("Input.insertText", params().put("text", text));
  }

  /**
   * Presses and releases a named key ({@code Enter}, {@code Escape}, {@code ArrowDown}, …).
   *
   * @throws IOException if DevTools fails
   */
  public void press(String key, int modifiers) throws IOException {
    for (String type : new String[] {"keyDown", "keyUp"}) {
      ObjectNode p = params().put("type", type).put("key", key).put("code", key);
      p.put("modifiers", modifiers);
      if (key.equals("Enter")) {
        p.put("windowsVirtualKeyCode", 13).put("text", type.equals("keyDown") ? "\r" : "");
      }
      command("Input.dispatchKeyEvent", p);
    }
  }

  /**
   * Turns the mouse wheel at a point of the viewport (negative deltaY zooms in on most maps).
   *
   * @throws IOException if DevTools fails
   */
  public void wheel(double x, double y, double deltaY, int modifiers) throws IOException {
    ObjectNode p = params().put("type", "mouseWheel").put("x", x).put("y", y);
    p.put("deltaX", 0).put("deltaY", deltaY).put("modifiers", modifiers);
    command("Input.dispatchMouseEvent", p);
  }

  /**
   * Moves the mouse to a point of the viewport with no button held.
   *
   * @throws IOException if DevTools fails
   */
  public void hover(double x, double y) throws IOException {
    mouse("mouseMoved", x, y, 0, 0, 0);
  }

  /**
   * Clicks the left button {@code count} times at a point (2 makes a double-click).
   *
   * @throws IOException if DevTools fails
   */
  public void click(double x, double y, int count) throws IOException {
    for (int i = 1; i <= count; i++) {
      mouse("mousePressed", x, y, 0, 1, i);
      mouse("mouseReleased", x, y, 0, 0, i);
    }
  }

  /**
   * Drags with the left button from one point to another in a few steps, holding modifiers.
   *
   * @throws IOException if DevTools fails
   */
  public void drag(double x0, double y0, double x1, double y1, int modifiers) throws IOException {
    mouse("mouseMoved", x0, y0, modifiers, 0, 0);
    mouse("mousePressed", x0, y0, modifiers, 1, 1);
    int steps = 5;
    for (int i = 1; i <= steps; i++) {
      double f = (double) i / steps;
      mouse("mouseMoved", x0 + f * (x1 - x0), y0 + f * (y1 - y0), modifiers, 1, 0);
    }
    mouse("mouseReleased", x1, y1, modifiers, 0, 1);
  }

  private void mouse(String type, double x, double y, int modifiers, int buttons, int clicks)
      throws IOException {
    ObjectNode p = params().put("type", type).put("x", x).put("y", y);
    p.put("modifiers", modifiers).put("buttons", buttons).put("clickCount", clicks);
    p.put("button", buttons == 0 && !type.equals("mouseReleased") ? "none" : "left");
    command("Input.dispatchMouseEvent", p);
  }

  /**
   * The tab's frames as DevTools describes them ({@code Page.getFrameTree}): {@code frame} with its
   * {@code url} (and {@code unreachableUrl} for a frame that could not load), and {@code
   * childFrames}.
   *
   * @throws IOException if DevTools fails
   */
  public JsonNode frameTree() throws IOException {
    return command("Page.getFrameTree", null).path("frameTree");
  }

  /**
   * A PNG of the viewport as it is now.
   *
   * @throws IOException if DevTools fails
   */
  public byte[] screenshot() throws IOException {
    JsonNode shot = command("Page.captureScreenshot", params().put("format", "png"));
    return Base64.getDecoder().decode(shot.path("data").asText());
  }

  private JsonNode command(String method, ObjectNode params) throws IOException {
    return devTools.send(session, method, params);
  }

  private static ObjectNode params() {
    return DevToolsConnection.params();
  }
}
