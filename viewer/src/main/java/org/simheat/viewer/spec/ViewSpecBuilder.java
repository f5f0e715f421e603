package org.simheat.viewer.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.simheat.format.Manifest;

/**
 * Builds the Vega-Lite v6 heatmap of a viewport: one {@code rect} per bin, placed by matrix
 * positions ({@code x0..x1} columns, {@code y0..y1} rows, half-open; row 0 at the top), coloured by
 * the chosen aggregation, with the cells inline so the page needs no second request. A page drives
 * zoom and pan by reading {@code usermeta} (what was actually covered, at which level) and asking
 * for the next viewport in positions.
 *
 * <p>Axes are titled rows and columns; a cross run's titles name each axis's input. Colour: cosine
 * and dot are diverging around 0 (domain ±max|value| of the visible bins); l2 is sequential over
 * the visible range. Axes show the first token of a sample of bins. A bin without pairs (self-pairs
 * only, masked) has null values and is filtered out of the marks, so it is drawn empty. At live
 * levels each bin names the pair attaining its max ({@code maxRow}, {@code maxCol}, {@code maxPair}
 * "tokA × tokB", and a tooltip line). {@code usermeta.mask} says whether a symmetric run's cells
 * exclude the self-pairs ({@code maskExact} false when the max and min of diagonal bins still
 * include them); a rectangular run asked to mask says why it did not in {@code maskIgnored}.
 */
public final class ViewSpecBuilder {
  /** The Vega-Lite schema the spec declares (a name only; nothing is fetched). */
  public static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Writes floats with the Schubfach writer: several times faster than Float.toString. */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private static final int MAX_TICKS = 12;
  private static final SerializedString X0 = new SerializedString("x0");
  private static final SerializedString X1 = new SerializedString("x1");
  private static final SerializedString Y0 = new SerializedString("y0");
  private static final SerializedString Y1 = new SerializedString("y1");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString MEAN = new SerializedString("mean");
  private static final SerializedString MAX = new SerializedString("max");
  private static final SerializedString MIN = new SerializedString("min");
  private static final SerializedString PAIRS = new SerializedString("pairs");
  private static final SerializedString MAX_ROW = new SerializedString("maxRow");
  private static final SerializedString MAX_COL = new SerializedString("maxCol");
  private static final SerializedString ROW_LABEL = new SerializedString("rowLabel");
  private static final SerializedString COL_LABEL = new SerializedString("colLabel");
  private static final SerializedString ROW_TOKENS = new SerializedString("rowTokens");
  private static final SerializedString COL_TOKENS = new SerializedString("colTokens");
  private static final int MAX_TICK_LABEL = 24;

  private final Manifest manifest;
  private final String metric;
  private final String agg;
  private final ViewCells cells;
  private final Drift drift;

  /**
   * What makes a view a drift view: Δ = A − B of two aligned runs, the manifest being A's. Its
   * cells' mean is the mean Δ and their max the max |Δ| (agg {@code mean} or {@code maxabs}).
   *
   * @param a the viewed run's id
   * @param b the baseline run's id
   * @param storedZoom the finest level both runs store (what {@code usermeta.storedZoom} says)
   * @param live whether the cells come from a level computed live (every pair of both runs)
   * @param maxAbsAvailable whether max |Δ| is known at this level (live levels only)
   */
  public record Drift(String a, String b, int storedZoom, boolean live, boolean maxAbsAvailable) {}

  private ViewSpecBuilder(
      Manifest manifest, String metric, String agg, ViewCells cells, Drift drift) {
    this.manifest = manifest;
    this.metric = metric;
    this.agg = agg;
    this.cells = cells;
    this.drift = drift;
  }

