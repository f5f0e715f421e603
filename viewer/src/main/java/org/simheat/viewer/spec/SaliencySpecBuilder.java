package org.simheat.viewer.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A saliency view as a Vega-Lite spec: each facet is a view of heat-coloured rects under text
 * marks, its tokens laid out as flowing lines of a monospace font ({@link #CHAR_WIDTH} pixels a
 * character, wrapped at the view's width), coloured by the focused token's heat row. A top-level
 * {@code hover} point parameter on {@code position} outlines the hovered index in every facet, as
 * the page does. Tokens carry {@code position}, {@code token}, {@code heat} (null without a value)
 * and {@code format}; format tokens are drawn but never hovered.
 */
public final class SaliencySpecBuilder {
  /** Pixels per character of the monospace layout. */
  public static final int CHAR_WIDTH = 8;

  /** Pixels per line. */
  public static final int LINE_HEIGHT = 20;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * One facet's tokens of the window.
   *
   * @param heat the focus's heat at each token of the window, NaN where there is none
   */
  public record Facet(String title, List<String> tokens, boolean[] format, float[] heat) {}

  private SaliencySpecBuilder() {}

  /**
   * The spec of a window of a document.
   *
   * @param from the position of each facet's first token
   * @param focus the focused position (outlined), or -1
   * @param clip the heat that saturates the colour
   * @param diverging whether the scale runs blue-white-red over [-clip, clip] (else white-red over
   *     [0, clip])
   * @param width each facet's width in pixels
   */
  public static ObjectNode build(
      String title,
      List<Facet> facets,
      int from,
      int focus,
      double clip,
      boolean diverging,
      int width) {
    ObjectNode spec = JSON.objectNode();
    spec.put("$schema", ViewSpecBuilder.SCHEMA);
    spec.put("title", title);
    ObjectNode datasets = spec.putObject("datasets");
    ArrayNode views = spec.putArray("hconcat");
    ArrayNode names = JSON.arrayNode();
    for (int f = 0; f < facets.size(); f++) {
      ArrayNode rows = layout(facets.get(f), from, width);
      datasets.set("facet" + f, rows);
      int height = (rows.isEmpty() ? 1 : rows.get(rows.size() - 1).get("y2").asInt());
      views.add(view(facets.get(f).title(), "facet" + f, width, height, clip, diverging, focus));
      names.add("facet" + f + "_rects");
    }
    ObjectNode hover = spec.putArray("params").addObject().put("name", "hover");
    hover
        .putObject("select")
        .put("type", "point")
        .put("on", "mouseover")
        .put("clear", "mouseout")
        .put("nearest", false)
        .putArray("fields")
        .add("position");
    hover.set("views", names);
    spec.putObject("usermeta").put("from", from).put("focus", focus).put("clip", clip);
    return spec;
  }

  /** The facet's tokens as rows with their boxes: x, x2, y, y2 and the text's baseline ym. */
  private static ArrayNode layout(Facet facet, int from, int width) {
    ArrayNode rows = JSON.arrayNode();
    int x = 0;
    int line = 0;
    for (int i = 0; i < facet.tokens().size(); i++) {
      String token = facet.tokens().get(i);
      if (token.equals("\n")) {
        x = 0;
        line++;
        continue;
      }
      int w = Math.max(1, token.length()) * CHAR_WIDTH;
      if (x > 0 && x + w > width) {
        x = 0;
        line++;
      }
      ObjectNode r = rows.addObject();
      r.put("position", from + i).put("token", token).put("format", facet.format()[i]);
      float v = facet.heat()[i];
      if (Float.isNaN(v) || facet.format()[i]) {
        r.putNull("heat");
      } else {
        r.put("heat", v);
      }
      r.put("x", x).put("x2", x + w);
      r.put("y", line * LINE_HEIGHT).put("y2", (line + 1) * LINE_HEIGHT);
      r.put("ym", line * LINE_HEIGHT + LINE_HEIGHT / 2);
      x += w;
    }
    return rows;
  }

  private static ObjectNode view(
      String title, String data, int width, int height, double clip, boolean diverging, int focus) {
    ObjectNode v = JSON.objectNode();
    v.put("title", title).put("width", width).put("height", height);
    v.putObject("data").put("name", data);
    ArrayNode layers = v.putArray("layer");
    ObjectNode rects = layers.addObject().put("name", data + "_rects");
    rects.putObject("mark").put("type", "rect").put("strokeWidth", 2);
    ObjectNode enc = rects.putObject("encoding");
    position(enc, width, height, "y");
    enc.putObject("x2").put("field", "x2");
    enc.putObject("y2").put("field", "y2");
    ObjectNode colour = enc.putObject("color").put("field", "heat").put("type", "quantitative");
    ObjectNode scale = colour.putObject("scale").put("clamp", true);
    ArrayNode domain = scale.putArray("domain");
    ArrayNode range = scale.putArray("range");
    if (diverging) {
      domain.add(-clip).add(0).add(clip);
      range.add("#1c7ed6").add("#ffffff").add("#d9480f");
    } else {
      domain.add(0).add(clip);
      range.add("#ffffff").add("#d9480f");
    }
    colour.putObject("legend").put("title", "heat");
    ObjectNode stroke = enc.putObject("stroke");
    ArrayNode when = stroke.putArray("condition");
    ObjectNode hovered = when.addObject();
    ArrayNode both = hovered.putObject("test").putArray("and");
    both.addObject().put("param", "hover").put("empty", false);
    both.add("!datum.format");
    hovered.put("value", "#0f172a");
    when.addObject().put("test", "datum.position === " + focus).put("value", "#0f172a");
    stroke.putNull("value");
    ArrayNode tooltip = enc.putArray("tooltip");
    tooltip.addObject().put("field", "position").put("type", "quantitative");
    tooltip.addObject().put("field", "token").put("type", "nominal");
    tooltip.addObject().put("field", "heat").put("type", "quantitative");
    ObjectNode text = layers.addObject();
    text.putObject("mark")
        .put("type", "text")
        .put("align", "left")
        .put("baseline", "middle")
        .put("font", "monospace")
        .put("fontSize", 13);
    ObjectNode tenc = text.putObject("encoding");
    position(tenc, width, height, "ym");
    tenc.putObject("text").put("field", "token");
    return v;
  }

  private static void position(ObjectNode enc, int width, int height, String yField) {
    ObjectNode x = enc.putObject("x").put("field", "x").put("type", "quantitative");
    x.putObject("scale").putArray("domain").add(0).add(width);
    x.putNull("axis");
    ObjectNode y = enc.putObject("y").put("field", yField).put("type", "quantitative");
    y.putObject("scale").put("reverse", true).putArray("domain").add(0).add(Math.max(1, height));
    y.putNull("axis");
  }
}
