package org.simheat.viewer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.simheat.format.Aggregation;
import org.simheat.format.Manifest;
import org.simheat.format.Metric;

/**
 * Builds the {@code /view} answer, a Vega-Lite spec with the viewport's cells inline, naively from
 * a {@link FixtureMatrix}: the reference shape the page is written against.
 *
 * <p>The span s is the smallest power of two with ⌈max(w, h) / s⌉ ≤ res for a w × h viewport; spans
 * above 2^Z pool level 0 further. Every cell of that grid that meets the viewport is sent whole:
 * cell (r, c) covers rows [r·s, min((r+1)·s, n)) × columns [c·s, min((c+1)·s, n)), and its mean,
 * max and min run over every pair in it, diagonal included. Cost: O(w·h) per request.
 */
final class CannedViewSpec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FixtureMatrix matrix;
  private final Manifest manifest;

  CannedViewSpec(FixtureMatrix matrix, Manifest manifest) {
    this.matrix = matrix;
    this.manifest = manifest;
  }

  /** The cell span the view of a w × h viewport uses at about {@code res} cells per side. */
  static long spanFor(long width, long height, int res) {
    long side = Math.max(width, height);
    long span = 1;
    while ((side + span - 1) / span > res) {
      span *= 2;
    }
    return span;
  }

  /** The spec of a viewport already validated against the run's bounds. */
  ObjectNode build(Metric metric, Aggregation agg, long x0, long x1, long y0, long y1, int res) {
    long span = spanFor(x1 - x0, y1 - y0, res);
    ArrayNode cells = JSON.createArrayNode();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (long r = y0 / span; r * span < y1; r++) {
      for (long c = x0 / span; c * span < x1; c++) {
        ObjectNode cell = cell(metric, agg, (int) (r * span), (int) (c * span), (int) span);
        lo = Math.min(lo, cell.get("value").asDouble());
        hi = Math.max(hi, cell.get("value").asDouble());
        cells.add(cell);
      }
    }
    ObjectNode spec = JSON.createObjectNode();
    spec.put("$schema", "https://vega.github.io/schema/vega-lite/v6.json");
    spec.set("usermeta", usermeta(metric, agg, span, new long[] {x0, x1, y0, y1}, lo, hi));
    spec.putObject("data").set("values", cells);
    spec.putObject("mark").put("type", "rect");
    spec.set("encoding", encoding(metric, agg, x0, x1, y0, y1, lo, hi));
    return spec;
  }

  private ObjectNode cell(Metric metric, Aggregation agg, int row0, int col0, int span) {
    int row1 = Math.min(row0 + span, matrix.size());
    int col1 = Math.min(col0 + span, matrix.size());
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int r = row0; r < row1; r++) {
      for (int c = col0; c < col1; c++) {
        double v = matrix.value(metric, r, c);
        sum += v;
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
    }
    long pairs = (long) (row1 - row0) * (col1 - col0);
    double mean = sum / pairs;
    ObjectNode cell = JSON.createObjectNode();
    cell.put("x0", col0).put("x1", col1).put("y0", row0).put("y1", row1);
    cell.put("value", agg == Aggregation.MEAN ? mean : agg == Aggregation.MAX ? max : min);
    cell.put("mean", mean).put("max", max).put("min", min).put("pairs", pairs);
    cell.put("rowLabel", label(row0, row1)).put("colLabel", label(col0, col1));
    return cell;
  }

  private String label(int first, int end) {
    int more = end - first - 1;
    return more == 0 ? matrix.token(first) : matrix.token(first) + " +" + more + " more";
  }

  private ObjectNode usermeta(
      Metric metric, Aggregation agg, long span, long[] box, double lo, double hi) {
    int level = manifest.maxZoom() - Long.numberOfTrailingZeros(span);
    ObjectNode meta = JSON.createObjectNode();
    meta.put("run", manifest.runId()).put("metric", metric.id()).put("agg", agg.id());
    meta.put("level", Math.max(0, level)).put("span", span);
    meta.put("x0", box[0]).put("x1", box[1]).put("y0", box[2]).put("y1", box[3]);
    meta.put("n", manifest.n()).put("nCols", manifest.nCols());
    meta.putArray("domain").add(lo).add(hi);
    Manifest.Range range = manifest.ranges().get(metric.id());
    meta.putArray("globalRange").add(range.min()).add(range.max());
    return meta;
  }

  private static ObjectNode encoding(
      Metric metric, Aggregation agg, long x0, long x1, long y0, long y1, double lo, double hi) {
    ObjectNode enc = JSON.createObjectNode();
    position(enc.putObject("x"), "x0", "columns", x0, x1, false);
    enc.putObject("x2").put("field", "x1");
    position(enc.putObject("y"), "y0", "rows", y0, y1, true);
    enc.putObject("y2").put("field", "y1");
    ObjectNode color = enc.putObject("color");
    color.put("field", "value").put("type", "quantitative").put("title", metric.id());
    ObjectNode scale = color.putObject("scale");
    scale.put("scheme", metric.higherIsBetter() ? "blueorange" : "viridis");
    scale.putArray("domain").add(lo).add(hi);
    ArrayNode tooltip = enc.putArray("tooltip");
    tooltip.addObject().put("field", "rowLabel").put("type", "nominal").put("title", "rows");
    tooltip.addObject().put("field", "colLabel").put("type", "nominal").put("title", "columns");
    tooltip.addObject().put("field", "pairs").put("type", "quantitative").put("title", "pairs");
    for (String field : new String[] {"value", "mean", "max", "min"}) {
      String title = field.equals("value") ? agg.id() + " " + metric.id() : field;
      ObjectNode t = tooltip.addObject().put("field", field).put("type", "quantitative");
      t.put("title", title).put("format", ".4f");
    }
    return enc;
  }

  private static void position(
      ObjectNode channel, String field, String title, long lo, long hi, boolean reverse) {
    channel.put("field", field).put("type", "quantitative").put("title", title);
    ObjectNode scale = channel.putObject("scale");
    scale.putArray("domain").add(lo).add(hi);
    scale.put("nice", false).put("zero", false).put("reverse", reverse);
  }
}