  /**
   * The spec of labelled cells of a run's metric, coloured by aggregation {@code agg}.
   *
   * @throws IllegalArgumentException if the cells lack {@code agg} or their axes lack labels
   */
  public static ObjectNode build(Manifest manifest, String metric, String agg, ViewCells cells) {
    ViewSpecBuilder b = checked(manifest, metric, agg, cells);
    try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
      b.write(buffer);
      return MAPPER.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the view's spec", e);
    }
  }

  /**
   * The same spec as {@link #build}, written straight to JSON bytes: the cells are streamed, never
   * held as a tree of nodes, which for tens of thousands of cells is most of a view's cost.
   *
   * @throws IllegalArgumentException if the cells lack {@code agg} or their axes lack labels
   */
  public static byte[] json(Manifest manifest, String metric, String agg, ViewCells cells) {
    return checked(manifest, metric, agg, cells).bytes();
  }

  /**
   * The spec of a drift view, Δ = A − B (see {@link Drift}), coloured by {@code agg} ({@code mean}
   * or {@code maxabs}) on a diverging scale symmetric about 0, written as {@link #json}.
   *
   * @param manifest run A's manifest
   * @throws IllegalArgumentException if the cells lack {@code agg} or their axes lack labels
   */
  public static byte[] driftJson(
      Manifest manifest, String metric, String agg, ViewCells cells, Drift drift) {
    return checked(new ViewSpecBuilder(manifest, metric, agg, cells, drift)).bytes();
  }

  /** The spec as JSON bytes, its cells streamed. */
  private byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * cells.pairs().length);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      write(g);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the view's spec", e);
    }
    return out.toByteArray();
  }

  private static ViewSpecBuilder checked(
      Manifest manifest, String metric, String agg, ViewCells cells) {
    return checked(new ViewSpecBuilder(manifest, metric, agg, cells, null));
  }

  private static ViewSpecBuilder checked(ViewSpecBuilder b) {
    if (b.values() == null) {
      throw new IllegalArgumentException("The view's cells hold no " + b.agg + " values");
    }
    if (b.cells.rows().first() == null || b.cells.cols().first() == null) {
      throw new IllegalArgumentException("The view's axes are not labelled");
    }
    return b;
  }

  /** The values the colour encodes: a drift view's {@code maxabs} are its cells' max. */
  private double[] values() {
    return drift != null && agg.equals("maxabs") ? cells.max() : cells.values(agg);
  }

  /** Writes the spec: its small parts as trees, the cells streamed in place of data.values. */
  private void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = spec().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("data")) {
        g.writeObjectFieldStart("data");
        g.writeStringField("name", "cells");
        g.writeArrayFieldStart("values");
        writeValues(g);
        g.writeEndArray();
        g.writeEndObject();
      } else {
        g.writeFieldName(e.getKey());
        g.writeTree(e.getValue());
      }
    }
    g.writeEndObject();
  }

  /** The spec without its cells: {@code data} holds only its name. */
  private ObjectNode spec() {
    double[] domain =
        drift != null ? ColorDomain.symmetric(values()) : ColorDomain.of(metric, values());
    ObjectNode spec = JSON.objectNode();
    spec.put("$schema", SCHEMA);
    spec.put("description", description());
    spec.set("usermeta", usermeta(domain));
    spec.put("width", "container");
    spec.put("height", "container");
    spec.set("autosize", JSON.objectNode().put("type", "fit").put("contains", "padding"));
    spec.set("data", JSON.objectNode().put("name", "cells"));
    spec.set("transform", transforms());
    spec.set("mark", JSON.objectNode().put("type", "rect"));
    spec.set("encoding", encoding(domain));
    spec.set("config", config());
    return spec;
  }

  private String description() {
    if (drift != null) {
      return String.format(
          "Δ %s (%s) of runs %s − %s: rows %d..%d × columns %d..%d at level %d",
          metric,
          agg,
          drift.a(),
          drift.b(),
          cells.rows().from(),
          cells.rows().to() - 1,
          cells.cols().from(),
          cells.cols().to() - 1,
          cells.level());
    }
    return String.format(
        "%s (%s) of run %s: rows %d..%d × columns %d..%d at level %d",
        metric,
        agg,
        manifest.runId(),
        cells.rows().from(),
        cells.rows().to() - 1,
        cells.cols().from(),
        cells.cols().to() - 1,
        cells.level());
  }

  private ObjectNode usermeta(double[] domain) {
    ObjectNode m = JSON.objectNode();
    m.put("run", manifest.runId());
    m.put("metric", metric);
    m.put("agg", agg);
    m.put("level", cells.level());
    m.put("span", cells.span());
    m.put("binRows", cells.rows().binSpan());
    m.put("binCols", cells.cols().binSpan());
    m.put("rows", cells.rows().bins());
    m.put("cols", cells.cols().bins());
    m.put("x0", cells.cols().from());
    m.put("x1", cells.cols().to());
    m.put("y0", cells.rows().from());
    m.put("y1", cells.rows().to());
    m.put("n", manifest.n());
    m.put("nCols", manifest.nCols());
    m.put("maxZoom", manifest.maxZoom());
    m.put("storedZoom", manifest.storedZoom());
    m.put("symmetric", manifest.symmetric());
    m.set("domain", JSON.arrayNode().add(domain[0]).add(domain[1]));
    if (drift != null) {
      m.put("storedZoom", drift.storedZoom());
      m.set("drift", JSON.objectNode().put("a", drift.a()).put("b", drift.b()));
      m.put("live", drift.live());
      m.put("maxAbsAvailable", drift.maxAbsAvailable());
      m.set("aggregations", drift.maxAbsAvailable() ? strings("mean", "maxabs") : strings("mean"));
      putMask(m);
      return m;
    }
    m.set("aggregations", strings(manifest.aggregations().toArray(String[]::new)));
    m.set("globalRange", globalRange());
    putMask(m);
    return m;
  }

  private void putMask(ObjectNode m) {
    switch (cells.mask()) {
      case NOT_APPLICABLE -> {}
      case IGNORED ->
          m.put(
              "maskIgnored",
              "run " + manifest.runId() + " is rectangular: it has no self-pairs to hide");
      case OFF -> m.put("mask", false);
      case EXACT -> m.put("mask", true).put("maskExact", true);
      case POOLED_EXTREMES -> m.put("mask", true).put("maskExact", false);
    }
  }

  private ObjectNode globalRange() {
    Manifest.Range r = manifest.ranges() == null ? null : manifest.ranges().get(metric);
    if (r == null) {
      return null;
    }
    ObjectNode g = JSON.objectNode().put("min", r.min()).put("max", r.max());
    if (r.minOffDiagonal() != null) {
      g.put("minOffDiagonal", r.minOffDiagonal());
    }
    if (r.maxOffDiagonal() != null) {
      g.put("maxOffDiagonal", r.maxOffDiagonal());
    }
    if (r.over() != null) {
      // A mean-only run computes no single pair: its range spans the stored means.
      g.put("over", r.over());
    }
    return g;
  }

  private void writeValues(JsonGenerator g) throws IOException {
    ViewAxis rows = cells.rows();
    ViewAxis cols = cells.cols();
    SerializedString[] rowLabels = serialized(labels(rows));
    SerializedString[] rowRanges = serialized(ranges(rows));
    SerializedString[] colLabels = serialized(labels(cols));
    SerializedString[] colRanges = serialized(ranges(cols));
    double[] value = values();
    MaxPairs maxPairs = cells.maxPairs();
    for (int r = 0; r < rows.bins(); r++) {
      for (int c = 0; c < cols.bins(); c++) {
        int k = r * cols.bins() + c;
        g.writeStartObject();
        number(g, X0, cols.start(c));
        number(g, X1, cols.end(c));
        number(g, Y0, rows.start(r));
        number(g, Y1, rows.end(r));
        writeValue(g, VALUE, value[k]);
        writeIfHeld(g, MEAN, cells.mean(), k);
        writeIfHeld(g, MAX, cells.max(), k);
        writeIfHeld(g, MIN, cells.min(), k);
        number(g, PAIRS, cells.pairs()[k]);
        if (maxPairs != null && maxPairs.has(k)) {
          number(g, MAX_ROW, maxPairs.rows()[k]);
          number(g, MAX_COL, maxPairs.cols()[k]);
          g.writeStringField("maxPair", maxPairs.label(k));
        }
        string(g, ROW_LABEL, rowLabels[r]);
        string(g, COL_LABEL, colLabels[c]);
        string(g, ROW_TOKENS, rowRanges[r]);
        string(g, COL_TOKENS, colRanges[c]);
        g.writeEndObject();
      }
    }
  }

  private static void number(JsonGenerator g, SerializedString field, long v) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(v);
  }

  private static void string(JsonGenerator g, SerializedString field, SerializedString v)
      throws IOException {
    g.writeFieldName(field);
    g.writeString(v);
  }

  private static SerializedString[] serialized(String[] texts) {
    SerializedString[] out = new SerializedString[texts.length];
    for (int k = 0; k < texts.length; k++) {
      out[k] = new SerializedString(texts[k]);
    }
    return out;
  }

  private static void writeIfHeld(JsonGenerator g, SerializedString field, double[] values, int k)
      throws IOException {
    if (values != null) {
      writeValue(g, field, values[k]);
    }
  }

  /** A value as a float, or null for a bin without pairs (NaN). */
  private static void writeValue(JsonGenerator g, SerializedString field, double v)
      throws IOException {
    g.writeFieldName(field);
    if (Double.isNaN(v)) {
      g.writeNull();
    } else {
      g.writeNumber((float) v);
    }
  }

  /** "tok8", or "tok8 +3 more" for a bin of four tokens. */
  private static String[] labels(ViewAxis axis) {
    String[] out = new String[axis.bins()];
    for (int b = 0; b < out.length; b++) {
      long more = axis.size(b) - 1;
      out[b] = more == 0 ? axis.first()[b] : axis.first()[b] + " +" + more + " more";
    }
    return out;
  }

  /** "tok8", or "tok8 … tok11". */
  private static String[] ranges(ViewAxis axis) {
    String[] out = new String[axis.bins()];
    for (int b = 0; b < out.length; b++) {
      out[b] = axis.size(b) == 1 ? axis.first()[b] : axis.first()[b] + " … " + axis.last()[b];
    }
    return out;
  }

  private ArrayNode transforms() {
    ArrayNode t = JSON.arrayNode();
    t.addObject().put("filter", "isValid(datum.value)");
    t.addObject()
        .put(
            "calculate",
            "datum.y1 - datum.y0 > 1 ? datum.y0 + '–' + (datum.y1 - 1) : '' + datum.y0")
        .put("as", "rowPositions");
    t.addObject()
        .put(
            "calculate",
            "datum.x1 - datum.x0 > 1 ? datum.x0 + '–' + (datum.x1 - 1) : '' + datum.x0")
        .put("as", "colPositions");
    return t;
  }

  private ObjectNode encoding(double[] domain) {
    ObjectNode e = JSON.objectNode();
    e.set("x", positional("x0", axisTitle("columns", manifest.colsSource()), cells.cols(), false));
    e.set("x2", JSON.objectNode().put("field", "x1"));
    e.set("y", positional("y0", axisTitle("rows", manifest.source()), cells.rows(), true));
    e.set("y2", JSON.objectNode().put("field", "y1"));
    e.set("color", color(domain));
    e.set("tooltip", tooltip());
    return e;
  }

  /**
   * "rows" and "columns"; a cross run's axes come from two inputs, so each title names its own (the
   * last segment of its URI).
   */
  private String axisTitle(String axis, Manifest.Source source) {
    if (manifest.symmetric() || source == null || source.uri() == null) {
      return axis;
    }
    String uri = source.uri();
    String name = uri.substring(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
    return axis + " · " + (name.length() > 40 ? name.substring(0, 40) + "…" : name);
  }

  private ObjectNode positional(String field, String title, ViewAxis axis, boolean reverse) {
    ObjectNode scale =
        JSON.objectNode().put("zero", false).put("nice", false).put("reverse", reverse);
    scale.set("domain", JSON.arrayNode().add(axis.from()).add(axis.to()));
    ObjectNode enc = JSON.objectNode().put("field", field).put("type", "quantitative");
    enc.put("title", title);
    enc.set("scale", scale);
    enc.set("axis", AxisTicks.of(axis, MAX_TICKS, MAX_TICK_LABEL));
    return enc;
  }

  private ObjectNode color(double[] domain) {
    ObjectNode scale = JSON.objectNode().put("type", "linear");
    scale.set("domain", JSON.arrayNode().add(domain[0]).add(domain[1]));
    if (drift != null || ColorDomain.diverging(metric)) {
      scale.put("domainMid", 0).put("scheme", "redblue").put("reverse", true);
    } else {
      scale.put("scheme", "viridis");
    }
    scale.put("clamp", true);
    ObjectNode enc = JSON.objectNode().put("field", "value").put("type", "quantitative");
    enc.put("title", drift != null ? "Δ " + metric + " (A − B)" : metric + " (" + agg + ")");
    enc.set("scale", scale);
    return enc;
  }

  private ArrayNode tooltip() {
    ArrayNode t = JSON.arrayNode();
    t.addObject().put("field", "rowTokens").put("type", "nominal").put("title", "rows");
    t.addObject().put("field", "rowPositions").put("type", "nominal").put("title", "row positions");
    t.addObject().put("field", "colTokens").put("type", "nominal").put("title", "columns");
    t.addObject()
        .put("field", "colPositions")
        .put("type", "nominal")
        .put("title", "column positions");
    t.addObject()
        .put("field", "pairs")
        .put("type", "quantitative")
        .put("title", "pairs")
        .put("format", ",");
    for (String a : new String[] {"mean", "max", "min"}) {
      if (cells.values(a) != null) {
        t.addObject()
            .put("field", a)
            .put("type", "quantitative")
            .put("title", drift == null ? a : a.equals("mean") ? "mean Δ" : "max |Δ|")
            .put("format", ".4f");
      }
    }
    if (cells.maxPairs() != null) {
      t.addObject()
          .put("field", "maxPair")
          .put("type", "nominal")
          .put("title", drift == null ? "max pair" : "max |Δ| pair");
    }
    return t;
  }

  private static ObjectNode config() {
    ObjectNode c = JSON.objectNode();
    c.set("view", JSON.objectNode().putNull("stroke"));
    c.set("axis", JSON.objectNode().put("labelLimit", 140).put("grid", false));
    return c;
  }

  private static ArrayNode strings(String... values) {
    ArrayNode a = JSON.arrayNode();
    for (String v : values) {
      a.add(v);
    }
    return a;
  }
}
