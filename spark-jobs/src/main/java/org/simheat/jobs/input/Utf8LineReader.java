package org.simheat.jobs.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads strict UTF-8 text line by line, naming the line of any invalid byte.
 *
 * <p>Lines end at {@code "\n"}; a {@code "\r"} before it is dropped, so CRLF files read the same. A
 * newline at the very end of the stream does not start another line. A byte-order mark at the start
 * is skipped. Lines longer than {@value #MAX_LINE} bytes are refused, as a file that long between
 * newlines is not text.
 */
final class Utf8LineReader implements Closeable {
  static final int MAX_LINE = 1 << 24;
  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private final String prefix;
  private final String uri;
  private final byte[] chunk = new byte[CHUNK];
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] line = new byte[256];
  private CharBuffer chars = CharBuffer.allocate(256);
  private int pos;
  private int limit;
  private int length;
  private long lineNumber;

  private Utf8LineReader(InputStream in, String prefix, String uri) {
    this.in = in;
    this.prefix = prefix;
    this.uri = uri;
  }

  /**
   * Opens a file on any Hadoop file system.
   *
   * @param prefix the start of error messages, e.g. {@code "Cannot read embeddings: "}
   * @throws IllegalArgumentException if the file does not exist or is a directory
   */
  static Utf8LineReader open(String uri, org.apache.hadoop.conf.Configuration conf, String prefix) {
    return new Utf8LineReader(SequentialFile.open(uri, conf, prefix), prefix, uri);
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /**
   * The next line without its terminator, or null at the end.
   *
   * @throws IllegalArgumentException if the line is not valid UTF-8 or is too long
   * @throws IOException if the stream fails
   */
  String readLine() throws IOException {
    length = 0;
    if (pos == limit && !fill()) {
      return null;
    }
    while (true) {
      int nl = indexOfNewline();
      int end = nl < 0 ? limit : nl;
      append(pos, end);
      pos = nl < 0 ? limit : nl + 1;
      if (nl >= 0 || (pos == limit && !fill())) {
        break;
      }
    }
    lineNumber++;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    return decode(lineNumber == 1 && startsWithBom() ? 3 : 0);
  }

  private boolean fill() throws IOException {
    int n = in.readNBytes(chunk, 0, CHUNK);
    pos = 0;
    limit = n;
    return n > 0;
  }

  private int indexOfNewline() {
    for (int i = pos; i < limit; i++) {
      if (chunk[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(int from, int to) {
    int n = to - from;
    if ((long) length + n > MAX_LINE) {
      throw error(
          "line "
              + (lineNumber + 1)
              + " is longer than "
              + MAX_LINE
              + " bytes, is it a text file?");
    }
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(length + n, Math.min(MAX_LINE, 2 * line.length)));
    }
    System.arraycopy(chunk, from, line, length, n);
    length += n;
  }

  private boolean startsWithBom() {
    return length >= 3
        && line[0] == (byte) 0xEF
        && line[1] == (byte) 0xBB
        && line[2] == (byte) 0xBF;
  }

  private String decode(int start) {
    boolean ascii = true;
    for (int i = start; i < length && ascii; i++) {
      ascii = line[i] >= 0;
    }
    if (ascii) {
      return new String(line, start, length - start, StandardCharsets.ISO_8859_1);
    }
    if (chars.capacity() < length) {
      chars = CharBuffer.allocate(Math.max(length, 2 * chars.capacity()));
    }
    ByteBuffer bytes = ByteBuffer.wrap(line, start, length - start);
    chars.clear();
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (result.isError()) {
      throw invalidUtf8(bytes.position());
    }
    decoder.flush(chars);
    return chars.flip().toString();
  }

  private IllegalArgumentException invalidUtf8(int at) {
    return error(
        String.format(
            "line %d is not valid UTF-8 (byte 0x%02X at byte %d of the line)",
            lineNumber, line[at] & 0xff, at + 1));
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(prefix + what + " (" + uri + ")");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
