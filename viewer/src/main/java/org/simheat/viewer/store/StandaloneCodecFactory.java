package org.simheat.viewer.store;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page decompression without Hadoop: parquet-java's default codec factory builds a Hadoop {@code
 * Configuration}, which needs classes that {@code hadoop-client-api} alone lacks. This one
 * decompresses SNAPPY (what Spark writes by default) through snappy-java, ZSTD through zstd-jni,
 * GZIP through the JDK, and UNCOMPRESSED pages as they are. It never compresses.
 */
public final class StandaloneCodecFactory implements CompressionCodecFactory {
  /** The one instance; it holds no state. */
  public static final StandaloneCodecFactory INSTANCE = new StandaloneCodecFactory();

  private StandaloneCodecFactory() {}

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    throw new UnsupportedOperationException("The viewer never writes Parquet");
  }

  /**
   * Returns a decompressor for a codec.
   *
   * @throws IllegalArgumentException for a codec other than UNCOMPRESSED, SNAPPY, ZSTD or GZIP
   */
  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return switch (codec) {
      case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> new Decompressor(codec);
      default ->
          throw new IllegalArgumentException(
              "Cannot read Parquet pages compressed with "
                  + codec
                  + ": the viewer reads SNAPPY, ZSTD, GZIP and uncompressed pages");
    };
  }

  @Override
  public void release() {
    // Stateless: nothing to release.
  }

  /** Decompresses whole pages of one codec from heap or direct buffers. */
  private static final class Decompressor implements BytesInputDecompressor {
    private final CompressionCodecName codec;

    Decompressor(CompressionCodecName codec) {
      this.codec = codec;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      if (codec == CompressionCodecName.UNCOMPRESSED) {
        return bytes;
      }
      byte[] in = bytes.toInputStream().readAllBytes();
      return BytesInput.from(inflate(in, 0, in.length, uncompressedSize));
    }

    /**
     * Decompresses {@code compressedSize} bytes at {@code input}'s position into {@code output} at
     * its position, which it leaves after them. Direct buffers of SNAPPY and ZSTD pages are
     * decompressed in place, without copies on the heap.
     */
    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      if (input.isDirect() && output.isDirect() && codec != CompressionCodecName.GZIP) {
        decompressDirect(input, compressedSize, output, uncompressedSize);
        return;
      }
      byte[] in = new byte[compressedSize];
      input.duplicate().get(in);
      byte[] out =
          codec == CompressionCodecName.UNCOMPRESSED
              ? in
              : inflate(in, 0, compressedSize, uncompressedSize);
      output.put(out, 0, uncompressedSize);
    }

    private void decompressDirect(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      ByteBuffer in = input.duplicate();
      in.limit(in.position() + compressedSize);
      ByteBuffer out = output.duplicate();
      out.limit(out.position() + uncompressedSize);
      int n =
          switch (codec) {
            case UNCOMPRESSED -> {
              out.put(in);
              yield compressedSize;
            }
            case SNAPPY -> Snappy.uncompress(in, out);
            case ZSTD ->
                (int)
                    Zstd.decompressDirectByteBuffer(
                        out, out.position(), uncompressedSize, in, in.position(), compressedSize);
            default -> throw new IllegalStateException("Not a direct codec: " + codec);
          };
      if (n != uncompressedSize) {
        throw new IOException(
            "Corrupt Parquet page: "
                + codec
                + " gave "
                + n
                + " bytes where the page header says "
                + uncompressedSize);
      }
      output.position(output.position() + uncompressedSize);
    }

    @Override
    public void release() {
      // Stateless: nothing to release.
    }

    private byte[] inflate(byte[] in, int offset, int length, int uncompressedSize)
        throws IOException {
      byte[] out = new byte[uncompressedSize];
      int n =
          switch (codec) {
            case SNAPPY -> Snappy.uncompress(in, offset, length, out, 0);
            case ZSTD -> (int) Zstd.decompressByteArray(out, 0, out.length, in, offset, length);
            case GZIP -> gunzip(in, offset, length, out);
            default -> throw new IllegalStateException("Not a compressed codec: " + codec);
          };
      if (n != uncompressedSize) {
        throw new IOException(
            "Corrupt Parquet page: "
                + codec
                + " gave "
                + n
                + " bytes where the page header says "
                + uncompressedSize);
      }
      return out;
    }

    private static int gunzip(byte[] in, int offset, int length, byte[] out) throws IOException {
      try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
        return z.readNBytes(out, 0, out.length);
      }
    }
  }
}
