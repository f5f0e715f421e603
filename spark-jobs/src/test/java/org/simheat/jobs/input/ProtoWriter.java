package org.simheat.jobs.input;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire format field by field, to build broken or unusual ONNX models in tests. */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoWriter varint(int field, long value) {
    tag(field, 0);
    raw(value);
    return this;
  }

  ProtoWriter fixed32(int field, float value) {
    tag(field, 5);
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    return this;
  }

  ProtoWriter bytes(int field, byte[] value) {
    tag(field, 2);
    raw(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter message(int field, ProtoWriter value) {
    return bytes(field, value.toByteArray());
  }

  /** Appends bytes as they are, for wire format no writer would produce. */
  ProtoWriter verbatim(int... value) {
    for (int b : value) {
      out.write(b);
    }
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** Packed little-endian floats. */
  static byte[] floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** Packed varints. */
  static byte[] varints(long... values) {
    ProtoWriter w = new ProtoWriter();
    for (long v : values) {
      w.raw(v);
    }
    return w.toByteArray();
  }

  private void tag(int field, int wireType) {
    raw((long) field << 3 | wireType);
  }

  private void raw(long value) {
    long v = value;
    while ((v & ~0x7fL) != 0) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}
