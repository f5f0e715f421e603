package org.simheat.jobs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What touching every byte of a file costs on this machine, with one thread in 16 MiB pieces: a
 * sequential read, and a copy to a new file (a read plus a write through the page cache) — the
 * least a job pays that reads its input and writes it out again, as the embeddings table does.
 */
public final class IoReference {
  private static final int PIECE = 16 << 20;

  private IoReference() {}

  /**
   * Seconds of the second of two full reads of {@code file}: the first one puts it in the page
   * cache, as a repeated run finds it.
   *
   * @throws IOException if the file cannot be read
   */
  public static double readSeconds(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(PIECE);
    copy(file, null, buf);
    long start = System.nanoTime();
    copy(file, null, buf);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Seconds to copy {@code file} to a new file in {@code dir}, which is deleted afterwards.
   *
   * @throws IOException if the file cannot be read or the copy written
   */
  public static double copySeconds(Path file, Path dir) throws IOException {
    Path target = Files.createTempFile(dir, ".copy-", ".tmp");
    try {
      long start = System.nanoTime();
      try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
        copy(file, out, ByteBuffer.allocateDirect(PIECE));
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      Files.deleteIfExists(target);
    }
  }

  private static void copy(Path file, FileChannel out, ByteBuffer buf) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      while (in.read(buf.clear()) >= 0) {
        buf.flip();
        while (out != null && buf.hasRemaining()) {
          out.write(buf);
        }
      }
    }
  }
}
