package org.simheat.jobs.input;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A file on any Hadoop file system opened as a stream for one front-to-back pass. */
final class SequentialFile {
  private SequentialFile() {}

  /**
   * Opens a file as a stream.
   *
   * @param prefix the start of error messages, e.g. {@code "Cannot read vocabulary: "}
   * @throws IllegalArgumentException if it does not exist or is a directory (naming the file)
   * @throws UncheckedIOException if the file system fails
   */
  static InputStream open(String uri, Configuration conf, String prefix) {
    Path path = InputFile.path(uri);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (fs.getFileStatus(path).isDirectory()) {
        throw new IllegalArgumentException(
            prefix + "it is a directory, expected a file (" + uri + ")");
      }
      return fs.open(path);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException(prefix + "no such file (" + uri + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(prefix + e.getMessage() + " (" + uri + ")", e);
    }
  }
}
