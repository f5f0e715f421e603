package org.simheat.jobs.input;

import java.io.IOException;

/**
 * A forward cursor over protobuf wire format in a file: it reads tags and varints through a small
 * window and skips length-delimited payloads by seeking, so a message of any size is scanned while
 * only its small fields are read.
 */
final class ProtobufScanner {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private static final int WINDOW = 1 << 16;

  /**
   * One field: its number, wire type, the value of a varint field, and where its payload lies (for
   * fixed and length-delimited fields).
   *
   * @param number the field number
   * @param wireType the wire type (0, 1, 2 or 5)
   * @param value the varint's value (wire type 0), else 0
   * @param start the file offset of the payload (after the length, for wire type 2)
   * @param length the payload's length in bytes (0 for varints)
   */
  record Field(int number, int wireType, long value, long start, long length) {
    long end() {
      return start + length;
    }
  }

  private final InputFile file;
  private final String what;
  private final byte[] window = new byte[WINDOW];
  private long windowStart;
  private int windowLength;
  private long pos;

  /**
   * A scanner at the start of the file.
   *
   * @param what the kind of file, for messages (e.g. "an ONNX model")
   */
  ProtobufScanner(InputFile file, String what) {
    this.file = file;
    this.what = what;
  }

  /** The file, for messages. */
  String uri() {
    return file.uri();
  }

  /** The current file offset. */
  long position() {
    return pos;
  }

  /** Moves to a file offset. */
  void seek(long offset) {
    pos = offset;
  }

  /**
   * Reads the next field of the file's top-level message and moves past it. A field that runs past
   * the end of the file means the file is truncated.
   *
   * @return the field, or null at the end of the file
   * @throws IllegalArgumentException if the file is truncated or not valid wire format
   * @throws IOException if the file system fails
   */
  Field next() throws IOException {
    return next(file.length(), true);
  }

  /**
   * Reads the next field of a nested message that ends at {@code limit} and moves past it.
   *
   * @return the field, or null when the cursor is at the limit
   * @throws IllegalArgumentException if the bytes are not valid wire format or a field crosses the
   *     limit
   * @throws IOException if the file system fails
   */
  Field next(long limit) throws IOException {
    return next(limit, false);
  }

  private Field next(long limit, boolean outer) throws IOException {
    if (pos >= limit) {
      return null;
    }
    long at = pos;
    long tag = readVarint(limit, outer);
    int number = (int) (tag >>> 3);
    int wireType = (int) (tag & 7);
    if (number <= 0 || tag >>> 3 > 0x1fffffff) {
      throw malformed("field number " + (tag >>> 3), at);
    }
    return switch (wireType) {
      case VARINT -> new Field(number, wireType, readVarint(limit, outer), pos, 0);
      case FIXED64 -> skipped(number, wireType, 8, limit, outer);
      case FIXED32 -> skipped(number, wireType, 4, limit, outer);
      case LENGTH_DELIMITED -> skipped(number, wireType, readVarint(limit, outer), limit, outer);
      default -> throw malformed("wire type " + wireType + " of field " + number, at);
    };
  }

  private Field skipped(int number, int wireType, long length, long limit, boolean outer) {
    if (outer && length >= 0) {
      file.requireLength(pos + length);
    }
    if (length < 0 || length > limit - pos) {
      throw malformed(
          "field " + number + " of " + length + " bytes crosses its message's end " + limit, pos);
    }
    Field f = new Field(number, wireType, 0, pos, length);
    pos += length;
    return f;
  }

  /**
   * Reads a base-128 varint that must end before {@code limit}.
   *
   * @throws IllegalArgumentException if it is longer than 10 bytes or crosses the limit
   */
  long readVarint(long limit) throws IOException {
    return readVarint(limit, false);
  }

  private long readVarint(long limit, boolean outer) throws IOException {
    long at = pos;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        if (outer) {
          file.requireLength(pos + 1);
        }
        throw malformed("a varint crosses its message's end " + limit, at);
      }
      int b = readByte();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw malformed("a varint longer than 10 bytes", at);
  }

  /** Reads 4 little-endian bytes. */
  int readFixed32() throws IOException {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v |= readByte() << (8 * i);
    }
    return v;
  }

  /** Reads 8 little-endian bytes. */
  long readFixed64() throws IOException {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v |= (long) readByte() << (8 * i);
    }
    return v;
  }

  private int readByte() throws IOException {
    if (pos < windowStart || pos >= windowStart + windowLength) {
      file.requireLength(pos + 1);
      windowStart = pos;
      windowLength = (int) Math.min(WINDOW, file.length() - pos);
      file.read(pos, window, 0, windowLength);
    }
    return window[(int) (pos++ - windowStart)] & 0xff;
  }

  /** An error for bytes that are not valid wire format, at a file offset. */
  IllegalArgumentException malformed(String why, long at) {
    return TensorChoice.error(
        "not " + what + ", its protobuf encoding is broken: " + why + " at byte " + at, file.uri());
  }
}
