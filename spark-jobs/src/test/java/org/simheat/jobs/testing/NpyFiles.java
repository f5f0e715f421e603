package org.simheat.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes test matrices as float32 C-order {@code .npy} files and vocabularies as text. */
public final class NpyFiles {
  private NpyFiles() {}

  /** Writes {@code e} to {@code file} (format 1.0) and returns the file. */
  public static Path write(Path file, float[][] e) {
    int d = e[0].length;
    String header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" + e.length + ", " + d + "), }";
    int pad = (64 - (10 + header.length() + 1) % 64) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * e.length * d);
    b.order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (float[] row : e) {
      for (float v : row) {
        b.putFloat(v);
      }
    }
    try {
      return Files.write(file, b.array());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Writes one token per line and returns the file. */
  public static Path vocab(Path file, List<String> tokens) {
    try {
      return Files.writeString(file, String.join("\n", tokens) + "\n");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
