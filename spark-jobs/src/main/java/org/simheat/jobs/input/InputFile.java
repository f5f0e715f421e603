package org.simheat.jobs.input;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A file on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}, or a bare local
 * path), opened for positioned reads. Readers use it for headers and executors for row ranges.
 */
public final class InputFile implements Closeable {
  private final String uri;
  private final FSDataInputStream in;
  private final long length;

  private InputFile(String uri, FSDataInputStream in, long length) {
    this.uri = uri;
    this.in = in;
    this.length = length;
  }

  /**
   * Opens a file for reading.
   *
   * @throws IllegalArgumentException if it does not exist or is a directory (naming the file)
   * @throws UncheckedIOException if the file system fails
   */
  public static InputFile open(String uri, Configuration conf) {
    Path path = path(uri);
    try {
      FileSystem fs = direct(path.getFileSystem(conf), path);
      var status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        throw new IllegalArgumentException("Cannot read " + uri + ": it is a directory");
      }
      return new InputFile(uri, fs.open(path), status.getLen());
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("Cannot read " + uri + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * The raw file system under a checksummed one (the local file system) when the file has no
   * checksum file: there is nothing to verify then, and the checksummed stream would reopen the
   * file for every positioned read (about 40 µs each, against 1 µs).
   */
  private static FileSystem direct(FileSystem fs, Path path) throws IOException {
    if (fs instanceof ChecksumFileSystem checked
        && !checked.exists(checked.getChecksumFile(path))) {
      return checked.getRawFileSystem();
    }
    return fs;
  }

  /** A Hadoop path for a URI or a bare local path. */
  public static Path path(String uri) {
    return URI.create(uri.replace(" ", "%20")).getScheme() == null
        ? new Path(new java.io.File(uri).getAbsoluteFile().toURI())
        : new Path(uri);
  }

  /** The file as given. */
  public String uri() {
    return uri;
  }

  /** Size in bytes. */
  public long length() {
    return length;
  }

  /**
   * Reads exactly {@code len} bytes at {@code pos}.
   *
   * @throws IllegalArgumentException if the file ends first ("truncated"), naming the file
   * @throws IOException if the file system fails
   */
  public byte[] read(long pos, int len) throws IOException {
    byte[] b = new byte[len];
    read(pos, b, 0, len);
    return b;
  }

  /** Reads exactly {@code len} bytes at {@code pos} into {@code b[off…]}; see {@link #read}. */
  public void read(long pos, byte[] b, int off, int len) throws IOException {
    if (pos < 0 || pos + len > length) {
      throw truncated(pos + len);
    }
    try {
      in.readFully(pos, b, off, len);
    } catch (EOFException e) {
      throw truncated(pos + len);
    }
  }

  /** Reads {@code len} bytes at {@code pos} as a buffer in the given byte order. */
  public ByteBuffer buffer(long pos, int len, ByteOrder order) throws IOException {
    return ByteBuffer.wrap(read(pos, len)).order(order);
  }

  /**
   * Checks that the file holds at least {@code end} bytes.
   *
   * @throws IllegalArgumentException naming the file and both sizes when it is shorter
   */
  public void requireLength(long end) {
    if (end > length) {
      throw truncated(end);
    }
  }

  private IllegalArgumentException truncated(long needed) {
    return new IllegalArgumentException(
        "Cannot read embeddings: the file is truncated, it has "
            + length
            + " bytes but needs "
            + needed
            + " ("
            + uri
            + ")");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
