package org.simheat.jobs.input;

import java.io.IOException;

/**
 * Decodes an ONNX initializer's typed data field into float32 values in memory: {@code int32_data}
 * holding float16/bfloat16 bit patterns (one varint each), and {@code float_data}/{@code
 * double_data} when they are not one packed, contiguous run.
 */
final class OnnxValueDecoder {
  /** The largest array Java allocates safely. */
  static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private final ProtobufScanner s;
  private final OnnxTensorProto t;
  private final int field;
  private final float[] values;
  private int n;

  private OnnxValueDecoder(ProtobufScanner s, OnnxTensorProto t, int field, float[] values) {
    this.s = s;
    this.t = t;
    this.field = field;
    this.values = values;
  }

  /**
   * Decodes every occurrence of {@code field} in the TensorProto, packed or not, in order.
   *
   * @param count the number of values the shape needs
   * @throws IllegalArgumentException if the field holds another number of values, the count is too
   *     large for memory, or the encoding is broken
   * @throws IOException if the file system fails
   */
  static float[] decode(ProtobufScanner s, OnnxTensorProto t, int field, long count)
      throws IOException {
    if (count > MAX_VALUES) {
      throw TensorChoice.error(
          "initializer '"
              + t.name()
              + "' has "
              + count
              + " values in "
              + OnnxTensorProto.fieldName(field)
              + ", too many to decode in memory",
          s.uri());
    }
    OnnxValueDecoder d = new OnnxValueDecoder(s, t, field, new float[(int) count]);
    d.decodeAll();
    return d.values;
  }

  private void decodeAll() throws IOException {
    s.seek(t.start());
    for (ProtobufScanner.Field f; (f = s.next(t.end())) != null; ) {
      if (f.number() != field) {
        continue;
      }
      long resume = s.position();
      if (f.wireType() == ProtobufScanner.LENGTH_DELIMITED) {
        s.seek(f.start());
        while (s.position() < f.end()) {
          add(element(f.end()));
        }
      } else {
        s.seek(f.start());
        add(single(f));
      }
      s.seek(resume);
    }
    if (n != values.length) {
      throw countMismatch(n);
    }
  }

  /** One element of a packed run that ends at {@code end}. */
  private float element(long end) throws IOException {
    return switch (field) {
      case OnnxTensorProto.FLOAT_DATA -> Float.intBitsToFloat((int) fixed(end, 4));
      case OnnxTensorProto.DOUBLE_DATA -> (float) Double.longBitsToDouble(fixed(end, 8));
      default -> half(s.readVarint(end));
    };
  }

  /** The element of an unpacked field. */
  private float single(ProtobufScanner.Field f) throws IOException {
    int expected =
        switch (field) {
          case OnnxTensorProto.FLOAT_DATA -> ProtobufScanner.FIXED32;
          case OnnxTensorProto.DOUBLE_DATA -> ProtobufScanner.FIXED64;
          default -> ProtobufScanner.VARINT;
        };
    if (f.wireType() != expected) {
      throw s.malformed(
          OnnxTensorProto.fieldName(field) + " with wire type " + f.wireType(), f.start());
    }
    return expected == ProtobufScanner.VARINT ? half(f.value()) : element(f.end());
  }

  private long fixed(long end, int bytes) throws IOException {
    if (end - s.position() < bytes) {
      throw s.malformed(
          "a packed " + OnnxTensorProto.fieldName(field) + " run that ends mid-value",
          s.position());
    }
    return bytes == 4 ? s.readFixed32() & 0xffffffffL : s.readFixed64();
  }

  private float half(long bits) {
    int h = (int) bits & 0xffff;
    return t.dtype() == DType.BF16 ? Float.intBitsToFloat(h << 16) : DType.halfToFloat((short) h);
  }

  private void add(float v) {
    if (n == values.length) {
      throw countMismatch(n + 1);
    }
    values[n++] = v;
  }

  private IllegalArgumentException countMismatch(int found) {
    String more = found > values.length ? "more than " + values.length : String.valueOf(found);
    return TensorChoice.error(
        "initializer '"
            + t.name()
            + "' holds "
            + more
            + " values in "
            + OnnxTensorProto.fieldName(field)
            + " but its shape "
            + t.candidate().shapeText()
            + " needs "
            + values.length,
        s.uri());
  }
}
