package org.simheat.jobs.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.simheat.jobs.input.InputFile;

/**
 * A SHA-256 fingerprint of a run's inputs and effective configuration.
 *
 * <p>Each input file contributes its size, its modification time and a content hash: the whole file
 * up to {@value #FULL_HASH_LIMIT} bytes; above that its first and last MiB plus {@value #SAMPLES}
 * evenly spaced 64 KiB samples, so a multi-GB checkpoint is fingerprinted in milliseconds. A
 * changed file that keeps its size, its time and every sampled byte would go unnoticed; {@code
 * --force} recomputes regardless.
 */
public final class Fingerprint {
  static final long FULL_HASH_LIMIT = 64L << 20;
  static final int SAMPLES = 64;
  private static final int CHUNK = 64 << 10;
  private static final int EDGE = 1 << 20;

  private Fingerprint() {}

  /**
   * Hashes the files (null entries are skipped) and the configuration text.
   *
   * @return 64 hex digits
   */
  public static String of(List<String> files, String configuration, Configuration conf) {
    return files(files, conf).with(configuration);
  }

  /**
   * Hashes the files once (null entries are skipped), to be finished with one or more
   * configurations.
   */
  public static Files files(List<String> files, Configuration conf) {
    MessageDigest md = sha256();
    for (String f : files) {
      if (f != null) {
        hashFile(md, f, conf);
      }
    }
    return new Files(md);
  }

  /** The hash of a run's input files, before its configuration. */
  public static final class Files {
    private final MessageDigest files;

    private Files(MessageDigest files) {
      this.files = files;
    }

    /**
     * The fingerprint of these files with {@code configuration}.
     *
     * @return 64 hex digits
     */
    public String with(String configuration) {
      try {
        MessageDigest md = (MessageDigest) files.clone();
        md.update(configuration.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("SHA-256 digests cannot be cloned in this JDK", e);
      }
    }
  }

  private static void hashFile(MessageDigest md, String uri, Configuration conf) {
    Path path = InputFile.path(uri);
    try {
      FileStatus st = path.getFileSystem(conf).getFileStatus(path);
      if (st.isDirectory()) {
        for (FileStatus child : path.getFileSystem(conf).listStatus(path)) {
          if (!child.getPath().getName().startsWith(".")) {
            hashFile(md, child.getPath().toString(), conf);
          }
        }
        return;
      }
      md.update(
          (st.getPath().getName() + "|" + st.getLen() + "|" + st.getModificationTime())
              .getBytes(StandardCharsets.UTF_8));
      try (InputFile in = InputFile.open(uri, conf)) {
        hashContent(md, in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot fingerprint " + uri + ": " + e.getMessage(), e);
    }
  }

  private static void hashContent(MessageDigest md, InputFile in) throws IOException {
    long len = in.length();
    if (len <= FULL_HASH_LIMIT) {
      for (long pos = 0; pos < len; pos += EDGE) {
        md.update(in.read(pos, (int) Math.min(EDGE, len - pos)));
      }
      return;
    }
    md.update(in.read(0, EDGE));
    long stride = (len - 2L * EDGE - CHUNK) / SAMPLES;
    for (int i = 0; i < SAMPLES; i++) {
      md.update(in.read(EDGE + i * stride, CHUNK));
    }
    md.update(in.read(len - EDGE, EDGE));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
