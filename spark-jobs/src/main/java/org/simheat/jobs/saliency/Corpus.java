package org.simheat.jobs.saliency;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * A corpus of texts read with Spark, so its documents spread over the cluster as its partitions do.
 * Either one text file, where every non-blank line is a document with id {@code <file-stem>-<line>}
 * (1-based line numbers), or ({@code --doc-per-file}) a directory whose {@code *.txt} files are one
 * document each, with id the file's stem as a slug; blank documents are skipped.
 */
final class Corpus {
  private final Path path;
  private final List<String> files;

  private Corpus(Path path, List<String> files) {
    this.path = path;
    this.files = files;
  }

  /**
   * Checks the corpus exists and has the expected shape, listing the files of a directory.
   *
   * @throws IllegalArgumentException for a missing corpus, a file where a directory is expected or
   *     the reverse, no {@code *.txt} files, or file names that give no id or the same id
   */
  static Corpus open(ComputeSaliencySpec spec, Configuration conf) throws IOException {
    Path path = new Path(spec.corpus());
    FileSystem fs = path.getFileSystem(conf);
    FileStatus st;
    try {
      st = fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      throw SaliencyCompute.error("--corpus " + spec.corpus() + ": no such file or directory");
    }
    path = st.getPath();
    if (!spec.docPerFile()) {
      if (st.isDirectory()) {
        throw SaliencyCompute.error(
            "--corpus " + spec.corpus() + " is a directory; --doc-per-file reads its *.txt files");
      }
      return new Corpus(path, null);
    }
    if (!st.isDirectory()) {
      throw SaliencyCompute.error(
          "--corpus " + spec.corpus() + " with --doc-per-file is not a directory");
    }
    return new Corpus(path, checkedFiles(fs, path, spec.corpus()));
  }

  private static List<String> checkedFiles(FileSystem fs, Path dir, String name)
      throws IOException {
    List<String> files = new ArrayList<>();
    for (FileStatus f : SaliencyCompute.textFiles(fs, dir)) {
      if (CorpusDocument.fileId(f.getPath().getName()).isEmpty()) {
        throw SaliencyCompute.error(
            "--corpus "
                + name
                + ": the file name "
                + f.getPath().getName()
                + " gives no document id");
      }
      files.add(f.getPath().toString());
    }
    if (files.isEmpty()) {
      throw SaliencyCompute.error("--corpus " + name + " has no *.txt files");
    }
    return files;
  }

  /** The ids known before reading: one per file of a directory, none for a line corpus. */
  List<String> knownIds() {
    if (files == null) {
      return List.of();
    }
    return files.stream().map(f -> CorpusDocument.fileId(new Path(f).getName())).toList();
  }

  /** The corpus's non-blank documents. */
  JavaRDD<CorpusDocument> documents(JavaSparkContext jsc) {
    if (files != null) {
      return jsc.wholeTextFiles(String.join(",", files))
          .filter(t -> !t._2().isBlank())
          .map(
              t ->
                  new CorpusDocument(
                      CorpusDocument.fileId(new Path(t._1()).getName()), t._1(), t._2()));
    }
    String file = path.toString();
    String name = path.getName();
    return jsc.textFile(file)
        .zipWithIndex()
        .filter(t -> !t._1().isBlank())
        .map(t -> line(file, name, t));
  }

  private static CorpusDocument line(String file, String name, Tuple2<String, Long> t) {
    long line = t._2() + 1;
    return new CorpusDocument(CorpusDocument.lineId(name, line), file + "#" + line, t._1());
  }
}
