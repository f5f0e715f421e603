package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a 2-D float16/32/64 matrix from a NumPy {@code .npy} file (format versions 1.0, 2.0 and
 * 3.0, C or Fortran order, either byte order) as a {@link StridedMatrixFile} over the file's data.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length (2
 * bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0), the header (a Python dict literal, latin-1
 * up to 2.0 and UTF-8 in 3.0), then the elements. Byte order {@code '='} (native) and {@code '|'}
 * (not applicable) are read as little-endian, the order of every machine numpy runs on in practice.
 */
public final class NpyReader {
  /** A header longer than this is corrupt: numpy's own headers are a few hundred bytes. */
  static final long MAX_HEADER_BYTES = 1 << 20;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private NpyReader() {}

  /**
   * Opens a {@code .npy} file and checks its header and length; only the header is read here.
   *
   * @param uri a bare local path or a {@code file:}, {@code hdfs:} or {@code s3a:} URI
   * @param conf the Hadoop configuration to open it with (also used later by executors)
   * @return the matrix, read lazily from the file
   * @throws IllegalArgumentException if the file is missing, is not a {@code .npy} file, has an
   *     unsupported version or dtype, is not a non-empty 2-D matrix, or is truncated
   * @throws UncheckedIOException if the file system fails
   */
  public static MatrixSource open(String uri, Configuration conf) {
    try (InputFile file = InputFile.open(uri, conf)) {
      int major = version(file);
      int headerStart = major == 1 ? 10 : 12;
      int headerLength = headerLength(file, major);
      NpyHeader h = NpyHeader.parse(headerText(file, major, headerStart, headerLength), uri);
      long rowStride = h.fortranOrder() ? 1 : h.dim();
      long colStride = h.fortranOrder() ? h.rows() : 1;
      return new StridedMatrixFile(
          file,
          new HadoopConf(conf),
          headerStart + (long) headerLength,
          h.rows(),
          h.dim(),
          rowStride,
          colStride,
          h.dtype(),
          h.order(),
          uri);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Checks the magic string and returns the major version (1, 2 or 3). */
  private static int version(InputFile file) throws IOException {
    byte[] start = file.read(0, (int) Math.min(file.length(), MAGIC.length));
    if (!Arrays.equals(start, MAGIC)) {
      throw NpyHeader.error("not a .npy file, it does not start with \\x93NUMPY", file.uri());
    }
    byte[] version = file.read(MAGIC.length, 2);
    int major = version[0] & 0xff;
    int minor = version[1] & 0xff;
    if (major < 1 || major > 3 || minor != 0) {
      throw NpyHeader.error(
          "unsupported .npy format version " + major + "." + minor + ", expected 1.0, 2.0 or 3.0",
          file.uri());
    }
    return major;
  }

  /** The header length: 2 bytes in version 1.0, 4 bytes later, little-endian and unsigned. */
  private static int headerLength(InputFile file, int major) throws IOException {
    ByteBuffer b = file.buffer(8, major == 1 ? 2 : 4, ByteOrder.LITTLE_ENDIAN);
    long len = major == 1 ? b.getShort() & 0xffffL : b.getInt() & 0xffffffffL;
    if (len > MAX_HEADER_BYTES) {
      throw NpyHeader.error(
          "the header length " + len + " is absurd, at most " + MAX_HEADER_BYTES + " bytes",
          file.uri());
    }
    return (int) len;
  }

  /** The header: latin-1 before version 3.0, UTF-8 from it. */
  private static String headerText(InputFile file, int major, int start, int len)
      throws IOException {
    byte[] bytes = file.read(start, len);
    if (major < 3) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw NpyHeader.error("the version 3.0 header is not valid UTF-8", file.uri());
    }
  }
}
