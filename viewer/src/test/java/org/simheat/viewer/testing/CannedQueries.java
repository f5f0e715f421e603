package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;
import org.simheat.viewer.service.ApiException;

/**
 * Answers the JSON API's routes for the one fixture run, naively from a {@link FixtureMatrix}:
 * search is a scan, neighbours a full sort of one row.
 */
final class CannedQueries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FixtureMatrix matrix;
  private final Manifest manifest;
  private final CannedViewSpec views;

  CannedQueries(FixtureMatrix matrix, Manifest manifest) {
    this.matrix = matrix;
    this.manifest = manifest;
    this.views = new CannedViewSpec(matrix, manifest);
  }

  /**
   * The answer to {@code /api/…}, given the decoded path segments (starting with {@code api}).
   *
   * @throws ApiException 404 for an unknown route, run or metric; 400 for a bad parameter
   */
  JsonNode answer(String[] path, Map<String, String> params) {
    if (path.length == 2 && path[1].equals("runs")) {
      return runs();
    }
    if (path.length < 4 || !path[1].equals("runs")) {
      throw ApiException.notFound("No such endpoint");
    }
    if (!path[2].equals("latest") && !path[2].equals(manifest.runId())) {
      throw ApiException.notFound("No such run: " + path[2]);
    }
    return switch (path[3]) {
      case "manifest" -> JSON.valueToTree(manifest);
      case "view" -> view(params);
      case "tokens" -> tokens(params);
      case "neighbors" -> neighbors(path, params);
      default -> throw ApiException.notFound("No such endpoint");
    };
  }

  private JsonNode runs() {
    ArrayNode runs = JSON.createArrayNode();
    ObjectNode run = runs.addObject();
    run.put("runId", manifest.runId()).put("createdAt", manifest.createdAt());
    run.put("source", manifest.source().uri());
    run.put("n", manifest.n()).put("nCols", manifest.nCols()).put("dim", manifest.dim());
    run.set("metrics", JSON.valueToTree(manifest.metrics()));
    run.put("order", manifest.order().kind()).put("latest", true);
    return runs;
  }

  private JsonNode view(Map<String, String> params) {
    Metric metric = metric(params.get("metric"));
    Aggregation agg;
    try {
      agg = Aggregation.parse(params.getOrDefault("agg", "mean"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    long n = manifest.n();
    long x0 = number(params, "x0", 0, 0, n - 1);
    long x1 = number(params, "x1", n, x0 + 1, n);
    long y0 = number(params, "y0", 0, 0, n - 1);
    long y1 = number(params, "y1", n, y0 + 1, n);
    int res = (int) number(params, "res", 128, 1, 1024);
    return views.build(metric, agg, x0, x1, y0, y1, res);
  }

  private JsonNode tokens(Map<String, String> params) {
    String q = params.getOrDefault("q", "").toLowerCase(Locale.ROOT);
    int limit = (int) number(params, "limit", 20, 1, 1000);
    List<Integer> prefix = new ArrayList<>();
    List<Integer> substring = new ArrayList<>();
    for (int p = 0; p < matrix.size(); p++) {
      String token = matrix.token(p).toLowerCase(Locale.ROOT);
      if (token.startsWith(q)) {
        prefix.add(p);
      } else if (token.contains(q)) {
        substring.add(p);
      }
    }
    prefix.addAll(substring);
    ArrayNode hits = JSON.createArrayNode();
    for (int p : prefix.subList(0, Math.min(limit, prefix.size()))) {
      hits.addObject().put("token", matrix.token(p)).put("position", p).put("id", p);
    }
    return hits;
  }

  private JsonNode neighbors(String[] path, Map<String, String> params) {
    if (path.length != 6) {
      throw ApiException.notFound("No such endpoint");
    }
    Metric metric = metric(path[4]);
    long position = parse("position", path[5]);
    if (position < 0 || position >= manifest.n()) {
      throw ApiException.badRequest("position " + position + " is out of range 0.." + manifest.n());
    }
    int k = (int) number(params, "k", manifest.neighbors().k(), 1, manifest.n() - 1);
    int row = (int) position;
    Comparator<Integer> best = Comparator.comparingDouble(c -> matrix.value(metric, row, c));
    List<Integer> others = new ArrayList<>();
    for (int c = 0; c < matrix.size(); c++) {
      if (c != row) {
        others.add(c);
      }
    }
    others.sort(metric.higherIsBetter() ? best.reversed() : best);
    ObjectNode out = JSON.createObjectNode();
    out.put("position", row).put("token", matrix.token(row)).put("metric", metric.id());
    ArrayNode list = out.putArray("neighbors");
    for (int c : others.subList(0, k)) {
      ObjectNode nb = list.addObject().put("position", c).put("token", matrix.token(c));
      nb.put("score", (float) matrix.value(metric, row, c));
    }
    return out;
  }

  private Metric metric(String id) {
    if (id == null || !manifest.metrics().contains(id)) {
      throw ApiException.notFound("No such metric: " + id);
    }
    return Metric.parse(id);
  }

  private static long number(Map<String, String> params, String name, long def, long lo, long hi) {
    String raw = params.get(name);
    long v = raw == null || raw.isEmpty() ? def : parse(name, raw);
    if (v < lo || v > hi) {
      throw ApiException.badRequest(name + " = " + v + " is out of range " + lo + ".." + hi);
    }
    return v;
  }

  private static long parse(String name, String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " is not a whole number: '" + raw + "'");
    }
  }
}
