package org.simheat.jobs.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Opens an {@link InputSpec}: picks the reader by {@code --format} or by the file's name, reads the
 * vocabulary, and checks that both agree. Nothing is computed here beyond headers and the
 * vocabulary; the matrix itself is read later, by block, on the executors.
 */
public final class EmbeddingInputs {
  /** Formats by name, as {@code --format} takes them. */
  public static final List<String> FORMATS =
      List.of("npy", "pt", "safetensors", "onnx", "parquet", "text");

  private EmbeddingInputs() {}

  /**
   * An opened input.
   *
   * @param matrix the rows
   * @param tokens one token per row, or null when there is no vocabulary (tokens are indices)
   * @param format the reader used
   * @param vocab the vocabulary file used, or null
   * @param files every file the run depends on, for the fingerprint
   */
  public record Opened(
      MatrixSource matrix, List<String> tokens, String format, String vocab, List<String> files) {}

  /**
   * Opens the input and its vocabulary.
   *
   * @throws IllegalArgumentException with one line naming the file and the problem
   */
  public static Opened open(SparkSession spark, InputSpec spec) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String format = spec.format() != null ? checkFormat(spec.format()) : detect(spec.uri(), conf);
    if (spec.tensor() != null && !List.of("pt", "safetensors", "onnx").contains(format)) {
      throw new IllegalArgumentException(
          "--tensor applies to pt, safetensors and onnx inputs, not to "
              + format
              + " ("
              + spec.uri()
              + ")");
    }
    LabeledMatrix lm = read(spark, spec, format, conf);
    String vocab = spec.vocab();
    if (vocab == null
        && format.equals("pt")
        && exists(XlHeatmapLayout.vocabFor(spec.uri()), conf)) {
      vocab = XlHeatmapLayout.vocabFor(spec.uri());
    }
    List<String> tokens = vocab != null ? VocabularyReader.read(vocab, conf) : lm.tokens();
    if (tokens != null && tokens.size() != lm.matrix().rows()) {
      throw new IllegalArgumentException(
          "Cannot read embeddings: vocab has "
              + tokens.size()
              + " tokens but the matrix has "
              + lm.matrix().rows()
              + " rows ("
              + (vocab != null ? vocab : spec.uri())
              + ")");
    }
    List<String> files = new ArrayList<>(dependencies(spec.uri(), conf));
    files.add(vocab);
    return new Opened(lm.matrix(), tokens, format, vocab, files);
  }

  private static LabeledMatrix read(
      SparkSession spark, InputSpec spec, String format, Configuration conf) {
    String uri = spec.uri();
    return switch (format) {
      case "npy" -> new LabeledMatrix(NpyReader.open(uri, conf), null);
      case "pt" -> new LabeledMatrix(PtReader.open(uri, spec.tensor(), conf), null);
      case "safetensors" ->
          new LabeledMatrix(SafetensorsReader.open(uri, spec.tensor(), conf), null);
      case "onnx" -> new LabeledMatrix(OnnxReader.open(uri, spec.tensor(), conf), null);
      case "parquet" ->
          ParquetEmbeddingReader.read(spark, uri, spec.tokenColumn(), spec.vectorColumn());
      case "text" -> TextEmbeddingReader.read(uri, conf);
      default -> throw new IllegalStateException(format);
    };
  }

  private static String checkFormat(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw new IllegalArgumentException(
          "Unknown --format '" + format + "': choose from " + String.join(", ", FORMATS));
    }
    return f;
  }

  /**
   * The format a file's name implies.
   *
   * @throws IllegalArgumentException if the name implies none
   */
  static String detect(String uri, Configuration conf) {
    String name = InputFile.path(uri).getName().toLowerCase(Locale.ROOT);
    if (name.endsWith(".npy")) {
      return "npy";
    }
    if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin")) {
      return "pt";
    }
    if (name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json")) {
      return "safetensors";
    }
    if (name.endsWith(".onnx")) {
      return "onnx";
    }
    if (name.endsWith(".parquet") || isDirectory(uri, conf)) {
      return "parquet";
    }
    if (name.matches(".*\\.(txt|vec|w2v|glove|tsv)(\\.gz)?")) {
      return "text";
    }
    throw new IllegalArgumentException(
        "Cannot read embeddings: cannot tell the format from the file name; use --format "
            + String.join("|", FORMATS)
            + " ("
            + uri
            + ")");
  }

  /** The input file, plus the shards a sharded safetensors index names. */
  private static List<String> dependencies(String uri, Configuration conf) {
    if (!uri.toLowerCase(Locale.ROOT).endsWith(".index.json")) {
      return List.of(uri);
    }
    List<String> files = new ArrayList<>(List.of(uri));
    try (InputFile in = InputFile.open(uri, conf)) {
      JsonNode map = new ObjectMapper().readTree(in.read(0, (int) in.length())).path("weight_map");
      TreeSet<String> shards = new TreeSet<>();
      map.forEach(n -> shards.add(n.asText()));
      Path dir = InputFile.path(uri).getParent();
      shards.forEach(s -> files.add(new Path(dir, s).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + uri + ": " + e.getMessage(), e);
    }
    return files;
  }

  private static boolean exists(String uri, Configuration conf) {
    try {
      Path p = InputFile.path(uri);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isDirectory(String uri, Configuration conf) {
    try {
      Path p = InputFile.path(uri);
      return p.getFileSystem(conf).getFileStatus(p).isDirectory();
    } catch (IOException e) {
      return false;
    }
  }
}
