package org.simheat.viewer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Map;
import org.simheat.viewer.service.ViewerService.Tile;

/**
 * The JSON bodies the server sends: API results (records, manifests and specs through Jackson,
 * tiles through a compact writer that omits absent aggregations) and error objects.
 */
final class JsonBodies {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new SimpleModule().addSerializer(new TileSerializer()));

  private JsonBodies() {}

  /**
   * Serialises an API result.
   *
   * @throws IllegalStateException if Jackson cannot serialise it (a bug, reported as 500)
   */
  static byte[] of(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** {@code {"error": message}}. */
  static byte[] error(String message) {
    return of(Map.of("error", message == null ? "request failed" : message));
  }

  /**
   * Writes a tile as {@code {z, i, j, span, rowStart, colStart, rows, cols, mean, max, min}},
   * leaving out null aggregations and writing non-finite values as null.
   */
  static final class TileSerializer extends StdSerializer<Tile> {
    private static final long serialVersionUID = 1L;

    TileSerializer() {
      super(Tile.class);
    }

    @Override
    public void serialize(Tile t, JsonGenerator g, SerializerProvider provider) throws IOException {
      g.writeStartObject();
      g.writeNumberField("z", t.z());
      g.writeNumberField("i", t.i());
      g.writeNumberField("j", t.j());
      g.writeNumberField("span", t.span());
      g.writeNumberField("rowStart", t.rowStart());
      g.writeNumberField("colStart", t.colStart());
      g.writeNumberField("rows", t.rows());
      g.writeNumberField("cols", t.cols());
      writeValues(g, "mean", t.mean());
      writeValues(g, "max", t.max());
      writeValues(g, "min", t.min());
      g.writeEndObject();
    }

    private static void writeValues(JsonGenerator g, String name, float[] values)
        throws IOException {
      if (values == null) {
        return;
      }
      g.writeArrayFieldStart(name);
      for (float v : values) {
        if (Float.isFinite(v)) {
          g.writeNumber(v);
        } else {
          g.writeNull();
        }
      }
      g.writeEndArray();
    }
  }
}
