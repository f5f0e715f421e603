package org.simheat.jobs.input;

import static org.simheat.jobs.input.ZipDirectory.require;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one deflated zip entry into exactly its declared size, reading the compressed bytes in
 * chunks: output past the declared size (a zip bomb) or short of it fails instead of growing.
 */
final class BoundedInflater {
  private static final int CHUNK = 1 << 20;

  private final InputFile file;
  private final ZipDirectory.Entry entry;
  private final Inflater inflater = new Inflater(true);
  private final byte[] chunk;
  private long pos;
  private long end;

  BoundedInflater(InputFile file, ZipDirectory.Entry entry) {
    this.file = file;
    this.entry = entry;
    this.chunk = new byte[(int) Math.max(1, Math.min(CHUNK, entry.compressedSize()))];
  }

  /**
   * Inflates the entry whose compressed data starts at {@code start}; the caller has checked that
   * the declared size fits an array.
   *
   * @throws IllegalArgumentException if the data is corrupt, ends early, or inflates to more or
   *     fewer bytes than declared
   * @throws IOException if the file system fails
   */
  byte[] inflate(long start) throws IOException {
    pos = start;
    end = start + entry.compressedSize();
    byte[] out = new byte[(int) entry.size()];
    int produced = 0;
    try {
      while (!inflater.finished()) {
        produced += step(out, produced);
      }
    } catch (DataFormatException e) {
      require(false, "deflated entry '" + entry.name() + "' is corrupt: " + e.getMessage(), file);
    } finally {
      inflater.end();
    }
    require(
        produced == out.length,
        "deflated entry '"
            + entry.name()
            + "' inflates to "
            + produced
            + " bytes, not its declared "
            + entry.size(),
        file);
    return out;
  }

  /** Feeds input if needed and inflates once; once {@code out} is full, any output is an excess. */
  private int step(byte[] out, int produced) throws IOException, DataFormatException {
    if (inflater.needsInput()) {
      require(pos < end, "deflated entry '" + entry.name() + "' ends early", file);
      int n = (int) Math.min(chunk.length, end - pos);
      file.read(pos, chunk, 0, n);
      inflater.setInput(chunk, 0, n);
      pos += n;
    }
    boolean full = produced == out.length;
    int n =
        full
            ? inflater.inflate(new byte[1])
            : inflater.inflate(out, produced, out.length - produced);
    require(
        !full || n == 0,
        "deflated entry '"
            + entry.name()
            + "' inflates to more than its declared "
            + entry.size()
            + " bytes",
        file);
    require(
        n > 0 || inflater.finished() || inflater.needsInput(),
        "deflated entry '" + entry.name() + "' is corrupt",
        file);
    return n;
  }
}
