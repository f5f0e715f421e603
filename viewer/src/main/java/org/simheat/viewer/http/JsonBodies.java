package org.simheat.viewer.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.simheat.viewer.service.ViewerService.Tile;

/**
 * The JSON bodies the server sends: API results (records, manifests and specs through Jackson,
 * tiles through a compact writer that omits absent aggregations) and error objects.
 */
final class JsonBodies {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .addModule(new SimpleModule().addSerializer(new TileSerializer()))
          .build();

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

  /**
   * Serialises a tile into direct memory, read-only, without a copy on the heap: a full tile is
   * about 2.2 MB of JSON, which a small heap would otherwise take in contiguous regions.
   *
   * @throws IllegalStateException if Jackson cannot serialise it (a bug, reported as 500)
   */
  static ByteBuffer direct(Tile tile) {
    long values =
        (long) tile.rows()
            * tile.cols()
            * ((tile.mean() != null ? 1 : 0)
                + (tile.max() != null ? 1 : 0)
                + (tile.min() != null ? 1 : 0));
    DirectOutput out = new DirectOutput((int) Math.min(Integer.MAX_VALUE - 8, 256 + 13 * values));
    try {
      MAPPER.writeValue(out, tile);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serialise a tile", e);
    }
    return out.buffer().flip().asReadOnlyBuffer();
  }

  /** An output stream into a direct buffer that doubles when full. */
  private static final class DirectOutput extends OutputStream {
    private ByteBuffer buf;

    DirectOutput(int capacity) {
      buf = ByteBuffer.allocateDirect(Math.max(64, capacity));
    }

    ByteBuffer buffer() {
      return buf;
    }

    @Override
    public void write(int b) {
      room(1);
      buf.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      room(len);
      buf.put(b, off, len);
    }

    private void room(int len) {
      if (buf.remaining() < len) {
        ByteBuffer bigger =
            ByteBuffer.allocateDirect(Math.max(buf.capacity() * 2, buf.position() + len));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
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
