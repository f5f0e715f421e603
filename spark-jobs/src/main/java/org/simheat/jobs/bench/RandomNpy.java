package org.simheat.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeded Gaussian float32 matrices as C-order {@code .npy} files (format 1.0), generated in
 * parallel chunks of rows whose random streams depend only on the seed and the chunk, so a file is
 * the same whatever the number of threads. {@link #ensure} keeps one per shape in a cache
 * directory: a million × 768 matrix (3 GB) is written once and reused.
 */
public final class RandomNpy {
  /** The seed every benchmark input uses. */
  public static final long SEED = 20261122L;

  private static final int CHUNK_ROWS = 4096;

  private RandomNpy() {}

  /**
   * A cached input.
   *
   * @param file the .npy file
   * @param reused whether it was already there
   * @param seconds time spent writing it (0 when reused)
   */
  public record Cached(Path file, boolean reused, double seconds) {}

  /**
   * The {@code n × d} matrix in {@code dir}, written there first unless a file of the right size
   * exists. Writing goes to a temporary name then moves into place, so an interrupted run leaves no
   * partial file under the cached name.
   *
   * @throws UncheckedIOException if the directory or file cannot be written
   */
  public static Cached ensure(Path dir, long n, int d) {
    Path file = dir.resolve("random-" + n + "x" + d + "-seed" + SEED + ".npy");
    try {
      if (Files.isRegularFile(file) && Files.size(file) == size(n, d)) {
        return new Cached(file, true, 0);
      }
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid());
      long start = System.nanoTime();
      try {
        write(tmp, n, d, SEED);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return new Cached(file, false, (System.nanoTime() - start) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a seeded Gaussian {@code n × d} float32 matrix to {@code file}.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, long n, int d, long seed) throws IOException {
    byte[] header = header(n, d);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(header), 0);
      long chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
      LongStream.range(0, chunks)
          .parallel()
          .forEach(c -> writeChunk(ch, header.length, c, n, d, seed));
    }
  }

  private static void writeChunk(FileChannel ch, long base, long chunk, long n, int d, long seed) {
    long first = chunk * CHUNK_ROWS;
    int rows = (int) Math.min(CHUNK_ROWS, n - first);
    SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk);
    ByteBuffer buf = ByteBuffer.allocate(rows * d * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * d; i++) {
      buf.putFloat((float) rnd.nextGaussian());
    }
    buf.flip();
    try {
      long at = base + first * d * 4;
      while (buf.hasRemaining()) {
        at += ch.write(buf, at);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes of the file for an {@code n × d} matrix. */
  static long size(long n, int d) {
    return header(n, d).length + n * d * 4;
  }

  private static byte[] header(long n, int d) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ", " + d + "), }";
    int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
    String text = dict + " ".repeat(pad) + "\n";
    ByteBuffer h = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    h.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    h.putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
    return h.array();
  }
}
