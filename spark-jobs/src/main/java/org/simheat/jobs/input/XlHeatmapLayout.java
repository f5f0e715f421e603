package org.simheat.jobs.input;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * xl-heatmap's input layout: embeddings in {@code NAME.pt}, their newline-separated vocabulary
 * beside them in {@code NAME.txt}, and a directory searched recursively for every {@code *.pt}.
 */
public final class XlHeatmapLayout {
  private static final String PT = ".pt";
  private static final String TXT = ".txt";

  /**
   * A {@code .pt} file and its vocabulary.
   *
   * @param pt the {@code .pt} URI
   * @param vocab the same-stem {@code .txt} URI, or null when there is none beside the {@code .pt}
   */
  public record PtPair(String pt, String vocab) {}

  private XlHeatmapLayout() {}

  /**
   * The vocabulary file xl-heatmap pairs with a {@code .pt}: {@code NAME.pt} → {@code NAME.txt}, in
   * the same directory. Whether it exists is not checked.
   *
   * @throws IllegalArgumentException if the name does not end in {@code .pt}
   */
  public static String vocabFor(String ptUri) {
    if (!ptUri.endsWith(PT)) {
      throw new IllegalArgumentException(
          "Cannot read vocabulary: the embeddings file does not end in .pt (" + ptUri + ")");
    }
    return ptUri.substring(0, ptUri.length() - PT.length()) + TXT;
  }

  /**
   * Finds every {@code *.pt} file under a directory, at any depth, sorted by path, each with its
   * same-stem {@code .txt} when that exists. Hidden entries (names starting with '.') are skipped.
   *
   * @param dir a bare local path or a Hadoop URI
   * @throws IllegalArgumentException if the directory is missing, is a file, or holds no {@code
   *     .pt} file (naming it)
   * @throws UncheckedIOException if the file system fails
   */
  public static List<PtPair> discover(String dir, Configuration conf) {
    Path root = InputFile.path(dir);
    try {
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.getFileStatus(root).isDirectory()) {
        throw notFound("it is not a directory", dir);
      }
      List<Path> pts = new ArrayList<>();
      collect(fs, root, pts);
      pts.sort(Comparator.comparing(Path::toString));
      if (pts.isEmpty()) {
        throw notFound("no *.pt file in the directory or below it", dir);
      }
      List<PtPair> pairs = new ArrayList<>();
      for (Path pt : pts) {
        Path txt = new Path(vocabFor(pt.toString()));
        pairs.add(new PtPair(pt.toString(), fs.isFile(txt) ? txt.toString() : null));
      }
      return pairs;
    } catch (FileNotFoundException e) {
      throw notFound("no such directory", dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void collect(FileSystem fs, Path dir, List<Path> pts) throws IOException {
    for (FileStatus child : fs.listStatus(dir)) {
      String name = child.getPath().getName();
      if (name.startsWith(".")) {
        continue;
      }
      if (child.isDirectory()) {
        collect(fs, child.getPath(), pts);
      } else if (name.endsWith(PT)) {
        pts.add(child.getPath());
      }
    }
  }

  private static IllegalArgumentException notFound(String why, String dir) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + dir + ")");
  }
}
