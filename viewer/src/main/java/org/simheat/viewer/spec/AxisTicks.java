package org.simheat.viewer.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A positional axis labelled by tokens: ticks at the first position of an evenly spaced sample of
 * bins, each labelled with that bin's first token through a {@code labelExpr} that looks the tick
 * value up in inline arrays (tokens are JSON-escaped, so quotes and non-ASCII text are safe).
 */
final class AxisTicks {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AxisTicks() {}

  /** The {@code axis} object of an encoding. */
  static ObjectNode of(ViewAxis axis, int maxTicks, int maxLabel) {
    int step = Math.max(1, (axis.bins() + maxTicks - 1) / maxTicks);
    ArrayNode values = JSON.arrayNode();
    StringBuilder positions = new StringBuilder("[");
    StringBuilder labels = new StringBuilder("[");
    for (int b = 0; b < axis.bins(); b += step) {
      String sep = values.isEmpty() ? "" : ",";
      values.add(axis.start(b));
      positions.append(sep).append(axis.start(b));
      labels.append(sep).append(TextNode.valueOf(clip(axis.first()[b], maxLabel)).toString());
    }
    String expr = labels + "][indexof(" + positions + "], datum.value)] || ''";
    ObjectNode out = JSON.objectNode();
    out.set("values", values);
    out.put("labelExpr", expr);
    out.put("labelOverlap", true);
    return out;
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
