package org.simheat.jobs.output;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} that writes through the file system's raw streams: on a checksummed
 * file system (Hadoop's {@code file:} scheme) it skips the checksum layer. That layer's stream
 * leaks its file descriptors when a write fails: {@code ChecksumFSOutputSummer.close()} stops at
 * the failed flush and never closes the data and {@code .crc} streams beneath, so a full or failing
 * disk would keep the deleted files' space until the JVM collects them. Readers need no {@code
 * .crc}: a local file without one is read unchecked, as DuckDB and pyarrow always do.
 *
 * <p>Its streams also turn Hadoop's {@link FSError}, which the local file system throws for a
 * failed write (a full disk among others), back into the {@link IOException} it wraps: as an {@link
 * Error} it would slip past every writer's cleanup, leaving the unfinished file open.
 */
final class RawOutputFile implements OutputFile {
  private final FileSystem fs;
  private final Path path;

  private RawOutputFile(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  /** The file {@code path} of its file system, raw if it is a checksummed one. */
  static RawOutputFile of(Path path, Configuration conf) throws IOException {
    return new RawOutputFile(path.getFileSystem(conf), path);
  }

  /** {@code fs} without its checksum layer, if it has one. */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /**
   * Creates {@code path} on {@code fs} without its checksum layer; write failures are {@link
   * IOException}s.
   */
  static PositionOutputStream create(FileSystem fs, Path path, boolean overwrite)
      throws IOException {
    try {
      return new Stream(raw(fs).create(path, overwrite));
    } catch (FSError e) {
      throw unwrap(e);
    }
  }

  @Override
  public PositionOutputStream create(long blockSize) throws IOException {
    return create(fs, path, false);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSize) throws IOException {
    return create(fs, path, true);
  }

  private static IOException unwrap(FSError e) {
    return e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
  }

  /** A Hadoop stream whose {@link FSError}s are thrown as their {@link IOException}s. */
  private static final class Stream extends PositionOutputStream {
    private final FSDataOutputStream out;

    Stream(FSDataOutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos();
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (FSError e) {
        throw unwrap(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (FSError e) {
        throw unwrap(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (FSError e) {
        throw unwrap(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (FSError e) {
        throw unwrap(e);
      }
    }
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }
}
