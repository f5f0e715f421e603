package org.simheat.jobs.input;

import java.nio.ByteBuffer;

/** Element types a stored embedding matrix may have, and their decoding to float32. */
public enum DType {
  F16(2),
  BF16(2),
  F32(4),
  F64(8);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Reads one element at the buffer's position (in the buffer's byte order) as a float. */
  public float read(ByteBuffer buf) {
    return switch (this) {
      case F16 -> halfToFloat(buf.getShort());
      case BF16 -> Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
      case F32 -> buf.getFloat();
      case F64 -> (float) buf.getDouble();
    };
  }

  /** Reads one element at an absolute byte index (in the buffer's byte order) as a float. */
  public float read(ByteBuffer buf, int index) {
    return switch (this) {
      case F16 -> halfToFloat(buf.getShort(index));
      case BF16 -> Float.intBitsToFloat((buf.getShort(index) & 0xffff) << 16);
      case F32 -> buf.getFloat(index);
      case F64 -> (float) buf.getDouble(index);
    };
  }

  /** IEEE 754 binary16 to binary32, exact for every value including subnormals, ±Inf and NaN. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
