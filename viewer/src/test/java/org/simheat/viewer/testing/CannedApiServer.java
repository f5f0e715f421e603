package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.simheat.format.Manifest;
import org.simheat.viewer.service.ApiException;

/**
 * A test-only HTTP server on 127.0.0.1 that serves the page's files from the class path and answers
 * the JSON API of DESIGN.md from the committed fixture, computed naively: a stand-in for the real
 * viewer so the page can be tested in a browser on its own.
 *
 * <p>It answers {@code /api/runs}, {@code /manifest}, {@code /view}, {@code /tokens} and {@code
 * /neighbors} for the one fixture run (by id or {@code latest}); everything else is a 404 with
 * {@code {"error": …}}. Static files are exactly those listed in {@code web/files.txt}.
 */
public final class CannedApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Set<String> webFiles;
  private final CannedQueries queries;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private CannedApiServer(HttpServer server, Set<String> webFiles, CannedQueries queries) {
    this.server = server;
    this.webFiles = webFiles;
    this.queries = queries;
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a server on an ephemeral port of 127.0.0.1 over a fixture directory holding {@code
   * input.npy}, {@code input.txt} and {@code out/} (a run written by the job).
   *
   * @throws IOException if the fixture or the web file list cannot be read, or the port not bound
   */
  public static CannedApiServer start(Path fixtureDir) throws IOException {
    FixtureMatrix matrix =
        FixtureMatrix.load(fixtureDir.resolve("input.npy"), fixtureDir.resolve("input.txt"));
    Path out = fixtureDir.resolve("out");
    String runId = Files.readString(out.resolve("LATEST")).trim();
    Manifest manifest =
        Manifest.fromJson(
            Files.readString(out.resolve("runs").resolve(runId).resolve("manifest.json")));
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    CannedApiServer server =
        new CannedApiServer(http, webFiles(), new CannedQueries(matrix, manifest));
    http.start();
    return server;
  }

  /** The base URI, e.g. {@code http://127.0.0.1:41234/}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Every request path with its query, in arrival order. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      requests.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
      if (!"GET".equals(exchange.getRequestMethod())) {
        sendJson(exchange, 405, error("Only GET is supported"));
      } else if (uri.getRawPath().startsWith("/api/")) {
        answerApi(exchange, uri);
      } else {
        answerFile(exchange, uri.getRawPath());
      }
    }
  }

  private void answerApi(HttpExchange exchange, URI uri) throws IOException {
    String[] parts = uri.getRawPath().substring(1).split("/", -1);
    Map<String, String> params = params(uri.getRawQuery());
    try {
      JsonNode body = queries.answer(decode(parts), params);
      sendJson(exchange, 200, body);
    } catch (ApiException e) {
      sendJson(exchange, e.status(), error(e.getMessage()));
    }
  }

  private void answerFile(HttpExchange exchange, String path) throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (!webFiles.contains(name)) {
      sendJson(exchange, 404, error("No such file: " + path));
      return;
    }
    byte[] body;
    try (InputStream in = CannedApiServer.class.getResourceAsStream("/web/" + name)) {
      body = in.readAllBytes();
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "text/plain"));
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static String[] decode(String[] parts) {
    String[] out = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
    }
    return out;
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private static Set<String> webFiles() throws IOException {
    try (InputStream in = CannedApiServer.class.getResourceAsStream("/web/files.txt")) {
      if (in == null) {
        throw new IOException("web/files.txt is not on the class path");
      }
      return Set.copyOf(
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .map(String::trim)
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList());
    }
  }
}
