package org.simheat.jobs.output;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} that writes through the file system's raw streams: on a checksummed
 * file system (Hadoop's {@code file:} scheme) it skips the checksum layer. That layer's stream
 * leaks its file descriptors when a write fails: {@code ChecksumFSOutputSummer.close()} stops at
 * the failed flush and never closes the data and {@code .crc} streams beneath, so a full or failing
 * disk would keep the deleted files' space until the JVM collects them. Readers need no {@code
 * .crc}: a local file without one is read unchecked, as DuckDB and pyarrow always do.
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
    return new RawOutputFile(raw(path.getFileSystem(conf)), path);
  }

  /** {@code fs} without its checksum layer, if it has one. */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  @Override
  public PositionOutputStream create(long blockSize) throws IOException {
    return HadoopStreams.wrap(fs.create(path, false));
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSize) throws IOException {
    return HadoopStreams.wrap(fs.create(path, true));
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
